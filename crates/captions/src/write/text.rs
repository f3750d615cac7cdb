//! Plain text, streamed: one paragraph per speaker turn.

use std::io::{self, Write};

use rapporteur_core::{Segment, Session};

use super::vtt::one_line;
use super::SegmentSink;

/// Writes one paragraph per speaker turn, `NAME: text` when the speaker is
/// known, paragraphs separated by a blank line. Consecutive segments of the
/// same speaker (or of unknown speakers) are joined into one paragraph.
#[derive(Debug)]
pub struct TextSink<W> {
    out: W,
    /// The speaker of the open paragraph, if a paragraph is open.
    turn: Option<Option<String>>,
}

impl<W: Write> TextSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        TextSink { out, turn: None }
    }
}

impl<W: Write> SegmentSink for TextSink<W> {
    fn begin(&mut self, _session: &Session) -> io::Result<()> {
        Ok(())
    }

    fn segment(&mut self, segment: &Segment) -> io::Result<()> {
        let text = one_line(&segment.text);
        if text.is_empty() {
            return Ok(());
        }
        let speaker = segment.speaker.as_deref().map(one_line).filter(|s| !s.is_empty());
        match &self.turn {
            Some(open) if *open == speaker => self.out.write_all(b" ")?,
            open => {
                if open.is_some() {
                    self.out.write_all(b"\n\n")?;
                }
                if let Some(name) = &speaker {
                    write!(self.out, "{name}: ")?;
                }
                self.turn = Some(speaker);
            }
        }
        self.out.write_all(text.as_bytes())
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.turn.is_some() {
            self.out.write_all(b"\n")?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use rapporteur_core::{Source, Time, Timing, Transcript};

    use crate::write::{to_string, OutputFormat, WriteOptions};

    use super::*;

    #[test]
    fn turns_become_paragraphs() {
        let mut t = Transcript::new(Session::new("ws-1"));
        for (speaker, text) in
            [(Some("ANA"), "Hello."), (Some("ANA"), "Still  me."), (None, ""), (None, "Who?"), (Some("BO"), "Me.")]
        {
            t.segments.push(Segment::new(
                Time::ZERO,
                Time::ZERO,
                speaker.map(String::from),
                text,
                Source::Caption,
                Timing::Estimated,
            ));
        }
        let text = to_string(&t, OutputFormat::Txt, &WriteOptions::default()).unwrap();
        assert_eq!(text, "ANA: Hello. Still me.\n\nWho?\n\nBO: Me.\n");
        let empty = to_string(&Transcript::new(Session::new("x")), OutputFormat::Txt, &WriteOptions::default());
        assert_eq!(empty.unwrap(), "");
    }
}
