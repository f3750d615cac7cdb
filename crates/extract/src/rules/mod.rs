//! The rules engine: rules as data (TOML, schema in `RULES.md`), validated
//! and compiled once, matched sentence by sentence behind a `RegexSet`
//! prefilter.
//!
//! * [`schema`]: the file as written (serde, unknown keys refused, spans kept).
//! * [`compile`]: layers (built-in → organisation → meeting) → a [`RuleSet`].
//! * [`engine`]: a [`RuleSet`] over a [`Document`](crate::text::Document) → [`Hit`]s.
//! * [`negation`]: negation and pseudo-negation before a cue.

pub mod compile;
pub mod engine;
pub mod negation;
pub mod schema;
pub mod span;

use regex::{Regex, RegexSet, RegexSetBuilder};

pub use compile::{check, load, RulesError, BUILTIN_NAME, BUILTIN_RULES};
pub use engine::{Hit, SpeakerRoles};
pub use negation::Negation;
pub use schema::RuleSource;

/// What a rule does when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Produce a finding.
    Find,
    /// Exclude the sentence: no rule finds anything in it (housekeeping).
    Suppress,
}

/// Where a rule's context is checked and how far its finding reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The sentence with the cue.
    Sentence,
    /// The speaker's whole turn for context; the finding runs from the cue's
    /// sentence on through the turn while within `max_words`.
    Turn,
}

/// How a cue matches.
#[derive(Debug, Clone)]
pub enum CueMatcher {
    /// A regular expression over the cleaned text (also used for `words`).
    Regex(Regex),
    /// Consecutive words with these English stems.
    Stems(Vec<String>),
}

/// One pattern, word or stem of a rule.
#[derive(Debug, Clone)]
pub struct Cue {
    /// As written in the rules file (shown by `--explain`).
    pub source: String,
    /// A regular expression that matches wherever the cue might (for the prefilter).
    pub prefilter: String,
    /// How it matches.
    pub matcher: CueMatcher,
}

/// Which speakers a rule applies to.
#[derive(Debug, Clone, Default)]
pub struct SpeakerFilter {
    /// Speaker labels allowed (none: all).
    pub only: Vec<Regex>,
    /// Speaker labels refused.
    pub skip: Vec<Regex>,
    /// Roles allowed (none: all), lower case.
    pub only_roles: Vec<String>,
    /// Roles refused, lower case.
    pub skip_roles: Vec<String>,
}

impl SpeakerFilter {
    /// Whether a speaker (label and role, when known) passes.
    pub fn allows(&self, label: Option<&str>, role: Option<&str>) -> bool {
        let label = label.unwrap_or("");
        if !self.only.is_empty() && !self.only.iter().any(|r| r.is_match(label)) {
            return false;
        }
        if self.skip.iter().any(|r| r.is_match(label)) {
            return false;
        }
        if !self.only_roles.is_empty() && !role.is_some_and(|role| self.only_roles.iter().any(|r| r == role)) {
            return false;
        }
        !role.is_some_and(|role| self.skip_roles.iter().any(|r| r == role))
    }
}

/// A validated rule, ready to match.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    /// Unique id.
    pub id: String,
    /// What it finds.
    pub kind: String,
    /// What it is for.
    pub description: String,
    /// Find or suppress.
    pub effect: Effect,
    /// Patterns, words and stems.
    pub cues: Vec<Cue>,
    /// At least one must match the scope (when any are given).
    pub requires: Vec<Regex>,
    /// None may match the scope.
    pub forbids: Vec<Regex>,
    /// Whether a negation before the cue blocks it.
    pub negation: bool,
    /// Negation window for this rule, when it differs from the set's.
    pub negation_window: Option<usize>,
    /// Sentence or turn.
    pub scope: Scope,
    /// Which speakers it applies to.
    pub speakers: SpeakerFilter,
    /// Fewest words.
    pub min_words: usize,
    /// Most words.
    pub max_words: Option<usize>,
    /// Tie-breaker between equally long matches.
    pub priority: i64,
    /// Confidence of its findings.
    pub score: f64,
    /// Whether patterns and words match case-sensitively.
    pub case_sensitive: bool,
    /// Position in the final set (the last tie-breaker).
    pub order: usize,
    /// The file it comes from.
    pub origin: String,
}

/// Compiled rules and their prefilter, ready to match many sessions (it is
/// `Sync`: share one across threads).
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<CompiledRule>,
    negation: Negation,
    /// One pattern per cue; a sentence only meets the rules whose cues it matches.
    prefilter: Option<RegexSet>,
    /// Prefilter pattern index → rule index.
    owner: Vec<usize>,
}

impl RuleSet {
    fn new(rules: Vec<CompiledRule>, negation: Negation) -> RuleSet {
        let mut patterns = Vec::new();
        let mut owner = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            for cue in &rule.cues {
                let pattern = compile::ascii_boundaries(&cue.prefilter);
                let wrapped = if matches!(cue.matcher, CueMatcher::Regex(_)) && rule.case_sensitive {
                    format!("(?-i:{pattern})")
                } else {
                    format!("(?:{pattern})")
                };
                patterns.push(wrapped);
                owner.push(i);
            }
        }
        // Should the set be too big to build, every rule is tried on every
        // sentence: slower, same results.
        let prefilter = RegexSetBuilder::new(&patterns)
            .case_insensitive(true)
            .size_limit(64 << 20)
            // A lazy DFA cache big enough for a hundred case-insensitive
            // patterns: with the default (2 MiB) it thrashes, gives up and
            // the set falls back to the PikeVM, 50 times slower.
            .dfa_size_limit(256 << 20)
            .build()
            .ok();
        RuleSet { rules, negation, prefilter, owner }
    }

    /// The rules, in matching order.
    pub fn rules(&self) -> &[CompiledRule] {
        &self.rules
    }

    /// The negation settings.
    pub fn negation(&self) -> &Negation {
        &self.negation
    }
}
