//! Splitting a finding's text into sentences, without breaking at the full
//! stops of abbreviations ("e.g.", "Mr.", "U.N.").

/// Words whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "cf", "al", "approx", "fig", "u.n", "u.s",
    "u.k", "e.u", "inc", "ltd", "co", "jr", "sr", "hon", "amb",
];

fn is_abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    let word = word.trim_end_matches('.').to_lowercase();
    ABBREVIATIONS.contains(&word.as_str())
        // Single letters ("J. Smith") and dotted acronyms ("U.N.") too.
        || (word.chars().count() == 1 && word.chars().all(char::is_alphabetic))
}

/// The sentences of `text`, trimmed, in order. A sentence ends at `.`, `!`
/// or `?` (with any closing quotes or brackets) followed by white space and
/// then an upper-case letter, a digit, or an opening quote.
pub fn split(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (pos, c) = chars[k];
        if matches!(c, '.' | '!' | '?') {
            let mut end = k + 1;
            while end < chars.len()
                && matches!(chars[end].1, '"' | '\'' | ')' | '\u{201d}' | '\u{2019}' | '.' | '!' | '?')
            {
                end += 1;
            }
            let byte_end = chars.get(end).map(|&(p, _)| p).unwrap_or(text.len());
            let next_word = chars[end..].iter().find(|(_, ch)| !ch.is_whitespace());
            let has_space = chars.get(end).is_some_and(|(_, ch)| ch.is_whitespace());
            let starts_new = next_word.is_some_and(|&(_, ch)| {
                ch.is_uppercase() || ch.is_ascii_digit() || matches!(ch, '"' | '\u{201c}' | '(')
            });
            let abbreviation = c == '.' && is_abbreviation(&text[start..pos]);
            if next_word.is_none() || (has_space && starts_new && !abbreviation) {
                let sentence = text[start..byte_end].trim();
                if !sentence.is_empty() {
                    out.push(sentence.to_string());
                }
                start = byte_end;
            }
            k = end;
            continue;
        }
        k += 1;
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_sentence_ends_only() {
        let table: &[(&str, &[&str])] = &[
            ("One. Two! Three?", &["One.", "Two!", "Three?"]),
            ("Data, e.g. health data. Next one.", &["Data, e.g. health data.", "Next one."]),
            ("As Mr. Smith and the U.N. said. Yes.", &["As Mr. Smith and the U.N. said.", "Yes."]),
            ("Version 2.0 is out. 2021 was hard.", &["Version 2.0 is out.", "2021 was hard."]),
            ("He said \"no.\" Then left", &["He said \"no.\"", "Then left"]),
            ("no end", &["no end"]),
            ("", &[]),
        ];
        for (text, expected) in table {
            assert_eq!(split(text), *expected, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_loses_words(text in "[A-Za-z .!?,\"]{0,80}") {
            let joined = split(&text).join(" ");
            let a: Vec<&str> = text.split_whitespace().collect();
            let b: Vec<&str> = joined.split_whitespace().collect();
            proptest::prop_assert_eq!(a, b);
        }
    }
}
