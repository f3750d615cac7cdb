//! One language's character stream cut into segments.

use rapporteur_core::{Segment, Source, Time, Timing};

use super::boundary;
use super::buffer::{Buffer, Stretch};
use super::chunk::Event;
use super::marker::{self, Marker};
use super::LiveConfig;

/// The backspace character StreamText sends to delete the character before it.
const BACKSPACE: char = '\u{8}';
/// How much of the last emitted text a warning quotes.
const QUOTED_TAIL_CHARS: usize = 30;

/// Assembles one language's caption text, already in stream order, into
/// [`Segment`]s.
///
/// Text goes in with [`Assembler::apply`] (any slicing: characters, words,
/// lines); a segment comes out when it is complete: at a sentence end, a turn
/// marker (`>> NAME:` names the speaker, a bare `>>` makes it unknown), a blank
/// line, or a pause of `pause_ms`. Each character carries the time it arrived
/// (never earlier than the character before it), so a segment runs from the
/// arrival of its first character to the arrival of its last. A
/// [`LiveSession`](super::LiveSession) puts numbered chunks in order first and
/// keeps one assembler per language.
#[derive(Debug, Clone)]
pub struct Assembler {
    lang: String,
    pause_ms: u64,
    max_segment_chars: usize,
    buffer: Buffer,
    /// The pending text's turn marker once resolved: where its text starts,
    /// and how many characters decided it (a backspace below that reopens it).
    /// Kept so that the marker is not read again at every character.
    resolved_marker: Option<(usize, usize)>,
    speaker: Option<String>,
    /// Arrival time of the latest character: times never go backwards.
    clock: Time,
    /// When the last character or backspace arrived.
    last_activity: Option<Time>,
    lost_backspaces: u64,
    last_emitted: String,
}

impl Assembler {
    /// An assembler for the language `lang`.
    pub fn new(lang: impl Into<String>, config: &LiveConfig) -> Self {
        Assembler {
            lang: lang.into(),
            pause_ms: config.pause_ms,
            max_segment_chars: config.max_segment_chars.max(1),
            buffer: Buffer::default(),
            resolved_marker: None,
            speaker: None,
            clock: Time::ZERO,
            last_activity: None,
            lost_backspaces: 0,
            last_emitted: String::new(),
        }
    }

    /// The language this assembler serves.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// The speaker of the current turn, if named.
    pub fn speaker(&self) -> Option<&str> {
        self.speaker.as_deref()
    }

    /// Text received but not yet in a segment, single-spaced (turn marker
    /// included): what a live page shows as "being typed".
    pub fn pending_text(&self) -> String {
        normalise(self.buffer.chars())
    }

    /// How many backspaces arrived after the text they would delete had been
    /// emitted, and so could not be applied.
    pub fn lost_backspaces(&self) -> u64 {
        self.lost_backspaces
    }

    /// Appends `text`, the next piece of the stream, which arrived at `arrival`.
    pub fn apply(&mut self, text: &str, arrival: Time) -> Vec<Event> {
        let at = arrival.max(self.clock);
        let mut events = self.tick(at);
        let mut lost = 0u64;
        let mut active = false;
        for c in text.chars() {
            if c == BACKSPACE {
                active = true;
                if !self.buffer.backspace() {
                    lost += 1;
                }
                if self.resolved_marker.is_some_and(|(_, decided_by)| self.buffer.len() < decided_by) {
                    self.resolved_marker = None;
                }
            } else if c.is_control() && !c.is_whitespace() {
                // NUL, bell and the like carry no text.
                continue;
            } else {
                active = true;
                self.push_char(c, at, &mut events);
            }
        }
        if active {
            self.clock = at;
            self.last_activity = Some(at);
        }
        if lost > 0 {
            self.lost_backspaces += lost;
            let (noun, verb) = if lost == 1 { ("backspace", "reaches") } else { ("backspaces", "reach") };
            let message = if self.last_emitted.is_empty() {
                format!("{lost} {noun} at {} came before any text and cannot be applied", at.to_vtt())
            } else {
                format!(
                    "{lost} {noun} at {} {verb} into text already emitted (the segment ending \"{}\") \
                     and cannot be undone",
                    at.to_vtt(),
                    self.last_emitted
                )
            };
            events.push(Event::warning(Some(&self.lang), message));
        }
        events
    }

    /// Ends the pending segment if nothing has arrived for `pause_ms` by `now`.
    pub fn tick(&mut self, now: Time) -> Vec<Event> {
        let mut events = Vec::new();
        if let Some(last) = self.last_activity {
            if now.millis_since(last) >= self.pause_ms && self.buffer.has_text() {
                let all = self.take_prefix(usize::MAX);
                self.emit(all, &mut events);
            }
        }
        events
    }

    /// Emits whatever is pending (the feed is over, or the caller wants it now).
    pub fn finish(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        let all = self.take_prefix(usize::MAX);
        self.emit(all, &mut events);
        events
    }

    fn push_char(&mut self, c: char, at: Time, events: &mut Vec<Event>) {
        let was_unresolved = self.text_start().is_none();
        self.buffer.push(c, at);
        // Only a new non-space character can complete a boundary, and
        // usually only the one just before it; but when it resolves a turn
        // marker, the full stops inside it that were put on hold are looked
        // at again.
        let mut scan_all = was_unresolved;
        let may_end_here = was_unresolved || !c.is_whitespace();
        while let Some(text_start) = self.text_start().filter(|_| may_end_here) {
            let chars = self.buffer.chars();
            let found =
                if scan_all { boundary::first(chars, text_start) } else { boundary::at_last(chars, text_start) };
            let Some(end) = found else { break };
            let stretch = self.take_prefix(end);
            self.emit(stretch, events);
            scan_all = true;
        }
        if self.buffer.len() > self.max_segment_chars {
            self.cut_long_text(events);
        }
    }

    /// Text with no boundary for `max_segment_chars`: cut at its last space.
    fn cut_long_text(&mut self, events: &mut Vec<Event>) {
        let chars = self.buffer.chars();
        let cut = chars.iter().rposition(|c| c.is_whitespace()).filter(|&p| p > 0).unwrap_or(chars.len());
        let count = self.buffer.len();
        let stretch = self.take_prefix(cut);
        if stretch.chars.iter().all(|c| c.is_whitespace()) {
            // A flood of spaces: nothing to say, only memory to free.
            return;
        }
        events.push(Event::warning(
            Some(&self.lang),
            format!(
                "no sentence end, speaker change or pause in {count} characters up to {}; the segment was cut \
                 at a space (raise max_segment_chars to allow longer ones)",
                stretch.times.last().copied().unwrap_or(self.clock).to_vtt()
            ),
        ));
        self.emit(stretch, events);
    }

    /// Where the pending turn's own text starts, or `None` while its marker
    /// is unresolved.
    fn text_start(&mut self) -> Option<usize> {
        if let Some((text_start, _)) = self.resolved_marker {
            debug_assert_eq!(
                marker::parse(self.buffer.chars(), false).0.text_start(),
                text_start,
                "stale turn marker for {:?}",
                self.buffer.chars()
            );
            return Some(text_start);
        }
        let (marker, decided_by) = marker::parse(self.buffer.chars(), false);
        if marker == Marker::Unresolved {
            return None;
        }
        self.resolved_marker = Some((marker.text_start(), decided_by));
        Some(marker.text_start())
    }

    /// Takes the first `n` pending characters (all if fewer) to emit.
    fn take_prefix(&mut self, n: usize) -> Stretch {
        self.resolved_marker = None;
        self.buffer.take_prefix(n)
    }

    /// Turns a stretch into a segment (and a new speaker, if it opens a turn).
    fn emit(&mut self, stretch: Stretch, events: &mut Vec<Event>) {
        let (marker, _) = marker::parse(&stretch.chars, true);
        match &marker {
            Marker::Named { name, .. } => self.speaker = Some(name.clone()),
            Marker::Bare { .. } => self.speaker = None,
            Marker::None | Marker::Unresolved => {}
        }
        let text = normalise(stretch.chars.get(marker.text_start()..).unwrap_or_default());
        if text.is_empty() {
            return;
        }
        let is_text = |c: &char| !c.is_whitespace();
        let (Some(first), Some(last)) =
            (stretch.chars.iter().position(is_text), stretch.chars.iter().rposition(is_text))
        else {
            return;
        };
        let (Some(&start), Some(&end)) = (stretch.times.get(first), stretch.times.get(last)) else { return };
        self.last_emitted = tail(&text, QUOTED_TAIL_CHARS);
        events.push(Event::Segment {
            lang: self.lang.clone(),
            segment: Segment::new(start, end, self.speaker.clone(), text, Source::Caption, Timing::Exact),
        });
    }
}

/// Single-spaced and trimmed, with typographic dashes made ASCII the way the
/// CART file reader does (U+2010 to U+2013 as `-`, U+2014 and U+2015 as
/// `--`), so that live and file transcripts of a session read alike.
fn normalise(chars: &[char]) -> String {
    let mut text = String::with_capacity(chars.len());
    let mut space = false;
    for &c in chars {
        if c.is_whitespace() {
            space = !text.is_empty();
            continue;
        }
        if space {
            text.push(' ');
            space = false;
        }
        match c {
            '\u{2010}'..='\u{2013}' => text.push('-'),
            '\u{2014}' | '\u{2015}' => text.push_str("--"),
            c => text.push(c),
        }
    }
    text
}

/// The last `n` characters of `text`, with `…` when cut.
fn tail(text: &str, n: usize) -> String {
    let count = text.chars().count();
    if count <= n {
        text.to_string()
    } else {
        let rest: String = text.chars().skip(count - n).collect();
        format!("…{rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_space_and_hyphens() {
        let chars: Vec<char> =
            "  Thank you \u{2011}\u{2011} (overlapping speakers)\n\u{a0} so\u{2014}well \u{2013} ok.  "
                .chars()
                .collect();
        assert_eq!(normalise(&chars), "Thank you -- (overlapping speakers) so--well - ok.");
        assert_eq!(tail("abcdef", 3), "…def");
    }
}
