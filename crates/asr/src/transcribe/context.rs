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

/// How much context fits after the glossary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Carrier {
    /// Tokens left for context after the glossary.
    budget: usize,
}

impl Carrier {
    /// A carrier for `engine`'s vocabulary after the `glossary` prompt, if any.
    pub fn new(engine: &Engine, glossary: Option<&str>) -> Result<Self, TranscribeError> {
        let used = match glossary.filter(|g| !g.trim().is_empty()) {
            Some(g) => engine.tokenize(g, 4096)?.len(),
            None => 0,
        };
        Ok(Carrier { budget: MAX_PROMPT_TOKENS.saturating_sub(used) })
    }

    /// The context for the window after one that decoded to `previous`
    /// (its kept tokens, in order): their end, as much as fits.
    pub fn context(&self, previous: &[i32]) -> Vec<i32> {
        previous[previous.len().saturating_sub(self.budget)..].to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_of_the_previous_window_is_kept() {
        let carrier = Carrier { budget: 3 };
        assert_eq!(carrier.context(&[1, 2, 3, 4, 5]), vec![3, 4, 5]);
        assert_eq!(carrier.context(&[1, 2]), vec![1, 2]);
        assert_eq!(carrier.context(&[]), Vec::<i32>::new());
        assert_eq!(Carrier { budget: 0 }.context(&[1, 2]), Vec::<i32>::new());
    }
}
