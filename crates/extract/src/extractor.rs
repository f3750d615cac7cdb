//! The whole stage: transcripts (and reports) in, findings with evidence out.

use rapporteur_core::{Session, Source, Transcript};
use rayon::prelude::*;

use crate::finding::{Explain, Finding, SessionFindings};
use crate::reports::Report;
use crate::rules::{Hit, RuleSet, SpeakerRoles};
use crate::text::Document;
use crate::tracks::Tracks;

/// What is known of one session: its metadata, its transcript, its reports.
#[derive(Debug, Clone, Default)]
pub struct SessionInput {
    /// The session (id, title, declared tracks, speakers with roles).
    pub session: Session,
    /// Its transcript, if one was given.
    pub transcript: Option<Transcript>,
    /// Its organisers' reports.
    pub reports: Vec<Report>,
}

/// Changes when the same rules and inputs would give other findings (new
/// cleaning, sentence splitting or report parsing), so that findings cached by
/// the pipeline are redone by a new build; the rules' text is keyed apart.
pub const EXTRACTION_REVISION: u32 = 1;

/// Runs a [`RuleSet`] (and optionally [`Tracks`]) over sessions.
///
/// It holds only compiled, immutable data: build it once and share it across
/// threads; [`Extractor::extract_all`] runs sessions in parallel with rayon.
#[derive(Debug, Clone)]
pub struct Extractor {
    rules: RuleSet,
    tracks: Option<Tracks>,
    explain: bool,
}

impl Extractor {
    /// An extractor with these rules, no tracks, no explanations.
    pub fn new(rules: RuleSet) -> Self {
        Extractor { rules, tracks: None, explain: false }
    }

    /// Assigns tracks from these track definitions.
    pub fn with_tracks(mut self, tracks: Tracks) -> Self {
        self.tracks = Some(tracks);
        self
    }

    /// Attaches the rule and the matched span to every finding.
    pub fn with_explain(mut self, explain: bool) -> Self {
        self.explain = explain;
        self
    }

    /// The rules in use.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The tracks in use.
    pub fn tracks(&self) -> Option<&Tracks> {
        self.tracks.as_ref()
    }

    /// Findings of one transcript, in time order, with tracks assigned.
    pub fn extract(&self, transcript: &Transcript) -> SessionFindings {
        self.extract_session(transcript.session.clone(), Some(transcript), &[])
    }

    /// Findings of one session from its transcript (if any) and its
    /// organisers' reports (report items after transcript findings), with
    /// tracks assigned over both.
    pub fn extract_session(
        &self,
        session: Session,
        transcript: Option<&Transcript>,
        reports: &[Report],
    ) -> SessionFindings {
        let mut findings = Vec::new();
        let mut text: Vec<String> = Vec::new();
        if let Some(transcript) = transcript {
            let doc = Document::from_transcript(transcript);
            let roles = SpeakerRoles::from_session(&session);
            let hits = self.rules.match_document(&doc, &roles);
            findings.extend(hits.iter().filter_map(|hit| self.finding(transcript, &session.id, &doc, hit)));
            if self.tracks.is_some() {
                text.extend(doc.sentences.iter().map(|s| s.cleaned.text.clone()));
            }
        }
        let mut diagnostics = Vec::new();
        for report in reports {
            findings.extend(report.findings(&session.id));
            text.extend(report.items.iter().map(|i| i.text.clone()));
            diagnostics.extend(report.diagnostics.iter().cloned());
        }
        let mut out = SessionFindings { session, track: None, track_confidence: None, findings, diagnostics };
        if let Some(tracks) = &self.tracks {
            tracks.assign(&mut out, &text.join(" "));
        }
        out
    }

    /// Findings of many sessions (transcript and reports each), in parallel
    /// across sessions, in input order.
    pub fn extract_inputs(&self, inputs: &[SessionInput]) -> Vec<SessionFindings> {
        inputs.par_iter().map(|i| self.extract_session(i.session.clone(), i.transcript.as_ref(), &i.reports)).collect()
    }

    /// As [`Extractor::extract_inputs`], on a pool of `threads` threads (the
    /// global pool when one cannot be built): for `--threads` and for
    /// measuring how extraction scales.
    pub fn extract_inputs_on(&self, inputs: &[SessionInput], threads: usize) -> Vec<SessionFindings> {
        match rayon::ThreadPoolBuilder::new().num_threads(threads.max(1)).build() {
            Ok(pool) => pool.install(|| self.extract_inputs(inputs)),
            Err(_) => self.extract_inputs(inputs),
        }
    }

    /// Findings of many transcripts, in parallel across sessions, in input order.
    pub fn extract_all(&self, transcripts: &[Transcript]) -> Vec<SessionFindings> {
        transcripts.par_iter().map(|t| self.extract(t)).collect()
    }

    fn finding(&self, transcript: &Transcript, session: &str, doc: &Document, hit: &Hit) -> Option<Finding> {
        let rule = self.rules.rules().get(hit.rule)?;
        let first = doc.sentences.get(hit.first)?;
        let last = doc.sentences.get(hit.last)?;
        let turn = doc.turns.get(first.turn)?;
        let quote = turn.text.get(first.range.start..last.range.end)?.to_string();
        let text = doc
            .sentences
            .get(hit.first..=hit.last)?
            .iter()
            .map(|s| s.cleaned.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let explain = self.explain.then(|| {
            let matched = first.cleaned.text.get(hit.span.clone()).unwrap_or("").to_string();
            Explain {
                rule: rule.id.clone(),
                pattern: rule.cues.get(hit.cue).map(|c| c.source.clone()).unwrap_or_default(),
                matched,
                text_span: [hit.span.start, hit.span.end],
                quote_span: [
                    first.cleaned.map.start_to_original(hit.span.start),
                    first.cleaned.map.end_to_original(hit.span.end),
                ],
            }
        });
        let source = transcript.segments.get(first.segment).map_or(Source::Caption, |s| s.source);
        Some(Finding {
            kind: rule.kind.clone(),
            text,
            quote,
            session: session.to_string(),
            speaker: turn.speaker.clone(),
            start: Some(first.start),
            end: Some(last.end),
            rule: rule.id.clone(),
            track: None,
            track_confidence: None,
            score: rule.score,
            source,
            explain,
        })
    }
}
