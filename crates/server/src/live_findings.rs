//! Findings on the live page as captions arrive: extraction runs on the few
//! sentences each chunk finishes (and on pending text that already ends a
//! sentence), and what is new joins the session's list at once, rather than
//! waiting for the next publication of the whole transcript.

use rapporteur_core::{Segment, Source, Time, Timing};

use crate::session::LiveFinding;

/// Pending caption text that ends a sentence, as a segment to look for
/// findings in before the next words or a pause close it. The turn marker
/// (`>> NAME:`) it may start with gives its speaker. `None` when the text
/// does not end a sentence yet.
pub fn provisional(lang: &str, speaker: Option<&str>, text: &str, at: Time) -> Option<Segment> {
    let _ = lang;
    let trimmed = text.trim_end_matches(['"', '\'', ')', '\u{201d}', '\u{2019}', ' ']);
    if !trimmed.ends_with(['.', '!', '?']) {
        return None;
    }
    let (speaker, body) = match text.strip_prefix(">>") {
        Some(rest) => match rest.split_once(':') {
            Some((name, body)) if name.chars().count() <= 60 && !name.trim().is_empty() => {
                (Some(name.trim().to_string()), body.trim())
            }
            _ => (None, rest.trim()),
        },
        None => (speaker.map(str::to_string), text.trim()),
    };
    if body.is_empty() {
        return None;
    }
    Some(Segment::new(at, at, speaker, body.to_string(), Source::Caption, Timing::Exact))
}

/// Adds the findings not yet in `list` (same kind and text); a finding first
/// seen in pending text takes the time of its finished segment when that
/// comes. Returns whether the list changed.
pub fn merge(list: &mut Vec<LiveFinding>, found: &[rapporteur_extract::Finding]) -> bool {
    let mut changed = false;
    for finding in found {
        let new = LiveFinding::from(finding);
        match list.iter_mut().find(|f| f.kind == new.kind && f.text == new.text) {
            Some(known) => {
                if new.start.is_some() && known.start != new.start && new.start < known.start {
                    known.start = new.start;
                    changed = true;
                }
            }
            None => {
                list.push(new);
                changed = true;
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_text_that_ends_a_sentence() {
        let at = Time::from_millis(5000);
        assert!(provisional("en", None, "Governments should invest", at).is_none());
        let s = provisional("en", Some("ANA"), "Governments should invest.", at).unwrap();
        assert_eq!((s.speaker.as_deref(), s.text.as_str()), (Some("ANA"), "Governments should invest."));
        let s = provisional("en", Some("ANA"), ">> JOHN OKAFOR: We call on regulators!", at).unwrap();
        assert_eq!((s.speaker.as_deref(), s.text.as_str()), (Some("JOHN OKAFOR"), "We call on regulators!"));
        assert!(provisional("en", None, ">> X: .", at).is_some());
        assert!(provisional("en", None, ">> X:", at).is_none());
    }
}
