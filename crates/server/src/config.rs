//! The server's TOML configuration: tokens and their roles, limits, workers.
//!
//! ```toml
//! public_read = true          # pages and search without a token
//! workers = 2                 # pipeline worker threads
//! tracks = "igf2026.toml"     # the meeting's tracks file (as `rapporteur draft --tracks`),
//!                             # relative to this file
//!
//! [limits]
//! max_chunk_bytes = 65536     # one live caption POST
//! max_upload_bytes = 2147483648
//! max_metadata_bytes = 1048576
//!
//! [[tokens]]
//! name = "zoom ws-12"         # shown in logs instead of the secret
//! token = "a-long-random-secret"
//! roles = ["ingest"]
//! sessions = ["ws-12"]        # optional: only these sessions
//! ```

use std::path::Path;

use serde::Deserialize;

use crate::ServerError;

/// What a token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Post live captions.
    Ingest,
    /// Upload recordings, caption files, reports and session metadata.
    Upload,
    /// Read pages, downloads and search (when reading is not public).
    Read,
    /// Everything.
    Admin,
}

/// One access token.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenConfig {
    /// A name for logs and messages (the secret itself is never printed).
    pub name: String,
    /// The secret, as sent in `Authorization: Bearer ...` or `?token=...`.
    pub token: String,
    /// What it allows.
    pub roles: Vec<Role>,
    /// Sessions it is limited to (all when absent).
    #[serde(default)]
    pub sessions: Option<Vec<String>>,
}

impl std::fmt::Debug for TokenConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret, even in debug output.
        f.debug_struct("TokenConfig")
            .field("name", &self.name)
            .field("roles", &self.roles)
            .field("sessions", &self.sessions)
            .finish_non_exhaustive()
    }
}

/// Request size limits, in bytes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// One live caption POST.
    pub max_chunk_bytes: usize,
    /// One uploaded file (recording, captions, report).
    pub max_upload_bytes: usize,
    /// Session metadata.
    pub max_metadata_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_chunk_bytes: 64 * 1024, max_upload_bytes: 2 * 1024 * 1024 * 1024, max_metadata_bytes: 1024 * 1024 }
    }
}

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Whether pages, downloads and search need no token.
    #[serde(default)]
    pub public_read: bool,
    /// Pipeline worker threads (default 2).
    #[serde(default = "default_workers")]
    pub workers: usize,
    /// Size limits.
    #[serde(default)]
    pub limits: Limits,
    /// Access tokens.
    #[serde(default)]
    pub tokens: Vec<TokenConfig>,
    /// The meeting's tracks file (as `rapporteur draft --tracks` takes it):
    /// findings get tracks from it and the track drafts its order,
    /// descriptions and policy questions. Relative to the config file.
    #[serde(default)]
    pub tracks: Option<std::path::PathBuf>,
}

fn default_workers() -> usize {
    2
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn from_path(path: &Path) -> Result<Config, ServerError> {
        let text = std::fs::read_to_string(path).map_err(|source| ServerError::Io { path: path.into(), source })?;
        Config::from_toml(&text, path)
    }

    /// Reads the tracks file the configuration names, if it names one.
    pub fn load_tracks(&self) -> Result<Option<rapporteur_extract::Tracks>, ServerError> {
        let Some(path) = &self.tracks else { return Ok(None) };
        let text = std::fs::read_to_string(path).map_err(|source| ServerError::Io { path: path.clone(), source })?;
        rapporteur_extract::Tracks::from_toml(&text, &path.display().to_string())
            .map(Some)
            .map_err(|e| ServerError::Config { path: path.clone(), line: None, message: format!("tracks file: {e}") })
    }

    /// Parses and checks configuration text (`path` names it in errors; a
    /// relative `tracks` path is taken from `path`'s folder).
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ServerError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|span| text[..span.start.min(text.len())].lines().count().max(1));
            ServerError::Config {
                path: path.into(),
                line,
                // toml's message quotes the offending line, which may hold a
                // token: keep only its first line.
                message: e.message().lines().next().unwrap_or_default().to_string(),
            }
        })?;
        config.check(path)?;
        let mut config = config;
        if let Some(tracks) = config.tracks.take() {
            let base = path.parent().unwrap_or(Path::new(""));
            config.tracks = Some(if tracks.is_absolute() { tracks } else { base.join(tracks) });
        }
        Ok(config)
    }

    fn check(&self, path: &Path) -> Result<(), ServerError> {
        let bad = |message: String| ServerError::Config { path: path.into(), line: None, message };
        if self.workers == 0 || self.workers > 64 {
            return Err(bad(format!("workers must be from 1 to 64, not {}", self.workers)));
        }
        for (n, token) in self.tokens.iter().enumerate() {
            if token.token.len() < 16 {
                return Err(bad(format!(
                    "token `{}` (tokens entry {}) is shorter than 16 characters: use a long random secret",
                    token.name,
                    n + 1
                )));
            }
            if token.roles.is_empty() {
                return Err(bad(format!("token `{}` has no roles: give ingest, upload, read or admin", token.name)));
            }
            for id in token.sessions.iter().flatten() {
                if !rapporteur_core::Session::is_valid_id(id) {
                    return Err(bad(format!("token `{}` names an invalid session id `{id}`", token.name)));
                }
            }
        }
        let mut secrets: Vec<&str> = self.tokens.iter().map(|t| t.token.as_str()).collect();
        secrets.sort_unstable();
        if secrets.windows(2).any(|w| w[0] == w[1]) {
            return Err(bad("two tokens have the same secret: give each its own".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tokens_and_limits() {
        let text = "public_read = true\n[limits]\nmax_chunk_bytes = 100\n[[tokens]]\nname = \"z\"\ntoken = \"0123456789abcdef\"\nroles = [\"ingest\"]\nsessions = [\"ws-1\"]\n";
        let config = Config::from_toml(text, Path::new("c.toml")).unwrap();
        assert!(config.public_read);
        assert_eq!(config.limits.max_chunk_bytes, 100);
        assert_eq!(config.limits.max_upload_bytes, Limits::default().max_upload_bytes);
        assert_eq!(config.tokens[0].roles, vec![Role::Ingest]);
        assert_eq!(config.tracks, None);
        let config = Config::from_toml("tracks = \"t.toml\"\n", Path::new("/etc/r/c.toml")).unwrap();
        assert_eq!(config.tracks.as_deref(), Some(Path::new("/etc/r/t.toml")));
        assert!(!format!("{:?}", config).contains("0123456789abcdef"));
    }

    #[test]
    fn errors_name_the_line_and_never_the_secret() {
        let table = [
            ("[[tokens]]\nname = \"a\"\ntoken = \"short\"\nroles = [\"read\"]\n", "shorter than 16"),
            ("[[tokens]]\nname = \"a\"\ntoken = \"0123456789abcdefXYZ\"\nroles = [\"boss\"]\n", "c.toml:4:"),
            ("[[tokens]]\nname = \"a\"\ntoken = \"0123456789abcdefXYZ\"\nroles = []\n", "no roles"),
            ("workers = 0\n", "workers"),
            ("[[tokens]]\nname = \"a\"\ntoken = \"0123456789abcdefXYZ\"\nroles = [\"read\"]\nsessions = [\"../x\"]\n", "invalid session"),
        ];
        for (text, expected) in table {
            let err = Config::from_toml(text, Path::new("c.toml")).unwrap_err().to_string();
            assert!(err.contains(expected), "{text:?}: {err}");
            assert!(!err.contains("0123456789abcdefXYZ"), "{err}");
        }
    }
}
