//! Stage 2: findings (takeaways, recommendations, calls to action) from the
//! transcript and the organisers' reports, with a track.

use std::fs;
use std::sync::{Arc, OnceLock};

use rapporteur_extract::reports::{self, Report};
use rapporteur_extract::{draft, Extractor, SessionFindings};

use crate::{PipelineError, SessionWork, Stage};

/// Runs the rules over the session's transcript and reports; writes
/// `findings.json` and the Markdown session-report draft `report.md`.
#[derive(Clone)]
pub struct ExtractStage {
    extractor: Arc<OnceLock<Result<Extractor, String>>>,
    make: Option<Arc<MakeExtractor>>,
    fingerprint: String,
}

/// Builds the extractor (compiles the rules) when first needed.
type MakeExtractor = dyn Fn() -> Result<Extractor, String> + Send + Sync;

impl std::fmt::Debug for ExtractStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExtractStage").field("fingerprint", &self.fingerprint).finish_non_exhaustive()
    }
}

impl ExtractStage {
    /// A stage running `extractor`. `fingerprint` must change whenever the
    /// rules or tracks behind it change (hash their files' contents).
    pub fn new(extractor: Extractor, fingerprint: impl Into<String>) -> Self {
        let cell = OnceLock::new();
        let _ = cell.set(Ok(extractor));
        ExtractStage { extractor: Arc::new(cell), make: None, fingerprint: fingerprint.into() }
    }

    /// A stage whose extractor is made by `make` in [`Stage::prepare`], i.e.
    /// only when some session is to be computed: compiling the rules' regular
    /// expressions is most of the cost of a run where nothing changed.
    pub fn lazy(
        fingerprint: impl Into<String>,
        make: impl Fn() -> Result<Extractor, String> + Send + Sync + 'static,
    ) -> Self {
        ExtractStage {
            extractor: Arc::new(OnceLock::new()),
            make: Some(Arc::new(make)),
            fingerprint: fingerprint.into(),
        }
    }

    fn extractor(&self) -> Result<&Extractor, PipelineError> {
        let made = self.extractor.get_or_init(|| match &self.make {
            Some(make) => make(),
            None => Err("no extractor".to_string()),
        });
        made.as_ref().map_err(|e| PipelineError::stage("extract", e.clone()))
    }
}

impl Stage for ExtractStage {
    fn name(&self) -> &'static str {
        "extract"
    }

    fn fingerprint(&self) -> String {
        // "declared": findings take the session's declared track without a tracks file.
        format!("{} declared", self.fingerprint)
    }

    fn prepare(&self) -> Result<(), PipelineError> {
        self.extractor().map(|_| ())
    }

    fn run(&self, work: &mut SessionWork<'_>) -> Result<(), PipelineError> {
        let extractor = self.extractor()?;
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
        let mut found = extractor.extract_session(work.inputs.session.clone(), work.transcript.as_ref(), &parsed);
        if extractor.tracks().is_none() {
            assign_declared(&mut found);
        }
        work.artifacts.insert("findings.json".into(), format!("{}\n", found.to_json_pretty()).into_bytes());
        work.artifacts.insert("report.md".into(), draft::to_markdown(&found).into_bytes());
        Ok(())
    }
}

/// Without a tracks file there are no keywords to classify by, but a session
/// that declares its track in `session.toml` still has one: the session and
/// each of its findings get the first declared track (confidence 1), as a
/// tracks file would give them. With several declared tracks the findings'
/// words cannot choose among them without keywords, so the first one is
/// used; a tracks file makes the choice finer.
fn assign_declared(found: &mut SessionFindings) {
    let Some(label) = found.session.tracks.iter().map(|t| t.trim()).find(|t| !t.is_empty()) else {
        return;
    };
    let label = label.to_string();
    found.track = Some(label.clone());
    found.track_confidence = Some(1.0);
    for f in &mut found.findings {
        if f.track.is_none() {
            f.track = Some(label.clone());
            f.track_confidence = Some(1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use rapporteur_extract::{RuleSet, Tracks};

    use super::*;
    use crate::read_session_dir;
    use crate::stages::TranscriptStage;

    fn findings(tracks: Option<Tracks>, declared: &str) -> SessionFindings {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("ws-1");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("session.toml"), format!("title = \"T\"\ntracks = {declared}\n")).unwrap();
        fs::write(
            dir.join("captions.vtt"),
            "WEBVTT\n\n00:01.000 --> 00:04.000\n<v Ana>Governments should protect personal data and privacy online.\n",
        )
        .unwrap();
        let inputs = read_session_dir(&dir).unwrap();
        let mut extractor = Extractor::new(RuleSet::builtin().unwrap());
        if let Some(t) = tracks {
            extractor = extractor.with_tracks(t);
        }
        let stage = ExtractStage::new(extractor, "test");
        let mut work = SessionWork::new(&inputs);
        TranscriptStage::default().run(&mut work).unwrap();
        stage.run(&mut work).unwrap();
        serde_json::from_slice(&work.artifacts["findings.json"]).unwrap()
    }

    #[test]
    fn declared_track_without_a_tracks_file() {
        let found = findings(None, "[\"Trust and Security\", \"Data\"]");
        assert_eq!(found.track.as_deref(), Some("Trust and Security"));
        assert!(!found.findings.is_empty());
        for f in &found.findings {
            assert_eq!(f.track.as_deref(), Some("Trust and Security"), "{f:?}");
            assert_eq!(f.track_confidence, Some(1.0));
        }
        // Nothing declared, no tracks file: no track.
        let found = findings(None, "[]");
        assert_eq!(found.track, None);
        assert!(found.findings.iter().all(|f| f.track.is_none()));
    }

    #[test]
    fn a_tracks_file_still_assigns() {
        let tracks = Tracks::from_toml(
            "[[track]]\nlabel = \"Data\"\nkeywords = { privacy = 3, \"personal data\" = 3 }\n\n[[track]]\nlabel = \"Inclusion\"\nkeywords = { connectivity = 3 }\n",
            "tracks.toml",
        )
        .unwrap();
        // Undeclared: the keywords choose.
        let found = findings(Some(tracks.clone()), "[]");
        assert_eq!(found.track.as_deref(), Some("Data"));
        // Declared in another case: the tracks file's label.
        let found = findings(Some(tracks), "[\"inclusion\"]");
        assert_eq!(found.track.as_deref(), Some("Inclusion"));
    }
}
