//! Where whisper.cpp spends its time on one recording: the encoder alone on a
//! 30-second window, then whole decodes with each lever on its own.
//!
//! `[FLASH=1] cargo run --release -p rapporteur-asr --example probe -- MODEL AUDIO [SECONDS]`
//! (FLASH=1: whisper.cpp's flash attention). CPU seconds are read from /proc, so Linux only.

use std::time::Instant;

use rapporteur_asr::audio::read_file;
use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters};

fn cpu_secs() -> f64 {
    // utime + stime of this process, from /proc (Linux).
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (model, audio) = (&args[1], &args[2]);
    let secs: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(30);
    whisper_rs::install_logging_hooks();
    let samples = read_file(std::path::Path::new(audio)).unwrap();
    let samples = &samples[..(secs * 16_000).min(samples.len())];
    let flash = std::env::var("FLASH").is_ok_and(|v| v == "1");
    let mut params = WhisperContextParameters::default();
    params.use_gpu(false);
    params.flash_attn(flash);
    println!("flash attention: {flash}");
    let ctx = WhisperContext::new_with_params(model, params).unwrap();
    let mut state = ctx.create_state().unwrap();

    let (t, c) = (Instant::now(), cpu_secs());
    state.pcm_to_mel(&samples[..samples.len().min(480_000)], 1).unwrap();
    println!("mel: {:.3} s wall, {:.3} s cpu", t.elapsed().as_secs_f64(), cpu_secs() - c);
    for _ in 0..2 {
        let (t, c) = (Instant::now(), cpu_secs());
        state.encode(0, 1).unwrap();
        println!("encode 30 s window, 1 thread: {:.3} s wall, {:.3} s cpu", t.elapsed().as_secs_f64(), cpu_secs() - c);
    }
    let cases: [(&str, f32, i32, bool); 4] = [
        ("default (fallback on, full ctx, token timestamps)", 0.2, 0, true),
        ("no temperature fallback", 0.0, 0, true),
        ("no token timestamps", 0.2, 0, false),
        ("audio_ctx 768", 0.2, 768, true),
    ];
    for (name, inc, audio_ctx, ts) in cases {
        let mut p = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        p.set_n_threads(1);
        p.set_no_context(true);
        p.set_token_timestamps(ts);
        p.set_temperature(0.0);
        p.set_temperature_inc(inc);
        p.set_language(Some("en"));
        p.set_print_progress(false);
        p.set_print_realtime(false);
        p.set_print_timestamps(false);
        if audio_ctx > 0 {
            p.set_audio_ctx(audio_ctx);
        }
        let (t, c) = (Instant::now(), cpu_secs());
        state.full(p, samples).unwrap();
        let text: String = state.as_iter().map(|s| s.to_str_lossy().unwrap_or_default().into_owned()).collect();
        println!(
            "{name}: {:.2} s wall, {:.2} s cpu, {} words",
            t.elapsed().as_secs_f64(),
            cpu_secs() - c,
            text.split_whitespace().count()
        );
    }
}
