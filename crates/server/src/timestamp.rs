//! Times captioning tools send: StreamText's `X-Timestamp`, YouTube's
//! caption lines.

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]` (a space may replace the
/// `T`; no zone means UTC) into unix milliseconds.
pub fn parse_iso(text: &str) -> Option<u64> {
    let text = text.trim();
    let b = text.as_bytes();
    if b.len() < 19
        || b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't' | b' '))
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let s = text.get(range)?;
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut rest = &text[19..];
    let mut millis = 0i64;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let first3: String = fraction[..digits].chars().chain("000".chars()).take(3).collect();
        millis = first3.parse().ok()?;
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "" | "Z" | "z" => 0,
        zone if zone.len() == 6 && zone.as_bytes()[3] == b':' => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hh: i64 = zone.get(1..3)?.parse().ok()?;
            let mm: i64 = zone.get(4..6)?.parse().ok()?;
            sign * (hh * 60 + mm)
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h * 3600 + mi * 60 + s - offset_minutes * 60;
    u64::try_from(secs * 1000 + millis).ok()
}

/// StreamText's `X-Timestamp`: ISO 8601, or a unix time in seconds
/// (possibly with decimals) or in milliseconds (13 digits).
pub fn parse_x_timestamp(text: &str) -> Option<u64> {
    let text = text.trim();
    if let Some(ms) = parse_iso(text) {
        return Some(ms);
    }
    let value: f64 = text.parse().ok()?;
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    // Unix seconds stay below 1e11 until the year 5138.
    let ms = if value >= 1e11 { value } else { value * 1000.0 };
    Some(ms.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let table: &[(&str, Option<u64>)] = &[
            ("1970-01-01T00:00:00Z", Some(0)),
            ("2020-11-12T09:30:00.250Z", Some(1_605_173_400_250)),
            ("2020-11-12 09:30:00.25", Some(1_605_173_400_250)),
            ("2020-11-12T10:30:00+01:00", Some(1_605_173_400_000)),
            ("2020-13-12T10:30:00Z", None),
            ("2020-11-12T10:30", None),
            ("2020-11-12T10:30:00.Z", None),
            ("yesterday", None),
        ];
        for (text, expected) in table {
            assert_eq!(parse_iso(text), *expected, "{text}");
        }
        assert_eq!(parse_x_timestamp("1605173400.25"), Some(1_605_173_400_250));
        assert_eq!(parse_x_timestamp("1605173400250"), Some(1_605_173_400_250));
        assert_eq!(parse_x_timestamp("-5"), None);
        assert_eq!(parse_x_timestamp("NaN"), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,40}") {
            let _ = parse_iso(&text);
            let _ = parse_x_timestamp(&text);
        }
    }
}
