//! bfloat16 products with AVX-512 BF16.
//!
//! `vdpbf16ps` multiplies pairs of bfloat16 values (f32 with the low 16 bits
//! of the mantissa dropped: 8 significant bits) and adds both products to an
//! f32 lane. Weights are rounded once at load, activations on every call
//! (nearest, ties to even, as `vcvtne2ps2bf16` does); sums stay f32.
//!
//! Packed layout: the output columns in blocks of 16 (padded with zero
//! weights); for each block and each pair of inputs, 64 bytes: for each of
//! the 16 columns its two weights. One 64-byte load feeds one `vdpbf16ps`
//! with the broadcast pair of a row's activations.

#![allow(unsafe_code)]

use std::arch::x86_64::*;
use std::cell::RefCell;

/// Rows per register tile.
const MR: usize = 6;
/// 16-column blocks per register tile.
const NB: usize = 4;

pub(crate) fn supported() -> bool {
    is_x86_feature_detected!("avx512f")
        && is_x86_feature_detected!("avx512bw")
        && is_x86_feature_detected!("avx512bf16")
}

/// `x` rounded to bfloat16 (nearest, ties to even; NaN stays NaN).
#[inline(always)]
pub(crate) fn to_bf16(x: f32) -> u16 {
    let bits = x.to_bits();
    let rounded = bits.wrapping_add(0x7fff + ((bits >> 16) & 1)) >> 16;
    if x.is_nan() {
        0x7fc0
    } else {
        rounded as u16
    }
}

/// Weights of one layer, rounded and packed (see the module docs).
#[derive(Debug)]
pub(crate) struct Packed {
    inputs: usize,
    outputs: usize,
    /// Pairs of inputs (the last padded with a zero weight).
    steps: usize,
    blocks: usize,
    weights: Vec<u16>,
    /// Padded to `blocks · 16`.
    bias: Vec<f32>,
}

impl Packed {
    pub(crate) fn new(weight: &[f32], bias: &[f32], outputs: usize, inputs: usize) -> Self {
        let steps = inputs.div_ceil(2);
        let blocks = outputs.div_ceil(16);
        let mut weights = vec![0u16; blocks * steps * 32];
        for (n, row) in weight.chunks_exact(inputs).enumerate() {
            let (block, lane) = (n / 16, n % 16);
            for (k, &w) in row.iter().enumerate() {
                weights[block * steps * 32 + (k / 2) * 32 + lane * 2 + k % 2] = to_bf16(w);
            }
        }
        let mut padded = vec![0f32; blocks * 16];
        padded[..outputs].copy_from_slice(bias);
        Packed { inputs, outputs, steps, blocks, weights, bias: padded }
    }

    /// `y = x · Wᵀ + b`; `x` is `rows × inputs`, `y` `rows × outputs`.
    pub(crate) fn forward(&self, x: &[f32], rows: usize, y: &mut [f32]) {
        thread_local! {
            static SCRATCH: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
        }
        SCRATCH.with_borrow_mut(|a| {
            let lda = self.steps * 2;
            a.clear();
            a.resize(rows * lda, 0);
            for (row, out) in x.chunks_exact(self.inputs).zip(a.chunks_exact_mut(lda)) {
                for (o, &v) in out.iter_mut().zip(row) {
                    *o = to_bf16(v);
                }
            }
            // SAFETY: a `Packed` exists only on CPUs with AVX-512 F, BW and
            // BF16 (`Linear::new` checks `supported()` first); `Linear::forward`
            // checked `y` holds `rows` rows and `a` was sized here.
            unsafe { self.run(a, rows, y) };
        });
    }

    /// The register tiles over all rows and columns.
    ///
    /// # Safety
    /// The CPU has AVX-512 F, BW and BF16; `a` holds `rows` rows of
    /// `steps · 2` values, `y` `rows × outputs`.
    #[target_feature(enable = "avx512f,avx512bw,avx512bf16")]
    unsafe fn run(&self, a: &[u16], rows: usize, y: &mut [f32]) {
        let lda = self.steps * 2;
        let block_stride = self.steps * 32;
        debug_assert!(a.len() >= rows * lda && y.len() >= rows * self.outputs);
        for panel in (0..self.blocks).step_by(NB) {
            let nb = (self.blocks - panel).min(NB);
            let n0 = panel * 16;
            for r0 in (0..rows).step_by(MR) {
                let mr = (rows - r0).min(MR);
                // SAFETY: rows r0..r0 + mr < rows, blocks panel..panel + nb ≤
                // blocks, columns n0..n0 + valid ≤ outputs.
                let tile = unsafe {
                    Tile {
                        a: a.as_ptr().add(r0 * lda),
                        lda,
                        b: self.weights.as_ptr().add(panel * block_stride),
                        block_stride,
                        steps: self.steps,
                        out: y.as_mut_ptr().add(r0 * self.outputs + n0),
                        ldo: self.outputs,
                        valid: (self.outputs - n0).min(nb * 16),
                        bias: self.bias.as_ptr().add(n0),
                    }
                };
                // SAFETY: the tile's pointers cover mr rows and nb blocks (above).
                unsafe {
                    match mr {
                        1 => by_blocks::<1>(nb, &tile),
                        2 => by_blocks::<2>(nb, &tile),
                        3 => by_blocks::<3>(nb, &tile),
                        4 => by_blocks::<4>(nb, &tile),
                        5 => by_blocks::<5>(nb, &tile),
                        _ => by_blocks::<6>(nb, &tile),
                    }
                }
            }
        }
    }
}

/// One register tile's operands.
struct Tile {
    /// First row's bfloat16 activations; rows `lda` values apart.
    a: *const u16,
    lda: usize,
    /// First block's packed weights; blocks `block_stride` values apart.
    b: *const u16,
    block_stride: usize,
    /// Pairs of inputs.
    steps: usize,
    /// First output; rows `ldo` floats apart.
    out: *mut f32,
    ldo: usize,
    /// Columns to write.
    valid: usize,
    bias: *const f32,
}

/// # Safety
/// As for [`tile`], with `1 ≤ nb ≤ NB`.
#[target_feature(enable = "avx512f,avx512bw,avx512bf16")]
unsafe fn by_blocks<const R: usize>(nb: usize, t: &Tile) {
    // SAFETY: forwarded from the caller.
    unsafe {
        match nb {
            1 => tile::<R, 1>(t),
            2 => tile::<R, 2>(t),
            3 => tile::<R, 3>(t),
            _ => tile::<R, NB>(t),
        }
    }
}

/// `R` rows × `B` blocks of 16 columns, accumulated in registers, biased and
/// stored (masked past `valid`).
///
/// # Safety
/// The CPU has AVX-512 F, BW and BF16; `t.a` is readable for `R` rows of
/// `2 · steps` values, `t.b` for `B` blocks of `32 · steps` values, `bias`
/// for `16 · B`; `t.out` is writable for `R` rows of `valid` floats.
#[target_feature(enable = "avx512f,avx512bw,avx512bf16")]
unsafe fn tile<const R: usize, const B: usize>(t: &Tile) {
    let mut acc = [[_mm512_setzero_ps(); B]; R];
    for s in 0..t.steps {
        let mut w = [_mm512_setzero_si512(); B];
        for (j, w) in w.iter_mut().enumerate() {
            // SAFETY: block j < B, step s < steps: inside the packed weights.
            *w = unsafe { _mm512_loadu_si512(t.b.add(j * t.block_stride + s * 32).cast()) };
        }
        for (i, acc) in acc.iter_mut().enumerate() {
            // SAFETY: row i < R, values 2s..2s + 2 of a row of 2 · steps.
            let pair = unsafe { t.a.add(i * t.lda + s * 2).cast::<i32>().read_unaligned() };
            // SAFETY: both are 512 bits; a bfloat16 vector is a bit pattern.
            let x: __m512bh = unsafe { std::mem::transmute(_mm512_set1_epi32(pair)) };
            for (a, w) in acc.iter_mut().zip(&w) {
                // SAFETY: as above.
                let w: __m512bh = unsafe { std::mem::transmute(*w) };
                *a = _mm512_dpbf16_ps(*a, x, w);
            }
        }
    }
    for j in 0..B {
        let valid = t.valid.saturating_sub(16 * j).min(16);
        if valid == 0 {
            break;
        }
        let mask: __mmask16 = if valid == 16 { 0xffff } else { ((1u32 << valid) - 1) as u16 };
        // SAFETY: the bias holds 16 · B values.
        let bias = unsafe { _mm512_loadu_ps(t.bias.add(16 * j)) };
        for (i, acc) in acc.iter().enumerate() {
            // SAFETY: the mask keeps the store to the `valid` columns of row i.
            unsafe { _mm512_mask_storeu_ps(t.out.add(i * t.ldo + 16 * j), mask, _mm512_add_ps(acc[j], bias)) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{f32_product, random, SHAPES};
    use crate::{Format, Linear};

    fn widen(b: u16) -> f64 {
        f32::from_bits((b as u32) << 16) as f64
    }

    #[test]
    fn rounding_is_to_nearest_even() {
        assert_eq!(to_bf16(1.0), 0x3f80);
        // 1 + 2⁻⁸ is halfway between 1 and 1 + 2⁻⁷: ties to the even 1.
        assert_eq!(to_bf16(1.0 + 1.0 / 256.0), 0x3f80);
        assert_eq!(to_bf16(1.0 + 3.0 / 256.0), 0x3f82);
        assert_eq!(to_bf16(-2.5), 0xc020);
        assert!(widen(to_bf16(f32::NAN)).is_nan());
        assert_eq!(widen(to_bf16(f32::INFINITY)), f64::INFINITY);
    }

    #[test]
    fn matches_the_rounded_product_on_awkward_shapes() {
        if !supported() {
            eprintln!("SKIPPED: no AVX-512 BF16 on this CPU");
            return;
        }
        let mut seed = 7;
        for &(rows, k, n) in SHAPES {
            let (x, w, b) = (random(&mut seed, rows * k), random(&mut seed, n * k), random(&mut seed, n));
            let layer = Linear::new(Format::Bf16, &w, &b, n, k).unwrap();
            let mut y = vec![f32::NAN; rows * n + 5];
            layer.forward(&x, rows, &mut y).unwrap();
            let reference = f32_product(&x, &w, &b, rows, k, n);
            for r in 0..rows {
                for c in 0..n {
                    let (xs, ws) = (&x[r * k..(r + 1) * k], &w[c * k..(c + 1) * k]);
                    let exact: f64 =
                        xs.iter().zip(ws).map(|(&a, &b)| widen(to_bf16(a)) * widen(to_bf16(b))).sum::<f64>()
                            + b[c] as f64;
                    let mag: f64 =
                        xs.iter().zip(ws).map(|(a, b)| (a * b).abs() as f64).sum::<f64>() + b[c].abs() as f64;
                    let got = y[r * n + c] as f64;
                    // Exact products, f32 sums: a few f32 roundings per term at most.
                    assert!((got - exact).abs() <= 1e-5 * mag, "{rows}×{k}·{k}×{n}: {got} vs {exact}");
                    // Each operand within 2⁻⁹ relative of the f32 one.
                    assert!((got - reference[r * n + c]).abs() <= mag / 128.0, "{rows}×{k}·{k}×{n}: {got}");
                }
            }
            assert!(y[rows * n..].iter().all(|v| v.is_nan()), "{rows}×{k}·{k}×{n}: wrote past the rows");
        }
    }
}
