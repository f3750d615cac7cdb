//! `rapporteur run`: the whole pipeline over a meeting.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use rapporteur_pipeline::{discover, RunOptions, RunReport, SessionReport, SessionStatus, Shard};

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

Output: OUT/sessions/<id>/ (transcripts, findings, report drafts), OUT/run.json (per-session
status, time per stage, warnings, errors).
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
    }
    .with_meeting_files(&args.input);
    let pipeline = build(&stage_options)?;
    let options = RunOptions { out: args.output.clone(), threads: args.threads, force: args.force, shard };
    let total = meeting.sessions.len() + meeting.broken.len();
    let progress = Progress::new(total as u64);
    let report = pipeline.run(&meeting, &options, &|s| progress.session_done(s))?;
    progress.finish();
    write_report(&args.output, &report)?;
    eprint!("{}", report.summary());
    eprintln!("outputs: {}/sessions/<id>/   report: {}/run.json", args.output.display(), args.output.display());
    Ok(Outcome { total: report.sessions.len(), failed: report.count(SessionStatus::Failed) })
}

/// Writes `OUT/run.json` atomically.
pub fn write_report(out: &std::path::Path, report: &RunReport) -> anyhow::Result<()> {
    let mut file = AtomicFile::create(&out.join("run.json"))?;
    serde_json::to_writer_pretty(&mut file, report)?;
    std::io::Write::write_all(&mut file, b"\n")?;
    file.commit()
}

/// A progress bar on a terminal; one structured log line per session otherwise.
struct Progress {
    bar: Option<ProgressBar>,
    lock: Mutex<()>,
}

impl Progress {
    fn new(total: u64) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total);
            if let Ok(style) = ProgressStyle::with_template("{spinner} sessions {pos}/{len} [{bar:30}] {elapsed} {msg}")
            {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        Progress { bar, lock: Mutex::new(()) }
    }

    fn session_done(&self, s: &SessionReport) {
        let stages: Vec<String> = s.stages.iter().map(|t| format!("{}={}ms", t.stage, t.millis)).collect();
        let status = match s.status {
            SessionStatus::Done => "done",
            SessionStatus::Cached => "unchanged",
            SessionStatus::Failed => "failed",
        };
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                bar.set_message(format!("{} {status}", s.id));
                if let Some(e) = &s.error {
                    bar.println(format!("failed {}: {e}", s.id));
                }
            }
            None => {
                let _guard = self.lock.lock();
                let mut line = format!("session={} status={status}", s.id);
                if !stages.is_empty() {
                    line.push_str(&format!(" {}", stages.join(" ")));
                }
                if !s.warnings.is_empty() {
                    line.push_str(&format!(" warnings={}", s.warnings.len()));
                }
                if let Some(e) = &s.error {
                    line.push_str(&format!(" error={e:?}"));
                }
                eprintln!("{line}");
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
