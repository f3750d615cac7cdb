//! Who may do what: tokens from the request checked against the configuration.

use axum::http::{header, HeaderMap};

use crate::config::{Config, Role};

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// No token, or one the server does not know (401).
    Unauthenticated,
    /// A known token without the role, or not for this session (403).
    Forbidden,
}

/// The token a request carries: `Authorization: Bearer`, the `token` query
/// parameter (captioning tools can only be given a URL), or the
/// `rapporteur_token` cookie (browsers).
pub fn request_token<'a>(headers: &'a HeaderMap, query_token: Option<&'a str>) -> Option<&'a str> {
    if let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        if let Some(token) = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")) {
            return Some(token.trim());
        }
    }
    if let Some(token) = query_token.filter(|t| !t.is_empty()) {
        return Some(token);
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().strip_prefix("rapporteur_token="))
        .next()
}

/// Compares without stopping at the first difference, so that response
/// times do not tell how much of a guessed token was right.
fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        diff |= usize::from(a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0));
    }
    diff == 0
}

/// Checks that `token` grants `role` for `session` (any session when `None`).
/// Reading is allowed to everyone when the configuration makes it public.
pub fn authorize(config: &Config, token: Option<&str>, role: Role, session: Option<&str>) -> Result<(), Denied> {
    if role == Role::Read && config.public_read {
        return Ok(());
    }
    let Some(token) = token else { return Err(Denied::Unauthenticated) };
    // Check every configured token, not just until a match, for the same reason.
    let mut found = None;
    for entry in &config.tokens {
        if same_secret(&entry.token, token) {
            found = Some(entry);
        }
    }
    let Some(entry) = found else { return Err(Denied::Unauthenticated) };
    let has_role = entry.roles.iter().any(|r| *r == role || *r == Role::Admin);
    let session_ok = match (&entry.sessions, session) {
        (Some(allowed), Some(id)) => allowed.iter().any(|a| a == id),
        // A session-bound token reaches no session-less endpoint but reading.
        (Some(_), None) => role == Role::Read,
        (None, _) => true,
    };
    if has_role && session_ok {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn config(public_read: bool) -> Config {
        let text = format!(
            "public_read = {public_read}\n\
             [[tokens]]\nname = \"zoom\"\ntoken = \"ingest-token-ws-1\"\nroles = [\"ingest\"]\nsessions = [\"ws-1\"]\n\
             [[tokens]]\nname = \"desk\"\ntoken = \"upload-token-0001\"\nroles = [\"upload\", \"read\"]\n\
             [[tokens]]\nname = \"root\"\ntoken = \"admin-token-00001\"\nroles = [\"admin\"]\n"
        );
        Config::from_toml(&text, Path::new("c.toml")).unwrap()
    }

    #[test]
    fn roles_and_sessions() {
        let c = config(false);
        use Denied::*;
        use Role::*;
        // (token, role, session, expected)
        type Case<'a> = (Option<&'a str>, Role, Option<&'a str>, Result<(), Denied>);
        let table: &[Case<'_>] = &[
            (Some("ingest-token-ws-1"), Ingest, Some("ws-1"), Ok(())),
            (Some("ingest-token-ws-1"), Ingest, Some("ws-2"), Err(Forbidden)),
            (Some("ingest-token-ws-1"), Upload, Some("ws-1"), Err(Forbidden)),
            (Some("ingest-token-ws-1"), Read, None, Err(Forbidden)),
            (Some("upload-token-0001"), Upload, Some("ws-9"), Ok(())),
            (Some("upload-token-0001"), Read, None, Ok(())),
            (Some("upload-token-0001"), Ingest, Some("ws-1"), Err(Forbidden)),
            (Some("admin-token-00001"), Ingest, Some("ws-7"), Ok(())),
            (Some("admin-token-0000"), Ingest, Some("ws-7"), Err(Unauthenticated)),
            (None, Read, None, Err(Unauthenticated)),
        ];
        for (token, role, session, expected) in table {
            assert_eq!(authorize(&c, *token, *role, *session), *expected, "{token:?} {role:?} {session:?}");
        }
        assert_eq!(authorize(&config(true), None, Read, None), Ok(()));
        assert_eq!(authorize(&config(true), None, Ingest, Some("ws-1")), Err(Unauthenticated));
    }

    #[test]
    fn token_sources() {
        let mut headers = HeaderMap::new();
        assert_eq!(request_token(&headers, Some("q")), Some("q"));
        headers.insert(header::COOKIE, "a=b; rapporteur_token=c".parse().unwrap());
        assert_eq!(request_token(&headers, None), Some("c"));
        headers.insert(header::AUTHORIZATION, "Bearer h".parse().unwrap());
        assert_eq!(request_token(&headers, Some("q")), Some("h"));
    }
}
