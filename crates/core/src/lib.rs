//! The vocabulary of rapporteur: the types every stage shares.
//!
//! A [`Transcript`] is a [`Session`] (what was held, where, when, by whom) plus a
//! list of [`Segment`]s (who said what, from when to when, and how we know the
//! times). Times are [`Time`] values: whole milliseconds, so that a transcript
//! survives any number of JSON round trips unchanged.
//!
//! This crate has few dependencies on purpose: readers, extractors, indexers
//! and the server all depend on it, and it depends on none of them.
//!
//! ```
//! use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript};
//!
//! let mut transcript = Transcript::new(Session::new("ws-999"));
//! transcript.segments.push(Segment::new(
//!     Time::from_millis(12_340),
//!     Time::from_millis(15_200),
//!     Some("MODERATOR".into()),
//!     "Good morning, everyone.",
//!     Source::Caption,
//!     Timing::Estimated,
//! ));
//! let json = transcript.to_json_string().unwrap();
//! assert!(json.contains(r#""start":12.34"#));
//! assert_eq!(Transcript::from_json_str(&json).unwrap(), transcript);
//! ```
#![deny(missing_docs)]

mod diagnostic;
mod segment;
mod session;
mod time;
mod transcript;

pub use diagnostic::{Diagnostic, Severity};
pub use segment::{Segment, Source, Timing, Word};
pub use session::{Session, Speaker};
pub use time::{Time, TimeParseError};
pub use transcript::{Transcript, TranscriptJsonError};
