//! End-to-end tests of `rapporteur index` and `rapporteur search` through the
//! binary: folders of transcript and findings JSON in, text and JSON out,
//! incremental updates, filters, exit statuses and errors.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rapporteur() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rapporteur"))
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/search")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Copies the fixture folder into a fresh temporary folder and indexes it.
fn indexed() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    for name in ["ws-1.json", "ws-2.json", "ws-1.findings.json", "report.json"] {
        fs::copy(fixtures().join(name), data.join(name)).unwrap();
    }
    let index = dir.path().join("index");
    let out = rapporteur().arg("index").arg(&data).arg("--index").arg(&index).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    (dir, index)
}

fn search(index: &Path, args: &[&str]) -> Output {
    rapporteur().arg("search").args(args).arg("--index").arg(index).output().unwrap()
}

fn search_json(index: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--to", "json"]);
    let out = search(index, &all);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn total(results: &serde_json::Value) -> u64 {
    results["total"].as_u64().unwrap()
}

#[test]
fn index_reports_what_it_did_and_skips_other_json() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let out = rapporteur().arg("index").arg(fixtures()).arg("--index").arg(&index).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("indexed 2 sessions (6 segments, 2 findings) from 3 files into"), "{stderr}");
    assert!(stderr.contains("skipped 1 JSON files that are neither transcripts nor findings"), "{stderr}");
}

#[test]
fn text_output_matches_the_golden_file() {
    let (_dir, index) = indexed();
    let out = search(&index, &["\"meaningful connectivity\"", "--limit", "2"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let expected = fs::read_to_string(fixtures().join("meaningful-connectivity.txt")).unwrap();
    assert_eq!(text(&out.stdout), expected);
}

#[test]
fn json_output_has_times_snippets_and_facets() {
    let (_dir, index) = indexed();
    let results = search_json(&index, &["local content", "--doc", "segment"]);
    assert_eq!(total(&results), 1);
    let hit = &results["hits"][0];
    assert_eq!(hit["session"], "ws-1");
    assert_eq!(hit["start"], 20.0);
    assert_eq!(hit["end"], 24.0);
    assert_eq!(hit["speaker"], "ANA SILVA");
    assert_eq!(hit["snippet"]["highlights"], serde_json::json!([[0, 5], [6, 13]]));
    assert_eq!(results["facets"]["track"][0]["value"], "Data");
}

#[test]
fn filters_restrict_hits() {
    let (_dir, index) = indexed();
    // (arguments, expected total)
    let table: &[(&[&str], u64)] = &[
        (&["connectivity"], 3),
        (&["connectivity", "--track", "trust"], 1),
        (&["connectivity", "--kind", "takeaway"], 1),
        (&["governments", "--kind", "RECOMMENDATION"], 1),
        (&["connectivity", "--speaker", "ana silva"], 2),
        (&["connectivity", "--session", "ws-2"], 1),
        (&["", "--session", "ws-2"], 3),
        (&["", "--doc", "session"], 2),
        (&["cybersecurity AND NOT trust"], 0),
        // English stemming: "governments" also finds "governance" (both `govern`).
        (&["cybersecurity OR governments"], 6),
        // The session document names its speakers too.
        (&["speaker:doe"], 3),
    ];
    for (args, expected) in table {
        assert_eq!(total(&search_json(&index, args)), *expected, "search {args:?}");
    }
}

#[test]
fn reindexing_one_session_replaces_only_that_session() {
    let (dir, index) = indexed();
    let changed = dir.path().join("ws-2.json");
    let json =
        fs::read_to_string(fixtures().join("ws-2.json")).unwrap().replace("Cybersecurity norms", "Spectrum policy");
    fs::write(&changed, json).unwrap();
    let out = rapporteur().arg("index").arg(&changed).arg("--index").arg(&index).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(total(&search_json(&index, &["spectrum"])), 1);
    assert_eq!(total(&search_json(&index, &["norms", "--doc", "segment"])), 0);
    // The other session and the findings are untouched.
    assert_eq!(total(&search_json(&index, &["", "--session", "ws-1"])), 7);
}

#[test]
fn captions_output_can_be_indexed_directly() {
    let dir = tempfile::tempdir().unwrap();
    let vtt = dir.path().join("ws-77.vtt");
    fs::write(
        &vtt,
        "WEBVTT\n\n00:01:02.000 --> 00:01:05.000\n<v Amina Diallo>Community networks close the digital divide.\n",
    )
    .unwrap();
    let transcripts = dir.path().join("transcripts");
    let out = rapporteur().arg("captions").arg(&vtt).args(["--to", "json", "-o"]).arg(&transcripts).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let index = dir.path().join("index");
    let out = rapporteur().arg("index").arg(&transcripts).arg("--index").arg(&index).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let results = search_json(&index, &["\"digital divide\""]);
    assert_eq!(total(&results), 1);
    assert_eq!(results["hits"][0]["session"], "ws-77");
    assert_eq!(results["hits"][0]["start"], 62.0);
    assert_eq!(results["hits"][0]["speaker"], "Amina Diallo");
}

#[test]
fn a_broken_file_fails_alone_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    fs::copy(fixtures().join("ws-2.json"), data.join("ws-2.json")).unwrap();
    fs::write(data.join("bad.json"), "{\"session\": {\"id\": \"x\"},\n \"segments\": [1]\n}").unwrap();
    let index = dir.path().join("index");
    let out = rapporteur().arg("index").arg(&data).arg("--index").arg(&index).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("bad.json:2:"), "{stderr}");
    // ws-2 is indexed all the same: its session (by title) and one segment.
    assert_eq!(total(&search_json(&index, &["cybersecurity"])), 2);
}

#[test]
fn bad_queries_and_missing_indexes_are_clear_errors() {
    let (dir, index) = indexed();
    let out = search(&index, &["speaker:"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("error: cannot read the query `speaker:`"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    let out = search(&dir.path().join("nowhere"), &["data"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no search index at"), "{}", text(&out.stderr));

    let out = search(&index, &["data", "--limit", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let out = rapporteur().arg("index").arg(dir.path().join("missing")).arg("--index").arg(&index).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("missing"), "{}", text(&out.stderr));
}

#[test]
fn no_results_is_not_an_error() {
    let (_dir, index) = indexed();
    let out = search(&index, &["zebra"]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "no results for \"zebra\"\n");
}
