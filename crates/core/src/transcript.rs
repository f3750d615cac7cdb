//! A session and what was said in it, and its JSON form.

use serde::{Deserialize, Serialize};

use crate::{Segment, Session};

/// A session's transcript: its metadata and its segments in time order.
///
/// The JSON form (`{"session": {...}, "segments": [...]}`) is a stable
/// interface: later stages, the server and outside tools read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transcript {
    /// The session.
    pub session: Session,
    /// What was said, ordered by start time.
    pub segments: Vec<Segment>,
}

/// A transcript's JSON could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("transcript JSON, line {line}, column {column}: {message}")]
pub struct TranscriptJsonError {
    /// 1-based line of the problem (0 when writing).
    pub line: usize,
    /// 1-based column of the problem (0 when writing).
    pub column: usize,
    /// What serde_json reported.
    pub message: String,
}

impl From<serde_json::Error> for TranscriptJsonError {
    fn from(e: serde_json::Error) -> Self {
        TranscriptJsonError { line: e.line(), column: e.column(), message: e.to_string() }
    }
}

impl Transcript {
    /// A transcript with no segments yet.
    pub fn new(session: Session) -> Self {
        Transcript { session, segments: Vec::new() }
    }

    /// Compact JSON.
    pub fn to_json_string(&self) -> Result<String, TranscriptJsonError> {
        Ok(serde_json::to_string(self)?)
    }

    /// Indented JSON, one field per line, for files people diff.
    pub fn to_json_string_pretty(&self) -> Result<String, TranscriptJsonError> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// Reads transcript JSON.
    pub fn from_json_str(json: &str) -> Result<Self, TranscriptJsonError> {
        Ok(serde_json::from_str(json)?)
    }

    /// Distinct speakers in order of first appearance.
    pub fn speakers(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for s in self.segments.iter().filter_map(|s| s.speaker.as_deref()) {
            if !seen.contains(&s) {
                seen.push(s);
            }
        }
        seen
    }

    /// Total number of words.
    pub fn word_count(&self) -> usize {
        self.segments.iter().map(Segment::word_count).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Source, Time, Timing};

    #[test]
    fn json_shape_is_stable() {
        let mut t = Transcript::new(Session { title: Some("T".into()), ..Session::new("ws-1") });
        t.segments.push(Segment::new(
            Time::from_millis(12_340),
            Time::from_millis(15_200),
            None,
            "Hello.",
            Source::Caption,
            Timing::Estimated,
        ));
        assert_eq!(
            t.to_json_string().unwrap(),
            r#"{"session":{"id":"ws-1","title":"T"},"segments":[{"start":12.34,"end":15.2,"speaker":null,"text":"Hello.","source":"caption","timing":"estimated"}]}"#
        );
    }

    #[test]
    fn bad_json_names_position() {
        let err = Transcript::from_json_str("{\n  \"session\": 3\n}").unwrap_err();
        assert_eq!(err.line, 2);
    }
}
