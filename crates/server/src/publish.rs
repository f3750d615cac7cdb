//! Publishing a session: transcript files (JSON, VTT, SRT, text), findings,
//! and the search index, from whatever the session has now.

use std::path::Path;

use rapporteur_captions::write::{self, OutputFormat, WriteOptions};
use rapporteur_extract::reports;

use crate::app::App;
use crate::journal::write_atomic;
use crate::session::SessionState;
use crate::ServerError;

/// The download formats, by file name.
pub const DOWNLOADS: [(&str, OutputFormat); 4] = [
    ("transcript.json", OutputFormat::Json),
    ("transcript.vtt", OutputFormat::Vtt),
    ("transcript.srt", OutputFormat::Srt),
    ("transcript.txt", OutputFormat::Txt),
];

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ServerError + '_ {
    move |source| ServerError::Io { path: path.into(), source }
}

/// Writes a session's published files and replaces its documents in the
/// index (the caller commits).
pub fn publish(app: &App, session: &SessionState) -> Result<(), ServerError> {
    let _one_at_a_time = session.publishing.lock().unwrap_or_else(|p| p.into_inner());
    let (transcript, report_files) = {
        let mut inner = session.lock();
        inner.dirty = false;
        (SessionState::transcript(&inner), inner.reports.clone())
    };
    let dir = app.published_dir(&session.id);
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let options = WriteOptions::default();
    for (name, format) in DOWNLOADS {
        let path = dir.join(name);
        let text = write::to_string(&transcript, format, &options).map_err(io(&path))?;
        write_atomic(&path, text.as_bytes()).map_err(io(&path))?;
    }
    let meta_path = dir.join("session.json");
    let meta = serde_json::to_vec_pretty(&transcript.session).unwrap_or_default();
    write_atomic(&meta_path, &meta).map_err(io(&meta_path))?;

    let mut parsed_reports = Vec::new();
    for file in &report_files {
        let path = app.data.join(file);
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        parsed_reports.push(reports::parse(&text, file, reports::detect_format(&text, file)));
    }
    app.index.replace_transcript(&transcript)?;
    if let Some(extractor) = &app.extractor {
        let has_text = !transcript.segments.is_empty();
        let found =
            extractor.extract_session(transcript.session.clone(), has_text.then_some(&transcript), &parsed_reports);
        let json = found.to_json_pretty();
        let path = dir.join("findings.json");
        write_atomic(&path, json.as_bytes()).map_err(io(&path))?;
        if let Ok(Some(rapporteur_index::IndexInput::Findings(input))) = rapporteur_index::read_json_str(&json, &path) {
            app.index.replace_findings(&input)?;
        }
        session.announce_findings(&found.findings);
        let mut inner = session.lock();
        if inner.findings != found.findings {
            app.drafts.mark_dirty();
        }
        inner.findings = found.findings;
        inner.track = found.track;
    }
    Ok(())
}
