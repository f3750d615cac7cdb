//! Helpers of the kernels' tests: random matrices and the f64 reference.

/// Shapes (rows, inputs, outputs) with every kind of tail: rows not a
/// multiple of the 6-row tile, inputs not a multiple of 2 or 4, outputs not
/// a multiple of 16 or of the 64-column panel.
pub(crate) const SHAPES: &[(usize, usize, usize)] = &[
    (1, 1, 1),
    (1, 3, 17),
    (2, 4, 16),
    (5, 5, 63),
    (6, 31, 64),
    (7, 64, 65),
    (13, 97, 130),
    (12, 384, 48),
    (3, 2, 200),
    (19, 130, 33),
];

/// `n` values uniform in [-1, 1) (xorshift: reproducible, no dependency).
pub(crate) fn random(seed: &mut u64, n: usize) -> Vec<f32> {
    (0..n)
        .map(|_| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            (*seed >> 40) as f32 / (1u64 << 23) as f32 - 1.0
        })
        .collect()
}

/// `x · wᵀ + b` in f64.
pub(crate) fn f32_product(x: &[f32], w: &[f32], b: &[f32], rows: usize, k: usize, n: usize) -> Vec<f64> {
    let mut y = vec![0f64; rows * n];
    for r in 0..rows {
        for c in 0..n {
            y[r * n + c] = (0..k).map(|i| x[r * k + i] as f64 * w[c * k + i] as f64).sum::<f64>() + b[c] as f64;
        }
    }
    y
}
