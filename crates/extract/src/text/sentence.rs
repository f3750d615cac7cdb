//! Speaker turns and sentences of a transcript, each sentence keeping its
//! segments, speaker, times and character offsets.
//!
//! Caption cues often cut a sentence in two, so sentences are found in a
//! speaker *turn* (consecutive segments with the same speaker, joined with a
//! space), then mapped back to the segments they came from.

use rapporteur_core::{Segment, Time, Transcript};

use super::clean::{clean, Cleaned};

/// Consecutive segments with the same speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    /// Who spoke.
    pub speaker: Option<String>,
    /// Index of the first segment.
    pub first_segment: usize,
    /// The segments' texts joined with single spaces.
    pub text: String,
    /// Byte offset in `text` where each segment of the turn starts.
    pub segment_starts: Vec<usize>,
}

/// One sentence of a turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Index of its turn in [`Document::turns`].
    pub turn: usize,
    /// Byte range in the turn's text.
    pub range: std::ops::Range<usize>,
    /// Index of the segment it starts in (in the transcript).
    pub segment: usize,
    /// Index of the segment it ends in.
    pub last_segment: usize,
    /// Character offset where it starts in the first segment's text.
    pub start_char: usize,
    /// Character offset (exclusive) where it ends in the last segment's text.
    pub end_char: usize,
    /// Start time, interpolated within the segment.
    pub start: Time,
    /// End time, interpolated within the segment.
    pub end: Time,
    /// The text cleaned for matching.
    pub cleaned: Cleaned,
    /// Words in the cleaned text.
    pub words: usize,
}

/// A transcript cut into turns and sentences.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    /// Speaker turns.
    pub turns: Vec<Turn>,
    /// Sentences in order; empty ones (only annotations) are left out.
    pub sentences: Vec<Sentence>,
}

impl Document {
    /// The original words of a sentence.
    pub fn quote(&self, sentence: &Sentence) -> &str {
        self.turns.get(sentence.turn).and_then(|t| t.text.get(sentence.range.clone())).unwrap_or("")
    }

    /// The speaker of a sentence.
    pub fn speaker(&self, sentence: &Sentence) -> Option<&str> {
        self.turns.get(sentence.turn).and_then(|t| t.speaker.as_deref())
    }

    /// Cuts a transcript into turns and sentences.
    pub fn from_transcript(transcript: &Transcript) -> Document {
        let mut doc = Document::default();
        for (i, segment) in transcript.segments.iter().enumerate() {
            let same = doc.turns.last().is_some_and(|t| t.speaker == segment.speaker);
            if !same {
                doc.turns.push(Turn {
                    speaker: segment.speaker.clone(),
                    first_segment: i,
                    text: String::new(),
                    segment_starts: Vec::new(),
                });
            }
            if let Some(turn) = doc.turns.last_mut() {
                if !turn.text.is_empty() {
                    turn.text.push(' ');
                }
                turn.segment_starts.push(turn.text.len());
                turn.text.push_str(&segment.text);
            }
        }
        for (t, turn) in doc.turns.iter().enumerate() {
            for range in split_sentences(&turn.text) {
                let Some(quote) = turn.text.get(range.clone()) else { continue };
                let cleaned = clean(quote);
                if cleaned.text.is_empty() {
                    continue;
                }
                let words = cleaned.text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
                let (segment, start_char, start) = locate(turn, &transcript.segments, range.start, false);
                let (last_segment, end_char, end) = locate(turn, &transcript.segments, range.end, true);
                doc.sentences.push(Sentence {
                    turn: t,
                    range,
                    segment,
                    last_segment,
                    start_char,
                    end_char,
                    start,
                    end: end.max(start),
                    cleaned,
                    words,
                });
            }
        }
        doc
    }
}

/// The segment holding byte `at` of the turn's text, the character offset in
/// that segment and the time there (interpolated by characters: speech runs
/// at a roughly even rate within one cue).
fn locate(turn: &Turn, segments: &[Segment], at: usize, is_end: bool) -> (usize, usize, Time) {
    let idx = if is_end {
        turn.segment_starts.partition_point(|&s| s < at).saturating_sub(1)
    } else {
        turn.segment_starts.partition_point(|&s| s <= at).saturating_sub(1)
    };
    let seg_index = turn.first_segment + idx;
    let seg_start = turn.segment_starts.get(idx).copied().unwrap_or(0);
    let Some(segment) = segments.get(seg_index) else { return (seg_index, 0, Time::ZERO) };
    let offset = at.saturating_sub(seg_start).min(segment.text.len());
    let chars_before = segment.text.get(..offset).map_or(0, |s| s.chars().count());
    let total = segment.text.chars().count().max(1);
    let span = segment.end.millis_since(segment.start);
    let time = segment.start.add_millis(span * chars_before.min(total) as u64 / total as u64);
    (seg_index, chars_before, time)
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "etc", "e.g", "i.e", "u.s", "u.n", "u.k", "e.u", "jr", "sr",
    "hon", "amb", "h.e", "approx", "fig", "art", "para", "sec", "mme", "gen", "rev", "dept", "inc", "ltd", "co",
];

/// Byte ranges of the sentences of `text`, trimmed.
///
/// A sentence ends at `.`, `?` or `!` (and any closing quotes or brackets)
/// followed by white space and a capital, digit, quote or bracket; or at `?`
/// and `!` followed by white space. Abbreviations (`Mr.`, `e.g.`) and single
/// initials (`J. Smith`) do not end sentences; neither does an ellipsis
/// followed by a lower-case word.
pub fn split_sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'?' | b'!') {
            let mut end = i + 1;
            while end < bytes.len() && matches!(bytes[end], b'.' | b'?' | b'!' | b'"' | b'\'' | b')' | b']') {
                end += 1;
            }
            // Curly closing quote (3 bytes).
            if text.get(end..).is_some_and(|r| r.starts_with('\u{201D}') || r.starts_with('\u{2019}')) {
                end += 3;
            }
            let rest = text.get(end..).unwrap_or("");
            let after_space = rest.trim_start();
            let has_space = rest.len() != after_space.len();
            let next = after_space.chars().next();
            let strong = b == b'?' || b == b'!';
            let starts_new = next.is_some_and(|c| {
                c.is_uppercase()
                    || c.is_ascii_digit()
                    || matches!(c, '"' | '\'' | '(' | '[' | '>' | '\u{201C}' | '\u{2018}')
            });
            let boundary = has_space
                && (starts_new || (strong && next.is_some()))
                && !(b == b'.' && is_abbreviation(text, start, i));
            if boundary {
                push_trimmed(text, start..end, &mut out);
                start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

fn is_abbreviation(text: &str, sentence_start: usize, dot: usize) -> bool {
    let before = text.get(sentence_start..dot).unwrap_or("");
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    if word.is_empty() {
        return false;
    }
    // Single initials: "J. Smith", "U.N." is caught by the list.
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true;
    }
    let lower = word.to_ascii_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

fn push_trimmed(text: &str, range: std::ops::Range<usize>, out: &mut Vec<std::ops::Range<usize>>) {
    let Some(slice) = text.get(range.clone()) else { return };
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail < slice.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapporteur_core::{Session, Source, Timing};

    fn texts(text: &str) -> Vec<&str> {
        split_sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_table() {
        let cases: &[(&str, &[&str])] = &[
            ("Good morning.  Can you hear me? Yes.", &["Good morning.", "Can you hear me?", "Yes."]),
            ("Mr. Smith and Dr. Jones agree. J. Doe too.", &["Mr. Smith and Dr. Jones agree.", "J. Doe too."]),
            ("We need e.g. better data. And i.e. more.", &["We need e.g. better data.", "And i.e. more."]),
            (
                "It costs 2.5 million... and more. \"Quote.\" Next",
                &["It costs 2.5 million... and more.", "\"Quote.\"", "Next"],
            ),
            ("really? yes", &["really?", "yes"]),
            ("", &[]),
        ];
        for (input, want) in cases {
            assert_eq!(texts(input), *want, "input: {input}");
        }
    }

    #[test]
    fn sentences_keep_segments_speakers_and_times() {
        let mut t = Transcript::new(Session::new("s"));
        let seg = |s: u64, e: u64, who: &str, text: &str| {
            rapporteur_core::Segment::new(
                Time::from_millis(s),
                Time::from_millis(e),
                Some(who.into()),
                text,
                Source::Caption,
                Timing::Exact,
            )
        };
        t.segments.push(seg(0, 4000, "A", "Good morning. We need to"));
        t.segments.push(seg(4000, 6000, "A", "invest in people."));
        t.segments.push(seg(6000, 8000, "B", "(inaudible)  Agreed."));
        let doc = Document::from_transcript(&t);
        assert_eq!(doc.turns.len(), 2);
        let s: Vec<_> = doc.sentences.iter().map(|s| (doc.quote(s), s.segment, s.last_segment, s.start_char)).collect();
        assert_eq!(
            s,
            vec![
                ("Good morning.", 0, 0, 0),
                ("We need to invest in people.", 0, 1, 14),
                ("(inaudible)  Agreed.", 2, 2, 0)
            ]
        );
        let second = &doc.sentences[1];
        assert_eq!(second.start, Time::from_millis(14 * 4000 / 24));
        assert_eq!(second.end, Time::from_millis(6000));
        assert_eq!(second.end_char, "invest in people.".len());
        assert_eq!(doc.sentences[2].cleaned.text, "Agreed.");
        assert_eq!(doc.speaker(&doc.sentences[2]), Some("B"));
    }
}
