//! `session.toml`: a session's metadata, checked with positions.

use std::path::Path;

use rapporteur_core::Session;

use crate::PipelineError;

/// Parses `session.toml` text (`path` names it in errors). Unknown keys are
/// errors, so a misspelt `trakcs` is caught instead of silently ignored.
/// `id` may be left out: the session folder's name (`fallback_id`) is used.
pub fn parse_session_toml(text: &str, path: &Path, fallback_id: &str) -> Result<Session, PipelineError> {
    // Session requires an id; when the file has none, one is put in front and
    // error offsets are shifted back so positions point into the user's file.
    let prefix = if has_top_level_id(text) { String::new() } else { format!("id = {}\n", toml_string(fallback_id)) };
    let source = format!("{prefix}{text}");
    let session: Session = toml::from_str(&source).map_err(|e| {
        let offset = e.span().map(|span| span.start.saturating_sub(prefix.len())).unwrap_or(0);
        let (line, column) = line_column(text, offset);
        PipelineError::Metadata { path: path.to_path_buf(), line, column, message: e.message().to_string() }
    })?;
    if !Session::is_valid_id(&session.id) {
        return Err(PipelineError::Metadata {
            path: path.to_path_buf(),
            line: key_line(text, "id").unwrap_or(1),
            column: 1,
            message: format!(
                "session id `{}` is not safe in file names and URLs: use letters, digits, `-`, `_` and `.`",
                session.id
            ),
        });
    }
    Ok(session)
}

fn has_top_level_id(text: &str) -> bool {
    key_line(text, "id").is_some()
}

/// The 1-based line of a top-level `key = ...` (before any `[table]`).
fn key_line(text: &str, key: &str) -> Option<usize> {
    for (i, line) in text.lines().enumerate() {
        let l = line.trim_start();
        if l.starts_with('[') {
            return None;
        }
        if let Some(rest) = l.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return Some(i + 1);
            }
        }
    }
    None
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_name_is_the_default_id() {
        let s = parse_session_toml("title = \"T\"\ntracks = [\"Data\"]\n", Path::new("s.toml"), "ws-1").unwrap();
        assert_eq!(s.id, "ws-1");
        assert_eq!(s.tracks, ["Data"]);
    }

    #[test]
    fn unknown_key_points_at_its_line() {
        let err = parse_session_toml("title = \"T\"\ntrakcs = [\"Data\"]\n", Path::new("s.toml"), "ws-1").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("s.toml:2:1: unknown field `trakcs`"), "{msg}");
    }

    #[test]
    fn unsafe_id_is_refused() {
        let err = parse_session_toml("id = \"../x\"\n", Path::new("s.toml"), "ws").unwrap_err();
        assert!(err.to_string().contains("s.toml:1:1: session id `../x`"), "{err}");
    }
}
