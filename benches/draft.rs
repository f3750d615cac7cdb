//! Criterion benches of drafting: sentence-embedding throughput (batched,
//! all-MiniLM-L6-v2 in candle; skipped with a message without the model),
//! TF-IDF vectors, average-link clustering, and a whole TF-IDF draft.
//!
//! `cargo bench -p rapporteur --bench draft`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rapporteur_draft::cluster;
use rapporteur_draft::embed::{self, EmbedOptions, Embedder, SentenceModel, TfIdf};

const ACTORS: &[&str] = &["Governments", "Regulators", "The private sector", "Civil society", "Platforms", "Donors"];
const VERBS: &[&str] =
    &["should fund", "must regulate", "need to support", "should measure", "must protect", "should open"];
const OBJECTS: &[&str] = &[
    "community networks",
    "cross-border data flows",
    "digital skills for women",
    "e-waste collection",
    "cybersecurity norms",
    "local content in indigenous languages",
    "data protection authorities",
    "renewable energy for connectivity",
];
const QUALIFIERS: &[&str] = &[
    "in developing countries",
    "through multistakeholder cooperation",
    "with sustained public funding",
    "as a matter of urgency",
    "with open standards",
];

/// `n` distinct finding-like sentences (a fixed mix, no randomness).
fn sentences(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                "{} {} {} {} (point {i}).",
                ACTORS[i % ACTORS.len()],
                VERBS[(i / 6) % VERBS.len()],
                OBJECTS[(i / 36) % OBJECTS.len()],
                QUALIFIERS[(i * 7) % QUALIFIERS.len()]
            )
        })
        .collect()
}

fn model_dir() -> Option<std::path::PathBuf> {
    let local = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(embed::LOCAL_DIR);
    embed::locate(embed::is_model_dir(&local).then_some(local.as_path())).ok().map(|l| l.dir)
}

fn bench_embedding(c: &mut Criterion) {
    // 256 texts of 13–22 tokens, like findings; throughput is sentences per second.
    let texts = sentences(256);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut group = c.benchmark_group("embed");
    group.sample_size(10);
    group.throughput(Throughput::Elements(refs.len() as u64));
    match model_dir().map(|d| SentenceModel::load(&d)) {
        Some(Ok(model)) => {
            for batch in [16, 64, 256] {
                group.bench_with_input(BenchmarkId::new("minilm_sentences", batch), &batch, |b, &batch| {
                    b.iter(|| black_box(model.embed(&refs, batch).map(|v| v.len()).unwrap_or(0)))
                });
            }
        }
        Some(Err(e)) => eprintln!("SKIPPED embed/minilm: model unreadable: {e}"),
        None => eprintln!("SKIPPED embed/minilm: all-MiniLM-L6-v2 not installed (scripts/install-embeddings.sh)"),
    }
    let many = sentences(10_000);
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    group.throughput(Throughput::Elements(many.len() as u64));
    group.bench_function("tfidf_fit_and_vectors_10000", |b| {
        b.iter(|| {
            let model = TfIdf::fit(&many);
            black_box(model.vectors(&many).len())
        })
    });
    group.finish();
}

fn bench_clustering(c: &mut Criterion) {
    let mut group = c.benchmark_group("cluster");
    group.sample_size(10);
    for n in [500usize, 2_500] {
        let texts = sentences(n);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut embedder = Embedder::new(EmbedOptions { force_tfidf: true, ..EmbedOptions::default() });
        let Ok(vectors) = embedder.embed(&refs) else { continue };
        let sim = vectors.similarity_matrix();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("average_link", n), &n, |b, &n| {
            b.iter(|| black_box(cluster::clusters(&sim, n, 0.5).len()))
        });
        group.bench_with_input(BenchmarkId::new("similarity_matrix", n), &n, |b, _| {
            b.iter(|| black_box(vectors.similarity_matrix().len()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_embedding, bench_clustering);
criterion_main!(benches);
