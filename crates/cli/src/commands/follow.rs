//! `rapporteur captions --follow`: a live caption file to NDJSON segments.

use std::path::Path;

use crate::Outcome;

/// Follows `path` (placeholder until the live assembler lands).
pub fn run(path: &Path, _speaking_rate: f64) -> anyhow::Result<Outcome> {
    anyhow::bail!("--follow {} is not available yet", path.display())
}
