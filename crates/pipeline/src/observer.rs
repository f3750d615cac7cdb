//! Watching a run: progress bars on a terminal, log lines otherwise.

use crate::{MeetingStageReport, SessionReport};

/// Told of a run's progress, from any worker thread. Every method has a
/// default that does nothing, so an observer implements only what it shows.
/// A plain closure `Fn(&SessionReport)` is an observer of finished sessions.
pub trait Observer: Sync {
    /// The run is about to process `total` sessions with these per-session
    /// stages (in order) and meeting stages.
    fn run_started(&self, _total: u64, _stages: &[&'static str], _meeting_stages: &[&'static str]) {}
    /// `stage` finished (or found nothing to do) for session `id`.
    fn stage_done(&self, _id: &str, _stage: &'static str) {}
    /// A session is finished: done, unchanged or failed.
    fn session_done(&self, _report: &SessionReport) {}
    /// A meeting stage started with `total` units of work (0: unknown).
    fn meeting_stage_started(&self, _stage: &'static str, _total: u64) {}
    /// A meeting stage has done `done` units of its work.
    fn meeting_stage_progress(&self, _stage: &'static str, _done: u64) {}
    /// A meeting stage finished.
    fn meeting_stage_done(&self, _report: &MeetingStageReport) {}
}

impl<F: Fn(&SessionReport) + Sync> Observer for F {
    fn session_done(&self, report: &SessionReport) {
        self(report)
    }
}

/// An observer that shows nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Observer for Quiet {}
