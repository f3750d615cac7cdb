//! One recording through the transcriber with the levers set on the command
//! line, so that builds of whisper.cpp (flags, features) and settings can be
//! compared one process at a time. Prints windows, CPU and wall seconds and WER.
//!
//! `cargo run --release -p rapporteur-asr --example levers -- MODEL RECORDING.json [LEVER=VALUE...]`
//!
//! RECORDING.json as benches/asr_peer/make_recordings.py writes it (Linux
//! only: CPU seconds come from /proc). Levers, with their defaults (those of
//! `rapporteur transcribe`):
//! - `workers=2 threads=1`: windows decoded at once, whisper.cpp threads each;
//! - `flash=0`: flash attention;
//! - `fit=1`: audio context fitted to each window;
//! - `step=0.2`: temperature fallback step (0: decode once);
//! - `pause=0.6`: pause (s) that ends a speech chunk;
//! - `pack=1`: chunks packed into windows;
//! - `max=30`: longest window (s);
//! - `beam=1`: beam size;
//! - `run=4`: windows decoded in order with the previous one's text as context (1: none).

use std::path::Path;
use std::time::Instant;

use rapporteur_asr::audio::AudioStream;
use rapporteur_asr::transcribe::engine::{Engine, LoadOptions};
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
    if args.len() < 3 {
        eprintln!("usage: levers MODEL RECORDING.json [workers=2 threads=1 flash=0 fit=1 step=0.2 pause=0.6 pack=1 max=30 beam=1 run=4]");
        std::process::exit(2);
    }
    let (model, recording) = (Path::new(&args[1]), Path::new(&args[2]));
    let lever = |name: &str, default: f32| -> f32 {
        args[3..]
            .iter()
            .filter_map(|a| a.split_once('='))
            .find(|(k, _)| *k == name)
            .map_or(default, |(_, v)| v.parse().unwrap_or_else(|_| panic!("{name}={v}: not a number")))
    };
    let meta: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(recording).unwrap()).unwrap();
    let audio = recording.with_file_name(meta["audio"].as_str().unwrap());
    let reference: Vec<&str> =
        meta["paragraphs"].as_array().unwrap().iter().map(|p| p["text"].as_str().unwrap()).collect();
    let reference = reference.join(" ");

    let defaults = TranscribeOptions::default();
    let threads =
        ThreadPlan { workers: lever("workers", 2.0) as usize, whisper_threads: lever("threads", 1.0) as usize };
    let mut options = TranscribeOptions {
        threads,
        vad: VadOptions { split_pause_secs: lever("pause", defaults.vad.split_pause_secs), ..defaults.vad.clone() },
        pack: (lever("pack", 1.0) != 0.0).then(|| PackOptions {
            max_window_secs: lever("max", PackOptions::default().max_window_secs),
            ..PackOptions::default()
        }),
        fit_audio_ctx: lever("fit", 1.0) != 0.0,
        beam_size: lever("beam", 1.0) as usize,
        context_run: lever("run", defaults.context_run as f32) as usize,
        ..defaults.clone()
    };
    options.fallback.temperature_step = lever("step", defaults.fallback.temperature_step);
    let load = LoadOptions { flash_attn: lever("flash", 0.0) != 0.0, ..LoadOptions::default() };

    let (t, c) = (Instant::now(), cpu_secs());
    let engine = Engine::load_with(model, &load).unwrap();
    let transcriber = Transcriber::new(engine, options).unwrap();
    let mut stream = AudioStream::open(&audio).unwrap();
    let out = transcriber.transcribe(&mut stream, Session::new("levers"), &|_| {}).unwrap();
    let text: Vec<&str> = out.transcript.segments.iter().map(|s| s.text.as_str()).collect();
    println!(
        "{}: {} windows, {} re-decoded, {:.1} s of speech, {:.1} s wall, {:.1} s CPU, WER {:.1}%",
        args[3..].join(" "),
        out.chunks,
        out.redecoded,
        out.speech_secs,
        t.elapsed().as_secs_f64(),
        cpu_secs() - c,
        word_error_rate(&reference, &text.join(" ")) * 100.0
    );
}
