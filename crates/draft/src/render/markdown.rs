//! Markdown: tracks as sections, policy questions as subsections, messages
//! as a bulleted list with footnotes citing session, speaker and time.

use std::fmt::Write as _;

use super::{footnote_parts, preamble, support};
use crate::messages::Draft;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '_' | '[' | ']' | '`' | '<' | '>' | '#' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The draft as Markdown (footnotes in the common `[^n]` syntax).
pub fn to_markdown(draft: &Draft) -> String {
    let mut out = String::new();
    let mut notes = String::new();
    let mut n = 0;
    let _ = writeln!(out, "# {}\n", escape(&draft.title));
    let _ = writeln!(out, "_{}_\n", escape(&preamble(draft)));
    for note in &draft.notes {
        let _ = writeln!(out, "> **Note:** {}\n", escape(note));
    }
    for track in &draft.tracks {
        let _ = writeln!(out, "## {}\n", escape(&track.track));
        if let Some(d) = &track.description {
            let _ = writeln!(out, "_{}_\n", escape(d));
        }
        let count: usize = track.groups.iter().map(|g| g.messages.len()).sum();
        if count == 0 {
            let _ = writeln!(out, "_No message: no point in this track could be worded from the findings._\n");
            continue;
        }
        for group in &track.groups {
            if track.groups.len() > 1 || group.policy_question.is_some() {
                let heading = group.policy_question.as_deref().unwrap_or("Other messages");
                let _ = writeln!(out, "### {}\n", escape(heading));
            }
            for m in &group.messages {
                n += 1;
                let _ = writeln!(out, "- {}[^{n}]", escape(&m.text));
                let (used, also) = footnote_parts(m);
                let mut note = format!("[^{n}]: ");
                let cited: Vec<String> =
                    used.iter().map(|(c, q)| format!("{}: \u{201c}{}\u{201d}", escape(c), escape(q))).collect();
                note.push_str(&cited.join("; "));
                let _ = write!(note, " ({})", support(m));
                if !also.is_empty() {
                    let _ = write!(note, " Also raised in: {}.", escape(&also.join("; ")));
                }
                let _ = writeln!(notes, "{note}");
            }
            out.push('\n');
        }
    }
    if !notes.is_empty() {
        let _ = writeln!(out, "---\n\n{notes}");
    }
    out
}
