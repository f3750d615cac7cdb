//! SubRip (SRT) as real files are, read one cue at a time.
//!
//! SRT has no specification, and files in the wild have a BOM, CRLF or CR
//! line ends, missing or wrong cue numbers, `.` instead of `,` before the
//! milliseconds, 1 or 2 digit milliseconds, `X1:... Y2:` coordinates after
//! the times, extra blank lines, blank lines inside cue text, no blank line
//! between cues, text lines that are numbers, HTML-ish tags and ASS `{\an8}`
//! tags. So a cue is not "a block between blank lines" but "a timing line and
//! the text up to the next cue start", where a cue starts at
//!
//! * a line that looks like a timing line (a digit first and an arrow), or
//! * a number line directly followed by such a line (or by a line starting
//!   with a timestamp: a timing line that lost its arrow, reported).
//!
//! Text after a blank line that does not start a cue belongs to the cue
//! before it (a blank line typed inside a cue), and a number line not
//! followed by a timing line is text (`1984`). A timing line that cannot be
//! read is a warning naming its line, and its block is skipped.
//!
//! Speakers follow the broadcast convention that rapporteur's SRT writer
//! uses: `>> NAME: ` at the start of a cue is a change of speaker, a bare
//! `>> ` a change to an unnamed speaker, and a cue without a marker continues
//! the previous marker's speaker. A `>>` later in a cue, after whitespace
//! (often at the start of its second line), starts a new turn within the cue
//! (see [`super::turns`]). A `<v Name>` voice span is accepted too, for its
//! own cue only, as in WebVTT.

use std::io::BufRead;

use rapporteur_core::{Diagnostic, Segment, Session};

use super::cues::{shorten, CueStart, Cues};
use super::inline::Markup;
use super::input::Input;
use super::timestamp::{looks_like_timing, parse_timing_line, starts_with_timestamp};
use super::{Format, ReadOptions, SegmentSource};
use crate::CaptionError;

const EXAMPLE: &str = "00:01:02,345 --> 00:01:04,000";

/// Number lines in a row that may still be cue numbers before a timing line.
const MAX_NUMBER_RUN: usize = 8;

/// Reads SRT.
#[derive(Debug)]
pub struct SrtReader<R> {
    input: Input<R>,
    cues: Cues,
    session: Session,
    /// A timing line already read (it ended the previous cue's text).
    next_cue: Option<CueStart>,
    /// The current line is a broken timing line whose block is to be skipped.
    skip_block: bool,
    /// A number line held while the line after it decides what it is.
    number: String,
    done: bool,
}

impl<R: BufRead + Send + 'static> SrtReader<R> {
    /// Gets ready to read cues (nothing is read yet).
    pub fn new(input: R, options: &ReadOptions) -> Result<Self, CaptionError> {
        Ok(SrtReader {
            input: Input::new(input, options.max_line_bytes),
            cues: Cues::new("srt", options.source, options.max_line_bytes),
            session: Session::default(),
            next_cue: None,
            skip_block: false,
            number: String::new(),
            done: false,
        })
    }
}

/// A cue number line: digits only (surrounding spaces allowed).
fn is_number(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

impl<R: BufRead> SrtReader<R> {
    /// Finds the next cue's timing line. `None` at the end of the input.
    fn find_cue(&mut self) -> Result<Option<CueStart>, CaptionError> {
        loop {
            if std::mem::take(&mut self.skip_block) {
                self.input.skip_block()?;
            }
            if !self.input.next()? {
                return Ok(None);
            }
            if self.input.is_blank() {
                continue;
            }
            if looks_like_timing(&self.input.line) {
                if let Some(cue) = self.timing() {
                    return Ok(Some(cue));
                }
                continue;
            }
            if is_number(&self.input.line) {
                let number_line = self.input.no;
                if !self.input.next()? {
                    self.cues
                        .skipped(number_line, "a cue number at the end of the file, without timing or text".into());
                    return Ok(None);
                }
                if self.input.is_blank() {
                    self.cues.skipped(
                        number_line,
                        format!("a cue number without a timing line (expected `{EXAMPLE}` on the next line); skipped"),
                    );
                    continue;
                }
                if let Some(cue) = self.timing() {
                    return Ok(Some(cue));
                }
                continue;
            }
            if starts_with_timestamp(&self.input.line) {
                self.timing();
                continue;
            }
            let shown = shorten(self.input.line.trim(), 40);
            self.cues.skipped(
                self.input.no,
                format!("text outside any cue (`{shown}`, no timing line before it); block skipped"),
            );
            self.skip_block = true;
        }
    }

    /// Parses the current line as a timing line; on failure warns and marks
    /// the rest of its block for skipping.
    fn timing(&mut self) -> Option<CueStart> {
        match parse_timing_line(&self.input.line) {
            Ok(timing) => Some(CueStart { timing, line: self.input.no }),
            Err(error) => {
                self.cues.bad_timing(self.input.no, &self.input.line, error, EXAMPLE);
                self.skip_block = true;
                None
            }
        }
    }

    /// Reads cue text up to the start of the next cue or the end.
    /// Returns whether the input ended.
    fn read_text(&mut self) -> Result<bool, CaptionError> {
        self.cues.text.clear();
        let mut have_line = false;
        loop {
            if !have_line && !self.input.next()? {
                return Ok(true);
            }
            have_line = false;
            if self.input.is_blank() {
                continue;
            }
            if looks_like_timing(&self.input.line) {
                self.next_cue = self.timing();
                return Ok(false);
            }
            if is_number(&self.input.line) {
                // Cue numbers if a timing line follows (a repeated number
                // included), else text (`1984`).
                self.number.clear();
                let number_line = self.input.no;
                for _ in 0..MAX_NUMBER_RUN {
                    if !self.number.is_empty() {
                        self.number.push(' ');
                    }
                    self.number.push_str(self.input.line.trim());
                    if !self.input.next()? {
                        self.cues.push_text(&self.number, Markup::SRT, number_line);
                        return Ok(true);
                    }
                    if !is_number(&self.input.line) {
                        break;
                    }
                }
                if looks_like_timing(&self.input.line) || starts_with_timestamp(&self.input.line) {
                    self.next_cue = self.timing();
                    return Ok(false);
                }
                self.cues.push_text(&self.number, Markup::SRT, number_line);
                have_line = true;
                continue;
            }
            self.cues.push_text(&self.input.line, Markup::SRT, self.input.no);
        }
    }
}

impl<R: BufRead + Send> SegmentSource for SrtReader<R> {
    fn format(&self) -> Format {
        Format::Srt
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
