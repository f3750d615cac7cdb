//! Which format an input is, from its first bytes.

use super::Format;
use crate::CaptionError;

/// Detects the format of an input from its first bytes (`head`, up to 64 KiB);
/// `name`'s extension only breaks ties (a `.vtt` file without its header).
pub fn detect(head: &[u8], name: &str) -> Result<Format, CaptionError> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    check_text(head, true)?;
    // A cut in the middle of a UTF-8 sequence at the end of the window is fine.
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start();
    let ext =
        std::path::Path::new(name).extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if trimmed.starts_with("WEBVTT") {
        return Ok(Format::WebVtt);
    }
    if trimmed.starts_with('{') {
        return Ok(Format::Json);
    }
    let mut cart_turns = 0;
    for line in trimmed.lines().take(2000) {
        let line = line.trim();
        if let Some(comma) = timing_line(line) {
            return Ok(match (ext.as_str(), comma) {
                ("vtt", _) => Format::WebVtt,
                ("srt", _) | (_, true) => Format::Srt,
                // `.` milliseconds and no WEBVTT header: SRT as many tools write it.
                _ => Format::Srt,
            });
        }
        if line.starts_with(">>") {
            cart_turns += 1;
        }
    }
    if cart_turns > 0 {
        return Ok(Format::Cart);
    }
    Ok(match ext.as_str() {
        "vtt" => Format::WebVtt,
        "srt" => Format::Srt,
        _ => Format::Text,
    })
}

/// Fails when `head` (the first bytes of an input, after any BOM) is binary
/// data, or, when `complete` says it is the whole input, only whitespace.
pub(super) fn check_text(head: &[u8], complete: bool) -> Result<(), CaptionError> {
    if let Some(offset) = binary_offset(head) {
        return Err(CaptionError::Binary { offset });
    }
    if complete && String::from_utf8_lossy(head).trim().is_empty() {
        return Err(CaptionError::Empty);
    }
    Ok(())
}

/// Whether `line` is a cue timing line; `Some(true)` when it uses `,` milliseconds.
fn timing_line(line: &str) -> Option<bool> {
    let arrow = line.find("-->")?;
    let left = line[..arrow].trim();
    let looks_like_time = !left.is_empty()
        && left.bytes().all(|b| b.is_ascii_digit() || matches!(b, b':' | b'.' | b','))
        && left.contains(':');
    looks_like_time.then(|| left.contains(','))
}

/// Offset of the first byte that makes `head` binary: a NUL, or too many
/// control characters overall.
fn binary_offset(head: &[u8]) -> Option<u64> {
    if let Some(pos) = memchr::memchr(0, head) {
        // UTF-16 files are full of NULs: still not something we read.
        return Some(pos as u64);
    }
    let mut controls = 0usize;
    let mut first = None;
    for (i, &b) in head.iter().enumerate() {
        if b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x08 | 0x0C) {
            controls += 1;
            first.get_or_insert(i);
        }
    }
    (controls * 20 > head.len().max(1)).then(|| first.unwrap_or(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(detect(b"\xEF\xBB\xBFWEBVTT\n\n", "x.txt").unwrap(), Format::WebVtt);
        assert_eq!(detect(b"1\r\n00:00:01,000 --> 00:00:02,000\r\nHi\r\n", "x.txt").unwrap(), Format::Srt);
        assert_eq!(detect(b"00:01.000 --> 00:02.000\nHi\n", "x.vtt").unwrap(), Format::WebVtt);
        assert_eq!(detect(b"Title\n***\n>> MS. A: Hi.\n", "x.vtt").unwrap(), Format::Cart);
        assert_eq!(detect(b"  {\"session\":", "x").unwrap(), Format::Json);
        assert_eq!(detect(b"Ana: hello\n", "x").unwrap(), Format::Text);
        assert!(matches!(detect(b"\x7fELF\x02\x01\x01\0\0\0", "x.srt"), Err(CaptionError::Binary { .. })));
        assert!(matches!(detect(b" \n\n ", "x.srt"), Err(CaptionError::Empty)));
    }
}
