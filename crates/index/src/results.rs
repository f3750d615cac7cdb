//! What a search returns.

use rapporteur_core::Time;
use serde::Serialize;

use crate::DocKind;

/// A stretch of a hit's text around the matched words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The text (a fragment of the field, at most the requested length).
    pub text: String,
    /// Byte ranges of `text` that matched the query, in order.
    pub highlights: Vec<[usize; 2]>,
}

impl Snippet {
    /// The snippet as HTML: escaped text with `<mark>` around matches.
    pub fn to_html(&self) -> String {
        let mut html = String::with_capacity(self.text.len() + 16);
        let mut at = 0;
        for &[start, end] in &self.highlights {
            let (Some(before), Some(marked)) = (self.text.get(at..start), self.text.get(start..end)) else {
                continue;
            };
            escape_into(&mut html, before);
            html.push_str("<mark>");
            escape_into(&mut html, marked);
            html.push_str("</mark>");
            at = end;
        }
        escape_into(&mut html, self.text.get(at..).unwrap_or_default());
        html
    }

    /// The snippet with matches between `open` and `close` (`[`, `]` in a terminal).
    pub fn marked(&self, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + 8);
        let mut at = 0;
        for &[start, end] in &self.highlights {
            let (Some(before), Some(marked)) = (self.text.get(at..start), self.text.get(start..end)) else {
                continue;
            };
            out.push_str(before);
            out.push_str(open);
            out.push_str(marked);
            out.push_str(close);
            at = end;
        }
        out.push_str(self.text.get(at..).unwrap_or_default());
        out
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attributes.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// One matching document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Session, segment or finding.
    pub doc: DocKind,
    /// The session id.
    pub session: String,
    /// The session's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Relevance (BM25), higher is better.
    pub score: f32,
    /// Who spoke (segments, findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Start on the session's timeline (segments, timed findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Time>,
    /// End on the session's timeline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<Time>,
    /// Finding kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Tracks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tracks: Vec<String>,
    /// Session type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub session_type: Option<String>,
    /// Room.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
    /// Date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// `caption`, `asr` or `report`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The whole text (segments, findings) or the title (sessions).
    pub text: String,
    /// The text around the matches.
    pub snippet: Snippet,
}

/// How many matching documents have one facet value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The value (`Data`, `recommendation`, a speaker's name).
    pub value: String,
    /// Matching documents with it.
    pub count: u64,
}

/// Counts of the matching documents per facet value, most frequent first
/// (ties by value).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Facets {
    /// Per track.
    pub track: Vec<FacetCount>,
    /// Per session type.
    #[serde(rename = "type")]
    pub session_type: Vec<FacetCount>,
    /// Per finding kind.
    pub kind: Vec<FacetCount>,
    /// Per speaker.
    pub speaker: Vec<FacetCount>,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// The query text.
    pub query: String,
    /// How many documents matched (all pages).
    pub total: usize,
    /// The requested page of hits, best first; equal scores in a fixed order.
    pub hits: Vec<Hit>,
    /// Counts per facet value over all matches.
    pub facets: Facets,
    /// What a lenient search ignored in the query text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}
