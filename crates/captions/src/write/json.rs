//! Transcript JSON, streamed: the session, then one segment per line.

use std::io::{self, Write};

use rapporteur_core::{Segment, Session};

use super::SegmentSink;

/// Writes `{"session":{...},"segments":[` then one segment per line, then `]}`:
/// valid JSON, diff-friendly, and written without holding the transcript.
#[derive(Debug)]
pub struct JsonSink<W> {
    out: W,
    first: bool,
}

impl<W: Write> JsonSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        JsonSink { out, first: true }
    }
}

impl<W: Write> SegmentSink for JsonSink<W> {
    fn begin(&mut self, session: &Session) -> io::Result<()> {
        self.out.write_all(b"{\"session\":")?;
        serde_json::to_writer(&mut self.out, session)?;
        self.out.write_all(b",\"segments\":[")
    }

    fn segment(&mut self, segment: &Segment) -> io::Result<()> {
        self.out.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        serde_json::to_writer(&mut self.out, segment)?;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.write_all(if self.first { b"]}\n" } else { b"\n]}\n" })?;
        self.out.flush()
    }
}
