//! Which ggml tensor comes from which CTranslate2 variable.
//!
//! whisper.cpp names tensors as OpenAI's PyTorch checkpoint does; CTranslate2
//! names them after its own layer specs and fuses some projections
//! (self-attention q, k, v into one matrix; cross-attention k, v into
//! another). Each ggml tensor is a whole CT2 variable or a block of its rows.

/// Where a ggml tensor's values come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The CTranslate2 variable.
    pub variable: String,
    /// `(part, parts)`: the tensor is rows `part/parts` of the variable
    /// (fused projections split along their output dimension).
    pub rows: Option<(usize, usize)>,
}

/// How a tensor is stored in the ggml file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// Weight matrices and convolution kernels: the file's weight type (f16, or q8_0).
    Weight,
    /// Biases, layer norms, positional embeddings: always f32.
    F32,
    /// Convolution biases: f32, reshaped from `[n]` to `[n, 1]` as whisper.cpp expects.
    ConvBias,
}

/// One tensor of the ggml file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorPlan {
    /// whisper.cpp's name for it.
    pub name: String,
    /// Its source.
    pub source: Source,
    /// Its storage.
    pub storage: Storage,
}

fn whole(name: String, variable: String, storage: Storage) -> TensorPlan {
    TensorPlan { name, source: Source { variable, rows: None }, storage }
}

fn rows(name: String, variable: String, part: usize, parts: usize) -> TensorPlan {
    // Row blocks are always of weights or biases of a linear layer.
    let storage = if variable.ends_with("bias") { Storage::F32 } else { Storage::Weight };
    TensorPlan { name, source: Source { variable, rows: Some((part, parts)) }, storage }
}

/// A linear layer: `weight` then `bias`.
fn linear(out: &mut Vec<TensorPlan>, ggml: &str, ct2: &str) {
    out.push(whole(format!("{ggml}.weight"), format!("{ct2}/weight"), Storage::Weight));
    out.push(whole(format!("{ggml}.bias"), format!("{ct2}/bias"), Storage::F32));
}

/// A layer norm: CT2's `gamma`, `beta` are PyTorch's `weight`, `bias`.
fn layer_norm(out: &mut Vec<TensorPlan>, ggml: &str, ct2: &str) {
    out.push(whole(format!("{ggml}.weight"), format!("{ct2}/gamma"), Storage::F32));
    out.push(whole(format!("{ggml}.bias"), format!("{ct2}/beta"), Storage::F32));
}

/// Query, key and value from one fused projection with `parts` blocks of rows,
/// the first block being `first`. The key has no bias in Whisper: CT2 stores
/// zeros there, and any constant key bias cancels in the softmax anyway.
fn fused(out: &mut Vec<TensorPlan>, ggml: &str, ct2: &str, names: &[&str], first: usize, parts: usize) {
    for (i, proj) in names.iter().enumerate() {
        let part = first + i;
        out.push(rows(format!("{ggml}.{proj}.weight"), format!("{ct2}/weight"), part, parts));
        if *proj != "key" {
            out.push(rows(format!("{ggml}.{proj}.bias"), format!("{ct2}/bias"), part, parts));
        }
    }
}

fn mlp(out: &mut Vec<TensorPlan>, ggml: &str, ct2: &str) {
    layer_norm(out, &format!("{ggml}.mlp_ln"), &format!("{ct2}/ffn/layer_norm"));
    linear(out, &format!("{ggml}.mlp.0"), &format!("{ct2}/ffn/linear_0"));
    linear(out, &format!("{ggml}.mlp.2"), &format!("{ct2}/ffn/linear_1"));
}

/// Every tensor of a Whisper model with `encoder_layers` and `decoder_layers`.
pub fn plan(encoder_layers: usize, decoder_layers: usize) -> Vec<TensorPlan> {
    let mut out = Vec::new();
    out.push(whole("encoder.positional_embedding".into(), "encoder/position_encodings/encodings".into(), Storage::F32));
    for conv in ["conv1", "conv2"] {
        out.push(whole(format!("encoder.{conv}.weight"), format!("encoder/{conv}/weight"), Storage::Weight));
        out.push(whole(format!("encoder.{conv}.bias"), format!("encoder/{conv}/bias"), Storage::ConvBias));
    }
    for n in 0..encoder_layers {
        let (g, c) = (format!("encoder.blocks.{n}"), format!("encoder/layer_{n}"));
        layer_norm(&mut out, &format!("{g}.attn_ln"), &format!("{c}/self_attention/layer_norm"));
        fused(
            &mut out,
            &format!("{g}.attn"),
            &format!("{c}/self_attention/linear_0"),
            &["query", "key", "value"],
            0,
            3,
        );
        linear(&mut out, &format!("{g}.attn.out"), &format!("{c}/self_attention/linear_1"));
        mlp(&mut out, &g, &c);
    }
    layer_norm(&mut out, "encoder.ln_post", "encoder/layer_norm");

    out.push(whole("decoder.positional_embedding".into(), "decoder/position_encodings/encodings".into(), Storage::F32));
    out.push(whole("decoder.token_embedding.weight".into(), "decoder/embeddings/weight".into(), Storage::Weight));
    for n in 0..decoder_layers {
        let (g, c) = (format!("decoder.blocks.{n}"), format!("decoder/layer_{n}"));
        layer_norm(&mut out, &format!("{g}.attn_ln"), &format!("{c}/self_attention/layer_norm"));
        fused(
            &mut out,
            &format!("{g}.attn"),
            &format!("{c}/self_attention/linear_0"),
            &["query", "key", "value"],
            0,
            3,
        );
        linear(&mut out, &format!("{g}.attn.out"), &format!("{c}/self_attention/linear_1"));
        layer_norm(&mut out, &format!("{g}.cross_attn_ln"), &format!("{c}/attention/layer_norm"));
        linear(&mut out, &format!("{g}.cross_attn.query"), &format!("{c}/attention/linear_0"));
        fused(&mut out, &format!("{g}.cross_attn"), &format!("{c}/attention/linear_1"), &["key", "value"], 0, 2);
        linear(&mut out, &format!("{g}.cross_attn.out"), &format!("{c}/attention/linear_2"));
        mlp(&mut out, &g, &c);
    }
    layer_norm(&mut out, "decoder.ln", "decoder/layer_norm");
    out
}

/// Number of `prefix/layer_N/` blocks among `names`.
pub fn count_layers<'a>(names: impl IntoIterator<Item = &'a str>, prefix: &str) -> usize {
    let lead = format!("{prefix}/layer_");
    names
        .into_iter()
        .filter_map(|n| n.strip_prefix(&lead))
        .filter_map(|rest| rest.split('/').next())
        .filter_map(|n| n.parse::<usize>().ok())
        .map(|n| n + 1)
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tensor_counts_match_whisper_cpp() {
        // whisper.cpp: 5 + 15 per encoder block + 2 (encoder), 2 + 24 per decoder block + 2.
        let p = plan(4, 4);
        assert_eq!(p.len(), 5 + 15 * 4 + 2 + 2 + 24 * 4 + 2);
        let names: Vec<&str> = p.iter().map(|t| t.name.as_str()).collect();
        assert!(names.contains(&"encoder.blocks.3.attn.key.weight"));
        assert!(!names.contains(&"encoder.blocks.3.attn.key.bias"));
        assert!(!names.contains(&"decoder.blocks.0.cross_attn.key.bias"));
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
    }

    #[test]
    fn fused_rows_and_storage() {
        let p = plan(1, 1);
        let find = |n: &str| p.iter().find(|t| t.name == n).unwrap().clone();
        let value = find("decoder.blocks.0.cross_attn.value.bias");
        assert_eq!(value.source.variable, "decoder/layer_0/attention/linear_1/bias");
        assert_eq!(value.source.rows, Some((1, 2)));
        assert_eq!(value.storage, Storage::F32);
        assert_eq!(find("encoder.blocks.0.attn.value.weight").source.rows, Some((2, 3)));
        assert_eq!(find("encoder.conv1.bias").storage, Storage::ConvBias);
        assert_eq!(find("encoder.ln_post.weight").source.variable, "encoder/layer_norm/gamma");
        assert_eq!(find("decoder.blocks.0.mlp.2.weight").source.variable, "decoder/layer_0/ffn/linear_1/weight");
    }

    #[test]
    fn counts_layers() {
        let names = ["encoder/layer_0/a", "encoder/layer_11/b", "decoder/layer_2/c", "encoder/layer_x/d"];
        assert_eq!(count_layers(names, "encoder"), 12);
        assert_eq!(count_layers(names, "decoder"), 3);
        assert_eq!(count_layers(names, "nothing"), 0);
    }
}
