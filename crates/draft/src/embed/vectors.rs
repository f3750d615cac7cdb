//! Sentence vectors, dense (from the model) or sparse (TF-IDF), and the
//! cosine similarity between them.

/// A sparse vector: sorted term indices and their weights.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVector {
    /// Term indices, ascending.
    pub indices: Vec<u32>,
    /// Weights, one per index.
    pub values: Vec<f32>,
}

impl SparseVector {
    /// Dot product of two sparse vectors (a merge of the sorted indices).
    pub fn dot(&self, other: &SparseVector) -> f32 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
        while let (Some(&a), Some(&b)) = (self.indices.get(i), other.indices.get(j)) {
            match a.cmp(&b) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += self.values.get(i).copied().unwrap_or(0.0) * other.values.get(j).copied().unwrap_or(0.0);
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }
}

/// The vectors of a list of texts, in the same order. Both kinds are
/// L2-normalised, so the dot product is the cosine similarity.
#[derive(Debug, Clone, PartialEq)]
pub enum Vectors {
    /// Model embeddings: `data` holds `len × dim` numbers, row after row.
    Dense {
        /// Vector length.
        dim: usize,
        /// The rows, concatenated.
        data: Vec<f32>,
    },
    /// TF-IDF vectors.
    Sparse(Vec<SparseVector>),
}

impl Vectors {
    /// Dense vectors from rows (all of length `dim`; shorter rows are padded with zeros).
    pub fn from_rows(dim: usize, rows: &[Vec<f32>]) -> Self {
        let mut data = Vec::with_capacity(rows.len() * dim);
        for row in rows {
            data.extend(row.iter().copied().take(dim));
            data.extend(std::iter::repeat_n(0.0, dim.saturating_sub(row.len())));
        }
        Vectors::Dense { dim, data }
    }

    /// Number of vectors.
    pub fn len(&self) -> usize {
        match self {
            Vectors::Dense { dim, data } => data.len().checked_div(*dim).unwrap_or(0),
            Vectors::Sparse(rows) => rows.len(),
        }
    }

    /// Whether there are no vectors.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i` of dense vectors (empty for sparse vectors or out of range).
    pub fn dense_row(&self, i: usize) -> &[f32] {
        match self {
            Vectors::Dense { dim, data } => data.get(i * dim..(i + 1) * dim).unwrap_or(&[]),
            Vectors::Sparse(_) => &[],
        }
    }

    /// Cosine similarity of vectors `i` and `j` (0 when either is out of range).
    pub fn cosine(&self, i: usize, j: usize) -> f32 {
        match self {
            Vectors::Dense { .. } => dot(self.dense_row(i), self.dense_row(j)),
            Vectors::Sparse(rows) => match (rows.get(i), rows.get(j)) {
                (Some(a), Some(b)) => a.dot(b),
                _ => 0.0,
            },
        }
    }

    /// Cosine similarity of vector `i` here and vector `j` in `other` (same kind and space).
    pub fn cosine_with(&self, i: usize, other: &Vectors, j: usize) -> f32 {
        match (self, other) {
            (Vectors::Dense { .. }, Vectors::Dense { .. }) => dot(self.dense_row(i), other.dense_row(j)),
            (Vectors::Sparse(a), Vectors::Sparse(b)) => match (a.get(i), b.get(j)) {
                (Some(a), Some(b)) => a.dot(b),
                _ => 0.0,
            },
            _ => 0.0,
        }
    }

    /// The vectors at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Vectors {
        match self {
            Vectors::Dense { dim, .. } => {
                let mut data = Vec::with_capacity(indices.len() * dim);
                for &i in indices {
                    data.extend_from_slice(self.dense_row(i));
                }
                Vectors::Dense { dim: *dim, data }
            }
            Vectors::Sparse(rows) => {
                Vectors::Sparse(indices.iter().map(|&i| rows.get(i).cloned().unwrap_or_default()).collect())
            }
        }
    }

    /// The full similarity matrix, row-major `len × len`: one matrix product
    /// for dense vectors, sparse dot products in parallel by rows otherwise.
    pub fn similarity_matrix(&self) -> Vec<f32> {
        use rayon::prelude::*;
        let n = self.len();
        if let Vectors::Dense { dim, data } = self {
            if let Some(m) = dense_gram(data, n, *dim) {
                return m;
            }
        }
        let mut matrix = vec![0.0f32; n * n];
        matrix.par_chunks_mut(n.max(1)).enumerate().for_each(|(i, row)| {
            for (j, cell) in row.iter_mut().enumerate() {
                *cell = if i == j { 1.0 } else { self.cosine(i, j) };
            }
        });
        matrix
    }
}

/// `X Xᵀ` for the `n × dim` row-major matrix `data`, with candle's matrix
/// kernels (tens of times faster than pairwise dot products at n = 2,500).
/// The diagonal is set to exactly 1.
fn dense_gram(data: &[f32], n: usize, dim: usize) -> Option<Vec<f32>> {
    use candle_core::{Device, Tensor};
    if n == 0 || dim == 0 {
        return Some(Vec::new());
    }
    let x = Tensor::from_slice(data, (n, dim), &Device::Cpu).ok()?;
    let gram = x.matmul(&x.t().ok()?).ok()?;
    let mut out = gram.flatten_all().ok()?.to_vec1::<f32>().ok()?;
    for i in 0..n {
        if let Some(cell) = out.get_mut(i * n + i) {
            *cell = 1.0;
        }
    }
    Some(out)
}

/// Dot product of two equally long slices (the shorter length when not).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    // Four accumulators let the compiler vectorise the loop.
    let mut acc = [0.0f32; 4];
    let chunks = a.len().min(b.len()) / 4;
    for k in 0..chunks {
        for l in 0..4 {
            acc[l] += a[4 * k + l] * b[4 * k + l];
        }
    }
    let mut sum = acc.iter().sum::<f32>();
    for k in chunks * 4..a.len().min(b.len()) {
        sum += a[k] * b[k];
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_dot_merges_indices() {
        let a = SparseVector { indices: vec![1, 3, 7], values: vec![1.0, 2.0, 3.0] };
        let b = SparseVector { indices: vec![0, 3, 7, 9], values: vec![5.0, 0.5, 1.0, 4.0] };
        assert_eq!(a.dot(&b), 1.0 + 3.0);
    }

    #[test]
    fn dense_cosine_and_select() {
        let v = Vectors::from_rows(2, &[vec![1.0, 0.0], vec![0.6, 0.8], vec![0.0, 1.0]]);
        assert_eq!(v.len(), 3);
        assert!((v.cosine(0, 1) - 0.6).abs() < 1e-6);
        let s = v.select(&[2, 0]);
        assert_eq!(s.cosine(0, 1), 0.0);
        assert_eq!(v.cosine(0, 9), 0.0);
        let m = v.similarity_matrix();
        assert_eq!(m.len(), 9);
        assert!((m[5] - 0.8).abs() < 1e-6);
    }

    #[test]
    fn dot_handles_tails() {
        let a: Vec<f32> = (0..7).map(|x| x as f32).collect();
        assert_eq!(dot(&a, &a), (0..7).map(|x| (x * x) as f32).sum::<f32>());
    }
}
