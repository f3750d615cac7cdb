//! The run report: `OUT/run.json` and the summary on stderr.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How one session went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Processed in this run.
    Done,
    /// Unchanged since its last run: outputs kept.
    Cached,
    /// Failed; its previous outputs (if any) are kept.
    Failed,
}

/// Time spent in one stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageTime {
    /// Stage name.
    pub stage: String,
    /// Wall time in milliseconds.
    pub millis: u64,
}

/// What a meeting-level stage did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    /// Its outputs were (re)made.
    Done,
    /// Its inputs had not changed: outputs kept.
    Unchanged,
    /// Not run here (e.g. drafts in a shard run: `rapporteur merge` makes them).
    Skipped,
    /// Failed; its previous outputs (if any) are kept.
    Failed,
}

/// One meeting-level stage's line in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingStageReport {
    /// Stage name (`drafts`, `index`).
    pub stage: String,
    /// Wall time in milliseconds.
    pub millis: u64,
    /// Outcome.
    #[serde(default = "done")]
    pub status: MeetingStatus,
    /// What it did, for people (`3 sessions replaced, 297 kept`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

fn done() -> MeetingStatus {
    MeetingStatus::Done
}

/// One session's line in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionReport {
    /// Session id.
    pub id: String,
    /// Outcome.
    pub status: SessionStatus,
    /// Time per stage (empty when cached).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageTime>,
    /// Warnings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The error, when failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// rapporteur version.
    pub version: String,
    /// `K/N` when sharded.
    pub shard: String,
    /// Worker threads.
    pub threads: usize,
    /// Wall time of the run in milliseconds.
    pub millis: u64,
    /// Sessions, sorted by id.
    pub sessions: Vec<SessionReport>,
    /// Meeting-level stages (drafts, index, pages): outcome and time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meeting_stages: Vec<MeetingStageReport>,
    /// Meeting-level warnings and errors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meeting_warnings: Vec<String>,
    /// What the run was configured with: `rapporteur merge` drafts with the
    /// recorded tracks and refuses shards made with different settings.
    /// Absent from reports of older versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<RunSettings>,
}

/// The configuration a run's outputs depend on, recorded in `OUT/run.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSettings {
    /// The fingerprint (rules, tracks, model content, options) of each
    /// per-session stage that applied to at least one session of the run.
    #[serde(default)]
    pub stages: BTreeMap<String, String>,
    /// The tracks file the run used, with its content, so that a merge on
    /// another machine drafts with the same tracks; `None`: no tracks file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracks: Option<TracksFile>,
}

/// A tracks file as a run used it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TracksFile {
    /// Its file name (for messages).
    pub name: String,
    /// BLAKE3 of its content (hex).
    pub blake3: String,
    /// Its content (TOML).
    pub text: String,
}

impl TracksFile {
    /// A tracks file named `name` with content `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        TracksFile { name: name.into(), blake3: blake3::hash(text.as_bytes()).to_hex().to_string(), text }
    }
}

impl RunReport {
    /// Number of sessions with `status`.
    pub fn count(&self, status: SessionStatus) -> usize {
        self.sessions.iter().filter(|s| s.status == status).count()
    }

    /// A few lines for a person: counts, then one line per failure.
    pub fn summary(&self) -> String {
        let mut out = format!(
            "{} sessions: {} processed, {} unchanged, {} failed ({} ms, {} threads, shard {})\n",
            self.sessions.len(),
            self.count(SessionStatus::Done),
            self.count(SessionStatus::Cached),
            self.count(SessionStatus::Failed),
            self.millis,
            self.threads,
            self.shard,
        );
        for s in &self.sessions {
            if let Some(e) = &s.error {
                out.push_str(&format!("  failed {}: {e}\n", s.id));
            }
        }
        for m in &self.meeting_stages {
            let status = match m.status {
                MeetingStatus::Done => "done",
                MeetingStatus::Unchanged => "unchanged",
                MeetingStatus::Skipped => "skipped",
                MeetingStatus::Failed => "FAILED",
            };
            let detail = if m.detail.is_empty() { String::new() } else { format!(": {}", m.detail) };
            out.push_str(&format!("{}: {status} ({} ms){detail}\n", m.stage, m.millis));
        }
        for w in &self.meeting_warnings {
            out.push_str(&format!("  {w}\n"));
        }
        out
    }
}
