//! The stages `rapporteur run` and `rapporteur merge` use, assembled once.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rapporteur_asr::transcribe::{ThreadPlan, TranscribeOptions};
use rapporteur_draft::embed::{self, EmbedOptions};
use rapporteur_draft::DraftOptions;
use rapporteur_extract::rules::BUILTIN_RULES;
use rapporteur_extract::Extractor;
use rapporteur_pipeline::stages::{AlignStage, AsrStage, DraftStage, ExtractStage, IndexStage, TranscriptStage};
use rapporteur_pipeline::Pipeline;

use crate::commands::extract::{load_rules, load_tracks};
use crate::commands::transcribe::find_model;

/// Options that shape the stages.
#[derive(Debug, Clone, Default)]
pub struct StageOptions {
    /// Speaking rate for text without times, words per minute.
    pub speaking_rate: f64,
    /// Rules files layered on the built-in set, in order.
    pub rules: Vec<PathBuf>,
    /// Rule ids to disable.
    pub disable: Vec<String>,
    /// Tracks file.
    pub tracks: Option<PathBuf>,
    /// Worker threads of the run (0: one per core); Whisper decodes on as many.
    pub threads: usize,
}

impl StageOptions {
    /// Adds the meeting's own `rules.toml` and `tracks.toml` (beside the
    /// session folders) when present and not overridden on the command line.
    pub fn with_meeting_files(mut self, meeting: &Path) -> Self {
        let dir = if meeting.is_file() { meeting.parent().unwrap_or(Path::new(".")) } else { meeting };
        let rules = dir.join("rules.toml");
        if rules.is_file() && !self.rules.contains(&rules) {
            // The meeting layer comes after organisation files given with --rules.
            self.rules.push(rules);
        }
        let tracks = dir.join("tracks.toml");
        if self.tracks.is_none() && tracks.is_file() {
            self.tracks = Some(tracks);
        }
        self
    }
}

/// The full pipeline with every stage this build has.
pub fn build(options: &StageOptions) -> anyhow::Result<Pipeline> {
    let rules = load_rules(&options.rules, &options.disable, true)?;
    let mut fingerprint = blake3::Hasher::new();
    fingerprint.update(BUILTIN_RULES.as_bytes());
    for path in options.rules.iter().chain(&options.tracks) {
        let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        fingerprint.update(path.file_name().map(|n| n.as_encoded_bytes()).unwrap_or_default());
        fingerprint.update(&bytes);
    }
    for id in &options.disable {
        fingerprint.update(b"disable\0");
        fingerprint.update(id.as_bytes());
    }
    let mut extractor = Extractor::new(rules);
    let tracks = match &options.tracks {
        Some(path) => Some(load_tracks(path)?),
        None => None,
    };
    let mut tracks_fingerprint = blake3::Hasher::new();
    if let (Some(path), Some(tracks)) = (&options.tracks, &tracks) {
        extractor = extractor.with_tracks(tracks.clone());
        tracks_fingerprint.update(&fs::read(path).with_context(|| format!("cannot read {}", path.display()))?);
    }
    // Recordings without captions need a model; when none is installed those
    // sessions fail with instructions and the others are unaffected.
    let model = find_model(None).ok();
    // Whisper decodes a session's chunks on a pool as wide as the run: the
    // session worker waiting for it is idle meanwhile, and sessions with
    // recordings start first, so text sessions fill the cores around them.
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.threads
    };
    let asr = TranscribeOptions { threads: ThreadPlan::for_threads(threads), ..TranscribeOptions::default() };
    let embed = EmbedOptions { cache_dir: embed::default_cache_dir(), ..EmbedOptions::default() };
    Ok(Pipeline::new()
        .stage(TranscriptStage { speaking_rate_wpm: options.speaking_rate, ..TranscriptStage::default() })
        .stage(AsrStage::new(model.clone(), asr.clone()))
        // Captions and a recording: the captions on the recording's timeline.
        .stage(AlignStage::new(model, asr))
        .stage(ExtractStage::new(extractor, format!("extract {}", fingerprint.finalize().to_hex())))
        .meeting_stage(DraftStage::new(
            tracks,
            format!("tracks {}", tracks_fingerprint.finalize().to_hex()),
            DraftOptions::default(),
            embed,
        ))
        .meeting_stage(IndexStage))
}
