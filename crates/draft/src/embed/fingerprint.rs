//! The model's fingerprint (cache id): a BLAKE3 hash of its files, computed
//! once per process for files that have not changed since.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

use crate::error::{DraftError, Result};

const FILES: [&str; 5] =
    ["config.json", "tokenizer.json", "1_Pooling/config.json", "modules.json", "model.safetensors"];

/// Size and modification time of each file (`None`: absent).
type Stamp = Vec<Option<(u64, Option<SystemTime>)>>;

fn memo() -> &'static Mutex<HashMap<PathBuf, (Stamp, String)>> {
    static MEMO: OnceLock<Mutex<HashMap<PathBuf, (Stamp, String)>>> = OnceLock::new();
    MEMO.get_or_init(|| Mutex::new(HashMap::new()))
}

fn stamp(dir: &Path) -> Result<Stamp> {
    FILES
        .iter()
        .map(|name| {
            let path = dir.join(name);
            match std::fs::metadata(&path) {
                Ok(m) => Ok(Some((m.len(), m.modified().ok()))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(DraftError::io(path, e)),
            }
        })
        .collect()
}

fn hash(dir: &Path) -> Result<String> {
    let mut hasher = blake3::Hasher::new();
    for name in FILES {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => {
                hasher.update(name.as_bytes());
                hasher.update(&(bytes.len() as u64).to_le_bytes());
                hasher.update(&bytes);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(DraftError::io(path, e)),
        }
    }
    Ok(hasher.finalize().to_hex().chars().take(16).collect())
}

/// The id of the model in `dir`, hashed at most once per process while its
/// files keep their size and modification time.
pub(crate) fn model_id(dir: &Path) -> Result<String> {
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let before = stamp(dir)?;
    if let Ok(map) = memo().lock() {
        if let Some((s, id)) = map.get(&key) {
            if *s == before {
                return Ok(id.clone());
            }
        }
    }
    let id = hash(dir)?;
    // A file rewritten while it was read: keep the id for this call only.
    if stamp(dir)? == before {
        if let Ok(mut map) = memo().lock() {
            map.insert(key, (before, id.clone()));
        }
    }
    Ok(id)
}

/// The cache id of vectors computed by model `model_id` with the linear
/// layers in `precision` (`Precision::effective`): f32 and int8 vectors
/// differ in the fourth digit and must not answer for each other. f32 keeps
/// the bare model id, so caches written before the precision existed stay valid.
pub(crate) fn cache_id(model_id: &str, precision: &str) -> String {
    if precision == "f32" {
        model_id.to_string()
    } else {
        format!("{model_id}-{precision}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_follows_the_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.json"), "{}").unwrap();
        std::fs::write(dir.path().join("model.safetensors"), b"weights").unwrap();
        let a = model_id(dir.path()).unwrap();
        assert_eq!(model_id(dir.path()).unwrap(), a, "same files, same id");
        // Another size: the memo must not answer for the changed file.
        std::fs::write(dir.path().join("model.safetensors"), b"other weights").unwrap();
        let b = model_id(dir.path()).unwrap();
        assert_ne!(a, b);
        assert_eq!(b, hash(dir.path()).unwrap());
    }

    #[test]
    fn precision_is_part_of_the_cache_id() {
        assert_eq!(cache_id("abc", "f32"), "abc");
        assert_ne!(cache_id("abc", "int8"), cache_id("abc", "f32"));
        assert_ne!(cache_id("abc", "int8"), cache_id("abc", "int8-int8-int8-bf16"));
    }
}
