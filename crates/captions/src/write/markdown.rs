//! Placeholder until the markdown writer lands.

use std::io::{self, Write};

use rapporteur_core::{Segment, Session};

use super::SegmentSink;

/// Writes markdown.
#[derive(Debug)]
pub struct MarkdownSink<W> {
    out: W,
}

impl<W: Write> MarkdownSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        MarkdownSink { out }
    }
}

impl<W: Write> SegmentSink for MarkdownSink<W> {
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
