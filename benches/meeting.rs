//! A whole meeting for the search benches: ~2 million words of synthetic
//! session speech (200 sessions of 10,000 words in 20-word segments, four
//! tracks, five session types, a finding every 25th segment). Deterministic
//! (xorshift), so every run sees the same corpus. Shared with `#[path]` by
//! `benches/search.rs` (in process) and `benches/serve_load.rs` (over HTTP);
//! `benches/search_http/gen_corpus.py` is its Python port.

use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript};
use rapporteur_index::{FindingInput, FindingsInput};

/// Sessions in the meeting.
pub const SESSIONS: usize = 200;
/// Words spoken in each session.
pub const WORDS_PER_SESSION: usize = 10_000;
const WORDS_PER_SEGMENT: usize = 20;

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Roughly Zipf-distributed index: small indexes are much more frequent.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

const COMMON: &[&str] = &[
    "the", "and", "of", "to", "we", "in", "that", "is", "for", "this", "it", "a", "on", "are", "be", "with", "as",
    "have", "not", "so", "our", "they", "can", "but", "all", "more", "about", "need", "think", "also",
];
const DOMAIN: &[&str] = &[
    "internet",
    "governance",
    "data",
    "access",
    "connectivity",
    "meaningful",
    "digital",
    "divide",
    "inclusion",
    "trust",
    "security",
    "cybersecurity",
    "norms",
    "privacy",
    "protection",
    "human",
    "rights",
    "stakeholders",
    "multistakeholder",
    "governments",
    "private",
    "sector",
    "civil",
    "society",
    "technical",
    "community",
    "youth",
    "local",
    "content",
    "languages",
    "infrastructure",
    "investment",
    "policy",
    "regulation",
    "platforms",
    "environment",
    "climate",
    "sustainability",
    "artificial",
    "intelligence",
    "algorithms",
    "capacity",
    "building",
    "development",
    "africa",
    "latin",
    "america",
    "asia",
    "pacific",
    "europe",
    "women",
    "gender",
    "disability",
    "accessibility",
    "affordable",
    "broadband",
    "spectrum",
    "satellite",
    "community",
    "networks",
    "education",
    "health",
    "economy",
    "jobs",
    "skills",
    "literacy",
    "misinformation",
    "disinformation",
    "elections",
    "transparency",
    "accountability",
    "encryption",
    "cooperation",
    "compact",
    "roadmap",
    "sdgs",
    "wsis",
    "igf",
];
const TRACKS: &[&str] = &["Data", "Environment", "Inclusion", "Trust"];
const TYPES: &[&str] = &["Workshop", "Open Forum", "Main Session", "Dynamic Coalition", "Best Practice Forum"];

fn word(rng: &mut Rng) -> &'static str {
    if rng.below(2) == 0 {
        COMMON[rng.zipf(COMMON.len())]
    } else {
        DOMAIN[rng.zipf(DOMAIN.len())]
    }
}

/// The meeting's transcripts and findings, session by session.
pub fn meeting() -> (Vec<Transcript>, Vec<FindingsInput>) {
    let mut rng = Rng(0x5eed_1dea_2020);
    let mut transcripts = Vec::with_capacity(SESSIONS);
    let mut findings = Vec::with_capacity(SESSIONS);
    for s in 0..SESSIONS {
        let mut session = Session::new(format!("ws-{s:03}"));
        session.title = Some(format!(
            "{} {} and {}",
            word(&mut rng),
            DOMAIN[rng.below(DOMAIN.len())],
            DOMAIN[rng.below(DOMAIN.len())]
        ));
        session.tracks = vec![TRACKS[s % TRACKS.len()].to_string()];
        session.session_type = Some(TYPES[s % TYPES.len()].to_string());
        session.room = Some(format!("Room {}", s % 12 + 1));
        session.date = Some(format!("2020-11-{:02}", 2 + s % 5));
        let speakers: Vec<String> = (0..5).map(|k| format!("SPEAKER {}", (s * 5 + k) % 400)).collect();
        let mut transcript = Transcript::new(session.clone());
        let mut at = 0u64;
        let mut session_findings = Vec::new();
        for n in 0..WORDS_PER_SESSION / WORDS_PER_SEGMENT {
            let words: Vec<&str> = (0..WORDS_PER_SEGMENT).map(|_| word(&mut rng)).collect();
            let mut text = words.join(" ");
            text.push('.');
            let speaker = speakers[(n / 7) % speakers.len()].clone();
            let end = at + 8_000;
            if n % 25 == 0 {
                session_findings.push(FindingInput {
                    kind: ["takeaway", "recommendation", "call_to_action"][n / 25 % 3].into(),
                    text: text.clone(),
                    quote: text.clone(),
                    session: session.id.clone(),
                    speaker: Some(speaker.clone()),
                    start: Some(Time::from_millis(at)),
                    end: Some(Time::from_millis(end)),
                    rule: "bench".into(),
                    track: None,
                    score: 0.7,
                    source: Source::Caption,
                });
            }
            transcript.segments.push(Segment::new(
                Time::from_millis(at),
                Time::from_millis(end),
                Some(speaker),
                text,
                Source::Caption,
                Timing::Exact,
            ));
            at = end + 500;
        }
        findings.push(FindingsInput { session, track: None, findings: session_findings });
        transcripts.push(transcript);
    }
    (transcripts, findings)
}
