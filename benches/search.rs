//! Search over a whole meeting: ~2 million words of synthetic session speech
//! (the corpus of `benches/meeting.rs`: 200 sessions of ~10,000 words in
//! 20-word segments, four tracks, findings) in a tantivy index on disk.
//! Target (issue 6): p99 under 20 ms.
//!
//! `cargo bench -p rapporteur-index --bench search` prints a latency profile
//! first (p50, p95, p99 and max over 3,000 searches of a mixed query set, and
//! per kind of query), for searches on one thread and on the default
//! threads (one per core, the segments shared out) side by side on the same
//! index, then criterion's figures per kind of query, both ways. The corpus
//! is generated, deterministic.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use meeting::meeting;
use rapporteur_core::Transcript;
use rapporteur_index::{DocKind, Filters, SearchIndex, SearchRequest};

#[path = "meeting.rs"]
mod meeting;

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
        "{label}: search latency over {} searches: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        percentile(&times, 50.0).as_secs_f64() * 1e3,
        percentile(&times, 95.0).as_secs_f64() * 1e3,
        percentile(&times, 99.0).as_secs_f64() * 1e3,
        times.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
    );
    for (q, mut t) in queries.iter().zip(per_query) {
        t.sort();
        eprintln!(
            "  {label}: p50 {:>6.2} ms  p95 {:>6.2} ms  p99 {:>6.2} ms  {:?}",
            percentile(&t, 50.0).as_secs_f64() * 1e3,
            percentile(&t, 95.0).as_secs_f64() * 1e3,
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
    let started = Instant::now();
    let one = SearchIndex::open_with_threads(dir.path(), 1).expect("index on one thread");
    // Opening reads every segment's facet values once (see crates/index/src/facets.rs).
    eprintln!("opened the index in {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
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
