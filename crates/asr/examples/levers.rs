//! One recording through the transcriber with one lever changed at a time:
//! how chunks are cut (at pauses of 2 s or of 0.6 s), whether they are packed
//! into full 30-second windows, the audio context fitted to the window, and
//! workers against threads. Prints windows, CPU and wall seconds and WER.
//!
//! `cargo run --release -p rapporteur-asr --example levers -- MODEL RECORDING.json [CASE]`
//! (RECORDING.json as benches/asr_peer/make_recordings.py writes it; Linux only:
//! CPU seconds come from /proc).

use std::path::Path;
use std::time::Instant;

use rapporteur_asr::audio::AudioStream;
use rapporteur_asr::transcribe::engine::Engine;
use rapporteur_asr::transcribe::vad::VadOptions;
use rapporteur_asr::transcribe::window::PackOptions;
use rapporteur_asr::transcribe::{ThreadPlan, TranscribeOptions, Transcriber};
use rapporteur_asr::wer::word_error_rate;
use rapporteur_core::Session;

fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (model, recording) = (Path::new(&args[1]), Path::new(&args[2]));
    let meta: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(recording).unwrap()).unwrap();
    let audio = recording.with_file_name(meta["audio"].as_str().unwrap());
    let reference: Vec<&str> =
        meta["paragraphs"].as_array().unwrap().iter().map(|p| p["text"].as_str().unwrap()).collect();
    let reference = reference.join(" ");
    let two = ThreadPlan { workers: 2, whisper_threads: 1 };
    let at_2s = VadOptions { split_pause_secs: 2.0, ..VadOptions::default() };
    let at_short = VadOptions { split_pause_secs: 0.6, ..VadOptions::default() };
    let packed = Some(PackOptions::default());
    let cases = [
        ("chunks end at 2 s pauses, one window each", two, at_2s.clone(), None, false),
        ("chunks end at 2 s pauses, packed into windows", two, at_2s.clone(), packed.clone(), false),
        ("chunks end at 0.6 s pauses, packed into windows", two, at_short.clone(), packed.clone(), false),
        ("chunks end at 0.6 s pauses, packed, fitted audio context", two, at_short.clone(), packed.clone(), true),
        ("chunks end at 2 s pauses, one window each, fitted audio context", two, at_2s.clone(), None, true),
        (
            "chunks end at 0.6 s pauses, packed, 1 worker x 2 threads",
            ThreadPlan { workers: 1, whisper_threads: 2 },
            at_short,
            packed,
            false,
        ),
    ];
    let only: Option<usize> = args.get(3).and_then(|s| s.parse().ok());
    for (k, (name, threads, vad, pack, fit)) in cases.into_iter().enumerate() {
        if only.is_some_and(|o| o != k) {
            continue;
        }
        let engine = Engine::load(model, false).unwrap();
        let options = TranscribeOptions { threads, vad, pack, fit_audio_ctx: fit, ..TranscribeOptions::default() };
        let transcriber = Transcriber::new(engine, options).unwrap();
        let (t, c) = (Instant::now(), cpu_secs());
        let mut stream = AudioStream::open(&audio).unwrap();
        let out = transcriber.transcribe(&mut stream, Session::new("levers"), &|_| {}).unwrap();
        let text: Vec<&str> = out.transcript.segments.iter().map(|s| s.text.as_str()).collect();
        println!(
            "{name}: {} windows, {} re-decoded, {:.1} s of speech, {:.1} s wall, {:.1} s CPU, WER {:.1}%",
            out.chunks,
            out.redecoded,
            out.speech_secs,
            t.elapsed().as_secs_f64(),
            cpu_secs() - c,
            word_error_rate(&reference, &text.join(" ")) * 100.0
        );
    }
}
