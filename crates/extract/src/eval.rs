//! Precision, recall and F1 per kind against a labelled set.
//!
//! The gold file is JSON Lines, one sentence (or short utterance) a line:
//! `{"id": "dev-001", "speaker": "MS. DIALLO", "text": "...", "label": "recommendation"}`
//! with `label` null (or absent) when nothing should be found. Each line is
//! run through the whole pipeline (clean-up, segmentation, rules) as a
//! one-segment transcript; its prediction is the kind of its best finding
//! (highest score, then earliest), or none.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript};
use serde::{Deserialize, Serialize};

use crate::Extractor;

/// One labelled line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldItem {
    /// Identifier, for error listings.
    #[serde(default)]
    pub id: Option<String>,
    /// Who said it (speaker filters use it).
    #[serde(default)]
    pub speaker: Option<String>,
    /// What was said, as a transcript would have it.
    pub text: String,
    /// The kind a rapporteur would file it under, or none.
    #[serde(default)]
    pub label: Option<String>,
}

/// A gold file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct GoldError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Reads a JSON Lines gold file (blank lines and lines starting with `#` are skipped).
pub fn read_gold(text: &str) -> Result<Vec<GoldItem>, GoldError> {
    let mut items = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let item: GoldItem = serde_json::from_str(trimmed).map_err(|e| GoldError {
            line: line_no,
            message: format!("{e} (expected {{\"text\": ..., \"label\": kind or null, \"speaker\": ...}})"),
        })?;
        if item.text.trim().is_empty() {
            return Err(GoldError { line: line_no, message: "empty `text`".into() });
        }
        items.push(item);
    }
    Ok(items)
}

/// Counts and scores for one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindScore {
    /// The kind (`all` for the micro-average over kinds).
    pub kind: String,
    /// Lines labelled with the kind.
    pub gold: usize,
    /// Lines predicted as the kind.
    pub predicted: usize,
    /// Lines both labelled and predicted as the kind.
    pub correct: usize,
    /// correct / predicted (1 when nothing was predicted).
    pub precision: f64,
    /// correct / gold (1 when nothing was labelled).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl KindScore {
    fn new(kind: &str, gold: usize, predicted: usize, correct: usize) -> Self {
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        let precision = ratio(correct, predicted);
        let recall = ratio(correct, gold);
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        KindScore { kind: kind.to_string(), gold, predicted, correct, precision, recall, f1 }
    }
}

/// A line whose prediction differs from its label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mismatch {
    /// The line's id, or its 1-based position.
    pub id: String,
    /// The text.
    pub text: String,
    /// The label.
    pub gold: Option<String>,
    /// The prediction.
    pub predicted: Option<String>,
    /// The rule that made the prediction.
    pub rule: Option<String>,
}

/// The result of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// Lines evaluated.
    pub lines: usize,
    /// One row per kind seen in labels or predictions, sorted by kind.
    pub kinds: Vec<KindScore>,
    /// Micro-average over all kinds (lines labelled none count only as false positives).
    pub all: KindScore,
    /// Lines predicted wrongly.
    pub mismatches: Vec<Mismatch>,
}

/// The best finding's kind and rule for one line.
pub fn predict(extractor: &Extractor, item: &GoldItem, index: usize) -> Option<(String, String)> {
    let id = item.id.clone().unwrap_or_else(|| format!("line-{}", index + 1));
    let mut transcript = Transcript::new(Session::new(Session::id_from(&id)));
    let millis = (item.text.split_whitespace().count() as u64) * 400;
    transcript.segments.push(Segment::new(
        Time::ZERO,
        Time::from_millis(millis.max(1000)),
        item.speaker.clone(),
        item.text.clone(),
        Source::Caption,
        Timing::Estimated,
    ));
    let found = extractor.extract(&transcript);
    found
        .findings
        .iter()
        .enumerate()
        .max_by(|(ia, a), (ib, b)| a.score.total_cmp(&b.score).then(ib.cmp(ia)))
        .map(|(_, f)| (f.kind.clone(), f.rule.clone()))
}

/// Evaluates `extractor` on labelled lines.
pub fn evaluate(extractor: &Extractor, items: &[GoldItem]) -> EvalReport {
    // kind → (gold, predicted, correct)
    let mut counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut mismatches = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let prediction = predict(extractor, item, i);
        let predicted = prediction.as_ref().map(|(k, _)| k.clone());
        if let Some(g) = &item.label {
            counts.entry(g.clone()).or_default().0 += 1;
        }
        if let Some(p) = &predicted {
            counts.entry(p.clone()).or_default().1 += 1;
        }
        if predicted == item.label {
            if let Some(g) = &item.label {
                counts.entry(g.clone()).or_default().2 += 1;
            }
        } else {
            mismatches.push(Mismatch {
                id: item.id.clone().unwrap_or_else(|| format!("line-{}", i + 1)),
                text: item.text.clone(),
                gold: item.label.clone(),
                predicted,
                rule: prediction.map(|(_, r)| r),
            });
        }
    }
    let kinds: Vec<KindScore> = counts.iter().map(|(k, &(g, p, c))| KindScore::new(k, g, p, c)).collect();
    let (g, p, c) = counts.values().fold((0, 0, 0), |acc, &(g, p, c)| (acc.0 + g, acc.1 + p, acc.2 + c));
    EvalReport { lines: items.len(), kinds, all: KindScore::new("all", g, p, c), mismatches }
}

impl EvalReport {
    /// A plain-text table: one row per kind, then the micro-average.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<16} {:>5} {:>5} {:>5} {:>9} {:>7} {:>6}",
            "kind", "gold", "pred", "right", "precision", "recall", "f1"
        );
        for k in self.kinds.iter().chain(std::iter::once(&self.all)) {
            let _ = writeln!(
                out,
                "{:<16} {:>5} {:>5} {:>5} {:>9.3} {:>7.3} {:>6.3}",
                k.kind, k.gold, k.predicted, k.correct, k.precision, k.recall, k.f1
            );
        }
        let _ = writeln!(out, "{} lines, {} wrong", self.lines, self.mismatches.len());
        out
    }

    /// The score of one kind.
    pub fn kind(&self, kind: &str) -> Option<&KindScore> {
        self.kinds.iter().find(|k| k.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;

    #[test]
    fn counts_and_scores() {
        let s = KindScore::new("x", 4, 5, 3);
        assert_eq!((s.precision, s.recall), (0.6, 0.75));
        assert!((s.f1 - 2.0 * 0.6 * 0.75 / 1.35).abs() < 1e-12);
        assert_eq!(KindScore::new("y", 0, 0, 0).f1, 1.0);
    }

    #[test]
    fn gold_errors_name_the_line() {
        let err = read_gold("{\"text\": \"a\", \"label\": null}\n\n{\"txt\": 1}\n").unwrap_err();
        assert_eq!(err.line, 3);
    }

    #[test]
    fn evaluates_a_small_set() {
        let gold = read_gold(concat!(
            "{\"text\": \"Governments should invest in community networks.\", \"label\": \"recommendation\"}\n",
            "{\"text\": \"Next slide, please.\", \"label\": null}\n",
            "{\"text\": \"Almost half of the world is offline.\", \"label\": \"concern\"}\n",
        ))
        .unwrap();
        let report = evaluate(&Extractor::new(RuleSet::builtin().unwrap()), &gold);
        let rec = report.kind("recommendation").unwrap();
        assert_eq!((rec.gold, rec.predicted, rec.correct), (1, 1, 1));
        let concern = report.kind("concern").unwrap();
        assert_eq!((concern.gold, concern.correct, concern.recall), (1, 0, 0.0));
        assert_eq!(report.mismatches.len(), 1);
        assert!(report.to_table().contains("recommendation       1     1     1"));
    }
}
