//! Placeholder until the vtt writer lands.

use std::io::{self, Write};

use rapporteur_core::{Segment, Session};

use super::{SegmentSink, WriteOptions};

/// Writes vtt.
#[derive(Debug)]
pub struct VttSink<W> {
    out: W,
}

impl<W: Write> VttSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W, _options: WriteOptions) -> Self {
        VttSink { out }
    }
}

impl<W: Write> SegmentSink for VttSink<W> {
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
