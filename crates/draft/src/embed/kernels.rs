//! The element-wise parts of the encoder on plain slices: GELU, layer norm,
//! the attention of one sentence. Written as lane-wise loops over fixed-width
//! arrays so that the compiler vectorises them without reordering any float
//! sum across lanes differently from run to run (results stay deterministic).

const LANES: usize = 8;

/// `Σ a[i]·b[i]`, eight partial sums then a fixed-order total.
#[inline(always)]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..LANES {
            acc[l] += x[l] * y[l];
        }
    }
    let mut total = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (x, y) in ra.iter().zip(rb) {
        total += x * y;
    }
    total
}

/// `erf(x)` as a rational function of `x` clamped to [-4, 4] (the
/// approximation XLA and Eigen use for f32; absolute error below 1e-6),
/// branch-free so that it vectorises.
#[inline(always)]
pub(crate) fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = x2 * -2.726_142_3e-10 + 2.770_681_4e-8;
    p = x2 * p + -2.101_024e-6;
    p = x2 * p + -5.692_506_4e-5;
    p = x2 * p + -7.349_906_3e-4;
    p = x2 * p + -2.954_600_1e-3;
    p = x2 * p + -1.609_603_3e-2;
    p *= x;
    let mut q = x2 * -1.456_607_2e-5 + -2.133_740_6e-4;
    q = x2 * q + -1.682_827e-3;
    q = x2 * q + -7.373_329_2e-3;
    q = x2 * q + -1.426_473_9e-2;
    p / q
}

/// GELU as BERT defines it, `x·Φ(x)` with the exact normal CDF (erf).
#[inline(always)]
pub(crate) fn gelu_erf(xs: &mut [f32]) {
    for x in xs.iter_mut() {
        *x = 0.5 * *x * (1.0 + erf(*x * std::f32::consts::FRAC_1_SQRT_2));
    }
}

/// GELU's tanh approximation (`hidden_act = "gelu_new"`-style models).
#[inline(always)]
pub(crate) fn gelu_tanh(xs: &mut [f32]) {
    const C: f32 = 0.797_884_6; // sqrt(2/π)
    for x in xs.iter_mut() {
        let v = *x;
        *x = 0.5 * v * (1.0 + (C * (v + 0.044_715 * v * v * v)).tanh());
    }
}

/// `max(x, 0)`.
#[inline(always)]
pub(crate) fn relu(xs: &mut [f32]) {
    for x in xs.iter_mut() {
        *x = if *x > 0.0 { *x } else { 0.0 };
    }
}

/// `y = src + bias` row by row (row length `bias.len()`).
#[inline(always)]
pub(crate) fn add_bias_from(y: &mut [f32], src: &[f32], bias: &[f32]) {
    for (out, row) in y.chunks_exact_mut(bias.len()).zip(src.chunks_exact(bias.len())) {
        for ((o, v), b) in out.iter_mut().zip(row).zip(bias) {
            *o = v + b;
        }
    }
}

/// Layer norm of every row of `rows` in place, after adding `residual`
/// when given (BERT's `LayerNorm(x + sublayer(x))`).
#[inline(always)]
pub(crate) fn add_layer_norm(rows: &mut [f32], residual: Option<&[f32]>, weight: &[f32], bias: &[f32], eps: f32) {
    let width = weight.len();
    if let Some(res) = residual {
        for (v, r) in rows.iter_mut().zip(res) {
            *v += r;
        }
    }
    let n = width as f32;
    for row in rows.chunks_exact_mut(width) {
        let mean = sum(row) / n;
        let mut sq = [0f32; LANES];
        let chunks = row.chunks_exact(LANES);
        let mut tail = 0f32;
        for x in chunks.remainder() {
            tail += (x - mean) * (x - mean);
        }
        for c in chunks {
            for l in 0..LANES {
                let d = c[l] - mean;
                sq[l] += d * d;
            }
        }
        let var = (lane_total(&sq) + tail) / n;
        let inv = 1.0 / (var + eps).sqrt();
        for ((x, w), b) in row.iter_mut().zip(weight).zip(bias) {
            *x = (*x - mean) * inv * w + b;
        }
    }
}

#[inline(always)]
fn lane_total(acc: &[f32; LANES]) -> f32 {
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]))
}

#[inline(always)]
fn sum(xs: &[f32]) -> f32 {
    let mut acc = [0f32; LANES];
    let chunks = xs.chunks_exact(LANES);
    let tail: f32 = chunks.remainder().iter().sum();
    for c in chunks {
        for l in 0..LANES {
            acc[l] += c[l];
        }
    }
    lane_total(&acc) + tail
}

/// Self-attention of one sentence. `qkv` holds its `n` tokens, each row the
/// query, key and value vectors side by side (`3·hidden` wide); the context
/// vectors (`hidden` wide per token) go to `out`. Every token attends to
/// every token of the same sentence only, so no padding or mask is needed.
#[inline(always)]
pub(crate) fn attention(qkv: &[f32], out: &mut [f32], n: usize, hidden: usize, heads: usize, scores: &mut Vec<f32>) {
    // Head widths known at compile time unroll into registers; the sums are
    // taken in the same order either way, so the results do not change.
    match hidden / heads {
        32 => attention_heads::<32>(qkv, out, n, hidden, heads, scores),
        64 => attention_heads::<64>(qkv, out, n, hidden, heads, scores),
        _ => attention_heads::<0>(qkv, out, n, hidden, heads, scores),
    }
}

/// [`attention`] for heads `D` wide (`D = 0`: any width, `hidden / heads`).
#[inline(always)]
fn attention_heads<const D: usize>(
    qkv: &[f32],
    out: &mut [f32],
    n: usize,
    hidden: usize,
    heads: usize,
    scores: &mut Vec<f32>,
) {
    let d = if D == 0 { hidden / heads } else { D };
    let stride = 3 * hidden;
    let scale = 1.0 / (d as f32).sqrt();
    scores.resize(n, 0.0);
    let mut acc = vec![0f32; d];
    for h in 0..heads {
        let (qo, ko, vo) = (h * d, hidden + h * d, 2 * hidden + h * d);
        for i in 0..n {
            let q = &qkv[i * stride + qo..i * stride + qo + d];
            let mut max = f32::NEG_INFINITY;
            for (j, s) in scores.iter_mut().enumerate() {
                let k = &qkv[j * stride + ko..j * stride + ko + d];
                *s = dot(q, k) * scale;
                max = max.max(*s);
            }
            let mut total = 0f32;
            for s in scores.iter_mut() {
                *s = (*s - max).exp();
                total += *s;
            }
            let inv = 1.0 / total;
            if D == 0 {
                acc.fill(0.0);
                for (j, s) in scores.iter().enumerate() {
                    let p = s * inv;
                    let v = &qkv[j * stride + vo..j * stride + vo + d];
                    for (x, y) in acc.iter_mut().zip(v) {
                        *x += p * y;
                    }
                }
                out[i * hidden + qo..i * hidden + qo + d].copy_from_slice(&acc);
            } else {
                let mut a = [0f32; 64];
                for (j, s) in scores.iter().enumerate() {
                    let p = s * inv;
                    let v = &qkv[j * stride + vo..j * stride + vo + D];
                    for l in 0..D {
                        a[l] += p * v[l];
                    }
                }
                out[i * hidden + qo..i * hidden + qo + D].copy_from_slice(&a[..D]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// erf by its Taylor series in f64 (exact enough for |x| ≤ 3), to check
    /// the rational approximation.
    fn erf_series(x: f64) -> f64 {
        let mut term = x;
        let mut total = x;
        for k in 1..200 {
            term *= -x * x / k as f64;
            total += term / (2 * k + 1) as f64;
        }
        total * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn erf_is_accurate() {
        let mut worst = 0f64;
        for i in -3000..=3000 {
            let x = i as f64 / 1000.0;
            worst = worst.max((erf(x as f32) as f64 - erf_series(x)).abs());
        }
        assert!(worst < 2e-6, "worst error {worst}");
        assert_eq!(erf(10.0), erf(4.0));
        assert!((erf(4.0) - 1.0).abs() < 1e-6);
        assert!((erf(-4.0) + 1.0).abs() < 1e-6);
    }

    #[test]
    fn layer_norm_centres_and_scales() {
        let mut rows: Vec<f32> = (0..20).map(|i| i as f32).collect();
        let w = vec![2.0; 10];
        let b = vec![1.0; 10];
        add_layer_norm(&mut rows, None, &w, &b, 1e-12);
        for row in rows.chunks(10) {
            let mean: f32 = row.iter().sum::<f32>() / 10.0;
            let var: f32 = row.iter().map(|x| (x - mean) * (x - mean)).sum::<f32>() / 10.0;
            assert!((mean - 1.0).abs() < 1e-5, "{mean}");
            assert!((var - 4.0).abs() < 1e-3, "{var}");
        }
    }

    #[test]
    fn attention_of_one_token_is_its_value() {
        // hidden 4, 2 heads: a single token attends only to itself.
        let qkv = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0];
        let mut out = [0f32; 4];
        attention(&qkv, &mut out, 1, 4, 2, &mut Vec::new());
        assert_eq!(out, [9.0, 10.0, 11.0, 12.0]);
    }

    #[test]
    fn attention_weights_follow_the_scores() {
        // hidden 2, 1 head, two tokens with equal keys: the output is the mean of the values.
        let qkv = [1.0, 0.0, 1.0, 1.0, 2.0, 4.0, 0.0, 1.0, 1.0, 1.0, 6.0, 8.0];
        let mut out = [0f32; 4];
        attention(&qkv, &mut out, 2, 2, 1, &mut Vec::new());
        for x in out.chunks(2) {
            assert!((x[0] - 4.0).abs() < 1e-6 && (x[1] - 6.0).abs() < 1e-6, "{out:?}");
        }
    }

    #[test]
    fn dot_matches_a_plain_sum() {
        let a: Vec<f32> = (0..37).map(|i| i as f32 * 0.5).collect();
        let b: Vec<f32> = (0..37).map(|i| 1.0 - i as f32 * 0.25).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-3);
    }
}
