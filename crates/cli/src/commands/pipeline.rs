//! The stages `rapporteur run` and `rapporteur merge` use, assembled once.

use rapporteur_pipeline::stages::TranscriptStage;
use rapporteur_pipeline::Pipeline;

/// Options that shape the stages.
#[derive(Debug, Clone)]
pub struct StageOptions {
    /// Speaking rate for text without times, words per minute.
    pub speaking_rate: f64,
}

/// The full pipeline with every stage this build has.
pub fn build(options: &StageOptions) -> Pipeline {
    Pipeline::new().stage(TranscriptStage { speaking_rate_wpm: options.speaking_rate, ..TranscriptStage::default() })
}
