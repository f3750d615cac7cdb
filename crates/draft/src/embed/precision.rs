//! The arithmetic of the encoder's linear layers: f32 (candle's `gemm`),
//! bf16 or int8 (`rapporteur-matmul`, AVX-512 only), chosen per layer kind.
//!
//! `RAPPORTEUR_EMBED_PRECISION` picks one (`auto`, `f32`, `bf16`, `int8`, or
//! a format per layer kind); unset means `auto`: the fastest plan that keeps
//! the vectors within cosine 0.999 of sentence-transformers' (see
//! [`Precision::Auto`]).
//! A plan the CPU cannot run falls back, layer by layer, to f32, so every
//! machine gets vectors; the cache key carries the plan actually run
//! ([`Precision::effective`]), so vectors of different arithmetic are never
//! mixed.

use rapporteur_matmul::Format;

use crate::error::{DraftError, Result};

/// The environment variable that forces a precision.
pub const PRECISION_ENV: &str = "RAPPORTEUR_EMBED_PRECISION";

/// The kinds of linear layer of a BERT block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LayerKind {
    /// Query, key and value (one product).
    Qkv = 0,
    /// The attention's output projection.
    AttentionOut = 1,
    /// The feed-forward expansion (before GELU).
    Intermediate = 2,
    /// The feed-forward contraction (after GELU).
    Output = 3,
}

/// A plan for the linear layers' arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// The default: [`Precision::Bf16`]. Measured on 2,000 sentences of the
    /// fixtures (`benches/draft_quality/embed_accuracy.sh`), bf16 keeps every
    /// vector within cosine 0.99994 of sentence-transformers' at twice the
    /// f32 throughput; int8 (per-row activations, per-channel weights) falls
    /// to 0.969, and to 0.9957 even on the feed-forward output layer alone
    /// (BERT's activations have outlier channels that a per-row 8-bit scale
    /// cannot resolve), for only 13 % more speed than bf16.
    Auto,
    /// f32 everywhere (candle's `gemm`): the reference, and every CPU's fallback.
    F32,
    /// bfloat16 products with f32 sums everywhere (AVX-512 BF16).
    Bf16,
    /// 8-bit products everywhere (AVX-512 VNNI): fastest, but below the
    /// 0.999 cosine gate (see [`Precision::Auto`]); for experiments.
    Int8,
    /// A format per layer kind, in the order query-key-value, attention
    /// output, intermediate, output (`None`: f32); written
    /// `int8-bf16-int8-f32`.
    Layers([Option<Format>; 4]),
}

const KINDS: [LayerKind; 4] = [LayerKind::Qkv, LayerKind::AttentionOut, LayerKind::Intermediate, LayerKind::Output];

impl Precision {
    /// Reads [`PRECISION_ENV`] (unset or empty: `auto`).
    pub fn from_env() -> Result<Self> {
        match std::env::var(PRECISION_ENV) {
            Ok(v) if !v.trim().is_empty() => Self::parse(&v),
            _ => Ok(Precision::Auto),
        }
    }

    /// `auto`, `f32`, `bf16`, `int8` (any case), or four formats
    /// joined by `-` (one per layer kind, as [`Precision::Layers`]).
    pub fn parse(name: &str) -> Result<Self> {
        let name = name.trim().to_ascii_lowercase();
        let format = |f: &str| match f {
            "f32" => Some(None),
            "bf16" => Some(Some(Format::Bf16)),
            "int8" => Some(Some(Format::Int8)),
            _ => None,
        };
        match name.as_str() {
            "auto" => return Ok(Precision::Auto),
            "f32" => return Ok(Precision::F32),
            "bf16" => return Ok(Precision::Bf16),
            "int8" => return Ok(Precision::Int8),
            _ => {}
        }
        let parts: Vec<Option<Option<Format>>> = name.split('-').map(format).collect();
        match parts.as_slice() {
            [Some(a), Some(b), Some(c), Some(d)] => Ok(Precision::Layers([*a, *b, *c, *d])),
            _ => Err(DraftError::Option(format!(
                "{PRECISION_ENV}={name}: expected auto, f32, bf16, int8, or one of f32, bf16 and int8 \
                 for each of the four layer kinds joined by '-' (qkv-attention_out-intermediate-output)"
            ))),
        }
    }

    /// The plan's format for a layer kind (`None`: f32), before asking the CPU.
    fn wanted(self, kind: LayerKind) -> Option<Format> {
        match self {
            Precision::F32 => None,
            Precision::Auto | Precision::Bf16 => Some(Format::Bf16),
            Precision::Int8 => Some(Format::Int8),
            Precision::Layers(formats) => formats[kind as usize],
        }
    }

    /// The format a layer kind runs in on this CPU (`None`: f32).
    pub(crate) fn format(self, kind: LayerKind) -> Option<Format> {
        self.wanted(kind).filter(|f| f.supported())
    }

    /// What runs on this CPU, layer kind by layer kind, as a short name for
    /// the cache key and the output's notes: `f32`, `bf16`, `int8`, or the
    /// four kinds' formats (`qkv-attention_out-intermediate-output`).
    pub fn effective(self) -> String {
        let names: Vec<&str> = KINDS.iter().map(|&k| self.format(k).map_or("f32", Format::name)).collect();
        if names.iter().all(|n| *n == names[0]) {
            names[0].to_string()
        } else {
            names.join("-")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_bad_ones_say_what_is_expected() {
        assert_eq!(Precision::parse(" F32 ").unwrap(), Precision::F32);
        assert_eq!(Precision::parse("Auto").unwrap(), Precision::Auto);
        assert!(Precision::parse("mixed").is_err());
        let e = Precision::parse("fp8").unwrap_err().to_string();
        assert!(e.contains("RAPPORTEUR_EMBED_PRECISION=fp8") && e.contains("int8"), "{e}");
        assert_eq!(
            Precision::parse("int8-bf16-F32-int8").unwrap(),
            Precision::Layers([Some(Format::Int8), Some(Format::Bf16), None, Some(Format::Int8)])
        );
        assert!(Precision::parse("int8-bf16-f32").is_err());
        assert!(Precision::parse("int8-bf16-f32-f16").is_err());
    }

    #[test]
    fn f32_is_always_f32_and_others_follow_the_cpu() {
        assert_eq!(Precision::F32.effective(), "f32");
        let int8 = if Format::Int8.supported() { "int8" } else { "f32" };
        assert_eq!(Precision::Int8.effective(), int8);
        let bf16 = if Format::Bf16.supported() { "bf16" } else { "f32" };
        assert_eq!(Precision::Bf16.effective(), bf16);
        // The per-kind names read back as the same plan.
        let plan = Precision::parse("int8-bf16-f32-int8").unwrap();
        if Format::Int8.supported() && Format::Bf16.supported() {
            assert_eq!(Precision::parse(&plan.effective()).unwrap(), plan);
        }
    }
}
