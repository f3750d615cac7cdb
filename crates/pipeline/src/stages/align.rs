//! Stage 1c: a session's captions put on its recording's timeline.

use std::fs;
use std::io::Read;
use std::path::PathBuf;
use std::sync::OnceLock;

use rapporteur_asr::align::{align, asr_words, AlignOptions};
use rapporteur_asr::audio::AudioStream;
use rapporteur_asr::transcribe::engine::Engine;
use rapporteur_asr::transcribe::{TranscribeOptions, Transcriber};
use rapporteur_captions::write::{self, OutputFormat, WriteOptions};
use rapporteur_core::Source;

use crate::{PipelineError, SessionInputs, SessionWork, Stage};

/// When a session has both captions (the transcript an earlier stage read)
/// and a recording, transcribes the recording and aligns the captions to it:
/// the captioner's text and speakers on the recording's timeline (`timing:
/// aligned`). Anything that stops the alignment (no model, a recording that
/// does not decode, captions of another session) leaves the captions as they
/// were, with a warning: they are still the session's best text.
pub struct AlignStage {
    model: Option<PathBuf>,
    options: TranscribeOptions,
    formats: Vec<OutputFormat>,
    transcriber: OnceLock<Result<Transcriber, String>>,
    fingerprint: OnceLock<String>,
}

impl std::fmt::Debug for AlignStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AlignStage").field("model", &self.model).field("options", &self.options).finish()
    }
}

impl AlignStage {
    /// A stage using the ggml Whisper model at `model` (`None`: no model is
    /// installed; captions stay as they are, with a warning).
    pub fn new(model: Option<PathBuf>, options: TranscribeOptions) -> Self {
        AlignStage {
            model,
            options,
            formats: OutputFormat::ALL.to_vec(),
            transcriber: OnceLock::new(),
            fingerprint: OnceLock::new(),
        }
    }

    fn transcriber(&self) -> Result<&Transcriber, String> {
        let loaded = self.transcriber.get_or_init(|| {
            let model = self
                .model
                .as_ref()
                .ok_or_else(|| "no Whisper model is installed (run scripts/install-models.sh)".to_string())?;
            let engine = Engine::load(model, false).map_err(|e| format!("{}: {e}", model.display()))?;
            Transcriber::new(engine, self.options.clone()).map_err(|e| e.to_string())
        });
        loaded.as_ref().map_err(Clone::clone)
    }
}

impl Stage for AlignStage {
    fn name(&self) -> &'static str {
        "align"
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
                    "align model={} language={:?} prompt={:?} beam={} vad={:?} fit={} align={:?}",
                    hasher.finalize().to_hex(),
                    o.language,
                    o.prompt,
                    o.beam_size,
                    o.vad,
                    o.fit_audio_ctx,
                    AlignOptions::default()
                )
            })
            .clone()
    }

    fn applies(&self, inputs: &SessionInputs) -> bool {
        // Captions (or CART text) and a recording: only then is there anything to align.
        !(inputs.captions.is_empty() && inputs.raw_text.is_empty()) && !inputs.recordings.is_empty()
    }

    fn run(&self, work: &mut SessionWork<'_>) -> Result<(), PipelineError> {
        let Some(captions) = &work.transcript else { return Ok(()) };
        let Some(recording) = work.inputs.recordings.first() else { return Ok(()) };
        if !captions.segments.iter().any(|s| s.source == Source::Caption) {
            return Ok(());
        }
        let name = recording.display().to_string();
        let not_aligned = |why: String| format!("{name}: the captions keep their own times: {why}");
        let transcriber = match self.transcriber() {
            Ok(t) => t,
            Err(why) => {
                work.warnings.push(not_aligned(why));
                return Ok(());
            }
        };
        let heard = AudioStream::open(recording).map_err(|e| e.to_string()).and_then(|mut stream| {
            transcriber.transcribe(&mut stream, work.inputs.session.clone(), &|_| {}).map_err(|e| e.to_string())
        });
        let heard = match heard {
            Ok(h) => h,
            Err(why) => {
                work.warnings.push(not_aligned(why));
                return Ok(());
            }
        };
        for w in heard.warnings {
            work.warnings.push(format!("{name}: {w}"));
        }
        let aligned = match align(captions, &asr_words(&heard.transcript), &AlignOptions::default()) {
            Ok(a) => a,
            Err(why) => {
                work.warnings.push(not_aligned(why.to_string()));
                return Ok(());
            }
        };
        if aligned.stats.coverage() < 0.3 {
            work.warnings.push(format!(
                "{name}: only {:.0}% of the caption words were found in the recording: are they the same session?",
                aligned.stats.coverage() * 100.0
            ));
        }
        let mut transcript = aligned.transcript;
        transcript.session = captions.session.clone();
        for format in &self.formats {
            let bytes = write::to_string(&transcript, *format, &WriteOptions::default())
                .map_err(|e| PipelineError::stage("align", format!("writing {}: {e}", format.extension())))?;
            work.artifacts.insert(format!("transcript.{}", format.extension()), bytes.into_bytes());
        }
        work.transcript = Some(transcript);
        Ok(())
    }
}
