//! Breaking a segment into caption cues the way broadcast guidelines do.
//!
//! BBC and Netflix subtitle guidelines agree on the shape of a good caption:
//! at most two lines of at most 42 characters, on screen for about 1 to 7
//! seconds, broken at clause boundaries (after `.` `?` `!` `;` `:` `,` or before
//! a conjunction) rather than after an article or a preposition, one line when
//! the text fits on one, and two lines of similar length with the longer one at
//! the bottom when it does not.
//!
//! [`split_into_cues`] finds the cheapest way to cut a segment into cues and
//! each cue into lines (a dynamic programme over word boundaries, linear in the
//! length of the segment), where every rule above is a cost. Cue times come from
//! the segment's word times when it has them, otherwise from the share of the
//! segment's characters each cue holds.

use rapporteur_core::{Segment, Time};

use super::WriteOptions;

/// One caption cue: times and up to `max_lines` lines of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// When the cue appears.
    pub start: Time,
    /// When the cue goes (never before `start`).
    pub end: Time,
    /// Lines of text, each at most `max_line_chars` characters, none empty.
    pub lines: Vec<String>,
}

impl Cue {
    /// The cue's text on one line: its lines joined by spaces.
    pub fn text(&self) -> String {
        self.lines.join(" ")
    }
}

/// Splits a segment into cues that respect `options`.
///
/// The text is normalised first (runs of whitespace become one space). A
/// segment whose text fits in one cue stays one cue, whatever its length; an
/// empty text gives no cue. Cues are contiguous and ordered: the first starts
/// at the segment's start, the last ends at its end, and each one ends where
/// the next starts. No cue is zero-length unless the segment is shorter than
/// one millisecond per cue. Joining the cues' lines with single spaces gives
/// the normalised text back, except inside words longer than a line, which
/// are cut into line-long pieces.
pub fn split_into_cues(segment: &Segment, options: &WriteOptions) -> Vec<Cue> {
    split_into_cues_after("", segment, options)
}

/// Like [`split_into_cues`], with the first cue starting with `prefix` (a
/// speaker marker such as `>> NAME:`), which counts towards the line length,
/// takes no time, and is never left in a cue of its own. An empty text gives
/// no cue, prefix or not.
pub(super) fn split_into_cues_after(prefix: &str, segment: &Segment, options: &WriteOptions) -> Vec<Cue> {
    let limits = Limits::new(options);
    let mut tokens = tokenize(&segment.text, limits.line_chars);
    if tokens.is_empty() {
        return Vec::new();
    }
    let start = segment.start.as_millis();
    let end = segment.end.as_millis().max(start);
    let timeline = Timeline::new(segment, &tokens, start, end);
    let mut bounds = boundary_times(&tokens, &timeline, start, end);
    let mut spoken: Vec<(u64, u64)> = tokens
        .iter()
        .map(|t| (timeline.at(t.offset).clamp(start, end), timeline.at(t.end()).clamp(start, end)))
        .collect();
    let prefix_tokens = prefix_tokens(prefix, limits.line_chars);
    let prefix_len = prefix_tokens.len();
    if let Some(last) = prefix_tokens.last() {
        let shift = last.end() + 1;
        for token in &mut tokens {
            token.offset += shift;
        }
        tokens.splice(0..0, prefix_tokens);
        bounds.splice(0..0, std::iter::repeat_n(start, prefix_len));
        spoken.splice(0..0, std::iter::repeat_n((start, start), prefix_len));
    }
    let breaks: Vec<f64> = (0..tokens.len())
        .map(|b| match b {
            0 => 0.0,
            _ if b < prefix_len => cost::AFTER_FUNCTION_WORD,
            // A speaker marker ends with a colon: a line break after it is a clause break.
            _ if b == prefix_len => cost::PHRASE_END,
            _ => break_cost(&tokens[b - 1], &tokens[b]),
        })
        .collect();
    let mut planner = Planner {
        tokens: &tokens,
        limits,
        breaks,
        bounds,
        spoken,
        segment_ms: end - start,
        prefix_len,
        scratch: Vec::new(),
    };
    let ranges = planner.plan();
    let times = cue_times(&ranges, &planner.bounds, start, end);
    ranges
        .iter()
        .zip(times.windows(2))
        .map(|(&(i, j), t)| Cue {
            start: Time::from_millis(t[0]),
            end: Time::from_millis(t[1]),
            lines: planner.lines(i, j),
        })
        .collect()
}

/// The options, made safe to compute with.
#[derive(Debug, Clone, Copy)]
struct Limits {
    line_chars: usize,
    max_lines: usize,
    min_cue_ms: u64,
    max_cue_ms: u64,
}

impl Limits {
    fn new(options: &WriteOptions) -> Self {
        Limits {
            line_chars: options.max_line_chars.max(1),
            max_lines: options.max_lines.max(1),
            min_cue_ms: options.min_cue_ms,
            max_cue_ms: options.max_cue_ms.max(1),
        }
    }

    /// The most characters a cue can hold (with the spaces that become line breaks).
    fn cue_chars(self) -> usize {
        self.max_lines * (self.line_chars + 1) - 1
    }
}

/// A word of the normalised text, or a line-long piece of a word too long for a line.
#[derive(Debug, Clone)]
struct Token<'a> {
    text: &'a str,
    /// Length in characters.
    chars: usize,
    /// A piece that continues the previous token's word (no space between them).
    glued: bool,
    /// Character offset in the normalised text.
    offset: usize,
}

impl Token<'_> {
    fn end(&self) -> usize {
        self.offset + self.chars
    }
}

/// The tokens of a cue prefix: one token when it fits on a line (so that it is
/// not broken), else its words, cut like any long word.
fn prefix_tokens(prefix: &str, line_chars: usize) -> Vec<Token<'_>> {
    let prefix = prefix.trim();
    let chars = prefix.chars().count();
    if chars == 0 {
        Vec::new()
    } else if chars <= line_chars && !prefix.contains(|c: char| c.is_whitespace() && c != ' ') {
        vec![Token { text: prefix, chars, glued: false, offset: 0 }]
    } else {
        tokenize(prefix, line_chars)
    }
}

/// Splits `text` at whitespace, cutting words longer than `line_chars` characters.
fn tokenize(text: &str, line_chars: usize) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut offset = 0;
    for word in text.split_whitespace() {
        if !tokens.is_empty() {
            offset += 1;
        }
        let chars = word.chars().count();
        if chars <= line_chars {
            tokens.push(Token { text: word, chars, glued: false, offset });
            offset += chars;
            continue;
        }
        let boundaries: Vec<usize> = word.char_indices().map(|(b, _)| b).chain([word.len()]).collect();
        let mut from = 0;
        while from < chars {
            let to = piece_end(word, &boundaries, from, line_chars);
            let piece = word.get(boundaries[from]..boundaries[to]).unwrap_or_default();
            tokens.push(Token { text: piece, chars: to - from, glued: from > 0, offset });
            offset += to - from;
            from = to;
        }
    }
    tokens
}

/// Where a line-long piece of a long word starting at character `from` ends:
/// after a URL or compound separator (`/`, `-`, `.`, ...) in the last third
/// of the line if there is one, else `line_chars` characters on, moved back so
/// as not to separate a letter from the combining marks or joiners after it.
fn piece_end(word: &str, boundaries: &[usize], from: usize, line_chars: usize) -> usize {
    let chars = boundaries.len() - 1;
    let full = (from + line_chars).min(chars);
    if full == chars {
        return full;
    }
    let char_at = |i: usize| boundaries.get(i).and_then(|&b| word.get(b..)).and_then(|s| s.chars().next());
    let earliest = from + (line_chars * 2).div_ceil(3).max(1);
    if let Some(after_separator) = (earliest..=full)
        .rev()
        .find(|&p| char_at(p - 1).is_some_and(|c| matches!(c, '/' | '-' | '_' | '.' | '?' | '&' | '=' | '\u{2011}')))
    {
        return after_separator;
    }
    let mut to = full;
    while to > from + 1 && (char_at(to).is_some_and(is_joining) || char_at(to - 1) == Some('\u{200D}')) {
        to -= 1;
    }
    if to == from + 1 && char_at(to).is_some_and(is_joining) {
        full
    } else {
        to
    }
}

/// Characters that belong to the character before them on screen.
fn is_joining(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
        | 0x200D | 0xFE00..=0xFE0F | 0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F)
}

/// Maps character offsets in the normalised text to times, piecewise linearly
/// between anchors (word starts and ends, or just the segment's ends).
#[derive(Debug)]
struct Timeline {
    /// (character offset, milliseconds), both non-decreasing.
    anchors: Vec<(usize, u64)>,
}

impl Timeline {
    fn new(segment: &Segment, tokens: &[Token<'_>], start: u64, end: u64) -> Self {
        let total = tokens.last().map_or(0, Token::end);
        let mut anchors = vec![(0, start)];
        if let Some(words) = segment.words.as_deref().filter(|w| !w.is_empty()) {
            let spans = spans_by_characters(words, tokens).or_else(|| spans_by_count(words, tokens));
            if let Some(spans) = spans {
                for (word, (from, to)) in words.iter().zip(spans) {
                    if to > from {
                        anchors.push((from, word.start.as_millis()));
                        anchors.push((to, word.end.as_millis()));
                    }
                }
            }
        }
        anchors.push((total, end));
        // Word times can be out of order or outside the segment: keep them in.
        let mut latest = start;
        for anchor in &mut anchors {
            latest = anchor.1.clamp(latest, end);
            anchor.1 = latest;
        }
        Timeline { anchors }
    }

    /// The time at character offset `offset`.
    fn at(&self, offset: usize) -> u64 {
        let next = self.anchors.partition_point(|a| a.0 <= offset);
        let Some(&(lo_off, lo_ms)) = next.checked_sub(1).and_then(|i| self.anchors.get(i)) else {
            return self.anchors.first().map_or(0, |a| a.1);
        };
        let Some(&(hi_off, hi_ms)) = self.anchors.get(next) else {
            return lo_ms;
        };
        let span = (hi_off - lo_off) as u128;
        let elapsed = (hi_ms.saturating_sub(lo_ms) as u128) * (offset - lo_off) as u128;
        lo_ms + (elapsed / span.max(1)) as u64
    }
}

/// Character spans of the words in the normalised text, when the words spell
/// the text exactly (ignoring whitespace).
fn spans_by_characters(words: &[rapporteur_core::Word], tokens: &[Token<'_>]) -> Option<Vec<(usize, usize)>> {
    let mut text_chars = tokens.iter().flat_map(|t| t.text.chars().enumerate().map(move |(i, c)| (t.offset + i, c)));
    let mut spans = Vec::with_capacity(words.len());
    for word in words {
        let mut span: Option<(usize, usize)> = None;
        for c in word.text.chars().filter(|c| !c.is_whitespace()) {
            let (offset, expected) = text_chars.next()?;
            if c != expected {
                return None;
            }
            span = Some((span.map_or(offset, |s| s.0), offset + 1));
        }
        spans.push(span.unwrap_or((0, 0)));
    }
    text_chars.next().is_none().then_some(spans)
}

/// Character spans of the words when there are as many words as words in the text.
fn spans_by_count(words: &[rapporteur_core::Word], tokens: &[Token<'_>]) -> Option<Vec<(usize, usize)>> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for token in tokens {
        match spans.last_mut() {
            Some(last) if token.glued => last.1 = token.end(),
            _ => spans.push((token.offset, token.end())),
        }
    }
    (spans.len() == words.len()).then_some(spans)
}

/// Times of the boundaries before each token (and the end), non-decreasing.
fn boundary_times(tokens: &[Token<'_>], timeline: &Timeline, start: u64, end: u64) -> Vec<u64> {
    let mut bounds = Vec::with_capacity(tokens.len() + 1);
    bounds.push(start);
    let mut latest = start;
    for token in tokens.iter().skip(1) {
        latest = timeline.at(token.offset).clamp(latest, end);
        bounds.push(latest);
    }
    bounds.push(end);
    bounds
}

/// Start and end times of the chosen cues, nudged so that none is
/// zero-length when the segment has a millisecond for each.
fn cue_times(ranges: &[(usize, usize)], bounds: &[u64], start: u64, end: u64) -> Vec<u64> {
    let mut times: Vec<u64> = ranges.iter().map(|&(i, _)| bounds.get(i).copied().unwrap_or(start)).collect();
    times.push(end);
    let cues = ranges.len() as u64;
    if end - start >= cues {
        let last = times.len() - 1;
        for k in 1..last {
            times[k] = times[k].max(times[k - 1] + 1);
        }
        for k in (1..last).rev() {
            times[k] = times[k].min(times[k + 1] - 1);
        }
    }
    times
}

/// Costs of breaking between two tokens, from best (a sentence end) to worst
/// (right after an article or a preposition).
mod cost {
    pub const SENTENCE_END: f64 = 0.0;
    pub const CLAUSE_END: f64 = 4.0;
    pub const PHRASE_END: f64 = 8.0;
    pub const BEFORE_DASH: f64 = 18.0;
    pub const BEFORE_CONJUNCTION: f64 = 12.0;
    pub const PLAIN: f64 = 25.0;
    pub const AFTER_WEAK_WORD: f64 = 40.0;
    pub const AFTER_FUNCTION_WORD: f64 = 60.0;

    /// Every cue costs this much, so that cues are as full as reading allows.
    pub const PER_CUE: f64 = 12.0;
    /// A bad break between cues is worse than the same break between lines.
    pub const CUE_BREAK_WEIGHT: f64 = 1.5;
    /// Per millisecond a cue lasts beyond the longest cue length.
    pub const TOO_LONG_PER_MS: f64 = 0.03;
    /// Per millisecond a cue lasts less than the shortest cue length.
    pub const TOO_SHORT_PER_MS: f64 = 0.02;
    /// Per character a top line is longer than the average line (top-heavy).
    pub const TOP_HEAVY_PER_CHAR: f64 = 0.5;
    /// Per character lines differ the other way (bottom-heavy: the preferred pyramid).
    pub const BOTTOM_HEAVY_PER_CHAR: f64 = 0.25;
    /// A cue that ends a sentence and goes on into the next one, which it
    /// leaves unfinished (a new sentence should start a new cue where possible).
    pub const NEW_SENTENCE_INSIDE: f64 = 8.0;
    /// And more when it holds only the first words of that sentence: this
    /// much when those words are nothing, falling to zero when they fill a line.
    pub const NEW_SENTENCE_TAIL: f64 = 15.0;
}

/// Words a line or cue should not end on: articles, prepositions,
/// determiners and titles (they belong with what follows).
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "onto", "upon", "about",
    "over", "under", "between", "among", "through", "during", "without", "within", "across", "towards", "toward",
    "per", "via", "as", "than", "this", "these", "those", "my", "your", "his", "her", "its", "our", "their", "every",
    "each", "mr", "mrs", "ms", "dr", "prof",
];

/// Words a break after is poor: conjunctions, subject pronouns, auxiliaries.
const WEAK_WORDS: &[&str] = &[
    "and", "but", "or", "nor", "because", "which", "who", "that", "if", "i", "we", "you", "they", "he", "she", "is",
    "are", "was", "were", "will", "would", "can", "could", "should", "must", "have", "has", "had", "do", "does", "did",
    "not", "be", "been",
];

/// Words a clause starts with: a break just before them is good.
const CONJUNCTIONS: &[&str] = &[
    "and", "but", "or", "nor", "so", "yet", "because", "which", "who", "whom", "whose", "where", "when", "while",
    "whereas", "although", "though", "if", "unless", "since", "until",
];

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &["mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "e.g", "i.e", "cf", "approx"];

/// The longest word in the lists above (all lower-case ASCII; a test checks).
const LONGEST_LISTED: usize = 8;

/// Whether `word`, without the punctuation around it, is in `list`, in any
/// case. Runs for every word boundary of every caption written: a word longer
/// than any listed one, or not ASCII, is answered at once, and the others are
/// folded once into a small buffer instead of once per listed word.
fn is_one_of(word: &str, list: &[&str]) -> bool {
    let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
    if bare.len() > LONGEST_LISTED || !bare.is_ascii() {
        return false;
    }
    let mut folded = [0u8; LONGEST_LISTED];
    let folded = &mut folded[..bare.len()];
    folded.copy_from_slice(bare.as_bytes());
    folded.make_ascii_lowercase();
    list.iter().any(|w| w.as_bytes() == folded)
}

fn is_dash(word: &str) -> bool {
    word.chars().all(|c| matches!(c, '-' | '\u{2010}'..='\u{2015}'))
}

/// The cost of breaking (a line or a cue) between `prev` and `next`.
fn break_cost(prev: &Token<'_>, next: &Token<'_>) -> f64 {
    if next.glued {
        return cost::PLAIN;
    }
    let word = prev.text;
    let core = word.trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')', ']', '\u{BB}', '*']);
    let closes_bracket = word.ends_with(')') || word.ends_with(']');
    match core.chars().last() {
        Some('.') => {
            let stem = core.trim_end_matches('.').trim_start_matches(|c: char| !c.is_alphanumeric());
            let initial = stem.chars().count() == 1 && stem.chars().all(char::is_alphabetic);
            if core.ends_with("..") || !(initial || is_one_of(stem, ABBREVIATIONS)) {
                return cost::SENTENCE_END;
            }
            return cost::AFTER_FUNCTION_WORD;
        }
        Some('?' | '!' | '\u{2026}' | '\u{3002}' | '\u{FF1F}' | '\u{FF01}') => return cost::SENTENCE_END,
        Some(';' | ':' | '\u{FF1B}' | '\u{FF1A}') => return cost::CLAUSE_END,
        Some(',' | '\u{FF0C}' | '\u{3001}' | '\u{2013}' | '\u{2014}') => return cost::PHRASE_END,
        _ if closes_bracket || is_dash(word) => return cost::PHRASE_END,
        _ => {}
    }
    if is_one_of(word, FUNCTION_WORDS) {
        cost::AFTER_FUNCTION_WORD
    } else if is_one_of(word, WEAK_WORDS) {
        cost::AFTER_WEAK_WORD
    } else if next.text.starts_with('(') || next.text.starts_with('[') {
        cost::PHRASE_END
    } else if is_dash(next.text) {
        cost::BEFORE_DASH
    } else if is_one_of(next.text, CONJUNCTIONS) {
        cost::BEFORE_CONJUNCTION
    } else {
        cost::PLAIN
    }
}

/// Chooses cue and line breaks for one segment.
#[derive(Debug)]
struct Planner<'t, 'a> {
    tokens: &'t [Token<'a>],
    limits: Limits,
    /// `breaks[b]`: cost of breaking before token `b`.
    breaks: Vec<f64>,
    /// `bounds[b]`: time of the boundary before token `b` (`bounds[n]` is the end).
    bounds: Vec<u64>,
    /// `spoken[t]`: when token `t` starts and ends being said.
    spoken: Vec<(u64, u64)>,
    segment_ms: u64,
    /// How many tokens the cue prefix takes (no cue may end within or right after it).
    prefix_len: usize,
    /// Reused table for line layouts: (cost, previous line end) per (line, end).
    scratch: Vec<(f64, usize)>,
}

impl Planner<'_, '_> {
    /// Characters of tokens `i..j` on one line.
    fn span_chars(&self, i: usize, j: usize) -> usize {
        match (self.tokens.get(i), j.checked_sub(1).and_then(|l| self.tokens.get(l))) {
            (Some(first), Some(last)) if j > i => last.end() - first.offset,
            _ => 0,
        }
    }

    /// The fewest lines tokens `i..j` fit on (filling each line greedily).
    fn min_lines(&self, i: usize, j: usize) -> usize {
        let mut lines = 1;
        let mut line_start = i;
        for k in i + 1..j {
            if self.span_chars(line_start, k + 1) > self.limits.line_chars {
                lines += 1;
                line_start = k;
            }
        }
        lines
    }

    /// Cue ranges `(first token, end token)`, in order, covering every token.
    fn plan(&mut self) -> Vec<(usize, usize)> {
        let n = self.tokens.len();
        // A segment that fits in one cue stays one cue.
        if self.span_chars(0, n) <= self.limits.cue_chars() && self.layout(0, n, None).is_some() {
            return vec![(0, n)];
        }
        let mut best = vec![f64::INFINITY; n + 1];
        let mut from = vec![0; n + 1];
        best[0] = 0.0;
        // The prefix stays with the first word unless they cannot share a cue.
        let no_cue_end_until =
            if self.layout(0, (self.prefix_len + 1).min(n), None).is_some() { self.prefix_len } else { 0 };
        // The last sentence end inside the cues ending at j (a break before token `b < j`).
        let mut sentence_end = 0;
        for j in 1..=n {
            if j > 1 && self.breaks[j - 1] == cost::SENTENCE_END {
                sentence_end = j - 1;
            }
            if j <= no_cue_end_until && j < n {
                continue;
            }
            let end_cost = if j < n { self.breaks[j] * cost::CUE_BREAK_WEIGHT } else { 0.0 };
            // Lines the cue i..j needs, filled from the bottom up so that adding
            // a token at the front only extends the top line (or opens one).
            let mut lines = 0;
            let mut top_end = j;
            for i in (0..j).rev() {
                if lines == 0 || self.span_chars(i, top_end) > self.limits.line_chars {
                    lines += 1;
                    top_end = i + 1;
                }
                if lines > self.limits.max_lines {
                    break;
                }
                // The layout cost is never negative: skip it when the rest already loses.
                let without_layout =
                    best[i] + cost::PER_CUE + end_cost + self.duration_cost(i, j) + self.tail_cost(i, j, sentence_end);
                if without_layout >= best[j] {
                    continue;
                }
                let Some(layout) = self.layout(i, j, None) else { continue };
                if without_layout + layout < best[j] {
                    best[j] = without_layout + layout;
                    from[j] = i;
                }
            }
        }
        let mut ranges = Vec::new();
        let mut j = n;
        while j > 0 {
            let i = from[j].min(j - 1);
            ranges.push((i, j));
            j = i;
        }
        ranges.reverse();
        ranges
    }

    /// The cost of a cue of tokens `i..j` that ends part way into a new
    /// sentence (a new sentence should start a new cue where possible).
    /// `sentence_end` is the last sentence end before token `j`.
    fn tail_cost(&self, i: usize, j: usize, sentence_end: usize) -> f64 {
        if self.breaks.get(j).is_none_or(|&b| b == cost::SENTENCE_END) || sentence_end <= i {
            return 0.0;
        }
        let b = sentence_end;
        let tail = self.span_chars(b, j) as f64 / self.limits.line_chars as f64;
        cost::NEW_SENTENCE_INSIDE + cost::NEW_SENTENCE_TAIL * (1.0 - tail).max(0.0)
    }

    /// How far a cue of tokens `i..j` lasts outside the wanted cue length.
    ///
    /// Too long is measured on the time its words take to say: a cue stays up
    /// through the pause after it, and cutting its text would not shorten that.
    /// Too short is measured on the time it is on screen.
    fn duration_cost(&self, i: usize, j: usize) -> f64 {
        let limits = self.limits;
        let shown = self.bounds[j] - self.bounds[i];
        let said = self.spoken[j - 1].1.saturating_sub(self.spoken[i].0);
        if said > limits.max_cue_ms {
            (said - limits.max_cue_ms) as f64 * cost::TOO_LONG_PER_MS
        } else if shown < limits.min_cue_ms && self.segment_ms >= limits.min_cue_ms {
            (limits.min_cue_ms - shown) as f64 * cost::TOO_SHORT_PER_MS
        } else {
            0.0
        }
    }

    /// The cost of the best layout of tokens `i..j` on the fewest lines they
    /// fit, or `None` when they need more than `max_lines`. With `starts`, the
    /// first token of each line after the first is written there.
    fn layout(&mut self, i: usize, j: usize, starts: Option<&mut Vec<usize>>) -> Option<f64> {
        let total = self.span_chars(i, j);
        if total <= self.limits.line_chars {
            return Some(0.0);
        }
        let lines = self.min_lines(i, j);
        if lines > self.limits.max_lines {
            return None;
        }
        let average = (total + 1 - lines) as f64 / lines as f64;
        let width = j - i + 1;
        // table[(r - 1) * width + (p - i)]: best cost of tokens i..p on r lines.
        let mut table = std::mem::take(&mut self.scratch);
        table.clear();
        table.resize(lines * width, (f64::INFINITY, 0));
        for p in i + 1..=j {
            table[p - i] = (self.line_cost(i, p, 0, lines, average), i);
        }
        for r in 1..lines {
            // Only the last line must end at j.
            let ends = if r + 1 == lines { j..=j } else { i + 1..=j };
            for p in ends {
                let mut cell = (f64::INFINITY, 0);
                for q in (i + 1..p).rev() {
                    if self.span_chars(q, p) > self.limits.line_chars {
                        break;
                    }
                    let before = table[(r - 1) * width + (q - i)].0;
                    let cost = before + self.breaks[q] + self.line_cost(q, p, r, lines, average);
                    if cost < cell.0 {
                        cell = (cost, q);
                    }
                }
                table[r * width + (p - i)] = cell;
            }
        }
        let result = table[(lines - 1) * width + (j - i)].0;
        if let Some(starts) = starts {
            let mut p = j;
            for r in (1..lines).rev() {
                let q = table[r * width + (p - i)].1;
                starts.push(q);
                p = q;
            }
            starts.reverse();
        }
        self.scratch = table;
        result.is_finite().then_some(result)
    }

    /// The cost of tokens `q..p` as line `r` of `lines`: too long is
    /// impossible; otherwise the distance from the average length, with a
    /// long top line (top-heavy) costing more than a long bottom line.
    fn line_cost(&self, q: usize, p: usize, r: usize, lines: usize, average: f64) -> f64 {
        let len = self.span_chars(q, p);
        if len > self.limits.line_chars {
            return f64::INFINITY;
        }
        let excess = len as f64 - average;
        let bottom = r + 1 == lines;
        match (bottom, excess > 0.0) {
            (false, true) | (true, false) => excess.abs() * cost::TOP_HEAVY_PER_CHAR,
            _ => excess.abs() * cost::BOTTOM_HEAVY_PER_CHAR,
        }
    }

    /// The lines of the cue of tokens `i..j`.
    fn lines(&mut self, i: usize, j: usize) -> Vec<String> {
        let mut starts = Vec::new();
        if self.layout(i, j, Some(&mut starts)).is_none() {
            starts.clear();
        }
        starts.push(j);
        let mut lines = Vec::with_capacity(starts.len());
        let mut from = i;
        for to in starts {
            let mut line = String::new();
            for token in self.tokens.get(from..to).unwrap_or_default() {
                if !line.is_empty() && !token.glued {
                    line.push(' ');
                }
                line.push_str(token.text);
            }
            lines.push(line);
            from = to;
        }
        lines
    }
}

#[cfg(test)]
mod tests;
