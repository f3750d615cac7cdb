//! How token vectors become one sentence vector, as the sentence-transformers
//! configuration files of the model say (`1_Pooling/config.json`,
//! `modules.json`, `sentence_bert_config.json`).

use std::path::Path;

use serde::Deserialize;

use crate::error::{DraftError, Result};

/// The pooling of a sentence-transformers model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolingMode {
    /// Average of the token vectors (attention mask applied).
    Mean,
    /// The `[CLS]` token's vector.
    Cls,
    /// Element-wise maximum over the tokens.
    Max,
    /// Sum of the token vectors divided by the square root of the token count.
    MeanSqrtLen,
}

/// Pooling, normalisation and sequence length of a model directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceConfig {
    /// How token vectors are pooled.
    pub pooling: PoolingMode,
    /// Whether the sentence vector is L2-normalised (a `Normalize` module).
    pub normalize: bool,
    /// Tokens kept per text (longer texts are truncated).
    pub max_seq_length: usize,
}

#[derive(Deserialize)]
struct PoolingFile {
    #[serde(default)]
    pooling_mode_cls_token: bool,
    #[serde(default)]
    pooling_mode_mean_tokens: bool,
    #[serde(default)]
    pooling_mode_max_tokens: bool,
    #[serde(default)]
    pooling_mode_mean_sqrt_len_tokens: bool,
}

#[derive(Deserialize)]
struct Module {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    path: String,
}

#[derive(Deserialize)]
struct SentenceBertFile {
    max_seq_length: Option<usize>,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path, dir: &Path) -> Result<Option<T>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(DraftError::io(path, e)),
    };
    serde_json::from_str(&text).map(Some).map_err(|e| DraftError::Model {
        dir: dir.to_path_buf(),
        message: format!("{}:{}:{}: {e}", path.display(), e.line(), e.column()),
    })
}

impl SentenceConfig {
    /// Reads the configuration of the model in `dir`. Without
    /// sentence-transformers files it defaults to mean pooling, normalised,
    /// 256 tokens (all-MiniLM-L6-v2's own settings).
    pub fn read(dir: &Path) -> Result<Self> {
        let modules: Vec<Module> = read_json(&dir.join("modules.json"), dir)?.unwrap_or_default();
        let pooling_dir = modules
            .iter()
            .find(|m| m.kind.ends_with("models.Pooling"))
            .map(|m| m.path.clone())
            .unwrap_or_else(|| "1_Pooling".to_string());
        let pooling = match read_json::<PoolingFile>(&dir.join(&pooling_dir).join("config.json"), dir)? {
            None => PoolingMode::Mean,
            Some(p) if p.pooling_mode_mean_tokens => PoolingMode::Mean,
            Some(p) if p.pooling_mode_cls_token => PoolingMode::Cls,
            Some(p) if p.pooling_mode_max_tokens => PoolingMode::Max,
            Some(p) if p.pooling_mode_mean_sqrt_len_tokens => PoolingMode::MeanSqrtLen,
            Some(_) => {
                return Err(DraftError::Model {
                    dir: dir.to_path_buf(),
                    message: format!("{pooling_dir}/config.json enables no pooling mode"),
                })
            }
        };
        let normalize = modules.is_empty() || modules.iter().any(|m| m.kind.ends_with("models.Normalize"));
        let max_seq_length = read_json::<SentenceBertFile>(&dir.join("sentence_bert_config.json"), dir)?
            .and_then(|s| s.max_seq_length)
            .unwrap_or(256);
        Ok(SentenceConfig { pooling, normalize, max_seq_length })
    }
}
