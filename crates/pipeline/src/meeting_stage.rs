//! Meeting-level stages: run once per meeting, after the sessions, over the
//! published session outputs (drafts per track, the search index).

use std::fs;
use std::path::Path;

use crate::{Observer, PipelineError, SessionReport, Shard, KEY_FILE};

/// A step that runs once per meeting on the published session outputs.
pub trait MeetingStage: Send + Sync {
    /// Short name for reports (`drafts`, `index`).
    fn name(&self) -> &'static str;
    /// Does the stage's work over `ctx.out`. Like a session stage it should
    /// skip its work when its inputs have not changed (unless `ctx.force`).
    fn run(&self, ctx: &MeetingContext<'_>) -> Result<MeetingOutcome, PipelineError>;
}

/// What a meeting stage is given.
pub struct MeetingContext<'a> {
    /// The run's output folder; `sessions/` holds every session's outputs.
    pub out: &'a Path,
    /// The sessions of this run (of this shard), sorted by id.
    pub sessions: &'a [SessionReport],
    /// The share of the meeting this run covers.
    pub shard: Shard,
    /// Recompute even when nothing changed.
    pub force: bool,
    /// Worker threads of the run.
    pub threads: usize,
    pub(crate) stage: &'static str,
    pub(crate) observer: &'a dyn Observer,
    /// Read once for all meeting stages (none of them changes a session).
    pub(crate) published: &'a [Published],
}

impl std::fmt::Debug for MeetingContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeetingContext").field("out", &self.out).field("shard", &self.shard).finish_non_exhaustive()
    }
}

/// The sessions of `sessions` with complete outputs under `out/sessions`.
pub(crate) fn read_published(out: &Path, sessions: &[SessionReport]) -> Vec<Published> {
    sessions
        .iter()
        .filter_map(|s| {
            let key = fs::read_to_string(out.join("sessions").join(&s.id).join(KEY_FILE)).ok()?;
            Some(Published { id: s.id.clone(), key: key.trim().to_string() })
        })
        .collect()
}

/// A published session: its id and the key of its outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// Session id.
    pub id: String,
    /// The content-addressed key its outputs were made under.
    pub key: String,
}

impl MeetingContext<'_> {
    /// The sessions of this run that have complete outputs (done now, unchanged,
    /// or failed now with earlier outputs kept), sorted by id.
    pub fn published(&self) -> Vec<Published> {
        self.published.to_vec()
    }

    /// A session's output folder.
    pub fn session_dir(&self, id: &str) -> std::path::PathBuf {
        self.out.join("sessions").join(id)
    }

    /// Announces `total` units of work (for a progress bar).
    pub fn start(&self, total: u64) {
        self.observer.meeting_stage_started(self.stage, total);
    }

    /// Reports `done` units of work finished.
    pub fn progress(&self, done: u64) {
        self.observer.meeting_stage_progress(self.stage, done);
    }
}

/// What a meeting stage did.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingOutcome {
    /// Done, unchanged or skipped.
    pub status: crate::MeetingStatus,
    /// One line for people.
    pub detail: String,
    /// Warnings (file and what to do, where known).
    pub warnings: Vec<String>,
}

impl MeetingOutcome {
    /// Work done.
    pub fn done(detail: impl Into<String>) -> Self {
        MeetingOutcome { status: crate::MeetingStatus::Done, detail: detail.into(), warnings: Vec::new() }
    }

    /// Nothing changed.
    pub fn unchanged(detail: impl Into<String>) -> Self {
        MeetingOutcome { status: crate::MeetingStatus::Unchanged, detail: detail.into(), warnings: Vec::new() }
    }

    /// Not run here.
    pub fn skipped(detail: impl Into<String>) -> Self {
        MeetingOutcome { status: crate::MeetingStatus::Skipped, detail: detail.into(), warnings: Vec::new() }
    }
}
