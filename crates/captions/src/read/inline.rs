//! Turning the lines of a cue or paragraph into one clean line of text.
//!
//! [`TextBuilder`] takes raw lines one at a time and appends them to a single
//! line: runs of whitespace (including line breaks and no-break spaces) become
//! one space, and, depending on the [`Markup`] of the format,
//!
//! * markup tags are removed: WebVTT's `<c>`, `<i>`, `<b>`, `<u>`, `<lang>`,
//!   `<ruby>`, timestamps `<00:00:01.000>`, and SRT's HTML-ish `<i>`,
//!   `<font color=...>`; the first voice span `<v Name>` / `<v.class Name>` is
//!   kept as the cue's speaker; ruby text (`<rt>...</rt>`, a pronunciation
//!   guide repeating the base text) is dropped. A `<` that does not open a tag
//!   (`x < y`, or no `>` on the line) stays as text;
//! * ASS override tags that SRT files carry (`{\an8}`, `{\i1}`) are removed;
//! * character references are decoded (`&amp;`, `&lt;`, `&gt;`, `&quot;`,
//!   `&apos;`, `&nbsp;` as a space, `&lrm;`, `&rlm;`, `&#233;`, `&#xE9;`);
//!   unknown ones stay as written;
//! * the WORD JOINERs (U+2060, written `⁀` here) that SRT writers put into
//!   markup-like text to keep players from taking it for markup (`<⁀b>`,
//!   `{⁀\an8}`, `&⁀amp;`, `5 -⁀> 4`, a leading `>⁀>`, a line of digits
//!   `2020⁀` before a line starting with a digit) are dropped there, so that
//!   such text reads back as written; a word joiner anywhere else is kept;
//! * typographic dashes are made ASCII (CART text): U+2010, U+2011, U+2012 and
//!   U+2013 become `-`, U+2014 and U+2015 become `--` (so `‑‑` is `--`).
//!
//! Where the raw text of a format with markup has a `>>` at the start or
//! after whitespace, its place in the built text is recorded as a speaker
//! marker ([`TextBuilder::markers`]): only a `>>` typed as such is one, not
//! one decoded from `&gt;&gt;`, which is how a writer says "this is text".
//!
//! The hot loop copies runs of ordinary bytes at once and looks at single
//! bytes only for whitespace and the few characters that start markup.

/// Which markup a format has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Markup {
    /// `<...>` tags and `&...;` character references (WebVTT, SRT).
    pub tags: bool,
    /// ASS `{\...}` override tags (SRT).
    pub ass: bool,
    /// Typographic dashes made ASCII (CART, plain text).
    pub ascii_dashes: bool,
}

impl Markup {
    /// WebVTT cue text.
    pub const VTT: Markup = Markup { tags: true, ass: false, ascii_dashes: false };
    /// SRT cue text.
    pub const SRT: Markup = Markup { tags: true, ass: true, ascii_dashes: false };
    /// CART and plain text: no markup, dashes made ASCII.
    pub const PLAIN: Markup = Markup { tags: false, ass: false, ascii_dashes: true };
}

/// Builds one single-spaced line of text from raw lines.
#[derive(Debug, Default)]
pub(super) struct TextBuilder {
    text: String,
    pending_space: bool,
    in_ruby_text: bool,
    voice: Option<String>,
    /// Byte offsets in `text` of the `>>` speaker markers of the raw text.
    markers: Vec<usize>,
    full: bool,
}

impl TextBuilder {
    /// Starts a new cue or paragraph (keeping the allocation).
    pub fn clear(&mut self) {
        self.text.clear();
        self.pending_space = false;
        self.in_ruby_text = false;
        self.voice = None;
        self.markers.clear();
        self.full = false;
    }

    /// The text so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether nothing but whitespace and markup has been added.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Byte offsets in [`TextBuilder::text`] where a `>>` speaker marker
    /// starts, in order (formats with markup only).
    pub fn markers(&self) -> impl Iterator<Item = usize> + '_ {
        let len = self.text.len();
        self.markers.iter().copied().filter(move |&at| at + 2 <= len)
    }

    /// The first voice span's name, if any.
    pub fn voice(&self) -> Option<&str> {
        self.voice.as_deref()
    }

    /// Appends one raw line; a line break counts as a space. Stops adding
    /// once the text reaches `limit` bytes and returns `false` the first time
    /// that happens (the caller warns).
    pub fn push_line(&mut self, line: &str, markup: Markup, limit: usize) -> bool {
        if self.full {
            return true;
        }
        self.pending_space = true;
        self.push(line, markup);
        if self.text.len() > limit {
            let mut cut = limit;
            while !self.text.is_char_boundary(cut) {
                cut -= 1;
            }
            self.text.truncate(cut);
            let kept = self.text.trim_end().len();
            self.text.truncate(kept);
            self.full = true;
            return false;
        }
        true
    }

    /// Whitespace: one space before the next text (none inside ruby text).
    fn space(&mut self) {
        if !self.in_ruby_text {
            self.pending_space = true;
        }
    }

    fn push_str(&mut self, s: &str) {
        if self.in_ruby_text || s.is_empty() {
            return;
        }
        if self.pending_space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.pending_space = false;
        self.text.push_str(s);
    }

    fn push(&mut self, line: &str, markup: Markup) {
        let bytes = line.as_bytes();
        let mut i = 0;
        let mut run_start = 0;
        while let Some(&b) = bytes.get(i) {
            let special = match b {
                b' ' | b'\t' | 0x0B | 0x0C => true,
                b'<' | b'&' | b'>' => markup.tags,
                b'{' => markup.ass,
                0x80.. => true,
                _ => false,
            };
            if !special {
                i += 1;
                continue;
            }
            // Flush the run of ordinary bytes before `i` (all ASCII: a boundary).
            self.push_str(line.get(run_start..i).unwrap_or_default());
            i = match b {
                b'<' => self.tag(line, i),
                b'>' => self.greater_than(line, i),
                b'&' => self.reference(line, i),
                b'{' => self.ass_tag(line, i),
                0x80.. => self.non_ascii(line, i, markup),
                _ => {
                    self.space();
                    i + 1
                }
            };
            run_start = i;
        }
        self.push_str(line.get(run_start..).unwrap_or_default());
    }

    /// Handles a non-ASCII character at `i`; returns the index after it.
    fn non_ascii(&mut self, line: &str, i: usize, markup: Markup) -> usize {
        let Some(c) = line.get(i..).and_then(|s| s.chars().next()) else {
            return i + 1;
        };
        let next = i + c.len_utf8();
        if c.is_whitespace() {
            self.space();
        } else if markup.ascii_dashes && matches!(c, '\u{2010}'..='\u{2013}') {
            self.push_str("-");
        } else if markup.ascii_dashes && matches!(c, '\u{2014}' | '\u{2015}') {
            self.push_str("--");
        } else if c == '\u{FEFF}' {
            // A byte-order mark in the middle of a file (concatenated files): invisible, dropped.
        } else if c == WORD_JOINER && markup.tags && is_protecting_joiner(line, i, next) {
            // Put there by an SRT writer to keep the text from being read as markup.
        } else {
            self.push_str(line.get(i..next).unwrap_or_default());
        }
        next
    }

    /// Handles `<` at `i`: a tag is skipped (a voice remembered), anything
    /// else is text. Returns the index to go on from.
    fn tag(&mut self, line: &str, i: usize) -> usize {
        let bytes = line.as_bytes();
        let opens_tag = bytes.get(i + 1).is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'/');
        let close = if opens_tag { memchr::memchr(b'>', bytes.get(i + 1..).unwrap_or_default()) } else { None };
        let Some(close) = close else {
            self.push_str("<");
            return i + 1;
        };
        let end = i + 1 + close;
        let body = line.get(i + 1..end).unwrap_or_default();
        let name_len = body.find(|c: char| c == '.' || c.is_whitespace()).unwrap_or(body.len());
        let name = body.get(..name_len).unwrap_or_default();
        match name {
            "v" if self.voice.is_none() => {
                // `<v.loud Ana>`: classes end at the first space, the name follows.
                let after_classes = body.find(char::is_whitespace).map_or("", |p| body.get(p..).unwrap_or_default());
                let voice = decode_and_collapse(after_classes);
                if !voice.is_empty() {
                    self.voice = Some(voice);
                }
            }
            "rt" => self.in_ruby_text = true,
            "/rt" | "/ruby" => self.in_ruby_text = false,
            "br" | "br/" => self.space(),
            _ => {}
        }
        end + 1
    }

    /// Handles `>` at `i`: a `>>` at the start of the text or after
    /// whitespace is recorded as a speaker marker. Returns the index to go on from.
    fn greater_than(&mut self, line: &str, i: usize) -> usize {
        let doubled = line.as_bytes().get(i + 1) == Some(&b'>');
        let at_turn = self.text.is_empty() || self.pending_space;
        if doubled && at_turn && !self.in_ruby_text {
            self.push_str(">>");
            self.markers.push(self.text.len() - 2);
            return i + 2;
        }
        self.push_str(">");
        i + 1
    }

    /// Handles `&` at `i`: a known character reference is decoded, anything
    /// else is text.
    fn reference(&mut self, line: &str, i: usize) -> usize {
        let rest = line.get(i + 1..).unwrap_or_default();
        let semicolon = rest.bytes().take(12).position(|b| b == b';');
        let decoded = semicolon.and_then(|p| rest.get(..p)).and_then(decode_reference);
        match (decoded, semicolon) {
            (Some(Decoded::Space), Some(p)) => {
                self.space();
                i + 2 + p
            }
            (Some(Decoded::Char(c)), Some(p)) => {
                let mut utf8 = [0u8; 4];
                self.push_str(c.encode_utf8(&mut utf8));
                i + 2 + p
            }
            _ => {
                self.push_str("&");
                i + 1
            }
        }
    }

    /// Handles `{` at `i`: an ASS override tag `{\...}` is skipped.
    fn ass_tag(&mut self, line: &str, i: usize) -> usize {
        let bytes = line.as_bytes();
        if bytes.get(i + 1) == Some(&b'\\') {
            if let Some(close) = memchr::memchr(b'}', bytes.get(i + 1..).unwrap_or_default()) {
                return i + 2 + close;
            }
        }
        self.push_str("{");
        i + 1
    }
}

/// The invisible character SRT writers use to break up markup-like text.
const WORD_JOINER: char = '\u{2060}';

/// Whether the word joiner at `i..next` in `line` is where an SRT writer
/// puts one to protect text: after `<`, `{` or `&`, between `-` or `>` and a
/// `>`, or at the end of a line of digits (which would pass for a cue number).
fn is_protecting_joiner(line: &str, i: usize, next: usize) -> bool {
    let bytes = line.as_bytes();
    let before = i.checked_sub(1).and_then(|b| bytes.get(b));
    let after = bytes.get(next);
    match before {
        Some(b'<' | b'{' | b'&') => true,
        Some(b'-' | b'>') => after == Some(&b'>'),
        Some(b'0'..=b'9') => {
            let digits = line.get(..i).unwrap_or_default().trim_start();
            line.get(next..).unwrap_or_default().trim().is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

enum Decoded {
    Char(char),
    Space,
}

/// Decodes the name of a character reference (`amp`, `#233`, `#xE9`).
fn decode_reference(name: &str) -> Option<Decoded> {
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => return Some(Decoded::Space),
        "lrm" => '\u{200E}',
        "rlm" => '\u{200F}',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            let c = char::from_u32(code).filter(|&c| c != '\0').unwrap_or('\u{FFFD}');
            if c.is_whitespace() {
                return Some(Decoded::Space);
            }
            c
        }
    };
    Some(Decoded::Char(c))
}

/// A voice name: references decoded, whitespace collapsed.
fn decode_and_collapse(raw: &str) -> String {
    let mut builder = TextBuilder::default();
    builder.push(raw, Markup { tags: true, ass: false, ascii_dashes: false });
    builder.text
}

/// Words a speaker says in `text`: words outside parentheses, so that
/// annotations such as `(off microphone)` take no speaking time.
pub(super) fn spoken_words(text: &str) -> usize {
    let mut depth = 0usize;
    let mut words = 0;
    let mut in_word = false;
    for c in text.chars() {
        match c {
            '(' => {
                depth += 1;
                in_word = false;
            }
            ')' => {
                depth = depth.saturating_sub(1);
                in_word = false;
            }
            c if c.is_whitespace() => in_word = false,
            _ => {
                if depth == 0 && !in_word {
                    words += 1;
                }
                in_word = true;
            }
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(lines: &[&str], markup: Markup) -> (String, Option<String>) {
        let mut b = TextBuilder::default();
        for line in lines {
            b.push_line(line, markup, 1 << 20);
        }
        (b.text().to_string(), b.voice().map(String::from))
    }

    #[test]
    fn cue_text() {
        let table: &[(&[&str], Markup, &str, Option<&str>)] = &[
            (
                &["<v.loud Ana  María>Hola,", "  <i>qué</i>   tal?</v>"],
                Markup::VTT,
                "Hola, qué tal?",
                Some("Ana María"),
            ),
            (&["<v Bob>Hi <v Eve>there"], Markup::VTT, "Hi there", Some("Bob")),
            (
                &["Fish &amp; chips &lt;3 &nbsp;x&#233;&#xE9;&bogus; &"],
                Markup::VTT,
                "Fish & chips <3 xéé&bogus; &",
                None,
            ),
            (&["<c.yellow.bg_blue>a</c><00:00:01.500>b <lang en>c</lang>"], Markup::VTT, "ab c", None),
            (&["<ruby>漢<rt>kan</rt>字<rt>ji ji</rt></ruby> ok"], Markup::VTT, "漢字 ok", None),
            (&["{\\an8}<font color=\"#ff0\">Top</font> {not ass}"], Markup::SRT, "Top {not ass}", None),
            (&["x < y and a<b"], Markup::SRT, "x < y and a<b", None),
            (
                &["Thank you \u{2011}\u{2011} so\u{2014}well \u{2013} ok\u{00A0}\u{00A0}fine"],
                Markup::PLAIN,
                "Thank you -- so--well - ok fine",
                None,
            ),
            (&["<i>", "</i>"], Markup::SRT, "", None),
        ];
        for (lines, markup, text, voice) in table {
            let (got, got_voice) = clean(lines, *markup);
            assert_eq!(got, *text, "{lines:?}");
            assert_eq!(got_voice.as_deref(), *voice, "{lines:?}");
        }
    }

    #[test]
    fn word_joiners_put_in_by_srt_writers_are_dropped() {
        let table: &[(&[&str], &str)] = &[
            (&["3 <\u{2060} 4 and 5 > 4"], "3 < 4 and 5 > 4"),
            (&["a <\u{2060}b>bold<\u{2060}/b> c"], "a <b>bold</b> c"),
            (&["x {\u{2060}\\an8} {\u{2060}y:i} {b}"], "x {\\an8} {y:i} {b}"),
            (&[">\u{2060}> not a marker"], ">> not a marker"),
            (&["R&D &\u{2060}amp; &\u{2060}#38; & café"], "R&D &amp; &#38; & café"),
            (&["5 -\u{2060}> 4 and 3 --\u{2060}> 2", "x -> y"], "5 -> 4 and 3 --> 2 x -> y"),
            (&["2020\u{2060}", "10:30 start"], "2020 10:30 start"),
            // Anywhere else a word joiner is the text's own.
            (&["a\u{2060}b -\u{2060}x 20\u{2060}20 x1\u{2060}"], "a\u{2060}b -\u{2060}x 20\u{2060}20 x1\u{2060}"),
        ];
        for (lines, text) in table {
            let (got, _) = clean(lines, Markup::SRT);
            assert_eq!(got, *text, "{lines:?}");
        }
        let mut b = TextBuilder::default();
        b.push_line(">\u{2060}> not a marker", Markup::SRT, 1 << 20);
        assert_eq!(b.markers().count(), 0);
        // CART and plain text have no markup to protect.
        assert_eq!(clean(&["<\u{2060}b>"], Markup::PLAIN).0, "<\u{2060}b>");
    }

    #[test]
    fn only_typed_markers_are_markers() {
        let table: &[(&[&str], Markup, &str, &[usize])] = &[
            (&[">> ANA: Hi >> BO: Yes"], Markup::SRT, ">> ANA: Hi >> BO: Yes", &[0, 11]),
            (&["&gt;&gt; not a marker"], Markup::VTT, ">> not a marker", &[]),
            (&["a &gt;>", ">>> b"], Markup::VTT, "a >> >>> b", &[5]),
            (&["<i>>> ANA:</i> Hi", "x>>y"], Markup::VTT, ">> ANA: Hi x>>y", &[0]),
            (&["  >>  B"], Markup::SRT, ">> B", &[0]),
            (&[">> B"], Markup::PLAIN, ">> B", &[]),
        ];
        for (lines, markup, text, markers) in table {
            let mut b = TextBuilder::default();
            for line in *lines {
                b.push_line(line, *markup, 1 << 20);
            }
            assert_eq!(b.text(), *text, "{lines:?}");
            assert_eq!(b.markers().collect::<Vec<_>>(), *markers, "{lines:?}");
        }
    }

    #[test]
    fn limit_cuts_on_a_character_boundary() {
        let mut b = TextBuilder::default();
        assert!(!b.push_line("ééééé", Markup::PLAIN, 5));
        assert_eq!(b.text(), "éé");
        assert!(b.push_line("more", Markup::PLAIN, 5));
        assert_eq!(b.text(), "éé");
    }

    #[test]
    fn annotations_take_no_time() {
        assert_eq!(spoken_words("Yes. (off microphone) We need to act now."), 6);
        assert_eq!(spoken_words("(pause)"), 0);
        assert_eq!(spoken_words("a(b)c d"), 3);
    }
}
