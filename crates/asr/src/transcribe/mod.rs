//! Recordings to timed transcripts with Whisper (whisper.cpp through whisper-rs).
//!
//! The recording is decoded as a stream, cut at pauses into chunks ([`vad`]),
//! the chunks packed into windows of up to 30 s ([`window`]), and the windows
//! decoded in parallel by a pool of workers, each with its own whisper.cpp
//! state ([`engine`]). Windows are decoded in runs of a few consecutive
//! ones ([`RUN_WINDOWS`]): within a run the text of one window primes the
//! next ([`context`]), runs are decoded in parallel, so the output does not
//! depend on which worker took what. Each window's segments pass the
//! hallucination and repetition [`guards`], and their words get times on the
//! recording's timeline ([`words`]). Segments are then grouped into
//! paragraphs that break at pauses ([`assemble`]).

pub mod assemble;
pub mod context;
pub mod engine;
pub mod glossary;
pub mod guards;
pub mod vad;
pub mod window;
pub mod words;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rapporteur_core::{Session, Transcript};
use rayon::prelude::*;

use crate::audio::{AudioError, AudioStream};
use engine::{ChunkOutput, DecodeOptions, Engine, EngineState, RawSegment};
use glossary::GlossaryError;
use guards::{Candidate, GuardReport};
use vad::{Chunk, Chunker, VadOptions};
use window::{PackOptions, Packer};

/// Transcription failed.
#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    /// The model file is missing, not a Whisper model, or cannot be loaded.
    #[error("model {path}: {message}")]
    Model {
        /// The model file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// whisper.cpp failed on a chunk.
    #[error("whisper.cpp failed: {0}")]
    Whisper(String),
    /// The recording could not be decoded.
    #[error(transparent)]
    Audio(#[from] AudioError),
    /// The glossary could not be used.
    #[error(transparent)]
    Glossary(#[from] GlossaryError),
    /// The options do not fit the model.
    #[error("{0}")]
    Options(String),
}

/// How many chunks are decoded at once, and with how many threads each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadPlan {
    /// Chunks decoded in parallel.
    pub workers: usize,
    /// whisper.cpp threads per chunk.
    pub whisper_threads: usize,
}

impl ThreadPlan {
    /// The default split of `threads` cores: one worker per core, one
    /// whisper.cpp thread each. whisper.cpp's threads synchronise at every
    /// layer, so independent windows use cores better: on this project's
    /// 2-core machine, 2 workers × 1 thread took less CPU time than 1 × 2
    /// (the last case of `cargo run --release -p rapporteur-asr --example
    /// levers`, and the README's peer table).
    pub fn for_threads(threads: usize) -> Self {
        ThreadPlan { workers: threads.max(1), whisper_threads: 1 }
    }

    /// Every available core.
    pub fn all_cores() -> Self {
        Self::for_threads(std::thread::available_parallelism().map_or(1, |n| n.get()))
    }
}

/// How to transcribe.
#[derive(Debug, Clone, PartialEq)]
pub struct TranscribeOptions {
    /// Language code, or `None` to detect it (multilingual models; English-only models use `en`).
    pub language: Option<String>,
    /// Workers and threads.
    pub threads: ThreadPlan,
    /// Initial prompt (a glossary), already checked to fit.
    pub prompt: Option<String>,
    /// 1 for greedy decoding, more for beam search.
    pub beam_size: usize,
    /// Voice activity detection and chunking.
    pub vad: VadOptions,
    /// How chunks are packed into windows (`None`: each chunk is a window).
    pub pack: Option<PackOptions>,
    /// Fit the encoder's context to each window (with a margin) instead of
    /// hearing a full 30 s: the encoder's cost follows the window's length.
    /// On by default: on the 194-second peer recording it took 9% less CPU
    /// time with a WER of 14.4% against 14.8% (`examples/levers.rs`, `fit=1`).
    pub fit_audio_ctx: bool,
    /// Temperature fallback (whisper.cpp's defaults).
    pub fallback: engine::Fallback,
    /// Windows decoded in order by one worker, each primed with the text of
    /// the one before it: words cut at a window's start, names and recurring
    /// terms are heard in context. 1: every window on its own. Default
    /// [`RUN_WINDOWS`].
    pub context_run: usize,
}

impl Default for TranscribeOptions {
    fn default() -> Self {
        TranscribeOptions {
            language: None,
            threads: ThreadPlan::all_cores(),
            prompt: None,
            beam_size: 1,
            vad: VadOptions::default(),
            pack: Some(PackOptions::default()),
            fit_audio_ctx: true,
            fallback: engine::Fallback::default(),
            context_run: RUN_WINDOWS,
        }
    }
}

/// Changes when the same options would decode the same audio to other
/// words (a cached transcript from an older decoder is then redone).
/// 2: the previous window's text is carried as context within runs.
pub const DECODING_REVISION: u32 = 2;

/// Consecutive windows decoded in order by one worker, with context
/// carried, (about two minutes of speech): long enough that most windows have
/// the one before them as context, short enough that a 3-minute recording
/// still keeps two workers busy.
pub const RUN_WINDOWS: usize = 4;

/// A transcript and how it was made.
#[derive(Debug, Clone)]
pub struct Transcription {
    /// The transcript: `source: asr`, `timing: exact`, words filled.
    pub transcript: Transcript,
    /// The language used (given or detected).
    pub language: Option<String>,
    /// Seconds of audio decoded.
    pub audio_secs: f64,
    /// Seconds of audio in speech chunks (what Whisper heard).
    pub speech_secs: f64,
    /// Windows decoded.
    pub chunks: usize,
    /// Stretches of speech a window wrote nothing for, decoded again on their own.
    pub redecoded: usize,
    /// What the guards removed.
    pub guards: GuardReport,
    /// Warnings about the input.
    pub warnings: Vec<String>,
}

/// A model and options, ready to transcribe any number of recordings.
#[derive(Debug)]
pub struct Transcriber {
    engine: Engine,
    options: TranscribeOptions,
    pool: rayon::ThreadPool,
}

/// The windows of a stream, pulled one at a time.
struct ChunkSource<'a> {
    stream: &'a mut AudioStream,
    chunker: Chunker,
    packer: Option<Packer>,
    ready: VecDeque<Chunk>,
    done: bool,
}

impl ChunkSource<'_> {
    fn add(&mut self, chunks: Vec<Chunk>, last: bool) {
        match &mut self.packer {
            None => self.ready.extend(chunks),
            Some(packer) => {
                for chunk in chunks {
                    self.ready.extend(packer.push(chunk));
                }
                if last {
                    self.ready.extend(packer.finish());
                }
            }
        }
    }
}

impl Iterator for ChunkSource<'_> {
    type Item = Result<Chunk, AudioError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(chunk) = self.ready.pop_front() {
                return Some(Ok(chunk));
            }
            if self.done {
                return None;
            }
            match self.stream.next_block() {
                Ok(Some(block)) => {
                    let chunks = self.chunker.push(&block);
                    self.add(chunks, false);
                }
                Ok(None) => {
                    self.done = true;
                    let chunks = self.chunker.finish();
                    self.add(chunks, true);
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

impl Transcriber {
    /// A transcriber with a loaded model.
    pub fn new(engine: Engine, options: TranscribeOptions) -> Result<Self, TranscribeError> {
        if let Some(lang) = options.language.as_deref() {
            if !engine::is_language(lang) {
                return Err(TranscribeError::Options(format!(
                    "unknown language `{lang}`: use a Whisper language code such as en, fr, es, ar, zh, ru"
                )));
            }
            if !engine.hparams().is_multilingual() && lang != "en" {
                return Err(TranscribeError::Options(format!(
                    "the model is English-only ({}); for `{lang}` use a multilingual model (scripts/install-models.sh --base)",
                    engine.hparams().model_type()
                )));
            }
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(options.threads.workers.max(1))
            .thread_name(|i| format!("whisper-{i}"))
            .build()
            .map_err(|e| TranscribeError::Options(format!("cannot start worker threads: {e}")))?;
        Ok(Transcriber { engine, options, pool })
    }

    /// The model.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The options.
    pub fn options(&self) -> &TranscribeOptions {
        &self.options
    }

    fn decode_options(&self, language: Option<String>) -> DecodeOptions {
        DecodeOptions {
            language,
            threads: self.options.threads.whisper_threads,
            prompt: self.options.prompt.clone(),
            context: Vec::new(),
            beam_size: self.options.beam_size,
            fit_audio_ctx: self.options.fit_audio_ctx,
            fallback: self.options.fallback,
        }
    }

    /// Transcribes a stream. `progress` is called with the seconds of audio
    /// done so far (the end of the latest chunk decoded).
    pub fn transcribe(
        &self,
        stream: &mut AudioStream,
        session: Session,
        progress: &(dyn Fn(f64) + Sync),
    ) -> Result<Transcription, TranscribeError> {
        let mut source = ChunkSource {
            stream,
            chunker: Chunker::new(self.options.vad.clone()),
            packer: self.options.pack.clone().map(Packer::new),
            ready: VecDeque::new(),
            done: false,
        };

        // A multilingual model without a language hears the first chunk in
        // "auto" mode; the language found there is used for the whole recording.
        let mut results: Vec<Decoded> = Vec::new();
        let mut language = self.options.language.clone();
        if language.is_none() && self.engine.hparams().is_multilingual() {
            if let Some(first) = source.next() {
                let first = first?;
                let output = decode_chunk(&mut self.engine.state()?, &first, &self.decode_options(None))?;
                language = output.language.clone();
                progress(first.end_ms() as f64 / 1000.0);
                results.push(Decoded::guarded(first, output, &self.engine));
            }
        }
        if !self.engine.hparams().is_multilingual() {
            language = Some("en".into());
        }

        let options = self.decode_options(language.clone());
        let run_length = self.options.context_run.max(1);
        let carrier = match run_length > 1 {
            true => Some(context::Carrier::new(&self.engine, options.prompt.as_deref())?),
            false => None,
        };
        let done_ms = AtomicU64::new(0);
        let source = Mutex::new(source);
        // Runs of consecutive windows (a decoding error ends a run).
        let runs = std::iter::from_fn(|| {
            let mut source = source.lock().ok()?;
            let mut run = Vec::new();
            while run.len() < run_length {
                match source.next() {
                    Some(Ok(chunk)) => run.push(Ok(chunk)),
                    Some(Err(e)) => {
                        run.push(Err(e));
                        break;
                    }
                    None => break,
                }
            }
            (!run.is_empty()).then_some(run)
        });
        let decoded: Vec<Result<Vec<Decoded>, TranscribeError>> = self.pool.install(|| {
            runs.par_bridge()
                .map_init(
                    || self.engine.state(),
                    |state, run| {
                        let state = state.as_mut().map_err(|e| TranscribeError::Whisper(e.to_string()))?;
                        let mut previous: Vec<i32> = Vec::new();
                        let mut out = Vec::with_capacity(run.len());
                        for chunk in run {
                            let chunk = chunk?;
                            let context = carrier.as_ref().map(|c| c.context(&previous)).unwrap_or_default();
                            let options = DecodeOptions { context, ..options.clone() };
                            let output = decode_chunk(state, &chunk, &options)?;
                            let mut decoded = Decoded::guarded(chunk, output, &self.engine);
                            previous = std::mem::take(&mut decoded.context);
                            let end = decoded.chunk.end_ms();
                            let before = done_ms.fetch_max(end, Ordering::Relaxed);
                            progress(before.max(end) as f64 / 1000.0);
                            out.push(decoded);
                        }
                        Ok(out)
                    },
                )
                .collect()
        });
        for run in decoded {
            results.extend(run?);
        }
        results.sort_by_key(|d| d.chunk.index);

        let source = source.into_inner().map_err(|_| TranscribeError::Whisper("a worker panicked".into()))?;
        let audio_secs = source.stream.samples_read() as f64 / 16_000.0;
        let warnings = source.stream.take_warnings();
        let speech_secs = results.iter().map(|d| d.chunk.duration_ms()).sum::<u64>() as f64 / 1000.0;
        let chunks = results.len();
        let redecoded = results.iter().map(|d| d.redecoded).sum();
        let mut report = GuardReport::default();
        let mut placed = Vec::new();
        for decoded in results {
            report.add(decoded.report);
            placed.extend(assemble::place(&decoded.chunk, decoded.kept));
        }
        let mut session = session;
        if session.language.is_none() {
            session.language = language.clone();
        }
        let mut transcript = Transcript::new(session);
        transcript.segments = assemble::paragraphs(placed, &assemble::ParagraphOptions::default());
        Ok(Transcription { transcript, language, audio_secs, speech_secs, chunks, redecoded, guards: report, warnings })
    }
}

/// A window decoded and checked by the guards.
struct Decoded {
    chunk: Chunk,
    kept: Vec<Candidate>,
    report: GuardReport,
    redecoded: usize,
    /// The kept segments' tokens, the next window's context: a loop or an
    /// invented phrase the guards removed is not passed on, and nothing is
    /// after a loop.
    context: Vec<i32>,
}

impl Decoded {
    fn guarded(chunk: Chunk, output: ChunkOutput, engine: &Engine) -> Self {
        let candidates: Vec<Candidate> = output
            .segments
            .iter()
            .map(|s| Candidate {
                start_ms: s.start_ms,
                end_ms: s.end_ms,
                words: words::words_from_tokens(&s.tokens, s.end_ms),
                no_speech_probability: s.no_speech_probability,
                average_log_probability: s.average_log_probability(),
            })
            .collect();
        let (kept, report) = guards::apply(candidates);
        let context = if report.repetitions > 0 {
            Vec::new()
        } else {
            output
                .segments
                .iter()
                .filter(|s| kept.iter().any(|k| k.start_ms == s.start_ms))
                .flat_map(|s| s.tokens.iter().map(|t| t.id))
                .filter(|&id| engine.is_context_token(id))
                .collect()
        };
        Decoded { chunk, kept, report, redecoded: output.redecoded, context }
    }
}

/// Shortest stretch of detected speech worth decoding again when nothing was written for it.
const MISSED_SPEECH_MS: u64 = 500;

/// Decodes a chunk, then decodes again, on their own, the stretches of
/// speech it wrote nothing for: Whisper sometimes stops at a pause inside
/// its window and never writes what follows.
fn decode_chunk(
    state: &mut EngineState<'_>,
    chunk: &Chunk,
    options: &DecodeOptions,
) -> Result<ChunkOutput, TranscribeError> {
    let mut output = state.decode(&chunk.samples, options)?;
    let length = chunk.duration_ms();
    for (start, end) in missed_speech(&chunk.speech, &output.segments) {
        let from = start.saturating_sub(200);
        let to = (end + 200).min(length);
        let at = |ms: u64| ((ms * 16) as usize).min(chunk.samples.len());
        let Some(samples) = chunk.samples.get(at(from)..at(to)) else { continue };
        // A stretch is short: an encoder context fitted to it costs a fraction of a full window's.
        let extra = state.decode(samples, &DecodeOptions { fit_audio_ctx: true, ..options.clone() })?;
        output.redecoded += 1;
        for mut segment in extra.segments {
            segment.start_ms += from;
            segment.end_ms += from;
            for token in &mut segment.tokens {
                token.start_ms += from;
                token.end_ms += from;
                token.dtw_ms = token.dtw_ms.map(|t| t + from);
            }
            output.segments.push(segment);
        }
    }
    output.segments.sort_by_key(|s| s.start_ms);
    Ok(output)
}

/// Speech regions (ms) of at least [`MISSED_SPEECH_MS`] that no text token
/// overlaps, with neighbours closer than 2 s joined.
pub fn missed_speech(speech: &[(u64, u64)], segments: &[RawSegment]) -> Vec<(u64, u64)> {
    let tokens: Vec<(u64, u64)> = segments
        .iter()
        .flat_map(|s| s.tokens.iter())
        .filter(|t| !t.special && !t.bytes.iter().all(u8::is_ascii_whitespace))
        .map(|t| (t.start_ms, t.end_ms.max(t.start_ms + 1)))
        .collect();
    let mut missed: Vec<(u64, u64)> = Vec::new();
    for &(start, end) in speech {
        if end - start < MISSED_SPEECH_MS || tokens.iter().any(|&(a, b)| a < end && b > start) {
            continue;
        }
        match missed.last_mut() {
            Some(last) if start.saturating_sub(last.1) < 2_000 && end - last.0 <= 30_000 => last.1 = end,
            _ => missed.push((start, end)),
        }
    }
    missed
}
