//! The draft as data: tracks, policy questions, messages and their sources.
//! The JSON output is this structure; Markdown, HTML and DOCX render it.

use rapporteur_core::{Source, Time};
use serde::{Deserialize, Serialize};

use crate::embed::BackendInfo;

/// A draft of the IGF Messages of a meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// "Draft IGF Messages", with the meeting's name when known.
    pub title: String,
    /// The meeting, from the tracks file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<String>,
    /// The vectors used to group findings.
    pub embeddings: BackendInfo,
    /// Things a reader of the draft should know (fallbacks, skipped inputs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Messages per track, in the tracks file's order.
    pub tracks: Vec<TrackMessages>,
    /// Size, coverage and redundancy.
    pub metrics: Metrics,
}

/// The messages of one thematic track.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackMessages {
    /// The track's label (or "Unassigned" for findings without a track).
    pub track: String,
    /// The track's description, from the tracks file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Findings of the track that were considered.
    pub findings: usize,
    /// Sessions that contributed findings to the track.
    pub sessions: usize,
    /// Messages grouped by policy question (one group without a question when
    /// the track has none).
    pub groups: Vec<MessageGroup>,
}

/// Messages under one policy question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageGroup {
    /// The policy question, or none for messages that answer none of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_question: Option<String>,
    /// The messages, best first.
    pub messages: Vec<Message>,
}

/// One draft message and the evidence behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Stable id within the draft: track slug and rank (`inclusion-1`).
    pub id: String,
    /// The statement.
    pub text: String,
    /// The strongest kind among the supporting findings.
    pub kind: String,
    /// Ranking score, 0 to 1.
    pub score: f64,
    /// Distinct sessions that made the point.
    pub sessions: usize,
    /// Distinct speakers (a report counts as one).
    pub speakers: usize,
    /// Every supporting finding; those the text was drawn from first.
    pub sources: Vec<SourceRef>,
}

/// A finding behind a message: where and by whom it was said, verbatim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    /// The session's id.
    pub session: String,
    /// The session's title, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_title: Option<String>,
    /// Who said it, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Start of the quote (none for reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Time>,
    /// End of the quote (none for reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Time>,
    /// The exact words.
    pub quote: String,
    /// The finding's kind.
    pub kind: String,
    /// Transcript or report.
    pub source: Source,
    /// The rule that found it.
    pub rule: String,
    /// Whether the message's text was drawn from this finding.
    pub used: bool,
}

impl SourceRef {
    /// "session, speaker, hh:mm:ss" (or "session, session report").
    pub fn citation(&self) -> String {
        let session = match &self.session_title {
            Some(title) => format!("{} ({})", title, self.session),
            None => self.session.clone(),
        };
        match (&self.speaker, self.start, self.source) {
            (_, None, Source::Report) => format!("{session}, session report"),
            (Some(who), Some(t), _) => format!("{session}, {who}, {}", t.to_clock()),
            (None, Some(t), _) => format!("{session}, {}", t.to_clock()),
            (Some(who), None, _) => format!("{session}, {who}"),
            (None, None, _) => session,
        }
    }
}

/// How much of the meeting the draft covers, and how repetitive it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Sessions in the input (with or without findings).
    pub sessions: usize,
    /// Findings in the input.
    pub findings: usize,
    /// Messages drafted.
    pub messages: usize,
    /// Sessions with at least one finding behind a message.
    pub sessions_cited: usize,
    /// `sessions_cited / sessions`.
    pub coverage: f64,
    /// Highest similarity between two messages (0 with fewer than two).
    pub redundancy: f64,
}

impl Draft {
    /// Every message, track by track.
    pub fn messages(&self) -> impl Iterator<Item = &Message> {
        self.tracks.iter().flat_map(|t| t.groups.iter().flat_map(|g| g.messages.iter()))
    }

    /// Indented JSON.
    pub fn to_json_pretty(&self) -> String {
        // Plain data with string keys and finite numbers: serialising cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
