//! `rapporteur eval rouge CANDIDATE REFERENCE`: ROUGE-1/2/L/Lsum of a draft
//! against reference messages, computed as Google's rouge-score computes them.
//!
//! Either file may be plain text (one sentence or message per line, for
//! ROUGE-Lsum), Markdown messages (`## Track` headings over bulleted
//! messages, as `rapporteur draft` writes them and as reference messages are
//! written by hand) or a `messages.json` written by `rapporteur draft`. When
//! both sides name tracks, each track shared by both is scored on its own and
//! the table ends with their macro average, as the IGF drafts are compared
//! track by track.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rapporteur_draft::rouge::{self, Rouge, Score};
use rapporteur_draft::Draft;

use crate::output::UsageError;
use crate::Outcome;

/// ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum of a candidate against a reference.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  rapporteur eval rouge out/messages/messages.json fixtures/meeting-eval/reference-messages.md
  rapporteur eval rouge draft.txt reference.txt --json
  rapporteur eval rouge out/messages/messages.md reference-messages.md --track Trust

Inputs: plain text (one message per line), Markdown (`## Track` headings, bulleted messages,
footnotes and comments ignored) or a messages.json from `rapporteur draft`.")]
pub struct RougeArgs {
    /// The candidate (the draft).
    candidate: PathBuf,
    /// The reference (messages written by people).
    reference: PathBuf,
    /// Only the messages of this track (Markdown and JSON inputs).
    #[arg(long)]
    track: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Messages of a file, by track (`None`: the file names no track).
#[derive(Debug, Default)]
struct Messages {
    tracks: Vec<(Option<String>, Vec<String>)>,
}

impl Messages {
    fn push(&mut self, track: Option<&str>, message: String) {
        match self.tracks.iter_mut().find(|(t, _)| t.as_deref() == track) {
            Some((_, list)) => list.push(message),
            None => self.tracks.push((track.map(str::to_string), vec![message])),
        }
    }

    fn named(&self) -> bool {
        self.tracks.iter().any(|(t, _)| t.is_some())
    }

    /// The messages of `track` (every message when `None`), one per line.
    fn text(&self, track: Option<&str>) -> String {
        self.tracks
            .iter()
            .filter(|(t, _)| track.is_none_or(|name| t.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(name))))
            .flat_map(|(_, list)| list.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A heading's title as a track label: "Track: Data" and "Data" both give "Data".
fn heading_track(title: &str) -> String {
    let t = title.trim().trim_end_matches('#').trim();
    let lower = t.to_ascii_lowercase();
    for prefix in ["track:", "track -", "track"] {
        if lower.starts_with(prefix) && t.len() > prefix.len() {
            return t[prefix.len()..].trim().to_string();
        }
    }
    t.to_string()
}

/// Drops `[^n]` footnote markers, Markdown escapes and emphasis marks.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' if chars.peek() == Some(&'^') => {
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                }
            }
            '\\' => {
                if let Some(d) = chars.next() {
                    out.push(d);
                }
            }
            '*' | '_' | '`' => {}
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Markdown messages: level-2 headings are tracks (a level-1 heading is the
/// title), bulleted or numbered items are messages (indented lines continue
/// them), HTML comments, footnote definitions and other text are skipped.
/// `None` when the file has no bulleted item (it is then plain text).
fn markdown_messages(text: &str) -> Option<Messages> {
    let mut messages = Messages::default();
    let mut track: Option<String> = None;
    let mut current: Option<String> = None;
    let mut in_comment = false;
    let flush = |messages: &mut Messages, track: &Option<String>, current: &mut Option<String>| {
        if let Some(m) = current.take() {
            let m = plain(&m);
            if !m.is_empty() {
                messages.push(track.as_deref(), m);
            }
        }
    };
    for line in text.lines() {
        let trimmed = line.trim();
        if in_comment {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if trimmed.starts_with("<!--") {
            in_comment = !trimmed.contains("-->");
            flush(&mut messages, &track, &mut current);
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('#') {
            flush(&mut messages, &track, &mut current);
            let level = 1 + rest.chars().take_while(|&c| c == '#').count();
            let title = rest.trim_start_matches('#');
            if level == 2 {
                track = Some(heading_track(title));
            }
            continue;
        }
        let bullet = ["- ", "* ", "+ "].iter().find_map(|b| trimmed.strip_prefix(b)).or_else(|| {
            let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
            (digits > 0).then(|| &trimmed[digits..]).and_then(|r| r.strip_prefix(". ").or_else(|| r.strip_prefix(") ")))
        });
        if let Some(item) = bullet.filter(|_| line.len() - line.trim_start().len() < 2) {
            flush(&mut messages, &track, &mut current);
            current = Some(item.to_string());
        } else if !trimmed.is_empty() && line.starts_with([' ', '\t']) && current.is_some() {
            if let Some(c) = current.as_mut() {
                c.push(' ');
                c.push_str(trimmed);
            }
        } else {
            flush(&mut messages, &track, &mut current);
        }
    }
    flush(&mut messages, &track, &mut current);
    (!messages.tracks.is_empty()).then_some(messages)
}

/// The messages of a file: a draft's JSON, Markdown messages, or plain text.
fn read_messages(path: &Path) -> anyhow::Result<Messages> {
    let text = fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    if text.trim_start().starts_with('{') {
        let draft: Draft = serde_json::from_str(&text).map_err(|e| {
            UsageError(format!(
                "{}:{}:{}: not a messages.json written by `rapporteur draft`: {e}",
                path.display(),
                e.line(),
                e.column()
            ))
        })?;
        let mut messages = Messages::default();
        for t in &draft.tracks {
            for m in t.groups.iter().flat_map(|g| &g.messages) {
                messages.push(Some(&t.track), m.text.clone());
            }
        }
        return Ok(messages);
    }
    let markdown = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    if markdown {
        if let Some(messages) = markdown_messages(&text) {
            return Ok(messages);
        }
    }
    let mut messages = Messages::default();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        messages.push(None, line.to_string());
    }
    Ok(messages)
}

fn mean(scores: &[Score]) -> Score {
    let n = scores.len().max(1) as f64;
    Score {
        precision: scores.iter().map(|s| s.precision).sum::<f64>() / n,
        recall: scores.iter().map(|s| s.recall).sum::<f64>() / n,
        f1: scores.iter().map(|s| s.f1).sum::<f64>() / n,
    }
}

fn macro_average(rows: &[(String, Rouge)]) -> Rouge {
    let pick = |f: fn(&Rouge) -> Score| mean(&rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>());
    Rouge {
        rouge1: pick(|r| r.rouge1),
        rouge2: pick(|r| r.rouge2),
        rouge_l: pick(|r| r.rouge_l),
        rouge_lsum: pick(|r| r.rouge_lsum),
    }
}

fn print_table(label: &str, scores: &Rouge) {
    println!("{label}");
    println!("  {:<10} {:>9} {:>9} {:>9}", "metric", "precision", "recall", "f1");
    for (name, s) in [
        ("rouge1", scores.rouge1),
        ("rouge2", scores.rouge2),
        ("rougeL", scores.rouge_l),
        ("rougeLsum", scores.rouge_lsum),
    ] {
        println!("  {name:<10} {:>9.4} {:>9.4} {:>9.4}", s.precision, s.recall, s.f1);
    }
}

/// Runs the subcommand.
pub fn run(args: RougeArgs) -> anyhow::Result<Outcome> {
    let candidate = read_messages(&args.candidate)?;
    let reference = read_messages(&args.reference)?;
    // Track by track when both sides have tracks and none was chosen.
    let shared: Vec<String> = if args.track.is_none() && candidate.named() && reference.named() {
        reference
            .tracks
            .iter()
            .filter_map(|(t, _)| t.clone())
            .filter(|t| candidate.tracks.iter().any(|(c, _)| c.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(t))))
            .collect()
    } else {
        Vec::new()
    };
    if let Some(track) = &args.track {
        for (side, m) in [(&args.candidate, &candidate), (&args.reference, &reference)] {
            if m.text(Some(track)).is_empty() {
                return Err(UsageError(format!("{}: no messages under a track named `{track}`", side.display())).into());
            }
        }
    }
    let rows: Vec<(String, Rouge)> = if shared.is_empty() {
        let track = args.track.as_deref();
        vec![(track.unwrap_or("all").to_string(), rouge::score(&candidate.text(track), &reference.text(track)))]
    } else {
        shared.iter().map(|t| (t.clone(), rouge::score(&candidate.text(Some(t)), &reference.text(Some(t))))).collect()
    };
    let average = (rows.len() > 1).then(|| macro_average(&rows));
    if args.json {
        let mut value = serde_json::Map::new();
        match &average {
            Some(avg) => {
                let tracks: serde_json::Map<String, serde_json::Value> = rows
                    .iter()
                    .map(|(t, r)| Ok((t.clone(), serde_json::to_value(r)?)))
                    .collect::<serde_json::Result<_>>()?;
                value.insert("tracks".into(), tracks.into());
                value.insert("macro_average".into(), serde_json::to_value(avg)?);
            }
            None => {
                if let Some((_, r)) = rows.first() {
                    value = serde_json::to_value(r)?.as_object().cloned().unwrap_or_default();
                }
            }
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        for (track, r) in &rows {
            print_table(track, r);
        }
        if let Some(avg) = &average {
            print_table(&format!("macro average over {} tracks", rows.len()), avg);
        }
    }
    Ok(Outcome { total: 1, failed: 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_messages_by_track() {
        let text = "# Draft IGF Messages\n\n_lead_\n\n## Data\n\n<!-- 1: ws-1,\n ws-2 -->\n\n- First message\n  continues here.[^1]\n- Second \\*message\\*.\n\n## Track: Trust\n\n1. Third.\n\n---\n\n[^1]: ws-1, A, 00:01:00: \u{201c}quote\u{201d}\n";
        let m = markdown_messages(text).unwrap();
        assert_eq!(m.tracks.len(), 2);
        // Escapes are undone (`\*` is a literal star; ROUGE's tokenizer drops it anyway).
        assert_eq!(m.text(Some("data")), "First message continues here.\nSecond *message*.");
        assert_eq!(m.text(Some("Trust")), "Third.");
        assert!(markdown_messages("no bullets here\njust lines").is_none());
    }
}
