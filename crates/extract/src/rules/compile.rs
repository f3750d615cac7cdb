//! Raw rules files, layered, → a validated [`RuleSet`]: regular expressions
//! compiled once, word lists turned into patterns, stems computed, the
//! prefilter built. Every problem in every layer is reported at once.

use std::collections::HashMap;

use rapporteur_core::{Diagnostic, Severity};
use regex::{Regex, RegexBuilder};
use rust_stemmers::{Algorithm, Stemmer};
use toml::Spanned;

use super::negation::Negation;
use super::schema::{parse, RawNegation, RawRule, RawRulesFile, RuleSource};
use super::{CompiledRule, Cue, CueMatcher, Effect, RuleSet, Scope, SpeakerFilter};

/// The built-in IGF rule set's text.
pub const BUILTIN_RULES: &str = include_str!("builtin.toml");
/// The name the built-in rules are reported under.
pub const BUILTIN_NAME: &str = "<built-in>";

const DEFAULT_WINDOW: usize = 5;
/// Regular expressions are refused past this compiled size: a pattern that
/// big is a mistake (a huge alternation, a runaway repetition), not a rule.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

fn default_negation_cues() -> Vec<String> {
    ["not", "no", "never", "nobody", "none", "nothing", "neither", "nor", "without", "cannot", "hardly"]
        .map(String::from)
        .to_vec()
}

fn default_pseudo() -> Vec<String> {
    ["not only", "not just", "not merely", "no doubt", "not least", "no question", "not to mention", "nothing but"]
        .map(String::from)
        .to_vec()
}

/// A rule after validation, before its position in the set is final.
struct Pending {
    rule: CompiledRule,
}

struct Layering {
    rules: Vec<Pending>,
    index: HashMap<String, usize>,
    disabled: Vec<(String, Option<Diagnostic>)>,
    window: usize,
    cues: Vec<String>,
    pseudo: Vec<String>,
    reporting: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

fn compile_regex(
    source: &RuleSource,
    pattern: &Spanned<String>,
    case_sensitive: bool,
    what: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Regex> {
    let text = pattern.get_ref();
    if text.trim().is_empty() {
        out.push(source.error_at(pattern.span().start, format!("empty {what}: remove it or write a pattern")));
        return None;
    }
    match RegexBuilder::new(&ascii_boundaries(text))
        .case_insensitive(!case_sensitive)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
    {
        Ok(r) => {
            if r.is_match("") {
                out.push(source.error_at(
                    pattern.span().start,
                    format!("{what} `{text}` matches the empty string, so it would match every sentence: make it require some text"),
                ));
                return None;
            }
            Some(r)
        }
        Err(e) => {
            let detail = e.to_string().lines().last().unwrap_or("").trim().to_string();
            out.push(
                source.error_at(pattern.span().start, format!("bad regular expression in {what} `{text}`: {detail}")),
            );
            None
        }
    }
}

/// `\b` and `\B` made ASCII-only (`(?-u:\b)`). Why: the regex crate's fast
/// lazy DFA gives up on Unicode word boundaries as soon as the text has a
/// non-ASCII character (a dash, an accented name), and the fallback engine
/// is two orders of magnitude slower on a set of a hundred patterns. The
/// cost: a boundary next to a non-ASCII letter is not seen as one.
pub(crate) fn ascii_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A whole-word pattern for a word or phrase (`call on` → `\bcall\s+on\b`).
pub(crate) fn word_pattern(word: &str) -> String {
    let parts: Vec<String> = word.split_whitespace().map(regex::escape).collect();
    format!(r"\b{}\b", parts.join(r"\s+"))
}

fn positive(source: &RuleSource, v: &Option<Spanned<i64>>, what: &str, out: &mut Vec<Diagnostic>) -> Option<usize> {
    let v = v.as_ref()?;
    match usize::try_from(*v.get_ref()) {
        Ok(n) => Some(n),
        Err(_) => {
            out.push(source.error_at(v.span().start, format!("`{what}` must be 0 or more, not {}", v.get_ref())));
            None
        }
    }
}

fn compile_rule(
    source: &RuleSource,
    raw: &Spanned<RawRule>,
    stemmer: &Stemmer,
    out: &mut Vec<Diagnostic>,
) -> Option<CompiledRule> {
    let r = raw.get_ref();
    let before = out.len();
    let id = r.id.get_ref().trim().to_string();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')) {
        out.push(source.error_at(
            r.id.span().start,
            format!("rule id `{id}` must be non-empty letters, digits, `-`, `_`, `.` or `:`"),
        ));
    }
    let kind = r.kind.get_ref().trim().to_string();
    if kind.is_empty() || !kind.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        out.push(source.error_at(
            r.kind.span().start,
            format!("kind `{kind}` must be lower-case letters and `_` (e.g. `recommendation`, `call_to_action`)"),
        ));
    }
    let effect = match r.effect.as_ref().map(|e| e.get_ref().as_str()) {
        None | Some("find") => Effect::Find,
        Some("suppress") => Effect::Suppress,
        Some(other) => {
            let at = r.effect.as_ref().map_or(0, |e| e.span().start);
            out.push(source.error_at(at, format!("effect `{other}` is not `find` or `suppress`")));
            Effect::Find
        }
    };
    let scope = match r.scope.as_ref().map(|e| e.get_ref().as_str()) {
        None | Some("sentence") => Scope::Sentence,
        Some("turn") => Scope::Turn,
        Some(other) => {
            let at = r.scope.as_ref().map_or(0, |e| e.span().start);
            out.push(source.error_at(at, format!("scope `{other}` is not `sentence` or `turn`")));
            Scope::Sentence
        }
    };
    let cs = r.case_sensitive.unwrap_or(false);
    let mut cues = Vec::new();
    for p in &r.patterns {
        if let Some(re) = compile_regex(source, p, cs, "pattern", out) {
            cues.push(Cue {
                source: p.get_ref().clone(),
                prefilter: p.get_ref().clone(),
                matcher: CueMatcher::Regex(re),
            });
        }
    }
    for w in &r.words {
        if w.get_ref().split_whitespace().next().is_none() {
            out.push(source.error_at(w.span().start, "empty word: remove it or write a word"));
            continue;
        }
        let pattern = word_pattern(w.get_ref());
        let spanned = Spanned::new(w.span(), pattern.clone());
        if let Some(re) = compile_regex(source, &spanned, cs, "word", out) {
            cues.push(Cue { source: w.get_ref().clone(), prefilter: pattern, matcher: CueMatcher::Regex(re) });
        }
    }
    for s in &r.stems {
        let words: Vec<String> =
            s.get_ref().split_whitespace().map(|w| stemmer.stem(&w.to_lowercase()).into_owned()).collect();
        if words.is_empty() || words.iter().any(|w| !w.chars().all(char::is_alphanumeric)) {
            out.push(source.error_at(s.span().start, "a stem must be one or more words of letters and digits"));
            continue;
        }
        // Prefilter: the stem's first letters start a word (the English
        // stemmer only changes endings).
        let first = words.first().map(String::as_str).unwrap_or("");
        let keep = first.chars().count().saturating_sub(1).clamp(1, 4);
        let prefix: String = first.chars().take(keep).collect();
        cues.push(Cue {
            source: s.get_ref().clone(),
            prefilter: format!(r"\b{}", regex::escape(&prefix)),
            matcher: CueMatcher::Stems(words),
        });
    }
    if r.patterns.is_empty() && r.words.is_empty() && r.stems.is_empty() {
        out.push(source.error_at(
            raw.span().start,
            format!("rule `{id}` has no `patterns`, `words` or `stems`: it could never match"),
        ));
    }
    let requires: Vec<Regex> =
        r.requires.iter().filter_map(|p| compile_regex(source, p, cs, "requires pattern", out)).collect();
    let forbids: Vec<Regex> =
        r.forbids.iter().filter_map(|p| compile_regex(source, p, cs, "forbids pattern", out)).collect();
    let only_speakers: Vec<Regex> =
        r.only_speakers.iter().filter_map(|p| compile_regex(source, p, false, "only_speakers pattern", out)).collect();
    let skip_speakers: Vec<Regex> =
        r.skip_speakers.iter().filter_map(|p| compile_regex(source, p, false, "skip_speakers pattern", out)).collect();
    let min_words = positive(source, &r.min_words, "min_words", out).unwrap_or(0);
    let max_words = positive(source, &r.max_words, "max_words", out);
    if let (Some(max), Some(span)) = (max_words, r.max_words.as_ref()) {
        if max < min_words {
            out.push(
                source.error_at(span.span().start, format!("max_words ({max}) is less than min_words ({min_words})")),
            );
        }
    }
    let negation_window = positive(source, &r.negation_window, "negation_window", out);
    let score = match &r.score {
        Some(s) if !(0.0..=1.0).contains(s.get_ref()) => {
            out.push(source.error_at(s.span().start, format!("score {} is outside 0 to 1", s.get_ref())));
            0.5
        }
        Some(s) => *s.get_ref(),
        None => 0.5,
    };
    if out.len() > before {
        return None;
    }
    Some(CompiledRule {
        id,
        kind,
        description: r.description.clone().unwrap_or_default(),
        effect,
        cues,
        requires,
        forbids,
        negation: r.negation.unwrap_or(effect == Effect::Find),
        negation_window,
        scope,
        speakers: SpeakerFilter {
            only: only_speakers,
            skip: skip_speakers,
            only_roles: r.only_roles.iter().map(|s| s.get_ref().to_lowercase()).collect(),
            skip_roles: r.skip_roles.iter().map(|s| s.get_ref().to_lowercase()).collect(),
        },
        min_words,
        max_words,
        priority: r.priority.unwrap_or(0),
        score,
        case_sensitive: cs,
        order: 0,
        origin: source.name.clone(),
    })
}

impl Layering {
    fn new() -> Self {
        Layering {
            rules: Vec::new(),
            index: HashMap::new(),
            disabled: Vec::new(),
            window: DEFAULT_WINDOW,
            cues: default_negation_cues(),
            pseudo: default_pseudo(),
            reporting: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    fn negation(&mut self, source: &RuleSource, n: &RawNegation) {
        if let Some(w) = positive(source, &n.window, "window", &mut self.diagnostics) {
            self.window = w;
        }
        if let Some(c) = &n.cues {
            self.cues = c.iter().map(|s| s.get_ref().clone()).collect();
        }
        if let Some(p) = &n.pseudo {
            self.pseudo = p.iter().map(|s| s.get_ref().clone()).collect();
        }
        if let Some(r) = &n.reporting {
            self.reporting = r.iter().map(|s| s.get_ref().clone()).collect();
        }
    }

    fn add(&mut self, source: &RuleSource, file: &RawRulesFile, stemmer: &Stemmer) {
        if let Some(n) = &file.negation {
            self.negation(source, n);
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        for raw in &file.rule {
            let id = raw.get_ref().id.get_ref().trim().to_string();
            let at = raw.get_ref().id.span().start;
            if let Some(first) = seen.get(&id) {
                let first = super::span::Located::new(&source.text, *first);
                self.diagnostics.push(source.error_at(
                    at,
                    format!("duplicate rule id `{id}` (first at line {}): ids must be unique within a file; later files override by id", first.line),
                ));
                // Still checked, so that its own mistakes are reported too.
                let _ = compile_rule(source, raw, stemmer, &mut self.diagnostics);
                continue;
            }
            seen.insert(id.clone(), at);
            let Some(rule) = compile_rule(source, raw, stemmer, &mut self.diagnostics) else { continue };
            match self.index.get(&id) {
                // A later layer replaces the rule where it stood.
                Some(&i) => {
                    if let Some(slot) = self.rules.get_mut(i) {
                        slot.rule = rule;
                    }
                }
                None => {
                    self.index.insert(id, self.rules.len());
                    self.rules.push(Pending { rule });
                }
            }
        }
        for d in &file.disable {
            let warning = source.warning_at(
                d.span().start,
                format!(
                    "`disable` names `{}`, which no rule so far has: check the id (`rapporteur rules list` shows them)",
                    d.get_ref()
                ),
            );
            self.disabled.push((d.get_ref().trim().to_string(), Some(warning)));
        }
    }

    fn finish(mut self) -> (RuleSet, Vec<Diagnostic>) {
        let mut disabled = vec![false; self.rules.len()];
        for (id, warning) in self.disabled {
            match self.index.get(&id) {
                Some(&i) => {
                    if let Some(d) = disabled.get_mut(i) {
                        *d = true;
                    }
                }
                None => self.diagnostics.push(warning.unwrap_or_else(|| {
                    Diagnostic::warning(None, format!("--disable names `{id}`, which no rule has: check the id"))
                })),
            }
        }
        let rules: Vec<CompiledRule> = self
            .rules
            .into_iter()
            .zip(disabled)
            .filter(|(_, off)| !off)
            .enumerate()
            .map(|(order, (p, _))| CompiledRule { order, ..p.rule })
            .collect();
        let negation = Negation::new(self.window, &self.cues, &self.pseudo, &self.reporting);
        (RuleSet::new(rules, negation), self.diagnostics)
    }
}

/// Every problem of a rule set, errors and warnings, in order.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct RulesError {
    /// What is wrong, with file:line:column.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads rule layers in order (the built-in set first when `builtin`), then
/// disables the ids in `disable`. Later layers override earlier ones by id.
///
/// Returns the rule set and its warnings, or every error (with the warnings).
pub fn load(
    layers: &[RuleSource],
    disable: &[String],
    builtin: bool,
) -> Result<(RuleSet, Vec<Diagnostic>), RulesError> {
    let stemmer = Stemmer::create(Algorithm::English);
    let mut layering = Layering::new();
    let builtin_source = RuleSource::new(BUILTIN_NAME, BUILTIN_RULES);
    let all = builtin.then_some(&builtin_source).into_iter().chain(layers);
    for source in all {
        let (file, diagnostics) = parse(source);
        layering.diagnostics.extend(diagnostics);
        if let Some(file) = file {
            layering.add(source, &file, &stemmer);
        }
    }
    for id in disable {
        layering.disabled.push((id.trim().to_string(), None));
    }
    let (set, diagnostics) = layering.finish();
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        Err(RulesError { diagnostics })
    } else {
        Ok((set, diagnostics))
    }
}

/// Checks one rules file as `rapporteur rules check` does: layered on the
/// built-in set (so that `disable` may name built-in rules), reporting every
/// error and warning of that file.
pub fn check(source: &RuleSource) -> Vec<Diagnostic> {
    let diagnostics = match load(std::slice::from_ref(source), &[], true) {
        Ok((_, d)) => d,
        Err(e) => e.diagnostics,
    };
    let mut own: Vec<Diagnostic> =
        diagnostics.into_iter().filter(|d| d.file.as_deref() == Some(source.name.as_str())).collect();
    own.sort_by_key(|d| (d.line, d.column));
    own
}

impl RuleSet {
    /// The built-in IGF rule set.
    pub fn builtin() -> Result<RuleSet, RulesError> {
        load(&[], &[], true).map(|(set, _)| set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_become_ascii() {
        assert_eq!(ascii_boundaries(r"\bshould\b \\b \B"), r"(?-u:\b)should(?-u:\b) \\b (?-u:\B)");
        let re = RegexBuilder::new(&ascii_boundaries(r"\bneed to\b")).case_insensitive(true).build().unwrap();
        assert!(re.is_match("We \u{2014} need to act"));
    }

    #[test]
    fn builtin_rules_compile_cleanly() {
        let (set, warnings) = load(&[], &[], true).unwrap_or_else(|e| panic!("{e}"));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(set.rules().len() >= 15, "{}", set.rules().len());
    }

    #[test]
    fn later_layers_override_by_id_and_disable() {
        let builtin = RuleSource::new("a.toml", "[[rule]]\nid = \"x\"\nkind = \"takeaway\"\nwords = [\"a\"]\n[[rule]]\nid = \"y\"\nkind = \"concern\"\nwords = [\"b\"]\n");
        let org = RuleSource::new(
            "b.toml",
            "disable = [\"y\"]\n[[rule]]\nid = \"x\"\nkind = \"question\"\nwords = [\"c\"]\n",
        );
        let (set, warnings) = load(&[builtin, org], &[], false).unwrap();
        assert!(warnings.is_empty());
        let rules: Vec<(&str, &str)> = set.rules().iter().map(|r| (r.id.as_str(), r.kind.as_str())).collect();
        assert_eq!(rules, vec![("x", "question")]);
    }
}
