//! From a chosen cluster to a message: pick the finding that says the point
//! best, word it, and add a second short finding when it completes the point.

use std::collections::HashSet;

use rapporteur_core::Source;
use rapporteur_extract::Finding;

use crate::rank::kind_relevance;
use crate::wording::{self, content_words, content_words_supported, word_count};

/// Most findings added to the first one of a message.
const MAX_EXTRA: usize = 2;

/// How messages are worded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ComposeOptions {
    /// Longest message, in words.
    pub max_words: usize,
    /// Keep the exact quotes instead of rewriting them.
    pub quotes_only: bool,
    /// Below this many words, a complementary finding may be appended.
    pub merge_below: usize,
    /// Similarity from which two findings restate the same thing in other
    /// words: such a finding is not appended (it would repeat the message,
    /// not complete it).
    pub restatement: f32,
}

impl Default for ComposeOptions {
    fn default() -> Self {
        ComposeOptions { max_words: 70, quotes_only: false, merge_below: 28, restatement: 0.7 }
    }
}

/// A worded message: its text and the findings (indices into the cluster's
/// member list) it was drawn from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    /// The statement.
    pub text: String,
    /// Members the text comes from, in order of use.
    pub used: Vec<usize>,
}

fn normalise_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Sentences of `texts` joined while they fit in `max_words`.
fn fit(sentences: &[String], max_words: usize) -> String {
    let mut out = String::new();
    for s in sentences {
        if word_count(&out) + word_count(s) > max_words {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(s);
    }
    out
}

/// The statement one finding gives, if any: rewritten sentences (or the
/// exact quote), within the length limit and without invented words.
pub fn word_finding(finding: &Finding, names: &[String], options: &ComposeOptions) -> Option<String> {
    if options.quotes_only {
        let quote = normalise_space(&finding.quote);
        return (word_count(&quote) <= options.max_words && !quote.is_empty()).then_some(quote);
    }
    let (kept, _) = wording::statements(&finding.text, names);
    let text = fit(&kept, options.max_words);
    if text.is_empty() || !content_words_supported(&text, &[&finding.text, &finding.quote]) {
        return None;
    }
    Some(text)
}

/// Words a message from `members` (finding indices) by the preference order:
/// reports first (written statements), then policy relevance, closeness to
/// the cluster's centre (`centre_sim`), and rule confidence.
pub fn compose(
    members: &[usize],
    findings: &[&Finding],
    centre_sim: &dyn Fn(usize) -> f32,
    pair_sim: &dyn Fn(usize, usize) -> f32,
    names: &[String],
    options: &ComposeOptions,
) -> Option<Composed> {
    let mut order: Vec<usize> = members.to_vec();
    order.sort_by(|&a, &b| {
        let key = |i: usize| {
            let f = findings[i];
            (f.source == Source::Report, kind_relevance(&f.kind), centre_sim(i), f.score)
        };
        let (ka, kb) = (key(a), key(b));
        kb.0.cmp(&ka.0)
            .then(kb.2.total_cmp(&ka.2))
            .then(kb.1.total_cmp(&ka.1))
            .then(kb.3.total_cmp(&ka.3))
            .then(a.cmp(&b))
    });
    let (primary, text) =
        order.iter().take(16).find_map(|&i| word_finding(findings[i], names, options).map(|t| (i, t)))?;
    let mut composed = Composed { text, used: vec![primary] };
    if options.quotes_only || word_count(&composed.text) >= options.merge_below {
        return Some(composed);
    }
    // Further findings that add to the point without repeating it, while
    // the message is short: at least half of each one's longer words are new.
    // Other sessions' findings first, so that the message gathers the point
    // from where it was made.
    let mut have: HashSet<String> = content_words(&composed.text).into_iter().collect();
    let mut candidates: Vec<usize> = order.iter().take(24).copied().filter(|&i| i != primary).collect();
    candidates.sort_by_key(|&i| findings[i].session == findings[primary].session);
    for i in candidates {
        if composed.used.len() > MAX_EXTRA || word_count(&composed.text) >= options.merge_below {
            break;
        }
        let s = composed.used.iter().map(|&u| pair_sim(u, i)).fold(f32::MIN, f32::max);
        // Related (0.3 or more) but not a restatement of a finding already used.
        if !(0.3..options.restatement).contains(&s) {
            continue;
        }
        let Some(extra) = word_finding(findings[i], names, options) else { continue };
        let words: HashSet<String> = content_words(&extra).into_iter().filter(|w| w.len() > 3).collect();
        let new_words = words.iter().filter(|w| !have.contains(*w)).count();
        if new_words < 3
            || new_words * 2 < words.len()
            || word_count(&composed.text) + word_count(&extra) > options.max_words
        {
            continue;
        }
        have.extend(content_words(&extra));
        composed.text = format!("{} {}", composed.text, extra);
        composed.used.push(i);
    }
    Some(composed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(session: &str, text: &str) -> Finding {
        Finding {
            kind: "recommendation".into(),
            text: text.into(),
            quote: text.into(),
            session: session.into(),
            speaker: None,
            start: None,
            end: None,
            rule: "report:call-to-action".into(),
            track: None,
            track_confidence: None,
            score: 0.8,
            source: Source::Report,
            explain: None,
        }
    }

    #[test]
    fn a_restatement_is_not_merged_but_a_complement_is() {
        let base = finding("s1", "Extended producer responsibility should apply in every country.");
        let other = finding("s2", "Producers should finance collection and repair in Africa and Latin America.");
        let findings = [&base, &other];
        // (similarity of the two findings, merged)
        for (similarity, merged) in [(0.5, true), (0.69, true), (0.7, false), (0.85, false), (0.2, false)] {
            let pair = |a: usize, b: usize| if a == b { 1.0 } else { similarity };
            let composed = compose(
                &[0, 1],
                &findings,
                &|i| if i == 0 { 1.0 } else { 0.5 },
                &pair,
                &[],
                &ComposeOptions::default(),
            )
            .unwrap();
            assert_eq!(composed.used.len() == 2, merged, "similarity {similarity}: {composed:?}");
            assert!(composed.text.starts_with("Extended producer responsibility"));
        }
    }
}
