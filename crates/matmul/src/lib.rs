//! Lower-precision matrix products for linear layers (`y = x · Wᵀ + b`) on
//! x86-64 CPUs with AVX-512, for the sentence encoder of `rapporteur-draft`.
//!
//! Two formats, each chosen only when the CPU has the instructions (detected
//! at run time with `is_x86_feature_detected!`; elsewhere [`Linear::new`]
//! answers [`MatmulError::Unsupported`] and the caller keeps its f32 path):
//!
//! - [`Format::Int8`] (AVX-512 VNNI, `vpdpbusd`): weights quantised once per
//!   output channel (symmetric, scale `max|w|/127`), activations quantised per
//!   row on every call (scale `max|x|/127`), products summed exactly in i32,
//!   then rescaled to f32 and the bias added. 64 multiply-adds per
//!   instruction.
//! - [`Format::Bf16`] (AVX-512 BF16, `vdpbf16ps`): weights and activations
//!   rounded to bfloat16 (8 significant bits), products summed in f32.
//!   32 multiply-adds per instruction.
//!
//! Both pack the weights at load into the layout the kernel reads (16 output
//! columns per 64-byte vector, consecutive inputs interleaved), and compute
//! tiles of 6 rows × 64 columns in registers. A product runs on the calling
//! thread: callers parallelise across independent products (the encoder runs
//! its batches in parallel).
//!
//! This is the only crate of the workspace with unsafe code: the intrinsics
//! and raw-pointer loads of `int8.rs` and `bf16.rs`. Every unsafe kernel is
//! reached through [`Linear::forward`], which checks the slice lengths first
//! and runs a kernel only on a CPU that has its instructions.

#![deny(missing_docs)]

// x86-64 only: elsewhere every format is unsupported and callers keep f32.
#[cfg(target_arch = "x86_64")]
mod bf16;
#[cfg(target_arch = "x86_64")]
mod int8;
#[cfg(all(test, target_arch = "x86_64"))]
mod testing;

/// A lower-precision format for a linear layer's product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// 8-bit integers (AVX-512 VNNI).
    Int8,
    /// bfloat16 with f32 sums (AVX-512 BF16).
    Bf16,
}

impl Format {
    /// `"int8"` or `"bf16"`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Int8 => "int8",
            Format::Bf16 => "bf16",
        }
    }

    /// The instructions the format needs.
    pub fn instructions(self) -> &'static str {
        match self {
            Format::Int8 => "AVX-512 VNNI",
            Format::Bf16 => "AVX-512 BF16",
        }
    }

    /// Whether this CPU has the instructions the format needs.
    pub fn supported(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        return match self {
            Format::Int8 => int8::supported(),
            Format::Bf16 => bf16::supported(),
        };
        #[cfg(not(target_arch = "x86_64"))]
        return false;
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What can go wrong building or running a [`Linear`].
#[derive(Debug, thiserror::Error)]
pub enum MatmulError {
    /// The CPU lacks the instructions of the format (use an f32 product).
    #[error("this CPU has no {} (needed for {} products)", .0.instructions(), .0)]
    Unsupported(Format),
    /// Slice lengths do not match the shapes given.
    #[error("matrix shapes: {0}")]
    Shape(String),
}

/// Weights packed for one format.
#[derive(Debug)]
enum Packed {
    #[cfg(target_arch = "x86_64")]
    Int8(int8::Packed),
    #[cfg(target_arch = "x86_64")]
    Bf16(bf16::Packed),
}

/// A linear layer (`outputs × inputs` weights and `outputs` biases) in a
/// lower-precision format, packed for its kernel.
#[derive(Debug)]
pub struct Linear {
    packed: Packed,
    inputs: usize,
    outputs: usize,
}

impl Linear {
    /// Packs `weight` (`outputs` rows of `inputs` values, the layout of
    /// PyTorch's `nn.Linear`) and `bias` (`outputs` values) for `format`.
    pub fn new(
        format: Format,
        weight: &[f32],
        bias: &[f32],
        outputs: usize,
        inputs: usize,
    ) -> Result<Self, MatmulError> {
        if outputs == 0 || inputs == 0 {
            return Err(MatmulError::Shape(format!("empty layer ({outputs} outputs, {inputs} inputs)")));
        }
        if weight.len() != outputs * inputs || bias.len() != outputs {
            return Err(MatmulError::Shape(format!(
                "{} weights and {} biases for {outputs} outputs × {inputs} inputs",
                weight.len(),
                bias.len()
            )));
        }
        if !format.supported() {
            return Err(MatmulError::Unsupported(format));
        }
        #[cfg(target_arch = "x86_64")]
        let packed = match format {
            Format::Int8 => Packed::Int8(int8::Packed::new(weight, bias, outputs, inputs)),
            Format::Bf16 => Packed::Bf16(bf16::Packed::new(weight, bias, outputs, inputs)),
        };
        #[cfg(not(target_arch = "x86_64"))]
        let packed: Packed = return Err(MatmulError::Unsupported(format));
        Ok(Linear { packed, inputs, outputs })
    }

    /// The format of the packed weights.
    pub fn format(&self) -> Format {
        match self.packed {
            #[cfg(target_arch = "x86_64")]
            Packed::Int8(_) => Format::Int8,
            #[cfg(target_arch = "x86_64")]
            Packed::Bf16(_) => Format::Bf16,
        }
    }

    /// Input width.
    pub fn inputs(&self) -> usize {
        self.inputs
    }

    /// Output width.
    pub fn outputs(&self) -> usize {
        self.outputs
    }

    /// `y = x · Wᵀ + b` for the first `rows` rows of `x` (`inputs` wide) into
    /// the first `rows` rows of `y` (`outputs` wide).
    pub fn forward(&self, x: &[f32], rows: usize, y: &mut [f32]) -> Result<(), MatmulError> {
        if x.len() < rows * self.inputs || y.len() < rows * self.outputs {
            return Err(MatmulError::Shape(format!(
                "{rows} rows need {} inputs and {} outputs, got {} and {}",
                rows * self.inputs,
                rows * self.outputs,
                x.len(),
                y.len()
            )));
        }
        if rows == 0 {
            return Ok(());
        }
        let (x, y) = (&x[..rows * self.inputs], &mut y[..rows * self.outputs]);
        match &self.packed {
            #[cfg(target_arch = "x86_64")]
            Packed::Int8(p) => p.forward(x, rows, y),
            #[cfg(target_arch = "x86_64")]
            Packed::Bf16(p) => p.forward(x, rows, y),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_checked() {
        for format in [Format::Int8, Format::Bf16] {
            assert!(matches!(Linear::new(format, &[1.0; 6], &[0.0; 2], 2, 2), Err(MatmulError::Shape(_))));
            assert!(matches!(Linear::new(format, &[], &[], 0, 3), Err(MatmulError::Shape(_))));
            let Ok(layer) = Linear::new(format, &[1.0; 6], &[0.0; 2], 2, 3) else {
                assert!(!format.supported());
                continue;
            };
            let mut y = [0f32; 4];
            assert!(matches!(layer.forward(&[1.0; 5], 2, &mut y), Err(MatmulError::Shape(_))));
            assert!(matches!(layer.forward(&[1.0; 6], 2, &mut y[..3]), Err(MatmulError::Shape(_))));
            layer.forward(&[1.0; 6], 2, &mut y).unwrap();
            assert_eq!(y, [3.0; 4]);
        }
    }
}
