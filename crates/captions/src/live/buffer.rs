//! The characters received but not yet emitted, each with its arrival time.
//!
//! A backspace removes the last character here. Once text has been emitted
//! as a segment it is gone from the buffer, so a backspace that finds the
//! buffer empty cannot be applied: the caller counts it.

use rapporteur_core::Time;

/// Pending characters and their times (same length, in stream order).
#[derive(Debug, Clone, Default)]
pub(crate) struct Buffer {
    chars: Vec<char>,
    times: Vec<Time>,
}

/// A stretch taken out of the buffer, to become a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stretch {
    pub(crate) chars: Vec<char>,
    pub(crate) times: Vec<Time>,
}

impl Buffer {
    pub(crate) fn chars(&self) -> &[char] {
        &self.chars
    }

    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether anything but whitespace is pending.
    pub(crate) fn has_text(&self) -> bool {
        self.chars.iter().any(|c| !c.is_whitespace())
    }

    pub(crate) fn push(&mut self, c: char, at: Time) {
        self.chars.push(c);
        self.times.push(at);
    }

    /// Deletes the last character; `false` when there was none to delete.
    pub(crate) fn backspace(&mut self) -> bool {
        self.times.pop();
        self.chars.pop().is_some()
    }

    /// Takes the first `n` characters (all of them if fewer are pending).
    pub(crate) fn take_prefix(&mut self, n: usize) -> Stretch {
        let n = n.min(self.chars.len());
        let rest_chars = self.chars.split_off(n);
        let rest_times = self.times.split_off(n);
        Stretch {
            chars: std::mem::replace(&mut self.chars, rest_chars),
            times: std::mem::replace(&mut self.times, rest_times),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backspace_and_take() {
        let mut b = Buffer::default();
        for (i, c) in "abc".chars().enumerate() {
            b.push(c, Time::from_millis(i as u64));
        }
        assert!(b.backspace());
        let s = b.take_prefix(1);
        assert_eq!(s.chars, vec!['a']);
        assert_eq!(s.times, vec![Time::ZERO]);
        assert_eq!(b.chars(), &['b']);
        assert_eq!(b.take_prefix(10).chars, vec!['b']);
        assert!(!b.backspace());
        assert!(!b.has_text());
    }
}
