//! Writing transcripts, one segment at a time.
//!
//! Every format is a [`SegmentSink`]: `begin` with the session, one call per
//! segment, `finish`. Nothing but the current segment is held, so writing a
//! huge transcript takes flat memory.

mod cues;
mod json;
mod markdown;
mod srt;
mod text;
mod vtt;

use std::io::{self, Write};

use rapporteur_core::{Segment, Session, Transcript};

pub use cues::{split_into_cues, Cue};

/// Output formats rapporteur writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutputFormat {
    /// WebVTT with `<v Speaker>` voice spans.
    Vtt,
    /// SubRip, with `>> NAME:` marking a change of speaker (the broadcast convention).
    Srt,
    /// rapporteur's transcript JSON, one segment per line.
    Json,
    /// Plain text: one paragraph per speaker turn.
    Txt,
    /// Markdown: speaker turns with `[hh:mm:ss]` times.
    Md,
}

impl OutputFormat {
    /// All formats, in the order `--to` lists them.
    pub const ALL: [OutputFormat; 5] =
        [OutputFormat::Vtt, OutputFormat::Srt, OutputFormat::Json, OutputFormat::Txt, OutputFormat::Md];

    /// The file extension (and `--to` name) of this format.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Vtt => "vtt",
            OutputFormat::Srt => "srt",
            OutputFormat::Json => "json",
            OutputFormat::Txt => "txt",
            OutputFormat::Md => "md",
        }
    }

    /// The format named `name` (`vtt`, `srt`, `json`, `txt`/`text`, `md`/`markdown`).
    pub fn from_name(name: &str) -> Option<OutputFormat> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "vtt" | "webvtt" => OutputFormat::Vtt,
            "srt" => OutputFormat::Srt,
            "json" => OutputFormat::Json,
            "txt" | "text" => OutputFormat::Txt,
            "md" | "markdown" => OutputFormat::Md,
            _ => return None,
        })
    }
}

/// How to lay out captions.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// Characters per caption line (broadcast guidelines: 32 to 42).
    pub max_line_chars: usize,
    /// Lines per cue.
    pub max_lines: usize,
    /// Shortest cue a reader can take in, in milliseconds (when the segment is long enough).
    pub min_cue_ms: u64,
    /// Longest a cue stays on screen, in milliseconds.
    pub max_cue_ms: u64,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions { max_line_chars: 42, max_lines: 2, min_cue_ms: 1000, max_cue_ms: 7000 }
    }
}

/// A streaming writer of one output format.
pub trait SegmentSink {
    /// Writes whatever comes before the first segment.
    fn begin(&mut self, session: &Session) -> io::Result<()>;
    /// Writes one segment.
    fn segment(&mut self, segment: &Segment) -> io::Result<()>;
    /// Writes whatever comes after the last segment and flushes.
    fn finish(&mut self) -> io::Result<()>;
}

/// A sink writing `format` to `out`.
pub fn sink<'a, W: Write + 'a>(format: OutputFormat, out: W, options: &WriteOptions) -> Box<dyn SegmentSink + 'a> {
    match format {
        OutputFormat::Vtt => Box::new(vtt::VttSink::new(out, options.clone())),
        OutputFormat::Srt => Box::new(srt::SrtSink::new(out, options.clone())),
        OutputFormat::Json => Box::new(json::JsonSink::new(out)),
        OutputFormat::Txt => Box::new(text::TextSink::new(out)),
        OutputFormat::Md => Box::new(markdown::MarkdownSink::new(out)),
    }
}

/// Writes a whole transcript.
pub fn write_transcript<W: Write>(
    transcript: &Transcript,
    format: OutputFormat,
    out: W,
    options: &WriteOptions,
) -> io::Result<()> {
    let mut sink = sink(format, out, options);
    sink.begin(&transcript.session)?;
    for segment in &transcript.segments {
        sink.segment(segment)?;
    }
    sink.finish()
}

/// A whole transcript as a string.
pub fn to_string(transcript: &Transcript, format: OutputFormat, options: &WriteOptions) -> io::Result<String> {
    let mut out = Vec::new();
    write_transcript(transcript, format, &mut out, options)?;
    String::from_utf8(out).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}
