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
    /// 1 for greedy decoding, more for beam search.
    pub beam_size: usize,
    /// Shrink the encoder's context to the chunk's length (faster on short
    /// chunks, at some risk to accuracy).
    pub fit_audio_ctx: bool,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions { language: None, threads: 1, prompt: None, beam_size: 1, fit_audio_ctx: false }
    }
}

/// One token as decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct RawToken {
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
        if let (true, Some(model_preset)) = (dtw, dtw_preset(&header.hparams)) {
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
        params.set_no_speech_thold(0.6);
        let multilingual = self.engine.hparams.is_multilingual();
        let language = if multilingual { options.language.as_deref() } else { Some("en") };
        params.set_language(Some(language.unwrap_or("auto")));
        params.set_detect_language(false);
        if let Some(prompt) = options.prompt.as_deref().filter(|p| !p.trim().is_empty()) {
            params.set_initial_prompt(prompt);
        }
        if options.fit_audio_ctx {
            // 50 encoder frames per second, with a margin; whisper.cpp needs at least a few hundred.
            let frames = (samples.len() as u64 * 50).div_ceil(16_000) as i32 + 64;
            params.set_audio_ctx(frames.clamp(384, self.engine.hparams.n_audio_ctx));
        }
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
