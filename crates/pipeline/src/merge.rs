//! `rapporteur merge`: the outputs of shard runs into one output.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::publish::{remove_partials, swap_in};
use crate::stages::{read_state, write_state, INDEX_DIR};
use crate::{PipelineError, RunReport, RunSettings, SessionStatus, TracksFile};

/// The run reports of shard outputs, checked to agree on their settings.
#[derive(Debug)]
pub struct ShardRuns {
    reports: Vec<(PathBuf, RunReport)>,
    /// The settings all shards were run with (their stages' fingerprints
    /// together, and the common tracks file).
    pub settings: RunSettings,
}

/// Reads the run reports of `rapporteur run --shard K/N` outputs and checks
/// that the shards can be merged: same tool version, same tracks file, and
/// the same fingerprint (rules, model, options) for every stage two shards
/// both used. Nothing is written.
pub fn read_shards(shards: &[PathBuf]) -> Result<ShardRuns, PipelineError> {
    let mut reports = Vec::new();
    for shard in shards {
        let path = shard.join("run.json");
        let text = fs::read_to_string(&path).map_err(|e| PipelineError::io(&path, e))?;
        let report: RunReport = serde_json::from_str(&text).map_err(|e| PipelineError::Metadata {
            path: path.clone(),
            line: e.line(),
            column: e.column(),
            message: format!("not a run report of `rapporteur run`: {e}"),
        })?;
        reports.push((shard.clone(), report));
    }
    let mut settings = RunSettings::default();
    let mut first: Option<(&Path, &RunReport, &RunSettings)> = None;
    // Which shard first recorded each stage's fingerprint (for messages).
    let mut stage_from: BTreeMap<String, &Path> = BTreeMap::new();
    for (shard, report) in &reports {
        let mismatch =
            |what: String| PipelineError::stage("merge", format!("{what}: re-run the shards with the same settings"));
        let Some(own) = &report.settings else {
            return Err(mismatch(format!(
                "{}: its run.json does not record the settings it was run with (an older rapporteur)",
                shard.display()
            )));
        };
        let Some((first_shard, first_report, first_settings)) = first else {
            first = Some((shard, report, own));
            settings = own.clone();
            stage_from = own.stages.keys().map(|k| (k.clone(), shard.as_path())).collect();
            continue;
        };
        let (a, b) = (first_shard.display(), shard.display());
        if report.version != first_report.version {
            return Err(mismatch(format!(
                "{a} was made by rapporteur {} and {b} by {}",
                first_report.version, report.version
            )));
        }
        if own.tracks.as_ref().map(|t| &t.blake3) != first_settings.tracks.as_ref().map(|t| &t.blake3) {
            let describe = |t: &Option<TracksFile>| match t {
                Some(t) => format!("tracks file {} (blake3 {})", t.name, &t.blake3[..12.min(t.blake3.len())]),
                None => "no tracks file".to_string(),
            };
            return Err(mismatch(format!(
                "{a} was run with {} and {b} with {}",
                describe(&first_settings.tracks),
                describe(&own.tracks)
            )));
        }
        for (stage, fingerprint) in &own.stages {
            match settings.stages.get(stage) {
                Some(seen) if seen != fingerprint => {
                    let earlier = stage_from.get(stage).map(|p| p.display().to_string()).unwrap_or_default();
                    return Err(mismatch(format!(
                        "the {stage} stage ran with other {} in {b} than in {earlier}",
                        what_changes(stage)
                    )));
                }
                Some(_) => {}
                None => {
                    settings.stages.insert(stage.clone(), fingerprint.clone());
                    stage_from.insert(stage.clone(), shard);
                }
            }
        }
    }
    Ok(ShardRuns { reports, settings })
}

/// What a stage's fingerprint stands for, for people.
fn what_changes(stage: &str) -> &'static str {
    match stage {
        "extract" => "rules, disabled rules or tracks",
        "asr" | "align" => "Whisper model or decoding options",
        "transcript" => "options (speaking rate, formats)",
        _ => "settings",
    }
}

/// Combines the outputs of `rapporteur run --shard K/N` runs into `out`
/// ([`read_shards`] then [`ShardRuns::merge_into`]).
pub fn merge_shards(shards: &[PathBuf], out: &Path) -> Result<(RunReport, Vec<String>), PipelineError> {
    read_shards(shards)?.merge_into(out)
}

impl ShardRuns {
    /// Combines the shards into `out`: each session's folder is copied in
    /// whole (through a temporary folder and a rename), and the shards'
    /// search indexes are merged into `OUT/index` segment by segment (no
    /// re-indexing). Returns the combined report (with the shards' settings)
    /// and warnings; the caller then runs the meeting stages (drafts from all
    /// findings, with the recorded tracks; the index stage finds nothing left
    /// to do).
    pub fn merge_into(self, out: &Path) -> Result<(RunReport, Vec<String>), PipelineError> {
        let reports = self.reports;
        let sessions_out = out.join("sessions");
        fs::create_dir_all(&sessions_out).map_err(|e| PipelineError::io(&sessions_out, e))?;
        remove_partials(&sessions_out);
        remove_partials(out);
        let mut merged = RunReport {
            version: reports.first().map(|(_, r)| r.version.clone()).unwrap_or_default(),
            shard: "1/1".into(),
            threads: reports.iter().map(|(_, r)| r.threads).max().unwrap_or(1),
            millis: reports.iter().map(|(_, r)| r.millis).max().unwrap_or(0),
            sessions: Vec::new(),
            meeting_stages: Vec::new(),
            meeting_warnings: Vec::new(),
            settings: Some(self.settings),
        };
        let mut from_shard: BTreeMap<String, &Path> = BTreeMap::new();
        for (shard, report) in &reports {
            for session in &report.sessions {
                if let Some(other) = from_shard.insert(session.id.clone(), shard.as_path()) {
                    return Err(PipelineError::stage(
                        "merge",
                        format!(
                            "session {} is in both {} and {}: were the shards run with the same N?",
                            session.id,
                            other.display(),
                            shard.display()
                        ),
                    ));
                }
                let from = shard.join("sessions").join(&session.id);
                if from.is_dir() {
                    copy_session(&from, &sessions_out, &session.id)?;
                } else if session.status != SessionStatus::Failed {
                    return Err(PipelineError::io(&from, std::io::Error::from(std::io::ErrorKind::NotFound)));
                }
                merged.sessions.push(session.clone());
            }
        }
        merged.sessions.sort_by(|a, b| a.id.cmp(&b.id));
        let warnings = merge_indexes(&reports.iter().map(|(s, _)| s.as_path()).collect::<Vec<_>>(), out);
        Ok((merged, warnings))
    }
}

/// Merges the shards' indexes into `OUT/index`. On failure the merged index
/// is left out and the index stage builds it from the session outputs.
fn merge_indexes(shards: &[&Path], out: &Path) -> Vec<String> {
    let sources: Vec<PathBuf> =
        shards.iter().map(|s| s.join(INDEX_DIR)).filter(|d| d.join("meta.json").is_file()).collect();
    let target = out.join(INDEX_DIR);
    let pid = std::process::id();
    let tmp = out.join(format!(".{INDEX_DIR}.merge-{pid}"));
    let _ = fs::remove_dir_all(&tmp);
    let mut state = BTreeMap::new();
    for source in &sources {
        state.extend(read_state(source));
    }
    let refs: Vec<&Path> = sources.iter().map(PathBuf::as_path).collect();
    let result = if refs.is_empty() {
        Err("no shard has an index".to_string())
    } else {
        rapporteur_index::merge_indexes(&refs, &tmp)
            .map_err(|e| e.to_string())
            .and_then(|_| write_state(&tmp, &state).map_err(|e| e.to_string()))
            .and_then(|_| {
                swap_in(&tmp, &target, &out.join(format!(".{INDEX_DIR}.old-{pid}"))).map_err(|e| e.to_string())
            })
    };
    match result {
        Ok(()) => Vec::new(),
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            // A stale index must not pass for the merged one.
            let _ = fs::remove_dir_all(&target);
            vec![format!("index: shard indexes not merged ({e}); building it from the session outputs")]
        }
    }
}

fn copy_session(from: &Path, sessions_out: &Path, id: &str) -> Result<(), PipelineError> {
    let pid = std::process::id();
    let tmp = sessions_out.join(format!(".{id}.merge-{pid}"));
    let _ = fs::remove_dir_all(&tmp);
    copy_tree(from, &tmp).map_err(|e| PipelineError::io(from, e))?;
    swap_in(&tmp, &sessions_out.join(id), &sessions_out.join(format!(".{id}.old-{pid}")))
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
