//! Pure-Rust decoding with symphonia: WAV, FLAC, MP3, Ogg Vorbis, AAC in M4A/MP4.
//!
//! Packets are decoded one at a time, downmixed and resampled at once, so
//! memory does not grow with the recording's length.

use std::fs::File;
use std::path::Path;

use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{Decoder, DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use super::resample::{MonoResampler, TARGET_RATE};
use super::AudioError;

/// Consecutive undecodable packets after which the file is called corrupt.
const MAX_BAD_PACKETS_IN_A_ROW: usize = 50;

/// Why symphonia could not start decoding: either the file is in a format it
/// does not know (try ffmpeg) or it is broken.
#[derive(Debug)]
pub enum OpenFailure {
    /// Unknown container or codec: another decoder may read it.
    Unsupported(String),
    /// A real error.
    Failed(AudioError),
}

/// A file being decoded by symphonia.
pub struct NativeSource {
    format: Box<dyn FormatReader>,
    decoder: Box<dyn Decoder>,
    track_id: u32,
    sample_rate: u32,
    /// Frames the container says the track has, when it says.
    declared_frames: Option<u64>,
    decoded_frames: u64,
    resampler: MonoResampler,
    buffer: Option<SampleBuffer<f32>>,
    bad_packets: usize,
    bad_in_a_row: usize,
    finished: bool,
    warnings: Vec<String>,
}

impl std::fmt::Debug for NativeSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeSource")
            .field("track_id", &self.track_id)
            .field("sample_rate", &self.sample_rate)
            .field("decoded_frames", &self.decoded_frames)
            .finish_non_exhaustive()
    }
}

impl NativeSource {
    /// Probes `path` and opens its first decodable audio track.
    pub fn open(path: &Path) -> Result<Self, OpenFailure> {
        let file = File::open(path).map_err(|e| OpenFailure::Failed(AudioError::Io(e)))?;
        let stream = MediaSourceStream::new(Box::new(file), Default::default());
        let mut hint = Hint::new();
        if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
            hint.with_extension(ext);
        }
        let probed = symphonia::default::get_probe()
            .format(&hint, stream, &FormatOptions::default(), &MetadataOptions::default())
            .map_err(|e| match e {
                SymphoniaError::Unsupported(what) => OpenFailure::Unsupported(what.to_string()),
                // The probe reads on until it recognises a container: reaching
                // the end means it recognised none.
                SymphoniaError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    OpenFailure::Unsupported("no container symphonia knows".into())
                }
                other => OpenFailure::Failed(AudioError::Corrupt { at_secs: 0.0, message: other.to_string() }),
            })?;
        let format = probed.format;
        let codecs = symphonia::default::get_codecs();
        let mut unsupported = None;
        let mut chosen = None;
        for track in format.tracks().iter().filter(|t| t.codec_params.codec != CODEC_TYPE_NULL) {
            match codecs.make(&track.codec_params, &DecoderOptions::default()) {
                Ok(decoder) => {
                    chosen = Some((track.id, track.codec_params.clone(), decoder));
                    break;
                }
                Err(e) => unsupported = Some(e.to_string()),
            }
        }
        let Some((track_id, params, decoder)) = chosen else {
            return Err(OpenFailure::Unsupported(unsupported.unwrap_or_else(|| "no audio track".into())));
        };
        let sample_rate = params.sample_rate.ok_or_else(|| {
            OpenFailure::Failed(AudioError::Corrupt {
                at_secs: 0.0,
                message: "the audio track has no sample rate".into(),
            })
        })?;
        let resampler = MonoResampler::new(sample_rate).map_err(OpenFailure::Failed)?;
        Ok(NativeSource {
            format,
            decoder,
            track_id,
            sample_rate,
            declared_frames: params.n_frames,
            decoded_frames: 0,
            resampler,
            buffer: None,
            bad_packets: 0,
            bad_in_a_row: 0,
            finished: false,
            warnings: Vec::new(),
        })
    }

    /// The duration the container declares, in seconds.
    pub fn duration_secs(&self) -> Option<f64> {
        self.declared_frames.map(|n| n as f64 / f64::from(self.sample_rate))
    }

    fn position_secs(&self) -> f64 {
        self.decoded_frames as f64 / f64::from(self.sample_rate)
    }

    /// Warnings collected so far (skipped packets).
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// The next block of 16 kHz mono samples, or `None` at the end.
    pub fn next_block(&mut self) -> Result<Option<Vec<f32>>, AudioError> {
        let mut out = Vec::new();
        while !self.finished {
            let packet = match self.format.next_packet() {
                Ok(packet) => packet,
                Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    self.finish(&mut out)?;
                    break;
                }
                Err(SymphoniaError::ResetRequired) => {
                    // A chained stream changed its parameters; keep going with a fresh decoder state.
                    self.decoder.reset();
                    continue;
                }
                Err(e) => {
                    return Err(AudioError::Corrupt { at_secs: self.position_secs(), message: e.to_string() });
                }
            };
            if packet.track_id() != self.track_id {
                continue;
            }
            match self.decoder.decode(&packet) {
                Ok(decoded) => {
                    self.bad_in_a_row = 0;
                    let spec = *decoded.spec();
                    let frames = decoded.frames();
                    if frames == 0 {
                        continue;
                    }
                    let needed = decoded.capacity() as u64;
                    let buffer = match &mut self.buffer {
                        Some(b) if b.capacity() as u64 >= needed * spec.channels.count() as u64 => b,
                        slot => slot.insert(SampleBuffer::new(needed, spec)),
                    };
                    buffer.copy_interleaved_ref(decoded);
                    let channels = spec.channels.count().max(1);
                    let mono = downmix(buffer.samples(), channels);
                    self.decoded_frames += mono.len() as u64;
                    self.resampler.push(&mono, &mut out)?;
                    if out.len() >= TARGET_RATE as usize {
                        return Ok(Some(out));
                    }
                }
                Err(SymphoniaError::DecodeError(message)) => {
                    self.bad_packets += 1;
                    self.bad_in_a_row += 1;
                    if self.bad_in_a_row >= MAX_BAD_PACKETS_IN_A_ROW {
                        return Err(AudioError::Corrupt {
                            at_secs: self.position_secs(),
                            message: format!("{} packets in a row cannot be decoded ({message})", self.bad_in_a_row),
                        });
                    }
                }
                Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    self.finish(&mut out)?;
                    break;
                }
                Err(e) => return Err(AudioError::Corrupt { at_secs: self.position_secs(), message: e.to_string() }),
            }
        }
        Ok(if out.is_empty() { None } else { Some(out) })
    }

    fn finish(&mut self, out: &mut Vec<f32>) -> Result<(), AudioError> {
        self.finished = true;
        self.resampler.finish(out)?;
        if self.bad_packets > 0 {
            self.warnings.push(format!("{} damaged packets were skipped", self.bad_packets));
        }
        if let Some(declared) = self.declared_frames {
            let rate = f64::from(self.sample_rate);
            let missing = declared.saturating_sub(self.decoded_frames) as f64 / rate;
            // Encoders pad and trim a little; half a second missing is a cut file.
            if missing > 0.5 && (self.decoded_frames as f64) < declared as f64 * 0.98 {
                return Err(AudioError::Truncated {
                    declared_secs: declared as f64 / rate,
                    decoded_secs: self.decoded_frames as f64 / rate,
                });
            }
        }
        Ok(())
    }
}

/// The mean of the channels of interleaved samples.
pub fn downmix(interleaved: &[f32], channels: usize) -> Vec<f32> {
    if channels <= 1 {
        return interleaved.to_vec();
    }
    let scale = 1.0 / channels as f32;
    interleaved.chunks_exact(channels).map(|frame| frame.iter().sum::<f32>() * scale).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downmix_averages_channels() {
        assert_eq!(downmix(&[1.0, 0.0, 0.5, 0.5, -1.0, 1.0], 2), vec![0.5, 0.5, 0.0]);
        assert_eq!(downmix(&[0.25, 0.5], 1), vec![0.25, 0.5]);
    }
}
