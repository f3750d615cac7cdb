//! Where the bytes come from: standard input or a pipe read until it ends, or
//! a regular file followed as it grows, the way `tail -F` does.
//!
//! Reading happens on a thread of its own, so that the main loop can notice
//! pauses (and `--idle-exit`) while a read is blocked.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

const READ_SIZE: usize = 64 * 1024;

/// What the reading thread reports.
#[derive(Debug)]
pub enum Input {
    /// New bytes and when they were read.
    Bytes { bytes: Vec<u8>, at: Instant },
    /// The file was truncated or replaced: reading starts again from the
    /// start of the (new) file. The message says what happened.
    Restarted(String),
    /// Something worth a warning that changes nothing.
    Note(String),
    /// The input ended (standard input or a pipe), or reading failed.
    End(io::Result<()>),
}

/// Starts reading `path` (`-` for standard input); a regular file is polled
/// for growth every `poll`.
pub fn spawn(path: &Path, poll: Duration) -> anyhow::Result<Receiver<Input>> {
    let (tx, rx) = mpsc::channel();
    if path.as_os_str() == "-" {
        thread::spawn(move || stream(io::stdin().lock(), &tx));
        return Ok(rx);
    }
    let file = File::open(path).with_context(|| format!("cannot follow {}", path.display()))?;
    let meta = file.metadata().with_context(|| format!("cannot follow {}", path.display()))?;
    if meta.is_dir() {
        bail!("cannot follow {}: it is a directory; give a caption file or `-` for standard input", path.display());
    }
    if meta.is_file() {
        let path = path.to_path_buf();
        thread::spawn(move || Tail::new(path, file, &meta).run(&tx, poll));
    } else {
        // A named pipe or a device has no length to watch: read it to its end.
        thread::spawn(move || stream(file, &tx));
    }
    Ok(rx)
}

fn stream(mut reader: impl Read, tx: &Sender<Input>) {
    let mut buf = vec![0u8; READ_SIZE];
    loop {
        let message = match reader.read(&mut buf) {
            Ok(0) => Input::End(Ok(())),
            Ok(n) => Input::Bytes { bytes: buf[..n].to_vec(), at: Instant::now() },
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => Input::End(Err(e)),
        };
        let ended = matches!(message, Input::End(_));
        if tx.send(message).is_err() || ended {
            return;
        }
    }
}

/// A regular file followed as it grows.
struct Tail {
    path: PathBuf,
    file: File,
    /// Bytes read from the current file.
    position: u64,
    identity: Option<(u64, u64)>,
    /// Whether "the file is gone" was already said.
    reported_missing: bool,
}

impl Tail {
    fn new(path: PathBuf, file: File, meta: &fs::Metadata) -> Self {
        Tail { path, file, position: 0, identity: identity(meta), reported_missing: false }
    }

    fn run(mut self, tx: &Sender<Input>, poll: Duration) {
        let mut buf = vec![0u8; READ_SIZE];
        loop {
            if let Err(e) = self.read_new(&mut buf, tx) {
                let _ = tx.send(Input::End(Err(e)));
                return;
            }
            match self.check_replaced_or_truncated(&mut buf, tx) {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => {
                    let _ = tx.send(Input::End(Err(e)));
                    return;
                }
            }
            thread::sleep(poll);
        }
    }

    /// Reads everything appended since the last read.
    fn read_new(&mut self, buf: &mut [u8], tx: &Sender<Input>) -> io::Result<()> {
        loop {
            match self.file.read(buf) {
                Ok(0) => return Ok(()),
                Ok(n) => {
                    self.position += n as u64;
                    let bytes = buf.get(..n).unwrap_or_default().to_vec();
                    if tx.send(Input::Bytes { bytes, at: Instant::now() }).is_err() {
                        return Ok(());
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Starts over when the path now names another file (rotated) or the file
    /// shrank (truncated). `Ok(true)` when it did.
    fn check_replaced_or_truncated(&mut self, buf: &mut [u8], tx: &Sender<Input>) -> io::Result<bool> {
        let meta = match fs::metadata(&self.path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // Removed or being rotated: keep the old file, wait for a new one.
                if !self.reported_missing {
                    self.reported_missing = true;
                    let message = "the file was removed; still reading it, and waiting for a new file at its path";
                    let _ = tx.send(Input::Note(message.into()));
                }
                return Ok(false);
            }
            Err(e) => return Err(e),
        };
        self.reported_missing = false;
        let new_identity = identity(&meta);
        if new_identity.is_some() && new_identity != self.identity {
            // What was written to the old file just before the switch still counts.
            self.read_new(buf, tx)?;
            let file = File::open(&self.path)?;
            let meta = file.metadata()?;
            *self = Tail::new(self.path.clone(), file, &meta);
            let message = "the file was replaced by a new one (rotated); reading the new one from its start";
            let _ = tx.send(Input::Restarted(message.into()));
            return Ok(true);
        }
        if meta.len() < self.position {
            let message = format!(
                "the file shrank from {} to {} bytes (truncated); reading it again from its start",
                self.position,
                meta.len()
            );
            self.file.seek(SeekFrom::Start(0))?;
            self.position = 0;
            let _ = tx.send(Input::Restarted(message));
            return Ok(true);
        }
        Ok(false)
    }
}

#[cfg(unix)]
fn identity(meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_meta: &fs::Metadata) -> Option<(u64, u64)> {
    None
}
