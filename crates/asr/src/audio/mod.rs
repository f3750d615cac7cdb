//! Recordings in any common format, as a stream of 16 kHz mono samples.
//!
//! [`AudioStream::open`] decodes WAV, FLAC, MP3, Ogg Vorbis and AAC (M4A/MP4)
//! in pure Rust with symphonia; anything symphonia does not recognise (Opus,
//! WebM, MKV, most video) goes through `ffmpeg` when it is installed. Either
//! way the caller pulls blocks of about a second, so memory stays flat however
//! long the recording is.

pub mod ffmpeg;
pub mod native;
pub mod resample;

use std::path::Path;

pub use resample::TARGET_RATE;

use ffmpeg::FfmpegSource;
use native::{NativeSource, OpenFailure};

/// A recording could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// The file could not be read.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The file has no bytes, or decodes to no samples.
    #[error("no audio: the file is empty or holds zero samples")]
    Empty,
    /// Neither symphonia nor ffmpeg reads the format.
    #[error("unknown or unsupported format ({0})")]
    Unsupported(String),
    /// symphonia does not read the format, and ffmpeg, which would, is not installed.
    #[error("not a format rapporteur decodes itself ({0}; it reads WAV, FLAC, MP3, Ogg Vorbis, AAC/M4A/MP4), and ffmpeg, which reads the others (Opus, WebM, MKV, video), is not installed: install ffmpeg")]
    FfmpegMissing(String),
    /// ffmpeg failed.
    #[error("ffmpeg could not decode it: {0}")]
    Ffmpeg(String),
    /// The data is damaged.
    #[error("damaged audio at {at_secs:.1} s: {message}")]
    Corrupt {
        /// Where, in seconds of audio decoded.
        at_secs: f64,
        /// What the decoder said.
        message: String,
    },
    /// The file ends before the duration its header declares.
    #[error("truncated: the header declares {declared_secs:.1} s of audio, the file holds {decoded_secs:.1} s (an interrupted download or copy?)")]
    Truncated {
        /// Declared duration.
        declared_secs: f64,
        /// Decoded duration.
        decoded_secs: f64,
    },
    /// The resampler failed.
    #[error("resampling failed: {0}")]
    Resample(String),
}

/// Which decoder reads a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoder {
    /// symphonia, in process.
    Native,
    /// An ffmpeg subprocess.
    Ffmpeg,
}

#[derive(Debug)]
enum Inner {
    Native(Box<NativeSource>),
    Ffmpeg(FfmpegSource),
}

/// A recording being decoded to 16 kHz mono.
#[derive(Debug)]
pub struct AudioStream {
    inner: Inner,
    samples: u64,
}

impl AudioStream {
    /// Opens `path`, with symphonia when it knows the format, else with ffmpeg.
    pub fn open(path: &Path) -> Result<Self, AudioError> {
        if std::fs::metadata(path)?.len() == 0 {
            return Err(AudioError::Empty);
        }
        let inner = match NativeSource::open(path) {
            Ok(source) => Inner::Native(Box::new(source)),
            Err(OpenFailure::Failed(e)) => return Err(e),
            Err(OpenFailure::Unsupported(why)) => {
                if !ffmpeg::is_installed() {
                    return Err(AudioError::FfmpegMissing(why));
                }
                Inner::Ffmpeg(FfmpegSource::open(path)?)
            }
        };
        Ok(AudioStream { inner, samples: 0 })
    }

    /// The decoder in use.
    pub fn decoder(&self) -> Decoder {
        match self.inner {
            Inner::Native(_) => Decoder::Native,
            Inner::Ffmpeg(_) => Decoder::Ffmpeg,
        }
    }

    /// The duration the file declares, in seconds, when it does.
    pub fn duration_secs(&self) -> Option<f64> {
        match &self.inner {
            Inner::Native(s) => s.duration_secs(),
            Inner::Ffmpeg(s) => s.duration_secs(),
        }
    }

    /// Samples returned so far.
    pub fn samples_read(&self) -> u64 {
        self.samples
    }

    /// Warnings about the input (damaged packets skipped).
    pub fn take_warnings(&mut self) -> Vec<String> {
        match &mut self.inner {
            Inner::Native(s) => s.take_warnings(),
            Inner::Ffmpeg(_) => Vec::new(),
        }
    }

    /// The next block of samples (about a second), or `None` at the end.
    /// The end of a stream that held no samples at all is [`AudioError::Empty`].
    pub fn next_block(&mut self) -> Result<Option<Vec<f32>>, AudioError> {
        let block = match &mut self.inner {
            Inner::Native(s) => s.next_block()?,
            Inner::Ffmpeg(s) => s.next_block()?,
        };
        match block {
            Some(b) => {
                self.samples += b.len() as u64;
                Ok(Some(b))
            }
            None if self.samples == 0 => Err(AudioError::Empty),
            None => Ok(None),
        }
    }

    /// Reads the rest of the stream into memory (for short recordings and tests).
    pub fn read_to_end(&mut self) -> Result<Vec<f32>, AudioError> {
        let mut all = Vec::new();
        while let Some(block) = self.next_block()? {
            all.extend_from_slice(&block);
        }
        Ok(all)
    }
}

/// Decodes a whole file to 16 kHz mono samples.
pub fn read_file(path: &Path) -> Result<Vec<f32>, AudioError> {
    AudioStream::open(path)?.read_to_end()
}

#[cfg(test)]
mod tests;
