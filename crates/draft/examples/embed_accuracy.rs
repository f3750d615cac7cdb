//! The encoder's vectors in each precision against sentence-transformers':
//! `benches/draft_quality/embed_accuracy.sh` runs it.
//!
//! `cargo run --release -p rapporteur-draft --example embed_accuracy -- TEXTS.json REFERENCE.json [PLAN...]`
//!
//! TEXTS is a JSON list of strings, REFERENCE the list of their vectors from
//! sentence-transformers. For each plan (default: f32 bf16 int8; any
//! value `RAPPORTEUR_EMBED_PRECISION` takes), prints the lowest, 0.1st
//! percentile and mean cosine to the reference and to the f32 vectors, and
//! sentences per CPU second (threads: `RAYON_NUM_THREADS`).

use std::time::Instant;

use rapporteur_draft::embed::{Precision, SentenceModel, DEFAULT_BATCH};

mod support;
use support::{cpu_seconds, model_dir, or_exit};

fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| *x as f64 * *y as f64).sum();
    let na: f64 = a.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    dot / (na * nb).max(1e-30)
}

/// Lowest, 0.1st percentile and mean.
fn summary(mut c: Vec<f64>) -> (f64, f64, f64) {
    c.sort_by(f64::total_cmp);
    let mean = c.iter().sum::<f64>() / c.len().max(1) as f64;
    (c.first().copied().unwrap_or(f64::NAN), c.get(c.len() / 1000).copied().unwrap_or(f64::NAN), mean)
}

fn read<T: serde::de::DeserializeOwned>(path: &str) -> T {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    serde_json::from_str(&text).unwrap_or_else(|e| {
        eprintln!("{path}:{}:{}: {e}", e.line(), e.column());
        std::process::exit(2)
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: embed_accuracy TEXTS.json REFERENCE.json [PLAN...]");
        std::process::exit(2);
    }
    let texts: Vec<String> = read(&args[0]);
    let reference: Vec<Vec<f32>> = read(&args[1]);
    if reference.len() != texts.len() {
        eprintln!("{} texts but {} reference vectors", texts.len(), reference.len());
        std::process::exit(2);
    }
    let plans: Vec<String> =
        if args.len() > 2 { args[2..].to_vec() } else { ["f32", "bf16", "int8"].map(String::from).to_vec() };
    let dir = model_dir();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    println!("# {} texts, batch {DEFAULT_BATCH}", texts.len());
    println!(
        "{:<24} {:>9} {:>9} {:>9}   {:>9} {:>9}   {:>8} {:>10}",
        "plan (effective)", "st_min", "st_p0.1", "st_mean", "f32_min", "f32_mean", "cpu_s", "sent/cpu-s"
    );
    let mut f32_vectors: Option<Vec<Vec<f32>>> = None;
    for plan in &plans {
        let precision = match Precision::parse(plan) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        };
        let model = or_exit(SentenceModel::load_with(&dir, precision), 1);
        let _ = model.embed(&refs[..refs.len().min(64)], DEFAULT_BATCH);
        let (c0, w0) = (cpu_seconds(), Instant::now());
        let vectors = or_exit(model.embed(&refs, DEFAULT_BATCH), 1);
        let (cpu, _wall) = (cpu_seconds() - c0, w0.elapsed());
        let (st_min, st_p, st_mean) = summary(vectors.iter().zip(&reference).map(|(a, b)| cosine(a, b)).collect());
        let base = f32_vectors.get_or_insert_with(|| vectors.clone());
        let (f_min, _, f_mean) = summary(vectors.iter().zip(base.iter()).map(|(a, b)| cosine(a, b)).collect());
        println!(
            "{:<24} {st_min:>9.6} {st_p:>9.6} {st_mean:>9.6}   {f_min:>9.6} {f_mean:>9.6}   {cpu:>8.2} {:>10.1}",
            format!("{plan} ({})", model.precision()),
            texts.len() as f64 / cpu
        );
    }
}
