//! Transcripts and findings as index documents.

use rapporteur_core::{Segment, Session, Source, Transcript};
use tantivy::schema::Facet;
use tantivy::TantivyDocument;

use crate::input::{FindingInput, FindingsInput};
use crate::schema::Fields;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    /// A session's metadata (title, type, tracks, room, date, speakers).
    Session,
    /// One transcript segment.
    Segment,
    /// One finding (takeaway, recommendation, ...).
    Finding,
}

impl DocKind {
    /// The name stored in the `doc` field.
    pub fn name(self) -> &'static str {
        match self {
            DocKind::Session => "session",
            DocKind::Segment => "segment",
            DocKind::Finding => "finding",
        }
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<DocKind> {
        match name {
            "session" => Some(DocKind::Session),
            "segment" => Some(DocKind::Segment),
            "finding" => Some(DocKind::Finding),
            _ => None,
        }
    }

    fn rank(self) -> u64 {
        match self {
            DocKind::Session => 0,
            DocKind::Segment => 1,
            DocKind::Finding => 2,
        }
    }
}

/// The delete key of a session's transcript documents (session + segments).
pub(crate) fn transcript_key(session: &str) -> String {
    format!("t/{session}")
}

/// The delete key of a session's findings.
pub(crate) fn findings_key(session: &str) -> String {
    format!("f/{session}")
}

/// A sort key that orders equal-score hits the same way whatever order the
/// documents were indexed in: a hash of the session id, then the kind, then
/// the position within the session.
fn order_key(session: &str, kind: DocKind, position: usize) -> u64 {
    let hash = blake3::hash(session.as_bytes());
    let bytes = hash.as_bytes();
    let session_bits = u64::from(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]));
    let position = (position as u64).min((1 << 30) - 1);
    (session_bits << 32) | (kind.rank() << 30) | position
}

pub(crate) fn source_name(source: Source) -> &'static str {
    match source {
        Source::Caption => "caption",
        Source::Asr => "asr",
        Source::Report => "report",
    }
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// Fields every document of a session carries: id, tracks, type, room, date.
fn add_session_context(doc: &mut TantivyDocument, f: &Fields, session: &Session, kind: DocKind, key: &str) {
    doc.add_text(f.doc, kind.name());
    doc.add_text(f.session, &session.id);
    doc.add_text(f.key, key);
    for track in session.tracks.iter().filter(|t| !t.trim().is_empty()) {
        doc.add_text(f.track, track);
        doc.add_facet(f.track_facet, Facet::from_path([track.trim()]));
    }
    if let Some(session_type) = non_empty(session.session_type.as_deref()) {
        doc.add_text(f.session_type, session_type);
        doc.add_facet(f.type_facet, Facet::from_path([session_type]));
    }
    if let Some(room) = non_empty(session.room.as_deref()) {
        doc.add_text(f.room, room);
    }
    if let Some(date) = non_empty(session.date.as_deref()) {
        doc.add_text(f.date, date);
    }
    if let Some(time) = non_empty(session.time.as_deref()) {
        doc.add_text(f.time, time);
    }
}

fn add_speaker(doc: &mut TantivyDocument, f: &Fields, speaker: &str) {
    let speaker = speaker.trim();
    if speaker.is_empty() {
        return;
    }
    doc.add_text(f.speaker, speaker);
    doc.add_text(f.speaker_key, speaker);
    doc.add_facet(f.speaker_facet, Facet::from_path([speaker]));
}

/// The documents of a transcript: one for the session, one per segment.
pub(crate) fn transcript_documents(f: &Fields, transcript: &Transcript) -> Vec<TantivyDocument> {
    let session = &transcript.session;
    let key = transcript_key(&session.id);
    let mut docs = Vec::with_capacity(transcript.segments.len() + 1);

    let mut doc = TantivyDocument::default();
    add_session_context(&mut doc, f, session, DocKind::Session, &key);
    if let Some(title) = non_empty(session.title.as_deref()) {
        doc.add_text(f.title, title);
        doc.add_text(f.session_title, title);
    }
    // Listed speakers and everyone who spoke, once each, in order.
    let mut speakers: Vec<&str> = session.speakers.iter().map(|s| s.name.as_str()).collect();
    for name in transcript.speakers() {
        if !speakers.contains(&name) {
            speakers.push(name);
        }
    }
    for name in speakers {
        add_speaker(&mut doc, f, name);
    }
    doc.add_u64(f.order, order_key(&session.id, DocKind::Session, 0));
    docs.push(doc);

    for (position, segment) in transcript.segments.iter().enumerate() {
        docs.push(segment_document(f, session, &key, position, segment));
    }
    docs
}

fn segment_document(f: &Fields, session: &Session, key: &str, position: usize, segment: &Segment) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    add_session_context(&mut doc, f, session, DocKind::Segment, key);
    if let Some(title) = non_empty(session.title.as_deref()) {
        doc.add_text(f.session_title, title);
    }
    if let Some(speaker) = segment.speaker.as_deref() {
        add_speaker(&mut doc, f, speaker);
    }
    doc.add_text(f.text, &segment.text);
    doc.add_u64(f.start, segment.start.as_millis());
    doc.add_u64(f.end, segment.end.as_millis());
    doc.add_text(f.source, source_name(segment.source));
    doc.add_u64(f.order, order_key(&session.id, DocKind::Segment, position + 1));
    doc
}

/// The documents of a session's findings, one per finding.
pub(crate) fn findings_documents(f: &Fields, findings: &FindingsInput) -> Vec<TantivyDocument> {
    let session = &findings.session;
    let key = findings_key(&session.id);
    findings
        .findings
        .iter()
        .enumerate()
        .map(|(position, finding)| finding_document(f, findings, &key, position, finding))
        .collect()
}

fn finding_document(
    f: &Fields,
    file: &FindingsInput,
    key: &str,
    position: usize,
    finding: &FindingInput,
) -> TantivyDocument {
    let session = &file.session;
    let mut doc = TantivyDocument::default();
    // A finding's own track, else the session's assigned track, else the
    // session's declared tracks.
    let track = non_empty(finding.track.as_deref()).or(non_empty(file.track.as_deref()));
    match track {
        Some(track) => {
            let mut with_track = session.clone();
            with_track.tracks = vec![track.to_string()];
            add_session_context(&mut doc, f, &with_track, DocKind::Finding, key);
        }
        None => add_session_context(&mut doc, f, session, DocKind::Finding, key),
    }
    if let Some(title) = non_empty(session.title.as_deref()) {
        doc.add_text(f.session_title, title);
    }
    if let Some(speaker) = finding.speaker.as_deref() {
        add_speaker(&mut doc, f, speaker);
    }
    let kind = finding.kind.trim();
    if !kind.is_empty() {
        doc.add_text(f.kind, kind);
        doc.add_facet(f.kind_facet, Facet::from_path([kind]));
    }
    doc.add_text(f.text, &finding.text);
    if !finding.quote.is_empty() {
        doc.add_text(f.quote, &finding.quote);
    }
    if let Some(start) = finding.start {
        doc.add_u64(f.start, start.as_millis());
    }
    if let Some(end) = finding.end {
        doc.add_u64(f.end, end.as_millis());
    }
    doc.add_text(f.source, source_name(finding.source));
    if !finding.rule.is_empty() {
        doc.add_text(f.rule, &finding.rule);
    }
    let score = if finding.score.is_finite() { finding.score } else { 0.0 };
    doc.add_f64(f.score, score);
    doc.add_u64(f.order, order_key(&session.id, DocKind::Finding, position));
    doc
}
