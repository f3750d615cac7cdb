//! Reading the findings files that `rapporteur extract` writes
//! (`<session>.findings.json`, one [`SessionFindings`] each), plus the
//! shapes people make by hand: an array of them, or a bare array of findings.

use rapporteur_extract::{Finding, SessionFindings};
use serde::Deserialize;

use crate::error::{DraftError, Result};

/// The findings of a meeting, with every session that was looked at (a
/// session without findings still counts for coverage).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meeting {
    /// Sessions, in input order, each with its findings.
    pub sessions: Vec<SessionFindings>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum FindingsFile {
    One(Box<SessionFindings>),
    Many(Vec<SessionFindings>),
    Bare(Vec<Finding>),
}

impl Meeting {
    /// Adds the contents of one findings JSON file named `name`.
    pub fn add_json(&mut self, json: &str, name: &str) -> Result<()> {
        // Parse once as a generic value for a precise position on syntax
        // errors, then into the shapes (untagged enums lose positions).
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| DraftError::Input {
            file: name.to_string(),
            line: e.line(),
            column: e.column(),
            message: format!("not JSON: {e}"),
        })?;
        let parsed = FindingsFile::deserialize(&value).map_err(|_| {
            // Say what is wrong with the most likely shape.
            let detail = match &value {
                serde_json::Value::Array(items) if items.first().is_some_and(|v| v.get("kind").is_some()) => {
                    Vec::<Finding>::deserialize(&value).err()
                }
                serde_json::Value::Array(_) => Vec::<SessionFindings>::deserialize(&value).err(),
                _ => SessionFindings::deserialize(&value).err(),
            };
            DraftError::Input {
                file: name.to_string(),
                line: 0,
                column: 0,
                message: format!(
                    "not a findings file as `rapporteur extract` writes it ({}); expected {{\"session\": ..., \"findings\": [...]}}",
                    detail.map(|e| e.to_string()).unwrap_or_else(|| "unknown shape".to_string())
                ),
            }
        })?;
        match parsed {
            FindingsFile::One(s) => self.push(*s),
            FindingsFile::Many(list) => list.into_iter().for_each(|s| self.push(s)),
            FindingsFile::Bare(findings) => {
                for f in findings {
                    match self.sessions.iter_mut().find(|s| s.session.id == f.session) {
                        Some(s) => s.findings.push(f),
                        None => self.sessions.push(SessionFindings {
                            session: rapporteur_core::Session::new(f.session.clone()),
                            track: None,
                            track_confidence: None,
                            findings: vec![f],
                            diagnostics: Vec::new(),
                        }),
                    }
                }
            }
        }
        Ok(())
    }

    fn push(&mut self, s: SessionFindings) {
        match self.sessions.iter_mut().find(|o| o.session.id == s.session.id) {
            Some(existing) => existing.findings.extend(s.findings),
            None => self.sessions.push(s),
        }
    }

    /// Reads a findings file.
    pub fn add_file(&mut self, path: &std::path::Path) -> Result<()> {
        let json = std::fs::read_to_string(path).map_err(|e| DraftError::io(path, e))?;
        self.add_json(&json, &path.display().to_string())
    }

    /// Every finding, session by session.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.sessions.iter().flat_map(|s| s.findings.iter())
    }

    /// The track of a finding: its own, else its session's.
    pub fn track_of<'a>(&'a self, session: &'a SessionFindings, finding: &'a Finding) -> Option<&'a str> {
        finding.track.as_deref().or(session.track.as_deref())
    }
}
