//! Speaker turns inside one cue.
//!
//! Broadcast captions put a change of speaker in the middle of a cue when two
//! people speak within it: `Yes, it is. >> BOB: Thank you.` (often with the
//! `>>` starting the cue's second line). Each `>>` marker that the cue text
//! builder found after whitespace starts a turn of its own. A cue has one
//! start and one end time, so the times in between are interpolated: each
//! turn gets a share of the cue's time proportional to the characters of its
//! text, as a captioner types at a steady pace while people speak.

use std::ops::Range;

use super::speaker::{self, NameStyle};

/// One turn of a cue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Turn {
    /// The speaker its `>>` marker names (`Some(None)` for a bare `>>`);
    /// `None` when it does not start with a marker (the cue's first turn).
    pub marker: Option<Option<String>>,
    /// Where its text is in the cue's text: after the marker, trimmed (may be empty).
    pub text: Range<usize>,
    /// Start, in milliseconds.
    pub start_ms: u64,
    /// End, in milliseconds.
    pub end_ms: u64,
}

/// Fills `turns` (emptied first: a buffer reused from cue to cue) with the
/// turns of a cue's `text` from `start_ms` to `end_ms`, given the byte
/// offsets of its `>>` markers, in order. A cue without markers is one turn
/// over the whole cue.
pub(super) fn turns(
    text: &str,
    markers: impl Iterator<Item = usize>,
    start_ms: u64,
    end_ms: u64,
    turns: &mut Vec<Turn>,
) {
    turns.clear();
    // The pieces between markers, each marked one holding its marker...
    for at in markers {
        if turns.is_empty() && at > 0 {
            turns.push(Turn { marker: None, text: 0..at, start_ms, end_ms });
        }
        if let Some(previous) = turns.last_mut() {
            previous.text.end = at;
        }
        turns.push(Turn { marker: Some(None), text: at..text.len(), start_ms, end_ms });
    }
    if turns.is_empty() {
        turns.push(Turn { marker: None, text: 0..text.len(), start_ms, end_ms });
    }
    // ...then each marker read and taken off its piece.
    for turn in turns.iter_mut() {
        let piece = text.get(turn.text.clone()).unwrap_or_default();
        let marker = if turn.marker.is_some() { speaker::marker(piece, NameStyle::Caption) } else { None };
        // What `marker` leaves is always a suffix of the piece.
        let (name, rest) = match marker {
            Some((name, rest)) => (Some(name), rest),
            None => (None, piece),
        };
        let from = turn.text.end - rest.len() + (rest.len() - rest.trim_start().len());
        turn.marker = name;
        turn.text = from..from + rest.trim().len();
    }
    if turns.len() > 1 {
        share_time(text, turns, start_ms, end_ms.max(start_ms));
    }
}

/// Gives each turn a share of `start_ms..end_ms` proportional to the
/// characters of its text (turns without text get no time).
fn share_time(text: &str, turns: &mut [Turn], start_ms: u64, end_ms: u64) {
    let chars = |turn: &Turn| text.get(turn.text.clone()).unwrap_or_default().chars().count() as u128;
    let total = turns.iter().map(chars).sum::<u128>().max(1);
    let span = u128::from(end_ms - start_ms);
    let mut done = 0u128;
    let mut at = start_ms;
    for turn in turns.iter_mut() {
        done += chars(turn);
        // Rounded to the nearest millisecond; the last turn ends at the cue's end.
        let next = start_ms + ((span * done * 2 + total) / (total * 2)) as u64;
        turn.start_ms = at;
        turn.end_ms = next.min(end_ms);
        at = turn.end_ms;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A turn as the test table writes it: marker, text, start, end.
    type Want = (Option<Option<&'static str>>, &'static str, u64, u64);

    #[test]
    fn markers_split_a_cue_into_turns_with_interpolated_times() {
        type Row = (&'static str, &'static [usize], u64, u64, &'static [Want]);
        let table: &[Row] = &[
            ("Just text.", &[], 1_000, 2_000, &[(None, "Just text.", 1_000, 2_000)]),
            (">> ANA: Hi.", &[0], 1_000, 2_000, &[(Some(Some("ANA")), "Hi.", 1_000, 2_000)]),
            // 4 and 3 characters: 4/7 of the second.
            (
                "Yes. >> BOB: No.",
                &[5],
                1_000,
                2_000,
                &[(None, "Yes.", 1_000, 1_571), (Some(Some("BOB")), "No.", 1_571, 2_000)],
            ),
            (
                ">> A: ab >> cd >> B: efgh",
                &[0, 9, 15],
                0,
                800,
                &[(Some(Some("A")), "ab", 0, 200), (Some(None), "cd", 200, 400), (Some(Some("B")), "efgh", 400, 800)],
            ),
            // A bare `>>` at the end takes no time; the text before keeps the cue.
            ("Over to you. >>", &[13], 0, 1_000, &[(None, "Over to you.", 0, 1_000), (Some(None), "", 1_000, 1_000)]),
            // An end before the start (warned about by the caller) gives empty spans.
            ("a >> b", &[2], 500, 400, &[(None, "a", 500, 500), (Some(None), "b", 500, 500)]),
        ];
        // One buffer for all rows, as for the cues of a file.
        let mut buffer = Vec::new();
        for &(text, markers, start, end, want) in table {
            turns(text, markers.iter().copied(), start, end, &mut buffer);
            let got: Vec<_> = buffer
                .iter()
                .map(|t| (t.marker.as_ref().map(Option::as_deref), &text[t.text.clone()], t.start_ms, t.end_ms))
                .collect();
            assert_eq!(got, want, "{text}");
        }
    }
}
