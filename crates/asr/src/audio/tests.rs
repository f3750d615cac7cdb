//! Decoding every supported format to 16 kHz mono, and failing clearly on bad files.
//!
//! WAV files are written here; the compressed formats are made with ffmpeg
//! (installed by the project's set-up), and those cases say SKIPPED without it.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

/// A 16-bit PCM WAV of `channels` copies of a 440 Hz sine (left) and silence
/// (other channels), `secs` long at `rate`.
fn wav(path: &Path, rate: u32, channels: u16, secs: f32) {
    let frames = (rate as f32 * secs) as u32;
    let data_len = frames * u32::from(channels) * 2;
    let mut out = Vec::new();
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&channels.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * u32::from(channels) * 2).to_le_bytes());
    out.extend_from_slice(&(channels * 2).to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..frames {
        let s = (2.0 * std::f32::consts::PI * 440.0 * i as f32 / rate as f32).sin() * 0.5;
        for c in 0..channels {
            let v = if c == 0 { (s * 32767.0) as i16 } else { 0 };
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    std::fs::write(path, out).unwrap();
}

fn have_ffmpeg() -> bool {
    let ok = ffmpeg::is_installed();
    if !ok {
        eprintln!("SKIPPED: ffmpeg is not installed (scripts/setup-system.sh installs it)");
    }
    ok
}

/// A 2-second stereo 44.1 kHz 440 Hz sine encoded by ffmpeg as `name`.
fn encoded(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let status = Command::new("ffmpeg")
        .args([
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=44100:duration=2",
        ])
        .args(["-ac", "2"])
        .args(extra)
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success(), "ffmpeg could not write {name}");
    path
}

/// Zero crossings per second of the middle of `samples`: twice the frequency.
fn frequency(samples: &[f32]) -> f32 {
    let middle = &samples[samples.len() / 4..samples.len() * 3 / 4];
    let crossings = middle.windows(2).filter(|w| (w[0] < 0.0) != (w[1] < 0.0)).count();
    crossings as f32 / 2.0 / (middle.len() as f32 / 16_000.0)
}

#[test]
fn wav_at_any_rate_and_channel_count_becomes_16_khz_mono() {
    let dir = tempfile::tempdir().unwrap();
    for (rate, channels) in [(16_000, 1), (44_100, 2), (48_000, 6), (8_000, 1)] {
        let path = dir.path().join(format!("{rate}-{channels}.wav"));
        wav(&path, rate, channels, 1.5);
        let mut stream = AudioStream::open(&path).unwrap();
        assert_eq!(stream.decoder(), Decoder::Native);
        assert!((stream.duration_secs().unwrap() - 1.5).abs() < 1e-3);
        let samples = stream.read_to_end().unwrap();
        assert_eq!(samples.len(), 24_000, "{rate} Hz × {channels}");
        assert!((frequency(&samples) - 440.0).abs() < 3.0, "{rate} Hz: {}", frequency(&samples));
        // The sine is on one channel only: the downmix divides it by the channel count.
        let peak = samples.iter().fold(0f32, |m, x| m.max(x.abs()));
        assert!((peak - 0.5 / f32::from(channels)).abs() < 0.02, "{rate} Hz × {channels}: peak {peak}");
    }
}

#[test]
fn compressed_formats_decode_natively_or_through_ffmpeg() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[&str], Decoder)] = &[
        ("a.flac", &[], Decoder::Native),
        ("a.mp3", &["-c:a", "libmp3lame", "-b:a", "96k"], Decoder::Native),
        ("a.ogg", &["-c:a", "libvorbis"], Decoder::Native),
        ("a.m4a", &["-c:a", "aac", "-b:a", "96k"], Decoder::Native),
        ("a.opus", &["-c:a", "libopus"], Decoder::Ffmpeg),
        ("a.webm", &["-c:a", "libopus"], Decoder::Ffmpeg),
        ("a.mkv", &["-c:a", "libvorbis"], Decoder::Ffmpeg),
    ];
    for (name, args, decoder) in cases {
        let path = encoded(dir.path(), name, args);
        let mut stream = AudioStream::open(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(stream.decoder(), *decoder, "{name}");
        let samples = stream.read_to_end().unwrap_or_else(|e| panic!("{name}: {e}"));
        // Encoders add up to a few tens of ms of priming and padding.
        let secs = samples.len() as f32 / 16_000.0;
        assert!((secs - 2.0).abs() < 0.08, "{name}: {secs} s");
        assert!((frequency(&samples) - 440.0).abs() < 3.0, "{name}: {} Hz", frequency(&samples));
    }
}

#[test]
fn bad_files_fail_with_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.wav");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(AudioStream::open(&empty), Err(AudioError::Empty)));

    let silent = dir.path().join("zero-samples.wav");
    wav(&silent, 16_000, 1, 0.0);
    let err = AudioStream::open(&silent).and_then(|mut s| s.read_to_end()).unwrap_err();
    assert!(matches!(err, AudioError::Empty), "{err}");

    let whole = dir.path().join("whole.wav");
    wav(&whole, 16_000, 1, 4.0);
    let bytes = std::fs::read(&whole).unwrap();
    let cut = dir.path().join("cut.wav");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = read_file(&cut).unwrap_err();
    assert!(matches!(err, AudioError::Truncated { .. }), "{err}");
    assert!(err.to_string().contains("4.0 s"), "{err}");

    let header_only = dir.path().join("header.wav");
    std::fs::write(&header_only, &bytes[..20]).unwrap();
    assert!(read_file(&header_only).is_err());

    let garbage = dir.path().join("notes.xyz");
    std::fs::write(&garbage, "These are meeting notes, not audio.\n".repeat(50)).unwrap();
    let err = read_file(&garbage).unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err, AudioError::Ffmpeg(_) | AudioError::FfmpegMissing(_) | AudioError::Unsupported(_)),
        "{message}"
    );
    assert!(message.contains("ffmpeg"), "{message}");

    assert!(matches!(AudioStream::open(&dir.path().join("missing.wav")), Err(AudioError::Io(_))));
}
