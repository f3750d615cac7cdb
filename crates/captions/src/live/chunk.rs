//! What goes into a live session (chunks) and what comes out (events).

use rapporteur_core::{Diagnostic, Segment, Time};
use serde::Serialize;

/// The language tag used for chunks that name none (BCP 47 "undetermined").
pub const UNDETERMINED_LANG: &str = "und";

/// A piece of a live caption feed, as one POST delivers it.
///
/// `text` is a slice of a character stream, not a message: a chunk may end in
/// the middle of a word, and `\x08` (backspace) deletes one character received
/// before it, in this chunk or an earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Zoom's `seq` (or StreamText's counter): chunks are applied in this
    /// order, and a repeated `seq` is a retry, applied once. `None` for feeds
    /// without numbers: applied in arrival order.
    pub seq: Option<u64>,
    /// Language of the feed (`en-US`); each language is a stream of its own.
    /// An empty tag is read as [`UNDETERMINED_LANG`].
    pub lang: String,
    /// The characters, UTF-8.
    pub text: String,
    /// When the chunk arrived, on the session's timeline.
    pub arrival: Time,
}

impl Chunk {
    /// A numbered chunk.
    pub fn numbered(seq: u64, lang: impl Into<String>, text: impl Into<String>, arrival: Time) -> Self {
        Chunk { seq: Some(seq), lang: lang.into(), text: text.into(), arrival }
    }

    /// A chunk without a number (applied in arrival order).
    pub fn unnumbered(lang: impl Into<String>, text: impl Into<String>, arrival: Time) -> Self {
        Chunk { seq: None, lang: lang.into(), text: text.into(), arrival }
    }

    /// The language tag, with an empty one read as [`UNDETERMINED_LANG`].
    pub fn lang_or_und(&self) -> &str {
        let lang = self.lang.trim();
        if lang.is_empty() {
            UNDETERMINED_LANG
        } else {
            lang
        }
    }
}

/// What a live session reports: a finished segment, or a warning about the feed.
///
/// Serialised with an `event` tag, ready for a server-sent-events stream:
/// `{"event":"segment","lang":"en-US","segment":{...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A segment is complete: it will not change any more.
    Segment {
        /// The language stream it belongs to.
        lang: String,
        /// The segment (`source: caption`, `timing: exact`, times = arrival times).
        segment: Segment,
    },
    /// Something in the feed was skipped, reordered or could not be applied.
    Diagnostic {
        /// The language stream concerned, when there is one (a gap in a
        /// session-wide `seq` counter belongs to no language).
        lang: Option<String>,
        /// The warning; its message names the `seq` and arrival time.
        diagnostic: Diagnostic,
    },
}

impl Event {
    /// The segment, if this event is one.
    pub fn segment(&self) -> Option<&Segment> {
        match self {
            Event::Segment { segment, .. } => Some(segment),
            Event::Diagnostic { .. } => None,
        }
    }

    /// The diagnostic, if this event is one.
    pub fn diagnostic(&self) -> Option<&Diagnostic> {
        match self {
            Event::Diagnostic { diagnostic, .. } => Some(diagnostic),
            Event::Segment { .. } => None,
        }
    }

    pub(crate) fn warning(lang: Option<&str>, message: String) -> Self {
        Event::Diagnostic { lang: lang.map(str::to_string), diagnostic: Diagnostic::warning(None, message) }
    }
}
