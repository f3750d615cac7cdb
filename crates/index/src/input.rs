//! What gets indexed: transcripts (from `rapporteur-core`) and findings, read
//! from the JSON files `rapporteur captions` and `rapporteur extract` write.

use std::path::Path;

use rapporteur_core::{Session, Source, Time, Transcript};
use serde::Deserialize;

use crate::IndexError;

/// One finding as the extraction stage writes it. Only the fields search
/// needs are read; others (explanations, confidences) are ignored, so that the
/// index keeps working as the extraction format grows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FindingInput {
    /// `takeaway`, `recommendation`, `call_to_action`, ...
    pub kind: String,
    /// The cleaned text.
    pub text: String,
    /// The words exactly as said or written.
    #[serde(default)]
    pub quote: String,
    /// The session id (the file's session when empty).
    #[serde(default)]
    pub session: String,
    /// Who said it.
    #[serde(default)]
    pub speaker: Option<String>,
    /// Start of the quote.
    #[serde(default)]
    pub start: Option<Time>,
    /// End of the quote.
    #[serde(default)]
    pub end: Option<Time>,
    /// The rule that produced it.
    #[serde(default)]
    pub rule: String,
    /// Track assigned to it.
    #[serde(default)]
    pub track: Option<String>,
    /// The rule's confidence, 0 to 1.
    #[serde(default)]
    pub score: f64,
    /// Captions, ASR or report.
    #[serde(default = "default_source")]
    pub source: Source,
}

fn default_source() -> Source {
    Source::Caption
}

/// A session's findings file: `{"session": {...}, "findings": [...]}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FindingsInput {
    /// The session.
    pub session: Session,
    /// The session's track, when one was assigned.
    #[serde(default)]
    pub track: Option<String>,
    /// The findings, in order.
    pub findings: Vec<FindingInput>,
}

/// A JSON file in a folder given to `rapporteur index`.
#[derive(Debug, Clone, PartialEq)]
pub enum IndexInput {
    /// A transcript: `{"session": ..., "segments": [...]}`.
    Transcript(Transcript),
    /// Findings: `{"session": ..., "findings": [...]}`.
    Findings(FindingsInput),
}

impl IndexInput {
    /// The session the input belongs to.
    pub fn session_id(&self) -> &str {
        match self {
            IndexInput::Transcript(t) => &t.session.id,
            IndexInput::Findings(f) => &f.session.id,
        }
    }
}

/// Reads a JSON file and tells a transcript from findings by its keys.
/// `Ok(None)` for JSON that is neither (run reports, caches), so that a
/// whole output folder can be given.
pub fn read_json_file(path: &Path) -> Result<Option<IndexInput>, IndexError> {
    let text = std::fs::read_to_string(path).map_err(|source| IndexError::Io { path: path.into(), source })?;
    read_json_str(&text, path)
}

/// As [`read_json_file`], for text already read (`path` names it in errors).
pub fn read_json_str(text: &str, path: &Path) -> Result<Option<IndexInput>, IndexError> {
    let json_error = |e: serde_json::Error| IndexError::Json {
        path: path.into(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(json_error)?;
    let Some(object) = value.as_object() else { return Ok(None) };
    if !object.contains_key("session") {
        return Ok(None);
    }
    let input = if object.contains_key("segments") {
        // Parse the text again rather than the value, so errors keep their line.
        IndexInput::Transcript(serde_json::from_str(text).map_err(json_error)?)
    } else if object.contains_key("findings") {
        IndexInput::Findings(serde_json::from_str(text).map_err(json_error)?)
    } else {
        return Ok(None);
    };
    if !Session::is_valid_id(input.session_id()) {
        return Err(IndexError::BadInput {
            what: format!(
                "{}: session id `{}` is not valid: use 1 to 128 characters from A-Z a-z 0-9 - _ . (not starting with a dot)",
                path.display(),
                input.session_id()
            ),
        });
    }
    Ok(Some(input))
}
