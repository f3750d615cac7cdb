//! What can go wrong with the search index, in words that say what to do.

use std::path::PathBuf;

/// An error from building, updating or searching the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// No index exists where one was expected.
    #[error("no search index at {path}: build one with `rapporteur index DIR --index {path}`")]
    NotFound {
        /// Where the index was looked for.
        path: PathBuf,
    },
    /// An index exists but was built with another schema (an older rapporteur).
    #[error("the search index at {path} was built by another version of rapporteur: delete the folder and run `rapporteur index` again")]
    SchemaMismatch {
        /// The index folder.
        path: PathBuf,
    },
    /// Another process (or another writer in this one) is writing the index.
    #[error("the search index at {path} is being written by another process: wait for it to finish, then retry")]
    Locked {
        /// The index folder.
        path: PathBuf,
    },
    /// The query text could not be read.
    #[error("cannot read the query `{query}`: {message}; quote phrases (\"data governance\"), use AND, OR, NOT and field:value")]
    Query {
        /// The query as given.
        query: String,
        /// What the parser reported.
        message: String,
    },
    /// A document to index is not acceptable (an invalid session id, ...).
    #[error("{what}")]
    BadInput {
        /// What is wrong and how to fix it.
        what: String,
    },
    /// A file could not be read or created.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A JSON input could not be read.
    #[error("{path}:{line}:{column}: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// tantivy itself failed (disk full, corrupted files, ...).
    #[error("search index: {context}: {source}")]
    Engine {
        /// What was being done.
        context: &'static str,
        /// tantivy's error.
        #[source]
        source: tantivy::TantivyError,
    },
}

impl IndexError {
    /// Wraps a tantivy error with what was being done.
    pub(crate) fn engine(context: &'static str) -> impl FnOnce(tantivy::TantivyError) -> IndexError {
        move |source| IndexError::Engine { context, source }
    }
}
