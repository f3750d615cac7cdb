//! Prints the embedding throughput of the installed model at a few batch
//! sizes: `cargo run --release -p rapporteur-draft --example embed_speed [N]`.

use std::time::Instant;

use rapporteur_draft::embed::{locate, SentenceModel};

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(512);
    let Ok(location) = locate(Some(std::path::Path::new("models/all-MiniLM-L6-v2"))) else {
        eprintln!("model not installed: run scripts/install-embeddings.sh");
        return;
    };
    let t = Instant::now();
    let model = match SentenceModel::load(&location.dir) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    println!("load: {:.2} s", t.elapsed().as_secs_f64());
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
    let texts: Vec<String> = (0..n)
        .map(|i| (0..(12 + i % 20)).map(|k| words[(i * 7 + k * 3) % words.len()]).collect::<Vec<_>>().join(" "))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    for batch in [16, 32, 64] {
        let t = Instant::now();
        let _ = model.embed(&refs, batch);
        let dt = t.elapsed().as_secs_f64();
        println!("batch {batch}: {:.0} sentences/s ({n} in {dt:.2} s)", n as f64 / dt);
    }
}
