//! The per-session stages.

mod extract;
mod transcript;

pub use extract::ExtractStage;
pub use transcript::TranscriptStage;
