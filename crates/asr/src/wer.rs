//! Word error rate: how far a transcript is from the words actually said.
//!
//! WER = (substitutions + deletions + insertions) / words in the reference,
//! over words normalised the usual way for ASR scoring: lower case,
//! punctuation removed (apostrophes inside words kept), hyphens split.

/// Words of `text` as WER compares them.
pub fn normalized_words(text: &str) -> Vec<String> {
    let mut cleaned = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let inside_word = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|c| c.is_alphanumeric());
        if c.is_alphanumeric() {
            cleaned.extend(c.to_lowercase());
        } else if (c == '\'' || c == '’') && inside_word(i.checked_sub(1)) && inside_word(Some(i + 1)) {
            cleaned.push('\'');
        } else {
            cleaned.push(' ');
        }
    }
    cleaned.split_whitespace().map(str::to_string).collect()
}

/// Edit counts of an alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WordErrors {
    /// Reference words replaced by other words.
    pub substitutions: usize,
    /// Reference words missing.
    pub deletions: usize,
    /// Words added.
    pub insertions: usize,
    /// Words in the reference.
    pub reference_words: usize,
}

impl WordErrors {
    /// The word error rate (0 for an empty reference and hypothesis, 1 per
    /// inserted word when only the reference is empty).
    pub fn rate(&self) -> f64 {
        let errors = (self.substitutions + self.deletions + self.insertions) as f64;
        if self.reference_words == 0 {
            errors
        } else {
            errors / self.reference_words as f64
        }
    }
}

/// Counts the edits between `reference` and `hypothesis` (Levenshtein on words).
pub fn word_errors(reference: &str, hypothesis: &str) -> WordErrors {
    let r = normalized_words(reference);
    let h = normalized_words(hypothesis);
    // cost[j] = (total, subs, dels, ins) for r[..i] vs h[..j], one row at a time.
    let mut row: Vec<(usize, usize, usize, usize)> = (0..=h.len()).map(|j| (j, 0, 0, j)).collect();
    for i in 1..=r.len() {
        let mut prev_diag = row[0];
        row[0] = (i, 0, i, 0);
        for j in 1..=h.len() {
            let above = row[j];
            let left = row[j - 1];
            let same = r[i - 1] == h[j - 1];
            let diag = if same { prev_diag } else { (prev_diag.0 + 1, prev_diag.1 + 1, prev_diag.2, prev_diag.3) };
            let del = (above.0 + 1, above.1, above.2 + 1, above.3);
            let ins = (left.0 + 1, left.1, left.2, left.3 + 1);
            prev_diag = above;
            row[j] = [diag, del, ins].into_iter().min_by_key(|c| c.0).unwrap_or(diag);
        }
    }
    let (_, substitutions, deletions, insertions) = row[h.len()];
    WordErrors { substitutions, deletions, insertions, reference_words: r.len() }
}

/// The word error rate of `hypothesis` against `reference`.
pub fn word_error_rate(reference: &str, hypothesis: &str) -> f64 {
    word_errors(reference, hypothesis).rate()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases: &[(&str, &str, f64)] = &[
            ("ask not what your country can do", "Ask not, what your country can do!", 0.0),
            ("ask not what your country can do", "ask what your country can do", 1.0 / 7.0),
            ("ask not what your country can do", "ask not what our country can do", 1.0 / 7.0),
            ("a b", "a x b y", 1.0),
            ("", "", 0.0),
            ("", "hello there", 2.0),
            ("one two", "", 1.0),
            ("don't stop", "Don't stop.", 0.0),
            ("multi-stakeholder model", "multi stakeholder model", 0.0),
        ];
        for (r, h, expected) in cases {
            assert!((word_error_rate(r, h) - expected).abs() < 1e-9, "{r:?} vs {h:?}: {}", word_error_rate(r, h));
        }
        let e = word_errors("a b c d", "a x c d e");
        assert_eq!((e.substitutions, e.deletions, e.insertions, e.reference_words), (1, 0, 1, 4));
    }

    proptest::proptest! {
        #[test]
        fn identical_is_zero_and_rate_bounded_by_lengths(a in "[a-z ]{0,60}", b in "[a-z ]{0,60}") {
            proptest::prop_assert_eq!(word_error_rate(&a, &a), 0.0);
            let e = word_errors(&a, &b);
            let (r, h) = (normalized_words(&a).len(), normalized_words(&b).len());
            proptest::prop_assert!(e.substitutions + e.deletions + e.insertions <= r.max(h));
            // Matched words are counted the same from either side.
            proptest::prop_assert_eq!(r - e.deletions, h - e.insertions);
        }
    }
}
