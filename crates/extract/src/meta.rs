//! Session metadata files (`--meta`): `[[session]]` tables with the fields of
//! [`Session`] (id, title, type, tracks, room, date, time, language, speakers
//! with roles), matched to inputs by session id.

use rapporteur_core::{Diagnostic, Session};
use serde::Deserialize;

use crate::rules::span::Located;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaFile {
    #[serde(default)]
    session: Vec<Session>,
}

/// Reads a metadata file; `name` is used in the error, which names line and column.
pub fn read_sessions(text: &str, name: &str) -> Result<Vec<Session>, Diagnostic> {
    toml::from_str::<MetaFile>(text)
        .map(|m| m.session)
        .map_err(|e| Located::new(text, e.span().map_or(0, |s| s.start)).error(name, e.message().trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sessions_and_names_errors() {
        let text = "[[session]]\nid = \"ws-1\"\ntracks = [\"Data\"]\nspeakers = [{ name = \"Ana Lima\", role = \"moderator\" }]\n";
        let s = read_sessions(text, "m.toml").unwrap();
        assert_eq!(s[0].tracks, ["Data"]);
        let err = read_sessions("[[session]]\nid = \"a\"\ntrack = []\n", "m.toml").unwrap_err();
        assert!(err.to_string().starts_with("m.toml:3:1: error: unknown field `track`"), "{err}");
    }
}
