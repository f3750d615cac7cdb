//! A streaming line reader for caption text as real files are.
//!
//! Handles what caption files in the wild contain: a UTF-8 byte-order mark,
//! `\n`, `\r\n` and lone `\r` line ends (old Mac tools still write those),
//! invalid UTF-8 (decoded lossily, with a warning naming line and column), NUL
//! bytes, and lines of many megabytes (cut at a limit, with a warning, and
//! never buffered whole). Lines are numbered from 1 for diagnostics.

use std::io::{self, BufRead};

use rapporteur_core::Diagnostic;

/// Lines longer than this many bytes are cut (the rest is skipped, not stored).
pub const DEFAULT_MAX_LINE_BYTES: usize = 1 << 20;

/// Reads lines one at a time from a [`BufRead`], reusing one buffer.
#[derive(Debug)]
pub struct Lines<R> {
    inner: R,
    line_no: usize,
    bytes_read: u64,
    max_line_bytes: usize,
    raw: Vec<u8>,
    skip_lf: bool,
    at_start: bool,
    pushed_back: Option<(usize, String)>,
    warnings: Vec<Diagnostic>,
}

impl<R: BufRead> Lines<R> {
    /// Lines of `inner`, cut at [`DEFAULT_MAX_LINE_BYTES`].
    pub fn new(inner: R) -> Self {
        Lines {
            inner,
            line_no: 0,
            bytes_read: 0,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            raw: Vec::new(),
            skip_lf: false,
            at_start: true,
            pushed_back: None,
            warnings: Vec::new(),
        }
    }

    /// Changes the line length limit.
    pub fn with_max_line_bytes(mut self, max: usize) -> Self {
        self.max_line_bytes = max.max(1);
        self
    }

    /// The number of the line last returned (0 before the first).
    pub fn line_no(&self) -> usize {
        self.line_no
    }

    /// Bytes consumed from the input so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Warnings gathered so far (cut lines, invalid UTF-8, NUL bytes), drained.
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.warnings)
    }

    /// Gives a line back, so the next [`Lines::next_line`] returns it again.
    pub fn push_back(&mut self, line_no: usize, line: String) {
        self.pushed_back = Some((line_no, line));
    }

    /// Reads the next line into `out` (without its line end) and returns its
    /// number, or `None` at the end of the input.
    pub fn next_line(&mut self, out: &mut String) -> io::Result<Option<usize>> {
        out.clear();
        if let Some((no, line)) = self.pushed_back.take() {
            *out = line;
            self.line_no = no;
            return Ok(Some(no));
        }
        self.raw.clear();
        let mut cut = false;
        let mut saw_any = false;
        loop {
            let available = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                if !saw_any {
                    return Ok(None);
                }
                break;
            }
            let mut start = 0;
            if self.skip_lf {
                self.skip_lf = false;
                if available[0] == b'\n' {
                    start = 1;
                }
            }
            saw_any |= start < available.len();
            match memchr::memchr2(b'\n', b'\r', &available[start..]) {
                Some(pos) => {
                    let end = start + pos;
                    let room = self.max_line_bytes.saturating_sub(self.raw.len());
                    let take = (end - start).min(room);
                    self.raw.extend_from_slice(&available[start..start + take]);
                    cut |= take < end - start;
                    let is_cr = available[end] == b'\r';
                    let consumed = end + 1;
                    // A `\r\n` pair split across two buffers is handled by `skip_lf`.
                    if is_cr {
                        if consumed < available.len() {
                            let extra = usize::from(available[consumed] == b'\n');
                            self.consume(consumed + extra);
                        } else {
                            self.skip_lf = true;
                            self.consume(consumed);
                        }
                    } else {
                        self.consume(consumed);
                    }
                    break;
                }
                None => {
                    let len = available.len();
                    let room = self.max_line_bytes.saturating_sub(self.raw.len());
                    let take = (len - start).min(room);
                    self.raw.extend_from_slice(&available[start..start + take]);
                    cut |= take < len - start;
                    self.consume(len);
                }
            }
        }
        self.line_no += 1;
        let line_no = self.line_no;
        let mut bytes: &[u8] = &self.raw;
        if self.at_start {
            self.at_start = false;
            if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
                bytes = rest;
            }
        }
        if cut {
            self.warnings.push(Diagnostic::warning(
                Some(line_no),
                format!(
                    "line is longer than {} bytes; the rest of it was skipped (is this really a caption file?)",
                    self.max_line_bytes
                ),
            ));
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => out.push_str(s),
            Err(e) => {
                // A cut line may end inside a character: that is not the file's fault.
                let genuine = !(cut && e.error_len().is_none());
                if genuine {
                    let column = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).chars().count() + 1;
                    self.warnings.push(
                        Diagnostic::warning(
                            Some(line_no),
                            "invalid UTF-8; bad bytes replaced with U+FFFD (convert the file to UTF-8, e.g. `iconv -f WINDOWS-1252 -t UTF-8`)",
                        )
                        .at_column(column),
                    );
                }
                out.push_str(&String::from_utf8_lossy(bytes));
            }
        }
        if out.contains('\0') {
            self.warnings.push(Diagnostic::warning(Some(line_no), "NUL bytes removed"));
            out.retain(|c| c != '\0');
        }
        Ok(Some(line_no))
    }

    fn consume(&mut self, n: usize) {
        self.inner.consume(n);
        self.bytes_read += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8], cap: usize) -> (Vec<(usize, String)>, Vec<Diagnostic>) {
        // A tiny buffer exercises line ends split across reads.
        let mut lines = Lines::new(io::BufReader::with_capacity(3, input)).with_max_line_bytes(cap);
        let mut out = Vec::new();
        let mut s = String::new();
        while let Some(n) = lines.next_line(&mut s).unwrap() {
            out.push((n, s.clone()));
        }
        (out, lines.take_warnings())
    }

    #[test]
    fn line_ends_and_bom() {
        let (lines, w) = all(b"\xEF\xBB\xBFa\r\nb\rc\n\nd", 100);
        let texts: Vec<_> = lines.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(texts, ["a", "b", "c", "", "d"]);
        assert_eq!(lines.last().unwrap().0, 5);
        assert!(w.is_empty());
    }

    #[test]
    fn crlf_split_across_buffers() {
        let (lines, _) = all(b"ab\r\ncd\r\n", 100);
        let texts: Vec<_> = lines.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(texts, ["ab", "cd"]);
    }

    #[test]
    fn long_line_is_cut_with_warning() {
        let mut input = vec![b'x'; 1000];
        input.extend_from_slice(b"\nshort\n");
        let (lines, w) = all(&input, 10);
        assert_eq!(lines[0].1.len(), 10);
        assert_eq!(lines[1], (2, "short".to_string()));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, Some(1));
    }

    #[test]
    fn invalid_utf8_is_replaced_with_position() {
        let (lines, w) = all(b"ok\nab\xFFcd\n", 100);
        assert_eq!(lines[1].1, "ab\u{FFFD}cd");
        assert_eq!(w[0].line, Some(2));
        assert_eq!(w[0].column, Some(3));
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_keeps_text(data in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let (lines, _) = all(&data, 50);
            for (_, l) in &lines {
                proptest::prop_assert!(!l.contains('\n') && !l.contains('\r'));
            }
        }
    }
}
