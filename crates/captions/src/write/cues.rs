//! Placeholder until cue breaking lands.

use rapporteur_core::{Segment, Time};

use super::WriteOptions;

/// One caption cue: times and up to `max_lines` lines of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// Start.
    pub start: Time,
    /// End.
    pub end: Time,
    /// Lines of text.
    pub lines: Vec<String>,
}

/// Splits a segment into cues.
pub fn split_into_cues(segment: &Segment, _options: &WriteOptions) -> Vec<Cue> {
    vec![Cue { start: segment.start, end: segment.end, lines: vec![segment.text.clone()] }]
}
