//! Reading a session published in `DATA/sessions/<id>/`, as `rapporteur run`
//! lays it out (`transcript.json`, `findings.json`, `report.md`, ...), so a
//! run's output folder can be served as it is.

use std::path::Path;

use rapporteur_core::Transcript;
use rapporteur_extract::{Finding, SessionFindings};

/// Files besides the transcript formats the session page offers for
/// download when they are there.
pub const EXTRA_FILES: [&str; 2] = ["report.md", "transcript.md"];

/// What was published of a session.
pub type Published = (Transcript, Vec<Finding>, Vec<String>);

/// Reads the session folder `dir` of session `id`: `Ok(None)` when it holds
/// neither a transcript nor findings (a run's partial folder, say).
pub fn read(dir: &Path, id: &str) -> Result<Option<Published>, String> {
    let transcript_path = dir.join("transcript.json");
    let findings_path = dir.join("findings.json");
    let transcript: Option<Transcript> = match std::fs::read_to_string(&transcript_path) {
        Ok(text) => Some(serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: not a transcript as rapporteur writes it: {e}",
                transcript_path.display(),
                e.line(),
                e.column()
            )
        })?),
        Err(_) => None,
    };
    let findings: Option<SessionFindings> = match std::fs::read_to_string(&findings_path) {
        Ok(text) => match serde_json::from_str(&text) {
            Ok(findings) => Some(findings),
            Err(e) => {
                // The transcript is still worth serving.
                eprintln!("warning: {}:{}:{}: findings not read: {e}", findings_path.display(), e.line(), e.column());
                None
            }
        },
        Err(_) => None,
    };
    let transcript = match (transcript, &findings) {
        (Some(t), _) => t,
        (None, Some(f)) => Transcript::new(f.session.clone()),
        (None, None) => return Ok(None),
    };
    if transcript.session.id != id {
        eprintln!(
            "warning: {}: the transcript names session `{}`; it is served as `{id}`, its folder's name",
            transcript_path.display(),
            transcript.session.id
        );
    }
    let extra = EXTRA_FILES.iter().filter(|name| dir.join(name).is_file()).map(|name| name.to_string()).collect();
    Ok(Some((transcript, findings.map(|f| f.findings).unwrap_or_default(), extra)))
}
