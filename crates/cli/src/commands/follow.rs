//! `rapporteur captions --follow FILE|-`: a live caption file (or standard
//! input) to NDJSON segments, printed as they complete.
//!
//! What arrives is a character stream (CART text, with `>> NAME:` turns and
//! `\x08` backspaces), fed to the live assembler with arrival times counted
//! from the start of the command. Each completed segment is one line of
//! segment JSON on standard output, flushed at once; warnings go to standard
//! error. Standard input stops at its end; a file is followed like `tail -F`
//! (polled for growth, truncation and replacement) until `--idle-exit`
//! seconds pass without growth, or until interrupted.

mod source;
mod utf8;

use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use rapporteur_captions::live::{Chunk, Event, LiveConfig, LiveSession, UNDETERMINED_LANG};
use rapporteur_core::{Diagnostic, Time};

use self::source::Input;
use self::utf8::{Invalid, Utf8Stream};
use crate::output::UsageError;
use crate::Outcome;

/// How often a file is polled for growth, and pauses are checked.
const POLL: Duration = Duration::from_millis(200);

/// Follows `path` (`-` for standard input) until it ends, or for a file until
/// `idle_exit_secs` pass without growth (if given).
pub fn run(path: &Path, idle_exit_secs: Option<f64>) -> anyhow::Result<Outcome> {
    let idle_exit = match idle_exit_secs {
        None => None,
        Some(secs) => Some(
            Duration::try_from_secs_f64(secs)
                .ok()
                .filter(|d| !d.is_zero())
                .ok_or_else(|| UsageError(format!("--idle-exit must be a positive number of seconds, not {secs}")))?,
        ),
    };
    let name = path.display().to_string();
    let inputs = source::spawn(path, POLL)?;
    let started = Instant::now();
    let since_start = |at: Instant| Time::from_millis(at.saturating_duration_since(started).as_millis() as u64);
    // Nothing here is numbered, so there is no start to wait for.
    let mut live = LiveSession::new(LiveConfig { start_wait_ms: 0, ..LiveConfig::default() });
    let mut decoder = Utf8Stream::default();
    let mut out = Printer { name: &name, stdout: io::stdout().lock() };
    let mut last_growth = Instant::now();
    loop {
        match inputs.recv_timeout(POLL) {
            Ok(Input::Bytes { bytes, at }) => {
                last_growth = at;
                let (text, invalid) = decoder.decode(&bytes);
                out.invalid(invalid);
                out.events(live.push(Chunk::unnumbered(UNDETERMINED_LANG, text, since_start(at))))?;
            }
            Ok(Input::Restarted(message)) => {
                decoder.restart();
                out.warning(message);
            }
            Ok(Input::Note(message)) => out.warning(message),
            Ok(Input::End(result)) => {
                result.map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?;
                break;
            }
            Err(RecvTimeoutError::Timeout) => {
                out.events(live.tick(since_start(Instant::now())))?;
                if idle_exit.is_some_and(|idle| last_growth.elapsed() >= idle) {
                    break;
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    let (text, invalid) = decoder.finish();
    out.invalid(invalid);
    if !text.is_empty() {
        out.events(live.push(Chunk::unnumbered(UNDETERMINED_LANG, text, since_start(Instant::now()))))?;
    }
    out.events(live.finish())?;
    Ok(Outcome { total: 1, failed: 0 })
}

/// Segments to standard output, warnings to standard error.
struct Printer<'a, W: Write> {
    name: &'a str,
    stdout: W,
}

impl<W: Write> Printer<'_, W> {
    /// Prints segments as NDJSON, flushed at once so that a reader sees each
    /// as soon as it is complete. A closed pipe comes back as an `io::Error`,
    /// which `main` turns into a quiet exit.
    fn events(&mut self, events: Vec<Event>) -> anyhow::Result<()> {
        for event in events {
            match event {
                Event::Segment { segment, .. } => {
                    let mut line = serde_json::to_string(&segment)?;
                    line.push('\n');
                    self.stdout.write_all(line.as_bytes())?;
                    self.stdout.flush()?;
                }
                Event::Diagnostic { diagnostic, .. } => eprintln!("{}", diagnostic.in_file(self.name)),
            }
        }
        Ok(())
    }

    fn warning(&self, message: String) {
        eprintln!("{}", Diagnostic::warning(None, message).in_file(self.name));
    }

    fn invalid(&self, invalid: Option<Invalid>) {
        if let Some(Invalid { count, first_offset }) = invalid {
            self.warning(format!(
                "byte {first_offset}: {count} invalid UTF-8 sequence{} replaced by U+FFFD (is the feed UTF-8?)",
                if count == 1 { "" } else { "s" }
            ));
        }
    }
}
