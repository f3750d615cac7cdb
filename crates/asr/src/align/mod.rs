//! Human captions on a recording's timeline.
//!
//! Captions written by a person (CART) have better words than Whisper but no
//! times, or times from another clock. [`align`] puts them on the
//! recording's timeline: the words of both sides are normalised
//! ([`tokens`]), aligned globally in linear memory ([`sequence`]), the
//! trustworthy pairs kept ([`anchors`]), and every caption word takes the
//! time of the ASR word it is tied to; words in between are spread over the
//! time between their neighbours ([`timing`]). The captioner's text and
//! speakers are kept; segments are marked `timing: aligned`.
//!
//! ```
//! use rapporteur_asr::align::{align, AlignOptions};
//! use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript, Word};
//!
//! let mut captions = Transcript::new(Session::new("ws-1"));
//! captions.segments.push(Segment::new(
//!     Time::ZERO, Time::ZERO, Some("CHAIR".into()), "Welcome to the Internet Governance Forum.",
//!     Source::Caption, Timing::Estimated,
//! ));
//! // What Whisper heard, with its times (ms).
//! let heard = [("Welcome", 5_000, 5_400), ("to", 5_400, 5_500), ("the", 5_500, 5_600),
//!              ("internet", 5_600, 6_000), ("governments", 6_000, 6_600), ("forum.", 6_600, 7_000)];
//! let asr: Vec<Word> = heard.iter()
//!     .map(|&(t, s, e)| Word { text: t.into(), start: Time::from_millis(s), end: Time::from_millis(e) })
//!     .collect();
//! let aligned = align(&captions, &asr, &AlignOptions::default()).unwrap();
//! let segment = &aligned.transcript.segments[0];
//! assert_eq!((segment.start, segment.end), (Time::from_millis(5_000), Time::from_millis(7_000)));
//! assert_eq!(segment.timing, Timing::Aligned);
//! assert_eq!(segment.text, "Welcome to the Internet Governance Forum.");
//! ```

pub mod anchors;
pub mod sequence;
pub mod timing;
pub mod tokens;

#[cfg(test)]
mod tests;

/// Changes when the same captions and recognised words would be aligned to
/// other times (new normalisation, anchors or timing), so that aligned
/// transcripts cached by the pipeline are redone by a new build.
pub const ALIGNMENT_REVISION: u32 = 1;

use rapporteur_core::{Segment, Source, Time, Timing, Transcript, Word};

use anchors::AnchorKind;
use timing::{TimedSlot, WordTiming};
use tokens::{is_annotation, Token, Vocabulary};

/// Why captions could not be aligned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlignError {
    /// The captions hold no words.
    #[error("the captions hold no words to align")]
    NoCaptionWords,
    /// The recording gave no words.
    #[error("no speech was recognised in the recording, so there is nothing to align the captions to")]
    NoSpeech,
    /// No word of the captions was found in the recording.
    #[error(
        "none of the {caption_words} caption words was found among the {asr_words} words recognised in the recording: \
         are they the same session?"
    )]
    NothingInCommon {
        /// Caption words.
        caption_words: usize,
        /// Words recognised.
        asr_words: usize,
    },
}

/// How to align.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignOptions {
    /// Milliseconds per character (plus one for the space) for words placed
    /// beyond the first or last matched word: 65 ms is about 150 words a minute.
    pub ms_per_char: u64,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions { ms_per_char: 65 }
    }
}

/// How well the captions and the recording agreed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlignStats {
    /// Words in the captions.
    pub caption_words: usize,
    /// Words recognised in the recording.
    pub asr_words: usize,
    /// Caption words timed by a recognised word (the same, or a spelling variant).
    pub matched: usize,
    /// Caption words timed by a different word recognised in their place.
    pub substituted: usize,
    /// Caption words timed by interpolation between their neighbours.
    pub interpolated: usize,
    /// Matched tokens ignored as stray (equal words far from where the rest aligns).
    pub stray: usize,
    /// Segments with at least one word timed by the recording (`timing: aligned`).
    pub aligned_segments: usize,
    /// Segments whose words were all interpolated (`timing: estimated`).
    pub estimated_segments: usize,
}

impl AlignStats {
    /// The share of caption words tied to the recording (matched or substituted).
    pub fn coverage(&self) -> f64 {
        if self.caption_words == 0 {
            0.0
        } else {
            (self.matched + self.substituted) as f64 / self.caption_words as f64
        }
    }
}

/// Captions on the recording's timeline.
#[derive(Debug, Clone)]
pub struct Aligned {
    /// The captions, retimed: same text and speakers, word times filled.
    pub transcript: Transcript,
    /// How it went.
    pub stats: AlignStats,
}

/// The words of an ASR transcript in order; a segment without word times
/// has its text spread evenly over its span.
pub fn asr_words(transcript: &Transcript) -> Vec<Word> {
    let mut words = Vec::new();
    for segment in &transcript.segments {
        match &segment.words {
            Some(w) if !w.is_empty() => words.extend(w.iter().cloned()),
            _ => {
                let texts: Vec<&str> = segment.text.split_whitespace().collect();
                let span = segment.duration_millis();
                let n = texts.len().max(1) as u64;
                for (k, text) in texts.iter().enumerate() {
                    let k = k as u64;
                    words.push(Word {
                        start: segment.start.add_millis(span * k / n),
                        end: segment.start.add_millis(span * (k + 1) / n),
                        text: (*text).to_string(),
                    });
                }
            }
        }
    }
    words
}

/// Aligns `captions` to the words recognised in the recording (`asr`, in
/// time order) and returns the captions with the recording's times.
pub fn align(captions: &Transcript, asr: &[Word], options: &AlignOptions) -> Result<Aligned, AlignError> {
    // Caption words (written, with punctuation) and the segment each is in.
    let mut written: Vec<(&str, usize)> = Vec::new();
    for (s, segment) in captions.segments.iter().enumerate() {
        written.extend(segment.text.split_whitespace().map(|w| (w, s)));
    }
    let mut vocabulary = Vocabulary::default();
    let mut caption_tokens: Vec<Token> = Vec::new();
    let mut depth = 0;
    let mut last_segment = usize::MAX;
    for (i, &(word, segment)) in written.iter().enumerate() {
        if segment != last_segment {
            // An unclosed bracket does not run into the next segment.
            depth = 0;
            last_segment = segment;
        }
        if !is_annotation(word, &mut depth) {
            vocabulary.push_tokens(word, i, &mut caption_tokens);
        }
    }
    let mut asr_tokens: Vec<Token> = Vec::new();
    for (j, word) in asr.iter().enumerate() {
        vocabulary.push_tokens(&word.text, j, &mut asr_tokens);
    }
    if caption_tokens.is_empty() {
        return Err(AlignError::NoCaptionWords);
    }
    if asr_tokens.is_empty() {
        return Err(AlignError::NoSpeech);
    }

    let steps = sequence::align(&caption_tokens, &asr_tokens);
    let found = anchors::anchors(&steps);
    if found.anchors.is_empty() {
        return Err(AlignError::NothingInCommon { caption_words: written.len(), asr_words: asr.len() });
    }

    // Each caption word's slot: the span of the ASR words its tokens are tied to.
    let mut slots: Vec<Option<TimedSlot>> = vec![None; written.len()];
    for anchor in &found.anchors {
        let word = caption_tokens[anchor.caption].owner;
        let heard = asr_tokens[anchor.asr].owner;
        let (start, end) = (asr[heard].start.as_millis(), asr[heard].end.as_millis());
        let slot = slots[word].get_or_insert(TimedSlot {
            start_ms: start,
            end_ms: end,
            asr_first: heard,
            asr_last: heard,
            kind: anchor.kind,
        });
        slot.start_ms = slot.start_ms.min(start);
        slot.end_ms = slot.end_ms.max(end);
        slot.asr_first = slot.asr_first.min(heard);
        slot.asr_last = slot.asr_last.max(heard);
        if anchor.kind == AnchorKind::Matched {
            slot.kind = AnchorKind::Matched;
        }
    }
    let shapes: Vec<(usize, usize)> = written.iter().map(|&(w, s)| (w.chars().count(), s)).collect();
    let times = timing::word_times(&slots, &shapes, asr, options.ms_per_char);

    let mut stats =
        AlignStats { caption_words: written.len(), asr_words: asr.len(), stray: found.stray, ..AlignStats::default() };
    for t in &times {
        match t.how {
            WordTiming::Anchored(AnchorKind::Matched) => stats.matched += 1,
            WordTiming::Anchored(AnchorKind::Substituted) => stats.substituted += 1,
            WordTiming::Interpolated => stats.interpolated += 1,
        }
    }

    let mut transcript = Transcript::new(captions.session.clone());
    let mut next = 0;
    let mut previous_end = Time::ZERO;
    for (s, segment) in captions.segments.iter().enumerate() {
        let mut words = Vec::new();
        let mut anchored = false;
        while next < written.len() && written[next].1 == s {
            let t = &times[next];
            anchored |= matches!(t.how, WordTiming::Anchored(_));
            words.push(Word {
                start: Time::from_millis(t.start_ms),
                end: Time::from_millis(t.end_ms),
                text: written[next].0.to_string(),
            });
            next += 1;
        }
        let (start, end) = match (words.first(), words.last()) {
            (Some(first), Some(last)) => (first.start, last.end),
            _ => (previous_end, previous_end),
        };
        previous_end = end;
        if anchored {
            stats.aligned_segments += 1;
        } else {
            stats.estimated_segments += 1;
        }
        transcript.segments.push(Segment {
            start,
            end,
            speaker: segment.speaker.clone(),
            text: segment.text.clone(),
            source: Source::Caption,
            timing: if anchored { Timing::Aligned } else { Timing::Estimated },
            words: (!words.is_empty()).then_some(words),
        });
    }
    Ok(Aligned { transcript, stats })
}
