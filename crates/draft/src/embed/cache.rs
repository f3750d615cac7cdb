//! An on-disk cache of sentence vectors, keyed by the BLAKE3 hash of the text,
//! one file per model (the file name carries the model's id).
//!
//! Format: the 8-byte magic `RAPEMB1\n`, the vector length as a little-endian
//! `u32`, then records of a 32-byte key and `dim` little-endian `f32`s. New
//! vectors are appended; a torn last record (a run killed mid-write) is
//! ignored and overwritten by the next append.

use std::collections::HashMap;
use std::fs::{self, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{DraftError, Result};

const MAGIC: &[u8; 8] = b"RAPEMB1\n";
const HEADER: usize = 12;

/// The cache key of a text.
pub fn text_key(text: &str) -> [u8; 32] {
    *blake3::hash(text.as_bytes()).as_bytes()
}

/// Vectors of one model, loaded from and appended to one file.
#[derive(Debug)]
pub struct EmbeddingCache {
    path: PathBuf,
    dim: usize,
    vectors: HashMap<[u8; 32], Vec<f32>>,
    pending: Vec<[u8; 32]>,
    valid_len: u64,
}

impl EmbeddingCache {
    /// Opens (or starts) the cache of model `model_id` in `dir`. An unreadable
    /// or foreign file is started afresh rather than trusted.
    pub fn open(dir: &Path, model_id: &str, dim: usize) -> Result<Self> {
        fs::create_dir_all(dir).map_err(|e| DraftError::io(dir, e))?;
        let path = dir.join(format!("embeddings-{model_id}.bin"));
        let mut cache = EmbeddingCache { path, dim, vectors: HashMap::new(), pending: Vec::new(), valid_len: 0 };
        let bytes = match fs::read(&cache.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(cache),
            Err(e) => return Err(DraftError::io(&cache.path, e)),
        };
        let header_ok = bytes.get(..8) == Some(MAGIC.as_slice())
            && bytes.get(8..12).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize) == Some(dim);
        if !header_ok {
            return Ok(cache);
        }
        let record = 32 + 4 * dim;
        let body = bytes.get(HEADER..).unwrap_or(&[]);
        for rec in body.chunks_exact(record) {
            let (key, values) = rec.split_at(32);
            let mut k = [0u8; 32];
            k.copy_from_slice(key);
            let v = values.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
            cache.vectors.insert(k, v);
        }
        cache.valid_len = (HEADER + body.len() / record * record) as u64;
        Ok(cache)
    }

    /// The file backing the cache.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of vectors held.
    pub fn len(&self) -> usize {
        self.vectors.len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    /// The cached vector of `text`.
    pub fn get(&self, text: &str) -> Option<&[f32]> {
        self.vectors.get(&text_key(text)).map(Vec::as_slice)
    }

    /// Adds the vector of `text` (written by [`EmbeddingCache::flush`]).
    pub fn insert(&mut self, text: &str, vector: Vec<f32>) {
        if vector.len() != self.dim {
            return;
        }
        let key = text_key(text);
        if self.vectors.insert(key, vector).is_none() {
            self.pending.push(key);
        }
    }

    /// Appends the vectors added since the last flush to the file.
    pub fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut buf = Vec::with_capacity(self.pending.len() * (32 + 4 * self.dim) + HEADER);
        if self.valid_len == 0 {
            buf.extend_from_slice(MAGIC);
            buf.extend_from_slice(&(self.dim as u32).to_le_bytes());
        }
        for key in &self.pending {
            if let Some(v) = self.vectors.get(key) {
                buf.extend_from_slice(key);
                for x in v {
                    buf.extend_from_slice(&x.to_le_bytes());
                }
            }
        }
        let io = |e| DraftError::io(&self.path, e);
        let mut file = OpenOptions::new().create(true).write(true).truncate(false).open(&self.path).map_err(io)?;
        // Cut any torn tail (or a foreign file) before appending.
        file.set_len(self.valid_len).map_err(io)?;
        file.seek(SeekFrom::Start(self.valid_len)).map_err(io)?;
        file.write_all(&buf).map_err(io)?;
        self.valid_len += buf.len() as u64;
        self.pending.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_torn_tail() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = EmbeddingCache::open(dir.path(), "m1", 3).unwrap();
        c.insert("a", vec![1.0, 2.0, 3.0]);
        c.insert("bad length", vec![1.0]);
        c.flush().unwrap();
        c.insert("b", vec![4.0, 5.0, 6.0]);
        c.flush().unwrap();
        let path = c.path().to_path_buf();
        // A torn record at the end is ignored.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&[7u8; 20]).unwrap();
        drop(f);
        let mut c = EmbeddingCache::open(dir.path(), "m1", 3).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c.get("b"), Some([4.0, 5.0, 6.0].as_slice()));
        assert_eq!(c.get("bad length"), None);
        c.insert("c", vec![0.0, 0.0, 1.0]);
        c.flush().unwrap();
        let c = EmbeddingCache::open(dir.path(), "m1", 3).unwrap();
        assert_eq!(c.len(), 3);
        // Another dimension starts afresh instead of misreading.
        assert!(EmbeddingCache::open(dir.path(), "m1", 4).unwrap().is_empty());
    }
}
