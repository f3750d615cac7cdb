//! Stage 1c: a session's captions put on its recording's timeline.

use std::sync::Arc;

use rapporteur_asr::align::{align, asr_words, AlignOptions, ALIGNMENT_REVISION};
use rapporteur_asr::audio::AudioStream;
use rapporteur_captions::write::OutputFormat;
use rapporteur_core::Source;

use super::transcript::write_formats;
use super::Whisper;
use crate::{PipelineError, SessionInputs, SessionWork, Stage};

/// When a session has both captions (the transcript an earlier stage read)
/// and a recording, transcribes the recording and aligns the captions to it:
/// the captioner's text and speakers on the recording's timeline (`timing:
/// aligned`). Anything that stops the alignment (no model, a recording that
/// does not decode, captions of another session) leaves the captions as they
/// were, with a warning: they are still the session's best text.
pub struct AlignStage {
    whisper: Arc<Whisper>,
    formats: Vec<OutputFormat>,
}

impl std::fmt::Debug for AlignStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AlignStage").field("whisper", &self.whisper).finish()
    }
}

impl AlignStage {
    /// A stage transcribing with `whisper` (shared with the
    /// [`AsrStage`](super::AsrStage), so the model loads once). Without a
    /// model, captions stay as they are, with a warning.
    pub fn new(whisper: Arc<Whisper>) -> Self {
        AlignStage { whisper, formats: OutputFormat::ALL.to_vec() }
    }
}

impl Stage for AlignStage {
    fn name(&self) -> &'static str {
        "align"
    }

    fn fingerprint(&self) -> String {
        // The captions' own revision comes in through the transcript stage.
        format!(
            "align revision={ALIGNMENT_REVISION} {} align={:?}",
            self.whisper.fingerprint(),
            AlignOptions::default()
        )
    }

    fn applies(&self, inputs: &SessionInputs) -> bool {
        // Captions (or CART text) and a recording: only then is there anything to align.
        let has_text = !inputs.captions.is_empty() || !inputs.raw_text.is_empty();
        has_text && !inputs.recordings.is_empty()
    }

    fn run(&self, work: &mut SessionWork<'_>) -> Result<(), PipelineError> {
        let Some(captions) = &work.transcript else { return Ok(()) };
        let Some(recording) = work.inputs.recordings.first() else { return Ok(()) };
        if !captions.segments.iter().any(|s| s.source == Source::Caption) {
            return Ok(());
        }
        let name = recording.display().to_string();
        let not_aligned = |why: String| format!("{name}: the captions keep their own times: {why}");
        let transcriber = match self.whisper.transcriber("run scripts/install-models.sh") {
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
        write_formats(work, &transcript, &self.formats, "align")?;
        work.transcript = Some(transcript);
        Ok(())
    }
}
