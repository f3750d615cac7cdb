//! Running the stages over every session, in parallel, with isolation.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::cache::{session_key, TOOL_VERSION};
use crate::meeting_stage::{read_published, MeetingContext, MeetingStage};
use crate::publish::{remove_partials, stage_dir, swap_in, sync_all_under, sync_dir};
use crate::report::{
    MeetingStageReport, MeetingStatus, RunReport, RunSettings, SessionReport, SessionStatus, StageTime, TracksFile,
};
use crate::{Meeting, Observer, PipelineError, SessionInputs, SessionWork, Shard, Stage};

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

/// The stages, in order.
#[derive(Default)]
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
    meeting_stages: Vec<Box<dyn MeetingStage>>,
    tracks: Option<TracksFile>,
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

    /// Records the tracks file the stages were built with in the run report
    /// (`settings.tracks`), for `rapporteur merge`.
    pub fn tracks_file(mut self, tracks: Option<TracksFile>) -> Self {
        self.tracks = tracks;
        self
    }

    /// The tracks file recorded with [`Pipeline::tracks_file`].
    pub fn recorded_tracks(&self) -> Option<&TracksFile> {
        self.tracks.as_ref()
    }

    /// The settings of a run over `sessions`: the fingerprint of every stage
    /// that applies to one of them (already computed for their keys), and
    /// the tracks file.
    pub fn settings<'a>(&self, sessions: impl IntoIterator<Item = &'a SessionInputs> + Clone) -> RunSettings {
        let stages = self
            .stages
            .iter()
            .filter(|stage| sessions.clone().into_iter().any(|s| stage.applies(s)))
            .map(|stage| (stage.name().to_string(), stage.fingerprint()))
            .collect();
        RunSettings { stages, tracks: self.tracks.clone() }
    }

    /// The per-session stages' names, in order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    /// The meeting stages' names, in order.
    pub fn meeting_stage_names(&self) -> Vec<&'static str> {
        self.meeting_stages.iter().map(|s| s.name()).collect()
    }

    /// Runs every session of `meeting` in `options.shard`, then the meeting
    /// stages. `observer` is told of progress (from any thread).
    pub fn run(
        &self,
        meeting: &Meeting,
        options: &RunOptions,
        observer: &dyn Observer,
    ) -> Result<RunReport, PipelineError> {
        let started = Instant::now();
        let sessions_dir = options.out.join("sessions");
        fs::create_dir_all(&sessions_dir).map_err(|e| PipelineError::io(&sessions_dir, e))?;
        remove_partials(&sessions_dir);
        remove_partials(&options.out);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(options.threads)
            .build()
            .map_err(|e| PipelineError::stage("run", format!("cannot start worker threads: {e}")))?;
        let threads = pool.current_num_threads();
        let mut chosen: Vec<(u64, &SessionInputs)> = meeting
            .sessions
            .iter()
            .filter(|s| options.shard.contains(&s.session.id))
            .map(|s| (estimated_cost(s), s))
            .collect();
        // Longest first: a recording to transcribe starts at once and the
        // text sessions fill the other workers meanwhile, instead of one long
        // session starting last and running alone. Order never changes outputs.
        chosen.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.session.id.cmp(&b.1.session.id)));
        // Keys first (in parallel): set-up the stages need (rules to
        // compile) is done only when some session is to be computed.
        let stages: Vec<&dyn Stage> = self.stages.iter().map(|s| s.as_ref()).collect();
        let keys: Vec<Result<String, String>> = pool.install(|| {
            chosen.par_iter().map(|(_, inputs)| session_key(inputs, &stages).map_err(|e| e.to_string())).collect()
        });
        let needs_work = options.force
            || chosen.iter().zip(&keys).any(|((_, inputs), key)| match key {
                Ok(key) => !is_published(&sessions_dir.join(&inputs.session.id), key),
                Err(_) => true,
            });
        if needs_work {
            for stage in &self.stages {
                stage.prepare()?;
            }
        }
        let broken: Vec<_> = meeting.broken.iter().filter(|b| options.shard.contains(&b.id)).collect();
        observer.run_started((chosen.len() + broken.len()) as u64, &self.stage_names(), &self.meeting_stage_names());
        // Group commit: workers write each session's folder unsynced beside
        // its target; one committer thread makes whatever has been written
        // since its last flush durable with a single sync, then swaps those
        // folders in. The channel is bounded, so a committer slowed by the
        // disk holds the workers back, and a killed run loses at most the
        // sessions of one batch (their partial folders are cleared next time).
        let (tx, rx) = crossbeam_channel::bounded::<(SessionReport, Option<PathBuf>)>(threads * 16);
        let committed = std::thread::scope(|scope| {
            let committer = scope.spawn(|| commit_sessions(rx, &sessions_dir, observer));
            pool.install(|| {
                // par_bridge hands sessions out one at a time in the order above.
                chosen.iter().zip(keys).par_bridge().for_each_with(tx, |tx, ((_, inputs), key)| {
                    let (report, staged) = self.run_session(inputs, key, &sessions_dir, options.force, observer);
                    // Stages not run (unchanged, or after a failure) are passed too.
                    for stage in self.stages.iter().skip(report.stages.len()) {
                        observer.stage_done(&report.id, stage.name());
                    }
                    // The committer only ends when every sender is gone.
                    let _ = tx.send((report, staged));
                })
            });
            committer.join()
        });
        let mut reports: Vec<SessionReport> = committed.map_err(|panic| {
            PipelineError::stage(
                "run",
                format!("publishing crashed: {} (a bug: please report it)", panic_message(&panic)),
            )
        })?;
        for broken in broken {
            let report = SessionReport {
                id: broken.id.clone(),
                status: SessionStatus::Failed,
                stages: Vec::new(),
                warnings: Vec::new(),
                error: Some(broken.error.to_string()),
            };
            observer.session_done(&report);
            reports.push(report);
        }
        reports.sort_by(|a, b| a.id.cmp(&b.id));
        let pruned = prune_stale(&sessions_dir, &reports);
        let mut report = RunReport {
            version: TOOL_VERSION.to_string(),
            shard: options.shard.to_string(),
            threads,
            millis: 0,
            sessions: reports,
            meeting_stages: Vec::new(),
            meeting_warnings: pruned,
            settings: Some(self.settings(chosen.iter().map(|(_, s)| *s))),
        };
        pool.install(|| self.run_meeting_stages(&options.out, &mut report, options, observer));
        report.millis = started.elapsed().as_millis() as u64;
        Ok(report)
    }

    /// Runs only the meeting stages over `out` (also after `rapporteur merge`),
    /// adding their outcomes to `report` in the order the stages were added.
    ///
    /// The stages run at the same time (on the current rayon pool): each one
    /// reads the published sessions and writes its own folder (the drafts,
    /// the index), so none waits for another, and one stage's serial parts
    /// (the index writer, clustering a track) leave cores to the other.
    pub fn run_meeting_stages(
        &self,
        out: &Path,
        report: &mut RunReport,
        options: &RunOptions,
        observer: &dyn Observer,
    ) {
        let published = read_published(out, &report.sessions);
        let sessions = &report.sessions;
        let results: Vec<(MeetingStageReport, Vec<String>)> = self
            .meeting_stages
            .par_iter()
            .with_max_len(1)
            .map(|stage| {
                let t = Instant::now();
                let ctx = MeetingContext {
                    published: &published,
                    out,
                    sessions,
                    shard: options.shard,
                    force: options.force,
                    threads: options.threads,
                    stage: stage.name(),
                    observer,
                };
                let result = panic::catch_unwind(AssertUnwindSafe(|| stage.run(&ctx)));
                let mut warnings = Vec::new();
                let (status, detail) = match result {
                    Ok(Ok(outcome)) => {
                        warnings.extend(outcome.warnings.into_iter().map(|w| format!("{}: {w}", stage.name())));
                        (outcome.status, outcome.detail)
                    }
                    Ok(Err(e)) => (MeetingStatus::Failed, e.to_string()),
                    Err(panic) => {
                        (MeetingStatus::Failed, format!("crashed: {} (a bug: please report it)", panic_message(&panic)))
                    }
                };
                let line = MeetingStageReport {
                    stage: stage.name().into(),
                    millis: t.elapsed().as_millis() as u64,
                    status,
                    detail,
                };
                observer.meeting_stage_done(&line);
                (line, warnings)
            })
            .collect();
        for (line, warnings) in results {
            report.meeting_warnings.extend(warnings);
            report.meeting_stages.push(line);
        }
    }

    /// Runs the stages on one session and writes its outputs, unsynced, as
    /// a partial folder (returned) for the committer to swap in.
    fn run_session(
        &self,
        inputs: &SessionInputs,
        key: Result<String, String>,
        sessions_dir: &Path,
        force: bool,
        observer: &dyn Observer,
    ) -> (SessionReport, Option<PathBuf>) {
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
        let key = match key {
            Ok(k) => k,
            Err(e) => return (failed(report, e), None),
        };
        if !force && is_published(&sessions_dir.join(&id), &key) {
            report.status = SessionStatus::Cached;
            return (report, None);
        }
        let mut work = SessionWork::new(inputs);
        for stage in &self.stages {
            let t = Instant::now();
            // A panic inside one stage must not take down the other sessions.
            let result = panic::catch_unwind(AssertUnwindSafe(|| stage.run(&mut work)));
            report.stages.push(StageTime { stage: stage.name().into(), millis: t.elapsed().as_millis() as u64 });
            observer.stage_done(&id, stage.name());
            let error = match result {
                Ok(Ok(())) => continue,
                Ok(Err(e)) => e.to_string(),
                Err(panic) => {
                    format!("stage {} crashed: {} (a bug: please report it)", stage.name(), panic_message(&panic))
                }
            };
            report.warnings.append(&mut work.warnings);
            return (failed(report, error), None);
        }
        report.warnings.append(&mut work.warnings);
        let mut files = std::mem::take(&mut work.artifacts);
        // The key goes in with the outputs: a folder with a key is complete.
        files.insert(KEY_FILE.into(), format!("{key}\n").into_bytes());
        match stage_dir(sessions_dir, &id, &files) {
            Ok(staged) => (report, Some(staged)),
            Err(e) => (failed(report, e.to_string()), None),
        }
    }
}

/// The committer of a run's session folders (see `Pipeline::run`): takes
/// every session the workers have finished since its last flush, makes their
/// partial folders durable with one [`sync_all_under`], swaps them in, then
/// reports the sessions as done. Returns the reports in completion order.
fn commit_sessions(
    rx: crossbeam_channel::Receiver<(SessionReport, Option<PathBuf>)>,
    sessions_dir: &Path,
    observer: &dyn Observer,
) -> Vec<SessionReport> {
    let pid = std::process::id();
    let mut reports = Vec::new();
    let mut renamed = false;
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let staged: Vec<&Path> = batch.iter().filter_map(|(_, s)| s.as_deref()).collect();
        let synced = if staged.is_empty() { Ok(()) } else { sync_all_under(sessions_dir, &staged) };
        for (mut report, staged) in batch {
            if let Some(partial) = staged {
                let id = report.id.clone();
                let old = sessions_dir.join(format!(".{id}.old-{pid}"));
                let swapped = match &synced {
                    Ok(()) => swap_in(&partial, &sessions_dir.join(&id), &old).map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                match swapped {
                    Ok(()) => renamed = true,
                    Err(e) => {
                        let _ = fs::remove_dir_all(&partial);
                        report = failed(report, e);
                    }
                }
            }
            observer.session_done(&report);
            reports.push(report);
        }
    }
    // The renames themselves (entries of `sessions/`), before run.json is
    // written. A failure here loses nothing written: at worst the next run
    // redoes sessions whose new folder names did not reach the disk.
    if renamed {
        let _ = sync_dir(sessions_dir);
    }
    reports
}

/// Whether `dir` holds complete outputs made under `key`.
fn is_published(dir: &Path, key: &str) -> bool {
    fs::read_to_string(dir.join(KEY_FILE)).map(|k| k.trim() == key).unwrap_or(false)
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

/// Removes the output folders of sessions that are no longer in the run (a
/// session folder deleted from the meeting, or moved to another shard), so
/// that `OUT` mirrors the meeting. Only folders with a key file (made by a
/// run) are touched. Returns one line per folder removed.
fn prune_stale(sessions_dir: &Path, reports: &[SessionReport]) -> Vec<String> {
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(sessions_dir) else { return removed };
    let mut stale: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            !name.starts_with('.')
                && p.join(KEY_FILE).is_file()
                && reports.binary_search_by(|r| r.id.as_str().cmp(name.as_str())).is_err()
        })
        .collect();
    stale.sort();
    for dir in stale {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // Renamed aside first, so no reader sees a half-deleted folder.
        let aside = sessions_dir.join(format!(".{name}.old-{}", std::process::id()));
        if fs::rename(&dir, &aside).is_ok() {
            let _ = fs::remove_dir_all(&aside);
            removed.push(format!("sessions/{name}: removed (the session is no longer in this run)"));
        }
    }
    removed
}

/// A rough cost for scheduling: a recording to transcribe outweighs any
/// text; otherwise the size of the inputs.
fn estimated_cost(inputs: &SessionInputs) -> u64 {
    let size: u64 = inputs.all_files().iter().filter_map(|p| fs::metadata(p).ok()).map(|m| m.len()).sum();
    let needs_asr = inputs.captions.is_empty() && inputs.raw_text.is_empty() && !inputs.recordings.is_empty();
    if needs_asr {
        u64::MAX / 2 + size
    } else {
        size
    }
}
