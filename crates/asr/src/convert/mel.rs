//! The mel filter bank Whisper's front end uses, computed as librosa does.
//!
//! whisper.cpp reads the filter bank from the model file, and its reference
//! converter copies OpenAI's `mel_filters.npz`, which is
//! `librosa.filters.mel(sr=16000, n_fft=400, n_mels=N)` (Slaney mel scale,
//! Slaney area normalisation, float32). This module repeats librosa's
//! arithmetic step by step (float64, then float32 like librosa's output array)
//! so that the values agree to the last bits.

/// Sample rate Whisper works at.
pub const SAMPLE_RATE: f64 = 16_000.0;
/// FFT window length Whisper uses (25 ms at 16 kHz).
pub const N_FFT: usize = 400;
/// Frequency bins of a real FFT of [`N_FFT`] samples.
pub const N_FREQ: usize = N_FFT / 2 + 1;

/// A filter bank: `n_mels` rows of [`N_FREQ`] weights, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct MelFilters {
    /// Number of mel bands (80, or 128 for large-v3).
    pub n_mels: usize,
    /// Number of frequency bins per band (201).
    pub n_freq: usize,
    /// `n_mels * n_freq` weights, band by band.
    pub weights: Vec<f32>,
}

// Slaney's mel scale: linear below 1 kHz, logarithmic above.
const F_SP: f64 = 200.0 / 3.0;
const MIN_LOG_HZ: f64 = 1000.0;
const MIN_LOG_MEL: f64 = MIN_LOG_HZ / F_SP;

fn log_step() -> f64 {
    6.4f64.ln() / 27.0
}

fn hz_to_mel(hz: f64) -> f64 {
    if hz >= MIN_LOG_HZ {
        MIN_LOG_MEL + (hz / MIN_LOG_HZ).ln() / log_step()
    } else {
        hz / F_SP
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    if mel >= MIN_LOG_MEL {
        MIN_LOG_HZ * (log_step() * (mel - MIN_LOG_MEL)).exp()
    } else {
        F_SP * mel
    }
}

/// `numpy.linspace(start, stop, num)` with its exact arithmetic.
fn linspace(start: f64, stop: f64, num: usize) -> Vec<f64> {
    if num == 0 {
        return Vec::new();
    }
    if num == 1 {
        return vec![start];
    }
    let step = (stop - start) / (num - 1) as f64;
    let mut values: Vec<f64> = (0..num).map(|i| i as f64 * step + start).collect();
    if let Some(last) = values.last_mut() {
        *last = stop;
    }
    values
}

/// The Slaney-normalised mel filter bank for 16 kHz audio and a 400-point FFT,
/// as `librosa.filters.mel(sr=16000, n_fft=400, n_mels=n_mels)` returns it.
pub fn mel_filters(n_mels: usize) -> MelFilters {
    // numpy.fft.rfftfreq(n=400, d=1/16000): k * (1 / (n * d)).
    let bin_hz = 1.0 / (N_FFT as f64 * (1.0 / SAMPLE_RATE));
    let fft_freqs: Vec<f64> = (0..N_FREQ).map(|k| k as f64 * bin_hz).collect();
    let mel_points = linspace(hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE / 2.0), n_mels + 2);
    let mel_f: Vec<f64> = mel_points.iter().map(|&m| mel_to_hz(m)).collect();
    let fdiff: Vec<f64> = mel_f.windows(2).map(|w| w[1] - w[0]).collect();

    let mut weights = Vec::with_capacity(n_mels * N_FREQ);
    for band in 0..n_mels {
        // Area normalisation: each triangle integrates to the same value.
        let enorm = 2.0 / (mel_f[band + 2] - mel_f[band]);
        for &freq in &fft_freqs {
            let lower = -(mel_f[band] - freq) / fdiff[band];
            let upper = (mel_f[band + 2] - freq) / fdiff[band + 1];
            // librosa stores the triangle in a float32 array, then scales it in place.
            let triangle = 0f64.max(lower.min(upper)) as f32;
            weights.push((f64::from(triangle) * enorm) as f32);
        }
    }
    MelFilters { n_mels, n_freq: N_FREQ, weights }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_round_trips() {
        for hz in [0.0, 440.0, 999.0, 1000.0, 4000.0, 8000.0] {
            assert!((mel_to_hz(hz_to_mel(hz)) - hz).abs() < 1e-9, "{hz}");
        }
        assert!((hz_to_mel(1000.0) - 15.0).abs() < 1e-12);
    }

    #[test]
    fn triangles_are_nonnegative_and_overlap_once() {
        let bank = mel_filters(80);
        assert_eq!(bank.weights.len(), 80 * 201);
        assert!(bank.weights.iter().all(|&w| w >= 0.0));
        // Every band has some weight, and no bin belongs to more than two bands.
        for band in bank.weights.chunks(201) {
            assert!(band.iter().any(|&w| w > 0.0));
        }
        for bin in 0..201 {
            let n = (0..80).filter(|b| bank.weights[b * 201 + bin] > 0.0).count();
            assert!(n <= 2, "bin {bin} in {n} bands");
        }
    }

    #[test]
    fn known_values() {
        // From whisper.cpp's ggml-tiny.en.bin (OpenAI's mel_filters.npz).
        let bank = mel_filters(80);
        assert!((bank.weights[1] - 0.024_862_595).abs() < 1e-8);
        let max = bank.weights.iter().cloned().fold(0.0f32, f32::max);
        assert!((max - 0.025_880_683).abs() < 1e-8);
    }
}
