//! The line-by-line input every text reader works on.

use std::collections::VecDeque;
use std::io::{self, BufRead};

use rapporteur_core::Diagnostic;

use crate::lines::Lines;

/// The current line of an input, read with [`Lines`] into one reused buffer.
#[derive(Debug)]
pub(super) struct Input<R> {
    lines: Lines<R>,
    /// The current line (no line end).
    pub line: String,
    /// Its 1-based number.
    pub no: usize,
    saw_text: bool,
    /// Lines given back, read again before new ones (front first).
    replay: VecDeque<(usize, String)>,
}

impl<R: BufRead> Input<R> {
    /// Lines of `input`, cut at `max_line_bytes`.
    pub fn new(input: R, max_line_bytes: usize) -> Self {
        Input {
            lines: Lines::new(input).with_max_line_bytes(max_line_bytes),
            line: String::new(),
            no: 0,
            saw_text: false,
            replay: VecDeque::new(),
        }
    }

    /// Reads the next line; `false` at the end of the input.
    pub fn next(&mut self) -> io::Result<bool> {
        if let Some((no, line)) = self.replay.pop_front() {
            self.line = line;
            self.no = no;
            return Ok(true);
        }
        match self.lines.next_line(&mut self.line)? {
            Some(no) => {
                self.no = no;
                self.saw_text |= !self.is_blank();
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Whether the current line is empty or whitespace.
    pub fn is_blank(&self) -> bool {
        self.line.trim().is_empty()
    }

    /// Gives the current line back: the next [`Input::next`] returns it again.
    pub fn push_back(&mut self) {
        self.replay.push_front((self.no, std::mem::take(&mut self.line)));
    }

    /// Gives back the current line from byte `offset` on (a second speaker
    /// turn run into the same line), to be read next as its own line.
    pub fn push_back_tail(&mut self, offset: usize) {
        let tail = self.line.get(offset..).unwrap_or_default().to_string();
        self.replay.push_front((self.no, tail));
    }

    /// Takes the current line out (for looking ahead); [`Input::replay_all`]
    /// gives such lines back.
    pub fn take_line(&mut self) -> (usize, String) {
        (self.no, std::mem::take(&mut self.line))
    }

    /// Lines taken while looking ahead, to be read again in order.
    pub fn replay_all(&mut self, lines: VecDeque<(usize, String)>) {
        let mut lines = lines;
        lines.extend(self.replay.drain(..));
        self.replay = lines;
    }

    /// Skips to the end of the current block (the next blank line or the end).
    pub fn skip_block(&mut self) -> io::Result<()> {
        while self.next()? {
            if self.is_blank() {
                break;
            }
        }
        Ok(())
    }

    /// Whether any line so far had text.
    pub fn saw_text(&self) -> bool {
        self.saw_text
    }

    /// Warnings from line reading (cut lines, invalid UTF-8), drained.
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        self.lines.take_warnings()
    }
}
