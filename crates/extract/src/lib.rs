//! Key takeaways, policy recommendations and calls to action from session
//! transcripts and organisers' reports.
#![deny(missing_docs)]

pub mod finding;
pub mod text;

pub use finding::{kinds, Explain, Finding, SessionFindings};
