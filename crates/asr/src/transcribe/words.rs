//! Tokens to words with times.
//!
//! Whisper's byte-level BPE tokens begin a word with a space (`" country"`);
//! a token without one continues the word before it (`"ans"`, `","`). Bytes
//! are joined before they become text, so a character split across tokens
//! comes out whole.

use super::engine::RawToken;

/// A word with times relative to its chunk.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedWord {
    /// The word, with its punctuation.
    pub text: String,
    /// Start, ms from the chunk's start.
    pub start_ms: u64,
    /// End, ms from the chunk's start.
    pub end_ms: u64,
    /// The lowest probability among its tokens.
    pub probability: f32,
}

/// Groups the text tokens of a segment into words. With DTW instants, a word
/// starts at its first token's instant and ends where the next word starts
/// (or at the segment's end); otherwise whisper.cpp's token spans are used.
pub fn words_from_tokens(tokens: &[RawToken], segment_end_ms: u64) -> Vec<TimedWord> {
    struct Building {
        bytes: Vec<u8>,
        start_ms: u64,
        end_ms: u64,
        dtw_ms: Option<u64>,
        probability: f32,
    }
    let mut building: Vec<Building> = Vec::new();
    for token in tokens.iter().filter(|t| !t.special && !t.bytes.is_empty()) {
        let starts_word = token.bytes.first() == Some(&b' ') || building.is_empty();
        match building.last_mut() {
            Some(word) if !starts_word => {
                word.bytes.extend_from_slice(&token.bytes);
                word.end_ms = word.end_ms.max(token.end_ms);
                word.probability = word.probability.min(token.probability);
            }
            _ => building.push(Building {
                bytes: token.bytes.clone(),
                start_ms: token.start_ms,
                end_ms: token.end_ms.max(token.start_ms),
                dtw_ms: token.dtw_ms,
                probability: token.probability,
            }),
        }
    }
    let dtw = !building.is_empty() && building.iter().all(|w| w.dtw_ms.is_some());
    let mut words = Vec::with_capacity(building.len());
    for (i, word) in building.iter().enumerate() {
        let text = String::from_utf8_lossy(&word.bytes).trim().to_string();
        if text.is_empty() {
            continue;
        }
        let (start_ms, end_ms) = if dtw {
            let start = word.dtw_ms.unwrap_or(word.start_ms);
            let next = building.get(i + 1).and_then(|w| w.dtw_ms).unwrap_or(segment_end_ms);
            (start, next.max(start))
        } else {
            (word.start_ms, word.end_ms)
        };
        words.push(TimedWord { text, start_ms, end_ms, probability: word.probability });
    }
    // Times never run backwards.
    for i in 1..words.len() {
        let previous_end = words[i - 1].end_ms;
        let w = &mut words[i];
        if w.start_ms < previous_end {
            w.start_ms = previous_end.min(w.end_ms);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(text: &[u8], start: u64, end: u64, special: bool) -> RawToken {
        RawToken {
            id: 0,
            bytes: text.to_vec(),
            start_ms: start,
            end_ms: end,
            dtw_ms: None,
            probability: 0.9,
            log_probability: -0.1,
            special,
        }
    }

    #[test]
    fn joins_pieces_and_punctuation() {
        let tokens = vec![
            token(b"[_BEG_]", 0, 0, true),
            token(b" And", 0, 300, false),
            token(b" Americ", 320, 600, false),
            token(b"ans", 600, 800, false),
            token(b",", 800, 820, false),
            token(b" caf\xc3", 900, 1000, false),
            token(b"\xa9", 1000, 1100, false),
            token(b"[_TT_55]", 1100, 1100, true),
        ];
        let words = words_from_tokens(&tokens, 1100);
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, vec!["And", "Americans,", "café"]);
        assert_eq!((words[1].start_ms, words[1].end_ms), (320, 820));
    }

    #[test]
    fn dtw_instants_become_spans_up_to_the_next_word() {
        let mut tokens = vec![token(b" ask", 0, 500, false), token(b" not", 500, 900, false)];
        tokens[0].dtw_ms = Some(120);
        tokens[1].dtw_ms = Some(610);
        let words = words_from_tokens(&tokens, 1000);
        assert_eq!((words[0].start_ms, words[0].end_ms), (120, 610));
        assert_eq!((words[1].start_ms, words[1].end_ms), (610, 1000));
    }

    #[test]
    fn overlapping_times_are_made_monotonic() {
        let tokens = vec![token(b" a", 100, 500, false), token(b" b", 400, 700, false)];
        let words = words_from_tokens(&tokens, 700);
        assert_eq!(words[1].start_ms, 500);
    }
}
