//! The rules file as written: raw serde options, every value with its span,
//! unknown keys refused. [`parse`] reports every problem it can find at once
//! (syntax errors, every unknown key, every wrongly typed value) with
//! file:line:column; [`super::compile`] then checks what the values mean.

use rapporteur_core::Diagnostic;
use serde::Deserialize;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use super::span::Located;

/// A rules file: rules, rules to disable, negation settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRulesFile {
    /// Ids of rules (from this or earlier layers) to switch off.
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    /// Negation settings; fields given here override earlier layers.
    #[serde(default)]
    pub negation: Option<RawNegation>,
    /// The rules, in order.
    #[serde(default)]
    pub rule: Vec<Spanned<RawRule>>,
}

/// Keys allowed at the top of a rules file.
pub const FILE_KEYS: &[&str] = &["disable", "negation", "rule"];

/// `[negation]`: what counts as a negation before a cue.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNegation {
    /// How many words before a cue are searched for a negation (default 5).
    pub window: Option<Spanned<i64>>,
    /// Negation words (`not`, `no`, `never`, ...); any word ending in `n't` counts too.
    pub cues: Option<Vec<Spanned<String>>>,
    /// Phrases that start with a negation word but do not negate: `not only`, `no doubt`.
    pub pseudo: Option<Vec<Spanned<String>>>,
    /// Verbs of saying: a negation within four words before one negates
    /// the whole clause after it (`not saying that ...`).
    pub reporting: Option<Vec<Spanned<String>>>,
}

/// Keys allowed in `[negation]`.
pub const NEGATION_KEYS: &[&str] = &["window", "cues", "pseudo", "reporting"];

/// One `[[rule]]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// Unique id, used by `disable` and by later layers to override the rule.
    pub id: Spanned<String>,
    /// What the rule finds: `recommendation`, `takeaway`, ... (open set).
    pub kind: Spanned<String>,
    /// What the rule is for, for people.
    #[serde(default)]
    pub description: Option<String>,
    /// `find` (default) or `suppress` (an exclusion: no finding in a matching sentence).
    #[serde(default)]
    pub effect: Option<Spanned<String>>,
    /// Regular expressions over the cleaned text (case-insensitive unless `case_sensitive`).
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
    /// Words or phrases matched as whole words.
    #[serde(default)]
    pub words: Vec<Spanned<String>>,
    /// Words matched by their English stem (`recommend` matches "recommended", "recommendation").
    #[serde(default)]
    pub stems: Vec<Spanned<String>>,
    /// Regular expressions of which at least one must match the scope for the rule to fire.
    #[serde(default)]
    pub requires: Vec<Spanned<String>>,
    /// Regular expressions none of which may match the scope.
    #[serde(default)]
    pub forbids: Vec<Spanned<String>>,
    /// Whether a negation shortly before the cue blocks it (default true for `find`).
    #[serde(default)]
    pub negation: Option<bool>,
    /// Words searched for a negation before the cue (default from `[negation]`).
    #[serde(default)]
    pub negation_window: Option<Spanned<i64>>,
    /// `sentence` (default) or `turn`: where context is checked and how far the finding reaches.
    #[serde(default)]
    pub scope: Option<Spanned<String>>,
    /// Only speakers whose label matches one of these regular expressions.
    #[serde(default)]
    pub only_speakers: Vec<Spanned<String>>,
    /// Not speakers whose label matches one of these regular expressions.
    #[serde(default)]
    pub skip_speakers: Vec<Spanned<String>>,
    /// Only speakers with one of these roles (`moderator`, `speaker`, ...).
    #[serde(default)]
    pub only_roles: Vec<Spanned<String>>,
    /// Not speakers with one of these roles.
    #[serde(default)]
    pub skip_roles: Vec<Spanned<String>>,
    /// Fewest words in the sentence.
    #[serde(default)]
    pub min_words: Option<Spanned<i64>>,
    /// Most words in the sentence (or, with `scope = "turn"`, in the finding).
    #[serde(default)]
    pub max_words: Option<Spanned<i64>>,
    /// Breaks ties between overlapping matches of equal length (higher wins).
    #[serde(default)]
    pub priority: Option<i64>,
    /// Confidence given to findings, 0 to 1.
    #[serde(default)]
    pub score: Option<Spanned<f64>>,
    /// Match patterns and words case-sensitively.
    #[serde(default)]
    pub case_sensitive: Option<bool>,
}

/// Keys allowed in a `[[rule]]`.
pub const RULE_KEYS: &[&str] = &[
    "id",
    "kind",
    "description",
    "effect",
    "patterns",
    "words",
    "stems",
    "requires",
    "forbids",
    "negation",
    "negation_window",
    "scope",
    "only_speakers",
    "skip_speakers",
    "only_roles",
    "skip_roles",
    "min_words",
    "max_words",
    "priority",
    "score",
    "case_sensitive",
];

/// A rules file's text and the name it is reported under.
#[derive(Debug, Clone)]
pub struct RuleSource {
    /// Path or name (`<built-in>`).
    pub name: String,
    /// The TOML text.
    pub text: String,
}

impl RuleSource {
    /// A source from a name and its text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        RuleSource { name: name.into(), text: text.into() }
    }

    /// A diagnostic at byte `offset` of this source.
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        Located::new(&self.text, offset).error(&self.name, message)
    }

    /// A warning at byte `offset` of this source.
    pub fn warning_at(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        Located::new(&self.text, offset).warning(&self.name, message)
    }
}

fn unknown_keys(
    source: &RuleSource,
    table: &DeTable<'_>,
    allowed: &[&str],
    context: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let mut clean = true;
    for key in table.keys() {
        if !allowed.contains(&key.get_ref().as_ref()) {
            clean = false;
            let suggestion =
                closest(key.get_ref(), allowed).map(|k| format!("did you mean `{k}`? ")).unwrap_or_default();
            out.push(source.error_at(
                key.span().start,
                format!(
                    "unknown key `{}` in {context}: {suggestion}allowed keys are {}",
                    key.get_ref(),
                    allowed.join(", ")
                ),
            ));
        }
    }
    clean
}

/// The allowed key nearest to a misspelt one (edit distance at most 2).
fn closest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed.iter().map(|a| (edit_distance(key, a), *a)).filter(|(d, _)| *d <= 2).min().map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn serde_error(source: &RuleSource, e: &toml::de::Error, fallback: usize, context: &str) -> Diagnostic {
    let offset = e.span().map_or(fallback, |s| s.start);
    source.error_at(offset, format!("{context}: {}", e.message().trim()))
}

/// Parses a rules file, reporting every problem it can find at once.
///
/// Returns the raw file (the parts that could be read: a rule with an
/// unknown key is kept without that key, so its other mistakes are found
/// too; a rule that cannot be read at all is left out) and the diagnostics
/// (errors, with file:line:column) in order of position. A file with TOML
/// syntax errors gives no raw file.
pub fn parse(source: &RuleSource) -> (Option<RawRulesFile>, Vec<Diagnostic>) {
    let (root, syntax) = DeTable::parse_recoverable(&source.text);
    let mut out: Vec<Diagnostic> = syntax
        .iter()
        .map(|e| source.error_at(e.span().map_or(0, |s| s.start), format!("TOML syntax: {}", e.message().trim())))
        .collect();
    if !out.is_empty() {
        return (None, out);
    }
    let root = root.into_inner();
    let mut file = RawRulesFile::default();
    unknown_keys(source, &root, FILE_KEYS, "the rules file", &mut out);
    for (key, value) in root {
        let span = value.span();
        match key.get_ref().as_ref() {
            "disable" => match Vec::<Spanned<String>>::deserialize(ValueDeserializer::from(value)) {
                Ok(v) => file.disable = v,
                Err(e) => out.push(serde_error(source, &e, span.start, "`disable` must be a list of rule ids")),
            },
            "negation" => {
                if let DeValue::Table(t) = value.get_ref() {
                    unknown_keys(source, t, NEGATION_KEYS, "[negation]", &mut out);
                }
                match RawNegation::deserialize(ValueDeserializer::from(value)) {
                    Ok(v) => file.negation = Some(v),
                    Err(e) => out.push(serde_error(source, &e, span.start, "[negation]")),
                }
            }
            "rule" => {
                let DeValue::Array(rules) = value.into_inner() else {
                    out.push(
                        source.error_at(
                            span.start,
                            "`rule` must be an array of tables: write each rule under `[[rule]]`",
                        ),
                    );
                    continue;
                };
                for rule in rules {
                    let rule_span = rule.span();
                    let DeValue::Table(table) = rule.get_ref() else {
                        out.push(
                            source.error_at(rule_span.start, "each rule must be a table: write it under `[[rule]]`"),
                        );
                        continue;
                    };
                    // Unknown keys are reported one by one, then left out so
                    // that the rest of the rule is still checked.
                    unknown_keys(source, table, RULE_KEYS, "a [[rule]]", &mut out);
                    let mut known = DeTable::new();
                    for (k, v) in table.iter().filter(|(k, _)| RULE_KEYS.contains(&k.get_ref().as_ref())) {
                        known.insert(k.clone(), v.clone());
                    }
                    let value = Spanned::new(rule_span.clone(), DeValue::Table(known));
                    match Spanned::<RawRule>::deserialize(ValueDeserializer::from(value)) {
                        Ok(r) => file.rule.push(r),
                        Err(e) => out.push(serde_error(source, &e, rule_span.start, "in this [[rule]]")),
                    }
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(|d| (d.line, d.column));
    (Some(file), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_key_parses() {
        let text = r#"
[[rule]]
id = "a"
kind = "recommendation"
description = "d"
effect = "find"
patterns = ["x"]
words = ["y"]
stems = ["z"]
requires = ["r"]
forbids = ["f"]
negation = true
negation_window = 3
scope = "sentence"
only_speakers = ["A"]
skip_speakers = ["B"]
only_roles = ["speaker"]
skip_roles = ["moderator"]
min_words = 1
max_words = 9
priority = 2
score = 0.5
case_sensitive = false
"#;
        let (file, diags) = parse(&RuleSource::new("t.toml", text));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(file.map(|f| f.rule.len()), Some(1));
    }

    #[test]
    fn every_unknown_key_is_reported() {
        let text =
            "[[rule]]\nid = \"a\"\nkind = \"x\"\npattern = [\"x\"]\nwordz = []\n[[rule]]\nid = 3\nkind = \"y\"\n";
        let (file, diags) = parse(&RuleSource::new("t.toml", text));
        assert_eq!(file.map(|f| f.rule.len()), Some(1));
        let lines: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(lines.len(), 3, "{lines:#?}");
        assert!(
            lines[0].starts_with("t.toml:4:1: error: unknown key `pattern` in a [[rule]]: did you mean `patterns`?")
        );
        assert!(lines[1].starts_with("t.toml:5:1: error: unknown key `wordz`"));
        assert!(lines[2].starts_with("t.toml:7:6: error: in this [[rule]]: invalid type"), "{}", lines[2]);
    }
}
