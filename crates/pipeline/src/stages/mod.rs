//! The per-session stages.

mod asr;
mod extract;
mod transcript;

pub use asr::AsrStage;
pub use extract::ExtractStage;
pub use transcript::TranscriptStage;
