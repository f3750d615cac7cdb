//! Streaming conversion of mono audio to 16 kHz.
//!
//! rubato's FFT resampler (band-limited, synchronous) works on fixed input
//! blocks; this wrapper takes samples in any amounts, hides the filter's
//! delay, and at the end returns exactly as many samples as the input's
//! duration holds at 16 kHz, so times stay exact.

use rubato::{FftFixedIn, Resampler};

use super::AudioError;

/// The sample rate Whisper listens at.
pub const TARGET_RATE: u32 = 16_000;

/// Input frames per resampler call (about 64 ms at 16 kHz, 23 ms at 44.1 kHz).
const BLOCK: usize = 1024;

/// A mono stream resampled to [`TARGET_RATE`].
pub struct MonoResampler {
    engine: Option<FftFixedIn<f32>>,
    from_rate: u32,
    pending: Vec<f32>,
    /// Output samples still to drop: the filter's delay.
    to_skip: usize,
    frames_in: u64,
    frames_out: u64,
}

impl std::fmt::Debug for MonoResampler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MonoResampler")
            .field("from_rate", &self.from_rate)
            .field("frames_in", &self.frames_in)
            .field("frames_out", &self.frames_out)
            .finish_non_exhaustive()
    }
}

fn resample_error(e: impl std::fmt::Display) -> AudioError {
    AudioError::Resample(e.to_string())
}

impl MonoResampler {
    /// A resampler from `from_rate` Hz (no-op at 16 kHz).
    pub fn new(from_rate: u32) -> Result<Self, AudioError> {
        if from_rate == 0 {
            return Err(AudioError::Resample("the audio declares a sample rate of 0 Hz".into()));
        }
        // The FFT works on blocks of `rate / gcd(rate, 16000)` input frames
        // (441 at 44.1 kHz); even an odd rate (47999 Hz) only makes that one
        // second, which rustfft handles in about a millisecond.
        let engine = if from_rate == TARGET_RATE {
            None
        } else {
            Some(FftFixedIn::new(from_rate as usize, TARGET_RATE as usize, BLOCK, 2, 1).map_err(resample_error)?)
        };
        let to_skip = engine.as_ref().map_or(0, |e| e.output_delay());
        Ok(MonoResampler { engine, from_rate, pending: Vec::new(), to_skip, frames_in: 0, frames_out: 0 })
    }

    fn emit(&mut self, mut samples: Vec<f32>, out: &mut Vec<f32>) {
        let skip = self.to_skip.min(samples.len());
        self.to_skip -= skip;
        samples.drain(..skip);
        let expected = self.expected_out();
        let room = expected.saturating_sub(self.frames_out) as usize;
        samples.truncate(room);
        self.frames_out += samples.len() as u64;
        out.extend_from_slice(&samples);
    }

    /// Samples at 16 kHz that the input so far lasts for.
    fn expected_out(&self) -> u64 {
        (self.frames_in * u64::from(TARGET_RATE)).div_ceil(u64::from(self.from_rate))
    }

    /// Resamples `input`, appending what is ready to `out`.
    pub fn push(&mut self, input: &[f32], out: &mut Vec<f32>) -> Result<(), AudioError> {
        self.frames_in += input.len() as u64;
        let Some(engine) = self.engine.as_mut() else {
            self.frames_out += input.len() as u64;
            out.extend_from_slice(input);
            return Ok(());
        };
        self.pending.extend_from_slice(input);
        let mut start = 0;
        let mut produced = Vec::new();
        loop {
            let need = engine.input_frames_next();
            if self.pending.len() - start < need {
                break;
            }
            let mut block = engine.process(&[&self.pending[start..start + need]], None).map_err(resample_error)?;
            produced.extend(block.pop().unwrap_or_default());
            start += need;
        }
        self.pending.drain(..start);
        self.emit(produced, out);
        Ok(())
    }

    /// Flushes the filter: appends the last samples to `out`.
    pub fn finish(&mut self, out: &mut Vec<f32>) -> Result<(), AudioError> {
        let expected = self.expected_out();
        let Some(engine) = self.engine.as_mut() else { return Ok(()) };
        let mut produced = Vec::new();
        let pending = std::mem::take(&mut self.pending);
        if !pending.is_empty() {
            let mut block = engine.process_partial(Some(&[&pending[..]]), None).map_err(resample_error)?;
            produced.extend(block.pop().unwrap_or_default());
        }
        // Zeros push the delayed tail out of the filter.
        let mut guard = 0;
        while self.frames_out + (produced.len().saturating_sub(self.to_skip) as u64) < expected && guard < 64 {
            let mut block = engine.process_partial(None::<&[&[f32]]>, None).map_err(resample_error)?;
            produced.extend(block.pop().unwrap_or_default());
            guard += 1;
        }
        self.emit(produced, out);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resample_all(rate: u32, input: &[f32], piece: usize) -> Vec<f32> {
        let mut r = MonoResampler::new(rate).unwrap();
        let mut out = Vec::new();
        for chunk in input.chunks(piece) {
            r.push(chunk, &mut out).unwrap();
        }
        r.finish(&mut out).unwrap();
        out
    }

    fn sine(rate: u32, hz: f32, secs: f32) -> Vec<f32> {
        let n = (rate as f32 * secs) as usize;
        (0..n).map(|i| (2.0 * std::f32::consts::PI * hz * i as f32 / rate as f32).sin() * 0.5).collect()
    }

    #[test]
    fn keeps_duration_and_phase_at_common_rates() {
        for rate in [8_000u32, 22_050, 44_100, 48_000, 16_000, 47_999] {
            let input = sine(rate, 440.0, 1.5);
            let out = resample_all(rate, &input, 777);
            let expected = (input.len() as u64 * 16_000).div_ceil(u64::from(rate)) as usize;
            assert_eq!(out.len(), expected, "{rate} Hz");
            // Away from the edges the output is the same sine at 16 kHz, in phase.
            let reference = sine(16_000, 440.0, 1.5);
            let worst = (2_000..out.len() - 2_000).map(|i| (out[i] - reference[i]).abs()).fold(0.0f32, f32::max);
            // 0.05 allows a phase offset of half a sample (31 µs), far below what matters for speech.
            assert!(worst < 0.05, "{rate} Hz: worst error {worst}");
        }
    }

    #[test]
    fn removes_content_above_8_khz() {
        // 11 kHz cannot exist at 16 kHz; a proper resampler removes it instead of aliasing it to 5 kHz.
        let out = resample_all(44_100, &sine(44_100, 11_000.0, 1.0), 4096);
        let rms = (out[1000..15000].iter().map(|x| x * x).sum::<f32>() / 14000.0).sqrt();
        assert!(rms < 0.01, "rms {rms}");
    }

    #[test]
    fn zero_rate_is_an_error() {
        assert!(MonoResampler::new(0).is_err());
    }
}
