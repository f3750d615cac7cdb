//! `rapporteur run`: the whole pipeline over a meeting.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::Context;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rapporteur_pipeline::{
    discover, MeetingStageReport, MeetingStatus, Observer, PipelineError, RunOptions, RunReport, SessionReport,
    SessionStatus, Shard,
};

use crate::commands::pipeline::{build, StageOptions};
use crate::output::{AtomicFile, UsageError};
use crate::Outcome;

const EXAMPLES: &str = "\
Examples:
  # The bundled fixture meeting, into out/meeting
  rapporteur run fixtures/meeting -o out/meeting

  # Nightly: recompute everything with 2 workers
  rapporteur run /data/igf2026 -o /srv/igf2026 --threads 2 --force

  # Machine 3 of 4 processes its share; then merge the four outputs
  rapporteur run /data/igf2026 -o shard3 --shard 3/4
  rapporteur merge shard1 shard2 shard3 shard4 -o /srv/igf2026

Output: OUT/sessions/<id>/ (transcripts, findings, report drafts), OUT/drafts/ (messages per
track: messages.md, .html, .json), OUT/index/ (search it with `rapporteur search --index
OUT/index QUERY`), OUT/run.json (per-session status, time per stage, warnings, errors).
Exit status: 0 all sessions worked, 1 some failed (the others are still written), 2 usage error.";

/// Run every stage over a meeting: one folder per session (session.toml and
/// any of recordings, caption files, CART text, a report) or a manifest.
/// Unchanged sessions are not recomputed.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The meeting folder or a manifest TOML (`sessions = ["dir", ...]`).
    input: PathBuf,

    /// Output folder.
    #[arg(short, long)]
    output: PathBuf,

    /// Worker threads for sessions (default: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,

    /// Recompute sessions even when their inputs have not changed.
    #[arg(long)]
    force: bool,

    /// Process only shard K of N (a deterministic share of the sessions).
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,

    /// Speaking rate in words per minute, for text without times (CART).
    #[arg(long, default_value_t = 150.0)]
    speaking_rate: f64,

    /// Rules files layered on the built-in set, in order (organisation,
    /// then meeting). The meeting folder's own `rules.toml` is added last.
    #[arg(long = "rules", value_name = "FILE")]
    rules: Vec<PathBuf>,

    /// Disable a rule by id (repeatable).
    #[arg(long = "disable", value_name = "ID")]
    disable: Vec<String>,

    /// Thematic tracks file (default: the meeting folder's `tracks.toml`).
    #[arg(long, value_name = "FILE")]
    tracks: Option<PathBuf>,
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let shard = match &args.shard {
        Some(s) => s.parse::<Shard>().map_err(|e| UsageError(e.to_string()))?,
        None => Shard::ALL,
    };
    if !(args.speaking_rate.is_finite() && args.speaking_rate > 0.0) {
        return Err(UsageError(format!("--speaking-rate must be a positive number, not {}", args.speaking_rate)).into());
    }
    if !args.input.exists() {
        return Err(UsageError(format!("{}: no such meeting folder or manifest", args.input.display())).into());
    }
    let meeting = discover(&args.input).with_context(|| format!("cannot read meeting {}", args.input.display()))?;
    let stage_options = StageOptions {
        speaking_rate: args.speaking_rate,
        rules: args.rules.clone(),
        disable: args.disable.clone(),
        tracks: args.tracks.clone(),
        recorded_tracks: None,
        threads: args.threads,
    }
    .with_meeting_files(&args.input);
    let pipeline = build(&stage_options)?;
    let options = RunOptions { out: args.output.clone(), threads: args.threads, force: args.force, shard };
    let progress = Progress::new();
    let report = pipeline.run(&meeting, &options, &progress).map_err(|e| match e {
        // A stage that cannot start (rules with errors) is a usage error.
        e @ PipelineError::Stage { .. } => anyhow::Error::from(UsageError(e.to_string())),
        e => anyhow::Error::from(e),
    })?;
    progress.finish();
    write_report(&args.output, &report)?;
    eprint!("{}", report.summary());
    let out = args.output.display();
    eprintln!("outputs: {out}/sessions/<id>/  {out}/drafts/  {out}/index/   report: {out}/run.json");
    Ok(outcome(&report))
}

/// Sessions that failed, plus one for each meeting stage that failed.
pub fn outcome(report: &RunReport) -> Outcome {
    let stages_failed = report.meeting_stages.iter().filter(|m| m.status == MeetingStatus::Failed).count();
    Outcome {
        total: report.sessions.len() + report.meeting_stages.len(),
        failed: report.count(SessionStatus::Failed) + stages_failed,
    }
}

/// Writes `OUT/run.json` atomically.
pub fn write_report(out: &std::path::Path, report: &RunReport) -> anyhow::Result<()> {
    let mut file = AtomicFile::create(&out.join("run.json"))?;
    serde_json::to_writer_pretty(&mut file, report)?;
    std::io::Write::write_all(&mut file, b"\n")?;
    file.commit()
}

/// On a terminal, a progress bar per stage (sessions through transcript,
/// ASR, extraction; then drafts and index); otherwise one structured log line
/// (`key=value ...`) per session and per meeting stage.
pub struct Progress {
    bars: Option<Bars>,
    lock: Mutex<()>,
}

struct Bars {
    multi: MultiProgress,
    stages: Mutex<HashMap<&'static str, ProgressBar>>,
}

impl Bars {
    fn bar(&self, name: &'static str, total: u64) -> ProgressBar {
        let bar = self.multi.add(ProgressBar::new(total));
        let template = if total == 0 {
            "{spinner} {prefix:>10} {elapsed} {msg}"
        } else {
            "{spinner} {prefix:>10} {pos:>5}/{len:<5} [{bar:30}] {elapsed} {msg}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(name);
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        bar
    }

    fn get(&self, name: &str) -> Option<ProgressBar> {
        self.stages.lock().ok().and_then(|m| m.get(name).cloned())
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress::new()
    }
}

impl Progress {
    /// Bars when stderr is a terminal, log lines otherwise.
    pub fn new() -> Self {
        let bars = std::io::stderr().is_terminal().then(|| Bars {
            multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            stages: Mutex::new(HashMap::new()),
        });
        Progress { bars, lock: Mutex::new(()) }
    }

    fn log(&self, line: &str) {
        let _guard = self.lock.lock();
        eprintln!("{line}");
    }

    /// Clears the bars.
    pub fn finish(&self) {
        if let Some(bars) = &self.bars {
            if let Ok(map) = bars.stages.lock() {
                for bar in map.values() {
                    bar.finish_and_clear();
                }
            }
            let _ = bars.multi.clear();
        }
    }
}

fn status_name(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Done => "done",
        SessionStatus::Cached => "unchanged",
        SessionStatus::Failed => "failed",
    }
}

fn meeting_status_name(status: MeetingStatus) -> &'static str {
    match status {
        MeetingStatus::Done => "done",
        MeetingStatus::Unchanged => "unchanged",
        MeetingStatus::Skipped => "skipped",
        MeetingStatus::Failed => "failed",
    }
}

impl Observer for Progress {
    fn run_started(&self, total: u64, stages: &[&'static str], _meeting_stages: &[&'static str]) {
        match &self.bars {
            Some(bars) => {
                let mut map = HashMap::new();
                for &stage in stages {
                    map.insert(stage, bars.bar(stage, total));
                }
                if let Ok(mut m) = bars.stages.lock() {
                    *m = map;
                }
            }
            None => self.log(&format!("event=start sessions={total} stages={}", stages.join(","))),
        }
    }

    fn stage_done(&self, _id: &str, stage: &'static str) {
        if let Some(bar) = self.bars.as_ref().and_then(|b| b.get(stage)) {
            bar.inc(1);
        }
    }

    fn session_done(&self, s: &SessionReport) {
        let status = status_name(s.status);
        match &self.bars {
            Some(bars) => {
                if let Some(e) = &s.error {
                    let _ = bars.multi.println(format!("failed {}: {e}", s.id));
                }
            }
            None => {
                let mut line = format!("event=session session={} status={status}", s.id);
                for t in &s.stages {
                    line.push_str(&format!(" {}_ms={}", t.stage, t.millis));
                }
                if !s.warnings.is_empty() {
                    line.push_str(&format!(" warnings={}", s.warnings.len()));
                }
                if let Some(e) = &s.error {
                    line.push_str(&format!(" error={e:?}"));
                }
                self.log(&line);
            }
        }
    }

    fn meeting_stage_started(&self, stage: &'static str, total: u64) {
        match &self.bars {
            Some(bars) => {
                let bar = bars.bar(stage, total);
                if let Ok(mut m) = bars.stages.lock() {
                    m.insert(stage, bar);
                }
            }
            None => self.log(&format!("event=stage_start stage={stage} sessions={total}")),
        }
    }

    fn meeting_stage_progress(&self, stage: &'static str, done: u64) {
        if let Some(bar) = self.bars.as_ref().and_then(|b| b.get(stage)) {
            bar.set_position(done);
        }
    }

    fn meeting_stage_done(&self, r: &MeetingStageReport) {
        let status = meeting_status_name(r.status);
        match &self.bars {
            Some(bars) => {
                if let Some(bar) = bars.get(&r.stage) {
                    bar.set_message(status);
                    bar.finish();
                }
            }
            None => self
                .log(&format!("event=stage stage={} status={status} ms={} detail={:?}", r.stage, r.millis, r.detail)),
        }
    }
}
