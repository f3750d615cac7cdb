//! Search over a whole meeting: ~2 million words of synthetic session speech
//! (200 sessions of ~10,000 words in 20-word segments, four tracks, findings)
//! in a tantivy index on disk. Target (issue 6): p99 under 20 ms.
//!
//! `cargo bench -p rapporteur-index --bench search` prints a latency profile
//! first (p50, p90, p99 and max over 3,000 searches of a mixed query set, and
//! p99 per kind of query), for searches on one thread and on the default
//! threads (one per core, the segments shared out) side by side on the same
//! index, then criterion's figures per kind of query, both ways. The corpus
//! is generated, deterministic.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript};
use rapporteur_index::{DocKind, Filters, FindingInput, FindingsInput, SearchIndex, SearchRequest};

const SESSIONS: usize = 200;
const WORDS_PER_SESSION: usize = 10_000;
const WORDS_PER_SEGMENT: usize = 20;

/// A small deterministic generator (xorshift), so every run sees the same corpus.
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

fn meeting() -> (Vec<Transcript>, Vec<FindingsInput>) {
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

fn build(dir: &std::path::Path) -> SearchIndex {
    let (transcripts, findings) = meeting();
    let words: usize = transcripts.iter().map(Transcript::word_count).sum();
    let started = Instant::now();
    let index = SearchIndex::open_or_create(dir).expect("index");
    for t in &transcripts {
        index.replace_transcript(t).expect("transcript");
    }
    for f in &findings {
        index.replace_findings(f).expect("findings");
    }
    index.finish().expect("commit");
    eprintln!(
        "indexed {} sessions, {words} words, {} documents in {:.1} s",
        transcripts.len(),
        index.num_docs(),
        started.elapsed().as_secs_f64()
    );
    index
}

/// The query mix of the latency profile: what rapporteurs type.
fn queries() -> Vec<SearchRequest> {
    let with = |q: &str, filters: Filters| SearchRequest::new(q).with_filters(filters).with_limit(20);
    vec![
        with("connectivity", Filters::default()),
        with("\"meaningful connectivity\"", Filters::default()),
        with("\"local content\" languages", Filters::default()),
        with("governments AND (privacy OR encryption)", Filters::default()),
        with("spectrum satellite", Filters { track: Some("inclusion".into()), ..Filters::default() }),
        with("climate", Filters { kind: Some("recommendation".into()), ..Filters::default() }),
        with("data protection", Filters { speaker: Some("speaker 12".into()), ..Filters::default() }),
        with("cybersecurity norms", Filters { session: Some("ws-007".into()), ..Filters::default() }),
        with("the", Filters::default()),
        with("", Filters { doc: Some(DocKind::Session), ..Filters::default() }),
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn latency_profile(label: &str, index: &SearchIndex) {
    let queries = queries();
    for q in &queries {
        index.search(q).expect("warm-up");
    }
    let mut times = Vec::with_capacity(3000);
    let mut per_query: Vec<Vec<Duration>> = vec![Vec::with_capacity(300); queries.len()];
    for round in 0..300 {
        for (n, q) in queries.iter().enumerate() {
            let started = Instant::now();
            let results = index.search(q).expect("search");
            let took = started.elapsed();
            times.push(took);
            per_query[n].push(took);
            if round == 0 && label == "1 thread" {
                eprintln!("  {:>8} hits  {:?} {:?}", results.total, q.query, q.filters);
            }
        }
    }
    times.sort();
    eprintln!(
        "{label}: search latency over {} searches: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        percentile(&times, 50.0).as_secs_f64() * 1e3,
        percentile(&times, 90.0).as_secs_f64() * 1e3,
        percentile(&times, 99.0).as_secs_f64() * 1e3,
        times.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
    );
    for (q, mut t) in queries.iter().zip(per_query) {
        t.sort();
        eprintln!(
            "  {label}: p50 {:>6.2} ms  p99 {:>6.2} ms  {:?}",
            percentile(&t, 50.0).as_secs_f64() * 1e3,
            percentile(&t, 99.0).as_secs_f64() * 1e3,
            q.query
        );
    }
}

const NAMES: [&str; 10] = [
    "term",
    "phrase",
    "phrase_and_term",
    "boolean",
    "track_filter",
    "kind_filter",
    "speaker_filter",
    "session_filter",
    "stop_word",
    "all_sessions",
];

fn bench_search(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = build(dir.path());
    let one = SearchIndex::open_with_threads(dir.path(), 1).expect("index on one thread");
    eprintln!("{} segments; default search threads: one per core (at most 4)", index.num_segments());
    // Side by side, interleaved, so that the machine's load weighs on both alike.
    for _ in 0..2 {
        latency_profile("1 thread", &one);
        latency_profile("default threads", &index);
    }
    for (group, index) in [("search_2m_words", &index), ("search_2m_words_1_thread", &one)] {
        let mut group = c.benchmark_group(group);
        for (name, query) in NAMES.iter().zip(queries()) {
            group.bench_function(*name, |b| b.iter(|| index.search(&query).expect("search")));
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(3));
    targets = bench_search
}
criterion_main!(benches);
