//! Finding the sessions of a meeting and sorting their files by role.

use std::fs;
use std::path::{Path, PathBuf};

use rapporteur_core::Session;
use serde::Deserialize;

use crate::metadata::parse_session_toml;
use crate::PipelineError;

/// Extensions of recordings (audio and video).
const RECORDING_EXTENSIONS: &[&str] =
    &["wav", "flac", "mp3", "ogg", "oga", "opus", "m4a", "aac", "mp4", "m4v", "mov", "webm", "mkv", "avi"];

/// One session's metadata and input files, each list sorted by file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInputs {
    /// The session folder.
    pub dir: PathBuf,
    /// Metadata from `session.toml`.
    pub session: Session,
    /// `session.toml` itself.
    pub metadata_file: PathBuf,
    /// Audio and video recordings.
    pub recordings: Vec<PathBuf>,
    /// Timed captions (`.vtt`, `.srt`) and transcript JSON.
    pub captions: Vec<PathBuf>,
    /// Text without times: CART raw transcripts, speaker-tagged text (`.txt`).
    pub raw_text: Vec<PathBuf>,
    /// Organisers' session reports (`report*.md|txt|html|docx`).
    pub reports: Vec<PathBuf>,
    /// Files that play no role (with why), reported as warnings.
    pub ignored: Vec<PathBuf>,
}

impl SessionInputs {
    /// Every input file, metadata included, in a fixed order (for cache keys).
    pub fn all_files(&self) -> Vec<&Path> {
        let mut files: Vec<&Path> = std::iter::once(self.metadata_file.as_path())
            .chain(self.recordings.iter().map(PathBuf::as_path))
            .chain(self.captions.iter().map(PathBuf::as_path))
            .chain(self.raw_text.iter().map(PathBuf::as_path))
            .chain(self.reports.iter().map(PathBuf::as_path))
            .collect();
        files.sort();
        files
    }
}

/// A session folder that could not be read, with its would-be id.
#[derive(Debug)]
pub struct BrokenSession {
    /// The folder name (or the id it declared).
    pub id: String,
    /// The folder.
    pub dir: PathBuf,
    /// Why.
    pub error: PipelineError,
}

/// The sessions of a meeting, sorted by id.
#[derive(Debug, Default)]
pub struct Meeting {
    /// Sessions ready to process.
    pub sessions: Vec<SessionInputs>,
    /// Sessions whose metadata or folder could not be read.
    pub broken: Vec<BrokenSession>,
}

/// A manifest listing session folders (relative to the manifest's folder).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    sessions: Vec<PathBuf>,
}

/// Finds the sessions under `input`: a meeting folder (one sub-folder per
/// session, each with a `session.toml`) or a manifest TOML (`sessions = [..]`).
pub fn discover(input: &Path) -> Result<Meeting, PipelineError> {
    let dirs = if input.is_file() {
        let text = fs::read_to_string(input).map_err(|e| PipelineError::io(input, e))?;
        let manifest: Manifest = toml::from_str(&text).map_err(|e| {
            let start = e.span().map(|s| s.start).unwrap_or(0);
            let line = text[..start.min(text.len())].matches('\n').count() + 1;
            PipelineError::Metadata { path: input.to_path_buf(), line, column: 1, message: e.message().to_string() }
        })?;
        let base = input.parent().unwrap_or(Path::new("."));
        manifest.sessions.into_iter().map(|d| base.join(d)).collect()
    } else {
        let mut dirs = Vec::new();
        for entry in fs::read_dir(input).map_err(|e| PipelineError::io(input, e))? {
            let entry = entry.map_err(|e| PipelineError::io(input, e))?;
            let path = entry.path();
            if path.is_dir() && path.join("session.toml").is_file() {
                dirs.push(path);
            }
        }
        dirs
    };
    let mut meeting = Meeting::default();
    for dir in dirs {
        match read_session_dir(&dir) {
            Ok(inputs) => meeting.sessions.push(inputs),
            Err(error) => meeting.broken.push(BrokenSession { id: folder_id(&dir), dir, error }),
        }
    }
    if meeting.sessions.is_empty() && meeting.broken.is_empty() {
        return Err(PipelineError::NoSessions(input.to_path_buf()));
    }
    meeting.sessions.sort_by(|a, b| a.session.id.cmp(&b.session.id));
    meeting.broken.sort_by(|a, b| a.id.cmp(&b.id));
    // Two folders declaring one id would overwrite each other's outputs.
    let mut i = 1;
    while i < meeting.sessions.len() {
        if meeting.sessions[i].session.id == meeting.sessions[i - 1].session.id {
            let dup = meeting.sessions.remove(i);
            let first = meeting.sessions[i - 1].dir.display().to_string();
            meeting.broken.push(BrokenSession {
                id: dup.session.id.clone(),
                error: PipelineError::Metadata {
                    path: dup.metadata_file.clone(),
                    line: 1,
                    column: 1,
                    message: format!(
                        "session id `{}` is also used by {first}: give each session its own id",
                        dup.session.id
                    ),
                },
                dir: dup.dir,
            });
        } else {
            i += 1;
        }
    }
    Ok(meeting)
}

fn folder_id(dir: &Path) -> String {
    Session::id_from(&dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
}

/// Reads one session folder.
pub fn read_session_dir(dir: &Path) -> Result<SessionInputs, PipelineError> {
    let metadata_file = dir.join("session.toml");
    let text = fs::read_to_string(&metadata_file).map_err(|e| PipelineError::io(&metadata_file, e))?;
    let session = parse_session_toml(&text, &metadata_file, &folder_id(dir))?;
    let mut inputs = SessionInputs {
        dir: dir.to_path_buf(),
        session,
        metadata_file,
        recordings: Vec::new(),
        captions: Vec::new(),
        raw_text: Vec::new(),
        reports: Vec::new(),
        ignored: Vec::new(),
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| PipelineError::io(dir, e))? {
        let path = entry.map_err(|e| PipelineError::io(dir, e))?.path();
        if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    for path in files {
        let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        if name == "session.toml" || name.starts_with('.') {
            continue;
        }
        if name.starts_with("report") && matches!(ext.as_str(), "md" | "markdown" | "txt" | "html" | "htm" | "docx") {
            inputs.reports.push(path);
        } else if RECORDING_EXTENSIONS.contains(&ext.as_str()) {
            inputs.recordings.push(path);
        } else if matches!(ext.as_str(), "vtt" | "srt" | "json") {
            inputs.captions.push(path);
        } else if ext == "txt" {
            inputs.raw_text.push(path);
        } else {
            inputs.ignored.push(path);
        }
    }
    Ok(inputs)
}
