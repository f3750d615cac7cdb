//! rapporteur's own transcript JSON.

use std::io::Read;

use rapporteur_core::{Diagnostic, Segment, Session, Transcript};

use super::{Format, SegmentSource};
use crate::CaptionError;

/// Reads transcript JSON. JSON is parsed whole: transcripts in JSON are the
/// output of a session, not a stream (the streaming formats are VTT, SRT, CART).
#[derive(Debug)]
pub struct JsonReader {
    session: Session,
    segments: std::vec::IntoIter<Segment>,
    diagnostics: Vec<Diagnostic>,
}

impl JsonReader {
    /// Parses `input` whole.
    pub fn new<R: Read>(mut input: R) -> Result<Self, CaptionError> {
        let mut text = String::new();
        input.read_to_string(&mut text).map_err(|e| {
            if e.kind() == std::io::ErrorKind::InvalidData {
                CaptionError::Syntax { line: 1, message: "transcript JSON is not valid UTF-8".into() }
            } else {
                CaptionError::Io(e)
            }
        })?;
        let transcript = Transcript::from_json_str(&text)?;
        let mut diagnostics = Vec::new();
        for (i, s) in transcript.segments.iter().enumerate() {
            if s.end < s.start {
                diagnostics.push(Diagnostic::warning(
                    None,
                    format!("segment {} ends ({}) before it starts ({})", i + 1, s.end, s.start),
                ));
            }
        }
        Ok(JsonReader { session: transcript.session, segments: transcript.segments.into_iter(), diagnostics })
    }
}

impl SegmentSource for JsonReader {
    fn format(&self) -> Format {
        Format::Json
    }
    fn session(&self) -> &Session {
        &self.session
    }
    fn next_segment(&mut self) -> Result<Option<Segment>, CaptionError> {
        Ok(self.segments.next())
    }
    fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diagnostics)
    }
}
