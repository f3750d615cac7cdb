//! Thematic tracks: a TOML file per meeting (label, description, weighted
//! keywords and phrases, optional policy questions) and lexicon scoring.
//!
//! A session's declared track wins. Otherwise each session, and each finding,
//! gets the track whose keywords weigh most in its text, with a confidence,
//! or none when the evidence is thin. Keywords match by English stem, so
//! `"data flow"` also counts "data flows".

use std::collections::HashMap;

use rapporteur_core::Diagnostic;
use rust_stemmers::{Algorithm, Stemmer};
use serde::Deserialize;
use toml::Spanned;

use crate::finding::SessionFindings;
use crate::rules::span::Located;

/// A tracks file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTracksFile {
    /// The meeting these tracks belong to (`IGF 2020`).
    #[serde(default)]
    pub meeting: Option<String>,
    /// Least keyword weight for a track to be assigned (default 2).
    #[serde(default)]
    pub min_score: Option<f64>,
    /// Least confidence for a track to be assigned (default 0.25).
    #[serde(default)]
    pub min_confidence: Option<f64>,
    /// The tracks.
    pub track: Vec<RawTrack>,
}

/// One `[[track]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrack {
    /// Label as published (`Data`, `Digital Inclusion`).
    pub label: Spanned<String>,
    /// The track's narrative, for people.
    #[serde(default)]
    pub description: Option<String>,
    /// Keyword or phrase → weight.
    pub keywords: Spanned<HashMap<String, f64>>,
    /// The policy questions that guide the track.
    #[serde(default)]
    pub policy_questions: Vec<String>,
}

/// A compiled track.
#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    /// Label.
    pub label: String,
    /// Description.
    pub description: String,
    /// Policy questions.
    pub policy_questions: Vec<String>,
}

/// Why a tracks file could not be used.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct TracksError {
    /// What is wrong, with file:line:column.
    pub diagnostics: Vec<Diagnostic>,
}

/// One keyword, stemmed.
#[derive(Debug, Clone)]
struct Keyword {
    id: usize,
    track: usize,
    stems: Vec<String>,
    weight: f64,
}

/// Compiled tracks, ready to score text.
#[derive(Debug, Clone)]
pub struct Tracks {
    /// The meeting.
    pub meeting: Option<String>,
    /// The tracks, in file order.
    pub tracks: Vec<Track>,
    by_first_stem: HashMap<String, Vec<Keyword>>,
    min_score: f64,
    min_confidence: f64,
}

/// A track chosen for some text.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackScore {
    /// The track's label.
    pub label: String,
    /// 0 to 1.
    pub confidence: f64,
}

fn stem_words(stemmer: &Stemmer, text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| stemmer.stem(&w.to_lowercase()).into_owned())
        .collect()
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl Tracks {
    /// Reads a tracks file (`name` is used in messages).
    pub fn from_toml(text: &str, name: &str) -> Result<Tracks, TracksError> {
        let error = |offset: usize, message: String| Located::new(text, offset).error(name, message);
        let raw: RawTracksFile = toml::from_str(text).map_err(|e| TracksError {
            diagnostics: vec![error(e.span().map_or(0, |s| s.start), e.message().trim().to_string())],
        })?;
        let stemmer = Stemmer::create(Algorithm::English);
        let mut diagnostics = Vec::new();
        let mut tracks = Vec::new();
        let mut by_first_stem: HashMap<String, Vec<Keyword>> = HashMap::new();
        for (i, t) in raw.track.iter().enumerate() {
            let label = t.label.get_ref().trim().to_string();
            if label.is_empty() {
                diagnostics.push(error(t.label.span().start, "empty track label".into()));
            }
            if tracks.iter().any(|x: &Track| x.label.eq_ignore_ascii_case(&label)) {
                diagnostics.push(error(t.label.span().start, format!("duplicate track label `{label}`")));
            }
            if t.keywords.get_ref().is_empty() {
                diagnostics.push(error(
                    t.keywords.span().start,
                    format!("track `{label}` has no keywords: it could never be assigned"),
                ));
            }
            let mut keywords: Vec<(&String, &f64)> = t.keywords.get_ref().iter().collect();
            keywords.sort_by(|a, b| a.0.cmp(b.0));
            for (phrase, weight) in keywords {
                let stems = stem_words(&stemmer, phrase);
                if stems.is_empty() || !weight.is_finite() || *weight <= 0.0 {
                    diagnostics.push(error(
                        t.keywords.span().start,
                        format!("keyword `{phrase}` of track `{label}` needs words and a positive weight"),
                    ));
                    continue;
                }
                let first = stems.first().cloned().unwrap_or_default();
                let id = by_first_stem.values().map(Vec::len).sum();
                by_first_stem.entry(first).or_default().push(Keyword { id, track: i, stems, weight: *weight });
            }
            tracks.push(Track {
                label,
                description: t.description.clone().unwrap_or_default(),
                policy_questions: t.policy_questions.clone(),
            });
        }
        if !diagnostics.is_empty() {
            return Err(TracksError { diagnostics });
        }
        Ok(Tracks {
            meeting: raw.meeting,
            tracks,
            by_first_stem,
            min_score: raw.min_score.unwrap_or(2.0),
            min_confidence: raw.min_confidence.unwrap_or(0.25),
        })
    }

    /// Keyword weight of each track in `text` (each keyword counts
    /// sublinearly: weight × (1 + ln count), so one repeated word cannot carry a track).
    pub fn scores(&self, text: &str) -> Vec<f64> {
        let stemmer = Stemmer::create(Algorithm::English);
        let words = stem_words(&stemmer, text);
        let mut counts: HashMap<(usize, usize), (f64, u32)> = HashMap::new();
        for (i, w) in words.iter().enumerate() {
            let Some(candidates) = self.by_first_stem.get(w) else { continue };
            for kw in candidates {
                let matches = words.get(i..i + kw.stems.len()).is_some_and(|ws| ws.iter().eq(kw.stems.iter()));
                if matches {
                    let e = counts.entry((kw.track, kw.id)).or_insert((kw.weight, 0));
                    e.1 += 1;
                }
            }
        }
        let mut scores = vec![0.0; self.tracks.len()];
        for ((track, _), (weight, count)) in counts {
            if let Some(s) = scores.get_mut(track) {
                *s += weight * (1.0 + f64::from(count).ln());
            }
        }
        scores
    }

    /// The best track for `text`, if the evidence reaches `min_score` and the
    /// confidence `min_confidence`. Confidence = the best track's share of
    /// all track weight × how far its weight is past the threshold.
    pub fn classify(&self, text: &str, min_score: f64) -> Option<TrackScore> {
        let scores = self.scores(text);
        let total: f64 = scores.iter().sum();
        let (best, score) = scores.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))?;
        if *score < min_score || total <= 0.0 {
            return None;
        }
        let share = score / total;
        let strength = 1.0 - (-score / (2.0 * min_score.max(0.5))).exp();
        let confidence = round3((share * strength).clamp(0.0, 1.0));
        (confidence >= self.min_confidence).then(|| TrackScore {
            label: self.tracks.get(best).map(|t| t.label.clone()).unwrap_or_default(),
            confidence,
        })
    }

    /// The track a session declared (matching a label, case-insensitively),
    /// or its own declared label when the tracks file does not list it.
    fn declared(&self, declared: &[String]) -> Vec<String> {
        declared
            .iter()
            .map(|d| {
                self.tracks
                    .iter()
                    .find(|t| t.label.eq_ignore_ascii_case(d.trim()))
                    .map_or_else(|| d.trim().to_string(), |t| t.label.clone())
            })
            .collect()
    }

    /// Assigns the session's track and every finding's track. `session_text`
    /// is the whole session's text.
    pub fn assign(&self, out: &mut SessionFindings, session_text: &str) {
        let declared = self.declared(&out.session.tracks);
        let session_track = match declared.first() {
            Some(label) => Some(TrackScore { label: label.clone(), confidence: 1.0 }),
            None => self.classify(session_text, self.min_score),
        };
        out.track = session_track.as_ref().map(|t| t.label.clone());
        out.track_confidence = session_track.as_ref().map(|t| t.confidence);
        for f in &mut out.findings {
            let own = self.classify(&f.text, self.min_score / 2.0);
            let chosen = if declared.len() > 1 {
                // Several declared tracks: the finding's own words choose among them.
                own.filter(|o| declared.contains(&o.label))
                    .map(|o| TrackScore { confidence: 1.0, ..o })
                    .or_else(|| session_track.clone())
            } else if !declared.is_empty() {
                session_track.clone()
            } else {
                match (own, &session_track) {
                    (Some(o), _) => Some(o),
                    // The finding's words are too few: it inherits the
                    // session's track, with less confidence.
                    (None, Some(s)) => {
                        Some(TrackScore { label: s.label.clone(), confidence: round3(s.confidence * 0.8) })
                    }
                    (None, None) => None,
                }
            };
            f.track = chosen.as_ref().map(|t| t.label.clone());
            f.track_confidence = chosen.map(|t| t.confidence);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRACKS: &str = r#"
meeting = "test"
[[track]]
label = "Data"
keywords = { "data protection" = 3, privacy = 2, "data flow" = 2 }
[[track]]
label = "Inclusion"
keywords = { "digital divide" = 3, connectivity = 2, affordable = 1 }
"#;

    #[test]
    fn scores_by_stems_and_weights() {
        let t = Tracks::from_toml(TRACKS, "t.toml").unwrap();
        let s = t.scores("Cross-border data flows and privacy, privacy, privacy.");
        assert!(s[0] > 4.0 && s[1] == 0.0, "{s:?}");
        let c = t.classify("Closing the digital divide needs affordable connectivity.", 2.0).unwrap();
        assert_eq!(c.label, "Inclusion");
        assert!(c.confidence > 0.5 && c.confidence <= 1.0);
        assert_eq!(t.classify("Good morning everyone.", 2.0), None);
    }

    #[test]
    fn bad_files_name_the_position() {
        let err = Tracks::from_toml("[[track]]\nlabel = \"A\"\nkeyword = {}\n", "t.toml").unwrap_err();
        assert!(err.to_string().starts_with("t.toml:3:1: error: unknown field `keyword`"), "{err}");
        let err = Tracks::from_toml("[[track]]\nlabel = \"A\"\nkeywords = {}\n", "t.toml").unwrap_err();
        assert!(err.to_string().contains("t.toml:3:12: error: track `A` has no keywords"), "{err}");
    }
}

#[cfg(test)]
mod shipped {
    use super::*;

    #[test]
    fn shipped_examples_load_and_classify() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/tracks/");
        let y2019 = Tracks::from_toml(&std::fs::read_to_string(format!("{root}igf2019.toml")).unwrap(), "igf2019.toml")
            .unwrap();
        assert_eq!(y2019.tracks.len(), 3);
        let y2020 = Tracks::from_toml(&std::fs::read_to_string(format!("{root}igf2020.toml")).unwrap(), "igf2020.toml")
            .unwrap();
        let labels: Vec<&str> = y2020.tracks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["Data", "Environment", "Inclusion", "Trust"]);
        let cases = [
            ("Data centres must reach net zero emissions and e-waste must be recycled.", "Environment"),
            ("Community networks bring affordable connectivity to rural women.", "Inclusion"),
            ("Ransomware attacks on critical infrastructure undermine trust.", "Trust"),
            ("Cross-border data flows need strong data protection and privacy.", "Data"),
        ];
        for (text, want) in cases {
            assert_eq!(y2020.classify(text, 1.0).map(|t| t.label).as_deref(), Some(want), "{text}");
        }
    }
}
