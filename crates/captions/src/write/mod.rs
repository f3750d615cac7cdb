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

/// A whole transcript in each of `formats`, in that order: the same text as
/// [`to_string`] gives for each, made in one pass over the segments. Every
/// segment's caption cues are planned once and shared by WebVTT and SRT (SRT
/// plans its own where a speaker marker starts the segment): planning cues is
/// most of the cost of writing a transcript.
pub fn to_strings(
    transcript: &Transcript,
    formats: &[OutputFormat],
    options: &WriteOptions,
) -> io::Result<Vec<String>> {
    /// A sink, with the two that can take planned cues kept apart.
    enum Planned<'a> {
        Vtt(vtt::VttSink<&'a mut Vec<u8>>),
        Srt(srt::SrtSink<&'a mut Vec<u8>>),
        Other(Box<dyn SegmentSink + 'a>),
    }
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); formats.len()];
    let mut sinks: Vec<Planned<'_>> = buffers
        .iter_mut()
        .zip(formats)
        .map(|(out, format)| match format {
            OutputFormat::Vtt => Planned::Vtt(vtt::VttSink::new(out, options.clone())),
            OutputFormat::Srt => Planned::Srt(srt::SrtSink::new(out, options.clone())),
            other => Planned::Other(sink(*other, out, options)),
        })
        .collect();
    let plans_cues = sinks.iter().any(|s| matches!(s, Planned::Vtt(_)));
    for sink in &mut sinks {
        match sink {
            Planned::Vtt(s) => s.begin(&transcript.session)?,
            Planned::Srt(s) => s.begin(&transcript.session)?,
            Planned::Other(s) => s.begin(&transcript.session)?,
        }
    }
    for segment in &transcript.segments {
        let cues = if plans_cues { split_into_cues(segment, options) } else { Vec::new() };
        for sink in &mut sinks {
            match sink {
                Planned::Vtt(s) => s.planned_segment(segment, &cues)?,
                Planned::Srt(s) => s.planned_segment(segment, plans_cues.then_some(cues.as_slice()))?,
                Planned::Other(s) => s.segment(segment)?,
            }
        }
    }
    for sink in &mut sinks {
        match sink {
            Planned::Vtt(s) => s.finish()?,
            Planned::Srt(s) => s.finish()?,
            Planned::Other(s) => s.finish()?,
        }
    }
    drop(sinks);
    buffers
        .into_iter()
        .map(|out| String::from_utf8(out).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)))
        .collect()
}

/// A whole transcript as a string.
pub fn to_string(transcript: &Transcript, format: OutputFormat, options: &WriteOptions) -> io::Result<String> {
    let mut out = Vec::new();
    write_transcript(transcript, format, &mut out, options)?;
    String::from_utf8(out).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}
