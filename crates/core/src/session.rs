//! What a session is: the metadata every stage carries along.

use serde::{Deserialize, Serialize};

/// One IGF session (a workshop, an open forum, a main session, ...).
///
/// Only `id` is required; everything else is filled in from session metadata
/// (`session.toml`, an upload form) when it is known. Unknown fields are kept
/// out of the JSON (`skip_serializing_if`) so that files stay small and stable.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// Stable identifier, safe in file names and URLs (for example `ws-123`).
    pub id: String,
    /// Title as published in the programme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Session type: `workshop`, `main session`, `open forum`, `dynamic coalition`, ...
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub session_type: Option<String>,
    /// Thematic track labels declared by the organisers (a session may have several).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tracks: Vec<String>,
    /// Room or virtual room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
    /// Date, ISO 8601 (`2020-11-12`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Start time of day, `HH:MM` (UTC unless the meeting says otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Main language, BCP 47 (`en`, `es`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Listed speakers, moderators and organisers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<Speaker>,
}

impl Session {
    /// A session with only an id.
    pub fn new(id: impl Into<String>) -> Self {
        Session { id: id.into(), ..Session::default() }
    }

    /// Whether `id` is safe as a file name and a URL path segment: 1 to 128
    /// characters from `A-Z a-z 0-9 - _ .`, not starting with a dot.
    pub fn is_valid_id(id: &str) -> bool {
        !id.is_empty()
            && id.len() <= 128
            && !id.starts_with('.')
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    }

    /// An id derived from arbitrary text (a file stem, a title): lower case,
    /// runs of other characters replaced by `-`, at most 128 characters.
    pub fn id_from(text: &str) -> String {
        let mut id = String::new();
        for c in text.chars() {
            if c.is_ascii_alphanumeric() || c == '_' {
                id.push(c.to_ascii_lowercase());
            } else if !id.ends_with('-') && !id.is_empty() {
                id.push('-');
            }
        }
        let mut id = id.trim_end_matches('-').to_string();
        id.truncate(128);
        if id.is_empty() {
            id.push_str("session");
        }
        id
    }
}

/// A person listed for a session.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    /// Name as it should appear in transcripts.
    pub name: String,
    /// Role in the session: `moderator`, `speaker`, `rapporteur`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// Stakeholder group: government, private sector, civil society, technical community, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stakeholder: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(Session::is_valid_id("ws-123_a.b"));
        assert!(!Session::is_valid_id("../etc"));
        assert!(!Session::is_valid_id("a/b"));
        assert!(!Session::is_valid_id(""));
        assert_eq!(Session::id_from("IGF 2020 - WS #999: Title!"), "igf-2020-ws-999-title");
        assert_eq!(Session::id_from("///"), "session");
    }
}
