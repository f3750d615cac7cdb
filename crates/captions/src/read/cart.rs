//! Placeholder until the cart reader lands.

use std::io::BufRead;

use rapporteur_core::{Diagnostic, Segment, Session};

use super::{Format, ReadOptions, SegmentSource};
use crate::CaptionError;

/// Reads cart input.
#[derive(Debug)]
pub struct CartReader {
    session: Session,
}

impl CartReader {
    /// Starts reading.
    pub fn new<R: BufRead + Send + 'static>(_input: R, _options: &ReadOptions) -> Result<Self, CaptionError> {
        Err(CaptionError::Syntax { line: 1, message: "reader not written yet".into() })
    }
}

impl SegmentSource for CartReader {
    fn format(&self) -> Format {
        Format::WebVtt
    }
    fn session(&self) -> &Session {
        &self.session
    }
    fn next_segment(&mut self) -> Result<Option<Segment>, CaptionError> {
        Ok(None)
    }
    fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        Vec::new()
    }
}
