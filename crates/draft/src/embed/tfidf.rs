//! TF-IDF vectors: the fallback when the embedding model is not installed.
//!
//! Sublinear term frequency (`1 + ln tf`), smoothed inverse document
//! frequency (`ln((1 + n) / (1 + df)) + 1`, as scikit-learn computes it),
//! English stop words removed, L2-normalised.

use std::collections::HashMap;

use super::vectors::{SparseVector, Vectors};

/// Words too common to tell two statements apart.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because",
    "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down",
    "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my",
    "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own",
    "same", "she", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these",
    "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
];

/// The words of `text` that count for TF-IDF: lower-case alphanumeric runs,
/// stop words and one-letter words dropped, a plural `s` stripped.
pub fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1)
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .map(|w| if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") { w[..w.len() - 1].to_string() } else { w })
        .collect()
}

/// A vocabulary and its document frequencies, fitted on a corpus.
#[derive(Debug, Clone, Default)]
pub struct TfIdf {
    vocabulary: HashMap<String, u32>,
    idf: Vec<f32>,
}

impl TfIdf {
    /// Fits the vocabulary and inverse document frequencies on `texts`.
    pub fn fit(texts: &[&str]) -> Self {
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let mut df: Vec<u32> = Vec::new();
        for text in texts {
            let mut seen: Vec<u32> = terms(text)
                .into_iter()
                .map(|t| {
                    let next = vocabulary.len() as u32;
                    *vocabulary.entry(t).or_insert(next)
                })
                .collect();
            seen.sort_unstable();
            seen.dedup();
            for id in seen {
                if df.len() <= id as usize {
                    df.resize(id as usize + 1, 0);
                }
                if let Some(count) = df.get_mut(id as usize) {
                    *count += 1;
                }
            }
        }
        let n = texts.len() as f32;
        let idf = df.iter().map(|&d| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0).collect();
        TfIdf { vocabulary, idf }
    }

    /// Number of distinct terms.
    pub fn vocabulary_size(&self) -> usize {
        self.vocabulary.len()
    }

    /// The vector of one text (terms unseen when fitting are ignored).
    pub fn vector(&self, text: &str) -> SparseVector {
        let mut counts: HashMap<u32, u32> = HashMap::new();
        for t in terms(text) {
            if let Some(&id) = self.vocabulary.get(&t) {
                *counts.entry(id).or_insert(0) += 1;
            }
        }
        let mut entries: Vec<(u32, f32)> = counts
            .into_iter()
            .map(|(id, tf)| (id, (1.0 + (tf as f32).ln()) * self.idf.get(id as usize).copied().unwrap_or(1.0)))
            .collect();
        entries.sort_unstable_by_key(|&(id, _)| id);
        let norm = entries.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
        let norm = if norm > 0.0 { norm } else { 1.0 };
        SparseVector {
            indices: entries.iter().map(|&(id, _)| id).collect(),
            values: entries.iter().map(|&(_, w)| w / norm).collect(),
        }
    }

    /// The vectors of `texts`.
    pub fn vectors(&self, texts: &[&str]) -> Vectors {
        use rayon::prelude::*;
        Vectors::Sparse(texts.par_iter().map(|t| self.vector(t)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_drop_stop_words_and_plurals() {
        assert_eq!(terms("We need the networks, and IXPs!"), vec!["need", "network", "ixp"]);
    }

    #[test]
    fn similar_texts_are_closer_than_unrelated_ones() {
        let texts = [
            "Governments should invest in community networks.",
            "Investment in community networks is needed from governments.",
            "Cybersecurity norms must be implemented.",
        ];
        let model = TfIdf::fit(&texts);
        let v = model.vectors(&texts);
        assert!(v.cosine(0, 1) > 0.3, "{}", v.cosine(0, 1));
        assert!(v.cosine(0, 2) < 0.05);
        assert!((v.cosine(2, 2) - 1.0).abs() < 1e-5);
    }

    #[test]
    fn empty_text_is_a_zero_vector() {
        let model = TfIdf::fit(&["a b c"]);
        assert!(model.vector("").indices.is_empty());
    }
}
