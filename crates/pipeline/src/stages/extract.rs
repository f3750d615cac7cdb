//! Stage 2: findings (takeaways, recommendations, calls to action) from the
//! transcript and the organisers' reports, with a track.

use std::fs;

use rapporteur_extract::reports::{self, Report};
use rapporteur_extract::{draft, Extractor};

use crate::{PipelineError, SessionWork, Stage};

/// Runs the rules over the session's transcript and reports; writes
/// `findings.json` and the Markdown session-report draft `report.md`.
#[derive(Debug, Clone)]
pub struct ExtractStage {
    extractor: Extractor,
    fingerprint: String,
}

impl ExtractStage {
    /// A stage running `extractor`. `fingerprint` must change whenever the
    /// rules or tracks behind it change (hash their files' contents).
    pub fn new(extractor: Extractor, fingerprint: impl Into<String>) -> Self {
        ExtractStage { extractor, fingerprint: fingerprint.into() }
    }
}

impl Stage for ExtractStage {
    fn name(&self) -> &'static str {
        "extract"
    }

    fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }

    fn run(&self, work: &mut SessionWork<'_>) -> Result<(), PipelineError> {
        let mut parsed: Vec<Report> = Vec::new();
        for path in &work.inputs.reports {
            let name = path.display().to_string();
            let bytes = fs::read(path).map_err(|e| PipelineError::io(path, e))?;
            let report = match reports::parse_bytes(&bytes, &name) {
                Ok(report) => report,
                Err(e) => {
                    // A damaged report costs its findings, not the session's transcript.
                    work.warnings.push(format!("{name}: error: {e}"));
                    continue;
                }
            };
            for d in &report.diagnostics {
                work.warnings.push(d.clone().in_file(name.clone()).to_string());
            }
            parsed.push(report);
        }
        if work.transcript.is_none() && parsed.is_empty() {
            return Ok(());
        }
        let found = self.extractor.extract_session(work.inputs.session.clone(), work.transcript.as_ref(), &parsed);
        work.artifacts.insert("findings.json".into(), format!("{}\n", found.to_json_pretty()).into_bytes());
        work.artifacts.insert("report.md".into(), draft::to_markdown(&found).into_bytes());
        Ok(())
    }
}
