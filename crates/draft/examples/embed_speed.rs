//! Embedding throughput of the installed all-MiniLM-L6-v2: rapporteur's side
//! of `benches/draft_quality/embed_peer.sh`.
//!
//! `cargo run --release -p rapporteur-draft --example embed_speed -- [TEXTS.json|N] [BATCH] [VECTORS_OUT.json]`
//!
//! Embeds the texts of a JSON list (or `N` generated sentences, default 512)
//! and prints one JSON line: the count, wall and CPU seconds (user + system of
//! the whole process, from /proc/self/stat) of the embedding alone (model load
//! apart), and sentences per second of each. Threads: `RAYON_NUM_THREADS`;
//! the linear layers' arithmetic: `RAPPORTEUR_EMBED_PRECISION` (default auto:
//! bf16 on CPUs with AVX-512 BF16, f32 elsewhere).

use std::time::Instant;

use rapporteur_draft::embed::{SentenceModel, DEFAULT_BATCH};

mod support;
use support::{cpu_seconds, model_dir, or_exit};

fn generated(n: usize) -> Vec<String> {
    let words = [
        "governments",
        "should",
        "invest",
        "in",
        "community",
        "networks",
        "and",
        "digital",
        "skills",
        "for",
        "women",
        "rural",
        "areas",
        "data",
        "protection",
    ];
    (0..n)
        .map(|i| (0..(12 + i % 20)).map(|k| words[(i * 7 + k * 3) % words.len()]).collect::<Vec<_>>().join(" "))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let texts: Vec<String> = match args.first() {
        Some(a) if a.parse::<usize>().is_err() => {
            let text = match std::fs::read_to_string(a) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("{a}: {e}");
                    std::process::exit(2);
                }
            };
            match serde_json::from_str(&text) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("{a}:{}:{}: {e} (expected a JSON list of strings)", e.line(), e.column());
                    std::process::exit(2);
                }
            }
        }
        a => generated(a.and_then(|a| a.parse().ok()).unwrap_or(512)),
    };
    let batch: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(DEFAULT_BATCH);
    let dir = model_dir();
    let (c0, w0) = (cpu_seconds(), Instant::now());
    let model = or_exit(SentenceModel::load(&dir), 1);
    let (load_cpu, load_wall) = (cpu_seconds() - c0, w0.elapsed().as_secs_f64());
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    // Warm-up on a few texts (first-call allocations, thread start), as the peer does.
    let _ = model.embed(&refs[..refs.len().min(64)], batch);
    let (c0, w0) = (cpu_seconds(), Instant::now());
    let vectors = or_exit(model.embed(&refs, batch), 1);
    let (cpu, wall) = (cpu_seconds() - c0, w0.elapsed().as_secs_f64());
    if let Some(path) = args.get(2) {
        let head: Vec<&Vec<f32>> = vectors.iter().take(200).collect();
        if let Err(e) = std::fs::write(path, serde_json::to_string(&head).unwrap_or_default()) {
            eprintln!("{path}: {e}");
        }
    }
    let threads = std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    println!(
        "{}",
        serde_json::json!({
            "system": format!("rapporteur {}", model.precision()),
            "precision": model.precision(),
            "version": env!("CARGO_PKG_VERSION"),
            "threads": threads,
            "batch": batch,
            "sentences": texts.len(),
            "load_cpu_s": (load_cpu * 1000.0).round() / 1000.0,
            "load_wall_s": (load_wall * 1000.0).round() / 1000.0,
            "cpu_s": (cpu * 1000.0).round() / 1000.0,
            "wall_s": (wall * 1000.0).round() / 1000.0,
            "per_cpu_s": (texts.len() as f64 / cpu * 10.0).round() / 10.0,
            "per_wall_s": (texts.len() as f64 / wall * 10.0).round() / 10.0,
        })
    );
}
