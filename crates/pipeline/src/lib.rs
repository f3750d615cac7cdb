//! The whole pipeline over a meeting, in one call.
//!
//! A meeting is a folder with one sub-folder per session (`session.toml` plus
//! any of recordings, caption files, CART text and a report) or a manifest
//! listing such folders. [`discover`] finds them; a [`Pipeline`] of
//! [`Stage`]s runs on every session across rayon workers, each session
//! isolated (an error or a panic fails that session only), then the
//! [`MeetingStage`]s run once on the published outputs.
//!
//! Runs are **incremental**: a session's outputs carry a content-addressed key
//! ([`session_key`]: inputs, stage configuration, tool version); an unchanged
//! session is not recomputed. Runs are **deterministic**: outputs depend only
//! on inputs, never on thread count or order. Outputs are **atomic**: a session
//! folder is swapped in whole.
//!
//! ```
//! use rapporteur_pipeline::{discover, stages::TranscriptStage, Pipeline, RunOptions, Shard};
//!
//! let meeting_dir = tempfile::tempdir().unwrap();
//! let session = meeting_dir.path().join("ws-1");
//! std::fs::create_dir(&session).unwrap();
//! std::fs::write(session.join("session.toml"), "title = \"Example\"\n").unwrap();
//! std::fs::write(session.join("captions.vtt"), "WEBVTT\n\n00:01.000 --> 00:02.000\nHello.\n").unwrap();
//!
//! let out = tempfile::tempdir().unwrap();
//! let meeting = discover(meeting_dir.path()).unwrap();
//! let pipeline = Pipeline::new().stage(TranscriptStage::default());
//! let options = RunOptions { out: out.path().into(), threads: 1, force: false, shard: Shard::ALL };
//! let report = pipeline.run(&meeting, &options, &rapporteur_pipeline::Quiet).unwrap();
//! assert_eq!(report.sessions[0].id, "ws-1");
//! assert!(out.path().join("sessions/ws-1/transcript.json").exists());
//! ```
#![deny(missing_docs)]

mod cache;
mod error;
mod meeting;
mod meeting_stage;
mod merge;
mod metadata;
mod observer;
mod publish;
mod report;
mod runner;
mod shard;
mod stage;
pub mod stages;

pub use cache::{session_key, TOOL_VERSION};
pub use error::PipelineError;
pub use meeting::{discover, read_session_dir, BrokenSession, Meeting, SessionInputs};
pub use meeting_stage::{MeetingContext, MeetingOutcome, MeetingStage, Published};
pub use merge::{merge_shards, read_shards, ShardRuns};
pub use metadata::parse_session_toml;
pub use observer::{Observer, Quiet};
pub use publish::{publish_dir, remove_partials, write_file};
pub use report::{
    MeetingStageReport, MeetingStatus, RunReport, RunSettings, SessionReport, SessionStatus, StageTime, TracksFile,
};
pub use runner::{Pipeline, RunOptions, KEY_FILE};
pub use shard::Shard;
pub use stage::{SessionWork, Stage};
