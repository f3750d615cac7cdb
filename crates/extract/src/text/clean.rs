//! Clean-up of spoken text for matching and display: captioner annotations,
//! fillers, repeated words and false starts go; an offset map leads every
//! byte of the cleaned text back to the original quote.
//!
//! Why plain Rust and not the `tokenizers` crate's normalizers: what we remove
//! depends on context (a repeated word is a repeat only next to its twin; a
//! false start is the words before a dash that the speaker says again after
//! it; "you know" is a filler only between commas or at a start). Those are
//! decisions over whole words, which `tokenizers`' normalizers (character
//! maps, NFKC, strip) cannot make, and its `NormalizedString` keeps an
//! alignment pair for every byte, which on a whole meeting (about 12 MB of
//! text) costs far more than the few chunks kept here. Its pre-tokenizers
//! would give us word offsets, but the word scan below is twenty lines and
//! also classifies dashes and annotations, which we need anyway.

use std::borrow::Cow;

/// Text cleaned for matching and display, with the way back to the original.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cleaned {
    /// The cleaned text: single-spaced, normalised quotes and dashes.
    pub text: String,
    /// Maps byte offsets of `text` to byte offsets of the original.
    pub map: OffsetMap,
}

/// One stretch of cleaned text and the stretch of original it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Chunk {
    clean: usize,
    clean_len: usize,
    orig: usize,
    orig_len: usize,
}

/// Byte offsets in cleaned text → byte offsets in the original text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetMap {
    chunks: Vec<Chunk>,
}

impl OffsetMap {
    fn chunk_at(&self, clean: usize) -> Option<&Chunk> {
        let idx = self.chunks.partition_point(|c| c.clean <= clean);
        idx.checked_sub(1).and_then(|i| self.chunks.get(i))
    }

    /// Where the cleaned byte `clean` starts in the original.
    pub fn start_to_original(&self, clean: usize) -> usize {
        match self.chunk_at(clean) {
            Some(c) if c.clean_len == c.orig_len => c.orig + (clean - c.clean).min(c.orig_len),
            Some(c) if clean < c.clean + c.clean_len => c.orig,
            Some(c) => c.orig + c.orig_len,
            None => 0,
        }
    }

    /// Where a cleaned range ending (exclusively) at `clean` ends in the original.
    pub fn end_to_original(&self, clean: usize) -> usize {
        if clean == 0 {
            return self.start_to_original(0);
        }
        match self.chunk_at(clean - 1) {
            Some(c) if c.clean_len == c.orig_len => c.orig + (clean - c.clean).min(c.orig_len),
            Some(c) => c.orig + c.orig_len,
            None => 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Space,
    Dash,
    Annotation,
    Punct(char),
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
    keep: bool,
}

/// Single-word fillers removed wherever they occur.
const FILLERS: &[&str] = &["uh", "um", "umm", "uhm", "uhh", "er", "erm", "ah", "ahh", "eh", "hmm", "hm", "mm", "mmm"];
/// Two-word fillers removed at a start or between commas.
const PHRASE_FILLERS: &[[&str; 2]] = &[["you", "know"], ["i", "mean"]];
/// Words that legitimately repeat ("I think that that is right").
const REPEAT_OK: &[&str] = &["that", "had"];
/// First words of captioner annotations that may be capitalised: `(Speaking French)`.
const ANNOTATION_WORDS: &[&str] = &[
    "inaudible",
    "indiscernible",
    "unintelligible",
    "off",
    "pause",
    "paused",
    "overlapping",
    "laughter",
    "laughs",
    "applause",
    "speaking",
    "audio",
    "no",
    "silence",
    "crosstalk",
    "music",
    "video",
    "background",
    "technical",
    "interpretation",
    "interpreter",
    "through",
    "via",
    "in",
    "muted",
    "coughs",
    "echo",
    "static",
    "break",
    "lost",
    "connection",
    "audio",
    "feedback",
    "garbled",
    "sound",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '-' | '\u{2011}' | '&')
}

fn is_dash_char(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}')
}

/// Whether `(content)` is a captioner's annotation rather than speech.
fn is_annotation(content: &str) -> bool {
    let content = content.trim();
    if content.is_empty() || content.chars().all(|c| c == '?' || c == '.' || c.is_whitespace()) {
        return true;
    }
    let words = content.split_whitespace().count();
    if words > 6 || content.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    if !content.chars().any(char::is_uppercase) {
        return content.chars().all(|c| c.is_alphabetic() || c.is_whitespace() || matches!(c, '-' | '\'' | '?' | ','));
    }
    let first = content.split_whitespace().next().unwrap_or("").to_lowercase();
    ANNOTATION_WORDS.contains(&first.as_str())
}

fn tokenize(s: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(s.len() / 4);
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(s.len(), |&(b, _)| b);
    let mut i = 0;
    while let Some(&(start, c)) = chars.get(i) {
        let (kind, next) = if c.is_whitespace() {
            let mut j = i + 1;
            while chars.get(j).is_some_and(|&(_, c)| c.is_whitespace()) {
                j += 1;
            }
            (Kind::Space, j)
        } else if is_word_char(c) {
            let mut j = i + 1;
            loop {
                match chars.get(j) {
                    Some(&(_, c)) if is_word_char(c) => j += 1,
                    Some(&(_, c)) if is_joiner(c) && chars.get(j + 1).is_some_and(|&(_, n)| is_word_char(n)) => j += 2,
                    _ => break,
                }
            }
            (Kind::Word, j)
        } else if c == '(' || c == '[' {
            let close = if c == '(' { ')' } else { ']' };
            let mut j = i + 1;
            let mut found = None;
            while let Some(&(b, d)) = chars.get(j) {
                if d == close {
                    found = Some(j);
                    break;
                }
                if d == c || b - start > 80 {
                    break;
                }
                j += 1;
            }
            match found {
                Some(j) if is_annotation(&s[byte_at(i + 1)..byte_at(j)]) => (Kind::Annotation, j + 1),
                _ => (Kind::Punct(c), i + 1),
            }
        } else if is_dash_char(c) {
            let mut j = i + 1;
            while chars.get(j).is_some_and(|&(_, c)| is_dash_char(c)) {
                j += 1;
            }
            (Kind::Dash, j)
        } else {
            (Kind::Punct(c), i + 1)
        };
        tokens.push(Token { kind, start, end: byte_at(next), keep: true });
        i = next;
    }
    tokens
}

/// `s` in lower case, borrowed when it already is (most words are): this
/// runs on every word, and allocating for each was a good part of cleaning.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

fn word_eq(s: &str, a: &Token, b: &Token) -> bool {
    let (x, y) = (&s[a.start..a.end], &s[b.start..b.end]);
    if x.is_ascii() && y.is_ascii() {
        // ASCII case folding is all there is to it (and allocates nothing).
        return x.eq_ignore_ascii_case(y);
    }
    lower(x) == lower(y)
}

/// Indices of kept words.
fn kept_words(tokens: &[Token]) -> Vec<usize> {
    tokens.iter().enumerate().filter(|(_, t)| t.keep && t.kind == Kind::Word).map(|(i, _)| i).collect()
}

/// Whether only spaces, commas and removed tokens lie strictly between tokens `a` and `b`.
fn only_soft_between(tokens: &[Token], a: usize, b: usize) -> bool {
    tokens
        .get(a + 1..b)
        .is_some_and(|between| between.iter().all(|t| !t.keep || matches!(t.kind, Kind::Space | Kind::Punct(','))))
}

/// Whether a clause boundary (punctuation other than an apostrophe, or a dash) lies between `a` and `b`.
fn boundary_between(tokens: &[Token], a: usize, b: usize) -> bool {
    tokens.get(a + 1..b).is_some_and(|between| {
        between.iter().any(|t| t.keep && matches!(t.kind, Kind::Dash | Kind::Punct(',' | ';' | ':' | '.' | '?' | '!')))
    })
}

fn remove_commas_between(tokens: &mut [Token], a: usize, b: usize) {
    if let Some(between) = tokens.get_mut(a + 1..b) {
        for t in between.iter_mut().filter(|t| t.kind == Kind::Punct(',')) {
            t.keep = false;
        }
    }
}

fn next_kept(tokens: &[Token], i: usize) -> Option<usize> {
    (i + 1..tokens.len()).find(|&j| tokens.get(j).is_some_and(|t| t.keep && t.kind != Kind::Space))
}

fn prev_kept(tokens: &[Token], i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| tokens.get(j).is_some_and(|t| t.keep && t.kind != Kind::Space))
}

fn drop_fillers(s: &str, tokens: &mut [Token]) {
    for i in 0..tokens.len() {
        let Some(t) = tokens.get(i).copied() else { continue };
        if t.kind != Kind::Word || !FILLERS.contains(&lower(&s[t.start..t.end]).as_ref()) {
            continue;
        }
        if let Some(t) = tokens.get_mut(i) {
            t.keep = false;
        }
        let next_comma = next_kept(tokens, i).filter(|&n| tokens.get(n).is_some_and(|t| t.kind == Kind::Punct(',')));
        if let Some(n) = next_comma {
            if let Some(next) = tokens.get_mut(n) {
                next.keep = false;
            }
            // "that, uh, the" → "that the": a filler set off by commas takes both.
            let prev_comma =
                prev_kept(tokens, i).filter(|&p| tokens.get(p).is_some_and(|t| t.kind == Kind::Punct(',')));
            let prev_word = prev_comma
                .and_then(|p| prev_kept(tokens, p))
                .and_then(|w| tokens.get(w))
                .filter(|t| t.kind == Kind::Word);
            let after = next_kept(tokens, n).and_then(|w| tokens.get(w)).filter(|t| t.kind == Kind::Word);
            if let (Some(p), Some(_), Some(_)) = (prev_comma, prev_word, after) {
                if let Some(t) = tokens.get_mut(p) {
                    t.keep = false;
                }
            }
        }
    }
    let words = kept_words(tokens);
    for pair in words.windows(2) {
        let (&[a, b], Some(ta), Some(tb)) = (pair, tokens.get(pair[0]), tokens.get(pair[1])) else { continue };
        let phrase = [lower(&s[ta.start..ta.end]), lower(&s[tb.start..tb.end])];
        if !PHRASE_FILLERS.iter().any(|p| p[0] == phrase[0].as_ref() && p[1] == phrase[1].as_ref())
            || !ta.keep
            || !tb.keep
        {
            continue;
        }
        let at_start = prev_kept(tokens, a)
            .is_none_or(|p| matches!(tokens.get(p).map(|t| t.kind), Some(Kind::Punct(',' | ';' | ':') | Kind::Dash)));
        let next = next_kept(tokens, b);
        let then_break = next.is_none_or(|n| {
            matches!(tokens.get(n).map(|t| t.kind), Some(Kind::Punct(',' | '.' | '?' | '!') | Kind::Dash))
        });
        if at_start && then_break && only_soft_between(tokens, a, b) {
            for k in [a, b] {
                if let Some(t) = tokens.get_mut(k) {
                    t.keep = false;
                }
            }
            if let Some(t) = next.and_then(|n| tokens.get_mut(n)).filter(|t| t.kind == Kind::Punct(',')) {
                t.keep = false;
            }
        }
    }
}

fn drop_false_starts(s: &str, tokens: &mut [Token]) {
    let dashes: Vec<usize> =
        tokens.iter().enumerate().filter(|(_, t)| t.keep && t.kind == Kind::Dash).map(|(i, _)| i).collect();
    for d in dashes {
        let words = kept_words(tokens);
        let before: Vec<usize> = words
            .iter()
            .copied()
            .filter(|&w| w < d)
            .rev()
            .take_while(|&w| !boundary_between(tokens, w, d))
            .take(6)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after: Vec<usize> =
            words.iter().copied().filter(|&w| w > d).take_while(|&w| !boundary_between(tokens, d, w)).take(6).collect();
        let max = before.len().min(after.len()).min(4);
        let k = (1..=max).rev().find(|&k| {
            let pre = &before[before.len() - k..];
            pre.iter().zip(&after[..k]).all(|(&a, &b)| match (tokens.get(a), tokens.get(b)) {
                (Some(x), Some(y)) => word_eq(s, x, y),
                _ => false,
            })
        });
        if let Some(k) = k {
            for &w in &before[before.len() - k..] {
                if let Some(t) = tokens.get_mut(w) {
                    t.keep = false;
                }
            }
            if let Some(t) = tokens.get_mut(d) {
                t.keep = false;
            }
            if let Some(&first) = before.get(before.len() - k) {
                remove_commas_between(tokens, first, d);
            }
        }
    }
}

fn drop_repeats(s: &str, tokens: &mut [Token]) {
    let words = kept_words(tokens);
    let mut removed = vec![false; words.len()];
    let mut i = 0;
    while i < words.len() {
        let mut advanced = false;
        for k in (1..=3).rev() {
            if i + 2 * k > words.len() {
                continue;
            }
            let same = (0..k).all(|j| match (tokens.get(words[i + j]), tokens.get(words[i + k + j])) {
                (Some(a), Some(b)) => word_eq(s, a, b),
                _ => false,
            });
            if !same {
                continue;
            }
            let soft = (i..i + 2 * k - 1).all(|j| only_soft_between(tokens, words[j], words[j + 1]));
            let allowed =
                k > 1 || tokens.get(words[i]).is_some_and(|t| !REPEAT_OK.contains(&lower(&s[t.start..t.end]).as_ref()));
            if soft && allowed && !removed[i] {
                for j in 0..k {
                    removed[i + j] = true;
                }
                remove_commas_between(tokens, words[i], words[i + k]);
                i += k;
                advanced = true;
                break;
            }
        }
        if !advanced {
            i += 1;
        }
    }
    for (w, r) in words.iter().zip(removed) {
        if let Some(t) = tokens.get_mut(*w).filter(|_| r) {
            t.keep = false;
        }
    }
}

struct Builder<'a> {
    original: &'a str,
    text: String,
    chunks: Vec<Chunk>,
    pending_space: bool,
}

impl Builder<'_> {
    fn push(&mut self, piece: &str, orig_start: usize, orig_end: usize) {
        let closing = piece.starts_with([',', '.', ';', ':', '?', '!', ')', ']', '%']);
        if self.pending_space && !self.text.is_empty() && !closing && !self.text.ends_with(['(', '[']) {
            self.text.push(' ');
        }
        self.pending_space = false;
        let clean = self.text.len();
        self.text.push_str(piece);
        self.chunks.push(Chunk { clean, clean_len: piece.len(), orig: orig_start, orig_len: orig_end - orig_start });
    }

    fn pop(&mut self) {
        if let Some(c) = self.chunks.pop() {
            self.text.truncate(c.clean);
            let trimmed = self.text.trim_end().len();
            self.text.truncate(trimmed);
        }
    }

    fn last_piece(&self) -> Option<&str> {
        self.chunks.last().and_then(|c| self.text.get(c.clean..c.clean + c.clean_len))
    }

    fn word(&mut self, t: &Token) {
        let raw = &self.original[t.start..t.end];
        if raw.contains(['\u{2019}', '\u{2011}']) {
            let normalised = raw.replace('\u{2019}', "'").replace('\u{2011}', "-");
            self.push(&normalised, t.start, t.end);
        } else {
            self.push(raw, t.start, t.end);
        }
    }
}

/// Cleans one sentence (or any short text) for matching and display.
pub fn clean(original: &str) -> Cleaned {
    let mut tokens = tokenize(original);
    for t in tokens.iter_mut() {
        if t.kind == Kind::Annotation || t.kind == Kind::Punct('>') {
            t.keep = false;
        }
    }
    drop_fillers(original, &mut tokens);
    drop_false_starts(original, &mut tokens);
    drop_repeats(original, &mut tokens);

    let mut b =
        Builder { original, text: String::with_capacity(original.len()), chunks: Vec::new(), pending_space: false };
    for t in &tokens {
        if !t.keep {
            b.pending_space = true;
            continue;
        }
        match t.kind {
            Kind::Space => b.pending_space = true,
            Kind::Word => b.word(t),
            Kind::Dash => {
                // Runs of dashes (left by removed annotations) read as one; a
                // dash at the start reads as nothing.
                if !b.text.is_empty() && b.last_piece() != Some("\u{2014}") {
                    b.pending_space = true;
                    b.push("\u{2014}", t.start, t.end);
                    b.pending_space = true;
                }
            }
            Kind::Punct(c) => {
                let piece = match c {
                    '\u{201C}' | '\u{201D}' => "\"".to_string(),
                    '\u{2018}' | '\u{2019}' => "'".to_string(),
                    '\u{00A0}' => {
                        b.pending_space = true;
                        continue;
                    }
                    c => c.to_string(),
                };
                let last = b.last_piece();
                if matches!(c, ',' | ';' | ':')
                    && (b.text.is_empty() || matches!(last, Some("," | ";" | ":" | "\u{2014}")))
                {
                    continue;
                }
                if matches!(c, '.' | '?' | '!') && matches!(last, Some("," | ";" | ":" | "\u{2014}")) {
                    b.pop();
                }
                b.push(&piece, t.start, t.end);
            }
            Kind::Annotation => b.pending_space = true,
        }
    }
    while matches!(b.last_piece(), Some("," | ";" | ":" | "\u{2014}")) {
        b.pop();
    }
    // Removing a leading filler leaves a lower-case start: "um, we need" → "We need".
    if let Some(first) = b.text.chars().next().filter(char::is_ascii_lowercase) {
        let upper = first.to_ascii_uppercase().to_string();
        b.text.replace_range(0..1, &upper);
    }
    Cleaned { text: b.text, map: OffsetMap { chunks: b.chunks } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("Um, we need to act now.", "We need to act now."),
            ("I think -- I think that governments should invest.", "I think that governments should invest."),
            ("So the ‑‑ the point is simple.", "So the point is simple."),
            ("We we we need the the funding.", "We need the funding."),
            ("Thank you ‑‑ (overlapping speakers) ‑‑ so, first point.", "Thank you — so, first point."),
            ("Yes.  (off microphone)  I think we can begin.", "Yes. I think we can begin."),
            ("You know, this is, uh, important.", "This is important."),
            ("I think that, uh, the regulators agree.", "I think that the regulators agree."),
            ("I mean, access is a right (Speaking French).", "Access is a right."),
            (
                "The ITU (International Telecommunication Union) agrees.",
                "The ITU (International Telecommunication Union) agrees.",
            ),
            ("I think that that is right.", "I think that that is right."),
            ("in the in the Global South", "In the Global South"),
            ("It’s the “key” point", "It's the \"key\" point"),
            ("(inaudible)", ""),
            ("We need -- uh -- better data.", "We need — better data."),
            ("We should, um.", "We should."),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input).text, want, "input: {input}");
        }
    }

    #[test]
    fn offsets_lead_back_to_the_original() {
        let original = "Um, governments should -- should invest (inaudible) in networks.";
        let c = clean(original);
        assert_eq!(c.text, "Governments should invest in networks.");
        let at = c.text.find("invest").unwrap();
        let (s, e) = (c.map.start_to_original(at), c.map.end_to_original(at + "invest".len()));
        assert_eq!(&original[s..e], "invest");
        let at = c.text.find("networks").unwrap();
        assert_eq!(&original[c.map.start_to_original(at)..c.map.end_to_original(c.text.len())], "networks.");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_maps_inside(s in "\\PC{0,120}") {
            let c = clean(&s);
            for i in 0..=c.text.len() {
                proptest::prop_assert!(c.map.start_to_original(i) <= s.len());
                proptest::prop_assert!(c.map.end_to_original(i) <= s.len());
            }
        }
    }
}
