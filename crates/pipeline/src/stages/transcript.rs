//! Stage 1: a timed transcript from whatever the session has.

use std::path::Path;

use rapporteur_captions::read::{self, ReadOptions};
use rapporteur_captions::write::{self, OutputFormat, WriteOptions};
use rapporteur_core::Transcript;

use crate::{PipelineError, SessionWork, Stage};

/// Makes the session's transcript: timed captions first (VTT, SRT, transcript
/// JSON), else raw text (CART) with estimated times. Writes it in every format.
#[derive(Debug, Clone)]
pub struct TranscriptStage {
    /// Speaking rate for text without times.
    pub speaking_rate_wpm: f64,
    /// Formats to write.
    pub formats: Vec<OutputFormat>,
}

impl Default for TranscriptStage {
    fn default() -> Self {
        TranscriptStage { speaking_rate_wpm: 150.0, formats: OutputFormat::ALL.to_vec() }
    }
}

impl Stage for TranscriptStage {
    fn name(&self) -> &'static str {
        "transcript"
    }

    fn fingerprint(&self) -> String {
        let formats: Vec<_> = self.formats.iter().map(|f| f.extension()).collect();
        format!(
            "transcript revision={} rate={} formats={}",
            rapporteur_captions::CAPTIONS_REVISION,
            self.speaking_rate_wpm,
            formats.join(",")
        )
    }

    fn run(&self, work: &mut SessionWork<'_>) -> Result<(), PipelineError> {
        let inputs = work.inputs;
        let source = inputs.captions.first().or(inputs.raw_text.first());
        let Some(path) = source else {
            if inputs.recordings.is_empty() && inputs.reports.is_empty() {
                return Err(PipelineError::stage(
                    "transcript",
                    format!(
                        "{}: no captions, raw transcript, recording or report in this session",
                        inputs.dir.display()
                    ),
                ));
            }
            // Recordings without captions are for the ASR stage; a session
            // with only a report still has findings.
            return Ok(());
        };
        let mut transcript = self.read(path, work)?;
        // session.toml is the authority on metadata; the file only fills gaps.
        let from_file = std::mem::take(&mut transcript.session);
        transcript.session = inputs.session.clone();
        if transcript.session.title.is_none() {
            transcript.session.title = from_file.title;
        }
        let extra = inputs.captions.iter().chain(&inputs.raw_text).filter(|p| *p != path);
        for other in extra {
            work.warnings.push(format!(
                "{}: not used: the transcript comes from {} (one caption source per session)",
                other.display(),
                path.display()
            ));
        }
        write_formats(work, &transcript, &self.formats, "transcript")?;
        work.transcript = Some(transcript);
        Ok(())
    }
}

/// Leaves `transcript` in every one of `formats` as `transcript.EXT` in
/// `work`'s artifacts (one pass: caption cues are planned once for VTT and SRT).
pub(crate) fn write_formats(
    work: &mut SessionWork<'_>,
    transcript: &Transcript,
    formats: &[OutputFormat],
    stage: &'static str,
) -> Result<(), PipelineError> {
    let texts = write::to_strings(transcript, formats, &WriteOptions::default())
        .map_err(|e| PipelineError::stage(stage, format!("writing the transcript: {e}")))?;
    for (format, text) in formats.iter().zip(texts) {
        work.artifacts.insert(format!("transcript.{}", format.extension()), text.into_bytes());
    }
    Ok(())
}

impl TranscriptStage {
    fn read(&self, path: &Path, work: &mut SessionWork<'_>) -> Result<Transcript, PipelineError> {
        let options = ReadOptions { speaking_rate_wpm: self.speaking_rate_wpm, ..ReadOptions::default() };
        let (transcript, diagnostics) = read::read_path(path, &options).map_err(|e| {
            let at = e.line().map(|l| format!(":{l}")).unwrap_or_default();
            PipelineError::stage("transcript", format!("{}{at}: {e}", path.display()))
        })?;
        for d in diagnostics {
            work.warnings.push(d.in_file(path.display().to_string()).to_string());
        }
        Ok(transcript)
    }
}
