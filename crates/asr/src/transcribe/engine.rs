//! The one module that talks to whisper.cpp (through whisper-rs).
//!
//! Everything else in the crate sees plain Rust values: [`RawSegment`]s with
//! token bytes, times and probabilities, relative to the chunk they come from.

use std::path::Path;
use std::sync::Once;

use whisper_rs::{
    DtwMode, DtwModelPreset, DtwParameters, FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters,
    WhisperState,
};

use super::TranscribeError;
use crate::model::{Hparams, ModelHeader};

/// How to decode one chunk.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeOptions {
    /// Language code (`en`, `fr`), or `None` to detect it (multilingual models).
    pub language: Option<String>,
    /// whisper.cpp threads for this chunk.
    pub threads: usize,
    /// Text the decoder is primed with (glossary terms).
    pub prompt: Option<String>,
    /// Prompt tokens replacing `prompt` when not empty: the glossary's
    /// tokens, then those of what was said just before this chunk (text and
    /// timestamp tokens, as decoded): see [`super::context`].
    pub context: Vec<i32>,
    /// 1 for greedy decoding, more for beam search.
    pub beam_size: usize,
    /// Shrink the encoder's context to the chunk's length (faster on short
    /// chunks, at some risk to accuracy).
    pub fit_audio_ctx: bool,
    /// When a decoded window is decoded again at a higher temperature.
    pub fallback: Fallback,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            language: None,
            threads: 1,
            prompt: None,
            context: Vec::new(),
            beam_size: 1,
            fit_audio_ctx: false,
            fallback: Fallback::default(),
        }
    }
}

/// Temperature fallback: a window whose text looks like a loop (low entropy)
/// or is improbable (low mean log probability, unless it is likely silence)
/// is decoded again at a higher temperature, up to 1.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fallback {
    /// Temperature step between tries (0: decode once).
    pub temperature_step: f32,
    /// Below this entropy of the last tokens, the text counts as a loop.
    pub entropy_threshold: f32,
    /// Below this mean token log probability, the text counts as failed.
    pub log_probability_threshold: f32,
}

impl Default for Fallback {
    /// whisper.cpp's defaults, which are OpenAI's (and faster-whisper's
    /// `temperature` steps and `log_prob_threshold`; whisper.cpp measures
    /// loops by token entropy rather than the compression ratio).
    fn default() -> Self {
        Fallback { temperature_step: 0.2, entropy_threshold: 2.4, log_probability_threshold: -1.0 }
    }
}

/// How to load a model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Token times from cross-attention alignment (DTW), when the model's size is a known one.
    pub dtw: bool,
    /// whisper.cpp's flash-attention kernels (not with DTW, which needs the
    /// attention weights). Off by default: on the CPU, tiny.en took 23-39%
    /// more CPU time with them and its WER rose from 13.7% to 15.5% on the
    /// 194-second peer recording (`examples/levers.rs`, `flash=1`).
    pub flash_attn: bool,
}

/// One token as decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct RawToken {
    /// Its id in the model's vocabulary.
    pub id: i32,
    /// Its bytes (a token may hold part of a character).
    pub bytes: Vec<u8>,
    /// Start, ms from the chunk's start.
    pub start_ms: u64,
    /// End, ms from the chunk's start.
    pub end_ms: u64,
    /// The instant cross-attention alignment (DTW) puts the token at, when enabled.
    pub dtw_ms: Option<u64>,
    /// Its probability.
    pub probability: f32,
    /// Its log probability.
    pub log_probability: f32,
    /// A control or timestamp token rather than text.
    pub special: bool,
}

/// One segment as decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSegment {
    /// Start, ms from the chunk's start.
    pub start_ms: u64,
    /// End, ms from the chunk's start.
    pub end_ms: u64,
    /// The text.
    pub text: String,
    /// whisper.cpp's probability that the window holds no speech.
    pub no_speech_probability: f32,
    /// The tokens, special ones included.
    pub tokens: Vec<RawToken>,
}

impl RawSegment {
    /// Mean log probability of the text tokens (OpenAI's `avg_logprob`).
    pub fn average_log_probability(&self) -> f32 {
        let text: Vec<f32> = self.tokens.iter().filter(|t| !t.special).map(|t| t.log_probability).collect();
        if text.is_empty() {
            0.0
        } else {
            text.iter().sum::<f32>() / text.len() as f32
        }
    }
}

/// What a chunk decoded to.
#[derive(Debug, Clone, PartialEq)]
pub struct ChunkOutput {
    /// Segments, in order.
    pub segments: Vec<RawSegment>,
    /// The language used (given or detected).
    pub language: Option<String>,
    /// Stretches decoded again because the first pass wrote nothing for them.
    pub redecoded: usize,
}

/// A loaded Whisper model, shared by all workers.
pub struct Engine {
    context: WhisperContext,
    hparams: Hparams,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("hparams", &self.hparams).finish_non_exhaustive()
    }
}

/// Whether Whisper knows the language code (`en`, `fr`, `zh`, ...).
pub fn is_language(code: &str) -> bool {
    whisper_rs::get_lang_id(code).is_some()
}

static QUIET: Once = Once::new();

/// whisper.cpp's timing tables would flood the terminal; route them to nowhere.
fn silence_whisper_cpp() {
    QUIET.call_once(whisper_rs::install_logging_hooks);
}

fn dtw_preset(h: &Hparams) -> Option<DtwModelPreset> {
    let english = !h.is_multilingual();
    Some(match (h.model_type().trim_end_matches(".en"), english) {
        ("tiny", true) => DtwModelPreset::TinyEn,
        ("tiny", false) => DtwModelPreset::Tiny,
        ("base", true) => DtwModelPreset::BaseEn,
        ("base", false) => DtwModelPreset::Base,
        ("small", true) => DtwModelPreset::SmallEn,
        ("small", false) => DtwModelPreset::Small,
        ("medium", true) => DtwModelPreset::MediumEn,
        ("medium", false) => DtwModelPreset::Medium,
        ("large-v3", _) => DtwModelPreset::LargeV3,
        _ => return None,
    })
}

impl Engine {
    /// Loads a ggml model, checking its header first so that a file that is
    /// not a Whisper model gets a clear error instead of whisper.cpp's.
    /// With `dtw`, token times come from cross-attention alignment
    /// (more precise word times) when the model's size is a known one.
    pub fn load(path: &Path, dtw: bool) -> Result<Self, TranscribeError> {
        Self::load_with(path, &LoadOptions { dtw, ..LoadOptions::default() })
    }

    /// Loads a ggml model with `options` (see [`Engine::load`]).
    pub fn load_with(path: &Path, options: &LoadOptions) -> Result<Self, TranscribeError> {
        let model_error = |message: String| TranscribeError::Model { path: path.to_path_buf(), message };
        let header = ModelHeader::read_file(path).map_err(|e| model_error(e.to_string()))?;
        let expected_min = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if expected_min < 1_000_000 {
            return Err(model_error(format!(
                "{expected_min} bytes is a model header without weights; install a model with scripts/install-models.sh"
            )));
        }
        silence_whisper_cpp();
        let path_str = path.to_str().ok_or_else(|| model_error("the path is not UTF-8".into()))?;
        let mut params = WhisperContextParameters::default();
        params.use_gpu(false);
        // whisper.cpp turns DTW off when flash attention is on.
        params.flash_attn(options.flash_attn && !options.dtw);
        if let (true, Some(model_preset)) = (options.dtw, dtw_preset(&header.hparams)) {
            params.dtw_parameters(DtwParameters { mode: DtwMode::ModelPreset { model_preset }, ..Default::default() });
        }
        let context = WhisperContext::new_with_params(path_str, params)
            .map_err(|e| model_error(format!("whisper.cpp could not load it ({e}); is the file complete?")))?;
        Ok(Engine { context, hparams: header.hparams })
    }

    /// The model's hyperparameters.
    pub fn hparams(&self) -> &Hparams {
        &self.hparams
    }

    /// A decoding state for one worker.
    pub fn state(&self) -> Result<EngineState<'_>, TranscribeError> {
        let state = self.context.create_state().map_err(|e| TranscribeError::Whisper(e.to_string()))?;
        Ok(EngineState { engine: self, state })
    }

    /// Whether a decoded token carries what was said: text, or the
    /// timestamps between segments (not control tokens such as the end of
    /// text or the language).
    pub fn is_context_token(&self, id: i32) -> bool {
        id < self.context.token_eot() || id >= self.context.token_beg()
    }

    /// Token ids of `text` by whisper.cpp's own tokenizer (greedy longest match).
    pub fn tokenize(&self, text: &str, max: usize) -> Result<Vec<i32>, TranscribeError> {
        self.context.tokenize(text, max).map_err(|e| TranscribeError::Whisper(e.to_string()))
    }
}

/// One worker's decoder (whisper.cpp keeps its buffers here).
pub struct EngineState<'a> {
    engine: &'a Engine,
    state: WhisperState,
}

impl std::fmt::Debug for EngineState<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineState").finish_non_exhaustive()
    }
}

/// Encoder frames that whisper.cpp's matrix kernels (llamafile's tinyBLAS)
/// take in one block: attention over a context that is not a multiple of it
/// (the full 1500 frames) falls back to ggml's much slower dot products.
const CONTEXT_ALIGN: i32 = 16;

/// The encoder context (frames of 20 ms) for `samples` at 16 kHz: the whole
/// window, or with `fit` the samples with a margin when they fill at least
/// two thirds of the window (20 s of 30); either way a multiple of
/// [`CONTEXT_ALIGN`] when one holds all the samples, so that attention runs
/// in the fast kernels.
///
/// Why only long windows are fitted: Whisper was trained on 30 s windows, and
/// a much shorter context makes tiny.en mishear short clips (a 4.5 s espeak
/// sentence gave "in vast income unity networks" for "invest in community
/// networks" with 384 and with 752 frames, and was heard right with 1488).
/// Packed windows are 20-30 s, which is where fitting saves encoder time.
pub fn audio_context(samples: usize, n_audio_ctx: i32, fit: bool) -> i32 {
    let needed = (samples as u64 * 50).div_ceil(16_000).min(i32::MAX as u64) as i32;
    let fit = fit && needed >= n_audio_ctx / 3 * 2;
    let wanted = if fit { needed.saturating_add(64).clamp(384.min(n_audio_ctx), n_audio_ctx) } else { n_audio_ctx };
    let up = wanted.saturating_add(CONTEXT_ALIGN - 1) / CONTEXT_ALIGN * CONTEXT_ALIGN;
    let down = n_audio_ctx / CONTEXT_ALIGN * CONTEXT_ALIGN;
    if up <= n_audio_ctx {
        up
    } else if down >= needed {
        down
    } else {
        n_audio_ctx
    }
}

/// whisper.cpp's centiseconds to milliseconds (negative means unknown → 0).
fn cs_to_ms(cs: i64) -> u64 {
    cs.max(0) as u64 * 10
}

impl EngineState<'_> {
    /// Decodes one chunk of 16 kHz samples.
    pub fn decode(&mut self, samples: &[f32], options: &DecodeOptions) -> Result<ChunkOutput, TranscribeError> {
        if samples.is_empty() {
            return Ok(ChunkOutput { segments: Vec::new(), language: options.language.clone(), redecoded: 0 });
        }
        let strategy = if options.beam_size > 1 {
            SamplingStrategy::BeamSearch { beam_size: options.beam_size as i32, patience: -1.0 }
        } else {
            SamplingStrategy::Greedy { best_of: 1 }
        };
        let mut params = FullParams::new(strategy);
        params.set_n_threads(options.threads.max(1) as i32);
        // Each chunk stands alone: text carried over from the previous one is
        // how Whisper's repetition loops spread across a long recording.
        params.set_no_context(true);
        params.set_token_timestamps(true);
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        params.set_suppress_blank(true);
        // No "[MUSIC]", "(applause)" and the like: they are not speech.
        params.set_suppress_nst(true);
        params.set_temperature(0.0);
        params.set_temperature_inc(options.fallback.temperature_step.max(0.0));
        params.set_entropy_thold(options.fallback.entropy_threshold);
        params.set_logprob_thold(options.fallback.log_probability_threshold);
        params.set_no_speech_thold(0.6);
        let multilingual = self.engine.hparams.is_multilingual();
        let language = if multilingual { options.language.as_deref() } else { Some("en") };
        params.set_language(Some(language.unwrap_or("auto")));
        params.set_detect_language(false);
        // whisper.cpp reads either a text prompt or prompt tokens: with
        // context, the tokens (which begin with the glossary's) replace the text.
        if !options.context.is_empty() {
            params.set_tokens(&options.context);
        } else if let Some(prompt) = options.prompt.as_deref().filter(|p| !p.trim().is_empty()) {
            params.set_initial_prompt(prompt);
        }
        params.set_audio_ctx(audio_context(samples.len(), self.engine.hparams.n_audio_ctx, options.fit_audio_ctx));
        self.state.full(params, samples).map_err(|e| TranscribeError::Whisper(e.to_string()))?;

        let eot = self.engine.context.token_eot();
        let chunk_ms = samples.len() as u64 * 1000 / 16_000;
        let mut segments = Vec::new();
        for segment in self.state.as_iter() {
            let mut tokens = Vec::new();
            for i in 0..segment.n_tokens() {
                let Some(token) = segment.get_token(i) else { continue };
                let data = token.token_data();
                let bytes = token.to_bytes().map(<[u8]>::to_vec).unwrap_or_default();
                tokens.push(RawToken {
                    id: token.token_id(),
                    bytes,
                    start_ms: cs_to_ms(data.t0).min(chunk_ms),
                    end_ms: cs_to_ms(data.t1).min(chunk_ms),
                    // -1 when DTW is off.
                    dtw_ms: (data.t_dtw >= 0).then(|| cs_to_ms(data.t_dtw).min(chunk_ms)),
                    probability: data.p,
                    log_probability: data.plog,
                    special: token.token_id() >= eot,
                });
            }
            segments.push(RawSegment {
                start_ms: cs_to_ms(segment.start_timestamp()).min(chunk_ms),
                end_ms: cs_to_ms(segment.end_timestamp()).min(chunk_ms),
                text: segment.to_str_lossy().map(|t| t.into_owned()).unwrap_or_default(),
                no_speech_probability: segment.no_speech_probability(),
                tokens,
            });
        }
        let language = if multilingual {
            whisper_rs::get_lang_str(self.state.full_lang_id_from_state()).map(str::to_string)
        } else {
            Some("en".to_string())
        };
        Ok(ChunkOutput { segments, language, redecoded: 0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_window_gets_the_aligned_context_that_holds_it() {
        // 29.76 s fits in 1488 frames, a multiple of 16; 30 s needs all 1500.
        assert_eq!(audio_context(16_000 * 2976 / 100, 1500, false), 1488);
        assert_eq!(audio_context(16_000 * 10, 1500, false), 1488);
        assert_eq!(audio_context(16_000 * 30, 1500, false), 1500);
    }

    #[test]
    fn a_fitted_context_has_a_margin_a_floor_and_alignment() {
        // 20 s = 1000 frames, + 64 = 1064, rounded up to 1072.
        assert_eq!(audio_context(16_000 * 20, 1500, true), 1072);
        // 10 s and 1 s are too short to fit: the whole (aligned) window.
        assert_eq!(audio_context(16_000 * 10, 1500, true), 1488);
        assert_eq!(audio_context(16_000, 1500, true), 1488);
        // 29 s + margin would pass 1500: the aligned 1488 still holds 1450 frames.
        assert_eq!(audio_context(16_000 * 29, 1500, true), 1488);
        assert_eq!(audio_context(16_000 * 30, 1500, true), 1500);
        for samples in (0..16_000 * 31).step_by(7_919) {
            for fit in [false, true] {
                let ctx = audio_context(samples, 1500, fit);
                assert!(ctx <= 1500 && (ctx as usize * 320 >= samples.min(16_000 * 30)), "{samples} {fit} {ctx}");
            }
        }
    }
}
