//! Average-link agglomerative clustering with a similarity threshold.
//!
//! The nearest-neighbour-chain algorithm builds the full average-link
//! dendrogram in O(n²) time and O(n²) memory (the similarity matrix); cutting
//! it at the threshold gives the clusters. Average linkage is reducible (a
//! merged cluster is never more similar to a third than the closer of its
//! parts), so merge heights only fall towards the root and the cut is
//! well-defined. Ties go to the lowest index: the result depends only on the
//! input order, never on timing or hashing.

/// One merge of the dendrogram: clusters represented by `a` and `b` joined at `similarity`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Merge {
    /// Representative (lowest original index) of one side.
    pub a: usize,
    /// Representative of the other side.
    pub b: usize,
    /// Average similarity between the two sides.
    pub similarity: f32,
}

/// The full average-link dendrogram of `n` items with row-major similarity
/// matrix `similarity` (`n × n`, symmetric). Items beyond the matrix are
/// left unmerged.
pub fn dendrogram(similarity: &[f32], n: usize) -> Vec<Merge> {
    if n < 2 || similarity.len() < n * n {
        return Vec::new();
    }
    let mut sim = similarity.to_vec();
    let mut size = vec![1usize; n];
    let mut active = vec![true; n];
    let mut remaining = n;
    let mut chain: Vec<usize> = Vec::with_capacity(n);
    let mut merges = Vec::with_capacity(n - 1);
    while remaining > 1 {
        if chain.is_empty() {
            match active.iter().position(|&a| a) {
                Some(first) => chain.push(first),
                None => break,
            }
        }
        let Some(&top) = chain.last() else { break };
        let previous = chain.len().checked_sub(2).and_then(|i| chain.get(i)).copied();
        // Most similar active neighbour of `top`; the previous chain element
        // wins ties (so the chain always ends in a reciprocal pair), then the lowest index.
        let row = &sim[top * n..(top + 1) * n];
        let mut best: Option<(usize, f32)> = previous.map(|p| (p, row[p]));
        for (c, &s) in row.iter().enumerate() {
            if c == top || !active[c] {
                continue;
            }
            match best {
                Some((_, bs)) if s <= bs => {}
                _ => best = Some((c, s)),
            }
        }
        let Some((next, s)) = best else { break };
        if Some(next) == previous {
            chain.pop();
            chain.pop();
            let (keep, gone) = if top < next { (top, next) } else { (next, top) };
            merges.push(Merge { a: keep, b: gone, similarity: s });
            // Lance-Williams update for average linkage.
            let (sk, sg) = (size[keep] as f32, size[gone] as f32);
            for c in 0..n {
                if !active[c] || c == keep || c == gone {
                    continue;
                }
                let v = (sk * sim[keep * n + c] + sg * sim[gone * n + c]) / (sk + sg);
                sim[keep * n + c] = v;
                sim[c * n + keep] = v;
            }
            size[keep] += size[gone];
            active[gone] = false;
            remaining -= 1;
        } else {
            chain.push(next);
        }
    }
    merges
}

/// Clusters of `n` items: the dendrogram cut at `threshold` (merges at or
/// above it are kept). Clusters are lists of item indices, ascending, ordered
/// by their first item.
pub fn clusters(similarity: &[f32], n: usize, threshold: f32) -> Vec<Vec<usize>> {
    let merges = dendrogram(similarity, n);
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for m in merges.iter().filter(|m| m.similarity >= threshold) {
        let (ra, rb) = (find(&mut parent, m.a), find(&mut parent, m.b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent[hi] = lo;
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut slot = vec![usize::MAX; n];
    for i in 0..n {
        let r = find(&mut parent, i);
        if slot[r] == usize::MAX {
            slot[r] = groups.len();
            groups.push(Vec::new());
        }
        groups[slot[r]].push(i);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn matrix(points: &[f32]) -> Vec<f32> {
        // Similarity of points on a line: 1 - distance.
        let n = points.len();
        let mut m = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                m[i * n + j] = 1.0 - (points[i] - points[j]).abs();
            }
        }
        m
    }

    #[test]
    fn groups_close_points() {
        let m = matrix(&[0.0, 0.05, 0.5, 0.52, 0.9]);
        assert_eq!(clusters(&m, 5, 0.9), vec![vec![0, 1], vec![2, 3], vec![4]]);
        assert_eq!(clusters(&m, 5, 0.0), vec![vec![0, 1, 2, 3, 4]]);
        assert_eq!(clusters(&m, 5, 1.01).len(), 5);
    }

    #[test]
    fn average_not_single_link() {
        // A chain 0-1-2 with neighbours 0.85 apart: single link would join all
        // at 0.85; average link joins {0,1} at 0.85, then 2 at (0.7+0.85)/2.
        let m = vec![1.0, 0.85, 0.7, 0.85, 1.0, 0.85, 0.7, 0.85, 1.0];
        assert_eq!(clusters(&m, 3, 0.8), vec![vec![0, 1], vec![2]]);
        let d = dendrogram(&m, 3);
        assert_eq!(d.len(), 2);
        assert!((d[1].similarity - 0.775).abs() < 1e-6);
    }

    #[test]
    fn small_or_bad_input() {
        assert!(clusters(&[], 0, 0.5).is_empty());
        assert_eq!(clusters(&[1.0], 1, 0.5), vec![vec![0]]);
        assert!(dendrogram(&[1.0, 0.5], 2).is_empty());
    }

    /// The O(n³) textbook algorithm: repeatedly merge the most similar pair.
    fn naive(m: &[f32], n: usize, t: f32) -> Vec<Vec<usize>> {
        let mut groups: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
        loop {
            let mut best: Option<(usize, usize, f32)> = None;
            for a in 0..groups.len() {
                for b in a + 1..groups.len() {
                    let mut s = 0.0;
                    for &i in &groups[a] {
                        for &j in &groups[b] {
                            s += m[i * n + j];
                        }
                    }
                    s /= (groups[a].len() * groups[b].len()) as f32;
                    if best.is_none_or(|(_, _, bs)| s > bs) {
                        best = Some((a, b, s));
                    }
                }
            }
            match best {
                Some((a, b, s)) if s >= t => {
                    let g = groups.remove(b);
                    groups[a].extend(g);
                    groups[a].sort_unstable();
                }
                _ => break,
            }
        }
        groups.sort();
        groups
    }

    proptest! {
        #[test]
        fn matches_textbook_average_link(points in proptest::collection::vec(0.0f32..1.0, 1..24), t in 0.5f32..0.99) {
            // Random reals make exact ties (which float rounding could order differently) vanishingly rare.
            let mut pts = points;
            pts.sort_by(|a, b| a.total_cmp(b));
            pts.dedup();
            let m = matrix(&pts);
            let mut got = clusters(&m, pts.len(), t);
            got.sort();
            prop_assert_eq!(got, naive(&m, pts.len(), t));
        }
    }
}
