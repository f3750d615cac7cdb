//! ggml Whisper model files: the header whisper.cpp reads before the tensors.
//!
//! Reading the header ourselves lets rapporteur say "this is not a Whisper
//! model" (or "this is base, multilingual") before whisper.cpp is asked to
//! load it, and lets `rapporteur models list` describe installed models.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use crate::convert::mel::MelFilters;

/// The magic number that starts a ggml file: `ggml` as a little-endian u32.
pub const GGML_MAGIC: u32 = 0x6767_6d6c;

/// Whisper's hyperparameters, in the order of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hparams {
    /// Tokens, special and timestamp tokens included (51864 English-only, 51865+ multilingual).
    pub n_vocab: i32,
    /// Audio frames the encoder sees (1500 for 30 s).
    pub n_audio_ctx: i32,
    /// Encoder width.
    pub n_audio_state: i32,
    /// Encoder attention heads.
    pub n_audio_head: i32,
    /// Encoder blocks.
    pub n_audio_layer: i32,
    /// Decoder context in tokens (448).
    pub n_text_ctx: i32,
    /// Decoder width.
    pub n_text_state: i32,
    /// Decoder attention heads.
    pub n_text_head: i32,
    /// Decoder blocks.
    pub n_text_layer: i32,
    /// Mel bands (80, or 128 for large-v3).
    pub n_mels: i32,
    /// Weight type: 0 f32, 1 f16, 7 q8_0 (plus 1000 × quantisation version when quantised).
    pub ftype: i32,
}

impl Hparams {
    /// The values in file order.
    pub fn to_array(&self) -> [i32; 11] {
        [
            self.n_vocab,
            self.n_audio_ctx,
            self.n_audio_state,
            self.n_audio_head,
            self.n_audio_layer,
            self.n_text_ctx,
            self.n_text_state,
            self.n_text_head,
            self.n_text_layer,
            self.n_mels,
            self.ftype,
        ]
    }

    fn from_array(v: [i32; 11]) -> Self {
        Hparams {
            n_vocab: v[0],
            n_audio_ctx: v[1],
            n_audio_state: v[2],
            n_audio_head: v[3],
            n_audio_layer: v[4],
            n_text_ctx: v[5],
            n_text_state: v[6],
            n_text_head: v[7],
            n_text_layer: v[8],
            n_mels: v[9],
            ftype: v[10],
        }
    }

    /// Whether the model knows languages other than English.
    pub fn is_multilingual(&self) -> bool {
        self.n_vocab >= 51_865
    }

    /// The model's usual name (`tiny.en`, `base`, `large-v3`), from its size.
    pub fn model_type(&self) -> String {
        let size = match self.n_audio_layer {
            4 => "tiny",
            6 => "base",
            12 => "small",
            24 => "medium",
            32 => "large",
            _ => "unknown",
        };
        let mut name = size.to_string();
        if size == "large" && self.n_mels == 128 {
            name.push_str("-v3");
        }
        if !self.is_multilingual() {
            name.push_str(".en");
        }
        name
    }

    /// The weight type's name.
    pub fn weight_type(&self) -> &'static str {
        match self.ftype % 1000 {
            0 => "f32",
            1 => "f16",
            7 => "q8_0",
            8 => "q5_0",
            9 => "q5_1",
            2 => "q4_0",
            3 => "q4_1",
            _ => "other",
        }
    }
}

/// Everything before the tensors.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelHeader {
    /// Hyperparameters.
    pub hparams: Hparams,
    /// The mel filter bank.
    pub mel: MelFilters,
    /// The text tokens, as bytes.
    pub vocab: Vec<Vec<u8>>,
}

/// A file is not a ggml Whisper model.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file could not be opened or read.
    #[error("cannot read the model: {0}")]
    Io(#[from] io::Error),
    /// The file does not start with the ggml magic number.
    #[error("not a ggml Whisper model (it starts with {0:02x?}, not `lmgg`): convert a CTranslate2 model with `rapporteur models import`, or run scripts/install-models.sh")]
    NotGgml([u8; 4]),
    /// The file ends inside the header.
    #[error("the model file ends inside its header ({0}): it is truncated")]
    Truncated(&'static str),
    /// A header value is impossible for Whisper.
    #[error("not a Whisper model: {0}")]
    Implausible(String),
}

fn read_i32<R: Read>(r: &mut R, what: &'static str) -> Result<i32, ModelError> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b).map_err(|e| eof_as_truncated(e, what))?;
    Ok(i32::from_le_bytes(b))
}

fn eof_as_truncated(e: io::Error, what: &'static str) -> ModelError {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        ModelError::Truncated(what)
    } else {
        ModelError::Io(e)
    }
}

impl ModelHeader {
    /// Reads a header from `r`, checking every count before allocating.
    pub fn read<R: Read>(r: &mut R) -> Result<Self, ModelError> {
        let mut magic = [0u8; 4];
        r.read_exact(&mut magic).map_err(|e| eof_as_truncated(e, "magic number"))?;
        if u32::from_le_bytes(magic) != GGML_MAGIC {
            return Err(ModelError::NotGgml(magic));
        }
        let mut values = [0i32; 11];
        for v in values.iter_mut() {
            *v = read_i32(r, "hyperparameters")?;
        }
        let hparams = Hparams::from_array(values);
        let plausible = (1..=1_000_000).contains(&hparams.n_vocab)
            && values[1..10].iter().all(|&v| (1..=100_000).contains(&v))
            && matches!(hparams.n_mels, 80 | 128);
        if !plausible {
            return Err(ModelError::Implausible(format!("hyperparameters {values:?}")));
        }

        let n_mel = read_i32(r, "mel filter bank")?;
        let n_freq = read_i32(r, "mel filter bank")?;
        if n_mel != hparams.n_mels || !(1..=4096).contains(&n_freq) {
            return Err(ModelError::Implausible(format!("mel filter bank of {n_mel} × {n_freq}")));
        }
        let count = (n_mel * n_freq) as usize;
        let mut bytes = vec![0u8; count * 4];
        r.read_exact(&mut bytes).map_err(|e| eof_as_truncated(e, "mel filter bank"))?;
        let weights = bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
        let mel = MelFilters { n_mels: n_mel as usize, n_freq: n_freq as usize, weights };

        let n_tokens = read_i32(r, "vocabulary")?;
        if !(0..=hparams.n_vocab).contains(&n_tokens) {
            return Err(ModelError::Implausible(format!("{n_tokens} tokens for n_vocab {}", hparams.n_vocab)));
        }
        let mut vocab = Vec::with_capacity(n_tokens as usize);
        for _ in 0..n_tokens {
            let len = read_i32(r, "vocabulary")?;
            if !(0..=1024).contains(&len) {
                return Err(ModelError::Implausible(format!("a token of {len} bytes")));
            }
            let mut token = vec![0u8; len as usize];
            r.read_exact(&mut token).map_err(|e| eof_as_truncated(e, "vocabulary"))?;
            vocab.push(token);
        }
        Ok(ModelHeader { hparams, mel, vocab })
    }

    /// Reads the header of the model file at `path`.
    pub fn read_file(path: &Path) -> Result<Self, ModelError> {
        let mut reader = BufReader::new(File::open(path)?);
        Self::read(&mut reader)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_other_files() {
        let err = ModelHeader::read(&mut &b"RIFF\0\0\0\0WAVE"[..]).unwrap_err();
        assert!(matches!(err, ModelError::NotGgml(_)));
        assert!(err.to_string().contains("rapporteur models import"), "{err}");
        let err = ModelHeader::read(&mut &b"lmgg\x01\0"[..]).unwrap_err();
        assert!(matches!(err, ModelError::Truncated("hyperparameters")), "{err}");
        let mut garbage = b"lmgg".to_vec();
        garbage.extend(std::iter::repeat_n(0xffu8, 60));
        assert!(matches!(ModelHeader::read(&mut garbage.as_slice()), Err(ModelError::Implausible(_))));
    }

    #[test]
    fn names_models() {
        let h = |layers, vocab, mels| Hparams {
            n_vocab: vocab,
            n_audio_ctx: 1500,
            n_audio_state: 384,
            n_audio_head: 6,
            n_audio_layer: layers,
            n_text_ctx: 448,
            n_text_state: 384,
            n_text_head: 6,
            n_text_layer: layers,
            n_mels: mels,
            ftype: 1,
        };
        assert_eq!(h(4, 51864, 80).model_type(), "tiny.en");
        assert_eq!(h(6, 51865, 80).model_type(), "base");
        assert_eq!(h(32, 51866, 128).model_type(), "large-v3");
        assert_eq!(h(4, 51864, 80).weight_type(), "f16");
    }
}
