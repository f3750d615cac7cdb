//! Reading captions and transcripts, one segment at a time.
//!
//! [`open`] sniffs the format from the first 64 KiB of content (the extension
//! only breaks ties), then returns a [`SegmentSource`] that parses lazily:
//! memory stays flat however long the file is. [`read_path`] and [`read_str`]
//! collect a whole [`Transcript`] when that is what the caller wants.

mod cart;
mod cues;
mod detect;
mod estimate;
mod inline;
mod input;
mod json;
mod paragraphs;
mod speaker;
mod srt;
mod text;
mod timestamp;
mod turns;
mod vtt;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use rapporteur_core::{Diagnostic, Segment, Session, Source, Transcript};

pub use detect::detect;
pub use estimate::Estimator;

use crate::CaptionError;

/// Input formats rapporteur reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// W3C WebVTT.
    WebVtt,
    /// SubRip, as real files are (lenient).
    Srt,
    /// A CART captioner's raw transcript (`>> NAME:` turns, no times).
    Cart,
    /// Speaker-tagged plain text (`(PERSON7) text`, `Name: text`) or plain paragraphs.
    Text,
    /// rapporteur's transcript JSON.
    Json,
}

impl Format {
    /// Short name used on the command line and in messages: `vtt`, `srt`, `cart`, `text`, `json`.
    pub fn name(self) -> &'static str {
        match self {
            Format::WebVtt => "vtt",
            Format::Srt => "srt",
            Format::Cart => "cart",
            Format::Text => "text",
            Format::Json => "json",
        }
    }

    /// What people call the format, for messages: `WebVTT`, `SRT`, `CART
    /// transcript`, `text`, `transcript JSON`.
    pub fn label(self) -> &'static str {
        match self {
            Format::WebVtt => "WebVTT",
            Format::Srt => "SRT",
            Format::Cart => "CART transcript",
            Format::Text => "text",
            Format::Json => "transcript JSON",
        }
    }

    /// The label with its indefinite article, as said aloud: `a WebVTT`,
    /// `an SRT` (an initialism read letter by letter takes `an` before a
    /// letter whose name starts with a vowel sound: F, H, L, M, N, R, S, X).
    pub fn label_with_article(self) -> String {
        let label = self.label();
        let first_word = label.split(' ').next().unwrap_or_default();
        let initialism = first_word.len() > 1 && first_word.bytes().all(|b| b.is_ascii_uppercase());
        let vowel_sound = match label.bytes().next() {
            Some(b'A' | b'E' | b'I' | b'O' | b'a' | b'e' | b'i' | b'o' | b'u') => true,
            Some(b'F' | b'H' | b'L' | b'M' | b'N' | b'R' | b'S' | b'X') => initialism,
            _ => false,
        };
        format!("{} {label}", if vowel_sound { "an" } else { "a" })
    }

    /// The format named `name` (as [`Format::name`] gives, plus `webvtt` and `txt`).
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name.to_ascii_lowercase().as_str() {
            "vtt" | "webvtt" => Format::WebVtt,
            "srt" => Format::Srt,
            "cart" => Format::Cart,
            "text" | "txt" => Format::Text,
            "json" => Format::Json,
            _ => return None,
        })
    }
}

/// How to read an input.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
    /// Speaking rate used to estimate times for text without times, in words per minute.
    pub speaking_rate_wpm: f64,
    /// Lines longer than this are cut (with a warning).
    pub max_line_bytes: usize,
    /// What the text is: captions (default) or ASR output or a report.
    pub source: Source,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            speaking_rate_wpm: 150.0,
            max_line_bytes: crate::lines::DEFAULT_MAX_LINE_BYTES,
            source: Source::Caption,
        }
    }
}

/// A parsed input that yields its segments one at a time.
pub trait SegmentSource: Send {
    /// The format being read.
    fn format(&self) -> Format;
    /// What the input itself says about its session (a CART title line, the
    /// JSON session object). The id is empty when the input does not give one.
    fn session(&self) -> &Session;
    /// The next segment, `Ok(None)` at the end. An `Err` ends the input.
    fn next_segment(&mut self) -> Result<Option<Segment>, CaptionError>;
    /// Warnings gathered so far (skipped cues, repaired times, ...), drained.
    fn take_diagnostics(&mut self) -> Vec<Diagnostic>;
}

/// How much of an input format detection looks at.
const HEAD_BYTES: usize = 64 * 1024;

/// Opens `input` (named `name` in messages; its extension breaks format ties).
///
/// Binary data and empty input are refused here (`CaptionError::Binary`,
/// `CaptionError::Empty`), whether the format is detected or forced, except
/// for forced JSON, which its parser checks.
pub fn open<R: Read + Send + 'static>(
    input: R,
    name: &str,
    options: &ReadOptions,
) -> Result<Box<dyn SegmentSource>, CaptionError> {
    // The head is read whole (not just what the first read gives, which from
    // a pipe may be a few bytes), then read again by the format's reader.
    let mut input = input;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut input).take(HEAD_BYTES as u64).read_to_end(&mut head)?;
    let complete = head.len() < HEAD_BYTES;
    let format = match options.format {
        // JSON is parsed whole, and its parser's errors say what is wrong and where.
        Some(Format::Json) => Format::Json,
        // A forced format still refuses binary data and empty input, with the
        // errors detection gives, rather than skipping it as broken cues.
        Some(f) => {
            detect::check_text(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head), complete)?;
            f
        }
        None => detect(&head, name)?,
    };
    let reader = BufReader::with_capacity(HEAD_BYTES, std::io::Cursor::new(head).chain(input));
    Ok(match format {
        Format::WebVtt => Box::new(vtt::VttReader::new(reader, options)?),
        Format::Srt => Box::new(srt::SrtReader::new(reader, options)?),
        Format::Cart => Box::new(cart::CartReader::new(reader, options)?),
        Format::Text => Box::new(text::TextReader::new(reader, options)?),
        Format::Json => Box::new(json::JsonReader::new(reader)?),
    })
}

/// Reads a whole file into a transcript. The session id defaults to one made
/// from the file name when the input does not give one.
pub fn read_path(path: &Path, options: &ReadOptions) -> Result<(Transcript, Vec<Diagnostic>), CaptionError> {
    let file = File::open(path)?;
    let name = path.to_string_lossy();
    let source = open(file, &name, options)?;
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    collect(source, &stem)
}

/// Reads a whole string into a transcript (`name` as for [`open`]).
pub fn read_str(input: &str, name: &str, options: &ReadOptions) -> Result<(Transcript, Vec<Diagnostic>), CaptionError> {
    let source = open(std::io::Cursor::new(input.as_bytes().to_vec()), name, options)?;
    let stem = Path::new(name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    collect(source, &stem)
}

/// Drains a source into a transcript.
pub fn collect(
    mut source: Box<dyn SegmentSource>,
    fallback_id: &str,
) -> Result<(Transcript, Vec<Diagnostic>), CaptionError> {
    let mut segments = Vec::new();
    let mut diagnostics = Vec::new();
    while let Some(segment) = source.next_segment()? {
        segments.push(segment);
        diagnostics.extend(source.take_diagnostics());
    }
    diagnostics.extend(source.take_diagnostics());
    let mut session = source.session().clone();
    if session.id.is_empty() {
        session.id = Session::id_from(fallback_id);
    }
    Ok((Transcript { session, segments }, diagnostics))
}
