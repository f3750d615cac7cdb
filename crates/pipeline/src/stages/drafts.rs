//! Meeting stage: draft messages per track from every session's findings
//! (`OUT/drafts/messages.{md,html,json}`).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use rapporteur_draft::embed::{locate, EmbedOptions, Embedder, Precision};
use rapporteur_draft::render::{self, Format};
use rapporteur_draft::{DraftOptions, Meeting};
use rapporteur_extract::Tracks;
use rayon::prelude::*;

use crate::{
    publish_dir, write_file, MeetingContext, MeetingOutcome, MeetingStage, PipelineError, KEY_FILE, TOOL_VERSION,
};

/// The drafts folder inside a run's output folder.
pub const DRAFTS_DIR: &str = "drafts";
/// The file, inside the drafts folder, recording the hash of each session's
/// `findings.json` with the session key it was read under.
const FINDINGS_STATE: &str = ".findings.json";

fn read_findings_state(dir: &Path) -> BTreeMap<String, (String, String)> {
    fs::read(dir.join(FINDINGS_STATE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

fn state_json(state: &BTreeMap<String, (String, String)>) -> Vec<u8> {
    let mut json = serde_json::to_vec_pretty(state).unwrap_or_else(|_| b"{}".to_vec());
    json.push(b'\n');
    json
}

/// Drafts the meeting's messages, track by track, from the findings of all
/// published sessions. The drafts depend on every session's findings, so
/// they are remade whenever any `findings.json` changes (or the tracks, the
/// options, the embedding model) and kept otherwise. In a shard run (`--shard K/N`)
/// the stage does nothing: `rapporteur merge` drafts from all shards.
pub struct DraftStage {
    tracks: Option<Tracks>,
    fingerprint: String,
    options: DraftOptions,
    embed: EmbedOptions,
    formats: Vec<Format>,
}

impl std::fmt::Debug for DraftStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DraftStage").field("fingerprint", &self.fingerprint).field("options", &self.options).finish()
    }
}

impl DraftStage {
    /// A stage drafting with `tracks` (order, descriptions, policy questions)
    /// and `options`. `fingerprint` must change whenever the tracks change
    /// (hash the tracks file's content). Markdown, HTML and JSON are written.
    pub fn new(
        tracks: Option<Tracks>,
        fingerprint: impl Into<String>,
        options: DraftOptions,
        embed: EmbedOptions,
    ) -> Self {
        DraftStage {
            tracks,
            fingerprint: fingerprint.into(),
            options,
            embed,
            formats: vec![Format::Markdown, Format::Html, Format::Json],
        }
    }
}

impl DraftStage {
    /// Which vectors the drafts would be made with, cheaply: the model folder
    /// and its files' sizes and modification times (hashing the 90 MB of
    /// weights on every run would cost more than a run with nothing to do).
    fn model_fingerprint(&self) -> String {
        if self.embed.force_tfidf {
            return "tfidf".into();
        }
        match locate(self.embed.model_dir.as_deref()) {
            Ok(location) => {
                // The arithmetic the encoder will run in on this CPU (bf16 and
                // f32 vectors differ slightly), so changing
                // RAPPORTEUR_EMBED_PRECISION redoes the drafts.
                let precision = Precision::from_env().map_or_else(|e| e.to_string(), |p| p.effective());
                let mut parts = vec![location.dir.display().to_string(), format!("precision:{precision}")];
                for name in
                    ["config.json", "tokenizer.json", "1_Pooling/config.json", "modules.json", "model.safetensors"]
                {
                    if let Ok(meta) = fs::metadata(location.dir.join(name)) {
                        let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
                        parts.push(format!("{name}:{}:{:?}", meta.len(), modified));
                    }
                }
                parts.join(" ")
            }
            Err(_) => "tfidf (no model)".into(),
        }
    }
}

impl MeetingStage for DraftStage {
    fn name(&self) -> &'static str {
        "drafts"
    }

    fn run(&self, ctx: &MeetingContext<'_>) -> Result<MeetingOutcome, PipelineError> {
        if ctx.shard.n > 1 {
            return Ok(MeetingOutcome::skipped(
                "a shard sees part of the meeting: `rapporteur merge` drafts from all findings",
            ));
        }
        let published: Vec<_> =
            ctx.published().into_iter().filter(|p| ctx.session_dir(&p.id).join("findings.json").is_file()).collect();
        if published.is_empty() {
            return Ok(MeetingOutcome::skipped("no session has findings yet"));
        }
        let mut hasher = blake3::Hasher::new();
        for part in [
            "rapporteur drafts v2",
            TOOL_VERSION,
            // The crate version stays the same between builds that draft differently.
            &format!("drafting revision {}", rapporteur_draft::DRAFTING_REVISION),
            &self.fingerprint,
            &format!("{:?}", self.options),
            &self.model_fingerprint(),
            &self.formats.iter().map(|f| f.extension()).collect::<Vec<_>>().join(","),
        ] {
            hasher.update(part.as_bytes());
            hasher.update(b"\0");
        }
        // The drafts read nothing but the findings files: keyed by their
        // content, a session recomputed with the same findings (a caption
        // fixed outside any finding) does not redraft the meeting. Each
        // file's hash is remembered with its session's key, so files of
        // unchanged sessions are not read again.
        let dir = ctx.out.join(DRAFTS_DIR);
        let known = read_findings_state(&dir);
        let mut state: BTreeMap<String, (String, String)> = BTreeMap::new();
        let hashes: Vec<Result<String, PipelineError>> = published
            .par_iter()
            .map(|p| match known.get(&p.id) {
                Some((key, hash)) if *key == p.key => Ok(hash.clone()),
                _ => {
                    let path = ctx.session_dir(&p.id).join("findings.json");
                    let bytes = fs::read(&path).map_err(|e| PipelineError::io(&path, e))?;
                    Ok(blake3::hash(&bytes).to_hex().to_string())
                }
            })
            .collect();
        for (p, hash) in published.iter().zip(hashes) {
            let hash = hash?;
            hasher.update(p.id.as_bytes());
            hasher.update(b"\0");
            hasher.update(hash.as_bytes());
            hasher.update(b"\0");
            state.insert(p.id.clone(), (p.key.clone(), hash));
        }
        let key = hasher.finalize().to_hex().to_string();
        let old_key = fs::read_to_string(dir.join(KEY_FILE)).unwrap_or_default();
        if !ctx.force && old_key.trim() == key {
            if state != known {
                // Same findings under new session keys: remember the new keys.
                write_file(&dir.join(FINDINGS_STATE), &state_json(&state))?;
            }
            return Ok(MeetingOutcome::unchanged(format!("findings of {} sessions unchanged", published.len())));
        }
        ctx.start(published.len() as u64);
        let mut embedder = Embedder::new(self.embed.clone());
        let info = embedder.info();
        // Read in parallel; sessions stay in id order.
        let read: Vec<Result<Meeting, String>> = published
            .par_iter()
            .map(|p| {
                let mut one = Meeting::default();
                one.add_file(&ctx.session_dir(&p.id).join("findings.json")).map_err(|e| e.to_string())?;
                Ok(one)
            })
            .collect();
        let mut meeting = Meeting::default();
        let mut outcome = MeetingOutcome::done(String::new());
        for r in read {
            match r {
                Ok(one) => meeting.sessions.extend(one.sessions),
                Err(e) => outcome.warnings.push(format!("left out of the drafts: {e}")),
            }
        }
        ctx.progress(published.len() as u64);
        let draft = rapporteur_draft::draft(&meeting, self.tracks.as_ref(), &mut embedder, &self.options)
            .map_err(|e| PipelineError::stage("drafts", e.to_string()))?;
        let mut files = BTreeMap::new();
        for format in &self.formats {
            let bytes = render::render(&draft, *format).map_err(|e| PipelineError::stage("drafts", e.to_string()))?;
            files.insert(format!("messages.{}", format.extension()), bytes);
        }
        files.insert(KEY_FILE.to_string(), format!("{key}\n").into_bytes());
        files.insert(FINDINGS_STATE.to_string(), state_json(&state));
        publish_dir(ctx.out, DRAFTS_DIR, &files)?;
        if embedder.is_tfidf() {
            outcome.warnings.push(format!("grouped with TF-IDF vectors: {}", info.detail));
        }
        let m = &draft.metrics;
        outcome.detail = format!(
            "{} messages in {} tracks from {} findings of {} sessions ({} vectors)",
            m.messages,
            draft.tracks.len(),
            m.findings,
            m.sessions,
            info.name
        );
        Ok(outcome)
    }
}
