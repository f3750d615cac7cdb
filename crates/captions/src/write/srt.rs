//! SubRip, streamed: numbered cues, `>> NAME:` where the speaker changes.

use std::io::{self, Write};

use rapporteur_core::{Segment, Session};

use super::cues::{split_into_cues_after, Cue};
use super::vtt::one_line;
use super::{SegmentSink, WriteOptions};

/// Writes SRT: cues numbered from 1, `hh:mm:ss,mmm` times, the text lines.
///
/// SRT has no speaker field. Broadcast captions mark a change of speaker by
/// starting the cue with `>> NAME: ` (`>> ` alone for a speaker whose name is
/// not known), and readers carry the speaker on to the cues without a marker;
/// rapporteur's SRT reader does the same. The marker counts towards the line
/// length and always shares its cue with the first words of the turn.
///
/// SRT has no escapes: players read `<b>`-like text as markup and `{\an8}`
/// as a style override, and drop it. Where the text holds such a sequence, a
/// WORD JOINER (U+2060, invisible) is put after its `<` or `{` so that it is
/// shown as written; likewise between the two `>` of a text starting with
/// `>>` that is not a change of speaker.
#[derive(Debug)]
pub struct SrtSink<W> {
    out: W,
    options: WriteOptions,
    /// Cues written so far.
    index: u64,
    /// The speaker of the last cue written (`None`: unknown, as at the start).
    speaker: Option<String>,
}

impl<W: Write> SrtSink<W> {
    /// A sink writing to `out`, breaking cues by `options`.
    pub fn new(out: W, options: WriteOptions) -> Self {
        SrtSink { out, options, index: 0, speaker: None }
    }
}

impl<W: Write> SegmentSink for SrtSink<W> {
    fn begin(&mut self, _session: &Session) -> io::Result<()> {
        Ok(())
    }

    fn segment(&mut self, segment: &Segment) -> io::Result<()> {
        self.planned_segment(segment, None)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write> SrtSink<W> {
    /// Writes `segment`. `unmarked`, when given, must be
    /// `split_into_cues(segment)` with this sink's options: the cues of a
    /// segment that does not change speaker (planned once for several
    /// formats); a segment that starts with a speaker marker is planned here.
    pub(super) fn planned_segment(&mut self, segment: &Segment, unmarked: Option<&[Cue]>) -> io::Result<()> {
        let speaker = segment.speaker.as_deref().map(one_line).filter(|s| !s.is_empty());
        let marker = match &speaker {
            _ if speaker == self.speaker => String::new(),
            Some(name) => format!(">> {name}:"),
            None => ">>".to_string(),
        };
        let planned;
        let cues = match unmarked {
            Some(cues) if marker.is_empty() => cues,
            _ => {
                planned = split_into_cues_after(&marker, segment, &self.options);
                &planned
            }
        };
        if cues.is_empty() {
            // Nothing shown: the change of speaker is marked on the next cue that has text.
            return Ok(());
        }
        for (i, cue) in cues.iter().enumerate() {
            self.index += 1;
            if self.index > 1 {
                self.out.write_all(b"\n")?;
            }
            write!(self.out, "{}\n{} --> {}\n", self.index, cue.start.to_srt(), cue.end.to_srt())?;
            let marked = i == 0 && !marker.is_empty();
            self.out.write_all(protect(&cue.lines.join("\n"), marked).as_bytes())?;
            self.out.write_all(b"\n")?;
        }
        self.speaker = speaker;
        Ok(())
    }
}

/// The invisible character that keeps markup-like text from being read as markup.
pub(crate) const WORD_JOINER: char = '\u{2060}';

/// A cue's text (lines joined by `\n`) with a [`WORD_JOINER`] put where
/// SRT readers would otherwise take text for markup or structure:
///
/// * after a `<` that a later `>` would close into a tag (`<b>`);
/// * after a `{` that opens a style override (`{\an8}`, `{y:i}`);
/// * after an `&` that starts a character reference (`&amp;`, `&#38;`);
/// * between `-` and `>` on a line that starts with a digit (`5 -> 4` would
///   pass for a timing line);
/// * at the end of a line of digits followed by a line starting with a digit
///   (a cue number and a timing line, to a lenient reader);
/// * inside a leading `>>` when the cue does not start with a speaker marker.
fn protect(text: &str, marked: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    if !marked && text.starts_with(">>") {
        out.push('>');
        out.push(WORD_JOINER);
        return out + &protect(text.get(1..).unwrap_or_default(), true);
    }
    let mut lines = text.split('\n').peekable();
    let mut line_start = 0;
    while let Some(line) = lines.next() {
        if line_start > 0 {
            out.push('\n');
        }
        // The cue's text after this line: ffmpeg closes tags across lines.
        let later = text.get(line_start + line.len()..).unwrap_or_default();
        line_start += line.len() + 1;
        let starts_with_digit = line.starts_with(|c: char| c.is_ascii_digit());
        let arrows = starts_with_digit && line.contains("->");
        let mut rest = line;
        while let Some(c) = rest.chars().next() {
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
            out.push(c);
            let joiner = match c {
                '<' => rest.contains('>') || later.contains('>'),
                '{' => {
                    let mut next = rest.chars();
                    match (next.next(), next.next()) {
                        (Some('\\'), _) => true,
                        (Some(s), Some(':')) => "CcFfoPSsYy".contains(s),
                        _ => false,
                    }
                }
                '&' => starts_reference(rest),
                '-' => arrows && rest.starts_with('>'),
                _ => false,
            };
            if joiner {
                out.push(WORD_JOINER);
            }
        }
        let all_digits = starts_with_digit && line.bytes().all(|b| b.is_ascii_digit());
        if all_digits && lines.peek().is_some_and(|next| next.starts_with(|c: char| c.is_ascii_digit())) {
            out.push(WORD_JOINER);
        }
    }
    out
}

/// Whether `rest` (what follows an `&`) reads as a character reference: a
/// name or `#` number of at most 10 characters, then `;`.
fn starts_reference(rest: &str) -> bool {
    let name = rest.bytes().take(11).take_while(|b| b.is_ascii_alphanumeric() || *b == b'#').count();
    (1..=10).contains(&name) && rest.as_bytes().get(name) == Some(&b';')
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
    fn markup_like_text_is_protected() {
        let cases = [
            ("3 < 4 and 5 > 4", "3 <\u{2060} 4 and 5 > 4"),
            ("a <b> c", "a <\u{2060}b> c"),
            ("a < b", "a < b"),
            ("x {\\an8} {y:i} {b}", "x {\u{2060}\\an8} {\u{2060}y:i} {b}"),
            (">> not a marker", ">\u{2060}> not a marker"),
            ("R&D &amp; &#38; & café", "R&D &\u{2060}amp; &\u{2060}#38; & café"),
            ("5 -> 4 and 3 --> 2\nx -> y", "5 -\u{2060}> 4 and 3 --\u{2060}> 2\nx -> y"),
            ("a <b\nc> d", "a <\u{2060}b\nc> d"),
            ("2020\n10:30 start\n1984\nyes", "2020\u{2060}\n10:30 start\n1984\nyes"),
        ];
        for (text, want) in cases {
            assert_eq!(protect(text, false), want, "{text}");
        }
        assert_eq!(protect(">> ANA: <b>", true), ">> ANA: <\u{2060}b>");
    }

    #[test]
    fn speaker_changes_are_marked_once() {
        let mut t = Transcript::new(Session::new("ws-1"));
        t.segments.push(segment(0, 1_000, None, "Testing."));
        t.segments.push(segment(1_000, 2_000, Some("ANA"), "Hello."));
        t.segments.push(segment(2_000, 3_000, Some("ANA"), "Still me."));
        t.segments.push(segment(3_000, 3_000, Some("BO"), ""));
        t.segments.push(segment(3_000, 4_000, None, "Can you hear me?"));
        t.segments.push(segment(4_000, 5_000, Some("BO"), "Yes."));
        let srt = to_string(&t, OutputFormat::Srt, &WriteOptions::default()).unwrap();
        assert_eq!(
            srt,
            "1\n00:00:00,000 --> 00:00:01,000\nTesting.\n\n\
             2\n00:00:01,000 --> 00:00:02,000\n>> ANA: Hello.\n\n\
             3\n00:00:02,000 --> 00:00:03,000\nStill me.\n\n\
             4\n00:00:03,000 --> 00:00:04,000\n>> Can you hear me?\n\n\
             5\n00:00:04,000 --> 00:00:05,000\n>> BO: Yes.\n"
        );
    }
}
