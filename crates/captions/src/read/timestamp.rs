//! Cue timing lines (`00:01:02,345 --> 00:01:04,000 X1:...`), parsed by hand.
//!
//! One lenient grammar serves WebVTT and SRT, because real files of both mix
//! their conventions:
//!
//! * `h+:mm:ss` (hours of any width) or `mm:ss`; minutes and seconds may have
//!   one digit (`0:0:1,5` from sloppy tools) but must be below 60;
//! * an optional fraction after `.` or `,` of 1 to 3 digits, read as a decimal
//!   fraction: `,5` is half a second and `,05` fifty milliseconds (what the
//!   digits mean, rather than ffmpeg's "5 ms"); no fraction means `.000`;
//! * an arrow of one or more `-` then `>` (`-->`, and the `->` some tools write);
//! * anything after the end time (WebVTT cue settings, SRT `X1:` coordinates)
//!   is returned untouched for the caller to ignore.
//!
//! This runs once per cue, and [`looks_like_timing`] once per text line, so
//! both work on bytes without allocating.

/// Why a timing line could not be read, for the warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TimingError {
    /// The start time is malformed.
    Start,
    /// There is no `-->` after the start time.
    Arrow,
    /// The end time is malformed.
    End,
}

impl TimingError {
    /// What is wrong, for a warning.
    pub(super) fn describe(self) -> &'static str {
        match self {
            TimingError::Start => "the start time is not a time",
            TimingError::Arrow => "there is no `-->` between the times",
            TimingError::End => "the end time is not a time",
        }
    }
}

/// A parsed timing line, in milliseconds (cue settings and coordinates are ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TimingLine {
    /// Start, in milliseconds.
    pub start_ms: u64,
    /// End, in milliseconds.
    pub end_ms: u64,
}

/// Whether `line` is meant as a timing line: its first non-blank character is
/// a digit and it has an arrow. Such a line always starts a new cue (or is
/// reported as a malformed one), even without a blank line before it.
pub(super) fn looks_like_timing(line: &str) -> bool {
    let bytes = line.as_bytes();
    let first = bytes.iter().position(|b| !matches!(b, b' ' | b'\t'));
    match first {
        Some(i) if bytes.get(i).is_some_and(u8::is_ascii_digit) => memchr::memmem::find(bytes, b"->").is_some(),
        _ => false,
    }
}

/// Whether `line` starts with a timestamp (`00:00:05,000 00:00:06,000` with
/// its arrow lost): after a cue number, such a line is a broken timing line.
pub(super) fn starts_with_timestamp(line: &str) -> bool {
    parse_timestamp(skip_blanks(line.as_bytes())).is_some()
}

/// Parses `start --> end [settings]`.
pub(super) fn parse_timing_line(line: &str) -> Result<TimingLine, TimingError> {
    let bytes = skip_blanks(line.as_bytes());
    let (start_ms, rest) = parse_timestamp(bytes).ok_or(TimingError::Start)?;
    let rest = skip_blanks(rest);
    let dashes = rest.iter().take_while(|&&b| b == b'-').count();
    if dashes == 0 || rest.get(dashes) != Some(&b'>') {
        return Err(TimingError::Arrow);
    }
    let rest = skip_blanks(rest.get(dashes + 1..).unwrap_or_default());
    let (end_ms, rest) = parse_timestamp(rest).ok_or(TimingError::End)?;
    match rest.first() {
        None | Some(b' ' | b'\t') => Ok(TimingLine { start_ms, end_ms }),
        // `00:00:1O,000`: a letter inside the end time.
        Some(_) => Err(TimingError::End),
    }
}

fn skip_blanks(bytes: &[u8]) -> &[u8] {
    let n = bytes.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
    bytes.get(n..).unwrap_or_default()
}

/// Reads a run of ASCII digits: its value (None on overflow) and length.
fn digits(bytes: &[u8]) -> (Option<u64>, usize) {
    let mut value: Option<u64> = Some(0);
    let mut n = 0;
    for &b in bytes {
        if !b.is_ascii_digit() {
            break;
        }
        value = value.and_then(|v| v.checked_mul(10)).and_then(|v| v.checked_add(u64::from(b - b'0')));
        n += 1;
    }
    (value, n)
}

/// Parses one timestamp at the start of `bytes`: milliseconds and the rest.
pub(super) fn parse_timestamp(bytes: &[u8]) -> Option<(u64, &[u8])> {
    // Up to three `:`-separated groups of digits.
    let mut groups = [0u64; 3];
    let mut widths = [0usize; 3];
    let mut count = 0;
    let mut rest = bytes;
    loop {
        let (value, width) = digits(rest);
        if width == 0 || count == 3 {
            return None;
        }
        groups[count] = value?;
        widths[count] = width;
        count += 1;
        rest = rest.get(width..)?;
        match rest.first() {
            Some(b':') => rest = rest.get(1..)?,
            _ => break,
        }
    }
    let (hours, minutes, seconds) = match count {
        3 => (groups[0], groups[1], groups[2]),
        2 => (0, groups[0], groups[1]),
        _ => return None,
    };
    let minute_width = widths[count - 2];
    let second_width = widths[count - 1];
    if minutes > 59 || seconds > 59 || minute_width > 2 || second_width > 2 {
        return None;
    }
    let mut millis = 0;
    if let Some(b'.' | b',') = rest.first() {
        let fraction = rest.get(1..)?;
        let (value, width) = digits(fraction);
        millis = match (value, width) {
            (Some(v), 1) => v * 100,
            (Some(v), 2) => v * 10,
            (Some(v), 3) => v,
            _ => return None,
        };
        rest = fraction.get(width..)?;
    }
    let total = hours.checked_mul(3_600_000)?.checked_add(minutes * 60_000 + seconds * 1000 + millis)?;
    Some((total, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let table: &[(&str, Option<u64>)] = &[
            ("00:00:01.000", Some(1000)),
            ("00:00:01,000", Some(1000)),
            ("01:02:03.004", Some(3_723_004)),
            ("123:00:00.000", Some(442_800_000)),
            ("02:03.004", Some(123_004)),
            ("0:0:1,5", Some(1500)),
            ("00:00:01,05", Some(1050)),
            ("00:00:01", Some(1000)),
            ("00:60:00.000", None),
            ("00:00:60.000", None),
            ("00:00:01.0000", None),
            ("00:00:01.", None),
            ("1.000", None),
            ("a0:00:01.000", None),
            ("99999999999999999999:00:00.000", None),
            ("18446744073709551:00:00.000", None),
            ("00:00:00:01.000", None),
        ];
        for &(input, want) in table {
            assert_eq!(parse_timestamp(input.as_bytes()).map(|(ms, _)| ms), want, "{input}");
        }
    }

    #[test]
    fn timing_lines() {
        let ok = |s: &str| parse_timing_line(s).map(|t| (t.start_ms, t.end_ms));
        assert_eq!(ok("00:00:01,000 --> 00:00:02,500"), Ok((1000, 2500)));
        assert_eq!(ok("00:01.000 --> 00:02.000 align:start line:0%"), Ok((1000, 2000)));
        assert_eq!(ok("  00:00:01.000-->00:00:02.000  X1:100 X2:200 Y1:10 Y2:20"), Ok((1000, 2000)));
        assert_eq!(ok("00:00:01,000 -> 00:00:02,000"), Ok((1000, 2000)));
        assert_eq!(ok("00:00:01,000 > 00:00:02,000"), Err(TimingError::Arrow));
        assert_eq!(ok("00:00:01,000 --> 00:00:0x,000"), Err(TimingError::End));
        assert_eq!(ok("00:00:01,000 --> soon"), Err(TimingError::End));
        assert_eq!(ok("start --> 00:00:02,000"), Err(TimingError::Start));
        assert!(looks_like_timing(" 00:00:01,000 --> x"));
        assert!(!looks_like_timing("He said --> this"));
        assert!(!looks_like_timing("1984"));
    }
}
