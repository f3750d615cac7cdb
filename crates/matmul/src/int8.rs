//! 8-bit products with AVX-512 VNNI.
//!
//! `vpdpbusd` multiplies unsigned bytes by signed bytes, four at a time, and
//! adds the four products to a 32-bit lane. The weights are the signed side
//! (quantised once, per output channel); the activations, quantised per row
//! to -127..=127, are shifted by 128 into 1..=255 to be the unsigned side.
//! The shift adds `128 · Σₖ w[n][k]` to every sum of column `n`, which the
//! packed weights carry precomputed (`comp`) and the epilogue subtracts, so
//! the integer sums are exact: `Σₖ qx·qw` with at most 4·255·127 per step,
//! far from overflowing i32 for any layer narrower than 16,000 inputs.
//!
//! Packed layout: the output columns in blocks of 16 (padded with zero
//! weights); for each block and each group of four inputs, 64 bytes: for each
//! of the 16 columns its four weights. One 64-byte load feeds one `vpdpbusd`
//! with the broadcast four activations of a row.

#![allow(unsafe_code)]

use std::arch::x86_64::*;
use std::cell::RefCell;

/// Rows per register tile.
const MR: usize = 6;
/// 16-column blocks per register tile (6 × 4 accumulators, 4 weight
/// vectors and a broadcast fit the 32 vector registers).
const NB: usize = 4;

pub(crate) fn supported() -> bool {
    is_x86_feature_detected!("avx512f")
        && is_x86_feature_detected!("avx512bw")
        && is_x86_feature_detected!("avx512vnni")
}

/// Weights of one layer, quantised and packed (see the module docs).
#[derive(Debug)]
pub(crate) struct Packed {
    inputs: usize,
    outputs: usize,
    /// Groups of four inputs (the last padded with zero weights).
    steps: usize,
    blocks: usize,
    weights: Vec<i8>,
    /// Per output column (padded to `blocks · 16`): scale, `128 · Σ q`, bias.
    scale: Vec<f32>,
    comp: Vec<i32>,
    bias: Vec<f32>,
}

/// `x` to the nearest of -127..=127 after `x · inv` (ties to even).
#[inline(always)]
pub(crate) fn quantise(x: f32, inv: f32) -> i32 {
    (x * inv).round_ties_even().clamp(-127.0, 127.0) as i32
}

/// The largest magnitude in `xs` (NaN if any value is not finite).
#[inline(always)]
fn max_abs(xs: &[f32]) -> f32 {
    let mut lanes = [0f32; 16];
    let chunks = xs.chunks_exact(16);
    let mut m = chunks.remainder().iter().fold(0f32, |m, v| if v.abs() > m { v.abs() } else { m });
    for c in chunks {
        for l in 0..16 {
            let a = c[l].abs();
            lanes[l] = if a > lanes[l] { a } else { lanes[l] };
        }
    }
    for l in lanes {
        m = if l > m { l } else { m };
    }
    if xs.iter().any(|v| !v.is_finite()) {
        f32::NAN
    } else {
        m
    }
}

impl Packed {
    pub(crate) fn new(weight: &[f32], bias: &[f32], outputs: usize, inputs: usize) -> Self {
        let steps = inputs.div_ceil(4);
        let blocks = outputs.div_ceil(16);
        let mut packed = Packed {
            inputs,
            outputs,
            steps,
            blocks,
            weights: vec![0; blocks * steps * 64],
            scale: vec![0.0; blocks * 16],
            comp: vec![0; blocks * 16],
            bias: vec![0.0; blocks * 16],
        };
        for (n, row) in weight.chunks_exact(inputs).enumerate() {
            let amax = max_abs(row);
            // An all-zero channel keeps scale 0 (its products are 0 anyway).
            let inv = if amax > 0.0 { 127.0 / amax } else { 0.0 };
            let (block, lane) = (n / 16, n % 16);
            let mut sum = 0i32;
            for (k, &w) in row.iter().enumerate() {
                let q = quantise(w, inv);
                sum += q;
                packed.weights[block * steps * 64 + (k / 4) * 64 + lane * 4 + k % 4] = q as i8;
            }
            packed.scale[n] = amax / 127.0;
            packed.comp[n] = 128 * sum;
            packed.bias[n] = bias[n];
        }
        packed
    }

    /// `y = x · Wᵀ + b`; `x` is `rows × inputs`, `y` `rows × outputs`.
    pub(crate) fn forward(&self, x: &[f32], rows: usize, y: &mut [f32]) {
        thread_local! {
            // Reused: a fresh buffer of a few hundred kilobytes per product
            // would cost page faults on every layer.
            static SCRATCH: RefCell<(Vec<u8>, Vec<f32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
        }
        SCRATCH.with_borrow_mut(|(q, row_scale)| {
            let lda = self.steps * 4;
            q.clear();
            // 128 is zero once shifted: the padding inputs add nothing.
            q.resize(rows * lda, 128);
            row_scale.clear();
            row_scale.resize(rows, 0.0);
            // SAFETY: a `Packed` exists only on CPUs with AVX-512 F, BW and
            // VNNI (`Linear::new` checks `supported()` first).
            unsafe { quantise_rows(x, self.inputs, lda, q, row_scale) };
            // SAFETY: as above; `Linear::forward` checked `x` and `y` hold
            // `rows` rows, and `q`, `row_scale` were sized here.
            unsafe { self.run(q, row_scale, rows, y) };
        });
    }

    /// The register tiles over all rows and columns.
    ///
    /// # Safety
    /// The CPU has AVX-512 F, BW and VNNI; `q` holds `rows` rows of
    /// `steps · 4` bytes, `row_scale` `rows` values, `y` `rows × outputs`.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    unsafe fn run(&self, q: &[u8], row_scale: &[f32], rows: usize, y: &mut [f32]) {
        let lda = self.steps * 4;
        let block_stride = self.steps * 64;
        debug_assert!(q.len() >= rows * lda && row_scale.len() >= rows && y.len() >= rows * self.outputs);
        // Column panels outside, rows inside: a panel's weights (at most
        // 4 · 16 columns × inputs bytes) stay in cache while every row passes.
        for panel in (0..self.blocks).step_by(NB) {
            let nb = (self.blocks - panel).min(NB);
            let n0 = panel * 16;
            for r0 in (0..rows).step_by(MR) {
                let mr = (rows - r0).min(MR);
                // SAFETY: every offset below stays inside its slice: rows
                // r0..r0 + mr < rows, blocks panel..panel + nb ≤ blocks,
                // columns n0..n0 + valid ≤ outputs.
                let tile = unsafe {
                    Tile {
                        a: q.as_ptr().add(r0 * lda),
                        lda,
                        b: self.weights.as_ptr().add(panel * block_stride),
                        block_stride,
                        steps: self.steps,
                        out: y.as_mut_ptr().add(r0 * self.outputs + n0),
                        ldo: self.outputs,
                        valid: (self.outputs - n0).min(nb * 16),
                        row_scale: row_scale.as_ptr().add(r0),
                        scale: self.scale.as_ptr().add(n0),
                        comp: self.comp.as_ptr().add(n0),
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

/// Per-row quantisation of `x` (`width` wide) into `q` (rows `lda` bytes,
/// shifted by 128) and the rows' scales.
#[target_feature(enable = "avx512f,avx512bw")]
fn quantise_rows(x: &[f32], width: usize, lda: usize, q: &mut [u8], row_scale: &mut [f32]) {
    for ((row, out), scale) in x.chunks_exact(width).zip(q.chunks_exact_mut(lda)).zip(row_scale.iter_mut()) {
        let amax = max_abs(row);
        if amax > 0.0 {
            let inv = 127.0 / amax;
            for (o, &v) in out.iter_mut().zip(row) {
                *o = (quantise(v, inv) + 128) as u8;
            }
            *scale = amax / 127.0;
        } else {
            // All zero (scale 0) or not finite (NaN: the row's outputs say so).
            *scale = amax;
        }
    }
}

/// One register tile's operands (raw pointers: the kernel reads them with
/// unaligned vector loads).
struct Tile {
    /// First row's quantised activations; rows `lda` bytes apart.
    a: *const u8,
    lda: usize,
    /// First block's packed weights; blocks `block_stride` bytes apart.
    b: *const i8,
    block_stride: usize,
    /// Groups of four inputs.
    steps: usize,
    /// First output; rows `ldo` floats apart.
    out: *mut f32,
    ldo: usize,
    /// Columns to write (the rest of the last block is padding).
    valid: usize,
    row_scale: *const f32,
    scale: *const f32,
    comp: *const i32,
    bias: *const f32,
}

/// # Safety
/// As for [`tile`], with `1 ≤ nb ≤ NB`.
#[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
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

/// `R` rows × `B` blocks of 16 columns, accumulated in registers over all
/// inputs, then rescaled, biased and stored (masked past `valid`).
///
/// # Safety
/// The CPU has AVX-512 F, BW and VNNI; `t.a` is readable for `R` rows of
/// `4 · steps` bytes, `t.b` for `B` blocks of `64 · steps` bytes, `scale`,
/// `comp` and `bias` for `16 · B` values, `row_scale` for `R`; `t.out` is
/// writable for `R` rows of `valid` floats.
#[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
unsafe fn tile<const R: usize, const B: usize>(t: &Tile) {
    let mut acc = [[_mm512_setzero_si512(); B]; R];
    for s in 0..t.steps {
        let mut w = [_mm512_setzero_si512(); B];
        for (j, w) in w.iter_mut().enumerate() {
            // SAFETY: block j < B, step s < steps: inside the packed weights.
            *w = unsafe { _mm512_loadu_si512(t.b.add(j * t.block_stride + s * 64).cast()) };
        }
        for (i, acc) in acc.iter_mut().enumerate() {
            // SAFETY: row i < R, bytes 4s..4s + 4 of a row of 4 · steps.
            let four = unsafe { t.a.add(i * t.lda + s * 4).cast::<i32>().read_unaligned() };
            let x = _mm512_set1_epi32(four);
            for (a, w) in acc.iter_mut().zip(&w) {
                *a = _mm512_dpbusd_epi32(*a, x, *w);
            }
        }
    }
    for j in 0..B {
        let valid = t.valid.saturating_sub(16 * j).min(16);
        if valid == 0 {
            break;
        }
        let mask: __mmask16 = if valid == 16 { 0xffff } else { ((1u32 << valid) - 1) as u16 };
        // SAFETY: the per-column vectors hold 16 · B values.
        let (scale, comp, bias) = unsafe {
            (
                _mm512_loadu_ps(t.scale.add(16 * j)),
                _mm512_loadu_si512(t.comp.add(16 * j).cast()),
                _mm512_loadu_ps(t.bias.add(16 * j)),
            )
        };
        for (i, acc) in acc.iter().enumerate() {
            let exact = _mm512_cvtepi32_ps(_mm512_sub_epi32(acc[j], comp));
            // SAFETY: row i < R.
            let rs = unsafe { *t.row_scale.add(i) };
            let value = _mm512_fmadd_ps(exact, _mm512_mul_ps(scale, _mm512_set1_ps(rs)), bias);
            // SAFETY: the mask keeps the store to the `valid` columns of row i.
            unsafe { _mm512_mask_storeu_ps(t.out.add(i * t.ldo + 16 * j), mask, value) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{f32_product, random, SHAPES};
    use crate::{Format, Linear};

    /// The product the kernel must compute exactly: quantised as the module
    /// says, summed in f64.
    fn quantised_product(x: &[f32], w: &[f32], b: &[f32], rows: usize, k: usize, n: usize) -> (Vec<f64>, Vec<f64>) {
        let q = |v: &[f32]| {
            let amax = v.iter().fold(0f32, |m, x| m.max(x.abs()));
            let inv = if amax > 0.0 { 127.0 / amax } else { 0.0 };
            (v.iter().map(|&x| quantise(x, inv) as f64).collect::<Vec<_>>(), (amax / 127.0) as f64)
        };
        let (mut y, mut bound) = (vec![0f64; rows * n], vec![0f64; rows * n]);
        for r in 0..rows {
            let (qx, sx) = q(&x[r * k..(r + 1) * k]);
            for c in 0..n {
                let (qw, sw) = q(&w[c * k..(c + 1) * k]);
                let dot: f64 = qx.iter().zip(&qw).map(|(a, b)| a * b).sum();
                let mag: f64 = qx.iter().zip(&qw).map(|(a, b)| (a * b).abs()).sum();
                y[r * n + c] = dot * sx * sw + b[c] as f64;
                bound[r * n + c] = mag * sx * sw + (b[c] as f64).abs();
            }
        }
        (y, bound)
    }

    #[test]
    fn matches_the_quantised_product_on_awkward_shapes() {
        if !supported() {
            eprintln!("SKIPPED: no AVX-512 VNNI on this CPU");
            return;
        }
        let mut seed = 1;
        for &(rows, k, n) in SHAPES {
            let (x, w, b) = (random(&mut seed, rows * k), random(&mut seed, n * k), random(&mut seed, n));
            let layer = Linear::new(Format::Int8, &w, &b, n, k).unwrap();
            // Garbage past the rows: the product must not read or write it.
            let mut y = vec![f32::NAN; rows * n + 7];
            layer.forward(&x, rows, &mut y).unwrap();
            let (exact, bound) = quantised_product(&x, &w, &b, rows, k, n);
            for i in 0..rows * n {
                let err = (y[i] as f64 - exact[i]).abs();
                assert!(err <= 1e-6 * bound[i] + 1e-30, "{rows}×{k}·{k}×{n} at {i}: {} vs {}", y[i], exact[i]);
            }
            assert!(y[rows * n..].iter().all(|v| v.is_nan()), "{rows}×{k}·{k}×{n}: wrote past the rows");
            // And close to the f32 product: each operand off by at most half a step.
            let reference = f32_product(&x, &w, &b, rows, k, n);
            for r in 0..rows {
                let sx = x[r * k..(r + 1) * k].iter().fold(0f32, |m, v| m.max(v.abs())) as f64 / 127.0;
                for c in 0..n {
                    let sw = w[c * k..(c + 1) * k].iter().fold(0f32, |m, v| m.max(v.abs())) as f64 / 127.0;
                    let limit: f64 = (0..k)
                        .map(|i| {
                            (x[r * k + i].abs() as f64) * sw / 2.0
                                + (w[c * k + i].abs() as f64) * sx / 2.0
                                + sx * sw / 4.0
                        })
                        .sum();
                    let err = (y[r * n + c] as f64 - reference[r * n + c]).abs();
                    assert!(err <= limit * 1.001 + 1e-6, "{rows}×{k}·{k}×{n}: error {err} over {limit}");
                }
            }
        }
    }

    #[test]
    fn zero_rows_and_channels_are_exact() {
        if !supported() {
            return;
        }
        // A zero weight row and a zero input row: no division by zero.
        let w = [0.0, 0.0, 0.0, 1.0, -2.0, 0.5];
        let layer = Linear::new(Format::Int8, &w, &[0.25, -1.0], 2, 3).unwrap();
        let mut y = [0f32; 4];
        layer.forward(&[0.0, 0.0, 0.0, 2.0, 1.0, -4.0], 2, &mut y).unwrap();
        assert_eq!(y[..2], [0.25, -1.0]);
        assert_eq!(y[2], 0.25);
        // 2·1 + 1·(-2) + (-4)·0.5 - 1, within the quantisation steps.
        assert!((y[3] + 3.0).abs() < 0.05, "{y:?}");
        // A NaN input shows in its row's outputs instead of vanishing.
        layer.forward(&[f32::NAN, 0.0, 0.0, 1.0, 1.0, 1.0], 2, &mut y).unwrap();
        assert!(y[..2].iter().all(|v| v.is_nan()) && y[2..].iter().all(|v| v.is_finite()), "{y:?}");
    }
}
