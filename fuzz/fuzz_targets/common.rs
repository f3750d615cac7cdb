//! What every target does: read the bytes as one format, check the segments.

use std::io::Cursor;

use rapporteur_captions::read::{self, Format, ReadOptions};

/// Reads `data` forced as `format` (or detected, with `None`) with a small
/// line limit so that cutting is exercised, and checks what the model
/// promises about every segment. Errors are fine; panics are the bugs.
pub fn read_as(format: Option<Format>, data: &[u8]) {
    let options = ReadOptions { format, max_line_bytes: 512, ..ReadOptions::default() };
    let Ok(mut source) = read::open(Cursor::new(data.to_vec()), "fuzz.txt", &options) else {
        return;
    };
    let _ = source.session();
    while let Ok(Some(segment)) = source.next_segment() {
        let _ = source.take_diagnostics();
        if format == Some(Format::Json) {
            continue;
        }
        assert!(segment.end >= segment.start, "{segment:?}");
        assert!(!segment.text.contains(['\n', '\r']), "{segment:?}");
        assert!(!segment.text.contains("  "), "{segment:?}");
        assert_eq!(segment.text.trim(), segment.text, "{segment:?}");
    }
}
