//! End-to-end tests of `rapporteur captions` through the binary: batches,
//! exit statuses, bad input, atomic outputs.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn rapporteur() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rapporteur"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const VTT: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:03.500\n<v Amina Diallo>Governments should invest in community networks.\n\n00:00:04.000 --> 00:00:06.000\n<v Juan Perez>I agree.\n";

const CART: &str = "IGF 2020 - Day 1 - WS #1 Example\n\nThe following are the outputs of the real-time captioning.\n***\n>> MODERATOR:  Good morning, everyone.  Can you hear me?\n\n>> MS. DIALLO:  Yes.  (off microphone)  We need to act now.\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn help_shows_examples() {
    let out = rapporteur().args(["captions", "--help"]).output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("--speaking-rate"), "{help}");
}

#[test]
fn unknown_format_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = rapporteur().args(["captions", "x.vtt", "--to", "doc", "-o"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown output format `doc`"));
}

#[test]
fn missing_arguments_are_a_usage_error() {
    let out = rapporteur().args(["captions"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_format_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "ws-1.vtt", VTT.as_bytes());
    let out_dir = dir.path().join("out");
    let out = rapporteur().arg("captions").arg(&input).arg("-o").arg(&out_dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for ext in ["vtt", "srt", "json", "txt", "md"] {
        let path = out_dir.join(format!("ws-1.{ext}"));
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(text.contains("community networks"), "{ext}: {text}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out_dir.join("ws-1.json")).unwrap()).unwrap();
    assert_eq!(json["session"]["id"], "ws-1");
    assert_eq!(json["segments"][0]["start"], 1.0);
    assert_eq!(json["segments"][0]["end"], 3.5);
    assert_eq!(json["segments"][0]["speaker"], "Amina Diallo");
    assert_eq!(json["segments"][0]["timing"], "exact");
    // No temporary file is left behind.
    let leftovers: Vec<_> = fs::read_dir(&out_dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn cart_gets_estimated_times_at_the_speaking_rate() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "cart.txt", CART.as_bytes());
    let out = rapporteur()
        .args(["captions", "--speaking-rate", "60", "--to", "json", "-o", "-"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let segments = json["segments"].as_array().unwrap();
    assert_eq!(json["session"]["title"], "IGF 2020 - Day 1 - WS #1 Example");
    assert_eq!(segments[0]["speaker"], "MODERATOR");
    assert_eq!(segments[0]["timing"], "estimated");
    // "Good morning, everyone. Can you hear me?": 7 words at 60 wpm = 7 s.
    assert_eq!(segments[0]["start"], 0.0);
    assert_eq!(segments[0]["end"], 7.0);
    assert_eq!(segments[1]["speaker"], "MS. DIALLO");
    assert!(segments[1]["text"].as_str().unwrap().contains("(off microphone)"));
}

#[test]
fn a_batch_goes_on_after_bad_inputs_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.vtt", VTT.as_bytes());
    let empty = write(dir.path(), "empty.srt", b"");
    let binary = write(dir.path(), "binary.srt", &[0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0]);
    let no_cues = write(dir.path(), "nocues.srt", b"1\nnot a timing line\nhello\n");
    let missing = dir.path().join("missing.vtt");
    let out_dir = dir.path().join("out");
    let out = rapporteur()
        .args(["captions", "--to", "json"])
        .args([&empty, &binary, &good, &no_cues, &missing])
        .arg("-o")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(out_dir.join("good.json").exists(), "{err}");
    for bad in ["empty", "binary", "nocues", "missing"] {
        assert!(!out_dir.join(format!("{bad}.json")).exists(), "{bad} written: {err}");
        let failure = err.lines().any(|l| l.contains(&format!("{bad}.")) && l.contains("error"));
        assert!(failure, "no error line for {bad}: {err}");
    }
    assert!(err.contains("4 of 5 inputs failed"), "{err}");
}

#[test]
fn invalid_utf8_is_a_positioned_warning_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"WEBVTT\n\n00:01.000 --> 00:02.000\nCaf".to_vec();
    bytes.extend_from_slice(&[0xE9]);
    bytes.extend_from_slice(b" au lait\n");
    let input = write(dir.path(), "latin1.vtt", &bytes);
    let out = rapporteur().args(["captions", "--to", "txt", "-o", "-"]).arg(&input).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("latin1.vtt:4:4: warning: invalid UTF-8"), "{err}");
}

#[test]
fn a_ten_megabyte_line_is_cut_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("WEBVTT\n\n00:01.000 --> 00:02.000\n");
    text.push_str(&"word ".repeat(2_000_000));
    text.push_str("\n\n00:03.000 --> 00:04.000\nAfter the long line.\n");
    let input = write(dir.path(), "long.vtt", text.as_bytes());
    let out = rapporteur().args(["captions", "--to", "json", "-o", "-"]).arg(&input).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("long.vtt:4: warning: line is longer than"), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["segments"][1]["text"], "After the long line.");
}

#[test]
fn backwards_times_are_reported_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let srt = "1\n00:00:05,000 --> 00:00:06,000\nFirst.\n\n2\n00:00:02,000 --> 00:00:01,000\nSecond.\n";
    let input = write(dir.path(), "back.srt", srt.as_bytes());
    let out = rapporteur().args(["captions", "--to", "json", "-o", "-"]).arg(&input).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("back.srt:6:"), "{err}");
}

#[test]
fn closed_stdout_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "ws.vtt", VTT.as_bytes());
    let mut child = rapporteur()
        .args(["captions", "--to", "txt", "-o", "-"])
        .arg(&input)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}
