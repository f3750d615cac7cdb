//! Stage 1b: a timed transcript from a recording, when the session has no captions.

use std::fs;
use std::io::Read;
use std::path::PathBuf;
use std::sync::OnceLock;

use rapporteur_asr::audio::AudioStream;
use rapporteur_asr::transcribe::engine::Engine;
use rapporteur_asr::transcribe::{TranscribeOptions, Transcriber};
use rapporteur_captions::write::{self, OutputFormat, WriteOptions};

use crate::{PipelineError, SessionInputs, SessionWork, Stage};

/// Transcribes the session's first recording with Whisper when no earlier
/// stage produced a transcript. The model is loaded on first use only, so a
/// meeting whose sessions all have captions never pays for it.
pub struct AsrStage {
    model: Option<PathBuf>,
    options: TranscribeOptions,
    formats: Vec<OutputFormat>,
    transcriber: OnceLock<Result<Transcriber, String>>,
    fingerprint: OnceLock<String>,
}

impl std::fmt::Debug for AsrStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsrStage").field("model", &self.model).field("options", &self.options).finish()
    }
}

impl AsrStage {
    /// A stage using the ggml Whisper model at `model` (`None`: no model is
    /// installed, and sessions that need one fail with instructions).
    pub fn new(model: Option<PathBuf>, options: TranscribeOptions) -> Self {
        AsrStage {
            model,
            options,
            formats: OutputFormat::ALL.to_vec(),
            transcriber: OnceLock::new(),
            fingerprint: OnceLock::new(),
        }
    }

    fn transcriber(&self) -> Result<&Transcriber, PipelineError> {
        let loaded = self.transcriber.get_or_init(|| {
            let model = self.model.as_ref().ok_or_else(|| {
                "no Whisper model is installed: run scripts/install-models.sh (or add captions to the session)"
                    .to_string()
            })?;
            let engine = Engine::load(model, false).map_err(|e| format!("{}: {e}", model.display()))?;
            Transcriber::new(engine, self.options.clone()).map_err(|e| e.to_string())
        });
        loaded.as_ref().map_err(|e| PipelineError::stage("asr", e.clone()))
    }
}

impl Stage for AsrStage {
    fn name(&self) -> &'static str {
        "asr"
    }

    fn fingerprint(&self) -> String {
        // The model's content, not its path: a re-converted model recomputes.
        self.fingerprint
            .get_or_init(|| {
                let mut hasher = blake3::Hasher::new();
                if let Some(model) = &self.model {
                    if let Ok(mut file) = fs::File::open(model) {
                        let mut buf = vec![0u8; 1 << 20];
                        while let Ok(n) = file.read(&mut buf) {
                            if n == 0 {
                                break;
                            }
                            hasher.update(&buf[..n]);
                        }
                    }
                }
                let o = &self.options;
                format!(
                    "asr model={} language={:?} prompt={:?} beam={} vad={:?} fit={}",
                    hasher.finalize().to_hex(),
                    o.language,
                    o.prompt,
                    o.beam_size,
                    o.vad,
                    o.fit_audio_ctx
                )
            })
            .clone()
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
        let transcriber = self.transcriber()?;
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
        for format in &self.formats {
            let bytes = write::to_string(&transcript, *format, &WriteOptions::default())
                .map_err(|e| PipelineError::stage("asr", format!("writing {}: {e}", format.extension())))?;
            work.artifacts.insert(format!("transcript.{}", format.extension()), bytes.into_bytes());
        }
        work.transcript = Some(transcript);
        Ok(())
    }
}
