//! What can go wrong while drafting, with what to do about it.

use std::path::PathBuf;

/// An error from the drafting stage.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The embedding model directory is incomplete or its files are unreadable.
    #[error("embedding model in {dir}: {message} (run scripts/install-embeddings.sh, or point RAPPORTEUR_EMBEDDINGS at a directory with model.safetensors, config.json and tokenizer.json)")]
    Model {
        /// The model directory.
        dir: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Running the model failed.
    #[error("embedding model: {0}")]
    Inference(String),
    /// An input file (findings JSON, tracks TOML) is malformed.
    #[error("{file}:{line}:{column}: {message}")]
    Input {
        /// The file's path or name.
        file: String,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// An option is out of range.
    #[error("invalid option: {0}")]
    Option(String),
    /// Writing an output document failed.
    #[error("writing {format}: {message}")]
    Output {
        /// The output format (`docx`, `json`, ...).
        format: &'static str,
        /// What went wrong.
        message: String,
    },
}

impl DraftError {
    /// An I/O error about `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DraftError::Io { path: path.into(), source }
    }
}

impl From<candle_core::Error> for DraftError {
    fn from(e: candle_core::Error) -> Self {
        DraftError::Inference(e.to_string())
    }
}

/// Result with a [`DraftError`].
pub type Result<T, E = DraftError> = std::result::Result<T, E>;
