//! The stages `rapporteur run` and `rapporteur merge` use, assembled once.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rapporteur_asr::transcribe::{ThreadPlan, TranscribeOptions};
use rapporteur_draft::embed::{self, EmbedOptions};
use rapporteur_draft::DraftOptions;
use rapporteur_extract::rules::BUILTIN_RULES;
use rapporteur_extract::{Extractor, Tracks};
use rapporteur_pipeline::stages::{
    AlignStage, AsrStage, DraftStage, ExtractStage, IndexStage, TranscriptStage, Whisper,
};
use rapporteur_pipeline::{Pipeline, TracksFile};

use crate::commands::extract::load_rules;
use crate::commands::transcribe::find_model;
use crate::output::UsageError;

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
    /// Tracks recorded by earlier runs (`rapporteur merge`), used when
    /// `tracks` is not given.
    pub recorded_tracks: Option<TracksFile>,
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
    let tracks_file = match &options.tracks {
        Some(path) => Some(read_tracks_file(path)?),
        None => options.recorded_tracks.clone(),
    };
    let mut fingerprint = blake3::Hasher::new();
    // The crate version stays the same between builds that extract differently.
    fingerprint.update(format!("extraction revision {}\0", rapporteur_extract::EXTRACTION_REVISION).as_bytes());
    fingerprint.update(BUILTIN_RULES.as_bytes());
    for path in &options.rules {
        let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        fingerprint.update(path.file_name().map(|n| n.as_encoded_bytes()).unwrap_or_default());
        fingerprint.update(&bytes);
    }
    if let Some(t) = &tracks_file {
        fingerprint.update(t.name.as_bytes());
        fingerprint.update(t.text.as_bytes());
    }
    for id in &options.disable {
        fingerprint.update(b"disable\0");
        fingerprint.update(id.as_bytes());
    }
    let tracks = match &tracks_file {
        Some(t) => {
            // Errors name the file as given, or say where the recorded copy is.
            let shown = match &options.tracks {
                Some(path) => path.display().to_string(),
                None => format!("{} (as recorded in run.json)", t.name),
            };
            Some(Tracks::from_toml(&t.text, &shown).map_err(|e| UsageError(e.to_string()))?)
        }
        None => None,
    };
    let mut tracks_fingerprint = blake3::Hasher::new();
    if let (Some(file), Some(_)) = (&tracks_file, &tracks) {
        tracks_fingerprint.update(file.text.as_bytes());
    }
    let (rule_files, disable, extract_tracks) = (options.rules.clone(), options.disable.clone(), tracks.clone());
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
    // One model for both stages that need it: loaded (and hashed) once.
    let whisper = Whisper::new(model, asr);
    let embed = EmbedOptions { cache_dir: embed::default_cache_dir(), ..EmbedOptions::default() };
    Ok(Pipeline::new()
        .stage(TranscriptStage { speaking_rate_wpm: options.speaking_rate, ..TranscriptStage::default() })
        .stage(AsrStage::new(whisper.clone()))
        // Captions and a recording: the captions on the recording's timeline.
        .stage(AlignStage::new(whisper))
        .stage(ExtractStage::lazy(format!("extract {}", fingerprint.finalize().to_hex()), move || {
            // Compiled only when a session is to be computed (most of the
            // cost of a run where nothing changed); errors stop the run.
            let rules = load_rules(&rule_files, &disable, true).map_err(|e| e.to_string())?;
            let extractor = Extractor::new(rules);
            Ok(match &extract_tracks {
                Some(tracks) => extractor.with_tracks(tracks.clone()),
                None => extractor,
            })
        }))
        .meeting_stage(DraftStage::new(
            tracks,
            format!("tracks {}", tracks_fingerprint.finalize().to_hex()),
            DraftOptions::default(),
            embed,
        ))
        .meeting_stage(IndexStage)
        .tracks_file(tracks_file))
}

/// A tracks file's name and content, for the stages and the run report.
pub fn read_tracks_file(path: &Path) -> anyhow::Result<TracksFile> {
    let text = fs::read_to_string(path).with_context(|| format!("cannot read tracks file {}", path.display()))?;
    // The file name only: shards on other machines keep it elsewhere, and
    // the name is part of the extraction's fingerprint.
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(TracksFile::new(name, text))
}
