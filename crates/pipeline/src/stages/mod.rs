//! The per-session stages, and the meeting stages that follow them.

mod align;
mod asr;
mod drafts;
mod extract;
mod index;
mod transcript;
mod whisper;

pub use align::AlignStage;
pub use asr::AsrStage;
pub use drafts::{DraftStage, DRAFTS_DIR};
pub use extract::ExtractStage;
pub use index::{read_state, write_state, IndexStage, INDEX_DIR, INDEX_STATE_FILE};
pub use transcript::TranscriptStage;
pub use whisper::Whisper;
