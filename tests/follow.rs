//! End-to-end tests of `rapporteur captions --follow` through the binary: a
//! caption stream piped through standard input in pieces, and a file followed
//! while another thread appends to it.

use std::fs::{self, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use rapporteur_core::{Segment, Source, Timing};

/// Long enough for a loaded CI machine; the tests finish much sooner.
const PATIENCE: Duration = Duration::from_secs(30);
const BETWEEN_PIECES: Duration = Duration::from_millis(150);

fn follow(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_rapporteur"))
        .arg("captions")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rapporteur")
}

/// Standard output, line by line, as it comes.
fn lines_of(stdout: ChildStdout) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

fn segment(line: &str) -> Segment {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not a segment JSON line: {line:?}: {e}"))
}

/// Waits for the process, killing it after `PATIENCE`.
fn wait(child: &mut Child) -> (ExitStatus, String) {
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for rapporteur") {
            break status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("rapporteur did not stop within {PATIENCE:?}");
        }
        thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        pipe.read_to_string(&mut stderr).expect("read stderr");
    }
    (status, stderr)
}

fn speaker_and_text(segments: &[Segment]) -> Vec<(Option<&str>, &str)> {
    segments.iter().map(|s| (s.speaker.as_deref(), s.text.as_str())).collect()
}

fn assert_live_times(segments: &[Segment]) {
    for pair in segments.windows(2) {
        assert!(pair[0].start <= pair[1].start, "starts go backwards: {pair:?}");
    }
    for s in segments {
        assert!(s.start <= s.end, "{s:?}");
        assert_eq!((s.source, s.timing), (Source::Caption, Timing::Exact), "{s:?}");
    }
}

const PIECES: &[&str] = &[
    ">> MODERATOR:  Good morning, ever",
    "yone.  Can you hear me? >>SPEAKER TWO: Yes.",
    "  (off microphone)  I think we can begin.\n",
    ">> MS. DIALLO:  Thank you \u{2011}\u{2011} so, first poi",
    "nt: acess\u{8}\u{8}\u{8}\u{8}ccess matters.",
];

fn expected() -> Vec<(Option<&'static str>, &'static str)> {
    vec![
        (Some("MODERATOR"), "Good morning, everyone."),
        (Some("MODERATOR"), "Can you hear me?"),
        (Some("SPEAKER TWO"), "Yes."),
        (Some("SPEAKER TWO"), "(off microphone) I think we can begin."),
        (Some("MS. DIALLO"), "Thank you -- so, first point: access matters."),
    ]
}

#[test]
fn stdin_pieces_become_segments_as_they_complete() {
    let mut child = follow(&["--follow", "-"]);
    let mut stdin = child.stdin.take().expect("stdin");
    let lines = lines_of(child.stdout.take().expect("stdout"));
    let mut received = Vec::new();
    for (i, piece) in PIECES.iter().enumerate() {
        stdin.write_all(piece.as_bytes()).expect("write piece");
        stdin.flush().expect("flush piece");
        if i == 1 {
            // The first sentence is complete: it comes out while the stream is still open.
            let first = lines.recv_timeout(PATIENCE).expect("a segment before the end of the input");
            received.push(segment(&first));
        }
        thread::sleep(BETWEEN_PIECES);
    }
    drop(stdin);
    let (status, stderr) = wait(&mut child);
    received.extend(lines.iter().map(|line| segment(&line)));
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
    assert_eq!(speaker_and_text(&received), expected());
    assert_live_times(&received);
    let (first, last) = (&received[0], &received[received.len() - 1]);
    assert!(
        last.start.millis_since(first.start) >= 2 * BETWEEN_PIECES.as_millis() as u64,
        "arrival times are real: {first:?} .. {last:?}"
    );
}

#[test]
fn a_pause_ends_a_segment_while_the_input_is_open() {
    let mut child = follow(&["--follow", "-"]);
    let mut stdin = child.stdin.take().expect("stdin");
    let lines = lines_of(child.stdout.take().expect("stdout"));
    stdin.write_all(b">> CHAIR: We are waiting for the speaker").expect("write");
    stdin.flush().expect("flush");
    let started = Instant::now();
    let line = lines.recv_timeout(PATIENCE).expect("the paused text comes out without more input");
    assert!(started.elapsed() >= Duration::from_millis(2500), "after the 3 s pause, not before");
    let paused = segment(&line);
    assert_eq!((paused.speaker.as_deref(), paused.text.as_str()), (Some("CHAIR"), "We are waiting for the speaker"));
    stdin.write_all(b" Here she is.").expect("write");
    drop(stdin);
    let (status, stderr) = wait(&mut child);
    assert!(status.success(), "{stderr}");
    let rest: Vec<Segment> = lines.iter().map(|l| segment(&l)).collect();
    assert_eq!(speaker_and_text(&rest), vec![(Some("CHAIR"), "Here she is.")]);
}

#[test]
fn problems_in_the_stream_are_warnings_on_stderr() {
    let mut child = follow(&["--follow", "-"]);
    let mut stdin = child.stdin.take().expect("stdin");
    let lines = lines_of(child.stdout.take().expect("stdout"));
    stdin.write_all(b"Done. N").expect("write");
    stdin.flush().expect("flush");
    thread::sleep(BETWEEN_PIECES);
    stdin.write_all(b"\x08\x08\x08Next: caf\xc3").expect("write");
    stdin.flush().expect("flush");
    thread::sleep(BETWEEN_PIECES);
    stdin.write_all(b"\xa9 \xff ok.").expect("write");
    drop(stdin);
    let (status, stderr) = wait(&mut child);
    assert!(status.success(), "{stderr}");
    let segments: Vec<Segment> = lines.iter().map(|l| segment(&l)).collect();
    assert_eq!(speaker_and_text(&segments), vec![(None, "Done."), (None, "Next: café \u{FFFD} ok.")]);
    let warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(warnings.len(), 2, "{stderr}");
    assert!(warnings[0].starts_with("-: warning: 1 backspace at "), "{stderr}");
    assert!(warnings[0].contains("cannot be undone"), "{stderr}");
    assert!(warnings[1].starts_with("-: warning: byte 22: 1 invalid UTF-8 sequence"), "{stderr}");
}

fn append(path: &Path, text: &str) {
    let mut file = OpenOptions::new().append(true).open(path).expect("open for append");
    file.write_all(text.as_bytes()).expect("append");
}

#[test]
fn a_growing_file_is_followed_until_idle() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("live.txt");
    fs::write(&path, "").expect("create file");
    let mut child = follow(&["--follow", path.to_str().expect("utf-8 path"), "--idle-exit", "1"]);
    drop(child.stdin.take());
    let lines = lines_of(child.stdout.take().expect("stdout"));
    let writer_path = path.clone();
    let writer = thread::spawn(move || {
        for piece in PIECES {
            thread::sleep(BETWEEN_PIECES);
            append(&writer_path, piece);
        }
        Instant::now()
    });
    let first = lines.recv_timeout(PATIENCE).expect("a segment while the file grows");
    let last_write = writer.join().expect("writer thread");
    let (status, stderr) = wait(&mut child);
    let stopped = Instant::now();
    assert!(status.success(), "{stderr}");
    assert_eq!(stderr, "");
    assert!(stopped.duration_since(last_write) >= Duration::from_millis(900), "stops only once idle");
    let mut segments = vec![segment(&first)];
    segments.extend(lines.iter().map(|l| segment(&l)));
    assert_eq!(speaker_and_text(&segments), expected());
    assert_live_times(&segments);
}

#[test]
fn a_truncated_file_is_read_again_from_its_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("live.txt");
    fs::write(&path, ">> CHAIR: Before the cut. ").expect("create file");
    let mut child = follow(&["--follow", path.to_str().expect("utf-8 path"), "--idle-exit", "1"]);
    let lines = lines_of(child.stdout.take().expect("stdout"));
    thread::sleep(Duration::from_millis(600));
    fs::write(&path, "After").expect("truncate and write");
    thread::sleep(Duration::from_millis(400));
    append(&path, " the cut.");
    let (status, stderr) = wait(&mut child);
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("warning: the file shrank from 26 to "), "{stderr}");
    let segments: Vec<Segment> = lines.iter().map(|l| segment(&l)).collect();
    assert_eq!(
        speaker_and_text(&segments),
        vec![(Some("CHAIR"), "Before the cut."), (Some("CHAIR"), "After the cut.")]
    );
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let mut child = follow(&["--follow", "-"]);
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().expect("stdin");
    let sentences = "One more sentence. ".repeat(20_000);
    // The process may stop before reading it all: a failed write here is expected.
    let _ = stdin.write_all(sentences.as_bytes());
    drop(stdin);
    let (status, stderr) = wait(&mut child);
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn usage_errors_and_missing_files() {
    let mut missing = follow(&["--follow", "/nonexistent/live.txt"]);
    let (status, stderr) = wait(&mut missing);
    assert_eq!(status.code(), Some(1));
    assert!(stderr.starts_with("error: cannot follow /nonexistent/live.txt: "), "{stderr}");

    let mut stray = follow(&["--idle-exit", "2", "a.vtt", "-o", "out"]);
    let (status, stderr) = wait(&mut stray);
    assert_eq!(status.code(), Some(2));
    assert!(stderr.contains("--idle-exit only applies with --follow"), "{stderr}");

    let mut zero = follow(&["--follow", "-", "--idle-exit", "0"]);
    let (status, stderr) = wait(&mut zero);
    assert_eq!(status.code(), Some(2));
    assert!(stderr.contains("--idle-exit must be a positive number of seconds"), "{stderr}");
}
