//! Key takeaways, policy recommendations and calls to action from session
//! transcripts and organisers' reports.
//!
//! * [`text`]: transcripts → speaker turns → sentences that keep their
//!   segment, speaker, times and offsets, cleaned of fillers, repeats, false
//!   starts and captioner annotations (the original quote is kept).
//! * [`rules`]: rules as data (TOML; schema in `RULES.md`), layered built-in →
//!   organisation → meeting, validated with every error at once, compiled
//!   once and matched behind a `RegexSet` prefilter.
//! * [`reports`]: organisers' session reports (Markdown, plain text, HTML) →
//!   findings with `source: report`.
//! * [`tracks`]: thematic tracks from a TOML lexicon, with a confidence.
//! * [`eval`]: precision, recall and F1 per kind against a labelled set.
//! * [`draft`]: the Markdown session-report draft.
//!
//! ```
//! use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript};
//! use rapporteur_extract::{Extractor, RuleSet};
//!
//! let mut transcript = Transcript::new(Session::new("ws-1"));
//! for (s, who, text) in [
//!     (0, "MODERATOR", "Good morning, everyone. Can you hear me?"),
//!     (9, "MS. DIALLO", "Um, I think -- I think governments should invest in community networks."),
//! ] {
//!     let start = Time::from_millis(s * 1000);
//!     transcript.segments.push(Segment::new(start, start.add_millis(8000), Some(who.into()), text, Source::Caption, Timing::Exact));
//! }
//! let extractor = Extractor::new(RuleSet::builtin().unwrap()).with_explain(true);
//! let found = extractor.extract(&transcript);
//! assert_eq!(found.findings.len(), 1);
//! let f = &found.findings[0];
//! assert_eq!(f.kind, "recommendation");
//! assert_eq!(f.text, "I think governments should invest in community networks.");
//! assert_eq!(f.speaker.as_deref(), Some("MS. DIALLO"));
//! assert_eq!(f.explain.as_ref().unwrap().matched, "should");
//! ```
#![deny(missing_docs)]

pub mod draft;
pub mod eval;
mod extractor;
pub mod finding;
pub mod meta;
pub mod reports;
pub mod rules;
pub mod text;
pub mod tracks;

pub use extractor::{Extractor, SessionInput, EXTRACTION_REVISION};
pub use finding::{kinds, Explain, Finding, SessionFindings};
pub use rules::{RuleSet, RuleSource, RulesError};
pub use tracks::Tracks;
