//! What the CART and plain-text readers share: paragraphs of text without
//! times, one segment each, timed by the [`Estimator`].

use rapporteur_core::{Diagnostic, Segment, Source, Timing};

use super::inline::{spoken_words, Markup, TextBuilder};
use super::Estimator;
use crate::CaptionError;

/// The paragraph being read, the current speaker, and estimated times.
#[derive(Debug)]
pub(super) struct Paragraphs {
    text: TextBuilder,
    max_text: usize,
    /// The current speaker, continued by paragraphs without a marker.
    pub speaker: Option<String>,
    estimator: Estimator,
    source: Source,
    format: &'static str,
    emitted: usize,
    diagnostics: Vec<Diagnostic>,
}

impl Paragraphs {
    /// Shared state for a `format` reader.
    pub fn new(format: &'static str, source: Source, words_per_minute: f64, max_text: usize) -> Self {
        Paragraphs {
            text: TextBuilder::default(),
            max_text,
            speaker: None,
            estimator: Estimator::new(words_per_minute),
            source,
            format,
            emitted: 0,
            diagnostics: Vec::new(),
        }
    }

    /// Whether the open paragraph has text.
    pub fn has_text(&self) -> bool {
        !self.text.is_empty()
    }

    /// Adds a line to the open paragraph.
    pub fn push(&mut self, line: &str, line_no: usize) {
        if !self.text.push_line(line, Markup::PLAIN, self.max_text) {
            self.diagnostics.push(Diagnostic::warning(
                Some(line_no),
                format!("paragraph is longer than {} bytes; the rest of it was skipped", self.max_text),
            ));
        }
    }

    /// Closes the open paragraph: its segment, or `None` when it has no text.
    pub fn take(&mut self) -> Option<Segment> {
        if self.text.is_empty() {
            return None;
        }
        let text = self.text.text().to_string();
        self.text.clear();
        let (start, end) = self.estimator.next(spoken_words(&text));
        self.emitted += 1;
        Some(Segment::new(start, end, self.speaker.clone(), text, self.source, Timing::Estimated))
    }

    /// The end of the input: the end when paragraphs were read, else an error.
    pub fn end(&self, saw_text: bool) -> Result<Option<Segment>, CaptionError> {
        if self.emitted > 0 {
            Ok(None)
        } else if !saw_text {
            Err(CaptionError::Empty)
        } else {
            Err(CaptionError::NoCues { format: self.format, line: None })
        }
    }

    /// Warnings so far, drained.
    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diagnostics)
    }
}
