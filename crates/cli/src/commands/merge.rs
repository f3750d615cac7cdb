//! `rapporteur merge`: shard outputs into one meeting output.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use rapporteur_pipeline::{RunReport, SessionStatus};

use crate::commands::pipeline::{build, StageOptions};
use crate::commands::run::write_report;
use crate::output::UsageError;
use crate::Outcome;

/// Combine the outputs of `rapporteur run --shard K/N` runs into one output,
/// then run the meeting-level stages (drafts from all findings, the index,
/// the pages) over the whole.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Shard output folders.
    #[arg(required = true)]
    shards: Vec<PathBuf>,

    /// The merged output folder.
    #[arg(short, long)]
    output: PathBuf,

    /// Thematic tracks file, for the per-track drafts (as given to `run`).
    #[arg(long, value_name = "FILE")]
    tracks: Option<PathBuf>,
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let mut reports = Vec::new();
    for shard in &args.shards {
        let path = shard.join("run.json");
        let text = fs::read_to_string(&path).map_err(|e| {
            UsageError(format!("{}: {e} (is {} the output of `rapporteur run`?)", path.display(), shard.display()))
        })?;
        let report: RunReport =
            serde_json::from_str(&text).with_context(|| format!("cannot read {}", path.display()))?;
        reports.push((shard, report));
    }
    let sessions_out = args.output.join("sessions");
    fs::create_dir_all(&sessions_out).with_context(|| format!("cannot create {}", sessions_out.display()))?;
    let mut merged = RunReport {
        version: reports[0].1.version.clone(),
        shard: "1/1".into(),
        threads: reports.iter().map(|(_, r)| r.threads).max().unwrap_or(1),
        millis: reports.iter().map(|(_, r)| r.millis).max().unwrap_or(0),
        sessions: Vec::new(),
        meeting_stages: Vec::new(),
        meeting_warnings: Vec::new(),
    };
    for (shard, report) in reports {
        for session in report.sessions {
            if merged.sessions.iter().any(|s| s.id == session.id) {
                bail!(
                    "session {} appears in more than one shard ({}): were the shards run with the same N?",
                    session.id,
                    shard.display()
                );
            }
            let from = shard.join("sessions").join(&session.id);
            if session.status != SessionStatus::Failed || from.exists() {
                copy_dir(&from, &sessions_out.join(&session.id))?;
            }
            merged.sessions.push(session);
        }
    }
    merged.sessions.sort_by(|a, b| a.id.cmp(&b.id));
    let options = StageOptions { speaking_rate: 150.0, tracks: args.tracks.clone(), ..StageOptions::default() };
    build(&options)?.run_meeting_stages(&args.output, &mut merged);
    write_report(&args.output, &merged)?;
    eprint!("{}", merged.summary());
    Ok(Outcome { total: merged.sessions.len(), failed: merged.count(SessionStatus::Failed) })
}

/// Copies a session folder into place through a temporary folder and a rename.
fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    let parent = to.parent().unwrap_or(Path::new("."));
    let name = to.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = parent.join(format!(".{name}.merge-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    copy_tree(from, &tmp).with_context(|| format!("cannot copy {}", from.display()))?;
    if to.exists() {
        fs::remove_dir_all(to).with_context(|| format!("cannot replace {}", to.display()))?;
    }
    fs::rename(&tmp, to).with_context(|| format!("cannot write {}", to.display()))?;
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
