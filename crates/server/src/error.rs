//! Errors: [`ServerError`] for start-up and storage, [`ApiError`] for what a
//! client is told.

use std::path::PathBuf;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Something the server could not do (start-up, storage).
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The configuration file is wrong.
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Config {
        /// The file.
        path: PathBuf,
        /// 1-based line, when known.
        line: Option<usize>,
        /// What is wrong (never a token's value).
        message: String,
    },
    /// A journal line could not be read or written.
    #[error("journal {path}:{line}: {message}")]
    Journal {
        /// The journal file.
        path: PathBuf,
        /// 1-based line (0 when writing).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A file or folder could not be used.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The search index failed.
    #[error(transparent)]
    Index(#[from] rapporteur_index::IndexError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// An error answered to a client: a status and a one-line message saying
/// what to do.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// One line for the client.
    pub message: String,
}

impl ApiError {
    /// 400 with `message`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError { status: StatusCode::BAD_REQUEST, message: message.into() }
    }
    /// 404 with `message`.
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError { status: StatusCode::NOT_FOUND, message: message.into() }
    }
    /// 401: no or unknown token.
    pub fn unauthenticated() -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: "a valid token is needed: send `Authorization: Bearer TOKEN` or `?token=TOKEN`".into(),
        }
    }
    /// 403: the token lacks the role or the session.
    pub fn forbidden(what: &str) -> Self {
        ApiError { status: StatusCode::FORBIDDEN, message: format!("this token does not allow {what}") }
    }
    /// 413 with the limit.
    pub fn too_large(limit: usize) -> Self {
        ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: format!("the body is larger than the {limit}-byte limit"),
        }
    }
    /// 500: logged in full, answered briefly.
    pub fn internal(error: &dyn std::fmt::Display) -> Self {
        eprintln!("error: {error}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "internal error: the server log has the details".into(),
        }
    }
    /// The invalid-session-id error.
    pub fn bad_id(id: &str) -> Self {
        let shown: String = id.chars().take(40).collect();
        ApiError::bad_request(format!(
            "session id `{shown}` is not valid: use 1 to 128 characters from A-Z a-z 0-9 - _ . (not starting with a dot)"
        ))
    }
}

impl From<crate::auth::Denied> for ApiError {
    fn from(denied: crate::auth::Denied) -> Self {
        match denied {
            crate::auth::Denied::Unauthenticated => ApiError::unauthenticated(),
            crate::auth::Denied::Forbidden => ApiError::forbidden("this request"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response =
            (self.status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{}\n", self.message))
                .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        response
    }
}
