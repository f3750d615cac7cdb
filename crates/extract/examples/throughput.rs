//! Throughput on 1 and 2 threads, wall clock and CPU time, without criterion:
//! `cargo run --release -p rapporteur-extract --example throughput -- SESSIONS`
//! (8,000 words each; `benches/extract-scaling.sh` runs it for several sizes).
//!
//! CPU time (user + system, from /proc/self/stat on Linux) is printed beside
//! the wall clock because shared machines are noisy: on an idle machine the
//! 1-thread wall clock is close to its CPU time, and the 2-thread wall clock
//! close to half of its CPU time when the work splits evenly.

use std::time::Instant;

use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript};
use rapporteur_extract::{Extractor, RuleSet, SessionInput, Tracks};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sessions: usize = std::env::args().nth(1).map_or(Ok(10), |s| s.parse())?;
    let lines = [
        "Good morning, everyone. Can you hear me?",
        "I think governments should invest in community networks -- in rural areas now.",
        "In my country the situation is quite different, because the main operator is owned by the state.",
        "I call on donors to fund maintenance, not only equipment.",
        "How can small countries get the platforms to answer their letters?",
        "The cost of one gigabyte of data varies enormously between countries, uh, in Bogotá too.",
    ];
    let inputs: Vec<SessionInput> = (0..sessions)
        .map(|i| {
            let mut t = Transcript::new(Session::new(format!("s{i}")));
            let mut words = 0;
            let mut k = 0;
            while words < 8000 {
                let text = format!("{} {}", lines[k % lines.len()], lines[(k * 7 + 3) % lines.len()]);
                words += text.split_whitespace().count();
                let start = Time::from_millis(k as u64 * 5000);
                t.segments.push(Segment::new(
                    start,
                    start.add_millis(5000),
                    Some(format!("S{}", k % 4)),
                    text,
                    Source::Caption,
                    Timing::Exact,
                ));
                k += 1;
            }
            SessionInput { session: t.session.clone(), transcript: Some(t), reports: vec![] }
        })
        .collect();
    let t0 = Instant::now();
    for i in &inputs {
        if let Some(t) = &i.transcript {
            let _ = rapporteur_extract::text::Document::from_transcript(t);
        }
    }
    println!("segmentation and clean-up alone: {:?}", t0.elapsed());
    // Track scoring too, as `rapporteur run` does.
    let tracks = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/tracks/igf2020.toml"))?;
    let extractor = Extractor::new(RuleSet::builtin()?).with_tracks(Tracks::from_toml(&tracks, "igf2020.toml")?);
    for threads in [1, 2] {
        let (t0, cpu0) = (Instant::now(), cpu_seconds());
        let found: usize = extractor.extract_inputs_on(&inputs, threads).iter().map(|s| s.findings.len()).sum();
        let (wall, cpu) = (t0.elapsed().as_secs_f64(), cpu_seconds() - cpu0);
        let words = (sessions * 8000) as f64;
        println!(
            "{threads} thread(s): {} words in {wall:.3} s wall, {cpu:.2} s CPU ({:.2} M words per CPU second; {found} findings)",
            sessions * 8000,
            words / cpu.max(1e-9) / 1e6
        );
    }
    Ok(())
}

/// This process's user + system CPU time in seconds (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the command name (which may hold spaces) start after ')'.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line (state, field 3, is index 0 here); 100 ticks a second.
    (ticks(11) + ticks(12)) / 100.0
}
