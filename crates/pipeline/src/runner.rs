//! Running the stages over every session, in parallel, with isolation.

use std::fs;
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::cache::{session_key, TOOL_VERSION};
use crate::report::{RunReport, SessionReport, SessionStatus, StageTime};
use crate::{Meeting, PipelineError, SessionInputs, SessionWork, Shard, Stage};

/// Name of the file, inside a session's output folder, holding its cache key.
pub const KEY_FILE: &str = ".key";

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Output folder.
    pub out: PathBuf,
    /// Worker threads for sessions (0: one per core).
    pub threads: usize,
    /// Recompute sessions whose key has not changed.
    pub force: bool,
    /// Which share of the sessions to process.
    pub shard: Shard,
}

/// A step that runs once per meeting, after the sessions, on the published
/// session outputs (drafts per track, the search index, the pages).
pub trait MeetingStage: Send + Sync {
    /// Short name for reports.
    fn name(&self) -> &'static str;
    /// Runs over `out` (the run's output folder), whose `sessions/` holds every
    /// session's outputs; returns warnings.
    fn run(&self, out: &Path, sessions: &[SessionReport]) -> Result<Vec<String>, PipelineError>;
}

/// The stages, in order.
#[derive(Default)]
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
    meeting_stages: Vec<Box<dyn MeetingStage>>,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<_> = self.stages.iter().map(|s| s.name()).collect();
        let meeting: Vec<_> = self.meeting_stages.iter().map(|s| s.name()).collect();
        f.debug_struct("Pipeline").field("stages", &names).field("meeting_stages", &meeting).finish()
    }
}

impl Pipeline {
    /// An empty pipeline.
    pub fn new() -> Self {
        Pipeline::default()
    }

    /// Adds a per-session stage.
    pub fn stage(mut self, stage: impl Stage + 'static) -> Self {
        self.stages.push(Box::new(stage));
        self
    }

    /// Adds a meeting-level stage.
    pub fn meeting_stage(mut self, stage: impl MeetingStage + 'static) -> Self {
        self.meeting_stages.push(Box::new(stage));
        self
    }

    /// Runs every session of `meeting` in `options.shard`, then the meeting
    /// stages. `observer` is told of each session as it finishes (from any thread).
    pub fn run(
        &self,
        meeting: &Meeting,
        options: &RunOptions,
        observer: &(dyn Fn(&SessionReport) + Sync),
    ) -> Result<RunReport, PipelineError> {
        let started = Instant::now();
        let sessions_dir = options.out.join("sessions");
        fs::create_dir_all(&sessions_dir).map_err(|e| PipelineError::io(&sessions_dir, e))?;
        remove_partials(&sessions_dir);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(options.threads)
            .build()
            .map_err(|e| PipelineError::stage("run", format!("cannot start worker threads: {e}")))?;
        let threads = pool.current_num_threads();
        let chosen: Vec<&SessionInputs> =
            meeting.sessions.iter().filter(|s| options.shard.contains(&s.session.id)).collect();
        let mut reports: Vec<SessionReport> = pool.install(|| {
            chosen
                .par_iter()
                .map(|inputs| {
                    let report = self.run_session(inputs, &sessions_dir, options.force);
                    observer(&report);
                    report
                })
                .collect()
        });
        for broken in meeting.broken.iter().filter(|b| options.shard.contains(&b.id)) {
            let report = SessionReport {
                id: broken.id.clone(),
                status: SessionStatus::Failed,
                stages: Vec::new(),
                warnings: Vec::new(),
                error: Some(broken.error.to_string()),
            };
            observer(&report);
            reports.push(report);
        }
        reports.sort_by(|a, b| a.id.cmp(&b.id));
        let mut report = RunReport {
            version: TOOL_VERSION.to_string(),
            shard: options.shard.to_string(),
            threads,
            millis: 0,
            sessions: reports,
            meeting_stages: Vec::new(),
            meeting_warnings: Vec::new(),
        };
        self.run_meeting_stages(&options.out, &mut report);
        report.millis = started.elapsed().as_millis() as u64;
        Ok(report)
    }

    /// Runs only the meeting stages (after `rapporteur merge`).
    pub fn run_meeting_stages(&self, out: &Path, report: &mut RunReport) {
        for stage in &self.meeting_stages {
            let t = Instant::now();
            let result = panic::catch_unwind(AssertUnwindSafe(|| stage.run(out, &report.sessions)));
            match result {
                Ok(Ok(warnings)) => report.meeting_warnings.extend(warnings),
                Ok(Err(e)) => report.meeting_warnings.push(format!("{}: error: {e}", stage.name())),
                Err(panic) => {
                    report.meeting_warnings.push(format!("{}: crashed: {}", stage.name(), panic_message(&panic)))
                }
            }
            report
                .meeting_stages
                .push(StageTime { stage: stage.name().into(), millis: t.elapsed().as_millis() as u64 });
        }
    }

    fn run_session(&self, inputs: &SessionInputs, sessions_dir: &Path, force: bool) -> SessionReport {
        let id = inputs.session.id.clone();
        let mut report = SessionReport {
            id: id.clone(),
            status: SessionStatus::Done,
            stages: Vec::new(),
            warnings: Vec::new(),
            error: None,
        };
        for ignored in &inputs.ignored {
            report
                .warnings
                .push(format!("{}: ignored: not a recording, caption, transcript or report", ignored.display()));
        }
        let stages: Vec<&dyn Stage> = self.stages.iter().map(|s| s.as_ref()).collect();
        let key = match session_key(inputs, &stages) {
            Ok(k) => k,
            Err(e) => return failed(report, e.to_string()),
        };
        let out_dir = sessions_dir.join(&id);
        if !force && fs::read_to_string(out_dir.join(KEY_FILE)).map(|k| k.trim() == key).unwrap_or(false) {
            report.status = SessionStatus::Cached;
            return report;
        }
        let mut work = SessionWork::new(inputs);
        for stage in &self.stages {
            let t = Instant::now();
            // A panic inside one stage must not take down the other sessions.
            let result = panic::catch_unwind(AssertUnwindSafe(|| stage.run(&mut work)));
            report.stages.push(StageTime { stage: stage.name().into(), millis: t.elapsed().as_millis() as u64 });
            let error = match result {
                Ok(Ok(())) => continue,
                Ok(Err(e)) => e.to_string(),
                Err(panic) => {
                    format!("stage {} crashed: {} (a bug: please report it)", stage.name(), panic_message(&panic))
                }
            };
            report.warnings.append(&mut work.warnings);
            return failed(report, error);
        }
        report.warnings.append(&mut work.warnings);
        if let Err(e) = publish(sessions_dir, &id, &work, &key) {
            return failed(report, e.to_string());
        }
        report
    }
}

fn failed(mut report: SessionReport, error: String) -> SessionReport {
    report.status = SessionStatus::Failed;
    report.error = Some(error);
    report
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Writes a session's outputs into a partial folder, synced, then swaps it in
/// for the old one: a run killed at any point leaves either the old or the
/// new outputs, and the key file (written last) says which are complete.
fn publish(sessions_dir: &Path, id: &str, work: &SessionWork<'_>, key: &str) -> Result<(), PipelineError> {
    let partial = sessions_dir.join(format!(".{id}.partial-{}", std::process::id()));
    let final_dir = sessions_dir.join(id);
    let old = sessions_dir.join(format!(".{id}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&partial);
    fs::create_dir_all(&partial).map_err(|e| PipelineError::io(&partial, e))?;
    let write = |name: &str, bytes: &[u8]| -> Result<(), PipelineError> {
        let path = partial.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| PipelineError::io(parent, e))?;
        }
        let mut file = fs::File::create(&path).map_err(|e| PipelineError::io(&path, e))?;
        file.write_all(bytes).and_then(|_| file.sync_all()).map_err(|e| PipelineError::io(&path, e))
    };
    for (name, bytes) in &work.artifacts {
        write(name, bytes)?;
    }
    write(KEY_FILE, format!("{key}\n").as_bytes())?;
    if final_dir.exists() {
        fs::rename(&final_dir, &old).map_err(|e| PipelineError::io(&final_dir, e))?;
    }
    fs::rename(&partial, &final_dir).map_err(|e| PipelineError::io(&final_dir, e))?;
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Leftovers of a killed run.
fn remove_partials(sessions_dir: &Path) {
    if let Ok(entries) = fs::read_dir(sessions_dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && (name.contains(".partial-") || name.contains(".old-")) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}
