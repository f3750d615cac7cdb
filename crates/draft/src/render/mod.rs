//! The draft as documents: Markdown, HTML, JSON and DOCX, all from one
//! [`Draft`](crate::Draft), with each message's sources as footnotes.

mod docx;
mod html;
mod markdown;

pub use docx::to_docx;
pub use html::to_html;
pub use markdown::to_markdown;

use crate::messages::{Draft, Message, SourceRef};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Markdown with footnotes.
    Markdown,
    /// A standalone HTML page.
    Html,
    /// The draft as JSON.
    Json,
    /// A Word document with real footnotes.
    Docx,
}

impl Format {
    /// The format named `md`, `html`, `json` or `docx`.
    pub fn from_name(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "json" => Some(Format::Json),
            "docx" | "word" => Some(Format::Docx),
            _ => None,
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
            Format::Docx => "docx",
        }
    }
}

/// The document in `format`, as bytes.
pub fn render(draft: &Draft, format: Format) -> crate::Result<Vec<u8>> {
    Ok(match format {
        Format::Markdown => to_markdown(draft).into_bytes(),
        Format::Html => to_html(draft).into_bytes(),
        Format::Json => (draft.to_json_pretty() + "\n").into_bytes(),
        Format::Docx => to_docx(draft)?,
    })
}

/// The line under the title: what the draft was made from and how.
pub(crate) fn preamble(draft: &Draft) -> String {
    let m = &draft.metrics;
    format!(
        "Drafted by rapporteur from {} findings of {} sessions ({} messages; {} sessions cited, coverage {:.0}%; highest similarity between two messages {:.2}). Grouped with {} vectors. Every message lists the findings behind it; check and edit before publishing.",
        m.findings,
        m.sessions,
        m.messages,
        m.sessions_cited,
        m.coverage * 100.0,
        m.redundancy,
        if draft.embeddings.name == "tfidf" { "TF-IDF".to_string() } else { format!("{} sentence", draft.embeddings.name) },
    )
}

/// The footnote of a message: the findings its text was drawn from, with
/// their quotes, then the other sessions that made the point.
pub(crate) fn footnote_parts(message: &Message) -> (Vec<(String, String)>, Vec<String>) {
    let used: Vec<(String, String)> =
        message.sources.iter().filter(|s| s.used).map(|s| (s.citation(), one_line(&s.quote))).collect();
    let also: Vec<String> = message.sources.iter().filter(|s| !s.used).map(SourceRef::citation).collect();
    (used, also)
}

/// "3 sessions, 4 speakers" (singular for one).
pub(crate) fn support(message: &Message) -> String {
    let plural = |n: usize, word: &str| if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") };
    format!("{}, {}", plural(message.sessions, "session"), plural(message.speakers, "speaker"))
}

pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
