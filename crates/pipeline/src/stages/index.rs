//! Meeting stage: the search index (`OUT/index`), updated session by session.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rapporteur_index::{read_json_file, IndexError, IndexInput, SearchIndex};
use rayon::prelude::*;

use crate::{write_file, MeetingContext, MeetingOutcome, MeetingStage, PipelineError, Published};

/// The index folder inside a run's output folder.
pub const INDEX_DIR: &str = "index";
/// The file, inside the index folder, that records which version (key) of
/// each session the index holds. tantivy leaves files it did not write alone.
pub const INDEX_STATE_FILE: &str = "rapporteur-sessions.json";

/// Keeps `OUT/index` (tantivy) in step with the published sessions: a session
/// whose key changed has its documents replaced, a session no longer in the
/// run is removed, the others are not touched. Sessions are read and parsed
/// in parallel and streamed to the index writer through a bounded channel,
/// so reading overlaps indexing and memory stays flat.
#[derive(Debug, Clone, Copy, Default)]
pub struct IndexStage;

/// Which key of each session the index holds.
pub fn read_state(index_dir: &Path) -> BTreeMap<String, String> {
    if !index_dir.join("meta.json").is_file() {
        return BTreeMap::new();
    }
    fs::read_to_string(index_dir.join(INDEX_STATE_FILE))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Records which key of each session the index holds (after a commit).
pub fn write_state(index_dir: &Path, state: &BTreeMap<String, String>) -> Result<(), PipelineError> {
    let mut json = serde_json::to_string_pretty(state).unwrap_or_else(|_| "{}".into());
    json.push('\n');
    write_file(&index_dir.join(INDEX_STATE_FILE), json.as_bytes())
}

fn index_error(e: IndexError) -> PipelineError {
    PipelineError::stage("index", e.to_string())
}

/// A session's documents, read from its published JSON files.
fn read_session(session_dir: &Path) -> Result<Vec<IndexInput>, String> {
    let mut inputs = Vec::new();
    for name in ["transcript.json", "findings.json"] {
        let path = session_dir.join(name);
        if path.is_file() {
            match read_json_file(&path) {
                Ok(Some(input)) => inputs.push(input),
                Ok(None) => {}
                Err(e) => return Err(e.to_string()),
            }
        }
    }
    Ok(inputs)
}

impl MeetingStage for IndexStage {
    fn name(&self) -> &'static str {
        "index"
    }

    fn run(&self, ctx: &MeetingContext<'_>) -> Result<MeetingOutcome, PipelineError> {
        let dir: PathBuf = ctx.out.join(INDEX_DIR);
        if ctx.force && dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| PipelineError::io(&dir, e))?;
        }
        let mut state = read_state(&dir);
        let published = ctx.published();
        let changed: Vec<&Published> = published.iter().filter(|p| state.get(&p.id) != Some(&p.key)).collect();
        let gone: Vec<String> = state.keys().filter(|id| !published.iter().any(|p| &p.id == *id)).cloned().collect();
        if changed.is_empty() && gone.is_empty() && dir.join("meta.json").is_file() {
            return Ok(MeetingOutcome::unchanged(format!("{} sessions, none changed", published.len())));
        }
        ctx.start(changed.len() as u64);
        let index = match SearchIndex::open_or_create(&dir) {
            Err(IndexError::SchemaMismatch { .. }) => {
                // Built by another version: start again (every key changed anyway).
                fs::remove_dir_all(&dir).map_err(|e| PipelineError::io(&dir, e))?;
                state.clear();
                SearchIndex::open_or_create(&dir).map_err(index_error)?
            }
            other => other.map_err(index_error)?,
        };
        for id in &gone {
            index.remove_session(id).map_err(index_error)?;
            state.remove(id);
        }
        let mut warnings = Vec::new();
        let mut indexed: Vec<(String, String)> = Vec::new();
        let (tx, rx) =
            crossbeam_channel::bounded::<(&Published, Result<Vec<IndexInput>, String>)>(ctx.threads.max(1) * 2);
        std::thread::scope(|scope| -> Result<(), PipelineError> {
            // One writer thread; the run's workers read and parse sessions.
            let writer = scope.spawn(|| -> Result<(), PipelineError> {
                for (done, (p, read)) in rx.into_iter().enumerate() {
                    match read {
                        Ok(inputs) => {
                            index.remove_session(&p.id).map_err(index_error)?;
                            for input in &inputs {
                                index.replace(input).map_err(index_error)?;
                            }
                            indexed.push((p.id.clone(), p.key.clone()));
                        }
                        Err(e) => warnings.push(format!("{}: not indexed: {e}", p.id)),
                    }
                    ctx.progress(done as u64 + 1);
                }
                Ok(())
            });
            changed.par_iter().for_each_with(tx, |tx, p| {
                let _ = tx.send((p, read_session(&ctx.session_dir(&p.id))));
            });
            writer.join().unwrap_or_else(|_| Err(PipelineError::stage("index", "the index writer crashed")))
        })?;
        index.finish().map_err(index_error)?;
        let count = indexed.len();
        state.extend(indexed);
        // Written after the commit: if the run dies in between, those sessions
        // are indexed again next time (replacing is idempotent).
        write_state(&dir, &state)?;
        let mut outcome = MeetingOutcome::done(format!(
            "{count} sessions indexed, {} removed, {} unchanged; {} documents",
            gone.len(),
            published.len().saturating_sub(changed.len()),
            index.num_docs()
        ));
        outcome.warnings = warnings;
        Ok(outcome)
    }
}
