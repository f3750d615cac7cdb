//! The per-session stages.

mod transcript;

pub use transcript::TranscriptStage;
