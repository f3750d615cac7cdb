//! Aligning a 90-minute session: ~13,500 caption words against as many
//! recognised words, one in ten misrecognised, a few passages missing on
//! either side. Hirschberg keeps memory linear (two score rows, plus at most
//! a 4 MiB traceback for the small sub-problems).
//!
//! `cargo bench -p rapporteur-asr --bench align`

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use rapporteur_asr::align::{align, AlignOptions};
use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript, Word};

/// Deterministic pseudo-random numbers.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

fn session(words: usize) -> (Transcript, Vec<Word>) {
    // A Zipf-like vocabulary, as speech has: a few words very often.
    let vocabulary: Vec<String> = (0..3_000).map(|i| format!("w{i}")).collect();
    let mut rng = Lcg(42);
    let said: Vec<&str> = (0..words)
        .map(|_| {
            let r = rng.next() % 10_000;
            let rank = (r * r / 10_000 * r / 10_000) % vocabulary.len();
            vocabulary[rank].as_str()
        })
        .collect();
    let mut captions = Transcript::new(Session::new("bench"));
    for (k, chunk) in said.chunks(60).enumerate() {
        // The captioner skipped one passage in forty.
        let text = if k % 40 == 7 { "(inaudible)".to_string() } else { chunk.join(" ") };
        captions.segments.push(Segment::new(Time::ZERO, Time::ZERO, None, text, Source::Caption, Timing::Estimated));
    }
    let mut asr = Vec::with_capacity(words);
    let mut t = 0;
    for (k, w) in said.iter().enumerate() {
        // Whisper missed a stretch now and then, and gets one word in ten wrong.
        if k % 5_000 < 30 {
            continue;
        }
        let text = if rng.next().is_multiple_of(10) { "xx".to_string() } else { (*w).to_string() };
        asr.push(Word { start: Time::from_millis(t), end: Time::from_millis(t + 350), text });
        t += 400;
    }
    (captions, asr)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("align");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    for (name, words) in [("10-minute session", 1_500), ("90-minute session", 13_500)] {
        let (captions, asr) = session(words);
        group.bench_function(name, |b| b.iter(|| align(&captions, &asr, &AlignOptions::default()).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
