//! What a stage is, and the work it does on one session.

use std::collections::BTreeMap;

use rapporteur_core::Transcript;

use crate::{PipelineError, SessionInputs};

/// One step of the per-session pipeline (transcript, extraction, ...).
///
/// Stages run in order on one session at a time, on any thread; they share
/// nothing mutable but the [`SessionWork`] they are handed.
pub trait Stage: Send + Sync {
    /// Short name for reports and timings (`transcript`, `extract`).
    fn name(&self) -> &'static str;
    /// Everything besides the session's input files that changes this stage's
    /// output (configuration, rules, model): part of the cache key.
    fn fingerprint(&self) -> String;
    /// Whether the stage can do anything for this session. A stage that
    /// cannot (ASR for a session with captions) leaves its fingerprint out of
    /// the session's key, so changing, say, the Whisper model recomputes only
    /// the sessions transcribed with it, and costs nothing to check for others.
    fn applies(&self, _inputs: &SessionInputs) -> bool {
        true
    }
    /// Costly set-up (compiling rules), done once per run before the first
    /// session is computed, and not at all when every session is unchanged.
    /// An error stops the run before any session is touched.
    fn prepare(&self) -> Result<(), PipelineError> {
        Ok(())
    }
    /// Does the stage's work, reading what earlier stages left in `work`.
    fn run(&self, work: &mut SessionWork<'_>) -> Result<(), PipelineError>;
}

/// The state of one session as it goes through the stages.
#[derive(Debug)]
pub struct SessionWork<'a> {
    /// The session's metadata and files.
    pub inputs: &'a SessionInputs,
    /// The transcript, once a stage has made it.
    pub transcript: Option<Transcript>,
    /// Output files, by path relative to the session's output folder. A
    /// `BTreeMap` so that outputs are written (and listed) in a fixed order.
    pub artifacts: BTreeMap<String, Vec<u8>>,
    /// Warnings to report (file, line and what to do, where known).
    pub warnings: Vec<String>,
}

impl<'a> SessionWork<'a> {
    /// Fresh work on `inputs`.
    pub fn new(inputs: &'a SessionInputs) -> Self {
        SessionWork { inputs, transcript: None, artifacts: BTreeMap::new(), warnings: Vec::new() }
    }
}
