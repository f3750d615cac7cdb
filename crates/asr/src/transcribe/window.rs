//! Speech chunks packed into full Whisper windows.
//!
//! Whisper's encoder hears 30 seconds at a time, and an encoder pass costs the
//! same whether the window holds one short sentence or 30 s of talk; on the
//! CPU it is most of the cost. The chunker ([`super::vad`]) cuts the speech at
//! its pauses; the packer joins consecutive chunks into windows of up to
//! [`PackOptions::max_window_secs`], the pause between two chunks shortened to
//! [`PackOptions::join_secs`] of silence, and ends each window at the longest
//! pause among those that leave it at least [`PackOptions::min_fill_secs`]
//! long. Whisper also gets more context per window, which helps its accuracy.
//! Times stay absolute: a window remembers where each of its pieces comes from
//! ([`Chunk::absolute_ms`]).

use std::collections::VecDeque;

use super::vad::{Chunk, Piece};

/// Samples per second.
const RATE: f32 = 16_000.0;

/// How chunks are packed into windows.
#[derive(Debug, Clone, PartialEq)]
pub struct PackOptions {
    /// Longest window, in seconds (Whisper's is 30 s).
    pub max_window_secs: f32,
    /// A window is not ended before it is this long if a later pause fits (seconds).
    pub min_fill_secs: f32,
    /// Silence put between two chunks joined in a window (seconds; shorter gaps are kept as they are).
    pub join_secs: f32,
}

impl Default for PackOptions {
    fn default() -> Self {
        PackOptions { max_window_secs: 30.0, min_fill_secs: 20.0, join_secs: 0.3 }
    }
}

/// Joins a stream of chunks (in recording order) into windows.
#[derive(Debug)]
pub struct Packer {
    options: PackOptions,
    pending: VecDeque<Chunk>,
    next_index: usize,
}

/// Absolute end of a chunk, in samples.
fn end_sample(chunk: &Chunk) -> u64 {
    match chunk.pieces.last() {
        Some(p) => p.start_sample + (chunk.samples.len() as u64 - p.at_sample),
        None => chunk.start_sample + chunk.samples.len() as u64,
    }
}

impl Packer {
    /// A packer with `options`.
    pub fn new(options: PackOptions) -> Self {
        Packer { options, pending: VecDeque::new(), next_index: 0 }
    }

    fn secs(&self, secs: f32) -> u64 {
        (secs.max(0.0) * RATE) as u64
    }

    /// Samples of silence put between pending chunks `k` and `k + 1`.
    fn join(&self, k: usize) -> u64 {
        let gap = self.pending[k + 1].start_sample.saturating_sub(end_sample(&self.pending[k]));
        gap.min(self.secs(self.options.join_secs))
    }

    /// The pause in the recording after pending chunk `k`, in samples.
    fn pause_after(&self, k: usize) -> u64 {
        self.pending.get(k + 1).map_or(0, |next| next.start_sample.saturating_sub(end_sample(&self.pending[k])))
    }

    /// Window lengths (samples) of the first 1, 2, ... pending chunks.
    fn lengths(&self) -> Vec<u64> {
        let mut total = 0;
        (0..self.pending.len())
            .map(|k| {
                total += self.pending[k].samples.len() as u64 + if k > 0 { self.join(k - 1) } else { 0 };
                total
            })
            .collect()
    }

    /// Adds a chunk; returns the windows that are complete.
    pub fn push(&mut self, chunk: Chunk) -> Vec<Chunk> {
        self.pending.push_back(chunk);
        let max = self.secs(self.options.max_window_secs);
        let mut out = Vec::new();
        while self.lengths().last().is_some_and(|&n| n > max) {
            out.push(self.cut());
        }
        out
    }

    /// Ends the stream; returns the last windows.
    pub fn finish(&mut self) -> Vec<Chunk> {
        let max = self.secs(self.options.max_window_secs);
        let mut out = Vec::new();
        while let Some(&total) = self.lengths().last() {
            if total <= max {
                let n = self.pending.len();
                out.push(self.emit(n));
            } else {
                out.push(self.cut());
            }
        }
        out
    }

    /// Emits the first window of the pending chunks, which do not all fit.
    fn cut(&mut self) -> Chunk {
        let lengths = self.lengths();
        let max = self.secs(self.options.max_window_secs);
        let min_fill = self.secs(self.options.min_fill_secs);
        // k chunks fit; among the ends that fill the window enough, the longest pause (later on ties).
        let fits: Vec<usize> = (1..lengths.len()).filter(|&k| lengths[k - 1] <= max).collect();
        let best = fits
            .iter()
            .copied()
            .filter(|&k| lengths[k - 1] >= min_fill)
            .max_by_key(|&k| (self.pause_after(k - 1), k))
            .or_else(|| fits.last().copied())
            .unwrap_or(1);
        self.emit(best)
    }

    /// Joins the first `k` pending chunks into one window.
    fn emit(&mut self, k: usize) -> Chunk {
        let joins: Vec<u64> = (0..k.saturating_sub(1)).map(|j| self.join(j)).collect();
        let mut samples = Vec::new();
        let mut speech = Vec::new();
        let mut pieces = Vec::new();
        let mut start_sample = 0;
        for (j, chunk) in self.pending.drain(..k).enumerate() {
            if j == 0 {
                start_sample = chunk.start_sample;
            } else {
                samples.resize(samples.len() + joins[j - 1] as usize, 0.0);
            }
            let at = samples.len() as u64;
            let at_ms = at * 1000 / RATE as u64;
            speech.extend(chunk.speech.iter().map(|&(a, b)| (a + at_ms, b + at_ms)));
            if chunk.pieces.is_empty() {
                pieces.push(Piece { at_sample: at, start_sample: chunk.start_sample });
            } else {
                pieces.extend(chunk.pieces.iter().map(|p| Piece { at_sample: at + p.at_sample, ..*p }));
            }
            samples.extend_from_slice(&chunk.samples);
        }
        let index = self.next_index;
        self.next_index += 1;
        Chunk { index, start_sample, samples, speech, pieces }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chunk of `secs` seconds of speech starting at `start` s.
    fn chunk(start: f32, secs: f32) -> Chunk {
        let n = (secs * RATE) as usize;
        Chunk {
            index: 0,
            start_sample: (start * RATE) as u64,
            samples: vec![0.1; n],
            speech: vec![(0, (secs * 1000.0) as u64)],
            pieces: Vec::new(),
        }
    }

    fn pack(chunks: Vec<Chunk>) -> Vec<Chunk> {
        let mut packer = Packer::new(PackOptions::default());
        let mut out: Vec<Chunk> = chunks.into_iter().flat_map(|c| packer.push(c)).collect();
        out.extend(packer.finish());
        out
    }

    #[test]
    fn short_chunks_fill_windows_and_keep_absolute_times() {
        // Six 8-second sentences, 2 s apart: 0-8, 10-18, ..., 50-58.
        let chunks: Vec<Chunk> = (0..6).map(|k| chunk(k as f32 * 10.0, 8.0)).collect();
        let windows = pack(chunks);
        assert_eq!(windows.len(), 2, "{:?}", windows.iter().map(|w| w.duration_ms()).collect::<Vec<_>>());
        assert_eq!(windows.iter().map(|w| w.index).collect::<Vec<_>>(), vec![0, 1]);
        for w in &windows {
            // Three sentences and two joins of 0.3 s.
            assert_eq!(w.duration_ms(), 24_600);
            assert_eq!(w.speech.len(), 3);
        }
        let second = &windows[1];
        assert_eq!(second.start_ms(), 30_000);
        // The second sentence of the second window starts 8.3 s into it: 40 s in the recording.
        assert_eq!(second.speech[1], (8_300, 16_300));
        assert_eq!(second.absolute_ms(8_300), 40_000);
        assert_eq!(second.absolute_ms(12_000), 43_700);
        // A time in the join stays with the sentence before it.
        assert_eq!(second.absolute_ms(8_100), 38_100);
        assert_eq!(second.end_ms(), 58_000);
    }

    #[test]
    fn windows_end_at_the_longest_pause_that_fills_them() {
        // 11 s, pause 0.5, 11 s, pause 3, 5 s, pause 0.6, 5 s, pause 0.4, 20 s.
        let chunks = vec![chunk(0.0, 11.0), chunk(11.5, 11.0), chunk(25.5, 5.0), chunk(31.1, 5.0), chunk(36.5, 20.0)];
        let windows = pack(chunks);
        let spans: Vec<(u64, u64)> = windows.iter().map(|w| (w.start_ms(), w.end_ms())).collect();
        // Two chunks (22.3 s) and three (27.6 s) both fill the first window; the pause after two
        // is the longer one. Four would not fit (32.9 s).
        assert_eq!(spans, vec![(0, 22_500), (25_500, 36_100), (36_500, 56_500)]);
        assert_eq!(windows[0].duration_ms(), 11_000 + 300 + 11_000);
        // Nothing fills the second window to 20 s: as much as fits.
        assert_eq!(windows[1].duration_ms(), 10_300);
    }

    #[test]
    fn contiguous_chunks_join_without_silence_and_long_chunks_stand_alone() {
        let windows = pack(vec![chunk(0.0, 29.0), chunk(29.0, 29.5), chunk(58.5, 0.4)]);
        assert_eq!(windows.len(), 2);
        assert_eq!(windows[0].duration_ms(), 29_000);
        assert_eq!(windows[1].duration_ms(), 29_900);
        assert_eq!(windows[1].absolute_ms(29_600), 58_600);
        assert!(pack(Vec::new()).is_empty());
    }
}
