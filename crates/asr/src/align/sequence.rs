//! Global sequence alignment (Needleman–Wunsch) in linear memory (Hirschberg).
//!
//! A 90-minute session has some 13,000 words on each side: a full
//! Needleman–Wunsch matrix would take 169 million cells. Hirschberg's
//! divide and conquer finds the same optimal alignment keeping two rows of
//! scores at a time; sub-problems small enough (at most [`FULL_MATRIX_CELLS`])
//! are solved with a full matrix and traceback, which is faster.

use super::tokens::Token;

/// Score of two tokens with the same word.
pub const MATCH: i32 = 2;
/// Score of two tokens with the same loose key (spelling variant, plural).
pub const NEAR: i32 = 1;
/// Score of two different words paired.
pub const MISMATCH: i32 = -1;
/// Score of a token paired with nothing.
pub const GAP: i32 = -1;

/// Sub-problems up to this many cells are solved with a full matrix
/// (one byte of traceback per cell: 4 MiB).
pub const FULL_MATRIX_CELLS: usize = 1 << 22;

/// How two tokens were paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pair {
    /// The same word.
    Match,
    /// The same loose key.
    Near,
    /// Different words in the same place.
    Mismatch,
}

/// One column of an alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Token `a` paired with token `b`.
    Pair(usize, usize, Pair),
    /// Token `a` of the first sequence has no partner.
    OnlyA(usize),
    /// Token `b` of the second sequence has no partner.
    OnlyB(usize),
}

/// The score and kind of pairing two tokens.
#[inline]
pub fn pair(a: Token, b: Token) -> (i32, Pair) {
    if a.word == b.word {
        (MATCH, Pair::Match)
    } else if a.key == b.key {
        (NEAR, Pair::Near)
    } else {
        (MISMATCH, Pair::Mismatch)
    }
}

/// The optimal global alignment of `a` and `b`, in order.
pub fn align(a: &[Token], b: &[Token]) -> Vec<Step> {
    align_with_limit(a, b, FULL_MATRIX_CELLS)
}

/// [`align`] with sub-problems of at most `full_matrix_cells` solved with a
/// full matrix (the result's score is the same whatever the limit).
pub fn align_with_limit(a: &[Token], b: &[Token], full_matrix_cells: usize) -> Vec<Step> {
    let mut steps = Vec::with_capacity(a.len() + b.len());
    hirschberg(a, b, 0, 0, full_matrix_cells, &mut steps);
    steps
}

/// The score of an alignment (for tests and diagnostics).
pub fn score(a: &[Token], b: &[Token], steps: &[Step]) -> i32 {
    steps
        .iter()
        .map(|s| match *s {
            Step::Pair(i, j, _) => pair(a[i], b[j]).0,
            Step::OnlyA(_) | Step::OnlyB(_) => GAP,
        })
        .sum()
}

fn hirschberg(a: &[Token], b: &[Token], a0: usize, b0: usize, limit: usize, out: &mut Vec<Step>) {
    if a.is_empty() {
        out.extend((0..b.len()).map(|j| Step::OnlyB(b0 + j)));
        return;
    }
    if b.is_empty() {
        out.extend((0..a.len()).map(|i| Step::OnlyA(a0 + i)));
        return;
    }
    if a.len() == 1 || b.len() == 1 || a.len().saturating_mul(b.len()) <= limit {
        full_matrix(a, b, a0, b0, out);
        return;
    }
    let mid = a.len() / 2;
    let left = last_row(a[..mid].iter().copied(), b.iter().copied(), b.len());
    let right = last_row(a[mid..].iter().rev().copied(), b.iter().rev().copied(), b.len());
    // Split b where the two halves' scores add up best (the first such place).
    let mut best = (i32::MIN, 0);
    for k in 0..=b.len() {
        let total = left[k] + right[b.len() - k];
        if total > best.0 {
            best = (total, k);
        }
    }
    let k = best.1;
    hirschberg(&a[..mid], &b[..k], a0, b0, limit, out);
    hirschberg(&a[mid..], &b[k..], a0 + mid, b0 + k, limit, out);
}

/// The last row of the Needleman–Wunsch score matrix of `a` against `b`.
fn last_row(a: impl Iterator<Item = Token>, b: impl Iterator<Item = Token> + Clone, b_len: usize) -> Vec<i32> {
    let b: Vec<Token> = b.collect();
    let mut row: Vec<i32> = (0..=b_len as i32).map(|j| j * GAP).collect();
    for (i, x) in a.enumerate() {
        let mut diagonal = row[0];
        row[0] = (i as i32 + 1) * GAP;
        for (j, &y) in b.iter().enumerate() {
            let up = row[j + 1];
            let best = (diagonal + pair(x, y).0).max(up + GAP).max(row[j] + GAP);
            diagonal = up;
            row[j + 1] = best;
        }
    }
    row
}

const DIAGONAL: u8 = 0;
const UP: u8 = 1;
const LEFT: u8 = 2;

fn full_matrix(a: &[Token], b: &[Token], a0: usize, b0: usize, out: &mut Vec<Step>) {
    let (n, m) = (a.len(), b.len());
    let width = m + 1;
    let mut from = vec![0u8; (n + 1) * width];
    let mut row: Vec<i32> = (0..=m as i32).map(|j| j * GAP).collect();
    for cell in from.iter_mut().take(width).skip(1) {
        *cell = LEFT;
    }
    for i in 1..=n {
        let mut diagonal = row[0];
        row[0] = i as i32 * GAP;
        from[i * width] = UP;
        for j in 1..=m {
            let up = row[j];
            let d = diagonal + pair(a[i - 1], b[j - 1]).0;
            let u = up + GAP;
            let l = row[j - 1] + GAP;
            // Ties prefer the diagonal, then a gap in b: deterministic.
            let (best, dir) = if d >= u && d >= l {
                (d, DIAGONAL)
            } else if u >= l {
                (u, UP)
            } else {
                (l, LEFT)
            };
            diagonal = up;
            row[j] = best;
            from[i * width + j] = dir;
        }
    }
    let start = out.len();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        match from[i * width + j] {
            DIAGONAL if i > 0 && j > 0 => {
                out.push(Step::Pair(a0 + i - 1, b0 + j - 1, pair(a[i - 1], b[j - 1]).1));
                i -= 1;
                j -= 1;
            }
            UP if i > 0 => {
                out.push(Step::OnlyA(a0 + i - 1));
                i -= 1;
            }
            _ => {
                out.push(Step::OnlyB(b0 + j - 1));
                j -= 1;
            }
        }
    }
    out[start..].reverse();
}
