//! Captions in, timed transcripts out.
//!
//! * [`read`]: open any caption or transcript input (format detected from its
//!   content, the file extension only breaking ties) as a stream of
//!   [`Segment`](rapporteur_core::Segment)s, so that a 1 GB file is never held
//!   in memory whole.
//! * [`write`]: stream segments out as WebVTT, SRT, JSON, plain text or
//!   Markdown, breaking long segments into cues the way broadcast caption
//!   guidelines do.
//! * [`live`]: assemble a live caption feed (Zoom / StreamText chunks with
//!   sequence numbers, retries and backspaces) into segments as they complete.
//!
//! ```
//! use rapporteur_captions::{read, write};
//!
//! let vtt = "WEBVTT\n\n00:01.000 --> 00:04.000\n<v Ana>Good morning, everyone.\n";
//! let (transcript, warnings) = read::read_str(vtt, "example.vtt", &read::ReadOptions::default()).unwrap();
//! assert!(warnings.is_empty());
//! assert_eq!(transcript.segments[0].speaker.as_deref(), Some("Ana"));
//!
//! let srt = write::to_string(&transcript, write::OutputFormat::Srt, &write::WriteOptions::default()).unwrap();
//! assert!(srt.starts_with("1\n00:00:01,000 --> 00:00:04,000\n>> Ana: Good morning, everyone.\n"));
//! ```
#![deny(missing_docs)]

mod error;
pub mod lines;
pub mod live;
pub mod read;
pub mod write;

pub use error::CaptionError;

/// Changes when the same caption file and options would be read or written
/// differently (new format detection, cleaning, time estimation or cue
/// breaking), so that transcripts cached by the pipeline are redone by a new
/// build; the crate version alone does not change between such builds.
pub const CAPTIONS_REVISION: u32 = 1;
