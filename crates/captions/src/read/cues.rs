//! What the WebVTT and SRT readers share: cue text, checking cue times,
//! deciding who speaks, and ending the input.

use std::collections::VecDeque;

use rapporteur_core::{Diagnostic, Segment, Source, Time, Timing};

use super::inline::TextBuilder;
use super::timestamp::{TimingError, TimingLine};
use super::turns::{turns, Turn};
use crate::CaptionError;

/// The timing line of a cue being read.
#[derive(Debug, Clone, Copy)]
pub(super) struct CueStart {
    pub timing: TimingLine,
    /// Line of the timing line, for warnings.
    pub line: usize,
}

/// Cue text, speaker continuity, time checks and warnings.
#[derive(Debug)]
pub(super) struct Cues {
    /// The text of the cue being read.
    pub text: TextBuilder,
    /// Longest text kept for one cue, in bytes.
    pub max_text: usize,
    /// The speaker a cue without a voice span or a marker continues: the
    /// last `>>` marker's (the broadcast convention), none after a cue whose
    /// speaker came from a voice span (a WebVTT voice belongs to its cue).
    carried: Option<String>,
    /// Segments of cues already read, not yet handed out.
    ready: VecDeque<Segment>,
    /// The turns of the cue being finished (kept to reuse its allocation).
    turns: Vec<Turn>,
    previous_start: Option<Time>,
    emitted: usize,
    last_problem: Option<usize>,
    diagnostics: Vec<Diagnostic>,
    source: Source,
    format: &'static str,
}

impl Cues {
    /// Shared state for a `format` reader whose segments come from `source`.
    pub fn new(format: &'static str, source: Source, max_text: usize) -> Self {
        Cues {
            text: TextBuilder::default(),
            max_text,
            carried: None,
            ready: VecDeque::new(),
            turns: Vec::new(),
            previous_start: None,
            emitted: 0,
            last_problem: None,
            diagnostics: Vec::new(),
            source,
            format,
        }
    }

    /// Adds a line to the cue text (warning once when the cue gets too long).
    pub fn push_text(&mut self, line: &str, markup: super::inline::Markup, line_no: usize) {
        if !self.text.push_line(line, markup, self.max_text) {
            self.warn(
                line_no,
                format!("cue text is longer than {} bytes; the rest of the cue was skipped", self.max_text),
            );
        }
    }

    /// A warning at `line`.
    pub fn warn(&mut self, line: usize, message: String) {
        self.diagnostics.push(Diagnostic::warning(Some(line), message));
    }

    /// A warning about a block that was skipped at `line`.
    pub fn skipped(&mut self, line: usize, message: String) {
        self.last_problem = Some(line);
        self.warn(line, message);
    }

    /// Warns about a timing line that could not be read (the cue is skipped).
    pub fn bad_timing(&mut self, line: usize, text: &str, error: TimingError, example: &str) {
        let shown = shorten(text.trim(), 60);
        self.skipped(
            line,
            format!("cannot read the cue timing `{shown}`: {} (expected `{example}`); cue skipped", error.describe()),
        );
    }

    /// Turns the cue just read into segments, handed out by
    /// [`Cues::next_ready`]: one, none when its text is empty, or one per
    /// speaker turn when a `>>` marker comes after whitespace inside the cue.
    /// The turns of such a cue share its time by their characters and are
    /// marked `timing: estimated`, since only the cue's own ends are known.
    ///
    /// Speaker: the cue's first voice span `<v Name>` (for the text before
    /// any marker), else a `>> NAME:` marker starting the turn (a bare `>>`
    /// being a new unnamed speaker), else the speaker of the last marker,
    /// since a turn marked with `>>` spans many cues. A voice span names its
    /// own cue's speaker only: the cues after it without voice or marker have
    /// none (unless it shares its cue with a marker, which starts a turn that
    /// goes on).
    ///
    /// `at_end` says the input ended with this cue: an empty last cue is
    /// then reported as a sign of a truncated file.
    pub fn finish_cue(&mut self, cue: CueStart, at_end: bool) {
        if self.text.is_empty() {
            if at_end {
                self.warn(
                    cue.line,
                    "the input ends after this cue's timing line, with no text (is the file truncated?)".into(),
                );
            }
            return;
        }
        let start = Time::from_millis(cue.timing.start_ms);
        let mut end = Time::from_millis(cue.timing.end_ms);
        if let Some(previous) = self.previous_start.filter(|&p| start < p) {
            self.diagnostics.push(Diagnostic::warning(
                Some(cue.line),
                format!("cue starts at {start}, before the previous cue ({previous}): times go backwards; kept in file order"),
            ));
        }
        if end < start {
            self.diagnostics.push(Diagnostic::warning(
                Some(cue.line),
                format!("cue ends at {end}, before it starts ({start}); end set to the start"),
            ));
            end = start;
        }
        self.previous_start = Some(start);
        // Only a `>>` typed as such: `&gt;&gt;` is how a writer says "this is text".
        let text = self.text.text();
        if self.text.markers().next().is_none() {
            // Most cues: one turn, no marker (the general path below costs ~5% of reading).
            let speaker = match self.text.voice() {
                Some(voice) => {
                    self.carried = None;
                    Some(voice.to_string())
                }
                None => self.carried.clone(),
            };
            self.emitted += 1;
            self.ready.push_back(Segment::new(start, end, speaker, text, self.source, Timing::Exact));
            return;
        }
        turns(text, self.text.markers(), start.as_millis(), end.as_millis(), &mut self.turns);
        let spoken = self.turns.iter().filter(|t| !t.text.is_empty()).count();
        let timing = if spoken > 1 { Timing::Estimated } else { Timing::Exact };
        // The voice is the first turn's: the others start with a marker.
        let mut voice = self.text.voice();
        for turn in self.turns.drain(..) {
            let marked = turn.marker.is_some();
            if let Some(name) = turn.marker {
                self.carried = name;
            }
            let speaker = match voice.take() {
                Some(voice) => {
                    self.carried = if marked { Some(voice.to_string()) } else { None };
                    Some(voice.to_string())
                }
                None => self.carried.clone(),
            };
            let words = text.get(turn.text).unwrap_or_default();
            if words.is_empty() {
                continue;
            }
            self.emitted += 1;
            let (turn_start, turn_end) = (Time::from_millis(turn.start_ms), Time::from_millis(turn.end_ms));
            self.ready.push_back(Segment::new(turn_start, turn_end, speaker, words, self.source, timing));
        }
    }

    /// The next segment of the cues read so far.
    pub fn next_ready(&mut self) -> Option<Segment> {
        self.ready.pop_front()
    }

    /// What the end of the input means: the end when cues were read, else an
    /// error (a non-empty input that yields nothing is not a transcript).
    pub fn end(&self, saw_text: bool) -> Result<Option<Segment>, CaptionError> {
        if self.emitted > 0 {
            Ok(None)
        } else if !saw_text {
            Err(CaptionError::Empty)
        } else {
            Err(CaptionError::NoCues { format: self.format, line: self.last_problem })
        }
    }

    /// Warnings so far, drained.
    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diagnostics)
    }
}

/// `text` cut to `max` characters, with `…` when cut, for quoting in a warning.
pub(super) fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.to_string(),
    }
}
