//! A sentence-transformers BERT model (all-MiniLM-L6-v2) run with candle.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor, D};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use super::pooling::{PoolingMode, SentenceConfig};
use crate::error::{DraftError, Result};

/// Texts per forward pass. Texts are sorted by length first, so a batch pads
/// little; 64 measured fastest of 16, 32 and 64 (examples/embed_speed.rs) without
/// wasting memory on padding.
pub const DEFAULT_BATCH: usize = 64;

/// A loaded sentence-embedding model.
pub struct SentenceModel {
    dir: PathBuf,
    model: BertModel,
    tokenizer: Tokenizer,
    config: SentenceConfig,
    dim: usize,
    device: Device,
}

impl std::fmt::Debug for SentenceModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentenceModel")
            .field("dir", &self.dir)
            .field("config", &self.config)
            .field("dim", &self.dim)
            .finish()
    }
}

fn model_error(dir: &Path, message: impl Into<String>) -> DraftError {
    DraftError::Model { dir: dir.to_path_buf(), message: message.into() }
}

impl SentenceModel {
    /// Loads `model.safetensors`, `config.json`, `tokenizer.json` and the
    /// pooling configuration from `dir`.
    pub fn load(dir: &Path) -> Result<Self> {
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
        // The file asks for fixed-length padding; sentence-transformers pads
        // to the longest text of the batch, which gives the same vectors
        // (padding is masked) at a fraction of the cost.
        let pad_id = tokenizer.get_padding().map(|p| p.pad_id).unwrap_or(config.pad_token_id as u32);
        let pad_token = tokenizer.get_padding().map(|p| p.pad_token.clone()).unwrap_or_else(|| "[PAD]".to_string());
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            pad_id,
            pad_token,
            ..PaddingParams::default()
        }));
        let device = Device::Cpu;
        let weights = dir.join("model.safetensors");
        // SAFETY-free: `from_mmaped_safetensors` is unsafe (the file must not
        // change while mapped), so read the file instead; 90 MB reads in a few
        // tens of milliseconds.
        let bytes = std::fs::read(&weights).map_err(|e| DraftError::io(&weights, e))?;
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, &device)
            .map_err(|e| model_error(dir, format!("model.safetensors: {e}")))?;
        let model = BertModel::load(vb, &config).map_err(|e| model_error(dir, format!("model.safetensors: {e}")))?;
        Ok(SentenceModel {
            dir: dir.to_path_buf(),
            model,
            tokenizer,
            config: sentence,
            dim: config.hidden_size,
            device,
        })
    }

    /// Vector length (384 for all-MiniLM-L6-v2).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Pooling and normalisation in use.
    pub fn sentence_config(&self) -> SentenceConfig {
        self.config
    }

    /// The model directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Embeds `texts`, `batch` at a time, in the order given. Texts are
    /// grouped by token count so that batches pad little.
    pub fn embed(&self, texts: &[&str], batch: usize) -> Result<Vec<Vec<f32>>> {
        let batch = batch.max(1);
        let mut encodings = Vec::with_capacity(texts.len());
        for chunk in texts.chunks(1024) {
            let mut enc = self
                .tokenizer
                .encode_batch(chunk.to_vec(), true)
                .map_err(|e| DraftError::Inference(format!("tokenizer: {e}")))?;
            encodings.append(&mut enc);
        }
        // Padding was applied per 1024-chunk; lengths without padding decide the order.
        let lengths: Vec<usize> =
            encodings.iter().map(|e| e.get_attention_mask().iter().filter(|&&m| m != 0).count()).collect();
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| (lengths[i], i));
        let mut out = vec![Vec::new(); texts.len()];
        for group in order.chunks(batch) {
            let width = group.iter().map(|&i| lengths[i]).max().unwrap_or(1).max(1);
            let mut ids = Vec::with_capacity(group.len() * width);
            let mut mask = Vec::with_capacity(group.len() * width);
            for &i in group {
                let enc = &encodings[i];
                let n = lengths[i];
                ids.extend(enc.get_ids().iter().take(n));
                mask.extend(std::iter::repeat_n(1u32, n));
                ids.extend(std::iter::repeat_n(0u32, width - n));
                mask.extend(std::iter::repeat_n(0u32, width - n));
            }
            let vectors = self.forward(ids, mask, group.len(), width)?;
            for (&i, v) in group.iter().zip(vectors) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    fn forward(&self, ids: Vec<u32>, mask: Vec<u32>, rows: usize, width: usize) -> Result<Vec<Vec<f32>>> {
        let ids = Tensor::from_vec(ids, (rows, width), &self.device)?;
        let mask = Tensor::from_vec(mask, (rows, width), &self.device)?;
        let type_ids = ids.zeros_like()?;
        let hidden = self.model.forward(&ids, &type_ids, Some(&mask))?;
        let mask_f = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let pooled = match self.config.pooling {
            PoolingMode::Mean | PoolingMode::MeanSqrtLen => {
                let summed = hidden.broadcast_mul(&mask_f)?.sum(1)?;
                let counts = mask_f.sum(1)?.clamp(1e-9f32, f32::MAX)?;
                let divisor = if self.config.pooling == PoolingMode::Mean { counts } else { counts.sqrt()? };
                summed.broadcast_div(&divisor)?
            }
            PoolingMode::Cls => hidden.narrow(1, 0, 1)?.squeeze(1)?,
            PoolingMode::Max => {
                // Padding positions get a very low value so they never win.
                let penalty = ((mask_f.ones_like()? - &mask_f)? * -1e9f64)?;
                hidden.broadcast_add(&penalty)?.max(1)?
            }
        };
        let pooled = if self.config.normalize {
            let norm = pooled.sqr()?.sum_keepdim(D::Minus1)?.sqrt()?.clamp(1e-12f32, f32::MAX)?;
            pooled.broadcast_div(&norm)?
        } else {
            pooled
        };
        Ok(pooled.to_vec2::<f32>()?)
    }
}
