//! Markdown, streamed: a title, a metadata line, then speaker turns.

use std::io::{self, Write};

use rapporteur_core::{Segment, Session};

use super::vtt::one_line;
use super::SegmentSink;

/// Writes `# Title`, a line with the date, room and tracks, then one
/// paragraph per speaker turn:
///
/// ```text
/// **MODERATOR** [00:00:00]
/// Good morning, everyone.
/// ```
///
/// The time is the start of the turn's first segment. Consecutive segments of
/// the same speaker (or of unknown speakers) make one turn. Characters that
/// Markdown would read as markup are escaped, so the text renders as written.
#[derive(Debug)]
pub struct MarkdownSink<W> {
    out: W,
    /// The speaker of the open turn, if a turn is open.
    turn: Option<Option<String>>,
}

impl<W: Write> MarkdownSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        MarkdownSink { out, turn: None }
    }
}

impl<W: Write> SegmentSink for MarkdownSink<W> {
    fn begin(&mut self, session: &Session) -> io::Result<()> {
        let title =
            session.title.as_deref().map(one_line).filter(|t| !t.is_empty()).unwrap_or_else(|| one_line(&session.id));
        writeln!(self.out, "# {}", escape_heading(&title))?;
        let mut facts = Vec::new();
        let when = [session.date.as_deref(), session.time.as_deref()]
            .into_iter()
            .flatten()
            .map(one_line)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if !when.is_empty() {
            facts.push(when);
        }
        if let Some(room) = session.room.as_deref().map(one_line).filter(|r| !r.is_empty()) {
            facts.push(room);
        }
        let tracks: Vec<String> = session.tracks.iter().map(|t| one_line(t)).filter(|t| !t.is_empty()).collect();
        match tracks.len() {
            0 => {}
            1 => facts.push(format!("Track: {}", tracks[0])),
            _ => facts.push(format!("Tracks: {}", tracks.join(", "))),
        }
        if !facts.is_empty() {
            writeln!(self.out, "\n{}", escape(&facts.join(" · ")))?;
        }
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
            _ => {
                if self.turn.is_some() {
                    self.out.write_all(b"\n")?;
                }
                self.out.write_all(b"\n")?;
                if let Some(name) = &speaker {
                    write!(self.out, "**{}** ", escape(name))?;
                }
                writeln!(self.out, "[{}]", segment.start.to_clock())?;
                self.turn = Some(speaker);
            }
        }
        self.out.write_all(escape(&text).as_bytes())
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.turn.is_some() {
            self.out.write_all(b"\n")?;
        }
        self.out.flush()
    }
}

/// `text` (one line) with a backslash before every character that Markdown
/// (CommonMark with GitHub's extensions) would read as markup there.
fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let starts_block = line_start_marker_len(&chars);
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let after = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '~' | '|' => true,
            // `snake_case` stays as it is: an underscore inside a word is not emphasis.
            '_' => !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric)),
            // Only `&name;` and `&#123;` are entities.
            '&' => is_entity(&chars[i + 1..]),
            _ => i + 1 == starts_block,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A heading's text: escaped like any text, and a final run of `#` after a
/// space escaped too, which would otherwise close the heading and vanish.
fn escape_heading(text: &str) -> String {
    let mut out = escape(text);
    let hashes = out.len() - out.trim_end_matches('#').len();
    let before = out.len() - hashes;
    if hashes > 0 && (before == 0 || out[..before].ends_with(' ')) {
        out.insert(before, '\\');
    }
    out
}

/// How many characters at the start of a line make it a block (a heading,
/// quote, list item, rule or setext underline), counting up to and including
/// the one to escape; 0 when the line is plain text.
fn line_start_marker_len(chars: &[char]) -> usize {
    match chars.first() {
        Some('#' | '>' | '+' | '=' | '-') => 1,
        Some(c) if c.is_ascii_digit() => {
            let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
            match chars.get(digits) {
                Some('.' | ')') if digits <= 9 => digits + 1,
                _ => 0,
            }
        }
        _ => 0,
    }
}

/// Whether `rest` (what follows an `&`) makes an entity reference such as `amp;` or `#38;`.
fn is_entity(rest: &[char]) -> bool {
    let name = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '#').count();
    name > 0 && rest.get(name) == Some(&';')
}

#[cfg(test)]
mod tests {
    use rapporteur_core::{Source, Time, Timing, Transcript};

    use crate::write::{to_string, OutputFormat, WriteOptions};

    use super::*;

    #[test]
    fn escapes_only_what_would_render_differently() {
        let cases = [
            ("plain text, 3 > 2.", "plain text, 3 > 2."),
            ("multi_stakeholder _emphasis_", "multi_stakeholder \\_emphasis\\_"),
            (
                "*bold* `code` [link](x) <b> ~strike~ a|b",
                "\\*bold\\* \\`code\\` \\[link\\](x) \\<b> \\~strike\\~ a\\|b",
            ),
            ("R&D &amp; &#38;", "R&D \\&amp; \\&#38;"),
            ("# not a heading", "\\# not a heading"),
            ("> not a quote", "\\> not a quote"),
            ("- not a list", "\\- not a list"),
            ("2020. A year", "2020\\. A year"),
            ("12) twelve", "12\\) twelve"),
            ("===", "\\==="),
            ("back\\slash", "back\\\\slash"),
            ("café 中文 😀", "café 中文 😀"),
        ];
        for (text, want) in cases {
            assert_eq!(escape(text), want, "{text}");
        }
        assert_eq!(escape_heading("Workshop #"), "Workshop \\#");
        assert_eq!(escape_heading("WS #999"), "WS #999");
        assert_eq!(escape_heading("C#"), "C#");
    }

    #[test]
    fn title_metadata_and_turns() {
        let session = Session {
            title: Some("WS #999: Data *and* trust".into()),
            date: Some("2020-11-12".into()),
            time: Some("09:30".into()),
            room: Some("Room 3".into()),
            tracks: vec!["Data".into(), "Trust".into()],
            ..Session::new("ws-999")
        };
        let mut t = Transcript::new(session);
        for (start, speaker, text) in [
            (0, Some("MODERATOR"), "Welcome."),
            (2_000, Some("MODERATOR"), "Let us begin."),
            (65_432, None, "(off microphone)"),
            (3_723_004, Some("MS. DIALLO"), "- Thank you."),
        ] {
            t.segments.push(Segment::new(
                Time::from_millis(start),
                Time::from_millis(start + 1_000),
                speaker.map(String::from),
                text,
                Source::Caption,
                Timing::Estimated,
            ));
        }
        let md = to_string(&t, OutputFormat::Md, &WriteOptions::default()).unwrap();
        assert_eq!(
            md,
            "# WS #999: Data \\*and\\* trust\n\n2020-11-12 09:30 · Room 3 · Tracks: Data, Trust\n\n\
             **MODERATOR** [00:00:00]\nWelcome. Let us begin.\n\n\
             [00:01:05]\n(off microphone)\n\n\
             **MS. DIALLO** [01:02:03]\n\\- Thank you.\n"
        );
        let bare = to_string(&Transcript::new(Session::new("ws-1")), OutputFormat::Md, &WriteOptions::default());
        assert_eq!(bare.unwrap(), "# ws-1\n");
    }
}
