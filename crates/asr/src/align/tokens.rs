//! Words as the aligner compares them.
//!
//! Both sides become sequences of [`Token`]s: lower-case words without
//! punctuation (`multi-stakeholder` gives two), each remembering the word it
//! came from. A token carries two interned ids: the word itself, and a
//! looser key that folds British and American spellings, plurals and small
//! numbers (`organisations` and `organization`, `two` and `2`), so that such
//! pairs count as near matches rather than as errors.

use std::collections::HashMap;

use crate::wer::normalized_words;

/// One normalised word of either side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// The interned normalised word.
    pub word: u32,
    /// The interned loose key (equal keys are near matches).
    pub key: u32,
    /// Index of the word (caption word or ASR word) this token comes from.
    pub owner: usize,
}

/// Interns words and keys so the aligner compares integers.
#[derive(Debug, Default)]
pub struct Vocabulary {
    words: HashMap<String, u32>,
    keys: HashMap<String, u32>,
}

impl Vocabulary {
    /// The tokens of one written word (`owner` is its index), appended to `out`.
    pub fn push_tokens(&mut self, written: &str, owner: usize, out: &mut Vec<Token>) {
        for word in normalized_words(written) {
            let key = loose_key(&word);
            let next = self.keys.len() as u32;
            let key = *self.keys.entry(key).or_insert(next);
            let next = self.words.len() as u32;
            let word = *self.words.entry(word).or_insert(next);
            out.push(Token { word, key, owner });
        }
    }
}

/// Small numbers as Whisper and captioners write them either way.
const NUMBERS: [&str; 21] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// The loose form of a normalised word: spelling variants and plurals fold
/// together. It only has to be good enough to tell a near match from an error.
pub fn loose_key(word: &str) -> String {
    if let Some(n) = NUMBERS.iter().position(|w| *w == word) {
        return n.to_string();
    }
    let mut w: String = word.chars().filter(|c| *c != '\'' && *c != '’').collect();
    // Plurals and possessives: "networks", "countries".
    if w.len() > 4 && w.ends_with("ies") {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        w.pop();
    }
    // British to American spelling: -ise/-isation, -our, -tre, -ogue.
    for (from, to) in [("isation", "ization"), ("ised", "ized"), ("ising", "izing"), ("ise", "ize")] {
        if w.len() > from.len() + 2 && w.ends_with(from) {
            w.truncate(w.len() - from.len());
            w.push_str(to);
            break;
        }
    }
    for (from, to) in [("our", "or"), ("tre", "ter"), ("ogue", "og")] {
        if w.len() > from.len() + 2 && w.ends_with(from) {
            w.truncate(w.len() - from.len());
            w.push_str(to);
            break;
        }
    }
    w
}

/// Whether a written caption word is part of a captioner's annotation such as
/// `(off microphone)` or `[inaudible]`, which nobody says. `depth` carries the
/// open brackets from word to word.
pub fn is_annotation(written: &str, depth: &mut u32) -> bool {
    let opens = written.chars().filter(|c| matches!(c, '(' | '[')).count() as u32;
    let closes = written.chars().filter(|c| matches!(c, ')' | ']')).count() as u32;
    let inside = *depth > 0 || opens > 0;
    *depth = (*depth + opens).saturating_sub(closes);
    inside
}
