//! UTF-8 decoding of a byte stream read in arbitrary pieces.
//!
//! A read may end in the middle of a multi-byte character; those bytes wait
//! for the next read instead of becoming replacement characters.

/// Decoder state between reads.
#[derive(Debug, Default)]
pub struct Utf8Stream {
    /// Bytes of a character cut by the end of the last read.
    carry: Vec<u8>,
    /// Bytes decoded so far (for positions in warnings).
    offset: u64,
    started: bool,
}

/// Invalid bytes found in one piece: how many sequences, and the first one's offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid {
    pub count: usize,
    pub first_offset: u64,
}

impl Utf8Stream {
    /// Decodes the next piece. Invalid sequences become U+FFFD; a byte order
    /// mark at the very start is dropped.
    pub fn decode(&mut self, bytes: &[u8]) -> (String, Option<Invalid>) {
        let mut data = std::mem::take(&mut self.carry);
        data.extend_from_slice(bytes);
        let mut text = String::with_capacity(data.len());
        let mut invalid: Option<Invalid> = None;
        let mut rest: &[u8] = &data;
        let mut consumed = 0u64;
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    text.push_str(valid);
                    consumed += rest.len() as u64;
                    break;
                }
                Err(error) => {
                    let (valid, after) = rest.split_at(error.valid_up_to());
                    // `valid_up_to` bytes are valid UTF-8 by definition.
                    text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                    consumed += valid.len() as u64;
                    match error.error_len() {
                        Some(len) => {
                            text.push(char::REPLACEMENT_CHARACTER);
                            let at = self.offset + consumed;
                            let entry = invalid.get_or_insert(Invalid { count: 0, first_offset: at });
                            entry.count += 1;
                            consumed += len as u64;
                            rest = after.get(len..).unwrap_or_default();
                        }
                        None => {
                            // A character cut by the end of this piece.
                            self.carry = after.to_vec();
                            break;
                        }
                    }
                }
            }
        }
        self.offset += consumed;
        if !self.started && !text.is_empty() {
            self.started = true;
            if let Some(stripped) = text.strip_prefix('\u{FEFF}') {
                text = stripped.to_string();
            }
        }
        (text, invalid)
    }

    /// The input ended: a character still cut off is invalid.
    pub fn finish(&mut self) -> (String, Option<Invalid>) {
        if self.carry.is_empty() {
            return (String::new(), None);
        }
        self.carry.clear();
        (char::REPLACEMENT_CHARACTER.to_string(), Some(Invalid { count: 1, first_offset: self.offset }))
    }

    /// The input starts over (a truncated file): forget any cut character.
    pub fn restart(&mut self) {
        *self = Utf8Stream::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_cut_between_reads_are_joined() {
        let bytes = "\u{FEFF}Ação — ok".as_bytes();
        for cut in 0..=bytes.len() {
            let mut stream = Utf8Stream::default();
            let (mut text, a) = stream.decode(&bytes[..cut]);
            let (more, b) = stream.decode(&bytes[cut..]);
            text.push_str(&more);
            assert_eq!(text, "Ação — ok", "cut at {cut}");
            assert_eq!((a, b, stream.finish().0.as_str()), (None, None, ""));
        }
    }

    #[test]
    fn invalid_bytes_are_replaced_and_located() {
        let mut stream = Utf8Stream::default();
        let (text, invalid) = stream.decode(b"ab\xffc\xfe");
        assert_eq!(text, "ab\u{FFFD}c\u{FFFD}");
        assert_eq!(invalid, Some(Invalid { count: 2, first_offset: 2 }));
        let (text, invalid) = stream.decode(b"x\xe2\x82");
        assert_eq!((text.as_str(), invalid), ("x", None));
        assert_eq!(stream.finish(), ("\u{FFFD}".to_string(), Some(Invalid { count: 1, first_offset: 6 })));
    }
}
