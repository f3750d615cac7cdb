//! `rapporteur eval rouge CANDIDATE REFERENCE`: ROUGE-1/2/L/Lsum of a draft
//! against reference messages, computed as Google's rouge-score computes them.
//!
//! Hooked into `rapporteur eval` as the `rouge` subcommand
//! (`Rouge(super::eval_rouge::RougeArgs)` → [`run`]).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rapporteur_draft::rouge;
use rapporteur_draft::Draft;

use crate::Outcome;

/// ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum of a candidate text against a
/// reference text. Either may be plain text (one sentence or message per
/// line, for ROUGE-Lsum) or a `messages.json` written by `rapporteur draft`
/// (its messages, one per line).
#[derive(Debug, clap::Args)]
pub struct RougeArgs {
    /// The candidate (the draft).
    candidate: PathBuf,
    /// The reference (messages written by people).
    reference: PathBuf,
    /// Only the messages of this track (for `messages.json` inputs).
    #[arg(long)]
    track: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// The text of a file: a draft's messages one per line, or the file as is.
fn read_text(path: &Path, track: Option<&str>) -> anyhow::Result<String> {
    let text = fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    if text.trim_start().starts_with('{') {
        if let Ok(draft) = serde_json::from_str::<Draft>(&text) {
            let lines: Vec<&str> = draft
                .tracks
                .iter()
                .filter(|t| track.is_none_or(|name| t.track.eq_ignore_ascii_case(name)))
                .flat_map(|t| t.groups.iter().flat_map(|g| g.messages.iter().map(|m| m.text.as_str())))
                .collect();
            return Ok(lines.join("\n"));
        }
    }
    Ok(text)
}

/// Runs the subcommand.
pub fn run(args: RougeArgs) -> anyhow::Result<Outcome> {
    let candidate = read_text(&args.candidate, args.track.as_deref())?;
    let reference = read_text(&args.reference, args.track.as_deref())?;
    let scores = rouge::score(&candidate, &reference);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
    } else {
        println!("{:<10} {:>9} {:>9} {:>9}", "metric", "precision", "recall", "f1");
        for (name, s) in [
            ("rouge1", scores.rouge1),
            ("rouge2", scores.rouge2),
            ("rougeL", scores.rouge_l),
            ("rougeLsum", scores.rouge_lsum),
        ] {
            println!("{name:<10} {:>9.4} {:>9.4} {:>9.4}", s.precision, s.recall, s.f1);
        }
    }
    Ok(Outcome { total: 1, failed: 0 })
}
