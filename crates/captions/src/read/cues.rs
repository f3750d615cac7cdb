//! What the WebVTT and SRT readers share: cue text, checking cue times,
//! deciding who speaks, and ending the input.

use rapporteur_core::{Diagnostic, Segment, Source, Time, Timing};

use super::inline::TextBuilder;
use super::speaker::{self, NameStyle};
use super::timestamp::{TimingError, TimingLine};
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

    /// The segment for the cue just read, or `None` when its text is empty.
    ///
    /// Speaker: the cue's first voice span `<v Name>`, else a `>> NAME:`
    /// marker at its start (a bare `>>` being a new unnamed speaker), else
    /// the speaker of the last marker, since a turn marked with `>>` spans
    /// many cues. A voice span names its own cue's speaker only: the cues
    /// after it without voice or marker have none (unless it shares its cue
    /// with a marker, which starts a turn that goes on).
    /// `at_end` says the input ended with this cue: an empty last cue is
    /// then reported as a sign of a truncated file.
    pub fn finish_cue(&mut self, cue: CueStart, at_end: bool) -> Option<Segment> {
        if self.text.is_empty() {
            if at_end {
                self.warn(
                    cue.line,
                    "the input ends after this cue's timing line, with no text (is the file truncated?)".into(),
                );
            }
            return None;
        }
        let mut body = self.text.text();
        // Only a `>>` typed as such: `&gt;&gt;` is how a writer says "this is text".
        let marker = if self.text.starts_with_marker() { speaker::marker(body, NameStyle::Caption) } else { None };
        let marked = marker.is_some();
        if let Some((name, rest)) = marker {
            self.carried = name;
            body = rest;
        }
        let speaker = match self.text.voice() {
            Some(voice) => {
                let voice = voice.to_string();
                self.carried = if marked { Some(voice.clone()) } else { None };
                Some(voice)
            }
            None => self.carried.clone(),
        };
        let text = body.to_string();
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
        if text.is_empty() {
            return None;
        }
        self.emitted += 1;
        Some(Segment::new(start, end, speaker, text, self.source, Timing::Exact))
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
