//! Placeholder until the text writer lands.

use std::io::{self, Write};

use rapporteur_core::{Segment, Session};

use super::SegmentSink;

/// Writes text.
#[derive(Debug)]
pub struct TextSink<W> {
    out: W,
}

impl<W: Write> TextSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        TextSink { out }
    }
}

impl<W: Write> SegmentSink for TextSink<W> {
    fn begin(&mut self, _session: &Session) -> io::Result<()> {
        Ok(())
    }
    fn segment(&mut self, segment: &Segment) -> io::Result<()> {
        writeln!(self.out, "{}", segment.text)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
