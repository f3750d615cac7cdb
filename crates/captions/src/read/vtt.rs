//! WebVTT (W3C), read leniently and one cue at a time.
//!
//! Follows the W3C parsing rules where they matter for a transcript: an
//! optional BOM, `WEBVTT` plus optional header text, `NOTE`, `STYLE` and
//! `REGION` blocks (skipped), optional cue identifiers, cue settings after
//! the end time (ignored), and a line containing `-->` ending a cue's text
//! and starting the next cue. Deviations, all towards keeping text: a missing
//! header is a warning, not a failure; timestamps are read with the lenient
//! grammar of [`super::timestamp`] (hours of any width, `mm:ss.ttt`, `,` too);
//! a block without a timing line is skipped with a warning naming its line.
//!
//! Cue text is cleaned by [`super::inline`] (tags stripped, the first `<v>`
//! voice kept as the speaker, references decoded, lines joined by a space).
//! Each cue's voice is its own: a cue without `<v>` has no speaker, unless
//! the file uses the broadcast `>>` convention, where a `>> NAME:` at the
//! start of a cue changes the speaker as in SRT and a cue without voice or
//! marker continues the speaker of the last marker; a `>>` later in a cue,
//! after whitespace, starts a new turn within it (see [`super::turns`]).
//! The header's `Language:` metadata (as YouTube writes it) fills the
//! session's language.

use std::io::BufRead;

use rapporteur_core::{Diagnostic, Segment, Session};

use super::cues::{CueStart, Cues};
use super::inline::Markup;
use super::input::Input;
use super::timestamp::{looks_like_timing, parse_timing_line};
use super::{Format, ReadOptions, SegmentSource};
use crate::CaptionError;

const EXAMPLE: &str = "00:01:02.345 --> 00:01:04.000";

/// Reads WebVTT.
#[derive(Debug)]
pub struct VttReader<R> {
    input: Input<R>,
    cues: Cues,
    session: Session,
    /// A timing line already read (it ended the previous cue's text).
    next_cue: Option<CueStart>,
    done: bool,
}

impl<R: BufRead + Send + 'static> VttReader<R> {
    /// Reads the header (up to the first blank line) and gets ready for cues.
    pub fn new(input: R, options: &ReadOptions) -> Result<Self, CaptionError> {
        let mut reader = VttReader {
            input: Input::new(input, options.max_line_bytes),
            cues: Cues::new("vtt", options.source, options.max_line_bytes),
            session: Session::default(),
            next_cue: None,
            done: false,
        };
        reader.read_header()?;
        Ok(reader)
    }
}

impl<R: BufRead> VttReader<R> {
    fn read_header(&mut self) -> Result<(), CaptionError> {
        // Blank lines before the signature are tolerated.
        loop {
            if !self.input.next()? {
                return Ok(());
            }
            if !self.input.is_blank() {
                break;
            }
        }
        let first = self.input.line.trim_start();
        let signature =
            first.strip_prefix("WEBVTT").is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
        if !signature {
            self.cues.warn(
                self.input.no,
                "no `WEBVTT` header line: reading the cues anyway (a WebVTT file starts with `WEBVTT`)".into(),
            );
            self.input.push_back();
            return Ok(());
        }
        // Header text and metadata lines, up to the first blank line.
        while self.input.next()? {
            if self.input.is_blank() {
                break;
            }
            if self.input.line.contains("-->") {
                // No blank line after the header: this is the first cue.
                self.input.push_back();
                break;
            }
            if let Some((key, value)) = self.input.line.split_once(':') {
                let value = value.trim();
                if key.trim().eq_ignore_ascii_case("language") && !value.is_empty() {
                    self.session.language = Some(value.to_string());
                }
            }
        }
        Ok(())
    }

    /// Finds the next cue's timing line, skipping blank lines and blocks
    /// that are not cues. `None` at the end of the input.
    fn find_cue(&mut self) -> Result<Option<CueStart>, CaptionError> {
        loop {
            if !self.input.next()? {
                return Ok(None);
            }
            if self.input.is_blank() {
                continue;
            }
            let line = self.input.line.trim_start();
            if line.contains("-->") {
                if let Some(cue) = self.timing()? {
                    return Ok(Some(cue));
                }
                continue;
            }
            if ["NOTE", "STYLE", "REGION"].iter().any(|kw| is_keyword_line(line, kw)) {
                self.input.skip_block()?;
                continue;
            }
            // A cue identifier: the timing line must follow.
            let id_line = self.input.no;
            if !self.input.next()? {
                self.cues.skipped(id_line, "a block without a cue timing line at the end of the file; skipped".into());
                return Ok(None);
            }
            if self.input.is_blank() {
                self.cues.skipped(id_line, "a block without a cue timing line; skipped".into());
                continue;
            }
            if self.input.line.contains("-->") {
                if let Some(cue) = self.timing()? {
                    return Ok(Some(cue));
                }
                continue;
            }
            self.cues.skipped(
                id_line,
                format!("a block without a cue timing line (expected `{EXAMPLE}` on line {}); skipped", id_line + 1),
            );
            self.input.skip_block()?;
        }
    }

    /// Parses the current line as a timing line; on failure warns and skips
    /// the rest of the block.
    fn timing(&mut self) -> Result<Option<CueStart>, CaptionError> {
        match parse_timing_line(&self.input.line) {
            Ok(timing) => Ok(Some(CueStart { timing, line: self.input.no })),
            Err(error) => {
                self.cues.bad_timing(self.input.no, &self.input.line, error, EXAMPLE);
                self.input.skip_block()?;
                Ok(None)
            }
        }
    }

    /// Reads cue text up to a blank line, the end, or a line with `-->`.
    /// Returns whether the input ended.
    fn read_text(&mut self) -> Result<bool, CaptionError> {
        self.cues.text.clear();
        while self.input.next()? {
            if self.input.is_blank() {
                return Ok(false);
            }
            if looks_like_timing(&self.input.line) && self.input.line.contains("-->") {
                self.next_cue = self.timing()?;
                return Ok(false);
            }
            self.cues.push_text(&self.input.line, Markup::VTT, self.input.no);
        }
        Ok(true)
    }
}

/// Whether `line` is `keyword` alone or followed by a space or tab.
fn is_keyword_line(line: &str, keyword: &str) -> bool {
    line.strip_prefix(keyword).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

impl<R: BufRead + Send> SegmentSource for VttReader<R> {
    fn format(&self) -> Format {
        Format::WebVtt
    }

    fn session(&self) -> &Session {
        &self.session
    }

    fn next_segment(&mut self) -> Result<Option<Segment>, CaptionError> {
        loop {
            if let Some(segment) = self.cues.next_ready() {
                return Ok(Some(segment));
            }
            if self.done {
                return Ok(None);
            }
            let cue = match self.next_cue.take() {
                Some(cue) => cue,
                None => match self.find_cue()? {
                    Some(cue) => cue,
                    None => {
                        self.done = true;
                        return self.cues.end(self.input.saw_text());
                    }
                },
            };
            let at_end = self.read_text()?;
            self.cues.finish_cue(cue, at_end);
        }
    }

    fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        let mut all = self.input.take_warnings();
        all.extend(self.cues.take_diagnostics());
        all.sort_by_key(|d| d.line);
        all
    }
}
