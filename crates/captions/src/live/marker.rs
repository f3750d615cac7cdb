//! Speaker turn markers at the start of pending text: `>> NAME:` or a bare `>>`.
//!
//! CART captioners start each turn with `>>`, then the speaker's name in
//! capitals and a colon when they know it (`>> MS. SURNAME:`,
//! `>>SPEAKER TWO:`), or nothing (`>> Can you hear me?`). In a character
//! stream the name arrives letter by letter, so until the colon (or a
//! character no name has) the marker is [`Marker::Unresolved`]: its full stops
//! (`MS.`) must not be taken for sentence ends yet.

/// Names longer than this are not names: the text is a bare turn.
const MAX_NAME_CHARS: usize = 60;
/// Names with more words than this are not names either.
const MAX_NAME_WORDS: usize = 8;

/// What the pending text starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Marker {
    /// No turn marker: the text continues the current speaker.
    None,
    /// `>>` (or a lone `>` that may become one) whose name is not finished.
    Unresolved,
    /// `>>` without a name: an unnamed speaker; the text starts at `text_start`.
    Bare { text_start: usize },
    /// `>> NAME:`; the text starts at `text_start`, after the colon.
    Named { name: String, text_start: usize },
}

impl Marker {
    /// Where the turn's own text starts (0 without a marker).
    pub(crate) fn text_start(&self) -> usize {
        match self {
            Marker::None | Marker::Unresolved => 0,
            Marker::Bare { text_start } | Marker::Named { text_start, .. } => *text_start,
        }
    }
}

/// Reads the marker at the start of `chars`, and how many characters it took
/// to decide (a backspace below that may change the answer). With `complete`,
/// nothing more will arrive, so an unfinished name is read as a bare turn.
pub(crate) fn parse(chars: &[char], complete: bool) -> (Marker, usize) {
    let unresolved = if complete { Marker::None } else { Marker::Unresolved };
    let Some(first) = chars.iter().position(|c| !c.is_whitespace()) else { return (unresolved, chars.len()) };
    let arrows = chars.iter().skip(first).take_while(|&&c| c == '>').count();
    let after_arrows = first + arrows;
    match arrows {
        0 => return (Marker::None, first + 1),
        1 if after_arrows == chars.len() => return (unresolved, chars.len()),
        1 => return (Marker::None, after_arrows + 1),
        _ => {}
    }
    let bare = Marker::Bare { text_start: after_arrows };
    let name_start = chars
        .iter()
        .skip(after_arrows)
        .position(|&c| !(c == ' ' || c == '\t'))
        .map_or(chars.len(), |p| after_arrows + p);
    for (offset, &c) in chars.iter().skip(name_start).enumerate() {
        let at = name_start + offset;
        if c == ':' {
            let marker = match clean_name(chars.get(name_start..at).unwrap_or_default()) {
                Some(name) => Marker::Named { name, text_start: at + 1 },
                None => bare,
            };
            return (marker, at + 1);
        }
        if !is_name_char(c) || offset >= MAX_NAME_CHARS {
            return (bare, at + 1);
        }
    }
    if complete {
        (bare, chars.len())
    } else {
        (Marker::Unresolved, chars.len())
    }
}

/// Characters of a name as CART writes it: capitals, digits, spaces and the
/// punctuation of honorifics and compound names.
fn is_name_char(c: char) -> bool {
    (c.is_alphabetic() && !c.is_lowercase())
        || c.is_ascii_digit()
        || matches!(c, ' ' | '\t' | '.' | '\'' | '\u{2019}' | '-' | '\u{2010}' | '\u{2011}' | '&' | '(' | ')')
}

/// The name single-spaced, if it is one: starts with a letter, not too many words.
fn clean_name(chars: &[char]) -> Option<String> {
    let raw: String = chars.iter().collect();
    let words: Vec<&str> = raw.split_whitespace().collect();
    let starts_with_letter = words.first()?.chars().next()?.is_alphabetic();
    (starts_with_letter && words.len() <= MAX_NAME_WORDS)
        .then(|| words.join(" ").replace(['\u{2010}', '\u{2011}'], "-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str, text_start: usize) -> Marker {
        Marker::Named { name: name.into(), text_start }
    }

    #[test]
    fn markers_table() {
        let cases: Vec<(&str, bool, Marker)> = vec![
            ("", false, Marker::Unresolved),
            ("", true, Marker::None),
            ("  ", false, Marker::Unresolved),
            ("  ", true, Marker::None),
            ("Hello", false, Marker::None),
            (" >", false, Marker::Unresolved),
            (" >", true, Marker::None),
            ("> x", false, Marker::None),
            (">>", false, Marker::Unresolved),
            (">> MS. SUR", false, Marker::Unresolved),
            (">> MS. SUR", true, Marker::Bare { text_start: 2 }),
            (">> MS.  SURNAME: Hi", false, named("MS. SURNAME", 16)),
            (">>SPEAKER TWO: Yes.", false, named("SPEAKER TWO", 14)),
            ("\n>>> CHAIR:", false, named("CHAIR", 11)),
            (">> JOSÉ O'NEIL-ŠTEFAN:", false, named("JOSÉ O'NEIL-ŠTEFAN", 22)),
            (">> ANA\u{2011}MARIA:", false, named("ANA-MARIA", 13)),
            (">> Can you hear me?", false, Marker::Bare { text_start: 2 }),
            (">> (off microphone)", false, Marker::Bare { text_start: 2 }),
            (">> 1:30 is the time", false, Marker::Bare { text_start: 2 }),
            (">>: hello", false, Marker::Bare { text_start: 2 }),
            (">> YES\nTHANKS:", false, Marker::Bare { text_start: 2 }),
            (">> A B C D E F G H I: x", false, Marker::Bare { text_start: 2 }),
        ];
        for (text, complete, want) in cases {
            let chars: Vec<char> = text.chars().collect();
            assert_eq!(parse(&chars, complete).0, want, "{text:?}");
        }
        let long = format!(">> {}", "A".repeat(MAX_NAME_CHARS + 1));
        assert_eq!(parse(&long.chars().collect::<Vec<_>>(), false), (Marker::Bare { text_start: 2 }, 64));
    }

    #[test]
    fn decided_by_counts_the_characters_that_decide() {
        let cases: Vec<(&str, usize)> =
            vec![("  Hello", 3), ("> x", 2), (">> MS. X: Hi", 9), (">> Can you", 5), ("   ", 3), (">> MS", 5)];
        for (text, want) in cases {
            let chars: Vec<char> = text.chars().collect();
            assert_eq!(parse(&chars, false).1, want, "{text:?}");
        }
    }
}
