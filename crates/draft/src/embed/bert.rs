//! The BERT encoder (all-MiniLM-L6-v2) written out for CPU inference on
//! packed token rows.
//!
//! Why not `candle_transformers::models::bert`: that model pads every batch
//! to its longest text, runs its soft-max as five separate tensor passes and
//! GELU through a scalar `erf`, and copies every head to contiguous memory
//! twice per layer. Here the tokens of all the texts of a batch are packed
//! one after another (no padding, so no mask), the matrix products are
//! bf16 (`rapporteur-matmul`, AVX-512 BF16) or candle's f32 (the `gemm`
//! crate) as `precision.rs` decides, and the rest are fused loops over
//! slices (`kernels.rs`). The vectors are the same as sentence-transformers'
//! (checked by `tests/embeddings.rs`, cosine ≥ 0.999).

use candle_core::{Device, Storage, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{Config, HiddenAct};
use pulp::Arch;
use rapporteur_matmul::{Format, Linear};

use super::kernels;
use super::precision::{LayerKind, Precision};
use crate::error::{DraftError, Result};

/// A linear layer: `x · weight_t + bias`, in f32 through candle or in a
/// lower precision through `rapporteur-matmul` (see `precision.rs`).
enum Dense {
    F32 {
        /// `(in, out)`, contiguous (the checkpoint's `(out, in)` transposed once at load).
        weight_t: Tensor,
        bias: Vec<f32>,
        inputs: usize,
    },
    Packed(Linear),
}

impl Dense {
    fn load(
        vb: &VarBuilder<'_>,
        names: &[&str],
        inputs: usize,
        outputs: usize,
        format: Option<Format>,
    ) -> Result<Self> {
        // Several checkpoint layers side by side (query, key, value) become one product.
        let mut weights = Vec::with_capacity(names.len());
        let mut bias = Vec::with_capacity(outputs * names.len());
        for name in names {
            let p = vb.pp(*name);
            weights.push(p.get((outputs, inputs), "weight")?);
            bias.extend(p.get(outputs, "bias")?.to_vec1::<f32>()?);
        }
        let weight = Tensor::cat(&weights, 0)?;
        if let Some(format) = format {
            let values = weight.flatten_all()?.to_vec1::<f32>()?;
            let layer = Linear::new(format, &values, &bias, bias.len(), inputs)
                .map_err(|e| DraftError::Inference(e.to_string()))?;
            return Ok(Dense::Packed(layer));
        }
        Ok(Dense::F32 { weight_t: weight.t()?.contiguous()?, bias, inputs })
    }

    /// `rows` rows of `x` through the layer, into `y` (reused between calls:
    /// fresh multi-megabyte buffers cost page faults on every layer).
    fn forward(&self, x: &[f32], rows: usize, y: &mut Vec<f32>, arch: Arch) -> Result<()> {
        let (weight_t, bias, inputs) = match self {
            Dense::F32 { weight_t, bias, inputs } => (weight_t, bias, *inputs),
            Dense::Packed(layer) => {
                y.clear();
                y.resize(rows * layer.outputs(), 0.0);
                return layer.forward(x, rows, y).map_err(|e| DraftError::Inference(e.to_string()));
            }
        };
        let input = Tensor::from_slice(&x[..rows * inputs], (rows, inputs), &Device::Cpu)?;
        let product = input.matmul(weight_t)?;
        let width = bias.len();
        let (storage, layout) = product.storage_and_layout();
        let Storage::Cpu(cpu) = &*storage else {
            return Err(DraftError::Inference("matrix product left the CPU".to_string()));
        };
        let start = layout.start_offset();
        let Some(src) = cpu.as_slice::<f32>()?.get(start..start + rows * width) else {
            return Err(DraftError::Inference("matrix product of unexpected size".to_string()));
        };
        y.clear();
        y.resize(rows * width, 0.0);
        arch.dispatch(|| kernels::add_bias_from(y, src, bias));
        Ok(())
    }
}

/// Layer-norm parameters.
struct Norm {
    weight: Vec<f32>,
    bias: Vec<f32>,
    eps: f32,
}

impl Norm {
    fn load(vb: &VarBuilder<'_>, size: usize, eps: f64) -> Result<Self> {
        // Older checkpoints name them gamma and beta.
        let (w, b) = if vb.contains_tensor("weight") { ("weight", "bias") } else { ("gamma", "beta") };
        Ok(Norm {
            weight: vb.get(size, w)?.to_vec1::<f32>()?,
            bias: vb.get(size, b)?.to_vec1::<f32>()?,
            eps: eps as f32,
        })
    }

    fn apply(&self, rows: &mut [f32], residual: Option<&[f32]>, arch: Arch) {
        arch.dispatch(|| kernels::add_layer_norm(rows, residual, &self.weight, &self.bias, self.eps));
    }
}

struct Layer {
    qkv: Dense,
    attention_out: Dense,
    attention_norm: Norm,
    intermediate: Dense,
    output: Dense,
    output_norm: Norm,
}

/// A BERT encoder ready to run.
pub(crate) struct Encoder {
    word: Vec<f32>,
    position: Vec<f32>,
    token_type: Vec<f32>,
    embedding_norm: Norm,
    layers: Vec<Layer>,
    hidden: usize,
    heads: usize,
    vocab: usize,
    max_positions: usize,
    act: HiddenAct,
}

fn shape_error(message: String) -> DraftError {
    DraftError::Inference(message)
}

impl Encoder {
    /// Loads the weights of a BERT checkpoint (with or without a `bert.`
    /// prefix), the linear layers packed for `precision`.
    pub(crate) fn load(vb: VarBuilder<'_>, config: &Config, precision: Precision) -> Result<Self> {
        let vb = if vb.contains_tensor("bert.embeddings.word_embeddings.weight") { vb.pp("bert") } else { vb };
        let h = config.hidden_size;
        if config.num_attention_heads == 0 || !h.is_multiple_of(config.num_attention_heads) {
            return Err(shape_error(format!(
                "hidden_size {h} is not a multiple of num_attention_heads {}",
                config.num_attention_heads
            )));
        }
        let e = vb.pp("embeddings");
        let word = e.get((config.vocab_size, h), "word_embeddings.weight")?.flatten_all()?.to_vec1::<f32>()?;
        let position = e
            .get((config.max_position_embeddings, h), "position_embeddings.weight")?
            .flatten_all()?
            .to_vec1::<f32>()?;
        let token_type = e
            .get((config.type_vocab_size.max(1), h), "token_type_embeddings.weight")?
            .flatten_all()?
            .to_vec1::<f32>()?;
        let embedding_norm = Norm::load(&e.pp("LayerNorm"), h, config.layer_norm_eps)?;
        let mut layers = Vec::with_capacity(config.num_hidden_layers);
        for i in 0..config.num_hidden_layers {
            let l = vb.pp(format!("encoder.layer.{i}"));
            let a = l.pp("attention");
            layers.push(Layer {
                qkv: Dense::load(&a.pp("self"), &["query", "key", "value"], h, h, precision.format(LayerKind::Qkv))?,
                attention_out: Dense::load(
                    &a.pp("output"),
                    &["dense"],
                    h,
                    h,
                    precision.format(LayerKind::AttentionOut),
                )?,
                attention_norm: Norm::load(&a.pp("output").pp("LayerNorm"), h, config.layer_norm_eps)?,
                intermediate: Dense::load(
                    &l.pp("intermediate"),
                    &["dense"],
                    h,
                    config.intermediate_size,
                    precision.format(LayerKind::Intermediate),
                )?,
                output: Dense::load(
                    &l.pp("output"),
                    &["dense"],
                    config.intermediate_size,
                    h,
                    precision.format(LayerKind::Output),
                )?,
                output_norm: Norm::load(&l.pp("output").pp("LayerNorm"), h, config.layer_norm_eps)?,
            });
        }
        Ok(Encoder {
            word,
            position,
            token_type,
            embedding_norm,
            layers,
            hidden: h,
            heads: config.num_attention_heads,
            vocab: config.vocab_size,
            max_positions: config.max_position_embeddings,
            act: config.hidden_act,
        })
    }

    /// Width of the token vectors.
    pub(crate) fn hidden(&self) -> usize {
        self.hidden
    }

    /// The last hidden states of `texts` (token ids, each at most
    /// `max_position_embeddings` long), packed: the rows of the first text,
    /// then those of the second, and so on (`Σ len × hidden` values).
    pub(crate) fn forward(&self, texts: &[&[u32]]) -> Result<Vec<f32>> {
        let h = self.hidden;
        let rows: usize = texts.iter().map(|t| t.len()).sum();
        let mut x = Vec::with_capacity(rows * h);
        for ids in texts {
            if ids.len() > self.max_positions {
                return Err(shape_error(format!(
                    "{} tokens exceed the model's {} positions",
                    ids.len(),
                    self.max_positions
                )));
            }
            for (pos, &id) in ids.iter().enumerate() {
                let id = id as usize;
                if id >= self.vocab {
                    return Err(shape_error(format!("token id {id} outside the vocabulary of {}", self.vocab)));
                }
                let word = &self.word[id * h..(id + 1) * h];
                let position = &self.position[pos * h..(pos + 1) * h];
                // Token type 0 throughout: single-segment input.
                x.extend(word.iter().zip(position).zip(&self.token_type[..h]).map(|((w, p), t)| w + p + t));
            }
        }
        // The element-wise loops run compiled for the CPU's vector extensions
        // (AVX2 and FMA where present, detected at run time). Their sums keep
        // one order whatever the vector width, and Rust never fuses a
        // multiply and an add on its own, so every CPU gives the same floats.
        let arch = Arch::new();
        self.embedding_norm.apply(&mut x, None, arch);
        let mut qkv = Vec::new();
        let mut context = vec![0f32; rows * h];
        let mut attended = Vec::new();
        let mut inner = Vec::new();
        let mut scores = Vec::new();
        for layer in &self.layers {
            layer.qkv.forward(&x, rows, &mut qkv, arch)?;
            arch.dispatch(|| {
                let mut start = 0;
                for ids in texts {
                    let n = ids.len();
                    kernels::attention(
                        &qkv[start * 3 * h..(start + n) * 3 * h],
                        &mut context[start * h..(start + n) * h],
                        n,
                        h,
                        self.heads,
                        &mut scores,
                    );
                    start += n;
                }
            });
            layer.attention_out.forward(&context, rows, &mut attended, arch)?;
            layer.attention_norm.apply(&mut attended, Some(&x), arch);
            layer.intermediate.forward(&attended, rows, &mut inner, arch)?;
            let act = self.act;
            arch.dispatch(|| match act {
                HiddenAct::Gelu => kernels::gelu_erf(&mut inner),
                HiddenAct::GeluApproximate => kernels::gelu_tanh(&mut inner),
                HiddenAct::Relu => kernels::relu(&mut inner),
            });
            // The layer's output replaces x (x's buffer is reused for the next output).
            layer.output.forward(&inner, rows, &mut x, arch)?;
            layer.output_norm.apply(&mut x, Some(&attended), arch);
        }
        Ok(x)
    }
}
