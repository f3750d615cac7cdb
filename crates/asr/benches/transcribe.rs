//! How to spend the cores: chunks decoded in parallel (workers) against
//! whisper.cpp threads per chunk, and f16 against q8_0 weights, on the
//! 33-second monologue fixture (2 chunks) and the 62-second panel (5 chunks).
//!
//! `cargo bench -p rapporteur-asr --bench transcribe` (needs models/ggml-tiny.en.bin;
//! the q8_0 cases need models/ggml-tiny.en-q8_0.bin from `scripts/install-models.sh --q8`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rapporteur_asr::audio::AudioStream;
use rapporteur_asr::transcribe::engine::Engine;
use rapporteur_asr::transcribe::{ThreadPlan, TranscribeOptions, Transcriber};
use rapporteur_core::Session;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("transcribe");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(30));
    let models = [("f16", "models/ggml-tiny.en.bin"), ("q8_0", "models/ggml-tiny.en-q8_0.bin")];
    let plans = [ThreadPlan { workers: 1, whisper_threads: 2 }, ThreadPlan { workers: 2, whisper_threads: 1 }];
    for (weights, model) in models {
        let model = root().join(model);
        if !model.is_file() {
            eprintln!("SKIPPED: {} not installed, run scripts/install-models.sh --q8", model.display());
            continue;
        }
        for plan in plans {
            for fixture in ["monologue", "panel"] {
                if weights == "q8_0" && fixture == "panel" {
                    continue;
                }
                let audio = root().join(format!("fixtures/audio/{fixture}.flac"));
                let Ok(engine) = Engine::load(&model, false) else { continue };
                let options = TranscribeOptions { threads: plan, ..TranscribeOptions::default() };
                let Ok(transcriber) = Transcriber::new(engine, options) else { continue };
                let id = format!("{weights}/{}x{}/{fixture}", plan.workers, plan.whisper_threads);
                group.bench_function(BenchmarkId::from_parameter(id), |b| {
                    b.iter(|| {
                        let mut stream = AudioStream::open(&audio).unwrap();
                        transcriber.transcribe(&mut stream, Session::new("bench"), &|_| {}).unwrap()
                    })
                });
            }
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
