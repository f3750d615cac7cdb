//! ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum, computed as Google's
//! `rouge-score` package computes them (no stemming): lower-case, every run
//! of characters other than `a-z0-9` is a separator; precision, recall and F1
//! of n-gram overlap (clipped counts) or of the longest common subsequence.
//! ROUGE-Lsum treats each line as a sentence and takes the union LCS.

use std::collections::HashMap;

/// Precision, recall and F1 of one ROUGE variant.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Score {
    /// Share of the candidate found in the reference.
    pub precision: f64,
    /// Share of the reference found in the candidate.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl Score {
    fn new(hits: f64, candidate_total: f64, reference_total: f64) -> Score {
        let precision = hits / candidate_total.max(1.0);
        let recall = hits / reference_total.max(1.0);
        let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
        Score { precision, recall, f1 }
    }
}

/// All four variants.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Rouge {
    /// Unigram overlap.
    pub rouge1: Score,
    /// Bigram overlap.
    pub rouge2: Score,
    /// Longest common subsequence over the whole text.
    #[serde(rename = "rougeL")]
    pub rouge_l: Score,
    /// Union LCS with one sentence per line.
    #[serde(rename = "rougeLsum")]
    pub rouge_lsum: Score,
}

/// `rouge-score`'s default tokenizer: lower case, split on anything but `a-z0-9`.
pub fn tokenize(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn ngrams(tokens: &[String], n: usize) -> HashMap<&[String], usize> {
    let mut counts = HashMap::new();
    if n > 0 && tokens.len() >= n {
        for w in tokens.windows(n) {
            *counts.entry(w).or_insert(0) += 1;
        }
    }
    counts
}

/// ROUGE-N of token lists.
pub fn rouge_n(candidate: &[String], reference: &[String], n: usize) -> Score {
    let c = ngrams(candidate, n);
    let r = ngrams(reference, n);
    let hits: usize = r.iter().map(|(g, &rc)| rc.min(c.get(g).copied().unwrap_or(0))).sum();
    Score::new(hits as f64, c.values().sum::<usize>() as f64, r.values().sum::<usize>() as f64)
}

fn lcs_table(a: &[String], b: &[String]) -> Vec<Vec<u32>> {
    let mut t = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            t[i][j] = if a[i - 1] == b[j - 1] { t[i - 1][j - 1] + 1 } else { t[i - 1][j].max(t[i][j - 1]) };
        }
    }
    t
}

/// ROUGE-L of token lists.
pub fn rouge_l(candidate: &[String], reference: &[String]) -> Score {
    if candidate.is_empty() || reference.is_empty() {
        return Score::default();
    }
    let lcs = lcs_table(reference, candidate)[reference.len()][candidate.len()];
    Score::new(lcs as f64, candidate.len() as f64, reference.len() as f64)
}

/// Indices into `reference` of one LCS with `candidate`, backtracked as rouge-score does.
fn lcs_indices(reference: &[String], candidate: &[String]) -> Vec<usize> {
    let t = lcs_table(reference, candidate);
    let (mut i, mut j) = (reference.len(), candidate.len());
    let mut out = Vec::new();
    while i > 0 && j > 0 {
        if reference[i - 1] == candidate[j - 1] {
            out.push(i - 1);
            i -= 1;
            j -= 1;
        } else if t[i][j - 1] > t[i - 1][j] {
            j -= 1;
        } else {
            i -= 1;
        }
    }
    out.reverse();
    out
}

fn lines(text: &str) -> Vec<Vec<String>> {
    text.split('\n').filter(|l| !l.is_empty()).map(tokenize).collect()
}

/// ROUGE-Lsum: each line a sentence, union LCS of every reference sentence
/// against the candidate sentences, hits clipped by token counts.
pub fn rouge_lsum(candidate: &str, reference: &str) -> Score {
    let (cand, refs) = (lines(candidate), lines(reference));
    let m: usize = refs.iter().map(Vec::len).sum();
    let n: usize = cand.iter().map(Vec::len).sum();
    if m == 0 || n == 0 {
        return Score::default();
    }
    let mut count_r: HashMap<&str, i64> = HashMap::new();
    let mut count_c: HashMap<&str, i64> = HashMap::new();
    for t in refs.iter().flatten() {
        *count_r.entry(t).or_insert(0) += 1;
    }
    for t in cand.iter().flatten() {
        *count_c.entry(t).or_insert(0) += 1;
    }
    let mut hits = 0usize;
    for r in &refs {
        let mut union: Vec<usize> = cand.iter().flat_map(|c| lcs_indices(r, c)).collect();
        union.sort_unstable();
        union.dedup();
        for i in union {
            let t = r[i].as_str();
            let (cc, rc) = (count_c.get(t).copied().unwrap_or(0), count_r.get(t).copied().unwrap_or(0));
            if cc > 0 && rc > 0 {
                hits += 1;
                count_c.insert(t, cc - 1);
                count_r.insert(t, rc - 1);
            }
        }
    }
    Score::new(hits as f64, n as f64, m as f64)
}

/// Every variant for one candidate against one reference.
pub fn score(candidate: &str, reference: &str) -> Rouge {
    let (c, r) = (tokenize(candidate), tokenize(reference));
    Rouge {
        rouge1: rouge_n(&c, &r, 1),
        rouge2: rouge_n(&c, &r, 2),
        rouge_l: rouge_l(&c, &r),
        rouge_lsum: rouge_lsum(candidate, reference),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer_matches_rouge_score() {
        assert_eq!(
            tokenize("The COVID-19 pandemic's toll, e.g. 5%!"),
            ["the", "covid", "19", "pandemic", "s", "toll", "e", "g", "5"]
        );
        assert_eq!(tokenize("café"), ["caf"]);
    }

    #[test]
    fn textbook_values() {
        // rouge-score: score("the cat was found under the bed", "the cat was under the bed").
        let r = score("the cat was found under the bed", "the cat was under the bed");
        assert!((r.rouge1.precision - 6.0 / 7.0).abs() < 1e-12);
        assert!((r.rouge1.recall - 1.0).abs() < 1e-12);
        assert!((r.rouge2.recall - 4.0 / 5.0).abs() < 1e-12);
        assert!((r.rouge_l.f1 - 2.0 * (6.0 / 7.0) / (1.0 + 6.0 / 7.0)).abs() < 1e-12);
        assert_eq!(score("", "a b").rouge1, Score::default());
    }
}
