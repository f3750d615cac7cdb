//! A sentence-transformers BERT model (all-MiniLM-L6-v2) run with candle.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::Config;
use rayon::prelude::*;
use tokenizers::{Tokenizer, TruncationParams};

use super::bert::Encoder;
use super::pooling::{PoolingMode, SentenceConfig};
use super::precision::Precision;
use crate::error::{DraftError, Result};

/// Texts per forward pass. Texts are packed without padding, so the batch
/// size only trades the matrix products' efficiency (larger) against memory
/// traffic (smaller); 16 measured fastest of 8, 16, 32 and 64
/// (examples/embed_speed.rs on 500 findings: 119, 115 and 110 sentences per
/// CPU second for 16, 32 and 64).
pub const DEFAULT_BATCH: usize = 16;

/// A loaded sentence-embedding model.
pub struct SentenceModel {
    dir: PathBuf,
    model: Encoder,
    tokenizer: Tokenizer,
    config: SentenceConfig,
    dim: usize,
    precision: Precision,
}

impl std::fmt::Debug for SentenceModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentenceModel")
            .field("dir", &self.dir)
            .field("config", &self.config)
            .field("dim", &self.dim)
            .field("precision", &self.precision.effective())
            .finish()
    }
}

fn model_error(dir: &Path, message: impl Into<String>) -> DraftError {
    DraftError::Model { dir: dir.to_path_buf(), message: message.into() }
}

impl SentenceModel {
    /// Loads `model.safetensors`, `config.json`, `tokenizer.json` and the
    /// pooling configuration from `dir`, in the precision
    /// `RAPPORTEUR_EMBED_PRECISION` asks for (default: auto).
    pub fn load(dir: &Path) -> Result<Self> {
        Self::load_with(dir, Precision::from_env()?)
    }

    /// [`SentenceModel::load`] in the given precision (layers the CPU cannot
    /// run in it stay f32).
    pub fn load_with(dir: &Path, precision: Precision) -> Result<Self> {
        let config_path = dir.join("config.json");
        let config_text = std::fs::read_to_string(&config_path).map_err(|e| DraftError::io(&config_path, e))?;
        let config: Config = serde_json::from_str(&config_text)
            .map_err(|e| model_error(dir, format!("config.json:{}:{}: {e}", e.line(), e.column())))?;
        let sentence = SentenceConfig::read(dir)?;
        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| model_error(dir, format!("tokenizer.json: {e}")))?;
        let max_len = sentence.max_seq_length.min(config.max_position_embeddings);
        tokenizer
            .with_truncation(Some(TruncationParams { max_length: max_len, ..TruncationParams::default() }))
            .map_err(|e| model_error(dir, format!("tokenizer truncation: {e}")))?;
        // The file asks for fixed-length padding; the encoder packs texts
        // without any (the vectors are the same: padding is masked anyway).
        tokenizer.with_padding(None);
        let device = Device::Cpu;
        let weights = dir.join("model.safetensors");
        // SAFETY-free: `from_mmaped_safetensors` is unsafe (the file must not
        // change while mapped), so read the file instead; 90 MB reads in a few
        // tens of milliseconds.
        let bytes = std::fs::read(&weights).map_err(|e| DraftError::io(&weights, e))?;
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, &device)
            .map_err(|e| model_error(dir, format!("model.safetensors: {e}")))?;
        let model =
            Encoder::load(vb, &config, precision).map_err(|e| model_error(dir, format!("model.safetensors: {e}")))?;
        let dim = model.hidden();
        Ok(SentenceModel { dir: dir.to_path_buf(), model, tokenizer, config: sentence, dim, precision })
    }

    /// Vector length (384 for all-MiniLM-L6-v2).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Pooling and normalisation in use.
    pub fn sentence_config(&self) -> SentenceConfig {
        self.config
    }

    /// The linear layers' arithmetic on this CPU ([`Precision::effective`]).
    pub fn precision(&self) -> String {
        self.precision.effective()
    }

    /// The model directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Embeds `texts`, `batch` at a time, in the order given. Texts are
    /// grouped by token count (a batch's texts are packed, not padded, but
    /// similar lengths keep the batches' work even); batches run in parallel
    /// on rayon's threads.
    pub fn embed(&self, texts: &[&str], batch: usize) -> Result<Vec<Vec<f32>>> {
        let batch = batch.max(1);
        let encodings: Vec<Vec<u32>> = texts
            .par_iter()
            .map(|t| {
                self.tokenizer
                    .encode(*t, true)
                    .map(|e| e.get_ids().to_vec())
                    .map_err(|e| DraftError::Inference(format!("tokenizer: {e}")))
            })
            .collect::<Result<_>>()?;
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| (encodings[i].len(), i));
        let groups: Vec<&[usize]> = order.chunks(batch).collect();
        let pooled: Vec<Vec<Vec<f32>>> = groups
            .par_iter()
            .map(|group| {
                let ids: Vec<&[u32]> = group.iter().map(|&i| encodings[i].as_slice()).collect();
                self.forward(&ids)
            })
            .collect::<Result<_>>()?;
        let mut out = vec![Vec::new(); texts.len()];
        for (group, vectors) in groups.iter().zip(pooled) {
            for (&i, v) in group.iter().zip(vectors) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    fn forward(&self, ids: &[&[u32]]) -> Result<Vec<Vec<f32>>> {
        let h = self.dim;
        let hidden = self.model.forward(ids)?;
        let mut out = Vec::with_capacity(ids.len());
        let mut start = 0;
        for t in ids {
            let n = t.len();
            let rows = &hidden[start * h..(start + n) * h];
            start += n;
            out.push(pool(rows, n, h, self.config));
        }
        Ok(out)
    }
}

/// One text's vector from its `n` token rows, pooled and normalised as the
/// model's sentence-transformers configuration says.
fn pool(rows: &[f32], n: usize, h: usize, config: SentenceConfig) -> Vec<f32> {
    let mut v = vec![0f32; h];
    if n == 0 {
        return v;
    }
    match config.pooling {
        PoolingMode::Mean | PoolingMode::MeanSqrtLen => {
            for row in rows.chunks_exact(h) {
                for (a, x) in v.iter_mut().zip(row) {
                    *a += x;
                }
            }
            let divisor = if config.pooling == PoolingMode::Mean { n as f32 } else { (n as f32).sqrt() };
            v.iter_mut().for_each(|a| *a /= divisor);
        }
        PoolingMode::Cls => v.copy_from_slice(&rows[..h]),
        PoolingMode::Max => {
            v.copy_from_slice(&rows[..h]);
            for row in rows.chunks_exact(h).skip(1) {
                for (a, x) in v.iter_mut().zip(row) {
                    *a = a.max(*x);
                }
            }
        }
    }
    if config.normalize {
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}
