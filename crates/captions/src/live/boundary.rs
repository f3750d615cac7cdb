//! Where one segment ends and the next begins, decided character by character.
//!
//! A boundary is only certain once the character after it has arrived: a full
//! stop may be followed by a backspace that deletes it, so `Hello.` stays
//! pending until a space and then another non-space character come. The
//! boundaries are:
//!
//! * a turn marker `>>` (the text before it ends);
//! * a sentence end: `.`, `?`, `!` or `…` (then optional closing quotes or
//!   brackets), whitespace, then a character that is not a lower-case letter,
//!   and not after an abbreviation such as `MS.` or `e.g.`;
//! * a blank line (a CART paragraph), then a non-space character.

/// Words that end in a full stop without ending a sentence (compared in lower case).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "vs", "e.g", "i.e", "h.e", "amb", "hon", "gen",
    "sen", "rep", "gov", "pres", "cf", "fig", "approx", "dept", "univ", "u.s", "u.k", "u.n",
];

/// The number of characters to emit if the last character of `chars` completes
/// a boundary no earlier than `min` (the end of a turn marker).
pub(crate) fn at_last(chars: &[char], min: usize) -> Option<usize> {
    let last = chars.len().checked_sub(1)?;
    let c = *chars.get(last)?;
    if c.is_whitespace() {
        return None;
    }
    let boundary = if c == '>' && is_new_turn(&chars[..last]) {
        last - 1
    } else {
        // Whitespace between the previous text and `c`.
        let space_start = chars[..last].iter().rposition(|c| !c.is_whitespace()).map_or(0, |p| p + 1);
        if space_start == last {
            return None;
        }
        let space = &chars[space_start..last];
        if is_paragraph_break(space) || is_sentence_end(&chars[..space_start], c) {
            space_start
        } else {
            return None;
        }
    };
    let has_text_before = chars[..boundary].iter().any(|c| !c.is_whitespace());
    (boundary >= min && has_text_before).then_some(boundary)
}

/// The first boundary anywhere in `chars` (after a turn marker is resolved,
/// the full stops inside it that were put on hold are looked at again).
pub(crate) fn first(chars: &[char], min: usize) -> Option<usize> {
    (1..chars.len()).find_map(|end| at_last(&chars[..=end], min))
}

/// `before` ends in exactly one `>`, so that the next `>` makes a `>>`.
fn is_new_turn(before: &[char]) -> bool {
    match before {
        [.., a, '>'] => *a != '>',
        ['>'] => true,
        _ => false,
    }
}

fn is_paragraph_break(space: &[char]) -> bool {
    let newlines = space.iter().filter(|&&c| c == '\n' || c == '\u{2029}').count();
    let returns = space.iter().filter(|&&c| c == '\r').count();
    newlines >= 2 || (newlines == 0 && returns >= 2)
}

fn is_sentence_end(before: &[char], next: char) -> bool {
    if next.is_lowercase() {
        return false;
    }
    let closers = before.iter().rev().take_while(|&&c| is_closer(c)).count();
    let Some(end) = before.len().checked_sub(closers + 1) else { return false };
    match before.get(end) {
        Some('?' | '!' | '…') => true,
        Some('.') => !is_abbreviation(&before[..end], next),
        _ => false,
    }
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '\u{201D}' | '\u{2019}' | '\u{00BB}')
}

/// Whether the word before a full stop is an abbreviation or an initial.
fn is_abbreviation(before_stop: &[char], next: char) -> bool {
    let word_start =
        before_stop.iter().rposition(|c| c.is_whitespace() || matches!(c, '(' | '"' | '[')).map_or(0, |p| p + 1);
    let word = &before_stop[word_start..];
    if let [initial] = word {
        return initial.is_uppercase();
    }
    let lower: String = word.iter().flat_map(|c| c.to_lowercase()).collect();
    if lower == "no" || lower == "nos" {
        // `No. 5` is a number; `I said no. Then` ends a sentence.
        return next.is_ascii_digit();
    }
    ABBREVIATIONS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn boundary_at_last_character_table() {
        let cases: Vec<(&str, Option<usize>)> = vec![
            ("Hello.", None),
            ("Hello. ", None),
            ("Hello. W", Some(6)),
            ("Hello.  \n W", Some(6)),
            ("Hello? W", Some(6)),
            ("Really!\"  W", Some(8)),
            ("(pause). W", Some(8)),
            ("Hello. w", None),
            ("Hello.W", None),
            ("Thank you, Ms. D", None),
            ("Ask MS. X", None),
            ("Ask Mr. X", None),
            ("Plan J. S", None),
            ("see e.g. A", None),
            ("Item No. 5", None),
            ("I said no. T", Some(10)),
            ("Word... T", Some(7)),
            ("Hello >>", Some(6)),
            (">>", None),
            ("  >>", None),
            ("Hello >>>", None),
            ("Title line\n\nT", Some(10)),
            ("Title line\r\n\r\nT", Some(10)),
            ("Title line\nT", None),
            ("Hello. >", Some(6)),
            ("a.b", None),
        ];
        for (text, want) in cases {
            assert_eq!(at_last(&chars(text), 0), want, "{text:?}");
        }
    }

    #[test]
    fn marker_end_is_respected() {
        assert_eq!(at_last(&chars(">> MS. X"), 3), None);
        assert_eq!(first(&chars(">> YES. I AGREE. We"), 2), Some(7));
        assert_eq!(first(&chars(">> YES I"), 2), None);
    }
}
