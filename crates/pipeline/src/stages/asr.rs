//! Stage 1b: a timed transcript from a recording, when the session has no captions.

use std::sync::Arc;

use rapporteur_asr::audio::AudioStream;
use rapporteur_captions::write::OutputFormat;

use super::transcript::write_formats;
use super::Whisper;
use crate::{PipelineError, SessionInputs, SessionWork, Stage};

/// Transcribes the session's first recording with Whisper when no earlier
/// stage produced a transcript. The model is loaded on first use only, so a
/// meeting whose sessions all have captions never pays for it.
pub struct AsrStage {
    whisper: Arc<Whisper>,
    formats: Vec<OutputFormat>,
}

impl std::fmt::Debug for AsrStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsrStage").field("whisper", &self.whisper).finish()
    }
}

impl AsrStage {
    /// A stage transcribing with `whisper` (shared with the
    /// [`AlignStage`](super::AlignStage), so the model loads once). Without
    /// a model, sessions that need one fail with instructions.
    pub fn new(whisper: Arc<Whisper>) -> Self {
        AsrStage { whisper, formats: OutputFormat::ALL.to_vec() }
    }
}

impl Stage for AsrStage {
    fn name(&self) -> &'static str {
        "asr"
    }

    fn fingerprint(&self) -> String {
        format!("asr {}", self.whisper.fingerprint())
    }

    fn applies(&self, inputs: &SessionInputs) -> bool {
        // The transcript stage reads captions or raw text when there are any.
        inputs.captions.is_empty() && inputs.raw_text.is_empty() && !inputs.recordings.is_empty()
    }

    fn run(&self, work: &mut SessionWork<'_>) -> Result<(), PipelineError> {
        if work.transcript.is_some() {
            return Ok(());
        }
        let Some(recording) = work.inputs.recordings.first() else {
            return Ok(());
        };
        let transcriber = self
            .whisper
            .transcriber("run scripts/install-models.sh (or add captions to the session)")
            .map_err(|e| PipelineError::stage("asr", e))?;
        let name = recording.display().to_string();
        let mut stream =
            AudioStream::open(recording).map_err(|e| PipelineError::stage("asr", format!("{name}: {e}")))?;
        let result = transcriber
            .transcribe(&mut stream, work.inputs.session.clone(), &|_| {})
            .map_err(|e| PipelineError::stage("asr", format!("{name}: {e}")))?;
        for w in stream.take_warnings().into_iter().chain(result.warnings) {
            work.warnings.push(format!("{name}: {w}"));
        }
        let transcript = result.transcript;
        write_formats(work, &transcript, &self.formats, "asr")?;
        work.transcript = Some(transcript);
        Ok(())
    }
}
