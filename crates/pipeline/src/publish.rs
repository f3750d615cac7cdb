//! Swapping a folder of outputs in whole: written beside its target as a
//! partial folder, synced, then renamed into place.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;

use crate::PipelineError;

/// Writes `files` (relative path → bytes) as the folder `parent/name`,
/// replacing what was there. A run killed at any point leaves either the old
/// or the new folder under `name` (plus a hidden leftover that
/// [`remove_partials`] clears), never a mix.
pub fn publish_dir(parent: &Path, name: &str, files: &BTreeMap<String, Vec<u8>>) -> Result<(), PipelineError> {
    let pid = std::process::id();
    let partial = parent.join(format!(".{name}.partial-{pid}"));
    let final_dir = parent.join(name);
    let old = parent.join(format!(".{name}.old-{pid}"));
    let _ = fs::remove_dir_all(&partial);
    fs::create_dir_all(&partial).map_err(|e| PipelineError::io(&partial, e))?;
    for (rel, bytes) in files {
        let path = partial.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| PipelineError::io(dir, e))?;
        }
        let mut file = fs::File::create(&path).map_err(|e| PipelineError::io(&path, e))?;
        file.write_all(bytes).and_then(|_| file.sync_all()).map_err(|e| PipelineError::io(&path, e))?;
    }
    swap_in(&partial, &final_dir, &old)
}

/// Renames `ready` to `target`, moving an existing `target` aside to `old`
/// first and deleting it after.
pub fn swap_in(ready: &Path, target: &Path, old: &Path) -> Result<(), PipelineError> {
    if target.exists() {
        let _ = fs::remove_dir_all(old);
        fs::rename(target, old).map_err(|e| PipelineError::io(target, e))?;
    }
    fs::rename(ready, target).map_err(|e| PipelineError::io(target, e))?;
    let _ = fs::remove_dir_all(old);
    Ok(())
}

/// Removes the hidden leftovers (`.NAME.partial-PID`, `.NAME.old-PID`,
/// `.NAME.merge-PID`) of a killed run in `dir`.
pub fn remove_partials(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let leftover = [".partial-", ".old-", ".merge-"].iter().any(|m| name.contains(m));
            if name.starts_with('.') && leftover {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// Writes one file atomically: a temporary file beside it, synced, renamed.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), PipelineError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| PipelineError::io(dir, e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let mut file = fs::File::create(&tmp).map_err(|e| PipelineError::io(&tmp, e))?;
    file.write_all(bytes).and_then(|_| file.sync_all()).map_err(|e| PipelineError::io(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| PipelineError::io(path, e))
}
