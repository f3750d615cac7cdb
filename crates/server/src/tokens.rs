//! Ingest tokens minted per session by an admin (`POST
//! /api/admin/sessions/{id}/ingest-tokens`): each gives one captioning tool
//! one URL that reaches that session's live feeds and nothing else.
//!
//! Only a BLAKE3 hash of each secret is kept (`DATA/tokens.json`, written
//! atomically and synced), so the file does not give the secrets away; the
//! secret is shown once, in the answer that mints it, and never logged. A
//! revoked token is refused at once and stays revoked after a restart.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use serde::{Deserialize, Serialize};

use crate::journal::write_durably;
use crate::ServerError;

/// The file minted tokens are kept in, inside the data folder.
pub const TOKENS_FILE: &str = "tokens.json";
/// Minted secrets start with this, so a person can tell one at a glance.
const PREFIX: &str = "rps_";

/// A minted token as stored (its secret's hash, never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MintedToken {
    /// Public id, for listing and revoking (`tok-` and hex).
    pub id: String,
    /// The one session it may post captions to.
    pub session: String,
    /// BLAKE3 of the secret, hex.
    pub hash: String,
    /// When it was minted, unix milliseconds.
    pub created: u64,
    /// When it was revoked, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<u64>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokensFile {
    tokens: Vec<MintedToken>,
}

/// The minted tokens of a server.
#[derive(Debug)]
pub struct TokenStore {
    path: PathBuf,
    tokens: RwLock<Vec<MintedToken>>,
    /// Hash of a live (not revoked) secret → its session.
    live: RwLock<HashMap<String, String>>,
}

fn hash_hex(secret: &str) -> String {
    blake3::hash(secret.as_bytes()).to_hex().to_string()
}

/// `n` random bytes from the operating system, as hex.
fn random_hex(n: usize) -> std::io::Result<String> {
    let mut bytes = vec![0u8; n];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl TokenStore {
    /// Reads `DATA/tokens.json` (none yet: no tokens).
    pub fn open(data: &Path) -> Result<TokenStore, ServerError> {
        let path = data.join(TOKENS_FILE);
        let file: TokensFile = match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| ServerError::Journal {
                path: path.clone(),
                line: e.line(),
                message: format!("{e}; the minted ingest tokens cannot be read"),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => TokensFile::default(),
            Err(source) => return Err(ServerError::Io { path, source }),
        };
        let store = TokenStore { path, tokens: RwLock::new(file.tokens), live: RwLock::new(HashMap::new()) };
        store.reindex();
        Ok(store)
    }

    fn reindex(&self) {
        let tokens = self.tokens.read().unwrap_or_else(|p| p.into_inner());
        let live = tokens.iter().filter(|t| t.revoked.is_none()).map(|t| (t.hash.clone(), t.session.clone())).collect();
        *self.live.write().unwrap_or_else(|p| p.into_inner()) = live;
    }

    fn save(&self, tokens: &[MintedToken]) -> Result<(), ServerError> {
        let json = serde_json::to_vec_pretty(&TokensFile { tokens: tokens.to_vec() })
            .map_err(|e| ServerError::Journal { path: self.path.clone(), line: 0, message: e.to_string() })?;
        write_durably(&self.path, &json).map_err(|source| ServerError::Io { path: self.path.clone(), source })
    }

    /// Mints a token for `session` (a valid id): stored before it is
    /// returned, with its secret (shown this once).
    pub fn mint(&self, session: &str, now_unix_ms: u64) -> Result<(MintedToken, String), ServerError> {
        let io = |source| ServerError::Io { path: PathBuf::from("/dev/urandom"), source };
        let secret = format!("{PREFIX}{}", random_hex(32).map_err(io)?);
        let token = MintedToken {
            id: format!("tok-{}", random_hex(6).map_err(io)?),
            session: session.to_string(),
            hash: hash_hex(&secret),
            created: now_unix_ms,
            revoked: None,
        };
        {
            let mut tokens = self.tokens.write().unwrap_or_else(|p| p.into_inner());
            let mut next = tokens.clone();
            next.push(token.clone());
            self.save(&next)?;
            *tokens = next;
        }
        self.reindex();
        Ok((token, secret))
    }

    /// Revokes the token `id`; `None` when there is no such token.
    pub fn revoke(&self, id: &str, now_unix_ms: u64) -> Result<Option<MintedToken>, ServerError> {
        let revoked = {
            let mut tokens = self.tokens.write().unwrap_or_else(|p| p.into_inner());
            let Some(position) = tokens.iter().position(|t| t.id == id) else { return Ok(None) };
            let mut next = tokens.clone();
            if next[position].revoked.is_none() {
                next[position].revoked = Some(now_unix_ms);
                self.save(&next)?;
            }
            let revoked = next[position].clone();
            *tokens = next;
            revoked
        };
        self.reindex();
        Ok(Some(revoked))
    }

    /// The tokens of `session` (all sessions when `None`), revoked ones too.
    pub fn list(&self, session: Option<&str>) -> Vec<MintedToken> {
        let tokens = self.tokens.read().unwrap_or_else(|p| p.into_inner());
        tokens.iter().filter(|t| session.is_none_or(|s| t.session == s)).cloned().collect()
    }

    /// The session a live minted secret belongs to. The lookup is by the
    /// secret's hash, so its time says nothing about how much of a guess
    /// was right.
    pub fn session_of(&self, secret: &str) -> Option<String> {
        if !secret.starts_with(PREFIX) {
            return None;
        }
        self.live.read().unwrap_or_else(|p| p.into_inner()).get(&hash_hex(secret)).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mint_check_revoke_and_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let (a, secret_a) = store.mint("ws-1", 1).unwrap();
        let (_, secret_b) = store.mint("ws-2", 2).unwrap();
        assert_ne!(secret_a, secret_b);
        assert!(secret_a.len() > 60);
        assert_eq!(store.session_of(&secret_a).as_deref(), Some("ws-1"));
        assert_eq!(store.session_of("rps_nonsense"), None);
        let file = std::fs::read_to_string(dir.path().join(TOKENS_FILE)).unwrap();
        assert!(!file.contains(&secret_a) && file.contains(&a.hash), "{file}");
        store.revoke(&a.id, 3).unwrap().unwrap();
        assert_eq!(store.session_of(&secret_a), None);
        assert!(store.revoke("tok-none", 4).unwrap().is_none());
        let reopened = TokenStore::open(dir.path()).unwrap();
        assert_eq!(reopened.session_of(&secret_a), None);
        assert_eq!(reopened.session_of(&secret_b).as_deref(), Some("ws-2"));
        assert_eq!(reopened.list(Some("ws-1"))[0].revoked, Some(3));
        assert_eq!(reopened.list(None).len(), 2);
    }
}
