//! Matching a [`RuleSet`] over a document's sentences.
//!
//! For each sentence the `RegexSet` prefilter names the few rules whose cues
//! could match; only those run their own patterns. Exclusions (`suppress`)
//! veto a sentence. The remaining candidates compete: longest cue match
//! first, then higher priority, then earlier rule; a candidate overlapping
//! one already kept (same sentence, or a turn-scope finding reaching over
//! it) is dropped.

use std::ops::Range;

use rapporteur_core::Session;
use rust_stemmers::{Algorithm, Stemmer};

use super::{CompiledRule, CueMatcher, Effect, RuleSet, Scope};
use crate::text::Document;

/// A rule that fired on a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the rule in [`RuleSet::rules`].
    pub rule: usize,
    /// Index of the cue in the rule.
    pub cue: usize,
    /// First sentence of the finding (the one with the cue).
    pub first: usize,
    /// Last sentence of the finding (the same for sentence scope).
    pub last: usize,
    /// Byte range of the cue match in the first sentence's cleaned text.
    pub span: Range<usize>,
}

/// Speakers' roles: from the session's speaker list, else guessed from the
/// label ("MODERATOR", "CHAIR").
#[derive(Debug, Clone, Default)]
pub struct SpeakerRoles {
    listed: Vec<(String, String, String)>,
}

const MODERATOR_WORDS: &[&str] = &[
    "moderator",
    "chair",
    "chairperson",
    "chairman",
    "chairwoman",
    "host",
    "facilitator",
    "mc",
    "moderadora",
    "moderador",
];

impl SpeakerRoles {
    /// Roles from a session's listed speakers.
    pub fn from_session(session: &Session) -> Self {
        let listed = session
            .speakers
            .iter()
            .filter_map(|s| {
                let role = s.role.as_ref()?.to_lowercase();
                let name = s.name.to_lowercase();
                let surname = name.split_whitespace().last().unwrap_or("").to_string();
                Some((name, surname, role))
            })
            .collect();
        SpeakerRoles { listed }
    }

    /// The role of the speaker labelled `label`.
    pub fn role(&self, label: &str) -> Option<String> {
        let lower = label.to_lowercase();
        let surname = lower.split_whitespace().last().unwrap_or("").trim_matches('.');
        for (name, listed_surname, role) in &self.listed {
            if *name == lower || (!surname.is_empty() && surname == listed_surname) {
                return Some(role.clone());
            }
        }
        let is_moderator = lower.split(|c: char| !c.is_alphanumeric()).any(|w| MODERATOR_WORDS.contains(&w));
        is_moderator.then(|| "moderator".to_string())
    }
}

/// Stemmed words of a cleaned sentence, with their byte ranges.
struct Stems(Vec<(Range<usize>, String)>);

impl Stems {
    fn of(stemmer: &Stemmer, text: &str) -> Stems {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            let word_char = c.is_alphanumeric() || (c == '\'' && start.is_some());
            match (word_char, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    let word = text.get(s..i).unwrap_or("").trim_end_matches('\'').to_lowercase();
                    out.push((s..i, stemmer.stem(&word).into_owned()));
                    start = None;
                }
                _ => {}
            }
        }
        Stems(out)
    }

    fn find_all<'a>(&'a self, stems: &'a [String]) -> impl Iterator<Item = Range<usize>> + 'a {
        let n = stems.len();
        (0..self.0.len().saturating_sub(n.saturating_sub(1))).filter_map(move |i| {
            let window = self.0.get(i..i + n)?;
            let same = window.iter().zip(stems).all(|((_, s), want)| s == want);
            let (first, last) = (window.first()?, window.last()?);
            same.then_some(first.0.start..last.0.end)
        })
    }
}

struct Candidate {
    hit: Hit,
    len: usize,
    priority: i64,
    order: usize,
}

impl RuleSet {
    /// The longest non-negated cue match of `rule` in `text`.
    fn best_match(
        &self,
        rule: &CompiledRule,
        text: &str,
        stems: &mut Option<Stems>,
        stemmer: &Stemmer,
    ) -> Option<(usize, Range<usize>)> {
        let window = rule.negation_window.unwrap_or(self.negation().window);
        let mut best: Option<(usize, Range<usize>)> = None;
        let mut consider = |cue: usize, m: Range<usize>| {
            if rule.negation && self.negation().is_negated(text, m.start, window) {
                return;
            }
            let better =
                best.as_ref().is_none_or(|(_, b)| m.len() > b.len() || (m.len() == b.len() && m.start < b.start));
            if better {
                best = Some((cue, m));
            }
        };
        for (i, cue) in rule.cues.iter().enumerate() {
            match &cue.matcher {
                CueMatcher::Regex(re) => {
                    for m in re.find_iter(text) {
                        consider(i, m.range());
                    }
                }
                CueMatcher::Stems(words) => {
                    let stems = stems.get_or_insert_with(|| Stems::of(stemmer, text));
                    for m in stems.find_all(words) {
                        consider(i, m);
                    }
                }
            }
        }
        best
    }

    /// Every rule hit in `doc`, overlaps resolved, in sentence order.
    pub fn match_document(&self, doc: &Document, roles: &SpeakerRoles) -> Vec<Hit> {
        let stemmer = Stemmer::create(Algorithm::English);
        let turn_roles: Vec<Option<String>> =
            doc.turns.iter().map(|t| t.speaker.as_deref().and_then(|s| roles.role(s))).collect();
        let mut turn_texts: Vec<Option<String>> = vec![None; doc.turns.len()];
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut suppressed = vec![false; doc.sentences.len()];
        let mut rule_ids: Vec<usize> = Vec::new();

        for (si, sentence) in doc.sentences.iter().enumerate() {
            let text = sentence.cleaned.text.as_str();
            rule_ids.clear();
            match &self.prefilter {
                Some(set) => rule_ids.extend(set.matches(text).iter().filter_map(|p| self.owner.get(p).copied())),
                None => rule_ids.extend(0..self.rules.len()),
            }
            if rule_ids.is_empty() {
                continue;
            }
            rule_ids.dedup();
            let speaker = doc.speaker(sentence);
            let role = turn_roles.get(sentence.turn).and_then(|r| r.as_deref());
            let mut stems: Option<Stems> = None;
            for &ri in &rule_ids {
                let Some(rule) = self.rules.get(ri) else { continue };
                if sentence.words < rule.min_words || !rule.speakers.allows(speaker, role) {
                    continue;
                }
                if rule.scope == Scope::Sentence && rule.max_words.is_some_and(|m| sentence.words > m) {
                    continue;
                }
                let Some((cue, span)) = self.best_match(rule, text, &mut stems, &stemmer) else { continue };
                let context = match rule.scope {
                    Scope::Sentence => text,
                    Scope::Turn => turn_text(doc, sentence.turn, &mut turn_texts),
                };
                if !rule.requires.is_empty() && !rule.requires.iter().any(|r| r.is_match(context)) {
                    continue;
                }
                if rule.forbids.iter().any(|r| r.is_match(context)) {
                    continue;
                }
                if rule.effect == Effect::Suppress {
                    if let Some(s) = suppressed.get_mut(si) {
                        *s = true;
                    }
                    continue;
                }
                let last = match rule.scope {
                    Scope::Sentence => si,
                    Scope::Turn => extend_in_turn(doc, si, rule.max_words.unwrap_or(80)),
                };
                candidates.push(Candidate {
                    len: span.len(),
                    hit: Hit { rule: ri, cue, first: si, last, span },
                    priority: rule.priority,
                    order: rule.order,
                });
            }
        }
        resolve(candidates, &suppressed)
    }
}

/// The cleaned text of a whole turn (built once per turn, when a turn-scope rule asks).
fn turn_text<'a>(doc: &Document, turn: usize, cache: &'a mut [Option<String>]) -> &'a str {
    let Some(slot) = cache.get_mut(turn) else { return "" };
    slot.get_or_insert_with(|| {
        let parts: Vec<&str> =
            doc.sentences.iter().filter(|s| s.turn == turn).map(|s| s.cleaned.text.as_str()).collect();
        parts.join(" ")
    })
}

/// The last sentence of a turn-scope finding starting at `first`: following
/// sentences of the same turn while the words stay within `max_words` (at
/// most three sentences in all).
fn extend_in_turn(doc: &Document, first: usize, max_words: usize) -> usize {
    let Some(start) = doc.sentences.get(first) else { return first };
    let mut words = start.words;
    let mut last = first;
    for (i, s) in doc.sentences.iter().enumerate().skip(first + 1).take(2) {
        if s.turn != start.turn || words + s.words > max_words {
            break;
        }
        words += s.words;
        last = i;
    }
    last
}

fn resolve(mut candidates: Vec<Candidate>, suppressed: &[bool]) -> Vec<Hit> {
    candidates.retain(|c| !suppressed.get(c.hit.first).copied().unwrap_or(false));
    candidates.sort_by(|a, b| {
        b.len
            .cmp(&a.len)
            .then(b.priority.cmp(&a.priority))
            .then(a.order.cmp(&b.order))
            .then(a.hit.first.cmp(&b.hit.first))
    });
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut hits = Vec::new();
    for c in candidates {
        let overlaps = taken.iter().any(|t| c.hit.first <= t.end && t.start <= c.hit.last);
        if !overlaps {
            taken.push(c.hit.first..c.hit.last);
            hits.push(c.hit);
        }
    }
    hits.sort_by_key(|h| (h.first, h.rule));
    hits
}
