//! Voice activity detection: a recording cut at pauses into chunks of at most
//! 30 seconds of speech, silence left out.
//!
//! Whisper hears 30-second windows. Cutting inside a word loses it, and
//! feeding it silence makes it invent text, so the recording is cut where
//! nobody speaks. Speech is told from silence by frame energy against an
//! adaptive noise floor (the quiet end of the last half minute), with
//! hysteresis so that a breath or a plosive does not flip the decision.
//!
//! The chunker is streaming: it holds at most one window of audio (30 s plus
//! a few seconds of look-ahead), whatever the length of the recording.

/// Samples per second.
const RATE: usize = 16_000;
/// Analysis frame: 20 ms.
pub const FRAME: usize = RATE / 50;

/// How speech is found and chunks are cut.
#[derive(Debug, Clone, PartialEq)]
pub struct VadOptions {
    /// Longest chunk, in seconds (Whisper's window is 30 s).
    pub max_chunk_secs: f32,
    /// A pause at least this long always ends a chunk (seconds). Short,
    /// since chunks are then packed into full windows ([`super::window`]):
    /// the packer needs places to end a window, and the silence of a long
    /// pause is not worth an encoder's time.
    pub split_pause_secs: f32,
    /// Shortest pause that counts as a place to cut (seconds).
    pub min_pause_secs: f32,
    /// Shortest burst of energy that counts as speech (seconds).
    pub min_speech_secs: f32,
    /// Audio kept before and after speech (seconds).
    pub pad_secs: f32,
    /// Speech is this many dB above the noise floor.
    pub threshold_db: f32,
    /// Frames quieter than this (dBFS) are never speech.
    pub min_level_dbfs: f32,
}

impl Default for VadOptions {
    fn default() -> Self {
        VadOptions {
            max_chunk_secs: 30.0,
            split_pause_secs: 0.6,
            min_pause_secs: 0.3,
            min_speech_secs: 0.25,
            pad_secs: 0.2,
            threshold_db: 12.0,
            min_level_dbfs: -55.0,
        }
    }
}

/// A stretch of the recording to transcribe.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// Position in the order of the recording (0, 1, 2, ...).
    pub index: usize,
    /// Absolute start, in samples from the start of the recording.
    pub start_sample: u64,
    /// The samples.
    pub samples: Vec<f32>,
    /// Where the detector heard speech, in ms from the chunk's start.
    pub speech: Vec<(u64, u64)>,
    /// Where the pieces of a packed window come from ([`super::window`]);
    /// empty for a chunk of contiguous audio.
    pub pieces: Vec<Piece>,
}

/// One stretch of contiguous audio inside a packed window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// Where it starts in the window, in samples.
    pub at_sample: u64,
    /// Where it starts in the recording, in samples.
    pub start_sample: u64,
}

impl Chunk {
    /// Absolute start in milliseconds.
    pub fn start_ms(&self) -> u64 {
        self.start_sample * 1000 / RATE as u64
    }

    /// Duration in milliseconds (of the samples Whisper hears).
    pub fn duration_ms(&self) -> u64 {
        self.samples.len() as u64 * 1000 / RATE as u64
    }

    /// Absolute end in milliseconds.
    pub fn end_ms(&self) -> u64 {
        self.absolute_ms(self.duration_ms())
    }

    /// A time in the chunk (ms from its start) on the recording's timeline.
    /// In a packed window, a time in the short silence put between two
    /// pieces stays with the piece before it (never past the next one).
    pub fn absolute_ms(&self, ms: u64) -> u64 {
        let to_ms = |samples: u64| samples * 1000 / RATE as u64;
        let i = self.pieces.partition_point(|p| to_ms(p.at_sample) <= ms);
        match i.checked_sub(1).and_then(|k| self.pieces.get(k)) {
            None => self.start_ms() + ms,
            Some(piece) => {
                let at = to_ms(piece.start_sample) + (ms - to_ms(piece.at_sample));
                self.pieces.get(i).map_or(at, |next| at.min(to_ms(next.start_sample)))
            }
        }
    }
}

/// Frame level in dBFS (RMS).
fn frame_db(frame: &[f32]) -> f32 {
    let energy = frame.iter().map(|x| x * x).sum::<f32>() / frame.len().max(1) as f32;
    10.0 * (energy + 1e-12).log10()
}

/// Cuts a stream of 16 kHz samples into speech chunks.
#[derive(Debug)]
pub struct Chunker {
    options: VadOptions,
    /// Samples not yet emitted or dropped, starting at `start`.
    buffer: Vec<f32>,
    start: u64,
    /// Level of each whole frame of `buffer`.
    levels: Vec<f32>,
    next_index: usize,
    /// Levels of recent frames, for the noise floor (a ring of ~30 s).
    history: Vec<f32>,
    history_pos: usize,
}

impl Chunker {
    /// A chunker with `options`.
    pub fn new(options: VadOptions) -> Self {
        Chunker {
            options,
            buffer: Vec::new(),
            start: 0,
            levels: Vec::new(),
            next_index: 0,
            history: Vec::new(),
            history_pos: 0,
        }
    }

    fn frames(&self, secs: f32) -> usize {
        ((secs * RATE as f32) as usize).div_ceil(FRAME)
    }

    /// Adds samples; returns the chunks that are complete.
    pub fn push(&mut self, samples: &[f32]) -> Vec<Chunk> {
        let whole_before = self.buffer.len() / FRAME;
        self.buffer.extend_from_slice(samples);
        for f in whole_before..self.buffer.len() / FRAME {
            let level = frame_db(&self.buffer[f * FRAME..(f + 1) * FRAME]);
            self.levels.push(level);
            self.remember(level);
        }
        let mut chunks = Vec::new();
        // Decide once a full window and some look-ahead are buffered.
        let window = self.frames(self.options.max_chunk_secs + self.options.split_pause_secs + 1.0);
        while self.levels.len() >= window {
            if let Some(chunk) = self.cut(false) {
                chunks.push(chunk);
            }
        }
        chunks
    }

    /// Ends the stream; returns the last chunks.
    pub fn finish(&mut self) -> Vec<Chunk> {
        // A partial last frame counts as a frame.
        let whole = self.buffer.len() / FRAME;
        if self.buffer.len() > whole * FRAME {
            let level = frame_db(&self.buffer[whole * FRAME..]);
            self.levels.push(level);
            self.remember(level);
        }
        let mut chunks = Vec::new();
        while !self.levels.is_empty() {
            if let Some(chunk) = self.cut(true) {
                chunks.push(chunk);
            }
        }
        chunks
    }

    fn remember(&mut self, level: f32) {
        let cap = self.frames(30.0);
        if self.history.len() < cap {
            self.history.push(level);
        } else if let Some(slot) = self.history.get_mut(self.history_pos) {
            *slot = level;
        }
        self.history_pos = (self.history_pos + 1) % cap;
    }

    /// The level above which a frame is speech.
    fn threshold(&self) -> f32 {
        let mut sorted: Vec<f32> = self.history.iter().copied().filter(|l| l.is_finite()).collect();
        sorted.sort_by(|a, b| a.total_cmp(b));
        // The quiet end of the recent past is the room's noise.
        let floor = sorted.get(sorted.len() / 10).copied().unwrap_or(-120.0);
        (floor + self.options.threshold_db).max(self.options.min_level_dbfs)
    }

    /// Speech flags for the buffered frames, with short bursts and short gaps removed.
    fn speech_flags(&self) -> Vec<bool> {
        let threshold = self.threshold();
        let mut flags: Vec<bool> = self.levels.iter().map(|&l| l > threshold).collect();
        // Gaps shorter than a pause are inside speech (between words).
        fill_runs(&mut flags, false, self.frames(self.options.min_pause_secs));
        // Bursts shorter than a syllable are clicks.
        fill_runs(&mut flags, true, self.frames(self.options.min_speech_secs));
        flags
    }

    /// Emits (or drops) audio from the start of the buffer. With `at_end`,
    /// the buffer holds the rest of the recording.
    fn cut(&mut self, at_end: bool) -> Option<Chunk> {
        let flags = self.speech_flags();
        let pad = self.frames(self.options.pad_secs);
        let Some(first) = flags.iter().position(|&s| s) else {
            // No speech: drop all but the padding that may precede the next speech.
            let keep = if at_end { 0 } else { pad.min(flags.len()) };
            self.drop_frames(flags.len() - keep);
            return None;
        };
        let begin = first.saturating_sub(pad);
        let max_len = self.frames(self.options.max_chunk_secs);
        let limit = (begin + max_len).min(flags.len());
        let split_pause = self.frames(self.options.split_pause_secs);

        // Walk the speech runs inside the window; stop at a long pause.
        let n = flags.len();
        let mut end = None;
        let mut last_speech_end = first;
        let mut i = first;
        while i < limit {
            if flags[i] {
                let run_end = flags[i..].iter().position(|&s| !s).map_or(n, |k| i + k);
                if run_end == n && at_end && run_end <= begin + max_len {
                    // The recording ends while someone speaks.
                    end = Some(n);
                    break;
                }
                if run_end + pad > limit {
                    break;
                }
                last_speech_end = run_end;
                i = run_end;
            } else {
                let gap_end = flags[i..].iter().position(|&s| s).map_or(n, |k| i + k);
                if gap_end - i >= split_pause || (gap_end == n && at_end) {
                    end = Some(last_speech_end + pad);
                    break;
                }
                i = gap_end;
            }
        }
        // Without a long pause, the window is full of speech: cut at its best pause.
        let end = end.unwrap_or_else(|| self.best_cut(&flags, begin, limit, last_speech_end));
        let end = end.max(begin + 1).min(flags.len());
        let chunk = self.emit(begin, end, &flags);
        Some(chunk)
    }

    /// The middle of the longest pause in the second half of the window, or
    /// else the quietest frame of its last third.
    fn best_cut(&self, flags: &[bool], begin: usize, limit: usize, last_speech_end: usize) -> usize {
        let from = begin + (limit - begin) / 2;
        let mut best: Option<(usize, usize)> = None;
        let mut i = from;
        while i < limit {
            if flags[i] {
                i += 1;
                continue;
            }
            let gap_end = flags[i..limit].iter().position(|&s| s).map_or(limit, |n| i + n);
            if best.is_none_or(|(s, e)| gap_end - i >= e - s) {
                best = Some((i, gap_end));
            }
            i = gap_end;
        }
        if let Some((s, e)) = best {
            if e > s {
                return (s + e) / 2;
            }
        }
        if last_speech_end > from && last_speech_end < limit {
            return last_speech_end;
        }
        let tail = begin + (limit - begin) * 2 / 3;
        (tail..limit).min_by(|&a, &b| self.levels[a].total_cmp(&self.levels[b])).map_or(limit, |quietest| quietest + 1)
    }

    fn emit(&mut self, begin: usize, end: usize, flags: &[bool]) -> Chunk {
        let from = (begin * FRAME).min(self.buffer.len());
        let to = (end * FRAME).min(self.buffer.len());
        let frame_ms = (FRAME * 1000 / RATE) as u64;
        let mut speech = Vec::new();
        let mut i = begin;
        while i < end.min(flags.len()) {
            if !flags[i] {
                i += 1;
                continue;
            }
            let run_end = flags[i..end].iter().position(|&s| !s).map_or(end, |k| i + k);
            speech.push(((i - begin) as u64 * frame_ms, (run_end - begin) as u64 * frame_ms));
            i = run_end;
        }
        let chunk = Chunk {
            index: self.next_index,
            start_sample: self.start + from as u64,
            samples: self.buffer[from..to].to_vec(),
            speech,
            pieces: Vec::new(),
        };
        self.next_index += 1;
        self.drop_frames(end);
        chunk
    }

    fn drop_frames(&mut self, frames: usize) {
        let frames = frames.min(self.levels.len());
        let samples = (frames * FRAME).min(self.buffer.len());
        self.buffer.drain(..samples);
        self.levels.drain(..frames);
        self.start += samples as u64;
    }
}

/// Flips runs of `value` shorter than `min_len` that lie between runs of the
/// other value (runs touching the ends are kept).
fn fill_runs(flags: &mut [bool], value: bool, min_len: usize) {
    let mut i = 0;
    while i < flags.len() {
        if flags[i] != value {
            i += 1;
            continue;
        }
        let end = flags[i..].iter().position(|&f| f != value).map_or(flags.len(), |n| i + n);
        let inside = i > 0 && end < flags.len();
        // Short bursts of speech are removed even at the ends; short gaps only inside.
        if end - i < min_len && (inside || value) {
            flags[i..end].iter_mut().for_each(|f| *f = !value);
        }
        i = end;
    }
}

/// All chunks of a whole recording held in memory (for tests and short files).
pub fn chunk_all(samples: &[f32], options: &VadOptions) -> Vec<Chunk> {
    let mut chunker = Chunker::new(options.clone());
    let mut chunks = Vec::new();
    for block in samples.chunks(RATE) {
        chunks.extend(chunker.push(block));
    }
    chunks.extend(chunker.finish());
    chunks
}

#[cfg(test)]
mod tests;
