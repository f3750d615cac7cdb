//! Times for text that has none, from word counts at a speaking rate.

use rapporteur_core::Time;

/// Lays segments end to end on a timeline, each lasting as long as its words
/// take at the speaking rate. Used for CART and plain text, whose segments are
/// then marked `timing: estimated`.
#[derive(Debug, Clone)]
pub struct Estimator {
    millis_per_word: f64,
    cursor_ms: f64,
}

/// The shortest estimated segment (an annotation such as `(pause)` has no words).
const MIN_SEGMENT_MS: f64 = 500.0;

impl Estimator {
    /// An estimator at `words_per_minute` (non-positive or non-finite rates fall back to 150).
    pub fn new(words_per_minute: f64) -> Self {
        let wpm = if words_per_minute.is_finite() && words_per_minute > 0.0 { words_per_minute } else { 150.0 };
        Estimator { millis_per_word: 60_000.0 / wpm, cursor_ms: 0.0 }
    }

    /// Start and end of the next segment of `words` words.
    pub fn next(&mut self, words: usize) -> (Time, Time) {
        let start = self.cursor_ms;
        let length = (words as f64 * self.millis_per_word).max(MIN_SEGMENT_MS);
        self.cursor_ms += length;
        (Time::from_millis(start.round() as u64), Time::from_millis(self.cursor_ms.round() as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_fifty_words_a_minute() {
        let mut e = Estimator::new(150.0);
        assert_eq!(e.next(150), (Time::ZERO, Time::from_millis(60_000)));
        assert_eq!(e.next(5), (Time::from_millis(60_000), Time::from_millis(62_000)));
        assert_eq!(e.next(0).1, Time::from_millis(62_500));
    }
}
