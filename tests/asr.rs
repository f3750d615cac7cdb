//! End-to-end speech recognition with the real tiny.en model on real and
//! generated speech: the library (`rapporteur_asr`) and `rapporteur transcribe`.
//!
//! Needs models/ggml-tiny.en.bin (scripts/install-models.sh, which `make test`
//! runs first); every test says SKIPPED without it. The JFK recording comes
//! from ../shared (skipped when absent); the rest is generated here or read
//! from fixtures/audio/.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rapporteur_asr::audio::AudioStream;
use rapporteur_asr::transcribe::engine::Engine;
use rapporteur_asr::transcribe::guards::normalize;
use rapporteur_asr::transcribe::{ThreadPlan, TranscribeOptions, Transcriber, Transcription};
use rapporteur_asr::wer::word_error_rate;
use rapporteur_core::{Session, Source, Timing};

const JFK: &str =
    "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn model() -> Option<PathBuf> {
    let path = root().join("models/ggml-tiny.en.bin");
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("SKIPPED: model not installed, run scripts/install-models.sh");
        None
    }
}

fn jfk() -> Option<PathBuf> {
    let path = root().join("../shared/audio/jfk.wav");
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("SKIPPED: {} is absent (../shared is not on this machine)", path.display());
        None
    }
}

fn transcribe(model: &Path, audio: &Path) -> Transcription {
    let engine = Engine::load(model, false).unwrap();
    let options = TranscribeOptions { threads: ThreadPlan::for_threads(2), ..TranscribeOptions::default() };
    let transcriber = Transcriber::new(engine, options).unwrap();
    let mut stream = AudioStream::open(audio).unwrap();
    transcriber.transcribe(&mut stream, Session::new("test"), &|_| {}).unwrap()
}

fn text(t: &Transcription) -> String {
    t.transcript.segments.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ")
}

/// A 16 kHz mono 16-bit WAV of `samples`.
fn write_wav(path: &Path, samples: &[f32]) {
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::new();
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    for v in [16u32, 0x0001_0001, 16_000, 32_000, 0x0010_0002] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&((s.clamp(-1.0, 1.0) * 32767.0) as i16).to_le_bytes());
    }
    fs::write(path, out).unwrap();
}

/// Deterministic white noise.
fn noise(n: usize, seed: u64) -> Vec<f32> {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        })
        .collect()
}

fn rapporteur() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rapporteur"));
    command.current_dir(root());
    command
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn jfk_gives_its_sentence_with_word_times() {
    let (Some(model), Some(audio)) = (model(), jfk()) else { return };
    let t = transcribe(&model, &audio);
    let wer = word_error_rate(JFK, &text(&t));
    eprintln!("jfk.wav: WER {:.1}%: {}", wer * 100.0, text(&t));
    assert!(wer <= 0.10, "WER {wer}: {}", text(&t));
    assert_eq!(t.language.as_deref(), Some("en"));
    let segments = &t.transcript.segments;
    assert!(segments.iter().all(|s| s.source == Source::Asr && s.timing == Timing::Exact && s.speaker.is_none()));
    let words: Vec<_> = segments.iter().flat_map(|s| s.words.clone().unwrap_or_default()).collect();
    assert_eq!(words.len(), text(&t).split_whitespace().count(), "{words:?}");
    assert!(words.windows(2).all(|w| w[0].start <= w[1].start && w[0].end <= w[1].start.add_millis(1)));
    // The speech runs from about 0.3 s to 10.5 s; "country" (the last word) ends near 10.4 s.
    let (first, last) = (&words[0], &words[words.len() - 1]);
    assert!(first.start.as_millis() < 1_000, "{first:?}");
    assert!((9_500..=11_000).contains(&last.end.as_millis()), "{last:?}");
    // "Americans" is said at about 1.4-2.2 s.
    let americans = words.iter().find(|w| w.text.starts_with("Americans")).unwrap();
    assert!(americans.start.as_millis() > 1_000 && americans.start.as_millis() < 2_500, "{americans:?}");
}

#[test]
fn silence_and_noise_give_an_empty_transcript() {
    let Some(model) = model() else { return };
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<f32>)> = vec![
        ("silence", vec![0.0; 16_000 * 20]),
        ("hiss", noise(16_000 * 20, 1).into_iter().map(|x| x * 0.05).collect()),
        ("loud noise", noise(16_000 * 20, 2).into_iter().map(|x| x * 0.5).collect()),
        (
            // Noise bursts with a speech-like rhythm get past the VAD: Whisper hears them, the guards must act.
            "noise bursts",
            noise(16_000 * 20, 3)
                .into_iter()
                .enumerate()
                .map(|(i, x)| {
                    let t = i as f32 / 16_000.0;
                    x * 0.3 * (0.5 + 0.5 * (2.0 * std::f32::consts::PI * 3.0 * t).sin()).powi(2)
                })
                .collect(),
        ),
    ];
    for (name, samples) in cases {
        let path = dir.path().join(format!("{name}.wav"));
        write_wav(&path, &samples);
        let t = transcribe(&model, &path);
        assert!(t.transcript.segments.is_empty(), "{name}: invented {:?}", text(&t));
        eprintln!("{name}: empty ({} chunks heard, guards {:?})", t.chunks, t.guards);
    }
}

#[test]
fn cli_batch_goes_on_after_bad_inputs() {
    let (Some(_), Some(audio)) = (model(), jfk()) else { return };
    let dir = tempfile::tempdir().unwrap();
    let truncated = dir.path().join("truncated.wav");
    let bytes = fs::read(&audio).unwrap();
    fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let empty = dir.path().join("empty.mp3");
    fs::write(&empty, b"").unwrap();
    let notes = dir.path().join("notes.txt");
    fs::write(&notes, "Not a recording at all.\n".repeat(100)).unwrap();
    let out_dir = dir.path().join("out");

    let out = rapporteur()
        .arg("transcribe")
        .args([&truncated, &audio, &empty, &notes])
        .args(["--to", "json,srt", "-o"])
        .arg(&out_dir)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("truncated.wav: error: truncated"), "{err}");
    assert!(err.contains("empty.mp3: error: no audio"), "{err}");
    assert!(err.contains("notes.txt: error:") && err.contains("ffmpeg"), "{err}");
    assert!(err.contains("3 of 4 inputs failed"), "{err}");
    let json = fs::read_to_string(out_dir.join("jfk.json")).unwrap();
    assert!(json.contains("fellow Americans") && json.contains(r#""source":"asr""#), "{json}");
    assert!(out_dir.join("jfk.srt").is_file());
    // Nothing half-written is left behind.
    let names: Vec<String> =
        fs::read_dir(&out_dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn cli_rejects_files_that_are_not_whisper_models() {
    let (Some(_), Some(audio)) = (model(), jfk()) else { return };
    let dir = tempfile::tempdir().unwrap();
    let text_file = dir.path().join("model.bin");
    fs::write(&text_file, "hello").unwrap();
    let out = rapporteur()
        .arg("transcribe")
        .arg(&audio)
        .arg("--model")
        .arg(&text_file)
        .args(["-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not a ggml Whisper model"), "{}", stderr(&out));

    let header_only = root().join("../shared/models/for-tests-ggml-tiny.en.bin");
    if header_only.is_file() {
        let out = rapporteur()
            .arg("transcribe")
            .arg(&audio)
            .arg("--model")
            .arg(&header_only)
            .arg("-o")
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("without weights"), "{}", stderr(&out));
    }
}

#[test]
fn cli_usage_errors() {
    let (Some(_), Some(audio)) = (model(), jfk()) else { return };
    let dir = tempfile::tempdir().unwrap();
    let out =
        rapporteur().arg("transcribe").arg(&audio).args(["--language", "fr", "-o"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("English-only"), "{}", stderr(&out));
    let out = rapporteur().arg("transcribe").arg(&audio).args(["--to", "doc", "-o"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cli_default_model_glossary_and_stdout() {
    let (Some(_), Some(audio)) = (model(), jfk()) else { return };
    let out = rapporteur()
        .arg("transcribe")
        .arg(&audio)
        .args(["--glossary", "igf", "--to", "txt", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(word_error_rate(JFK, &text) <= 0.10, "{text}");
    assert!(stderr(&out).contains("models/ggml-tiny.en.bin"), "{}", stderr(&out));
}

/// Paragraphs of a speech fixture: (start s, end s, text).
fn fixture_paragraphs(name: &str) -> (PathBuf, Vec<(f64, f64, String)>) {
    let dir = root().join("fixtures/audio");
    let truth: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join(format!("{name}.json"))).unwrap()).unwrap();
    let paragraphs = truth["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["start"].as_f64().unwrap(), p["end"].as_f64().unwrap(), p["text"].as_str().unwrap().to_string()))
        .collect();
    (dir.join(truth["audio"].as_str().unwrap()), paragraphs)
}

/// Generated speech with pauses (scripts/make-speech-fixtures.sh): the words
/// (WER), one transcript paragraph per spoken paragraph, and their times.
#[test]
fn speech_fixtures_give_their_words_paragraphs_and_times() {
    let Some(model) = model() else { return };
    // (fixture, largest WER): espeak-ng's voices are harder for tiny.en than people are.
    for (name, max_wer) in [("monologue", 0.10), ("panel", 0.20)] {
        let (audio, truth) = fixture_paragraphs(name);
        let t = transcribe(&model, &audio);
        let reference: Vec<&str> = truth.iter().map(|p| p.2.as_str()).collect();
        let wer = word_error_rate(&reference.join(" "), &text(&t));
        let segments = &t.transcript.segments;
        let starts: Vec<f64> = segments.iter().map(|s| s.start.as_secs_f64()).collect();
        eprintln!(
            "{name}: WER {:.1}%, {} paragraphs found of {}, starts {starts:?}",
            wer * 100.0,
            segments.len(),
            truth.len()
        );
        assert!(wer <= max_wer, "{name}: WER {wer}: {}", text(&t));
        assert_eq!(segments.len(), truth.len(), "{name}: {:?}", segments.iter().map(|s| &s.text).collect::<Vec<_>>());
        for (segment, (start, end, said)) in segments.iter().zip(&truth) {
            let start_error = (segment.start.as_secs_f64() - start).abs();
            let end_error = (segment.end.as_secs_f64() - end).abs();
            assert!(start_error <= 0.5, "{name}: `{said}` starts at {start}, found at {}", segment.start);
            assert!(end_error <= 1.0, "{name}: `{said}` ends at {end}, found at {}", segment.end);
            // Every word lies within its paragraph's speech, give or take 0.5 s.
            for w in segment.words.as_ref().unwrap() {
                assert!(
                    w.start.as_secs_f64() >= start - 0.5 && w.end.as_secs_f64() <= end + 0.5,
                    "{name}: {w:?} outside {start}-{end}"
                );
            }
        }
    }
}

/// CART text of a speech fixture as a captioner would write it: a title,
/// the disclaimer, `>> NAME:` at each change of voice, no times.
fn cart_text(truth: &[(f64, f64, String)], voices: &[String], extra: &[(usize, &str)]) -> String {
    let mut out = String::from(
        "IGF 2026 - Workshop - Alignment test\n\nThe following are the outputs of the real-time captioning.\n***\n",
    );
    let mut previous: Option<&str> = None;
    for (k, (_, _, text)) in truth.iter().enumerate() {
        let speaker = if voices[k].contains("+f") { "MS. DIALLO" } else { "MODERATOR" };
        let mut text = text.clone();
        for (_, add) in extra.iter().filter(|(at, _)| *at == k) {
            text.push_str(add);
        }
        if previous == Some(speaker) {
            out.push_str(&format!("{text}\n\n"));
        } else {
            out.push_str(&format!(">> {speaker}:  {text}\n\n"));
        }
        previous = Some(speaker);
    }
    out
}

fn voices(name: &str) -> Vec<String> {
    let truth: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root().join(format!("fixtures/audio/{name}.json"))).unwrap()).unwrap();
    truth["paragraphs"].as_array().unwrap().iter().map(|p| p["voice"].as_str().unwrap().to_string()).collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Start-time errors of the aligned segments against the fixture's paragraphs.
fn start_errors(json: &str, truth: &[(f64, f64, String)]) -> Vec<f64> {
    let t: serde_json::Value = serde_json::from_str(json).unwrap();
    let segments = t["segments"].as_array().unwrap();
    assert_eq!(segments.len(), truth.len(), "{json}");
    segments.iter().zip(truth).map(|(s, (start, _, _))| (s["start"].as_f64().unwrap() - start).abs()).collect()
}

/// `rapporteur align` on the panel fixture, whose paragraph times are known:
/// the captioner's text (CART, no times, with an annotation and words the
/// speakers did not say) lands on the recording's timeline.
#[test]
fn align_puts_cart_text_on_the_recording_timeline() {
    let Some(_) = model() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (audio, truth) = fixture_paragraphs("panel");
    let cart = cart_text(&truth, &voices("panel"), &[(1, " (applause)"), (3, " Thank you, Chair, for the floor.")]);
    let captions = dir.path().join("ws-300.txt");
    fs::write(&captions, &cart).unwrap();
    let out_dir = dir.path().join("out");
    let out = rapporteur()
        .arg("align")
        .arg(&captions)
        .arg(&audio)
        .args(["--to", "json,srt", "--threads", "2", "-o"])
        .arg(&out_dir)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("caption words on the timeline"), "{err}");
    let json = fs::read_to_string(out_dir.join("ws-300.json")).unwrap();
    let errors = start_errors(&json, &truth);
    let m = median(errors.clone());
    eprintln!("panel CART: start errors {errors:.2?}, median {m:.3} s");
    assert!(m < 0.5, "median start error {m} s: {errors:?}");
    assert!(errors.iter().all(|e| *e < 1.5), "{errors:?}");
    let t: serde_json::Value = serde_json::from_str(&json).unwrap();
    let segments = t["segments"].as_array().unwrap();
    // The captioner's words and speakers, not Whisper's.
    assert_eq!(segments[0]["speaker"], "MODERATOR");
    assert_eq!(segments[1]["speaker"], "MS. DIALLO");
    assert!(segments[1]["text"].as_str().unwrap().ends_with("spectrum available. (applause)"));
    assert!(segments.iter().all(|s| s["timing"] == "aligned" && s["source"] == "caption"), "{json}");
    let srt = fs::read_to_string(out_dir.join("ws-300.srt")).unwrap();
    assert!(srt.contains(">> MS. DIALLO:"), "{srt}");
}

/// Captions timed by another clock (42 s late, running 8% fast) are moved
/// onto the recording's.
#[test]
fn align_retimes_captions_from_another_clock() {
    let Some(_) = model() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (audio, truth) = fixture_paragraphs("monologue");
    let srt_time = |secs: f64| {
        let ms = (secs * 1000.0).round() as u64;
        format!("{:02}:{:02}:{:02},{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
    };
    let mut srt = String::new();
    for (k, (start, end, text)) in truth.iter().enumerate() {
        let clock = |t: f64| 42.0 + t * 1.08;
        srt.push_str(&format!("{}\n{} --> {}\n{text}\n\n", k + 1, srt_time(clock(*start)), srt_time(clock(*end))));
    }
    let captions = dir.path().join("late.srt");
    fs::write(&captions, srt).unwrap();
    let out = rapporteur().arg("align").arg(&captions).arg(&audio).args(["--to", "json", "-o", "-"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let json = String::from_utf8(out.stdout).unwrap();
    let errors = start_errors(&json, &truth);
    let m = median(errors.clone());
    eprintln!("monologue SRT: start errors {errors:.2?}, median {m:.3} s");
    assert!(m < 0.5, "median start error {m} s: {errors:?}");
}

#[test]
fn align_reports_bad_inputs_clearly() {
    let Some(_) = model() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (panel_audio, panel) = fixture_paragraphs("panel");
    let (_, monologue) = fixture_paragraphs("monologue");
    let captions = dir.path().join("captions.txt");
    fs::write(&captions, cart_text(&panel, &voices("panel"), &[])).unwrap();
    let run = |captions: &Path, audio: &Path| {
        rapporteur().arg("align").arg(captions).arg(audio).arg("-o").arg(dir.path().join("out")).output().unwrap()
    };

    // No recording.
    let out = run(&captions, &dir.path().join("missing.flac"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("missing.flac: no such file"), "{}", stderr(&out));

    // A recording that is not audio.
    let notes = dir.path().join("notes.wav");
    fs::write(&notes, "RIFF but not really a wave file at all".repeat(50)).unwrap();
    let out = run(&captions, &notes);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("notes.wav"), "{}", stderr(&out));

    // Captions that are not text.
    let binary = dir.path().join("captions.srt");
    fs::write(&binary, [0u8, 159, 146, 150, 0, 1, 2, 3].repeat(100)).unwrap();
    let out = run(&binary, &panel_audio);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("captions.srt"), "{}", stderr(&out));

    // Captions of another session: few words in common, said plainly.
    let other = dir.path().join("other.txt");
    fs::write(&other, cart_text(&monologue, &voices("monologue"), &[])).unwrap();
    let out = run(&other, &panel_audio);
    assert!(stderr(&out).contains("are they the same session"), "{}", stderr(&out));
}

/// A WAV header with no samples, a FLAC whose frames were overwritten, and
/// models that are not Whisper models (random bytes past the header check, a
/// real model cut short): each gets its own clear error.
#[test]
fn cli_more_bad_inputs() {
    let Some(model) = model() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (panel_audio, _) = fixture_paragraphs("panel");
    let no_samples = dir.path().join("no-samples.wav");
    write_wav(&no_samples, &[]);
    let corrupt = dir.path().join("corrupt.flac");
    let mut bytes = fs::read(&panel_audio).unwrap();
    let n = bytes.len();
    for (k, b) in bytes[n / 4..n / 2].iter_mut().enumerate() {
        *b = (k.wrapping_mul(2654435761) >> 7) as u8;
    }
    fs::write(&corrupt, &bytes).unwrap();
    let good = dir.path().join("short.wav");
    let speech = rapporteur_asr::audio::read_file(&panel_audio).unwrap();
    write_wav(&good, &speech[..16_000 * 12]);
    let out_dir = dir.path().join("out");
    let out = rapporteur()
        .arg("transcribe")
        .args([&no_samples, &corrupt, &good])
        .args(["--to", "txt", "-o"])
        .arg(&out_dir)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("no-samples.wav: error: no audio"), "{err}");
    // Frames overwritten mid-file: the decoder skips to the next good frame,
    // and the audio comes out shorter than the header says.
    assert!(
        err.contains("corrupt.flac: error: damaged audio at")
            || err.contains("corrupt.flac: error: truncated: the header declares"),
        "{err}"
    );
    // Compared without punctuation: whether Whisper writes "good morning, and" depends on its context.
    let good_text = normalize(&fs::read_to_string(out_dir.join("short.txt")).unwrap());
    assert!(good_text.contains("good morning and welcome"), "{err}\n{good_text}");

    let random = dir.path().join("random.bin");
    fs::write(&random, noise(600_000, 9).iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>()).unwrap();
    let cut = dir.path().join("cut.bin");
    fs::write(&cut, &fs::read(&model).unwrap()[..5_000_000]).unwrap();
    for (bad, says) in [(&random, "not a ggml Whisper model"), (&cut, "could not load it")] {
        let out =
            rapporteur().arg("transcribe").arg(&good).arg("--model").arg(bad).arg("-o").arg(&out_dir).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
}

/// `rapporteur run` on a meeting whose session has both CART text and a
/// recording: the published transcript is the captioner's, on the
/// recording's timeline.
#[test]
fn run_aligns_a_sessions_captions_to_its_recording() {
    let Some(_) = model() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (audio, truth) = fixture_paragraphs("panel");
    let session = dir.path().join("meeting/ws-301-panel");
    fs::create_dir_all(&session).unwrap();
    fs::write(session.join("session.toml"), "id = \"ws-301-panel\"\ntitle = \"Connecting the next billion\"\n")
        .unwrap();
    fs::write(session.join("transcript.txt"), cart_text(&truth, &voices("panel"), &[])).unwrap();
    fs::copy(&audio, session.join("recording.flac")).unwrap();
    let out_dir = dir.path().join("out");
    let out = rapporteur().arg("run").arg(dir.path().join("meeting")).arg("-o").arg(&out_dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let json = fs::read_to_string(out_dir.join("sessions/ws-301-panel/transcript.json")).unwrap();
    let errors = start_errors(&json, &truth);
    let m = median(errors.clone());
    eprintln!("rapporteur run, panel CART + recording: start errors {errors:.2?}, median {m:.3} s");
    assert!(m < 0.5, "median start error {m} s: {errors:?}");
    assert!(json.contains(r#""timing":"aligned""#) && !json.contains(r#""timing":"estimated""#), "{json}");
}
