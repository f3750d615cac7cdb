//! `rapporteur merge`: shard outputs into one meeting output.

use std::path::PathBuf;

use rapporteur_pipeline::{read_shards, PipelineError, RunOptions, Shard};

use crate::commands::pipeline::{build, read_tracks_file, StageOptions};
use crate::commands::run::{outcome, write_report, Progress};
use crate::output::UsageError;
use crate::Outcome;

const EXAMPLES: &str = "\
Examples:
  # Four machines ran `rapporteur run MEETING -o shardK --shard K/4`; combine them
  rapporteur merge shard1 shard2 shard3 shard4 -o out/meeting

Session folders are copied, the shards' search indexes merged (segments copied, not
re-indexed), and the messages drafted from the findings of all sessions with the tracks
the shards were run with (recorded in their run.json). Shards run with different tracks,
rules, Whisper model or rapporteur version are refused.
Exit status: 0 all sessions worked, 1 some failed in their shard, 2 usage error.";

/// Combine the outputs of `rapporteur run --shard K/N` runs into one output,
/// then run the meeting-level stages (drafts from all findings, the index)
/// over the whole.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Shard output folders.
    #[arg(required = true)]
    shards: Vec<PathBuf>,

    /// The merged output folder.
    #[arg(short, long)]
    output: PathBuf,

    /// Thematic tracks file for the per-track drafts. Default: the one the
    /// shards were run with (recorded in their run.json); when given, it
    /// must be the same file.
    #[arg(long, value_name = "FILE")]
    tracks: Option<PathBuf>,
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    for shard in &args.shards {
        if !shard.join("run.json").is_file() {
            return Err(UsageError(format!(
                "{}: no run.json here: give the output folders of `rapporteur run --shard K/N`",
                shard.display()
            ))
            .into());
        }
    }
    let shards = read_shards(&args.shards).map_err(usage)?;
    let recorded = shards.settings.tracks.clone();
    if let Some(path) = &args.tracks {
        let given = read_tracks_file(path)?;
        if recorded.as_ref().map(|t| &t.blake3) != Some(&given.blake3) {
            let theirs = match &recorded {
                Some(t) => format!("another tracks file ({})", t.name),
                None => "no tracks file".to_string(),
            };
            return Err(UsageError(format!(
                "--tracks {}: the shards were run with {theirs}; leave --tracks out to draft with theirs, \
                 or re-run the shards with this file",
                path.display()
            ))
            .into());
        }
    }
    let (mut merged, warnings) = shards.merge_into(&args.output).map_err(usage)?;
    merged.meeting_warnings.extend(warnings);
    let options = StageOptions { speaking_rate: 150.0, recorded_tracks: recorded, ..StageOptions::default() };
    let run_options = RunOptions { out: args.output.clone(), threads: 0, force: false, shard: Shard::ALL };
    let pipeline = build(&options)?;
    let progress = Progress::new();
    pipeline.run_meeting_stages(&args.output, &mut merged, &run_options, &progress);
    progress.finish();
    write_report(&args.output, &merged)?;
    eprint!("{}", merged.summary());
    Ok(outcome(&merged))
}

/// Shards that do not fit together are a usage error (exit 2); I/O is not.
fn usage(e: PipelineError) -> anyhow::Error {
    match e {
        PipelineError::Stage { .. } => anyhow::Error::from(UsageError(e.to_string())),
        e => anyhow::Error::from(e),
    }
}
