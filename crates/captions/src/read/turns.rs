//! Speaker turns inside one cue.
//!
//! Broadcast captions put a change of speaker in the middle of a cue when two
//! people speak within it: `Yes, it is. >> BOB: Thank you.` (often with the
//! `>>` starting the cue's second line). Each `>>` marker that the cue text
//! builder found after whitespace starts a turn of its own. A cue has one
//! start and one end time, so the times in between are interpolated: each
//! turn gets a share of the cue's time proportional to the characters of its
//! text, as a captioner types at a steady pace while people speak.

use super::speaker::{self, NameStyle};

/// One turn of a cue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Turn<'a> {
    /// The speaker its `>>` marker names (`Some(None)` for a bare `>>`);
    /// `None` when it does not start with a marker (the cue's first turn).
    pub marker: Option<Option<String>>,
    /// Its text, without the marker, trimmed (may be empty).
    pub text: &'a str,
    /// Start, in milliseconds.
    pub start_ms: u64,
    /// End, in milliseconds.
    pub end_ms: u64,
}

/// The turns of a cue's `text` from `start_ms` to `end_ms`, given the byte
/// offsets of its `>>` markers (in order). A cue without markers is one turn
/// over the whole cue.
pub(super) fn turns(text: &str, markers: impl Iterator<Item = usize>, start_ms: u64, end_ms: u64) -> Vec<Turn<'_>> {
    let mut starts: Vec<(usize, bool)> = Vec::with_capacity(2);
    for at in markers {
        if starts.is_empty() && at > 0 {
            starts.push((0, false));
        }
        starts.push((at, true));
    }
    if starts.is_empty() {
        starts.push((0, false));
    }
    let mut turns: Vec<Turn<'_>> = starts
        .iter()
        .enumerate()
        .map(|(k, &(from, marked))| {
            let to = starts.get(k + 1).map_or(text.len(), |&(next, _)| next);
            let piece = text.get(from..to).unwrap_or_default().trim();
            match speaker::marker(piece, NameStyle::Caption).filter(|_| marked) {
                Some((name, rest)) => Turn { marker: Some(name), text: rest.trim(), start_ms, end_ms },
                None => Turn { marker: None, text: piece, start_ms, end_ms },
            }
        })
        .collect();
    if turns.len() > 1 {
        share_time(&mut turns, start_ms, end_ms.max(start_ms));
    }
    turns
}

/// Gives each turn a share of `start_ms..end_ms` proportional to the
/// characters of its text (turns without text get no time).
fn share_time(turns: &mut [Turn<'_>], start_ms: u64, end_ms: u64) {
    let weights: Vec<u128> = turns.iter().map(|t| t.text.chars().count() as u128).collect();
    let total: u128 = weights.iter().sum::<u128>().max(1);
    let span = u128::from(end_ms - start_ms);
    let mut done = 0u128;
    let mut at = start_ms;
    for (turn, weight) in turns.iter_mut().zip(weights) {
        done += weight;
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

    fn turn(marker: Option<Option<&str>>, text: &str, start_ms: u64, end_ms: u64) -> Turn<'static> {
        let marker = marker.map(|m| m.map(String::from));
        Turn { marker, text: Box::leak(text.to_string().into_boxed_str()), start_ms, end_ms }
    }

    #[test]
    fn markers_split_a_cue_into_turns_with_interpolated_times() {
        type Row = (&'static str, &'static [usize], u64, u64, Vec<Turn<'static>>);
        let table: Vec<Row> = vec![
            ("Just text.", &[], 1_000, 2_000, vec![turn(None, "Just text.", 1_000, 2_000)]),
            (">> ANA: Hi.", &[0], 1_000, 2_000, vec![turn(Some(Some("ANA")), "Hi.", 1_000, 2_000)]),
            // 4 and 3 characters: 4/7 of the second.
            (
                "Yes. >> BOB: No.",
                &[5],
                1_000,
                2_000,
                vec![turn(None, "Yes.", 1_000, 1_571), turn(Some(Some("BOB")), "No.", 1_571, 2_000)],
            ),
            (
                ">> A: ab >> cd >> B: efgh",
                &[0, 9, 15],
                0,
                800,
                vec![
                    turn(Some(Some("A")), "ab", 0, 200),
                    turn(Some(None), "cd", 200, 400),
                    turn(Some(Some("B")), "efgh", 400, 800),
                ],
            ),
            // A bare `>>` at the end takes no time; the text before keeps the cue.
            (
                "Over to you. >>",
                &[13],
                0,
                1_000,
                vec![turn(None, "Over to you.", 0, 1_000), turn(Some(None), "", 1_000, 1_000)],
            ),
            // An end before the start (warned about by the caller) gives empty spans.
            ("a >> b", &[2], 500, 400, vec![turn(None, "a", 500, 500), turn(Some(None), "b", 500, 500)]),
        ];
        for (text, markers, start, end, want) in table {
            assert_eq!(turns(text, markers.iter().copied(), start, end), want, "{text}");
        }
    }
}
