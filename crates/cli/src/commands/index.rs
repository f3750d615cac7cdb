//! `rapporteur index`: transcripts and findings into the search index.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rapporteur_index::{read_json_file, IndexInput, SearchIndex};

use crate::Outcome;

/// Where `rapporteur index` and `rapporteur search` keep the index unless told otherwise.
pub const DEFAULT_INDEX: &str = "out/index";

const EXAMPLES: &str = "\
Examples:
  # Transcripts from `rapporteur captions` and findings from `rapporteur extract`
  rapporteur captions captions/*.vtt --to json -o out/transcripts
  rapporteur extract out/transcripts -o out/findings
  rapporteur index out/transcripts out/findings

  # Re-index one session after its captions were corrected (the others stay)
  rapporteur index out/transcripts/ws-12.json --index out/index

Exit status: 0 every file indexed, 1 some files failed (the others are indexed), 2 usage error.";

/// Add transcripts and findings to the search index, replacing each
/// session's earlier documents (no rebuild needed).
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Folders (searched recursively for `*.json`) or files: transcript JSON
    /// (`{"session", "segments"}`) and findings JSON (`{"session", "findings"}`).
    /// Other JSON files are skipped.
    #[arg(required = true, value_name = "DIR")]
    inputs: Vec<PathBuf>,

    /// Index folder (created if missing).
    #[arg(long, default_value = DEFAULT_INDEX)]
    index: PathBuf,
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let mut files = Vec::new();
    for input in &args.inputs {
        collect_json_files(input, &args.index, &mut files)
            .with_context(|| format!("cannot read {}", input.display()))?;
    }
    files.sort();
    files.dedup();

    let index = SearchIndex::open_or_create(&args.index)?;
    let mut outcome = Outcome::default();
    let (mut segments, mut findings, mut skipped) = (0usize, 0usize, 0usize);
    let mut sessions: HashMap<String, PathBuf> = HashMap::new();
    let mut findings_from: HashMap<String, PathBuf> = HashMap::new();
    for file in &files {
        outcome.total += 1;
        let input = match read_json_file(file) {
            Ok(Some(input)) => input,
            Ok(None) => {
                skipped += 1;
                continue;
            }
            Err(e) => {
                eprintln!("error: {e}");
                outcome.failed += 1;
                continue;
            }
        };
        let id = input.session_id().to_string();
        let seen = match &input {
            IndexInput::Transcript(_) => &mut sessions,
            IndexInput::Findings(_) => &mut findings_from,
        };
        if let Some(earlier) = seen.insert(id.clone(), file.clone()) {
            eprintln!(
                "warning: {}: session `{id}` was also in {}; this file replaces it",
                file.display(),
                earlier.display()
            );
        }
        match index.replace(&input) {
            Ok(count) => match input {
                IndexInput::Transcript(_) => segments += count.saturating_sub(1),
                IndexInput::Findings(_) => findings += count,
            },
            Err(e) => {
                eprintln!("error: {}: {e}", file.display());
                outcome.failed += 1;
            }
        }
    }
    index.finish().with_context(|| format!("cannot write the index at {}", args.index.display()))?;
    let session_count = sessions.keys().chain(findings_from.keys()).collect::<std::collections::HashSet<_>>().len();
    eprintln!(
        "indexed {session_count} sessions ({segments} segments, {findings} findings) from {} files into {}{}",
        outcome.total - skipped - outcome.failed,
        args.index.display(),
        if skipped > 0 {
            format!("; skipped {skipped} JSON files that are neither transcripts nor findings")
        } else {
            String::new()
        }
    );
    Ok(outcome)
}

/// `*.json` files under `path` (or `path` itself), leaving out hidden
/// entries and the index folder.
fn collect_json_files(path: &Path, index: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let metadata = std::fs::metadata(path)?;
    if metadata.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let index = index.canonicalize().ok();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if index.is_some() && dir.canonicalize().ok() == index {
            continue;
        }
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let child = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(child);
            } else if child.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
                out.push(child);
            }
        }
    }
    Ok(())
}
