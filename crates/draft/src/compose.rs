//! From a chosen cluster to a message: pick the finding that says the point
//! best, word it, and add a second short finding when it completes the point.

use std::collections::HashSet;

use rapporteur_core::Source;
use rapporteur_extract::Finding;

use crate::rank::kind_relevance;
use crate::wording::{self, content_words, content_words_supported, word_count};

/// How messages are worded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ComposeOptions {
    /// Longest message, in words.
    pub max_words: usize,
    /// Keep the exact quotes instead of rewriting them.
    pub quotes_only: bool,
    /// Below this many words, a complementary finding may be appended.
    pub merge_below: usize,
}

impl Default for ComposeOptions {
    fn default() -> Self {
        ComposeOptions { max_words: 70, quotes_only: false, merge_below: 28 }
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
            .then(kb.1.total_cmp(&ka.1))
            .then(kb.2.total_cmp(&ka.2))
            .then(kb.3.total_cmp(&ka.3))
            .then(a.cmp(&b))
    });
    let (primary, text) = order.iter().take(16).find_map(|&i| word_finding(findings[i], names, options).map(|t| (i, t)))?;
    let mut composed = Composed { text, used: vec![primary] };
    if options.quotes_only || word_count(&composed.text) >= options.merge_below {
        return Some(composed);
    }
    // A second short finding that adds to the point without repeating it.
    let have: HashSet<String> = content_words(&composed.text).into_iter().collect();
    for &i in order.iter().take(24) {
        if i == primary {
            continue;
        }
        let s = pair_sim(primary, i);
        if !(0.3..0.9).contains(&s) {
            continue;
        }
        let Some(extra) = word_finding(findings[i], names, options) else { continue };
        let new_words = content_words(&extra)
            .into_iter()
            .filter(|w| w.len() > 3 && !have.contains(w))
            .collect::<HashSet<_>>()
            .len();
        if new_words < 3 || word_count(&composed.text) + word_count(&extra) > options.max_words {
            continue;
        }
        composed.text = format!("{} {}", composed.text, extra);
        composed.used.push(i);
        break;
    }
    Some(composed)
}
