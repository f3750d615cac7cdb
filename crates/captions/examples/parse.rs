//! Parses caption files and reports their size, segment count and wall time,
//! writing nothing: with `/usr/bin/time -f %U` around it, bytes / user CPU
//! seconds is the per-core parsing throughput, which a loaded machine's wall
//! clock cannot show (`benches/throughput.sh` does exactly that).
//!
//! Usage: `cargo run --release -p rapporteur-captions --example parse -- FILE...`

use std::fs::File;
use std::time::Instant;

use rapporteur_captions::read::{self, ReadOptions};

fn main() {
    let mut failed = false;
    for path in std::env::args().skip(1) {
        let started = Instant::now();
        let result = File::open(&path).map_err(|e| e.to_string()).and_then(|file| {
            let mut source = read::open(file, &path, &ReadOptions::default()).map_err(|e| e.to_string())?;
            let mut segments = 0u64;
            while source.next_segment().map_err(|e| e.to_string())?.is_some() {
                segments += 1;
                source.take_diagnostics();
            }
            Ok((source.format(), segments))
        });
        match result {
            Ok((format, segments)) => {
                let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                println!(
                    "{path}: {} {bytes} bytes, {segments} segments, {:.3} s wall",
                    format.name(),
                    started.elapsed().as_secs_f64()
                );
            }
            Err(e) => {
                eprintln!("{path}: error: {e}");
                failed = true;
            }
        }
    }
    std::process::exit(i32::from(failed));
}
