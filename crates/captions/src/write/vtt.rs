//! WebVTT, streamed: a header, then the cues of each segment as they come.

use std::io::{self, Write};

use rapporteur_core::{Segment, Session};

use super::cues::{split_into_cues, Cue};
use super::{SegmentSink, WriteOptions};

/// Writes W3C WebVTT: `WEBVTT`, a `NOTE` naming the session, then one cue
/// block per caption cue, with `<v Speaker>` on every cue of a known speaker.
///
/// Text is escaped as the spec asks (`&amp;`, `&lt;`, `&gt;`). Inside the
/// voice tag the same characters are written as numeric references
/// (`&#38;`, `&#60;`, `&#62;`): the spec reads both, and ffmpeg, which
/// replaces named references even inside tags, then leaves the speaker out of
/// the text it shows instead of spilling part of the name into it.
#[derive(Debug)]
pub struct VttSink<W> {
    out: W,
    options: WriteOptions,
}

impl<W: Write> VttSink<W> {
    /// A sink writing to `out`, breaking cues by `options`.
    pub fn new(out: W, options: WriteOptions) -> Self {
        VttSink { out, options }
    }
}

impl<W: Write> SegmentSink for VttSink<W> {
    fn begin(&mut self, session: &Session) -> io::Result<()> {
        self.out.write_all(b"WEBVTT\n")?;
        let mut note = Vec::new();
        if !session.id.trim().is_empty() {
            note.push(format!("session: {}", note_text(&session.id)));
        }
        if let Some(title) = session.title.as_deref().filter(|t| !t.trim().is_empty()) {
            note.push(format!("title: {}", note_text(title)));
        }
        if !note.is_empty() {
            write!(self.out, "\nNOTE\n{}\n", note.join("\n"))?;
        }
        Ok(())
    }

    fn segment(&mut self, segment: &Segment) -> io::Result<()> {
        let cues = split_into_cues(segment, &self.options);
        self.planned_segment(segment, &cues)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write> VttSink<W> {
    /// Writes `segment` as `cues`, which must be `split_into_cues(segment)`
    /// with this sink's options (planned once for several formats).
    pub(super) fn planned_segment(&mut self, segment: &Segment, cues: &[Cue]) -> io::Result<()> {
        let voice = segment.speaker.as_deref().map(one_line).filter(|s| !s.is_empty());
        for cue in cues {
            write!(self.out, "\n{} --> {}\n", cue.start.to_vtt(), cue.end.to_vtt())?;
            if let Some(name) = &voice {
                write!(self.out, "<v {}>", escape_annotation(name))?;
            }
            for (i, line) in cue.lines.iter().enumerate() {
                if i > 0 {
                    self.out.write_all(b"\n")?;
                }
                self.out.write_all(escape_text(line).as_bytes())?;
            }
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// Whitespace runs (including line breaks) made single spaces.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text for a comment block: one line, and never `-->`, which would end it.
fn note_text(text: &str) -> String {
    one_line(text).replace("-->", "->")
}

/// Cue text with `&`, `<` and `>` as character references.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// A voice tag's annotation with `&`, `<` and `>` as numeric references.
fn escape_annotation(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '&' => out.push_str("&#38;"),
            '<' => out.push_str("&#60;"),
            '>' => out.push_str("&#62;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use rapporteur_core::{Source, Time, Timing, Transcript};

    use crate::write::{to_string, OutputFormat, WriteOptions};

    use super::*;

    fn segment(start: u64, end: u64, speaker: Option<&str>, text: &str) -> Segment {
        Segment::new(
            Time::from_millis(start),
            Time::from_millis(end),
            speaker.map(String::from),
            text,
            Source::Caption,
            Timing::Exact,
        )
    }

    #[test]
    fn cues_voices_and_escapes() {
        let mut t = Transcript::new(Session { title: Some("Data --> trust\nand more".into()), ..Session::new("ws-1") });
        t.segments.push(segment(1_000, 3_500, Some("Ana <&> Bo"), "R&D: 3 < 4 > 2"));
        t.segments.push(segment(3_500, 4_000, None, "(applause)"));
        t.segments.push(segment(4_000, 5_000, Some("X"), "   "));
        let vtt = to_string(&t, OutputFormat::Vtt, &WriteOptions::default()).unwrap();
        assert_eq!(
            vtt,
            "WEBVTT\n\nNOTE\nsession: ws-1\ntitle: Data -> trust and more\n\n\
             00:00:01.000 --> 00:00:03.500\n<v Ana &#60;&#38;&#62; Bo>R&amp;D: 3 &lt; 4 &gt; 2\n\n\
             00:00:03.500 --> 00:00:04.000\n(applause)\n"
        );
    }

    #[test]
    fn long_segments_become_several_cues_of_two_lines() {
        let mut t = Transcript::new(Session::default());
        t.segments.push(segment(
            0,
            9_000,
            Some("MODERATOR"),
            "Good morning, everyone, and welcome to this workshop on meaningful connectivity. We will start with a round of introductions.",
        ));
        let vtt = to_string(&t, OutputFormat::Vtt, &WriteOptions::default()).unwrap();
        assert!(vtt.starts_with("WEBVTT\n\n00:00:00.000 --> "), "{vtt}");
        let blocks: Vec<&str> = vtt.split("\n\n").skip(1).collect();
        assert!(blocks.len() >= 2, "{vtt}");
        for block in blocks {
            let lines: Vec<&str> = block.trim_end().lines().collect();
            assert!(lines[0].contains(" --> "), "{block}");
            assert!(lines[1].starts_with("<v MODERATOR>"), "{block}");
            assert!(lines.len() <= 3, "{block}");
        }
    }
}
