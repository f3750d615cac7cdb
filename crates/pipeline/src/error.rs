//! Why a session or a run failed.

use std::path::PathBuf;

/// A failure of one session (the run goes on with the others) or of the run.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// `session.toml` (or a manifest) is not valid.
    #[error("{path}:{line}:{column}: {message}")]
    Metadata {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The input directory holds no session.
    #[error("{0}: no session found (expected one folder per session, each with a session.toml, or a manifest file)")]
    NoSessions(PathBuf),
    /// A stage failed for one session.
    #[error("stage {stage}: {message}")]
    Stage {
        /// The stage's name.
        stage: &'static str,
        /// What went wrong, with file and position where known.
        message: String,
    },
    /// `--shard K/N` is malformed.
    #[error("invalid shard `{0}`: use K/N with 1 <= K <= N, e.g. --shard 2/4")]
    Shard(String),
}

impl PipelineError {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        PipelineError::Io { path: path.into(), source }
    }

    /// A stage failure.
    pub fn stage(stage: &'static str, message: impl Into<String>) -> Self {
        PipelineError::Stage { stage, message: message.into() }
    }
}
