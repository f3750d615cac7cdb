//! End-to-end tests of `rapporteur run` and `rapporteur merge` through the
//! binary: incremental runs, determinism, isolation of failures, shards.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rapporteur() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rapporteur"));
    // Never touch the user's vector cache from tests.
    c.env("RAPPORTEUR_CACHE", std::env::temp_dir().join(format!("rapporteur-pipeline-test-{}", std::process::id())));
    // The sentence-embedding model when installed (make test installs it), so
    // the drafts' determinism is checked with it; TF-IDF otherwise.
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/all-MiniLM-L6-v2");
    if model.join("model.safetensors").is_file() {
        c.env("RAPPORTEUR_EMBEDDINGS", model);
    }
    c
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

/// Every output file under `dir`, by relative path, except the run report
/// and the tantivy index (its segment files carry random ids; compared by
/// its search results instead, see `searches`).
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
                if rel != "run.json" && !rel.starts_with("index/") {
                    files.insert(rel, fs::read(&path).unwrap());
                }
            }
        }
    }
    files
}

/// The results of a few searches of `OUT/index`, as JSON.
fn searches(out: &Path) -> Vec<String> {
    ["community networks", "governments", "digital skills", "speaker:moderator", "kind:recommendation", ""]
        .iter()
        .map(|q| {
            let o = rapporteur()
                .args(["search", "--to", "json", "--limit", "50", "--index"])
                .arg(out.join("index"))
                .arg(q)
                .output()
                .unwrap();
            assert!(o.status.success(), "search {q:?}: {}", stderr(&o));
            String::from_utf8(o.stdout).unwrap()
        })
        .collect()
}

/// The status and detail of a meeting stage in `OUT/run.json`.
fn meeting_stage(out: &Path, name: &str) -> (String, String) {
    let r = report(out);
    let stage = r["meeting_stages"].as_array().unwrap().iter().find(|s| s["stage"] == name).cloned();
    let stage = stage.unwrap_or_else(|| panic!("no meeting stage {name} in {r}"));
    (stage["status"].as_str().unwrap().to_string(), stage["detail"].as_str().unwrap_or("").to_string())
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
    // Meeting stages: messages drafted from all findings, and the index.
    for ext in ["md", "html", "json"] {
        assert!(out.join(format!("drafts/messages.{ext}")).is_file(), "drafts/messages.{ext}");
    }
    let drafts: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("drafts/messages.json")).unwrap()).unwrap();
    assert_eq!(drafts["metrics"]["sessions"], 4, "{drafts}");
    assert_eq!(meeting_stage(&out, "drafts").0, "done");
    let (status, detail) = meeting_stage(&out, "index");
    assert_eq!(status, "done");
    assert!(detail.starts_with("4 sessions indexed, 0 removed, 0 unchanged;"), "{detail}");
    let hits = &searches(&out)[0];
    assert!(hits.contains("ws-000") && hits.contains("community networks"), "{hits}");

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
    // Only the changed session is re-indexed; the drafts follow its findings.
    let detail = meeting_stage(&out, "index").1;
    assert!(detail.starts_with("1 sessions indexed, 0 removed, 3 unchanged;"), "{detail}");
    assert_eq!(meeting_stage(&out, "drafts").0, "done");
    assert!(searches(&out)[1].contains("Renamed"), "the new title is searchable");

    // Nothing changed: nothing is redone.
    let third = run(&[], &input, &out);
    assert_eq!(third.status.code(), Some(0), "{}", stderr(&third));
    assert!(report(&out)["sessions"].as_array().unwrap().iter().all(|s| s["status"] == "cached"));
    assert_eq!(meeting_stage(&out, "drafts").0, "unchanged");
    assert_eq!(meeting_stage(&out, "index").0, "unchanged");

    // A caption fixed outside any finding: the session and its index entry
    // are redone, the drafts are not (their findings are the same).
    let vtt = input.join("ws-000/captions.vtt");
    let before = fs::read_to_string(out.join("sessions/ws-000/findings.json")).unwrap();
    fs::write(&vtt, fs::read_to_string(&vtt).unwrap().replace("Next slide, please.", "Next slide please.")).unwrap();
    assert_eq!(run(&[], &input, &out).status.code(), Some(0));
    assert_eq!(report(&out)["sessions"][0]["status"], "done");
    assert_eq!(fs::read_to_string(out.join("sessions/ws-000/findings.json")).unwrap(), before);
    assert!(meeting_stage(&out, "index").1.starts_with("1 sessions indexed"), "{:?}", meeting_stage(&out, "index"));
    assert_eq!(meeting_stage(&out, "drafts").0, "unchanged");

    // A session removed from the meeting leaves the index and the drafts.
    fs::remove_dir_all(input.join("ws-003")).unwrap();
    assert_eq!(run(&[], &input, &out).status.code(), Some(0));
    let detail = meeting_stage(&out, "index").1;
    assert!(detail.starts_with("0 sessions indexed, 1 removed, 3 unchanged;"), "{detail}");
    assert!(!searches(&out)[5].contains("ws-003"));
    assert!(!out.join("sessions/ws-003").exists(), "outputs of a removed session are pruned");

    // New tracks change every session's key (and the drafts'): all recomputed.
    let tracks = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/meeting/tracks.toml");
    fs::copy(tracks, input.join("tracks.toml")).unwrap();
    assert_eq!(run(&[], &input, &out).status.code(), Some(0));
    assert!(report(&out)["sessions"].as_array().unwrap().iter().all(|s| s["status"] == "done"));
    assert_eq!(meeting_stage(&out, "drafts").0, "done");

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
    assert!(a.contains_key("drafts/messages.md"));
    assert!(a == b, "outputs differ between 1 and 2 threads");
    assert_eq!(searches(&one), searches(&two), "search results differ between 1 and 2 threads");
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
    // Shards index their sessions but leave the drafts to the merge.
    assert_eq!(meeting_stage(&shard_dirs[0], "drafts").0, "skipped");
    assert!(!shard_dirs[0].join("drafts").exists());
    assert!(shard_dirs[0].join("index/meta.json").is_file());
    let merged = tmp.path().join("merged");
    let out = rapporteur().arg("merge").args(&shard_dirs).arg("-o").arg(&merged).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let (a, b) = (tree(&whole), tree(&merged));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert!(a.contains_key("drafts/messages.json"));
    assert!(a == b, "merged shards differ from one run");
    assert_eq!(searches(&whole), searches(&merged), "the merged index answers differently");
    assert_eq!(report(&merged)["sessions"].as_array().unwrap().len(), 10);
    // The merged index already holds every session: nothing to re-index.
    assert_eq!(meeting_stage(&merged, "index").0, "unchanged");
    assert_eq!(meeting_stage(&merged, "drafts").0, "done");
    // A later run over the merged output recomputes nothing.
    let again = run(&[], &input, &merged);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(report(&merged)["sessions"].as_array().unwrap().iter().all(|s| s["status"] == "cached"));
    assert_eq!(meeting_stage(&merged, "drafts").0, "unchanged");
    assert_eq!(meeting_stage(&merged, "index").0, "unchanged");
}

/// The track labels of `OUT/drafts/messages.json`, in order.
fn draft_tracks(out: &Path) -> Vec<String> {
    let drafts: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("drafts/messages.json")).unwrap()).unwrap();
    drafts["tracks"].as_array().unwrap().iter().map(|t| t["track"].as_str().unwrap().to_string()).collect()
}

#[test]
fn declared_tracks_group_the_drafts_without_a_tracks_file() {
    let tmp = tempfile::tempdir().unwrap();
    let input = meeting(tmp.path(), 6);
    assert!(!input.join("tracks.toml").exists());
    let out = tmp.path().join("out");
    let result = run(&[], &input, &out);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    // Every session's findings carry the track its session.toml declares.
    for i in 0..6 {
        let path = out.join(format!("sessions/ws-{i:03}/findings.json"));
        let found: serde_json::Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let declared = ["Data", "Inclusion", "Trust"][i % 3];
        assert_eq!(found["track"], declared, "{}", path.display());
        for f in found["findings"].as_array().unwrap() {
            assert_eq!(f["track"], declared, "{f}");
        }
    }
    let tracks = draft_tracks(&out);
    assert!(!tracks.iter().any(|t| t == "Unassigned"), "{tracks:?}");
    let mut sorted = tracks.clone();
    sorted.sort();
    assert_eq!(sorted, ["Data", "Inclusion", "Trust"], "{tracks:?}");

    // A tracks file still wins: its labels, its order, its policy questions.
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/meeting/tracks.toml");
    fs::copy(file, input.join("tracks.toml")).unwrap();
    assert_eq!(run(&[], &input, &out).status.code(), Some(0));
    let drafts = fs::read_to_string(out.join("drafts/messages.json")).unwrap();
    assert!(drafts.contains("IGF 2020"), "the tracks file's meeting name is used");
    assert!(!draft_tracks(&out).iter().any(|t| t == "Unassigned"), "{:?}", draft_tracks(&out));
}

#[test]
fn merge_uses_the_shards_tracks_and_refuses_mixed_settings() {
    let tmp = tempfile::tempdir().unwrap();
    let input = meeting(tmp.path(), 8);
    // A tracks file outside the meeting folder, given with --tracks.
    let tracks = tmp.path().join("igf-tracks.toml");
    fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/meeting/tracks.toml"), &tracks).unwrap();
    let with_tracks = ["--tracks", tracks.to_str().unwrap()];
    let whole = tmp.path().join("whole");
    assert!(run(&with_tracks, &input, &whole).status.success());
    let mut shard_dirs = Vec::new();
    for k in 1..=2 {
        let dir = tmp.path().join(format!("shard{k}"));
        let shard = format!("{k}/2");
        let out = run(&[with_tracks[0], with_tracks[1], "--shard", &shard], &input, &dir);
        assert!(out.status.success(), "{}", stderr(&out));
        shard_dirs.push(dir);
    }
    // No --tracks: the merge drafts with the tracks recorded in the shards.
    let merged = tmp.path().join("merged");
    let out = rapporteur().arg("merge").args(&shard_dirs).arg("-o").arg(&merged).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(fs::read_to_string(merged.join("drafts/messages.json")).unwrap().contains("IGF 2020"));
    assert!(tree(&whole) == tree(&merged), "merged shards differ from one run");
    assert_eq!(report(&merged)["settings"]["tracks"]["name"], "igf-tracks.toml");
    // The same file given again is fine.
    let again = tmp.path().join("again");
    let out = rapporteur().arg("merge").args(&shard_dirs).arg("-o").arg(&again).args(with_tracks).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tree(&again) == tree(&merged));

    // Another tracks file than the shards': refused before anything is written.
    let other = tmp.path().join("other-tracks.toml");
    fs::write(&other, "[[track]]\nlabel = \"Other\"\nkeywords = { internet = 1 }\n").unwrap();
    let refused = tmp.path().join("refused");
    let out = rapporteur()
        .arg("merge")
        .args(&shard_dirs)
        .arg("-o")
        .arg(&refused)
        .arg("--tracks")
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the shards were run with another tracks file (igf-tracks.toml)"),
        "{}",
        stderr(&out)
    );
    assert!(!refused.exists());

    // Shards run with different tracks, or different rules, do not merge.
    let no_tracks = tmp.path().join("no-tracks");
    assert!(run(&["--shard", "2/2"], &input, &no_tracks).status.success());
    let out = rapporteur().arg("merge").arg(&shard_dirs[0]).arg(&no_tracks).arg("-o").arg(&refused).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("was run with tracks file igf-tracks.toml") && err.contains("with no tracks file"), "{err}");
    let other_rules = tmp.path().join("other-rules");
    let args = [with_tracks[0], with_tracks[1], "--shard", "2/2", "--disable", "igf.question.direct"];
    assert!(run(&args, &input, &other_rules).status.success());
    let out = rapporteur().arg("merge").arg(&shard_dirs[0]).arg(&other_rules).arg("-o").arg(&refused).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("the extract stage ran with other rules"), "{}", stderr(&out));
    assert!(!refused.exists());
}

#[test]
fn bad_shard_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let input = meeting(tmp.path(), 1);
    let out = run(&["--shard", "4/3"], &input, &tmp.path().join("o"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid shard `4/3`"), "{}", stderr(&out));
}

#[test]
fn a_killed_run_resumes_without_redoing_finished_sessions() {
    let tmp = tempfile::tempdir().unwrap();
    let input = meeting(tmp.path(), 120);
    let out = tmp.path().join("out");
    let mut child = rapporteur()
        .arg("run")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .args(["--threads", "1"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it (SIGKILL: no clean-up) once a few sessions are published.
    let finished = |out: &Path| -> usize {
        fs::read_dir(out.join("sessions"))
            .map(|d| {
                d.flatten()
                    .filter(|e| !e.file_name().to_string_lossy().starts_with('.') && e.path().join(".key").is_file())
                    .count()
            })
            .unwrap_or(0)
    };
    let started = std::time::Instant::now();
    while finished(&out) < 3 && started.elapsed() < std::time::Duration::from_secs(120) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let killed_midway = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    child.wait().unwrap();
    let before = finished(&out);
    assert!(before >= 3, "no session was published");

    let resumed = run(&["--threads", "2"], &input, &out);
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    let r = report(&out);
    let cached = r["sessions"].as_array().unwrap().iter().filter(|s| s["status"] == "cached").count();
    assert_eq!(r["sessions"].as_array().unwrap().len(), 120);
    // Every session finished before the kill is kept, not redone.
    assert!(cached >= before, "{cached} cached, {before} were finished");
    if killed_midway {
        assert!(cached < 120, "the first run was killed before the end, yet nothing was left to do");
    }
    // No leftovers of the killed run, and the result equals an uninterrupted run.
    let leftovers: Vec<_> = fs::read_dir(out.join("sessions"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let clean = tmp.path().join("clean");
    assert!(run(&[], &input, &clean).status.success());
    assert!(tree(&clean) == tree(&out), "the resumed run differs from an uninterrupted one");
    assert_eq!(searches(&clean), searches(&out));
}
