//! Plain text transcripts: speaker-tagged lines or plain paragraphs, no times.
//!
//! * A line starting with a speaker tag starts a turn: `(PERSON7) text` (the
//!   form of anonymised transcripts) or `Name: text` (the form of meeting
//!   notes and of rapporteur's own text output). What counts as a tag, and
//!   what is kept out (`Note:`, `Summary:`, `(Applause)`, `10:30`, prose
//!   such as `Remember: we ...`), is listed in [`super::speaker::text_tag`].
//! * Otherwise lines join the open paragraph; a blank line ends it. One
//!   segment per paragraph or turn; a paragraph without a tag continues the
//!   previous speaker, or has none before the first tag.
//! * Typographic dashes become ASCII and spaces are collapsed, as for CART.
//! * Times are estimated at [`ReadOptions::speaking_rate_wpm`] and marked
//!   `timing: estimated`.

use std::io::BufRead;

use rapporteur_core::{Diagnostic, Segment, Session};

use super::input::Input;
use super::paragraphs::Paragraphs;
use super::speaker;
use super::{Format, ReadOptions, SegmentSource};
use crate::CaptionError;

/// Reads speaker-tagged or plain text.
#[derive(Debug)]
pub struct TextReader<R> {
    input: Input<R>,
    paragraphs: Paragraphs,
    session: Session,
    done: bool,
}

impl<R: BufRead + Send + 'static> TextReader<R> {
    /// Gets ready to read (nothing is read yet).
    pub fn new(input: R, options: &ReadOptions) -> Result<Self, CaptionError> {
        Ok(TextReader {
            input: Input::new(input, options.max_line_bytes),
            paragraphs: Paragraphs::new("text", options.source, options.speaking_rate_wpm, options.max_line_bytes),
            session: Session::default(),
            done: false,
        })
    }
}

impl<R: BufRead + Send> SegmentSource for TextReader<R> {
    fn format(&self) -> Format {
        Format::Text
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
            if self.input.is_blank() {
                if let Some(segment) = self.paragraphs.take() {
                    return Ok(Some(segment));
                }
                continue;
            }
            match speaker::text_tag(&self.input.line) {
                Some(_) if self.paragraphs.has_text() => {
                    // A new turn right after a paragraph line: close the paragraph first.
                    self.input.push_back();
                    return Ok(self.paragraphs.take());
                }
                Some((name, rest)) => {
                    self.paragraphs.speaker = Some(name);
                    self.paragraphs.push(rest, self.input.no);
                }
                None => self.paragraphs.push(&self.input.line, self.input.no),
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
