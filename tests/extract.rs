//! End-to-end tests of `rapporteur extract`, `rapporteur rules` and
//! `rapporteur eval extract` through the binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rapporteur() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rapporteur"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(path: &str) -> PathBuf {
    root().join("fixtures").join(path)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

#[test]
fn transcript_and_report_make_one_session_with_draft() {
    let dir = tempfile::tempdir().unwrap();
    let out = rapporteur()
        .arg("extract")
        .arg(fixture("extract/sessions/ws-101.txt"))
        .arg(fixture("extract/reports/ws-101.md"))
        .arg(fixture("extract/sessions/of-7.vtt"))
        .arg("--tracks")
        .arg(fixture("tracks/igf2020.toml"))
        .arg("--meta")
        .arg(fixture("extract/meta.toml"))
        .arg("--explain")
        .arg("-o")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let found = json(&dir.path().join("ws-101.findings.json"));
    assert_eq!(found["session"]["title"], "Community Networks and Meaningful Access");
    // Declared in the metadata: the declared track wins, with confidence 1.
    assert_eq!(found["track"], "Inclusion");
    assert_eq!(found["track_confidence"], 1.0);
    let findings = found["findings"].as_array().unwrap();
    let rec = findings.iter().find(|f| f["kind"] == "recommendation" && f["source"] == "caption").unwrap();
    assert_eq!(rec["speaker"], "MS. DIALLO");
    assert!(rec["start"].as_f64().unwrap() > 0.0);
    assert_eq!(rec["explain"]["matched"], "should");
    assert!(rec["quote"].as_str().unwrap().contains("I think -- I think"), "{rec}");
    let from_report: Vec<_> = findings.iter().filter(|f| f["source"] == "report").collect();
    assert_eq!(from_report.len(), 4, "{from_report:?}");
    assert!(from_report.iter().all(|f| f["start"].is_null() && f["speaker"].is_null()));
    // The moderator's housekeeping and the negated recommendation found nothing.
    assert!(!findings.iter().any(|f| f["text"].as_str().unwrap().contains("Can you hear me")));
    assert!(!findings.iter().any(|f| f["text"].as_str().unwrap().contains("no need to create")));

    let draft = fs::read_to_string(dir.path().join("ws-101.md")).unwrap();
    assert!(draft.starts_with("# Session report draft: Community Networks and Meaningful Access\n"), "{draft}");
    assert!(draft.contains("## Key takeaways\n"), "{draft}");
    assert!(draft.contains("## Call to action\n"), "{draft}");
    assert!(draft.contains("\u{2014} MS. DIALLO [00:00:"), "{draft}");
    assert!(draft.contains("\u{2014} session report"), "{draft}");

    let of7 = json(&dir.path().join("of-7.findings.json"));
    assert_eq!(of7["track"], "Environment");
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_bad_input_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.vtt");
    fs::write(&bad, b"\x00\x01\x02binary").unwrap();
    let out_dir = dir.path().join("out");
    let out = rapporteur()
        .arg("extract")
        .arg(&bad)
        .arg(fixture("extract/sessions/of-7.vtt"))
        .arg("--to")
        .arg("json")
        .arg("-o")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("broken.vtt"), "{}", stderr(&out));
    assert!(out_dir.join("of-7.findings.json").exists());
    assert!(!out_dir.join("of-7.md").exists());
}

#[test]
fn report_without_sections_warns() {
    let dir = tempfile::tempdir().unwrap();
    let out = rapporteur()
        .arg("extract")
        .arg("--report")
        .arg(fixture("extract/reports/no-sections.md"))
        .arg("-o")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: no Key Takeaways, Call to Action or Policy recommendations section found"),
        "{}",
        stderr(&out)
    );
    let found = json(&dir.path().join("no-sections.findings.json"));
    assert_eq!(found["findings"].as_array().unwrap().len(), 0);
    assert_eq!(found["diagnostics"][0]["severity"], "warning");
}

#[test]
fn bad_rules_stop_extraction_with_every_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = rapporteur()
        .arg("extract")
        .arg(fixture("extract/sessions/of-7.vtt"))
        .arg("--rules")
        .arg(fixture("extract/rules/bad.toml"))
        .arg("-o")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("bad.toml:7:29: error: bad regular expression"), "{err}");
    assert!(err.contains("bad.toml:26:13: error: max_words (3) is less than min_words (9)"), "{err}");
}

#[test]
fn rules_check_prints_every_error() {
    let out = rapporteur().args(["rules", "check"]).arg(fixture("extract/rules/bad.toml")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<String> = stdout(&out).lines().map(String::from).collect();
    assert_eq!(lines.iter().filter(|l| l.contains(": error: ")).count(), 10, "{lines:#?}");
    let good = rapporteur().args(["rules", "check"]).arg(fixture("extract/rules/good.toml")).output().unwrap();
    assert!(good.status.success(), "{}", stdout(&good));
    assert_eq!(stdout(&good), "");
}

#[test]
fn organisation_rules_layer_and_disable() {
    let out = rapporteur()
        .args(["rules", "list", "--rules"])
        .arg(fixture("extract/rules/good.toml"))
        .args(["--disable", "igf.question.direct"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list = stdout(&out);
    assert!(list.contains("org.rec.advice"), "{list}");
    assert!(!list.contains("igf.rec.wish"), "{list}");
    assert!(!list.contains("igf.question.direct"), "{list}");
}

#[test]
fn eval_meets_the_targets_on_the_held_out_set() {
    let out = rapporteur().args(["eval", "extract", "--json"]).arg(fixture("eval/heldout.jsonl")).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kind = |k: &str| report["kinds"].as_array().unwrap().iter().find(|r| r["kind"] == k).cloned().unwrap();
    for k in ["recommendation", "call_to_action"] {
        let row = kind(k);
        assert!(row["precision"].as_f64().unwrap() >= 0.85, "{k}: {row}");
        assert!(row["recall"].as_f64().unwrap() >= 0.75, "{k}: {row}");
    }
    let table = rapporteur().args(["eval", "extract"]).arg(fixture("eval/dev.jsonl")).output().unwrap();
    assert!(stdout(&table).starts_with("kind "), "{}", stdout(&table));
    assert!(stdout(&table).contains("recommendation"));
}

/// A report as Word saves it (scripts/make-docx-report.py, python-docx):
/// heading styles, a bold-line heading, bulleted and numbered lists, a table.
#[test]
fn a_word_report_gives_its_items_as_findings() {
    let dir = tempfile::tempdir().unwrap();
    let docx = fixture("extract/reports/ws-230-report.docx");
    let out = rapporteur().arg("extract").arg(&docx).args(["--to", "json,md", "-o"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let found = json(&dir.path().join("ws-230-report.findings.json"));
    let items: Vec<(String, String)> = found["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap().to_string(), f["text"].as_str().unwrap().to_string()))
        .collect();
    let kinds: Vec<&str> = items.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["takeaway", "takeaway", "takeaway", "call_to_action", "call_to_action"], "{items:?}");
    assert!(items[1].1.starts_with("Affordability, not coverage, is now the main barrier"), "{items:?}");
    assert!(items[4].1.contains("training of local technicians"), "{items:?}");
    assert!(found["findings"].as_array().unwrap().iter().all(|f| f["source"] == "report"));

    // A damaged DOCX is an error naming the file; the other input still works.
    let broken = dir.path().join("broken.docx");
    let bytes = fs::read(&docx).unwrap();
    fs::write(&broken, &bytes[..bytes.len() / 2]).unwrap();
    let out = rapporteur()
        .arg("extract")
        .arg(&broken)
        .arg(fixture("extract/reports/ws-101.md"))
        .args(["--to", "json", "-o"])
        .arg(dir.path().join("second"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("broken.docx: error: not a readable DOCX file"), "{}", stderr(&out));
    assert!(dir.path().join("second/ws-101.findings.json").is_file());
}
