//! Sentence vectors for grouping findings: all-MiniLM-L6-v2 run with candle
//! when the model is installed, TF-IDF otherwise; vectors cached on disk by
//! text hash.

mod bert;
mod cache;
mod fingerprint;
mod kernels;
mod locate;
mod minilm;
mod pooling;
mod precision;
mod tfidf;
mod vectors;

use std::path::{Path, PathBuf};

pub use cache::{text_key, EmbeddingCache};
pub use locate::{is_model_dir, locate, pip_package_dir, ModelLocation, ENV_VAR, LOCAL_DIR, PIP_MODULE};
pub use minilm::{SentenceModel, DEFAULT_BATCH};
pub use pooling::{PoolingMode, SentenceConfig};
pub use precision::{Precision, PRECISION_ENV};
pub use tfidf::{terms, TfIdf};
pub use vectors::{dot, SparseVector, Vectors};

use crate::error::{DraftError, Result};

/// How to find the model and where to cache vectors.
#[derive(Debug, Clone, Default)]
pub struct EmbedOptions {
    /// A model directory to use before the usual places.
    pub model_dir: Option<PathBuf>,
    /// Where to keep the vector cache (`None`: no cache).
    pub cache_dir: Option<PathBuf>,
    /// Use TF-IDF even when the model is installed.
    pub force_tfidf: bool,
    /// Texts per forward pass (0: [`DEFAULT_BATCH`]).
    pub batch: usize,
}

/// The default cache directory: `$RAPPORTEUR_CACHE/embeddings`, else
/// `$XDG_CACHE_HOME/rapporteur/embeddings`, else `~/.cache/rapporteur/embeddings`.
pub fn default_cache_dir() -> Option<PathBuf> {
    let non_empty = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = non_empty("RAPPORTEUR_CACHE") {
        return Some(dir.join("embeddings"));
    }
    if let Some(dir) = non_empty("XDG_CACHE_HOME") {
        return Some(dir.join("rapporteur").join("embeddings"));
    }
    non_empty("HOME").map(|h| h.join(".cache").join("rapporteur").join("embeddings"))
}

/// Which vectors are in use, for the output's notes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BackendInfo {
    /// `all-MiniLM-L6-v2` or `tfidf`.
    pub name: String,
    /// Where the model came from, or why TF-IDF is used.
    pub detail: String,
}

/// Statistics of one embedding run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EmbedStats {
    /// Texts asked for.
    pub texts: usize,
    /// Texts found in the cache.
    pub cached: usize,
    /// Texts run through the model.
    pub computed: usize,
}

enum Backend {
    Model {
        location: ModelLocation,
        model_id: String,
        precision: Precision,
        dim: usize,
        // Boxed: the loaded model is large, the TF-IDF variant small.
        model: Option<Box<SentenceModel>>,
        cache: Option<EmbeddingCache>,
    },
    TfIdf {
        reason: String,
        fitted: Option<TfIdf>,
    },
}

/// Turns texts into [`Vectors`] with the best backend available.
pub struct Embedder {
    backend: Backend,
    options: EmbedOptions,
    stats: EmbedStats,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder").field("backend", &self.info()).field("stats", &self.stats).finish()
    }
}

/// The model's id for the cache: a hash of its configuration, tokenizer and
/// weights (remembered per process while the files keep their size and
/// modification time, so that a long-running server or many `Embedder`s
/// hash the 90 MB of weights once).
pub fn model_id(dir: &Path) -> Result<String> {
    fingerprint::model_id(dir)
}

/// The vector width a model directory's `config.json` declares (`hidden_size`).
pub fn hidden_size(dir: &Path) -> Result<usize> {
    let path = dir.join("config.json");
    let text = std::fs::read_to_string(&path).map_err(|e| DraftError::io(&path, e))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| DraftError::Model {
        dir: dir.to_path_buf(),
        message: format!("config.json:{}:{}: {e}", e.line(), e.column()),
    })?;
    value.get("hidden_size").and_then(serde_json::Value::as_u64).map(|d| d as usize).ok_or_else(|| DraftError::Model {
        dir: dir.to_path_buf(),
        message: "config.json has no hidden_size".to_string(),
    })
}

impl Embedder {
    /// Finds the model (or settles for TF-IDF, remembering why).
    pub fn new(options: EmbedOptions) -> Self {
        let backend = if options.force_tfidf {
            Backend::TfIdf { reason: "TF-IDF requested".to_string(), fitted: None }
        } else {
            match (locate(options.model_dir.as_deref()), Precision::from_env()) {
                (_, Err(e)) => Backend::TfIdf { reason: e.to_string(), fitted: None },
                (Ok(location), Ok(precision)) => match (model_id(&location.dir), hidden_size(&location.dir)) {
                    (Ok(model_id), Ok(dim)) => {
                        Backend::Model { location, model_id, precision, dim, model: None, cache: None }
                    }
                    (Err(e), _) | (_, Err(e)) => {
                        Backend::TfIdf { reason: format!("model unreadable: {e}"), fitted: None }
                    }
                },
                (Err(looked), Ok(_)) => Backend::TfIdf {
                    reason: format!("all-MiniLM-L6-v2 not installed (looked in: {})", looked.join("; ")),
                    fitted: None,
                },
            }
        };
        Embedder { backend, options, stats: EmbedStats::default() }
    }

    /// Which backend is in use and why.
    pub fn info(&self) -> BackendInfo {
        match &self.backend {
            Backend::Model { location, model_id, precision, .. } => BackendInfo {
                name: "all-MiniLM-L6-v2".to_string(),
                detail: format!(
                    "{} (found by {}, id {model_id}, {} products)",
                    location.dir.display(),
                    location.found_by,
                    precision.effective()
                ),
            },
            Backend::TfIdf { reason, .. } => BackendInfo { name: "tfidf".to_string(), detail: reason.clone() },
        }
    }

    /// Whether the fallback is in use.
    pub fn is_tfidf(&self) -> bool {
        matches!(self.backend, Backend::TfIdf { .. })
    }

    /// Counts since the embedder was made.
    pub fn stats(&self) -> EmbedStats {
        self.stats
    }

    /// The vectors of `texts`. For TF-IDF the first call fits the vocabulary;
    /// later calls (policy questions, messages) use the same fit.
    pub fn embed(&mut self, texts: &[&str]) -> Result<Vectors> {
        self.stats.texts += texts.len();
        let batch = if self.options.batch == 0 { DEFAULT_BATCH } else { self.options.batch };
        match &mut self.backend {
            Backend::TfIdf { fitted, .. } => {
                let model = fitted.get_or_insert_with(|| TfIdf::fit(texts));
                self.stats.computed += texts.len();
                Ok(model.vectors(texts))
            }
            Backend::Model { location, model_id, precision, dim, model, cache } => {
                let dim = *dim;
                if cache.is_none() {
                    if let Some(dir) = &self.options.cache_dir {
                        let id = fingerprint::cache_id(model_id, &precision.effective());
                        *cache = Some(EmbeddingCache::open(dir, &id, dim)?);
                    }
                }
                let mut rows: Vec<Option<Vec<f32>>> =
                    texts.iter().map(|t| cache.as_ref().and_then(|c| c.get(t)).map(<[f32]>::to_vec)).collect();
                let missing: Vec<usize> = (0..texts.len()).filter(|&i| rows[i].is_none()).collect();
                self.stats.cached += texts.len() - missing.len();
                self.stats.computed += missing.len();
                if !missing.is_empty() {
                    if model.is_none() {
                        *model = Some(Box::new(SentenceModel::load_with(&location.dir, *precision)?));
                    }
                    let Some(m) = model.as_ref() else {
                        return Err(DraftError::Inference("model not loaded".to_string()));
                    };
                    let todo: Vec<&str> = missing.iter().map(|&i| texts[i]).collect();
                    let computed = m.embed(&todo, batch)?;
                    for (&i, v) in missing.iter().zip(computed) {
                        if let Some(c) = cache.as_mut() {
                            c.insert(texts[i], v.clone());
                        }
                        rows[i] = Some(v);
                    }
                    if let Some(c) = cache.as_mut() {
                        c.flush()?;
                    }
                }
                let rows: Vec<Vec<f32>> = rows.into_iter().map(Option::unwrap_or_default).collect();
                Ok(Vectors::from_rows(dim, &rows))
            }
        }
    }
}
