//! Placeholder until the srt writer lands.

use std::io::{self, Write};

use rapporteur_core::{Segment, Session};

use super::{SegmentSink, WriteOptions};

/// Writes srt.
#[derive(Debug)]
pub struct SrtSink<W> {
    out: W,
}

impl<W: Write> SrtSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W, _options: WriteOptions) -> Self {
        SrtSink { out }
    }
}

impl<W: Write> SegmentSink for SrtSink<W> {
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
