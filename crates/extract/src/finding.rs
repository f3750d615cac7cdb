//! What extraction produces: a [`Finding`] is one candidate takeaway,
//! recommendation, call to action, ... with its evidence.

use rapporteur_core::{Diagnostic, Session, Source, Time};
use serde::{Deserialize, Serialize};

/// The kinds the built-in rules and report parser produce. Kinds are an open
/// set (a rules file may invent its own), so findings carry them as strings;
/// these constants only spare typos.
pub mod kinds {
    /// What a session concluded or learned.
    pub const TAKEAWAY: &str = "takeaway";
    /// What should be done, stated as a norm ("governments should ...").
    pub const RECOMMENDATION: &str = "recommendation";
    /// A direct appeal to an audience ("we call on ...", "I urge ...").
    pub const CALL_TO_ACTION: &str = "call_to_action";
    /// What the speaker's organisation undertakes to do.
    pub const COMMITMENT: &str = "commitment";
    /// A risk, worry or problem raised.
    pub const CONCERN: &str = "concern";
    /// A substantive question put to the room.
    pub const QUESTION: &str = "question";
    /// Explicit agreement with someone else's point.
    pub const AGREEMENT: &str = "agreement";
}

/// One candidate takeaway, recommendation, ... with the evidence a rapporteur
/// needs to check it: the exact quote, who said it and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// `takeaway`, `recommendation`, `call_to_action`, ... (see [`kinds`]).
    pub kind: String,
    /// The text cleaned for reading: fillers, repeats, false starts and
    /// captioner annotations removed.
    pub text: String,
    /// The original words, exactly as the transcript or report has them.
    pub quote: String,
    /// The session's id.
    pub session: String,
    /// Who said it (transcripts), when known.
    pub speaker: Option<String>,
    /// Start of the quote on the session's timeline (none for reports).
    pub start: Option<Time>,
    /// End of the quote on the session's timeline (none for reports).
    pub end: Option<Time>,
    /// The rule that produced it (`report:<section>` for report items).
    pub rule: String,
    /// Thematic track, when one could be assigned.
    pub track: Option<String>,
    /// Confidence of the track, 0 to 1 (1 for a track the session declared).
    pub track_confidence: Option<f64>,
    /// How strongly the rule believes in it, 0 to 1.
    pub score: f64,
    /// Where the text comes from: captions, ASR or the organisers' report.
    pub source: Source,
    /// Why it was found (with `--explain`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<Explain>,
}

/// The rule and the span of text that produced a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explain {
    /// The rule's id.
    pub rule: String,
    /// The pattern, word or stem of the rule that matched, as written in the rules file.
    pub pattern: String,
    /// The matched words in the cleaned text.
    pub matched: String,
    /// Byte range of the match in [`Finding::text`].
    pub text_span: [usize; 2],
    /// Byte range of the match in [`Finding::quote`].
    pub quote_span: [usize; 2],
}

/// Everything extraction found in one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionFindings {
    /// The session.
    pub session: Session,
    /// The session's track, when one could be assigned.
    pub track: Option<String>,
    /// Confidence of the session's track, 0 to 1.
    pub track_confidence: Option<f64>,
    /// Findings in time order (report items after transcript findings).
    pub findings: Vec<Finding>,
    /// Warnings about the inputs (a report without a recognisable section, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

impl SessionFindings {
    /// Findings of one kind, in order.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.kind == kind)
    }

    /// Indented JSON, for files people diff.
    pub fn to_json_pretty(&self) -> String {
        // Serialising these types cannot fail: every map key is a string and
        // floats are finite (scores and confidences are clamped to 0..=1).
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
