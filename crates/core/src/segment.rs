//! One stretch of speech: who, when, what, and how we know.

use serde::{Deserialize, Serialize};

use crate::Time;

/// Where a segment's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A human captioner (CART) or a caption file.
    Caption,
    /// Automatic speech recognition.
    Asr,
    /// An organisers' session report.
    Report,
}

/// How trustworthy a segment's times are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    /// Measured: cue times from a timed caption file, ASR timestamps, live arrival times.
    Exact,
    /// Guessed from word counts at a speaking rate (text that had no times).
    Estimated,
    /// Caption text placed on a recording's timeline by alignment with ASR.
    Aligned,
}

/// One word with its own times (from ASR or alignment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Word {
    /// Start of the word.
    pub start: Time,
    /// End of the word.
    pub end: Time,
    /// The word as written, with its punctuation.
    pub text: String,
}

/// A stretch of a transcript: one cue, one paragraph or one speaker turn.
///
/// Non-speech annotations from captioners (`(off microphone)`, `(inaudible)`)
/// stay in `text`, in parentheses, where a reader of captions expects them;
/// the extraction stage strips them before matching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    /// Start on the session's timeline.
    pub start: Time,
    /// End on the session's timeline (never before `start`).
    pub end: Time,
    /// Who spoke, when known.
    pub speaker: Option<String>,
    /// What was said, on one line, single-spaced.
    pub text: String,
    /// Where the text comes from.
    pub source: Source,
    /// How the times were obtained.
    pub timing: Timing,
    /// Word times, when the source has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<Word>>,
}

impl Segment {
    /// A segment without word times.
    pub fn new(
        start: Time,
        end: Time,
        speaker: Option<String>,
        text: impl Into<String>,
        source: Source,
        timing: Timing,
    ) -> Self {
        Segment { start, end, speaker, text: text.into(), source, timing, words: None }
    }

    /// Duration in milliseconds.
    pub fn duration_millis(&self) -> u64 {
        self.end.millis_since(self.start)
    }

    /// Number of whitespace-separated words in the text.
    pub fn word_count(&self) -> usize {
        self.text.split_whitespace().count()
    }
}
