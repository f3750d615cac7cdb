//! What a search asks for.

use crate::DocKind;

/// Largest number of hits one search returns.
pub const MAX_LIMIT: usize = 1000;

/// Restrictions on which documents match, each an exact (case-insensitive)
/// match on a label; `None` means no restriction.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Filters {
    /// Thematic track.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<String>,
    /// Finding kind (`recommendation`, ...); only findings have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Speaker name, as written in the transcript (case aside).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Session id (exact, case-sensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// Session type (`workshop`, ...).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub session_type: Option<String>,
    /// Only sessions, segments or findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<DocKind>,
}

impl Filters {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// A search: query text, filters, and which page of hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// Query text: words (all must match), `"phrases"`, `AND`/`OR`/`NOT`,
    /// `field:value` (`speaker:silva`, `track:data`). Blank matches everything
    /// the filters allow.
    pub query: String,
    /// Restrictions.
    pub filters: Filters,
    /// Hits to return (at most [`MAX_LIMIT`]).
    pub limit: usize,
    /// Hits to skip (for pages).
    pub offset: usize,
    /// Accept query text with syntax errors (unbalanced quotes, a stray
    /// `AND`) by reading what can be read, with warnings; for search boxes.
    pub lenient: bool,
    /// Longest snippet, in characters.
    pub snippet_chars: usize,
}

impl SearchRequest {
    /// A request for the first 20 hits of `query`, strict syntax.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            filters: Filters::default(),
            limit: 20,
            offset: 0,
            lenient: false,
            snippet_chars: 200,
        }
    }

    /// The same request with `filters`.
    pub fn with_filters(mut self, filters: Filters) -> Self {
        self.filters = filters;
        self
    }

    /// The same request returning at most `limit` hits.
    pub fn with_limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }
}
