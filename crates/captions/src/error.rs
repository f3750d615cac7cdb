//! Why an input could not be read.

use std::io;

use crate::read::Format;

/// An input that could not be read as captions or a transcript.
///
/// Positions are 1-based; the caller adds the file name.
#[derive(Debug, thiserror::Error)]
pub enum CaptionError {
    /// Reading the input failed.
    #[error("cannot read input: {0}")]
    Io(#[from] io::Error),
    /// The input is empty (or only whitespace).
    #[error("the input is empty: nothing to transcribe")]
    Empty,
    /// The input looks like binary data, not text.
    #[error("byte {offset}: this looks like binary data, not a caption or transcript text file (give a .vtt, .srt, CART .txt or transcript .json file)")]
    Binary {
        /// Byte offset of the first byte that gave it away.
        offset: u64,
    },
    /// The input is text but yielded no usable segment.
    #[error("no caption cue or speech text found{}: check that this is {} file", .line.map(|l| format!(" (last problem at line {l})")).unwrap_or_default(), format_with_article(.format))]
    NoCues {
        /// The short name ([`Format::name`]) of the format the input was read as.
        format: &'static str,
        /// Line of the last skipped block, if any.
        line: Option<usize>,
    },
    /// A structural error that stops reading.
    #[error("line {line}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// Transcript JSON that does not match the schema.
    #[error(transparent)]
    Json(#[from] rapporteur_core::TranscriptJsonError),
}

impl CaptionError {
    /// The 1-based line this error points at, when it has one.
    pub fn line(&self) -> Option<usize> {
        match self {
            CaptionError::Syntax { line, .. } => Some(*line),
            CaptionError::NoCues { line, .. } => *line,
            CaptionError::Json(e) => Some(e.line),
            _ => None,
        }
    }
}

/// `a WebVTT`, `an SRT` for a format's short name (the name itself when unknown).
fn format_with_article(name: &str) -> String {
    match Format::from_name(name) {
        Some(format) => format.label_with_article(),
        None => format!("a {name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_cues_names_the_format_with_its_article() {
        let table = [
            (
                Format::WebVtt,
                Some(3),
                "no caption cue or speech text found (last problem at line 3): check that this is a WebVTT file",
            ),
            (Format::Srt, None, "no caption cue or speech text found: check that this is an SRT file"),
            (Format::Cart, None, "no caption cue or speech text found: check that this is a CART transcript file"),
            (Format::Text, None, "no caption cue or speech text found: check that this is a text file"),
            (Format::Json, None, "no caption cue or speech text found: check that this is a transcript JSON file"),
        ];
        for (format, line, want) in table {
            assert_eq!(CaptionError::NoCues { format: format.name(), line }.to_string(), want);
        }
    }
}
