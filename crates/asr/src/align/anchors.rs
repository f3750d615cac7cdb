//! Which paired tokens are trusted to carry the recording's time.
//!
//! A global alignment pairs every equal word it can, including a lone "the"
//! far off in a stretch the other side does not have at all (ten minutes of
//! recording before the captioner started, a passage Whisper missed). Such
//! stray pairs would pull caption words minutes away. So pairs are taken in
//! runs of consecutive matches: runs of [`TRUSTED_RUN`] tokens or more are
//! trusted, shorter runs only when their offset between the two sides agrees
//! with a trusted neighbour. A short block of mismatched words between two
//! kept runs is a misrecognition in place, and its words are paired 1:1.

use super::sequence::{Pair, Step};

/// Runs of at least this many matched tokens are trusted on their own.
pub const TRUSTED_RUN: usize = 3;
/// Longest block of mismatched words, between kept runs, paired word for word.
pub const MAX_SUBSTITUTION_BLOCK: usize = 4;

/// How a caption token got its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorKind {
    /// Its word (or a spelling variant) was recognised.
    Matched,
    /// A different word was recognised in its place.
    Substituted,
}

/// A caption token tied to an ASR token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    /// Caption token index.
    pub caption: usize,
    /// ASR token index.
    pub asr: usize,
    /// How it was tied.
    pub kind: AnchorKind,
}

/// What [`anchors`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchors {
    /// The anchors, in order.
    pub anchors: Vec<Anchor>,
    /// Matched tokens left out as stray.
    pub stray: usize,
}

#[derive(Debug, Clone, Copy)]
struct Run {
    /// Index of its first step.
    first_step: usize,
    /// Steps (tokens) in it.
    len: usize,
    /// Caption and ASR token of its first pair.
    a: usize,
    b: usize,
}

impl Run {
    fn consistent_with(&self, other: &Run) -> bool {
        // Distances between the nearest ends of the two runs on each side.
        let (da, db) = if other.a < self.a {
            (self.a - (other.a + other.len - 1), self.b.abs_diff(other.b + other.len - 1))
        } else {
            ((other.a).abs_diff(self.a + self.len - 1), other.b.abs_diff(self.b + self.len - 1))
        };
        da.abs_diff(db) <= 4 + da.max(db) / 2
    }
}

/// The trusted anchors of an alignment.
pub fn anchors(steps: &[Step]) -> Anchors {
    let mut runs: Vec<Run> = Vec::new();
    for (s, step) in steps.iter().enumerate() {
        let Step::Pair(a, b, Pair::Match | Pair::Near) = *step else { continue };
        match runs.last_mut() {
            Some(run) if run.first_step + run.len == s => run.len += 1,
            _ => runs.push(Run { first_step: s, len: 1, a, b }),
        }
    }
    let longest = runs.iter().map(|r| r.len).max().unwrap_or(0);
    // Short inputs (a sentence) may have no run of TRUSTED_RUN at all.
    let trusted_len = TRUSTED_RUN.min(longest);
    let trusted: Vec<usize> = (0..runs.len()).filter(|&r| runs[r].len >= trusted_len).collect();
    let mut keep = vec![false; runs.len()];
    let mut next_trusted = 0; // index into `trusted` of the first trusted run after r
    for (r, run) in runs.iter().enumerate() {
        while next_trusted < trusted.len() && trusted[next_trusted] <= r {
            next_trusted += 1;
        }
        if run.len >= trusted_len {
            keep[r] = true;
            continue;
        }
        let before = trusted[..next_trusted].last().map(|&t| &runs[t]);
        let after = trusted.get(next_trusted).map(|&t| &runs[t]);
        keep[r] = before.is_some_and(|t| run.consistent_with(t)) || after.is_some_and(|t| run.consistent_with(t));
    }

    let mut result = Anchors::default();
    for (r, run) in runs.iter().enumerate() {
        if !keep[r] {
            result.stray += run.len;
            continue;
        }
        for step in &steps[run.first_step..run.first_step + run.len] {
            if let Step::Pair(a, b, _) = *step {
                result.anchors.push(Anchor { caption: a, asr: b, kind: AnchorKind::Matched });
            }
        }
        // The block between this run and the next kept one: pair it word for
        // word when it is only a few mismatches.
        let Some(next) = (r + 1..runs.len()).find(|&n| keep[n]) else { continue };
        let between = &steps[run.first_step + run.len..runs[next].first_step];
        let all_mismatched = between.iter().all(|s| matches!(s, Step::Pair(_, _, Pair::Mismatch)));
        if !between.is_empty() && between.len() <= MAX_SUBSTITUTION_BLOCK && all_mismatched {
            for step in between {
                if let Step::Pair(a, b, _) = *step {
                    result.anchors.push(Anchor { caption: a, asr: b, kind: AnchorKind::Substituted });
                }
            }
        }
    }
    result.anchors.sort_by_key(|a| a.caption);
    result
}
