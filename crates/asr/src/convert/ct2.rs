//! Reader of CTranslate2 `model.bin` files.
//!
//! The file is an index interleaved with data: for each variable a name,
//! a shape, a data type, a byte count and the bytes. [`Ct2Model::open`] walks
//! the file once, seeking over the data, and keeps only the index; tensors are
//! then read one at a time, so converting a model holds one tensor in memory,
//! never the file.

use std::collections::HashMap;
use std::io::{self, Read, Seek, SeekFrom};

use half::{bf16, f16};

/// The binary format version this reader understands.
pub const SUPPORTED_VERSION: u32 = 6;

/// Element types of CTranslate2 variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    /// 32-bit float.
    F32,
    /// 8-bit integer (quantised weights, with a `weight_scale` beside them).
    I8,
    /// 16-bit integer.
    I16,
    /// 32-bit integer.
    I32,
    /// IEEE half precision.
    F16,
    /// bfloat16.
    Bf16,
}

impl Dtype {
    fn from_code(code: u8) -> Option<Dtype> {
        Some(match code {
            0 => Dtype::F32,
            1 => Dtype::I8,
            2 => Dtype::I16,
            3 => Dtype::I32,
            4 => Dtype::F16,
            5 => Dtype::Bf16,
            _ => return None,
        })
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            Dtype::I8 => 1,
            Dtype::I16 | Dtype::F16 | Dtype::Bf16 => 2,
            Dtype::F32 | Dtype::I32 => 4,
        }
    }
}

/// One variable of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// Full name, such as `encoder/layer_0/ffn/linear_0/weight`.
    pub name: String,
    /// Dimensions, outermost first (empty for a scalar).
    pub shape: Vec<usize>,
    /// Element type.
    pub dtype: Dtype,
    /// Offset of the data in the file.
    pub offset: u64,
    /// Length of the data in bytes.
    pub byte_len: u64,
}

impl Variable {
    /// Number of elements (1 for a scalar).
    pub fn elements(&self) -> usize {
        self.shape.iter().product()
    }
}

/// A CTranslate2 model file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Ct2Error {
    /// Reading failed.
    #[error("cannot read the model file: {0}")]
    Io(#[from] io::Error),
    /// The file ends before the index or a variable's data does.
    #[error(
        "the model file is truncated at byte {offset} ({what}); it has {len} bytes: the download or the joining of its parts is incomplete"
    )]
    Truncated {
        /// Where the missing bytes start.
        offset: u64,
        /// What was being read.
        what: String,
        /// File length.
        len: u64,
    },
    /// The file starts with another version number.
    #[error("binary version {0} is not supported (rapporteur reads version {SUPPORTED_VERSION}, written by CTranslate2 3.x and 4.x); is this a CTranslate2 model.bin?")]
    Version(u32),
    /// The index is inconsistent.
    #[error("at byte {offset}: {message}")]
    Format {
        /// Where.
        offset: u64,
        /// What is wrong.
        message: String,
    },
    /// A variable the caller needs is absent.
    #[error("the model has no variable `{0}`: is it a CTranslate2 Whisper model?")]
    Missing(String),
    /// A variable has the wrong shape or type for what the caller does with it.
    #[error("variable `{name}`: {message}")]
    Variable {
        /// The variable.
        name: String,
        /// What is wrong.
        message: String,
    },
}

/// A CTranslate2 model: its index, and the file to read data from.
#[derive(Debug)]
pub struct Ct2Model<R> {
    reader: R,
    /// The model specification (`WhisperSpec` for Whisper).
    pub spec: String,
    /// The specification's revision.
    pub revision: u32,
    variables: Vec<Variable>,
    by_name: HashMap<String, usize>,
    aliases: HashMap<String, String>,
}

/// Reads the index from `reader`, tracking the offset for error messages.
struct IndexReader<R> {
    inner: R,
    pos: u64,
    len: u64,
}

impl<R: Read + Seek> IndexReader<R> {
    fn bytes(&mut self, n: usize, what: &str) -> Result<Vec<u8>, Ct2Error> {
        if self.pos + n as u64 > self.len {
            return Err(Ct2Error::Truncated { offset: self.pos, what: what.to_string(), len: self.len });
        }
        let mut buf = vec![0u8; n];
        self.inner.read_exact(&mut buf)?;
        self.pos += n as u64;
        Ok(buf)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], Ct2Error> {
        let bytes = self.bytes(N, what)?;
        let mut out = [0u8; N];
        out.copy_from_slice(&bytes);
        Ok(out)
    }

    fn u8(&mut self, what: &str) -> Result<u8, Ct2Error> {
        Ok(self.array::<1>(what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16, Ct2Error> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }

    fn u32(&mut self, what: &str) -> Result<u32, Ct2Error> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    /// A string: u16 length including a trailing NUL, then the bytes.
    fn string(&mut self, what: &str) -> Result<String, Ct2Error> {
        let start = self.pos;
        let len = self.u16(what)? as usize;
        let mut bytes = self.bytes(len, what)?;
        if bytes.last() == Some(&0) {
            bytes.pop();
        }
        String::from_utf8(bytes)
            .map_err(|_| Ct2Error::Format { offset: start, message: format!("{what} is not UTF-8 text") })
    }

    fn skip(&mut self, n: u64, what: &str) -> Result<(), Ct2Error> {
        if self.pos + n > self.len {
            return Err(Ct2Error::Truncated { offset: self.pos, what: what.to_string(), len: self.len });
        }
        self.inner.seek(SeekFrom::Current(n as i64))?;
        self.pos += n;
        Ok(())
    }
}

/// Upper bounds that catch a garbage index before it allocates much.
const MAX_VARIABLES: u32 = 100_000;
const MAX_RANK: u8 = 8;

impl<R: Read + Seek> Ct2Model<R> {
    /// Reads the index of the model in `reader` (positioned anywhere).
    pub fn open(mut reader: R) -> Result<Self, Ct2Error> {
        let len = reader.seek(SeekFrom::End(0))?;
        reader.seek(SeekFrom::Start(0))?;
        let mut r = IndexReader { inner: reader, pos: 0, len };

        let version = r.u32("the version number")?;
        if version != SUPPORTED_VERSION {
            return Err(Ct2Error::Version(version));
        }
        let spec = r.string("the specification name")?;
        let revision = r.u32("the specification revision")?;
        let count_at = r.pos;
        let count = r.u32("the variable count")?;
        if count > MAX_VARIABLES {
            return Err(Ct2Error::Format {
                offset: count_at,
                message: format!("{count} variables is implausible (at most {MAX_VARIABLES})"),
            });
        }

        let mut variables = Vec::with_capacity(count as usize);
        let mut by_name = HashMap::with_capacity(count as usize);
        for index in 0..count {
            let at = r.pos;
            let what = format!("variable {index} of {count}");
            let name = r.string(&what)?;
            let what = format!("variable `{name}`");
            let rank = r.u8(&what)?;
            if rank > MAX_RANK {
                return Err(Ct2Error::Format { offset: at, message: format!("{what} has rank {rank}") });
            }
            let mut shape = Vec::with_capacity(rank as usize);
            for _ in 0..rank {
                shape.push(r.u32(&what)? as usize);
            }
            let code = r.u8(&what)?;
            let dtype = Dtype::from_code(code).ok_or_else(|| Ct2Error::Format {
                offset: at,
                message: format!("{what} has unknown data type {code}"),
            })?;
            let byte_len = u64::from(r.u32(&what)?);
            let elements: u64 = shape.iter().map(|&d| d as u64).product();
            if elements * dtype.size() as u64 != byte_len {
                return Err(Ct2Error::Format {
                    offset: at,
                    message: format!(
                        "{what}: shape {shape:?} of {dtype:?} needs {} bytes, the file says {byte_len}",
                        elements * dtype.size() as u64
                    ),
                });
            }
            let offset = r.pos;
            r.skip(byte_len, &format!("the data of {what}"))?;
            if by_name.insert(name.clone(), variables.len()).is_some() {
                return Err(Ct2Error::Format { offset: at, message: format!("{what} appears twice") });
            }
            variables.push(Variable { name, shape, dtype, offset, byte_len });
        }

        let mut aliases = HashMap::new();
        // Files written without aliases simply end here.
        if r.pos < r.len {
            let alias_count = r.u32("the alias count")?;
            if alias_count > MAX_VARIABLES {
                return Err(Ct2Error::Format {
                    offset: r.pos - 4,
                    message: format!("{alias_count} aliases is implausible"),
                });
            }
            for _ in 0..alias_count {
                let alias = r.string("an alias name")?;
                let target = r.string("an alias target")?;
                aliases.insert(alias, target);
            }
        }
        Ok(Ct2Model { reader: r.inner, spec, revision, variables, by_name, aliases })
    }

    /// All variables, in file order.
    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }

    /// The variable called `name` (or the one an alias of that name points to).
    pub fn variable(&self, name: &str) -> Option<&Variable> {
        let name = self.aliases.get(name).map(String::as_str).unwrap_or(name);
        self.by_name.get(name).and_then(|&i| self.variables.get(i))
    }

    /// The variable called `name`, or an error naming it.
    pub fn require(&self, name: &str) -> Result<&Variable, Ct2Error> {
        self.variable(name).ok_or_else(|| Ct2Error::Missing(name.to_string()))
    }

    /// The raw bytes of a variable.
    pub fn read_bytes(&mut self, name: &str) -> Result<Vec<u8>, Ct2Error> {
        let var = self.require(name)?.clone();
        let mut buf = vec![0u8; var.byte_len as usize];
        self.reader.seek(SeekFrom::Start(var.offset))?;
        self.reader.read_exact(&mut buf)?;
        Ok(buf)
    }

    /// A floating-point variable as f32 values. Int8 weights are
    /// dequantised with the per-row `weight_scale` stored beside them.
    pub fn read_f32(&mut self, name: &str) -> Result<Vec<f32>, Ct2Error> {
        let var = self.require(name)?.clone();
        let bytes = self.read_bytes(name)?;
        match var.dtype {
            Dtype::F32 => Ok(bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()),
            Dtype::F16 => Ok(bytes.chunks_exact(2).map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32()).collect()),
            Dtype::Bf16 => Ok(bytes.chunks_exact(2).map(|b| bf16::from_le_bytes([b[0], b[1]]).to_f32()).collect()),
            Dtype::I8 => self.dequantize(&var, &bytes),
            Dtype::I16 | Dtype::I32 => Err(Ct2Error::Variable {
                name: name.to_string(),
                message: format!("{:?} is not a weight type rapporteur converts", var.dtype),
            }),
        }
    }

    /// CTranslate2's int8 weights: `value = q / scale[row]`.
    fn dequantize(&mut self, var: &Variable, quantized: &[u8]) -> Result<Vec<f32>, Ct2Error> {
        let scale_name = match var.name.strip_suffix("weight") {
            Some(prefix) => format!("{prefix}weight_scale"),
            None => {
                return Err(Ct2Error::Variable { name: var.name.clone(), message: "int8 data outside a weight".into() })
            }
        };
        let scales = self.read_f32(&scale_name)?;
        let rows = var.shape.first().copied().unwrap_or(1).max(1);
        let per_row = quantized.len() / rows;
        if scales.len() != rows || per_row * rows != quantized.len() {
            return Err(Ct2Error::Variable {
                name: var.name.clone(),
                message: format!("{} scales for {rows} rows", scales.len()),
            });
        }
        Ok(quantized
            .chunks_exact(per_row.max(1))
            .zip(&scales)
            .flat_map(|(row, &scale)| row.iter().map(move |&q| f32::from(q as i8) / scale))
            .collect())
    }

    /// A scalar integer variable (`encoder/num_heads`), when present.
    pub fn read_scalar_int(&mut self, name: &str) -> Result<Option<i64>, Ct2Error> {
        let Some(var) = self.variable(name).cloned() else {
            return Ok(None);
        };
        if var.elements() != 1 {
            return Err(Ct2Error::Variable {
                name: name.into(),
                message: format!("shape {:?} is not a scalar", var.shape),
            });
        }
        let b = self.read_bytes(name)?;
        let value = match (var.dtype, b.as_slice()) {
            (Dtype::I8, [x]) => i64::from(*x as i8),
            (Dtype::I16, [a, c]) => i64::from(i16::from_le_bytes([*a, *c])),
            (Dtype::I32, [a, c, d, e]) => i64::from(i32::from_le_bytes([*a, *c, *d, *e])),
            _ => {
                return Err(Ct2Error::Variable {
                    name: name.into(),
                    message: format!("{:?} scalar is not an integer", var.dtype),
                })
            }
        };
        Ok(Some(value))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Cursor;

    use super::*;

    /// Writes a CTranslate2 model file: (name, shape, dtype code, bytes) and aliases.
    pub(crate) fn ct2_file(vars: &[(&str, &[u32], u8, Vec<u8>)], aliases: &[(&str, &str)]) -> Vec<u8> {
        fn string(out: &mut Vec<u8>, s: &str) {
            out.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
            out.push(0);
        }
        let mut out = Vec::new();
        out.extend_from_slice(&6u32.to_le_bytes());
        string(&mut out, "WhisperSpec");
        out.extend_from_slice(&3u32.to_le_bytes());
        out.extend_from_slice(&(vars.len() as u32).to_le_bytes());
        for (name, shape, dtype, data) in vars {
            string(&mut out, name);
            out.push(shape.len() as u8);
            for d in *shape {
                out.extend_from_slice(&d.to_le_bytes());
            }
            out.push(*dtype);
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(data);
        }
        out.extend_from_slice(&(aliases.len() as u32).to_le_bytes());
        for (a, t) in aliases {
            string(&mut out, a);
            string(&mut out, t);
        }
        out
    }

    fn f16_bytes(values: &[f32]) -> Vec<u8> {
        values.iter().flat_map(|&v| f16::from_f32(v).to_le_bytes()).collect()
    }

    #[test]
    fn reads_index_data_scalars_and_aliases() {
        let file = ct2_file(
            &[
                ("decoder/num_heads", &[], 2, 6i16.to_le_bytes().to_vec()),
                ("decoder/embeddings/weight", &[2, 2], 4, f16_bytes(&[1.0, -2.0, 0.5, 3.0])),
                ("x/weight", &[2, 2], 1, vec![10, 20, 256u16 as u8, 0x80]),
                ("x/weight_scale", &[2], 0, [10.0f32, 2.0].iter().flat_map(|v| v.to_le_bytes()).collect()),
            ],
            &[("decoder/projection/weight", "decoder/embeddings/weight")],
        );
        let mut model = Ct2Model::open(Cursor::new(file)).unwrap();
        assert_eq!(model.spec, "WhisperSpec");
        assert_eq!(model.revision, 3);
        assert_eq!(model.variables().len(), 4);
        assert_eq!(model.read_scalar_int("decoder/num_heads").unwrap(), Some(6));
        assert_eq!(model.read_scalar_int("encoder/num_heads").unwrap(), None);
        assert_eq!(model.read_f32("decoder/projection/weight").unwrap(), vec![1.0, -2.0, 0.5, 3.0]);
        assert_eq!(model.read_f32("x/weight").unwrap(), vec![1.0, 2.0, 0.0, -64.0]);
        assert!(matches!(model.read_f32("nope"), Err(Ct2Error::Missing(_))));
    }

    #[test]
    fn truncation_and_garbage_are_reported_with_offsets() {
        let file = ct2_file(&[("a", &[4], 0, vec![0; 16])], &[]);
        let cut = &file[..file.len() - 10];
        let err = Ct2Model::open(Cursor::new(cut.to_vec())).unwrap_err();
        assert!(matches!(err, Ct2Error::Truncated { .. }), "{err}");
        assert!(err.to_string().contains("variable `a`"), "{err}");

        let err = Ct2Model::open(Cursor::new(b"GGML0000".to_vec())).unwrap_err();
        assert!(matches!(err, Ct2Error::Version(_)), "{err}");
        assert!(matches!(Ct2Model::open(Cursor::new(Vec::new())), Err(Ct2Error::Truncated { offset: 0, .. })));

        let mut bad = ct2_file(&[("a", &[4], 0, vec![0; 16])], &[]);
        let dtype_at = 4 + 2 + 12 + 4 + 4 + 2 + 2 + 1 + 4;
        bad[dtype_at] = 9;
        let err = Ct2Model::open(Cursor::new(bad)).unwrap_err();
        assert!(err.to_string().contains("unknown data type 9"), "{err}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_garbage(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let mut with_version = 6u32.to_le_bytes().to_vec();
            with_version.extend_from_slice(&bytes);
            let _ = Ct2Model::open(Cursor::new(with_version));
            let _ = Ct2Model::open(Cursor::new(bytes));
        }
    }
}
