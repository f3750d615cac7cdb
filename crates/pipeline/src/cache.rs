//! Content-addressed session keys: an unchanged session is not recomputed.

use std::fs;
use std::io::Read;

use crate::{PipelineError, SessionInputs, Stage};

/// The version of this tool, part of every key: a new release recomputes.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The key of a session's outputs: a BLAKE3 hash of the tool version, the
/// fingerprint (rules, tracks, model, options) of every stage that applies
/// to the session ([`Stage::applies`]) and the name and
/// content of every input file. Paths enter relative to the session folder,
/// so a meeting moved elsewhere keeps its cache.
pub fn session_key(inputs: &SessionInputs, stages: &[&dyn Stage]) -> Result<String, PipelineError> {
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"rapporteur session key v1\0");
    hasher.update(TOOL_VERSION.as_bytes());
    hasher.update(b"\0");
    for stage in stages.iter().filter(|s| s.applies(inputs)) {
        hasher.update(stage.name().as_bytes());
        hasher.update(b"\0");
        hasher.update(stage.fingerprint().as_bytes());
        hasher.update(b"\0");
    }
    for path in inputs.all_files() {
        let name = path.strip_prefix(&inputs.dir).unwrap_or(path);
        hasher.update(name.to_string_lossy().as_bytes());
        hasher.update(b"\0");
        let mut file = fs::File::open(path).map_err(|e| PipelineError::io(path, e))?;
        let mut buf = vec![0u8; 1 << 16];
        let mut len = 0u64;
        loop {
            let n = file.read(&mut buf).map_err(|e| PipelineError::io(path, e))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            len += n as u64;
        }
        hasher.update(&len.to_le_bytes());
    }
    Ok(hasher.finalize().to_hex().to_string())
}
