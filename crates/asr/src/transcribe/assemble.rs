//! Decoded segments placed on the recording's timeline and grouped into
//! paragraphs.
//!
//! Whisper's segments are sentence-sized. A paragraph runs until a pause of
//! [`ParagraphOptions::pause_ms`] (where, in a meeting, the floor usually
//! passes to someone else) or until it is long and a sentence ends. No
//! speaker is named: telling voices apart needs a diarisation model this
//! project does not have, and an invented label is worse than none.

use rapporteur_core::{Segment, Source, Time, Timing, Word};

use super::guards::Candidate;
use super::vad::Chunk;

/// A word on the recording's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedWord {
    /// The word.
    pub text: String,
    /// Absolute start in ms.
    pub start_ms: u64,
    /// Absolute end in ms.
    pub end_ms: u64,
}

/// A decoded segment on the recording's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedSegment {
    /// Absolute start in ms.
    pub start_ms: u64,
    /// Absolute end in ms.
    pub end_ms: u64,
    /// Its words.
    pub words: Vec<PlacedWord>,
}

/// Moves a chunk's kept segments to absolute times, clamped to the chunk.
pub fn place(chunk: &Chunk, kept: Vec<Candidate>) -> Vec<PlacedSegment> {
    let offset = chunk.start_ms();
    let length = chunk.duration_ms();
    kept.into_iter()
        .filter(|c| !c.words.is_empty())
        .map(|c| {
            let words: Vec<PlacedWord> = c
                .words
                .into_iter()
                .map(|w| PlacedWord {
                    text: w.text,
                    start_ms: offset + w.start_ms.min(length),
                    end_ms: offset + w.end_ms.min(length).max(w.start_ms.min(length)),
                })
                .collect();
            let first = words.first().map_or(0, |w| w.start_ms);
            let last = words.last().map_or(0, |w| w.end_ms);
            PlacedSegment {
                start_ms: (offset + c.start_ms.min(length)).min(first),
                end_ms: (offset + c.end_ms.min(length)).max(last),
                words,
            }
        })
        .collect()
}

/// Where paragraphs break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParagraphOptions {
    /// A silence at least this long between words starts a new paragraph.
    pub pause_ms: u64,
    /// A paragraph this long ends at the next sentence end.
    pub long_ms: u64,
}

impl Default for ParagraphOptions {
    fn default() -> Self {
        ParagraphOptions { pause_ms: 1500, long_ms: 30_000 }
    }
}

fn ends_sentence(word: &str) -> bool {
    word.trim_end_matches(['"', '\'', ')', '”', '’']).ends_with(['.', '?', '!', '…'])
}

/// Groups segments into paragraph segments with word times
/// (`source: asr`, `timing: exact`, no speaker).
pub fn paragraphs(segments: Vec<PlacedSegment>, options: &ParagraphOptions) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut words: Vec<PlacedWord> = Vec::new();
    let mut start_ms = 0u64;
    let mut end_ms = 0u64;
    let flush = |words: &mut Vec<PlacedWord>, start_ms: u64, end_ms: u64, out: &mut Vec<Segment>| {
        if words.is_empty() {
            return;
        }
        let text = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
        let mut segment = Segment::new(
            Time::from_millis(start_ms),
            Time::from_millis(end_ms.max(start_ms)),
            None,
            text,
            Source::Asr,
            Timing::Exact,
        );
        segment.words = Some(
            words
                .drain(..)
                .map(|w| Word { start: Time::from_millis(w.start_ms), end: Time::from_millis(w.end_ms), text: w.text })
                .collect(),
        );
        out.push(segment);
    };
    for segment in segments {
        for word in segment.words {
            let (previous_end, long) = match words.last() {
                Some(last) => {
                    (last.end_ms, end_ms.saturating_sub(start_ms) >= options.long_ms && ends_sentence(&last.text))
                }
                None => (0, false),
            };
            let pause = !words.is_empty() && word.start_ms.saturating_sub(previous_end) >= options.pause_ms;
            if pause || long {
                flush(&mut words, start_ms, end_ms, &mut out);
            }
            if words.is_empty() {
                // Paragraphs never overlap the one before.
                let floor = out.last().map_or(0, |s: &Segment| s.end.as_millis());
                start_ms = word.start_ms.max(floor);
                end_ms = start_ms;
            }
            end_ms = end_ms.max(word.end_ms);
            words.push(word);
        }
        end_ms = end_ms.max(segment.end_ms.min(end_ms + 500));
    }
    flush(&mut words, start_ms, end_ms, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcribe::words::TimedWord;

    fn seg(words: &[(&str, u64, u64)]) -> PlacedSegment {
        PlacedSegment {
            start_ms: words[0].1,
            end_ms: words[words.len() - 1].2,
            words: words.iter().map(|(t, s, e)| PlacedWord { text: t.to_string(), start_ms: *s, end_ms: *e }).collect(),
        }
    }

    #[test]
    fn places_chunk_times_on_the_timeline() {
        let chunk = Chunk { index: 3, start_sample: 16_000 * 60, samples: vec![0.0; 16_000 * 5] };
        let word = |t: &str, s, e| TimedWord { text: t.into(), start_ms: s, end_ms: e, probability: 0.9 };
        let kept = vec![Candidate {
            start_ms: 100,
            end_ms: 9_000,
            words: vec![word("Hello", 100, 400), word("there.", 450, 8_000)],
            no_speech_probability: 0.0,
            average_log_probability: -0.1,
        }];
        let placed = place(&chunk, kept);
        assert_eq!((placed[0].start_ms, placed[0].end_ms), (60_100, 65_000));
        assert_eq!((placed[0].words[1].start_ms, placed[0].words[1].end_ms), (60_450, 65_000));
    }

    #[test]
    fn paragraphs_break_at_pauses_and_after_long_sentences() {
        let segments = vec![
            seg(&[("Good", 0, 300), ("morning.", 300, 800)]),
            seg(&[("Welcome", 1_000, 1_400), ("all.", 1_400, 1_900)]),
            // 2.1 s of silence: a new paragraph.
            seg(&[("Thank", 4_000, 4_300), ("you.", 4_300, 4_600)]),
        ];
        let out = paragraphs(segments, &ParagraphOptions::default());
        let texts: Vec<&str> = out.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, vec!["Good morning. Welcome all.", "Thank you."]);
        assert_eq!((out[0].start.as_millis(), out[0].end.as_millis()), (0, 1_900));
        assert_eq!(out[1].words.as_ref().unwrap().len(), 2);
        assert!(out.iter().all(|s| s.speaker.is_none() && s.source == Source::Asr && s.timing == Timing::Exact));

        let long: Vec<PlacedSegment> = (0..40)
            .map(|i| seg(&[("Point", i * 1000, i * 1000 + 400), ("made.", i * 1000 + 400, i * 1000 + 900)]))
            .collect();
        let out = paragraphs(long, &ParagraphOptions::default());
        assert!(out.len() >= 2);
        assert!(
            out.iter().all(|s| s.duration_millis() <= 31_000),
            "{:?}",
            out.iter().map(|s| s.duration_millis()).collect::<Vec<_>>()
        );
        assert!(out.windows(2).all(|w| w[0].end <= w[1].start));
    }
}
