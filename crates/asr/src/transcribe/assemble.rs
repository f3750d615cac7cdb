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
use super::words::TimedWord;

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

/// A word's times moved off silence: Whisper's token times often run a word
/// on into the pause after it (or start the next one early); the detector's
/// speech regions know where the pause is. A word that lies wholly in a
/// pause is left alone (the detector may have missed a quiet word).
pub fn snap_to_speech(start: u64, end: u64, speech: &[(u64, u64)]) -> (u64, u64) {
    let inside = |t: u64| speech.iter().any(|&(a, b)| a <= t && t <= b);
    let mut start_ms = start;
    let mut end_ms = end;
    if !inside(start) {
        if let Some(&(next, _)) = speech.iter().find(|&&(a, _)| a > start) {
            if next < end {
                start_ms = next;
            }
        }
    }
    if !inside(end) {
        if let Some(&(_, previous)) = speech.iter().rev().find(|&&(_, b)| b < end) {
            if previous > start_ms {
                end_ms = previous;
            }
        }
    }
    (start_ms, end_ms)
}

/// Moves the words of one decoded segment that lie wholly inside a pause
/// to the speech they belong to. Whisper's token times drift into pauses:
/// a sentence after a pause often starts too early, its first words landing
/// in the silence. A run of such words goes to the side of the pause that
/// the segment continues on (forward when it only continues after the
/// pause, back when it only continues before it, else the nearer side);
/// later words are pushed so that times still increase.
pub fn move_words_out_of_pauses(words: &mut [TimedWord], speech: &[(u64, u64)]) {
    if speech.is_empty() {
        return;
    }
    let in_speech = |w: &TimedWord| speech.iter().any(|&(a, b)| w.start_ms < b && w.end_ms.max(w.start_ms + 1) > a);
    let flags: Vec<bool> = words.iter().map(in_speech).collect();
    let mut i = 0;
    while i < words.len() {
        if flags[i] {
            i += 1;
            continue;
        }
        let run_end = flags[i..].iter().position(|&f| f).map_or(words.len(), |k| i + k);
        // The pause the run sits in: between the last region ending before it and the first starting after it.
        let gap_start = speech.iter().rev().find(|&&(_, b)| b <= words[i].start_ms).map(|&(_, b)| b);
        let gap_end = speech.iter().find(|&&(a, _)| a >= words[run_end - 1].end_ms).map(|&(a, _)| a);
        let has_before = i > 0;
        let has_after = run_end < words.len();
        let forward = match (gap_start, gap_end) {
            (Some(gs), Some(ge)) => match (has_before, has_after) {
                (false, true) => true,
                (true, false) => false,
                _ => ge.saturating_sub(words[run_end - 1].end_ms) < words[i].start_ms.saturating_sub(gs),
            },
            (None, Some(_)) => true,
            _ => false,
        };
        match (forward, gap_start, gap_end) {
            (true, _, Some(ge)) => {
                let shift = ge.saturating_sub(words[i].start_ms);
                for w in &mut words[i..run_end] {
                    w.start_ms += shift;
                    w.end_ms += shift;
                }
            }
            (false, Some(gs), _) => {
                let shift = words[run_end - 1].end_ms.saturating_sub(gs);
                for w in &mut words[i..run_end] {
                    w.start_ms = w.start_ms.saturating_sub(shift);
                    w.end_ms = w.end_ms.saturating_sub(shift);
                }
                // Squeezed between the word before and the pause if it now overlaps that word.
                let floor = if i > 0 { words[i - 1].end_ms.min(gs) } else { 0 };
                let first = words[i].start_ms;
                if first < floor {
                    let span = (gs - first).max(1) as f64;
                    let room = (gs - floor) as f64;
                    for w in &mut words[i..run_end] {
                        w.start_ms = floor + ((w.start_ms - first) as f64 * room / span) as u64;
                        w.end_ms = floor + ((w.end_ms.max(first) - first) as f64 * room / span) as u64;
                    }
                }
            }
            _ => {}
        }
        i = run_end;
    }
    for k in 1..words.len() {
        let previous_end = words[k - 1].end_ms;
        let w = &mut words[k];
        if w.start_ms < previous_end {
            let length = w.end_ms.saturating_sub(w.start_ms);
            w.start_ms = previous_end;
            w.end_ms = w.end_ms.max(previous_end + length.min(200));
        }
    }
}

/// Moves a chunk's kept segments to absolute times, off its pauses and
/// clamped to the chunk.
pub fn place(chunk: &Chunk, kept: Vec<Candidate>) -> Vec<PlacedSegment> {
    let length = chunk.duration_ms();
    let at = |ms: u64| chunk.absolute_ms(ms.min(length));
    kept.into_iter()
        .filter(|c| !c.words.is_empty())
        .map(|mut c| {
            move_words_out_of_pauses(&mut c.words, &chunk.speech);
            let words: Vec<PlacedWord> = c
                .words
                .into_iter()
                .map(|w| {
                    let (start, end) = snap_to_speech(w.start_ms.min(length), w.end_ms.min(length), &chunk.speech);
                    PlacedWord { text: w.text, start_ms: at(start), end_ms: at(end.max(start)) }
                })
                .collect();
            let first = words.first().map_or(0, |w| w.start_ms);
            let last = words.last().map_or(0, |w| w.end_ms);
            PlacedSegment { start_ms: at(c.start_ms).min(first), end_ms: at(c.end_ms).max(last), words }
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

    fn seg(words: &[(&str, u64, u64)]) -> PlacedSegment {
        PlacedSegment {
            start_ms: words[0].1,
            end_ms: words[words.len() - 1].2,
            words: words.iter().map(|(t, s, e)| PlacedWord { text: t.to_string(), start_ms: *s, end_ms: *e }).collect(),
        }
    }

    #[test]
    fn places_chunk_times_on_the_timeline() {
        let chunk = Chunk {
            index: 3,
            start_sample: 16_000 * 60,
            samples: vec![0.0; 16_000 * 5],
            speech: vec![(0, 5_000)],
            pieces: Vec::new(),
        };
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
    fn words_in_a_pause_join_the_speech_their_segment_continues_on() {
        let word = |t: &str, s, e| TimedWord { text: t.into(), start_ms: s, end_ms: e, probability: 0.9 };
        let speech = [(0, 1_000), (3_000, 5_000)];
        // A sentence after the pause whose first words Whisper put in the pause.
        let mut w = vec![word("For", 1_500, 1_800), word("this", 1_900, 2_500), word("reason", 3_000, 3_600)];
        move_words_out_of_pauses(&mut w, &speech);
        let times: Vec<(u64, u64)> = w.iter().map(|w| (w.start_ms, w.end_ms)).collect();
        assert_eq!(times, vec![(3_000, 3_300), (3_400, 4_000), (4_000, 4_200)]);
        // A sentence before the pause whose last word ran into it.
        let mut w = vec![word("hard", 600, 900), word("see.", 1_400, 1_900)];
        move_words_out_of_pauses(&mut w, &speech);
        assert_eq!((w[1].start_ms, w[1].end_ms), (900, 1_000));
        assert_eq!((w[0].start_ms, w[0].end_ms), (600, 900));
        // Words in speech stay put.
        let mut w = vec![word("a", 100, 400), word("b", 3_100, 3_400)];
        move_words_out_of_pauses(&mut w, &speech);
        assert_eq!((w[1].start_ms, w[1].end_ms), (3_100, 3_400));
    }

    #[test]
    fn words_are_moved_off_pauses() {
        let speech = [(0, 1_000), (3_000, 4_000)];
        let cases = [
            ((500, 2_400), (500, 1_000)),     // runs on into the pause
            ((2_200, 3_500), (3_000, 3_500)), // starts early in the pause
            ((800, 3_200), (800, 3_200)),     // spans the pause: both ends in speech
            ((1_500, 2_000), (1_500, 2_000)), // wholly in the pause: left alone
        ];
        for ((s, e), expected) in cases {
            assert_eq!(snap_to_speech(s, e, &speech), expected, "{s}-{e}");
        }
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
