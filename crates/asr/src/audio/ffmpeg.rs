//! Everything symphonia does not read (Opus, WebM, MKV, video files) goes
//! through `ffmpeg`, run as a subprocess that writes 16 kHz mono f32 samples
//! to its standard output, read here block by block.

use std::io::{self, Read};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::thread::JoinHandle;

use super::resample::TARGET_RATE;
use super::AudioError;

/// Bytes read per block: one second of f32 samples.
const BLOCK_BYTES: usize = TARGET_RATE as usize * 4;
/// How much of ffmpeg's error output is kept for the message.
const STDERR_LIMIT: usize = 16 * 1024;

/// Whether an `ffmpeg` executable is on the PATH.
pub fn is_installed() -> bool {
    Command::new("ffmpeg")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A running ffmpeg decoding one file.
#[derive(Debug)]
pub struct FfmpegSource {
    child: Child,
    stdout: ChildStdout,
    stderr: Option<JoinHandle<String>>,
    /// Bytes of a sample split across reads.
    carry: Vec<u8>,
    duration: Option<f64>,
    finished: bool,
}

impl FfmpegSource {
    /// Starts ffmpeg on `path`.
    pub fn open(path: &Path) -> Result<Self, AudioError> {
        let mut child = Command::new("ffmpeg")
            .args(["-nostdin", "-hide_banner", "-loglevel", "error", "-i"])
            .arg(path)
            .args(["-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar"])
            .arg(TARGET_RATE.to_string())
            .args(["-f", "f32le", "pipe:1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                if e.kind() == io::ErrorKind::NotFound {
                    AudioError::FfmpegMissing("ffmpeg is not on the PATH".into())
                } else {
                    AudioError::Io(e)
                }
            })?;
        let stdout = child.stdout.take().ok_or_else(|| AudioError::Ffmpeg("no standard output".into()))?;
        // ffmpeg's messages are drained on a thread so that a chatty ffmpeg never blocks on a full pipe.
        let stderr = child.stderr.take().map(|mut err| {
            std::thread::spawn(move || {
                let mut text = Vec::new();
                let mut buf = [0u8; 4096];
                while let Ok(n) = err.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    if text.len() < STDERR_LIMIT {
                        text.extend_from_slice(&buf[..n]);
                    }
                }
                String::from_utf8_lossy(&text).into_owned()
            })
        });
        Ok(FfmpegSource { child, stdout, stderr, carry: Vec::new(), duration: probe_duration(path), finished: false })
    }

    /// The duration ffprobe reports, in seconds.
    pub fn duration_secs(&self) -> Option<f64> {
        self.duration
    }

    /// The next block of 16 kHz mono samples, or `None` at the end.
    pub fn next_block(&mut self) -> Result<Option<Vec<f32>>, AudioError> {
        if self.finished {
            return Ok(None);
        }
        let mut bytes = std::mem::take(&mut self.carry);
        let start = bytes.len();
        bytes.resize(start + BLOCK_BYTES, 0);
        let mut filled = start;
        while filled < bytes.len() {
            match self.stdout.read(&mut bytes[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(AudioError::Io(e)),
            }
        }
        bytes.truncate(filled);
        if filled < start + BLOCK_BYTES {
            self.finished = true;
            self.wait()?;
        }
        let whole = bytes.len() / 4 * 4;
        self.carry = bytes.split_off(whole);
        let samples: Vec<f32> = bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
        Ok(if samples.is_empty() { None } else { Some(samples) })
    }

    fn wait(&mut self) -> Result<(), AudioError> {
        let status = self.child.wait()?;
        let messages = self.stderr.take().and_then(|h| h.join().ok()).unwrap_or_default();
        if status.success() {
            return Ok(());
        }
        let message = messages.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("; ");
        Err(AudioError::Ffmpeg(if message.is_empty() { format!("ffmpeg exited with {status}") } else { message }))
    }
}

impl Drop for FfmpegSource {
    fn drop(&mut self) {
        if !self.finished {
            // Stopped early (an error downstream): do not leave ffmpeg running.
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The container's duration from ffprobe, for progress reporting only.
fn probe_duration(path: &Path) -> Option<f64> {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1"])
        .arg(path)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse::<f64>().ok().filter(|d| d.is_finite() && *d > 0.0)
}
