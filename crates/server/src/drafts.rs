//! The draft messages of the tracks: `DATA/drafts/messages.json`, the file
//! `rapporteur run` writes (so a run's output is browsed as it is), remade by
//! the server from every session's findings after it publishes something.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rapporteur_draft::embed::{self, EmbedOptions, Embedder};
use rapporteur_draft::render::{self, Format};
use rapporteur_draft::{Draft, DraftOptions, Meeting};
use rapporteur_extract::SessionFindings;

use crate::journal::write_atomic;
use crate::session::SessionState;

/// The drafts folder inside the data folder (as in a run's output).
pub const DRAFTS_DIR: &str = "drafts";

/// The current draft, read from disk when the file changes.
#[derive(Debug)]
pub struct Drafts {
    dir: PathBuf,
    cached: Mutex<Option<(SystemTime, Arc<Draft>)>>,
    /// Findings changed since the last draft.
    dirty: AtomicBool,
    /// Held while drafting: one draft at a time.
    drafting: Mutex<()>,
    /// The meeting's tracks file, when the configuration names one.
    tracks: Option<rapporteur_extract::Tracks>,
}

impl Drafts {
    /// The drafts of the data folder `data`, drafted with the meeting's
    /// `tracks` (their order, descriptions and policy questions) as
    /// `rapporteur draft --tracks` does.
    pub fn new(data: &Path, tracks: Option<rapporteur_extract::Tracks>) -> Drafts {
        Drafts {
            dir: data.join(DRAFTS_DIR),
            cached: Mutex::new(None),
            dirty: AtomicBool::new(false),
            drafting: Mutex::new(()),
            tracks,
        }
    }

    fn json_path(&self) -> PathBuf {
        self.dir.join("messages.json")
    }

    /// The latest draft, if one was made (by a run or by the server).
    pub fn current(&self) -> Option<Arc<Draft>> {
        let path = self.json_path();
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((when, draft)) = cached.as_ref() {
            if *when == modified {
                return Some(draft.clone());
            }
        }
        let text = std::fs::read_to_string(&path).ok()?;
        match serde_json::from_str::<Draft>(&text) {
            Ok(draft) => {
                let draft = Arc::new(draft);
                *cached = Some((modified, draft.clone()));
                Some(draft)
            }
            Err(e) => {
                eprintln!("warning: {}: not a draft as `rapporteur draft` writes it: {e}", path.display());
                None
            }
        }
    }

    /// Notes that some session's findings changed.
    pub fn mark_dirty(&self) {
        self.dirty.store(true, Ordering::Release);
    }

    /// Remakes the draft from `sessions` if findings changed since the last
    /// one. Runs on a worker thread (drafting embeds every finding).
    pub fn redraft_if_dirty(&self, sessions: &[Arc<SessionState>]) -> Result<bool, String> {
        let _one_at_a_time = self.drafting.lock().unwrap_or_else(|p| p.into_inner());
        if !self.dirty.swap(false, Ordering::AcqRel) {
            return Ok(false);
        }
        let mut meeting = Meeting::default();
        for session in sessions {
            let inner = session.lock();
            if SessionState::is_empty(&inner) {
                continue;
            }
            meeting.sessions.push(SessionFindings {
                session: inner.meta.clone(),
                // The track extraction assigned (from the tracks file), else the declared one.
                track: inner.track.clone().or_else(|| inner.meta.tracks.first().cloned()),
                track_confidence: None,
                findings: inner.findings.clone(),
                diagnostics: Vec::new(),
            });
        }
        if meeting.sessions.is_empty() {
            return Ok(false);
        }
        // A new embedder each time: the TF-IDF fallback fits its vocabulary
        // on the first texts it sees.
        let mut embedder = Embedder::new(EmbedOptions {
            model_dir: None,
            cache_dir: embed::default_cache_dir(),
            force_tfidf: false,
            batch: 0,
        });
        let draft = rapporteur_draft::draft(&meeting, self.tracks.as_ref(), &mut embedder, &DraftOptions::default())
            .map_err(|e| e.to_string())?;
        for format in [Format::Json, Format::Markdown, Format::Html] {
            let bytes = render::render(&draft, format).map_err(|e| e.to_string())?;
            let path = self.dir.join(format!("messages.{}", format.extension()));
            write_atomic(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(true)
    }
}
