//! CART raw transcripts: what a human captioner typed live, posted after the
//! session, with speaker turns and no times.
//!
//! The shape IGF publishes:
//!
//! ```text
//! IGF 2020 - Day 4 - WS #999 Example Workshop Title
//!
//! The following are the outputs of the real-time captioning ... should not
//! be treated as an authoritative record.
//! ***
//! >> MODERATOR NAME:  Good morning, everyone.
//!
//! Second paragraph by the same speaker, with no marker.
//!
//! >> Can you hear me?
//! >>SPEAKER TWO: Yes.  (off microphone)  I think we can begin.
//! ```
//!
//! * Everything before a line of `***` is the header: its first line is the
//!   session title, the rest (the disclaimer) is dropped. The separator is
//!   looked for in the first 200 lines / 64 KiB, and only before the first
//!   `>>` turn, so that reading stays streaming: a file without it has no
//!   header and all of it is transcript.
//! * `>> NAME:` (with or without a space after `>>`) starts a turn; the name
//!   is upper-case words as captioners write them, honorifics (`MS.`, `DR.`,
//!   `CHAIR`) kept, spacing normalised (`MS.DIALLO` → `MS. DIALLO`).
//!   A bare `>>` (or `>>` before text that is not such a name) is a new,
//!   unnamed speaker. A `>>` later in a line after a space starts a new turn.
//! * One segment per paragraph (lines up to a blank line or the next turn,
//!   joined by a space); paragraphs without a marker continue the speaker.
//! * Annotations in parentheses (`(off microphone)`, `(inaudible)`) stay in
//!   the text; typographic dashes become `-` / `--`; spaces are collapsed.
//! * Times are estimated from the words spoken (annotations excluded) at
//!   [`ReadOptions::speaking_rate_wpm`], and marked `timing: estimated`.

use std::collections::VecDeque;
use std::io::BufRead;

use rapporteur_core::{Diagnostic, Segment, Session};

use super::inline::{Markup, TextBuilder};
use super::input::Input;
use super::paragraphs::Paragraphs;
use super::speaker::{self, NameStyle};
use super::{Format, ReadOptions, SegmentSource};
use crate::CaptionError;

/// How far the `***` header separator is looked for.
const HEADER_MAX_LINES: usize = 200;
const HEADER_MAX_BYTES: usize = 64 * 1024;

/// Reads a CART raw transcript.
#[derive(Debug)]
pub struct CartReader<R> {
    input: Input<R>,
    paragraphs: Paragraphs,
    session: Session,
    done: bool,
}

impl<R: BufRead + Send + 'static> CartReader<R> {
    /// Reads the header (title and disclaimer), if the input has one.
    pub fn new(input: R, options: &ReadOptions) -> Result<Self, CaptionError> {
        let mut reader = CartReader {
            input: Input::new(input, options.max_line_bytes),
            paragraphs: Paragraphs::new("cart", options.source, options.speaking_rate_wpm, options.max_line_bytes),
            session: Session::default(),
            done: false,
        };
        reader.read_header()?;
        Ok(reader)
    }
}

/// A line of three or more `*` (spaces allowed): the end of the header.
fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.bytes().filter(|&b| b == b'*').count() >= 3 && t.bytes().all(|b| b == b'*' || b == b' ')
}

impl<R: BufRead> CartReader<R> {
    fn read_header(&mut self) -> Result<(), CaptionError> {
        let mut ahead: VecDeque<(usize, String)> = VecDeque::new();
        let mut bytes = 0;
        let mut separator = false;
        while self.input.next()? {
            if is_separator(&self.input.line) {
                separator = true;
                break;
            }
            let turn = self.input.line.trim_start().starts_with(">>");
            bytes += self.input.line.len();
            ahead.push_back(self.input.take_line());
            if turn || ahead.len() >= HEADER_MAX_LINES || bytes >= HEADER_MAX_BYTES {
                break;
            }
        }
        if separator {
            if let Some((_, title)) = ahead.iter().find(|(_, l)| !l.trim().is_empty()) {
                let mut clean = TextBuilder::default();
                clean.push_line(title, Markup::PLAIN, HEADER_MAX_BYTES);
                self.session.title = Some(clean.text().to_string());
            }
        } else {
            self.input.replay_all(ahead);
        }
        Ok(())
    }

    /// Adds the current line from `offset` on to the paragraph; a later `>>`
    /// turn in it is given back to be read as its own line.
    fn push_from(&mut self, offset: usize) {
        let line = self.input.line.get(offset..).unwrap_or_default();
        match speaker::marker_inside(line) {
            Some(at) => {
                let head = line.get(..at).unwrap_or_default();
                self.paragraphs.push(head, self.input.no);
                self.input.push_back_tail(offset + at);
            }
            None => self.paragraphs.push(line, self.input.no),
        }
    }
}

impl<R: BufRead + Send> SegmentSource for CartReader<R> {
    fn format(&self) -> Format {
        Format::Cart
    }

    fn session(&self) -> &Session {
        &self.session
    }

    fn next_segment(&mut self) -> Result<Option<Segment>, CaptionError> {
        if self.done {
            return Ok(None);
        }
        loop {
            if !self.input.next()? {
                if let Some(segment) = self.paragraphs.take() {
                    return Ok(Some(segment));
                }
                self.done = true;
                return self.paragraphs.end(self.input.saw_text());
            }
            if self.input.is_blank() || is_separator(&self.input.line) {
                if let Some(segment) = self.paragraphs.take() {
                    return Ok(Some(segment));
                }
                continue;
            }
            let line = &self.input.line;
            match speaker::marker(line, NameStyle::UpperCase) {
                Some(_) if self.paragraphs.has_text() => {
                    // A new turn right after a paragraph line: close the paragraph first.
                    self.input.push_back();
                    return Ok(self.paragraphs.take());
                }
                Some((name, rest)) => {
                    let offset = line.len() - rest.len();
                    self.paragraphs.speaker = name;
                    self.push_from(offset);
                }
                None => self.push_from(0),
            }
        }
    }

    fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        let mut all = self.input.take_warnings();
        all.extend(self.paragraphs.take_diagnostics());
        all.sort_by_key(|d| d.line);
        all
    }
}
