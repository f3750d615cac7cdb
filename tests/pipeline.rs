//! End-to-end tests of `rapporteur run` and `rapporteur merge` through the
//! binary: incremental runs, determinism, isolation of failures, shards.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rapporteur() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rapporteur"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A meeting of `n` sessions alternating VTT and CART inputs, plus extras.
fn meeting(root: &Path, n: usize) -> PathBuf {
    let dir = root.join("meeting");
    for i in 0..n {
        let s = dir.join(format!("ws-{i:03}"));
        fs::create_dir_all(&s).unwrap();
        let track = ["Data", "Inclusion", "Trust"][i % 3];
        fs::write(
            s.join("session.toml"),
            format!("title = \"Workshop {i}\"\ntype = \"workshop\"\ntracks = [\"{track}\"]\n"),
        )
        .unwrap();
        if i % 2 == 0 {
            fs::write(
                s.join("captions.vtt"),
                format!("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Speaker {i}>Governments should fund community networks in region {i}.\n\n00:00:05.000 --> 00:00:08.000\n<v Moderator>Thank you. Next slide, please.\n"),
            )
            .unwrap();
        } else {
            fs::write(
                s.join("transcript.txt"),
                format!("IGF 2020 - WS #{i}\n\nDisclaimer text.\n***\n>> MODERATOR:  Welcome to session {i}.  Can you hear me?\n\n>> MS. SPEAKER {i}:  We need to invest in digital skills (pause) for everyone.\n"),
            )
            .unwrap();
        }
    }
    dir
}

fn run(args: &[&str], input: &Path, out: &Path) -> Output {
    rapporteur().arg("run").arg(input).arg("-o").arg(out).args(args).output().unwrap()
}

/// Every output file under `dir`, by relative path, except the run report.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                if rel != "run.json" {
                    files.insert(rel, fs::read(&path).unwrap());
                }
            }
        }
    }
    files
}

fn report(out: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(out.join("run.json")).unwrap()).unwrap()
}

#[test]
fn second_run_recomputes_only_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let input = meeting(tmp.path(), 4);
    let out = tmp.path().join("out");
    let first = run(&[], &input, &out);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(out.join("sessions/ws-000/transcript.vtt").exists());
    assert!(out.join("sessions/ws-001/transcript.md").exists());
    let findings: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("sessions/ws-000/findings.json")).unwrap()).unwrap();
    let first = &findings["findings"][0];
    assert_eq!(first["kind"], "recommendation", "{findings}");
    assert_eq!(first["speaker"], "Speaker 0");
    assert_eq!(first["start"], 1.0);
    assert!(fs::read_to_string(out.join("sessions/ws-000/report.md")).unwrap().contains("community networks"));

    fs::write(input.join("ws-002/session.toml"), "title = \"Renamed\"\n").unwrap();
    let second = run(&[], &input, &out);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let statuses: Vec<String> = report(&out)["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses, ["cached", "cached", "done", "cached"]);

    let forced = run(&["--force"], &input, &out);
    assert_eq!(forced.status.code(), Some(0));
    assert!(report(&out)["sessions"].as_array().unwrap().iter().all(|s| s["status"] == "done"));
}

#[test]
fn outputs_do_not_depend_on_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let input = meeting(tmp.path(), 9);
    let one = tmp.path().join("one");
    let two = tmp.path().join("two");
    assert!(run(&["--threads", "1"], &input, &one).status.success());
    assert!(run(&["--threads", "2"], &input, &two).status.success());
    let (a, b) = (tree(&one), tree(&two));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert!(a == b, "outputs differ between 1 and 2 threads");
}

#[test]
fn a_failing_session_is_isolated_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let input = meeting(tmp.path(), 3);
    fs::write(input.join("ws-001/session.toml"), "title = \"x\"\ntrakcs = [\"Data\"]\n").unwrap();
    fs::write(input.join("ws-002/captions.vtt"), [0u8, 1, 2, 3, 0xFF]).unwrap();
    let out = tmp.path().join("out");
    let result = run(&[], &input, &out);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    let err = stderr(&result);
    assert!(err.contains("session.toml:2:1: unknown field `trakcs`"), "{err}");
    assert!(err.contains("ws-002"), "{err}");
    assert!(out.join("sessions/ws-000/transcript.json").exists());
    let r = report(&out);
    let statuses: Vec<&str> = r["sessions"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["done", "failed", "failed"]);
}

#[test]
fn shards_merged_equal_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let input = meeting(tmp.path(), 10);
    let whole = tmp.path().join("whole");
    assert!(run(&[], &input, &whole).status.success());
    let mut shard_dirs = Vec::new();
    for k in 1..=3 {
        let dir = tmp.path().join(format!("shard{k}"));
        let out = run(&["--shard", &format!("{k}/3")], &input, &dir);
        assert!(out.status.success(), "{}", stderr(&out));
        shard_dirs.push(dir);
    }
    let merged = tmp.path().join("merged");
    let out = rapporteur().arg("merge").args(&shard_dirs).arg("-o").arg(&merged).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tree(&whole) == tree(&merged), "merged shards differ from one run");
    assert_eq!(report(&merged)["sessions"].as_array().unwrap().len(), 10);
}

#[test]
fn bad_shard_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let input = meeting(tmp.path(), 1);
    let out = run(&["--shard", "4/3"], &input, &tmp.path().join("o"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid shard `4/3`"), "{}", stderr(&out));
}
