//! Writer of ggml Whisper model files, in the layout whisper.cpp loads.
//!
//! Header: magic, eleven i32 hyperparameters, the mel filter bank (i32 bands,
//! i32 bins, f32 values), the vocabulary (i32 count, then i32 length and bytes
//! per token). Then each tensor: i32 dimensions, i32 name length, i32 type,
//! the dimensions innermost first, the name, the data. No padding anywhere.

use std::io::{self, Write};

use half::f16;

use crate::model::{ModelHeader, GGML_MAGIC};

/// Element types of ggml tensors, with their codes in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TensorType {
    /// 32-bit float (code 0).
    F32,
    /// Half precision (code 1).
    F16,
    /// Blocks of 32 int8 values sharing one f16 scale (code 8).
    Q8_0,
}

impl TensorType {
    fn code(self) -> i32 {
        match self {
            TensorType::F32 => 0,
            TensorType::F16 => 1,
            TensorType::Q8_0 => 8,
        }
    }
}

/// Values in q8_0 blocks.
pub const Q8_0_BLOCK: usize = 32;

/// A tensor's values as read from the source model.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Little-endian f16 bytes, passed through untouched when the target is f16.
    F16Bytes(Vec<u8>),
    /// f32 values.
    F32(Vec<f32>),
}

impl Values {
    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Values::F16Bytes(b) => b.len() / 2,
            Values::F32(v) => v.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Values `start..end`.
    pub fn slice(&self, start: usize, end: usize) -> Values {
        match self {
            Values::F16Bytes(b) => Values::F16Bytes(b.get(start * 2..end * 2).unwrap_or_default().to_vec()),
            Values::F32(v) => Values::F32(v.get(start..end).unwrap_or_default().to_vec()),
        }
    }

    fn to_f32(&self) -> Vec<f32> {
        match self {
            Values::F16Bytes(b) => b.chunks_exact(2).map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32()).collect(),
            Values::F32(v) => v.clone(),
        }
    }

    /// The bytes of these values stored as `ty` with rows of `row_len` values.
    pub fn encode(&self, ty: TensorType, row_len: usize) -> Vec<u8> {
        match (ty, self) {
            (TensorType::F16, Values::F16Bytes(b)) => b.clone(),
            (TensorType::F16, Values::F32(v)) => v.iter().flat_map(|&x| f16::from_f32(x).to_le_bytes()).collect(),
            (TensorType::F32, _) => self.to_f32().iter().flat_map(|x| x.to_le_bytes()).collect(),
            (TensorType::Q8_0, _) => quantize_q8_0(&self.to_f32(), row_len),
        }
    }
}

/// ggml's reference q8_0 quantisation: per block of 32, `d = max|x| / 127`,
/// `q = round(x / d)`, stored as f16 `d` then 32 int8.
pub fn quantize_q8_0(values: &[f32], row_len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() / Q8_0_BLOCK * (2 + Q8_0_BLOCK));
    // Blocks never straddle rows; callers check row_len % 32 == 0.
    for row in values.chunks(row_len.max(1)) {
        for block in row.chunks(Q8_0_BLOCK) {
            let amax = block.iter().fold(0f32, |m, &x| m.max(x.abs()));
            let d = amax / 127.0;
            let id = if d != 0.0 { 1.0 / d } else { 0.0 };
            out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
            for &x in block {
                out.push((x * id).round() as i8 as u8);
            }
        }
    }
    out
}

/// Writes a ggml Whisper file to `out`.
#[derive(Debug)]
pub struct GgmlWriter<W> {
    out: W,
    tensors: usize,
}

impl<W: Write> GgmlWriter<W> {
    /// Starts a file: writes the header.
    pub fn new(mut out: W, header: &ModelHeader) -> io::Result<Self> {
        out.write_all(&GGML_MAGIC.to_le_bytes())?;
        for v in header.hparams.to_array() {
            out.write_all(&v.to_le_bytes())?;
        }
        out.write_all(&(header.mel.n_mels as i32).to_le_bytes())?;
        out.write_all(&(header.mel.n_freq as i32).to_le_bytes())?;
        for w in &header.mel.weights {
            out.write_all(&w.to_le_bytes())?;
        }
        out.write_all(&(header.vocab.len() as i32).to_le_bytes())?;
        for token in &header.vocab {
            out.write_all(&(token.len() as i32).to_le_bytes())?;
            out.write_all(token)?;
        }
        Ok(GgmlWriter { out, tensors: 0 })
    }

    /// Writes one tensor. `shape` is outermost first, as PyTorch and
    /// CTranslate2 give it; the file wants it innermost first.
    pub fn tensor(&mut self, name: &str, shape: &[usize], ty: TensorType, values: &Values) -> io::Result<()> {
        let row_len = shape.last().copied().unwrap_or(1);
        self.out.write_all(&(shape.len() as i32).to_le_bytes())?;
        self.out.write_all(&(name.len() as i32).to_le_bytes())?;
        self.out.write_all(&ty.code().to_le_bytes())?;
        for &d in shape.iter().rev() {
            self.out.write_all(&(d as i32).to_le_bytes())?;
        }
        self.out.write_all(name.as_bytes())?;
        self.out.write_all(&values.encode(ty, row_len))?;
        self.tensors += 1;
        Ok(())
    }

    /// Tensors written so far.
    pub fn tensor_count(&self) -> usize {
        self.tensors
    }

    /// Flushes and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q8_0_blocks_round_trip_within_half_a_step() {
        let values: Vec<f32> = (0..64).map(|i| (i as f32 - 20.0) * 0.37).collect();
        let bytes = quantize_q8_0(&values, 64);
        assert_eq!(bytes.len(), 2 * 34);
        for (b, block) in bytes.chunks(34).zip(values.chunks(32)) {
            let d = f16::from_le_bytes([b[0], b[1]]).to_f32();
            for (q, x) in b[2..].iter().zip(block) {
                let back = f32::from(*q as i8) * d;
                assert!((back - x).abs() <= d * 0.5 + 1e-3, "{back} vs {x}");
            }
        }
        // An all-zero block has scale 0 and zeros.
        assert_eq!(quantize_q8_0(&[0.0; 32], 32), vec![0u8; 34]);
    }

    #[test]
    fn tensor_record_layout() {
        use crate::convert::mel::MelFilters;
        use crate::model::Hparams;
        let header = ModelHeader {
            hparams: Hparams {
                n_vocab: 3,
                n_audio_ctx: 1,
                n_audio_state: 1,
                n_audio_head: 1,
                n_audio_layer: 1,
                n_text_ctx: 1,
                n_text_state: 1,
                n_text_head: 1,
                n_text_layer: 1,
                n_mels: 80,
                ftype: 1,
            },
            mel: MelFilters { n_mels: 80, n_freq: 1, weights: vec![0.5; 80] },
            vocab: vec![b"a".to_vec(), b" bc".to_vec()],
        };
        let mut w = GgmlWriter::new(Vec::new(), &header).unwrap();
        let header_len = 4 + 44 + 8 + 320 + 4 + 5 + 7;
        w.tensor("x.bias", &[2, 1], TensorType::F32, &Values::F16Bytes(f16_pair())).unwrap();
        let out = w.finish().unwrap();
        assert_eq!(&out[..4], b"lmgg");
        let t = &out[header_len..];
        let ints: Vec<i32> = t[..20].chunks(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        assert_eq!(ints, vec![2, 6, 0, 1, 2]);
        assert_eq!(&t[20..26], b"x.bias");
        assert_eq!(&t[26..], [1.0f32.to_le_bytes(), (-2.0f32).to_le_bytes()].concat());
        // The header reads back.
        assert_eq!(ModelHeader::read(&mut out.as_slice()).unwrap(), header);
    }

    fn f16_pair() -> Vec<u8> {
        [f16::from_f32(1.0).to_le_bytes(), f16::from_f32(-2.0).to_le_bytes()].concat()
    }
}
