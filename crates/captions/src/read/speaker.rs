//! Who is speaking: the `>> NAME:` caption convention, and `Name:` /
//! `(PERSON7)` tags in plain text.
//!
//! Caption files and CART text mark a change of speaker with `>>` at the
//! start of a turn, followed by the speaker's name and a colon when the
//! captioner knows it (`>> MS. DIALLO: Thank you.`); a bare `>>` is a new,
//! unnamed speaker. What counts as a name differs by source:
//!
//! * CART ([`NameStyle::UpperCase`]): captioners write names in capitals, so
//!   a name is upper-case words (letters, digits, `.`, `'`, `-`, `_`);
//!   `>> Can you hear me: yes` is speech, not a speaker called "Can you hear me";
//! * caption files ([`NameStyle::Caption`]): rapporteur's own writer and other
//!   tools put names as they are spelt (`>> Amina Diallo:`, `>> ana lópez:`,
//!   `>> SPEAKER_00:` from diarised speech recognition), so whatever comes
//!   before the first `: ` within [`MAX_MARKER_NAME`] characters is the name:
//!   the `>>` already says that a speaker change follows. The name is kept
//!   as written, spaces collapsed, except that upper-case names, typed by
//!   captioners, are repaired as in CART (`MS.DIALLO` → `MS. DIALLO`).
//!
//! A `Name:` tag in plain text, which has no `>>` to announce it, is held to
//! the strict shapes of [`text_tag`].

/// What a speaker name may look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NameStyle {
    /// Upper-case words only (CART).
    UpperCase,
    /// Upper-case words or capitalised words (caption files).
    Caption,
}

/// The longest name (in characters, before the colon) looked for after `>>`.
const MAX_MARKER_NAME: usize = 60;

/// The longest `Name:` tag in plain text.
const MAX_TEXT_NAME: usize = 40;

/// Honorifics after which a missing space is put back (`MS.DIALLO`).
const HONORIFICS: &[&str] = &["MS.", "MR.", "MRS.", "DR.", "PROF.", "AMB.", "HON.", "H.E."];

/// Lower-case words allowed inside a capitalised name.
const PARTICLES: &[&str] = &[
    "de", "da", "del", "della", "di", "do", "dos", "das", "du", "la", "le", "van", "von", "der", "den", "al", "el",
    "bin", "ibn", "y",
];

/// A speaker marker at the start of a line: `Some((speaker, rest))` when the
/// line (after leading spaces) starts with `>>`, where `speaker` is `None` for
/// a bare `>>` and `rest` is the text after the marker.
pub(super) fn marker(line: &str, style: NameStyle) -> Option<(Option<String>, &str)> {
    let after = line.trim_start().strip_prefix(">>")?;
    // `>>>` from a stuck key is still one marker.
    let after = after.trim_start_matches('>').trim_start();
    let named = match style {
        NameStyle::UpperCase => name_before_colon(after, MAX_MARKER_NAME)
            .filter(|(name, _)| is_upper_case_name(name))
            .map(|(name, rest)| (normalise_name(name), rest)),
        NameStyle::Caption => name_before_colon_space(after, MAX_MARKER_NAME).map(|(name, rest)| {
            // Capitals are a captioner's typing, repaired as in CART
            // (`MS.DIALLO`); other names are kept as spelt.
            let name = if is_upper_case_name(name) {
                normalise_name(name)
            } else {
                name.split_whitespace().collect::<Vec<_>>().join(" ")
            };
            (name, rest)
        }),
    };
    match named {
        Some((name, rest)) => Some((Some(name), rest)),
        None => Some((None, after)),
    }
}

/// Where a later `>>` starts a new turn inside `line` (CART text that runs
/// two turns together): its byte offset, when it follows a space.
pub(super) fn marker_inside(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut from = 1;
    while let Some(pos) = bytes.get(from..).and_then(|b| memchr::memmem::find(b, b">>")) {
        let at = from + pos;
        if bytes.get(at - 1).is_some_and(|b| matches!(b, b' ' | b'\t')) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// A speaker tag at the start of a plain-text line: `(PERSON7) text` or
/// `Name: text`. Returns the speaker and the rest of the line.
///
/// Judgement calls, to keep prose from being read as speakers:
/// * `Name:` is 1 to 4 capitalised words (lower-case particles allowed) or
///   upper-case words, at most 40 characters, and the colon is followed by a
///   space or the end of the line (so `10:30` and `https:` are not names);
/// * a label word (`Note:`, `Summary:`, `Question:`, ... see [`LABELS`]) is
///   not a speaker, nor a name made only of label words (`Key Takeaways:`);
/// * a capitalised (not upper-case) name followed by lower-case prose
///   (`Remember: we need ...`) is not a speaker: turns start with a capital;
/// * `(...)` is a speaker when it is not an annotation from [`ANNOTATIONS`]
///   (`(Applause)`, `(inaudible)`) and is an id with digits (`PERSON7`,
///   `Speaker 2`), upper-case words, or capitalised words.
pub(super) fn text_tag(line: &str) -> Option<(String, &str)> {
    let line = line.trim_start();
    if let Some(inner) = line.strip_prefix('(') {
        let close = inner.find(')')?;
        let tag = inner.get(..close)?.trim();
        let rest = inner.get(close + 1..)?;
        if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) || tag.len() > MAX_TEXT_NAME {
            return None;
        }
        if is_annotation(tag) {
            return None;
        }
        let has_digit = tag.bytes().any(|b| b.is_ascii_digit());
        let starts_with_letter = tag.chars().next().is_some_and(char::is_alphabetic);
        let id_like =
            has_digit && starts_with_letter && tag.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-'));
        if id_like || is_upper_case_name(tag) || is_capitalised_name(tag, 4) {
            return Some((normalise_name(tag), rest.trim_start()));
        }
        return None;
    }
    let (name, rest) = name_before_colon(line, MAX_TEXT_NAME)?;
    if name.split_whitespace().all(|w| is_label(w.trim_end_matches('.'))) {
        return None;
    }
    let upper = is_upper_case_name(name);
    if !upper {
        if !is_capitalised_name(name, 4) {
            return None;
        }
        if rest.trim_start().chars().next().is_some_and(char::is_lowercase) {
            return None;
        }
    }
    Some((normalise_name(name), rest.trim_start()))
}

/// Splits `text` at a colon within its first `max` bytes that is followed by
/// whitespace or the end: the trimmed name and the text after the colon.
fn name_before_colon(text: &str, max: usize) -> Option<(&str, &str)> {
    let window = text.as_bytes().get(..text.len().min(max + 1)).unwrap_or_default();
    let colon = memchr::memchr(b':', window)?;
    let rest = text.get(colon + 1..)?;
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let name = text.get(..colon)?.trim();
    (!name.is_empty()).then_some((name, rest.trim_start()))
}

/// Splits `text` at its first colon that is followed by whitespace or the
/// end and comes after a name of at most `max_chars` characters: the trimmed name
/// and the text after the colon. Other colons before it (`10:30`) are part
/// of the name.
fn name_before_colon_space(text: &str, max_chars: usize) -> Option<(&str, &str)> {
    let window_end = text.char_indices().nth(max_chars + 1).map_or(text.len(), |(i, _)| i);
    let window = text.as_bytes().get(..window_end).unwrap_or_default();
    let mut from = 0;
    while let Some(pos) = window.get(from..).and_then(|w| memchr::memchr(b':', w)) {
        let colon = from + pos;
        let rest = text.get(colon + 1..)?;
        if rest.is_empty() || rest.starts_with(char::is_whitespace) {
            let name = text.get(..colon)?.trim();
            return (!name.is_empty()).then_some((name, rest.trim_start()));
        }
        from = colon + 1;
    }
    None
}

/// Upper-case words: capitals (any script), digits, spaces, `.`, `'`, `’`
/// and dashes, with at least one capital letter.
fn is_upper_case_name(name: &str) -> bool {
    let mut capitals = 0;
    for c in name.chars() {
        if c.is_uppercase() {
            capitals += 1;
        } else if !(c.is_ascii_digit() || c.is_whitespace() || is_name_punctuation(c)) {
            return false;
        }
    }
    capitals > 0
}

/// At most `max_words` capitalised words (`Amina`, `O'Brien`, `Jean-Luc`,
/// `Dr.`), lower-case particles allowed between them.
fn is_capitalised_name(name: &str, max_words: usize) -> bool {
    let mut words = 0;
    for (i, word) in name.split_whitespace().enumerate() {
        if i > 0 && PARTICLES.contains(&word) {
            continue;
        }
        let mut chars = word.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if !first_ok || !chars.all(|c| c.is_alphanumeric() || is_name_punctuation(c)) {
            return false;
        }
        words += 1;
    }
    (1..=max_words).contains(&words)
}

/// Punctuation inside name words; `_` for machine labels such as `SPEAKER_00`.
fn is_name_punctuation(c: char) -> bool {
    matches!(c, '.' | '\'' | '\u{2019}' | '-' | '\u{2010}' | '\u{2011}' | '_')
}

/// A name with single spaces, ASCII hyphens, and a space after an honorific
/// written without one (`MS.DIALLO` → `MS. DIALLO`); otherwise as written.
pub(super) fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        let honorific = HONORIFICS
            .iter()
            .find(|h| word.len() > h.len() && word.get(..h.len()).is_some_and(|p| p.eq_ignore_ascii_case(h)));
        match honorific {
            Some(h) if word.get(h.len()..).is_some_and(|r| r.starts_with(char::is_alphabetic)) => {
                out.push_str(word.get(..h.len()).unwrap_or_default());
                out.push(' ');
                out.push_str(word.get(h.len()..).unwrap_or_default());
            }
            _ => out.push_str(word),
        }
    }
    out.replace(['\u{2010}', '\u{2011}'], "-")
}

/// Words that end in a colon in documents without being speakers.
pub(super) const LABELS: &[&str] = &[
    "note",
    "notes",
    "nb",
    "ps",
    "example",
    "examples",
    "question",
    "questions",
    "answer",
    "summary",
    "agenda",
    "title",
    "subject",
    "re",
    "fwd",
    "date",
    "time",
    "location",
    "venue",
    "room",
    "day",
    "update",
    "warning",
    "caution",
    "important",
    "tip",
    "topic",
    "theme",
    "track",
    "session",
    "source",
    "sources",
    "link",
    "links",
    "url",
    "email",
    "phone",
    "tel",
    "web",
    "website",
    "disclaimer",
    "keywords",
    "background",
    "objective",
    "objectives",
    "outcome",
    "outcomes",
    "conclusion",
    "conclusions",
    "recommendation",
    "recommendations",
    "participants",
    "attendees",
    "speakers",
    "organizers",
    "organisers",
    "language",
    "transcript",
    "report",
    "reference",
    "references",
    "definition",
    "remember",
    "however",
    "therefore",
    "result",
    "results",
    "status",
    "goal",
    "goals",
    "purpose",
    "context",
    "problem",
    "solution",
    "issue",
    "issues",
    "action",
    "actions",
    "decision",
    "decisions",
    "key",
    "takeaways",
    "takeaway",
    "next",
    "steps",
    "policy",
    "items",
    "and",
    "or",
];

fn is_label(word: &str) -> bool {
    LABELS.iter().any(|l| l.eq_ignore_ascii_case(word))
}

/// Parenthesised annotations that captioners and transcribers write.
pub(super) const ANNOTATIONS: &[&str] = &[
    "applause",
    "laughter",
    "laughs",
    "laughing",
    "chuckles",
    "music",
    "inaudible",
    "indiscernible",
    "unintelligible",
    "pause",
    "crosstalk",
    "silence",
    "noise",
    "background noise",
    "coughs",
    "sighs",
    "off microphone",
    "off mic",
    "off-mic",
    "overlapping speakers",
    "overlapping",
    "no audio",
    "audio cuts out",
    "break",
    "end",
    "video",
    "video plays",
    "recording",
    "interpretation",
    "speaking non-english language",
    "technical difficulties",
    "session concluded",
    "end of session",
    "beep",
    "cheers",
    "?",
];

fn is_annotation(tag: &str) -> bool {
    ANNOTATIONS.iter().any(|a| a.eq_ignore_ascii_case(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        use NameStyle::*;
        type Row = (&'static str, NameStyle, Option<(Option<&'static str>, &'static str)>);
        let table: &[Row] = &[
            (">> MODERATOR NAME:  Good morning.", UpperCase, Some((Some("MODERATOR NAME"), "Good morning."))),
            (">>SPEAKER TWO: Yes.", UpperCase, Some((Some("SPEAKER TWO"), "Yes."))),
            (">> MS.  SURNAME:  Thank you", UpperCase, Some((Some("MS. SURNAME"), "Thank you"))),
            (">> MS.DIALLO: Hi", UpperCase, Some((Some("MS. DIALLO"), "Hi"))),
            (">> JOSÉ O'NEILL-ÅSE 2: Hi", UpperCase, Some((Some("JOSÉ O'NEILL-ÅSE 2"), "Hi"))),
            (">> Can you hear me?", UpperCase, Some((None, "Can you hear me?"))),
            (">> So the answer: yes", UpperCase, Some((None, "So the answer: yes"))),
            (">> Amina Diallo: Hi", UpperCase, Some((None, "Amina Diallo: Hi"))),
            (">> Amina Diallo: Hi", Caption, Some((Some("Amina Diallo"), "Hi"))),
            (">> Juan de la Cruz: Hi", Caption, Some((Some("Juan de la Cruz"), "Hi"))),
            // After `>>`, caption files may name anyone, however spelt.
            (">> So the answer: yes", Caption, Some((Some("So the answer"), "yes"))),
            (">> At 10:30 we start", Caption, Some((None, "At 10:30 we start"))),
            (">> At 10:30 we start: now", Caption, Some((Some("At 10:30 we start"), "now"))),
            (">> SPEAKER_00: Hello.", Caption, Some((Some("SPEAKER_00"), "Hello."))),
            (">> SPEAKER_00: Hello.", UpperCase, Some((Some("SPEAKER_00"), "Hello."))),
            (">> ana  lópez: Hola.", Caption, Some((Some("ana lópez"), "Hola."))),
            (">> ana lópez: Hola.", UpperCase, Some((None, "ana lópez: Hola."))),
            (">> Ms.Ana <b>: Hi", Caption, Some((Some("Ms.Ana <b>"), "Hi"))),
            (">> MS.DIALLO: Hi", Caption, Some((Some("MS. DIALLO"), "Hi"))),
            (">> 中文 名字: 你好", Caption, Some((Some("中文 名字"), "你好"))),
            (">> : Hi", Caption, Some((None, ": Hi"))),
            (">> Ana:", Caption, Some((Some("Ana"), ""))),
        ];
        for &(line, style, want) in table {
            let got = marker(line, style);
            let got = got.as_ref().map(|(s, r)| (s.as_deref(), *r));
            assert_eq!(got, want, "{line}");
        }
    }

    #[test]
    fn marker_names_are_at_most_sixty_characters() {
        let name = "é".repeat(MAX_MARKER_NAME);
        let line = format!(">> {name}: x");
        assert_eq!(marker(&line, NameStyle::Caption), Some((Some(name.clone()), "x")));
        let line = format!(">> {name}é: x");
        assert_eq!(marker(&line, NameStyle::Caption), Some((None, &line[3..])));
    }

    #[test]
    fn markers_inside_lines() {
        assert_eq!(marker_inside("Yes. >> MR. X: No."), Some(5));
        assert_eq!(marker_inside(">> A: b"), None);
        assert_eq!(marker_inside("a>>b >>"), Some(5));
    }

    #[test]
    fn text_tags() {
        let table: &[(&str, Option<(&str, &str)>)] = &[
            ("(PERSON7) We should begin.", Some(("PERSON7", "We should begin."))),
            ("(Speaker 2) Yes", Some(("Speaker 2", "Yes"))),
            ("(Amina Diallo) Yes", Some(("Amina Diallo", "Yes"))),
            ("(MODERATOR)", Some(("MODERATOR", ""))),
            ("(Applause) Thank you", None),
            ("(inaudible) and then", None),
            ("(PERSON7)we", None),
            ("Amina Diallo: Good morning.", Some(("Amina Diallo", "Good morning."))),
            ("MS. DIALLO: yes, indeed", Some(("MS. DIALLO", "yes, indeed"))),
            ("Dr. Li Wei: Thanks", Some(("Dr. Li Wei", "Thanks"))),
            ("Ana:", Some(("Ana", ""))),
            ("SPEAKER_00: Hello.", Some(("SPEAKER_00", "Hello."))),
            ("(SPEAKER_01) Yes", Some(("SPEAKER_01", "Yes"))),
            ("Speaker 2: Yes", Some(("Speaker 2", "Yes"))),
            // Without `>>`, a lower-case name is prose.
            ("ana lópez: hola", None),
            ("Note: this is prose.", None),
            ("NOTE: This is prose.", None),
            ("Key Takeaways: Many.", None),
            ("Remember: we need to act.", None),
            ("The meeting started at 10:30 sharp.", None),
            ("See https://igf.org: it works", None),
            ("Some people said: many things", None),
            ("One Two Three Four Five: Hi", None),
        ];
        for &(line, want) in table {
            let got = text_tag(line);
            let got = got.as_ref().map(|(s, r)| (s.as_str(), *r));
            assert_eq!(got, want, "{line}");
        }
    }
}
