//! The whole drafting run: findings → vectors → clusters per track → ranked
//! points → worded messages grouped by policy question, with metrics.

use std::collections::{BTreeSet, HashMap};

use rapporteur_extract::{Finding, Tracks};

use crate::cluster;
use crate::compose::{compose, ComposeOptions};
use crate::embed::{Embedder, Vectors};
use crate::error::{DraftError, Result};
use crate::input::Meeting;
use crate::messages::{Draft, Message, MessageGroup, Metrics, SourceRef, TrackMessages};
use crate::rank::{self, kind_relevance, Evidence, RankWeights};
use crate::wording::{speaker_names, word_count};

/// Words from which a message counts as fully substantive when choosing
/// messages (shorter ones are discounted by the square of the ratio: a
/// 7-word "There is a need for agreed methods." says little).
const SUBSTANTIVE_WORDS: f64 = 20.0;
/// Clusters worded and considered per message wanted.
const CANDIDATES_PER_MESSAGE: usize = 8;

/// Changes when the same findings and options would be drafted into other
/// messages, so that drafts cached by the pipeline are redone by a new build.
/// 2: calls to action in the imperative are worded "Stakeholders should ...",
/// "It was to ..." is dangling, and eight candidate points per message.
/// 3: "we have a/the ..." is the speaker's own situation unless what follows
/// is a shared duty ("a responsibility", "a role"), and "tell us", "give us"
/// without a normative "we" is the speaker's own group; policy relevance
/// weighs 0.25 in the ranking (was 0.15).
pub const DRAFTING_REVISION: u32 = 3;

/// The label of findings without a track.
pub const UNASSIGNED: &str = "Unassigned";

/// Settings of a drafting run.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftOptions {
    /// Fewest messages per track (when there are enough points).
    pub min_messages: usize,
    /// Most messages per track.
    pub max_messages: usize,
    /// Wording.
    pub compose: ComposeOptions,
    /// Clustering threshold (average similarity); `None`: 0.55 for the model, 0.25 for TF-IDF.
    pub threshold: Option<f32>,
    /// Ranking weights.
    pub weights: RankWeights,
    /// Kinds never turned into messages.
    pub skip_kinds: Vec<String>,
}

impl Default for DraftOptions {
    fn default() -> Self {
        DraftOptions {
            min_messages: 5,
            max_messages: 8,
            compose: ComposeOptions::default(),
            threshold: None,
            weights: RankWeights::default(),
            skip_kinds: vec!["question".to_string()],
        }
    }
}

impl DraftOptions {
    /// Checks the ranges, naming the option at fault.
    pub fn validate(&self) -> Result<()> {
        if self.max_messages == 0 || self.min_messages > self.max_messages {
            return Err(DraftError::Option(format!(
                "messages per track: need 1 <= max and min <= max, got min {} max {}",
                self.min_messages, self.max_messages
            )));
        }
        if self.compose.max_words < 10 {
            return Err(DraftError::Option(format!(
                "--max-words {} is too short for a statement (10 or more)",
                self.compose.max_words
            )));
        }
        if let Some(t) = self.threshold {
            if !(-1.0..=1.0).contains(&t) {
                return Err(DraftError::Option(format!("--threshold {t} is not a cosine similarity (-1 to 1)")));
            }
        }
        Ok(())
    }
}

struct Item<'a> {
    finding: &'a Finding,
    title: Option<&'a str>,
    vector: usize,
}

fn slug(label: &str) -> String {
    rapporteur_core::Session::id_from(label)
}

/// Drafts the messages of `meeting`, track by track.
pub fn draft(
    meeting: &Meeting,
    tracks: Option<&Tracks>,
    embedder: &mut Embedder,
    options: &DraftOptions,
) -> Result<Draft> {
    options.validate()?;
    let mut notes = Vec::new();
    if embedder.is_tfidf() {
        notes.push(format!(
            "Grouped with TF-IDF vectors, not sentence embeddings: {}. Run scripts/install-embeddings.sh for better grouping.",
            embedder.info().detail
        ));
    }
    // Every usable finding, with its track.
    let mut texts: Vec<&str> = Vec::new();
    let mut text_slot: HashMap<&str, usize> = HashMap::new();
    let mut by_track: Vec<(String, Vec<Item<'_>>)> = Vec::new();
    let canonical = |label: &str| -> String {
        tracks
            .and_then(|t| t.tracks.iter().find(|tr| tr.label.eq_ignore_ascii_case(label)).map(|tr| tr.label.clone()))
            .unwrap_or_else(|| label.to_string())
    };
    let mut skipped = 0usize;
    for session in &meeting.sessions {
        for f in &session.findings {
            if options.skip_kinds.iter().any(|k| k == &f.kind) || f.text.trim().is_empty() {
                skipped += 1;
                continue;
            }
            let track = canonical(meeting.track_of(session, f).unwrap_or(UNASSIGNED));
            let vector = *text_slot.entry(f.text.as_str()).or_insert_with(|| {
                texts.push(f.text.as_str());
                texts.len() - 1
            });
            let item = Item { finding: f, title: session.session.title.as_deref(), vector };
            match by_track.iter_mut().find(|(t, _)| *t == track) {
                Some((_, items)) => items.push(item),
                None => by_track.push((track, vec![item])),
            }
        }
    }
    if skipped > 0 {
        let findings = if skipped == 1 { "finding" } else { "findings" };
        notes.push(format!("{skipped} {findings} left out (kinds {}, or empty).", options.skip_kinds.join(", ")));
    }
    // Tracks file order first, then the others by name, unassigned last.
    let position = |label: &str| -> (usize, usize, String) {
        match tracks.and_then(|t| t.tracks.iter().position(|tr| tr.label == label)) {
            Some(p) => (0, p, String::new()),
            None if label == UNASSIGNED => (2, 0, String::new()),
            None => (1, 0, label.to_string()),
        }
    };
    by_track.sort_by_key(|(label, _)| position(label));

    let vectors = embedder.embed(&texts)?;
    let threshold = options.threshold.unwrap_or(if embedder.is_tfidf() { 0.25 } else { 0.55 });
    let names: Vec<String> = {
        let mut set = BTreeSet::new();
        for f in meeting.findings() {
            if let Some(s) = &f.speaker {
                set.extend(speaker_names(s));
            }
        }
        for s in &meeting.sessions {
            for sp in &s.session.speakers {
                set.extend(speaker_names(&sp.name));
            }
        }
        set.into_iter().collect()
    };

    let mut out_tracks = Vec::new();
    for (label, items) in &by_track {
        let track_def = tracks.and_then(|t| t.tracks.iter().find(|tr| &tr.label == label));
        let messages = draft_track(label, items, &vectors, threshold, &names, options, embedder)?;
        let groups =
            group_by_question(messages, track_def.map(|t| t.policy_questions.as_slice()).unwrap_or(&[]), embedder)?;
        out_tracks.push(TrackMessages {
            track: label.clone(),
            description: track_def.map(|t| t.description.clone()).filter(|d| !d.is_empty()),
            findings: items.len(),
            sessions: items.iter().map(|i| i.finding.session.as_str()).collect::<BTreeSet<_>>().len(),
            groups,
        });
    }

    let mut draft = Draft {
        title: match tracks.and_then(|t| t.meeting.as_deref()) {
            Some(m) => format!("Draft IGF Messages: {m}"),
            None => "Draft IGF Messages".to_string(),
        },
        meeting: tracks.and_then(|t| t.meeting.clone()),
        embeddings: embedder.info(),
        notes,
        tracks: out_tracks,
        metrics: Metrics { sessions: 0, findings: 0, messages: 0, sessions_cited: 0, coverage: 0.0, redundancy: 0.0 },
    };
    draft.metrics = metrics(&draft, meeting, embedder)?;
    Ok(draft)
}

fn draft_track(
    label: &str,
    items: &[Item<'_>],
    vectors: &Vectors,
    threshold: f32,
    names: &[String],
    options: &DraftOptions,
    embedder: &mut Embedder,
) -> Result<Vec<Message>> {
    let n = items.len();
    let rows: Vec<usize> = items.iter().map(|i| i.vector).collect();
    let sim = vectors.select(&rows).similarity_matrix();
    let groups = cluster::clusters(&sim, n, threshold);
    let evidence: Vec<Evidence<'_>> = items
        .iter()
        .map(|i| Evidence {
            session: &i.finding.session,
            speaker: i.finding.speaker.as_deref(),
            kind: &i.finding.kind,
            source: i.finding.source,
            score: i.finding.score,
        })
        .collect();
    let mut profiles: Vec<_> = groups.iter().map(|g| rank::profile(g, &evidence, &sim, n, &options.weights)).collect();
    let findings: Vec<&Finding> = items.iter().map(|i| i.finding).collect();
    let s = |a: usize, b: usize| sim.get(a * n + b).copied().unwrap_or(0.0);
    // Word the strongest points first (a point whose findings cannot be
    // worded is left out), then choose among the worded ones: a message too
    // short to say much counts for less than a substantive one.
    rank::score(&mut profiles, &options.weights);
    let mut by_score: Vec<usize> = (0..profiles.len()).collect();
    by_score.sort_by(|&a, &b| profiles[b].score.total_cmp(&profiles[a].score).then(a.cmp(&b)));
    let mut candidates = Vec::new();
    let mut worded = Vec::new();
    // A wide pool: a point made in only one session ranks low on support but
    // may be the only one from that session, which the coverage bonus of the
    // selection then weighs; with four candidates per message a session with
    // few findings (a short workshop without a report) was never considered.
    for &c in by_score.iter().take((options.max_messages * CANDIDATES_PER_MESSAGE).max(16)) {
        let p = &profiles[c];
        let medoid = p.medoid;
        if let Some(composed) = compose(&p.members, &findings, &|i| s(medoid, i), &s, names, &options.compose) {
            candidates.push(c);
            worded.push(composed);
        }
    }
    let quality: Vec<f64> =
        worded.iter().map(|w| (word_count(&w.text) as f64 / SUBSTANTIVE_WORDS).min(1.0).powi(2)).collect();
    // Two candidates repeat each other when their messages, as worded, say
    // the same: the texts are compared, not the clusters' medoids, since a
    // message is drawn from (and may merge) other findings than the medoid.
    let texts: Vec<&str> = worded.iter().map(|w| w.text.as_str()).collect();
    let text_vectors = embedder.embed(&texts)?;
    let overlap = |k: usize, l: usize| text_vectors.cosine(k, l) as f64;
    let order = rank::select(
        &profiles,
        &candidates,
        &quality,
        &overlap,
        &options.weights,
        options.min_messages,
        options.max_messages,
    );
    let mut messages = Vec::new();
    for c in order {
        let Some(k) = candidates.iter().position(|&x| x == c) else { continue };
        let p = &profiles[c];
        let composed = worded[k].clone();
        let mut members = p.members.clone();
        // Used findings first, then by time within session order.
        members.sort_by_key(|m| (composed.used.iter().position(|u| u == m).unwrap_or(usize::MAX), *m));
        let sources = members
            .iter()
            .map(|&m| {
                let item = &items[m];
                let f = item.finding;
                SourceRef {
                    session: f.session.clone(),
                    session_title: item.title.map(str::to_string),
                    speaker: f.speaker.clone(),
                    start: f.start,
                    end: f.end,
                    quote: f.quote.clone(),
                    kind: f.kind.clone(),
                    source: f.source,
                    rule: f.rule.clone(),
                    used: composed.used.contains(&m),
                }
            })
            .collect();
        let kind = p
            .members
            .iter()
            .map(|&m| items[m].finding.kind.as_str())
            .max_by(|a, b| kind_relevance(a).total_cmp(&kind_relevance(b)).then(b.cmp(a)))
            .unwrap_or("takeaway")
            .to_string();
        messages.push(Message {
            id: format!("{}-{}", slug(label), messages.len() + 1),
            text: composed.text,
            kind,
            score: (p.score * 1000.0).round() / 1000.0,
            sessions: p.sessions,
            speakers: p.speakers,
            sources,
        });
    }
    Ok(messages)
}

/// Puts each message under the policy question it is closest to; messages
/// close to none go in a last group without a question.
fn group_by_question(
    messages: Vec<Message>,
    questions: &[String],
    embedder: &mut Embedder,
) -> Result<Vec<MessageGroup>> {
    if questions.is_empty() || messages.is_empty() {
        return Ok(vec![MessageGroup { policy_question: None, messages }]);
    }
    let q_texts: Vec<&str> = questions.iter().map(String::as_str).collect();
    let m_texts: Vec<&str> = messages.iter().map(|m| m.text.as_str()).collect();
    let qv = embedder.embed(&q_texts)?;
    let mv = embedder.embed(&m_texts)?;
    let floor = if embedder.is_tfidf() { 0.05 } else { 0.25 };
    let mut groups: Vec<MessageGroup> =
        questions.iter().map(|q| MessageGroup { policy_question: Some(q.clone()), messages: Vec::new() }).collect();
    let mut other = MessageGroup { policy_question: None, messages: Vec::new() };
    for (i, m) in messages.into_iter().enumerate() {
        let best = (0..questions.len())
            .map(|q| (q, mv.cosine_with(i, &qv, q)))
            .fold(None, |b: Option<(usize, f32)>, c| if b.is_none_or(|b| c.1 > b.1) { Some(c) } else { b });
        match best {
            Some((q, s)) if s >= floor => groups[q].messages.push(m),
            _ => other.messages.push(m),
        }
    }
    groups.retain(|g| !g.messages.is_empty());
    if !other.messages.is_empty() {
        groups.push(other);
    }
    Ok(groups)
}

fn metrics(draft: &Draft, meeting: &Meeting, embedder: &mut Embedder) -> Result<Metrics> {
    let cited: BTreeSet<&str> = draft.messages().flat_map(|m| m.sources.iter().map(|s| s.session.as_str())).collect();
    let texts: Vec<&str> = draft.messages().map(|m| m.text.as_str()).collect();
    let vectors = embedder.embed(&texts)?;
    let mut redundancy: f64 = 0.0;
    for i in 0..texts.len() {
        for j in i + 1..texts.len() {
            redundancy = redundancy.max(vectors.cosine(i, j) as f64);
        }
    }
    let sessions = meeting.sessions.len();
    Ok(Metrics {
        sessions,
        findings: meeting.findings().count(),
        messages: texts.len(),
        sessions_cited: cited.len(),
        coverage: if sessions == 0 { 0.0 } else { cited.len() as f64 / sessions as f64 },
        redundancy: (redundancy * 1000.0).round() / 1000.0,
    })
}
