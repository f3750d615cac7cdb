//! What was said just before a window, given to Whisper as its context.
//!
//! Whisper hears a window better when it has read what was said just before:
//! a word cut at the window's start, a name or a term that recurs ("data",
//! not "nato") is decoded in context. OpenAI's and faster-whisper's
//! `condition_on_previous_text` do this over the whole recording, which lets
//! a repetition loop spread from window to window; here the context is only
//! the previous window's segments that the guards kept (none after a loop),
//! within a short run of windows ([`super::RUN_WINDOWS`]), after the glossary.
//!
//! The context is the previous window's tokens as decoded, timestamp tokens
//! included, as OpenAI's decoder carries them: primed with plain text,
//! whisper.cpp wrote a 20-second window as one segment and its word times
//! drifted by up to 5 s (`tests/asr.rs`, the panel's alignment).

use super::engine::Engine;
use super::glossary::MAX_PROMPT_TOKENS;
use super::TranscribeError;

/// Builds each window's prompt tokens: the glossary's, then as much of the
/// previous window's as fits in Whisper's prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carrier {
    /// The glossary, tokenized once for the whole recording.
    glossary: Vec<i32>,
    /// Tokens left for context after the glossary.
    budget: usize,
}

impl Carrier {
    /// A carrier for `engine`'s vocabulary after the `glossary` prompt, if any.
    pub fn new(engine: &Engine, glossary: Option<&str>) -> Result<Self, TranscribeError> {
        let glossary = match glossary.filter(|g| !g.trim().is_empty()) {
            Some(g) => engine.tokenize(g, 4096)?,
            None => Vec::new(),
        };
        Ok(Carrier { budget: MAX_PROMPT_TOKENS.saturating_sub(glossary.len()), glossary })
    }

    /// The prompt tokens of the window after one that decoded to `previous`
    /// (its kept tokens, in order): the glossary, then their end, as much as
    /// fits. Empty when there is nothing to carry (the window then reads the
    /// glossary as its text prompt).
    pub fn context(&self, previous: &[i32]) -> Vec<i32> {
        let tail = &previous[previous.len().saturating_sub(self.budget)..];
        if tail.is_empty() {
            return Vec::new();
        }
        [self.glossary.as_slice(), tail].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_of_the_previous_window_is_kept() {
        let carrier = Carrier { glossary: Vec::new(), budget: 3 };
        assert_eq!(carrier.context(&[1, 2, 3, 4, 5]), vec![3, 4, 5]);
        assert_eq!(carrier.context(&[1, 2]), vec![1, 2]);
        assert_eq!(carrier.context(&[]), Vec::<i32>::new());
        assert_eq!(Carrier { glossary: Vec::new(), budget: 0 }.context(&[1, 2]), Vec::<i32>::new());
    }

    #[test]
    fn the_glossary_comes_first_and_only_with_context() {
        let carrier = Carrier { glossary: vec![7, 8], budget: 2 };
        assert_eq!(carrier.context(&[1, 2, 3]), vec![7, 8, 2, 3]);
        assert_eq!(carrier.context(&[]), Vec::<i32>::new());
    }
}
