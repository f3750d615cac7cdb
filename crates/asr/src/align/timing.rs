//! Times for every caption word, from the anchored ones.
//!
//! A caption word tied to recognised words takes their span. A run of words
//! between two anchored ones shares the time between them: the span of the
//! recognised words in between when Whisper heard something there (what it
//! heard is what the captioner wrote, in other words), else the whole gap.
//! Words take time in proportion to their length; when the gap is longer
//! than they need at a normal speaking rate and a change of segment (speaker
//! turn, paragraph) falls inside it, the pause goes there, since people
//! pause between turns rather than inside words. Words before the first or
//! after the last anchor take the recognised words next to it (as many, if
//! close), else their length at the speaking rate.

use rapporteur_core::Word;

use super::anchors::AnchorKind;

/// The recognised words a caption word is tied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedSlot {
    /// Start of the first, ms.
    pub start_ms: u64,
    /// End of the last, ms.
    pub end_ms: u64,
    /// Index of the first ASR word.
    pub asr_first: usize,
    /// Index of the last ASR word.
    pub asr_last: usize,
    /// Matched when any of its tokens matched.
    pub kind: AnchorKind,
}

/// How a caption word got its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordTiming {
    /// From the recognised words it is tied to.
    Anchored(AnchorKind),
    /// Between its neighbours.
    Interpolated,
}

/// A caption word's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordTime {
    /// Start, ms.
    pub start_ms: u64,
    /// End, ms.
    pub end_ms: u64,
    /// How it was found.
    pub how: WordTiming,
}

/// Times for every caption word. `slots[k]` is word k's anchor (if any),
/// `words[k]` its (length in characters, segment index); `asr` the
/// recognised words; `ms_per_char` the speaking rate for unanchored words.
/// Times never go backwards from one word to the next.
pub fn word_times(
    slots: &[Option<TimedSlot>],
    words: &[(usize, usize)],
    asr: &[Word],
    ms_per_char: u64,
) -> Vec<WordTime> {
    let n = slots.len();
    let mut times: Vec<WordTime> = slots
        .iter()
        .map(|s| match s {
            Some(s) => WordTime { start_ms: s.start_ms, end_ms: s.end_ms, how: WordTiming::Anchored(s.kind) },
            None => WordTime { start_ms: 0, end_ms: 0, how: WordTiming::Interpolated },
        })
        .collect();
    let need = |k: usize| (words[k].0 as u64 + 1) * ms_per_char;
    let mut p = 0;
    while p < n {
        if slots[p].is_some() {
            p += 1;
            continue;
        }
        let mut q = p;
        while q < n && slots[q].is_none() {
            q += 1;
        }
        let natural: u64 = (p..q).map(need).sum();
        let left = p.checked_sub(1).and_then(|l| slots[l]);
        let right = slots.get(q).copied().flatten();
        let (from, to) = match (left, right) {
            (Some(l), Some(r)) => {
                let (lo, hi) = (l.end_ms, r.start_ms.max(l.end_ms));
                // Words Whisper heard between the two anchors.
                let heard = asr.get(l.asr_last + 1..r.asr_first).unwrap_or(&[]);
                match (heard.first(), heard.last()) {
                    (Some(a), Some(b)) => {
                        let (s, e) = (a.start.as_millis().max(lo), b.end.as_millis().min(hi));
                        if s < e {
                            (s, e)
                        } else {
                            (lo, hi)
                        }
                    }
                    _ => (lo, hi),
                }
            }
            // Before the first anchor: the words Whisper heard just before it,
            // as many as there are caption words and close enough, else the speaking rate.
            (None, Some(r)) => {
                let earliest = r.start_ms.saturating_sub(2 * natural + 1_000);
                let heard = &asr[..r.asr_first.min(asr.len())];
                let near = heard[heard.len().saturating_sub(q - p)..].iter().find(|w| w.start.as_millis() >= earliest);
                (near.map_or(r.start_ms.saturating_sub(natural), |w| w.start.as_millis().min(r.start_ms)), r.start_ms)
            }
            (Some(l), None) => {
                let latest = l.end_ms + 2 * natural + 1_000;
                let heard = asr.get(l.asr_last + 1..).unwrap_or(&[]);
                let near = heard[..heard.len().min(q - p)].iter().rev().find(|w| w.end.as_millis() <= latest);
                (l.end_ms, near.map_or(l.end_ms + natural, |w| w.end.as_millis().max(l.end_ms)))
            }
            (None, None) => (0, natural),
        };
        let units: Vec<u64> = (p..q).map(|k| words[k].0 as u64 + 1).collect();
        spread(&mut times[p..q], &units, (from, to), natural, &boundaries(words, p, q));
        p = q;
    }
    // Never backwards.
    let mut floor = 0;
    for t in &mut times {
        t.start_ms = t.start_ms.max(floor);
        t.end_ms = t.end_ms.max(t.start_ms);
        floor = t.start_ms;
    }
    times
}

/// Where a change of segment falls in the gap p..q: `b[k]` is true when one
/// falls just before gap word k (k = 0..=len, the last being before word q).
fn boundaries(words: &[(usize, usize)], p: usize, q: usize) -> Vec<bool> {
    (p..=q).map(|k| k > 0 && k < words.len() && words[k].1 != words[k - 1].1).collect()
}

/// Lays the gap's words (`units`: characters plus one each) over `span`:
/// at their natural length when there is room, the spare time at segment
/// changes when there are any (else spread over the words), squeezed in
/// proportion when there is not enough room.
fn spread(times: &mut [WordTime], units: &[u64], span: (u64, u64), natural: u64, at: &[bool]) {
    let (from, to) = span;
    let length = to.saturating_sub(from);
    let pauses = at.iter().filter(|b| **b).count() as u64;
    let total: u64 = units.iter().sum::<u64>().max(1);
    // Time for all the words, and spare time per pause.
    let (words_time, pause) =
        if length > natural && pauses > 0 { (natural, (length - natural) / pauses) } else { (length, 0) };
    let (mut before, mut paused) = (0u64, 0u64);
    for (k, time) in times.iter_mut().enumerate() {
        if at[k] {
            paused += pause;
        }
        time.start_ms = from + paused + before * words_time / total;
        before += units[k];
        time.end_ms = from + paused + before * words_time / total;
    }
}
