//! End-to-end tests of `rapporteur draft`: formats, stdout, exit statuses,
//! bad inputs, and `rapporteur eval rouge`. TF-IDF vectors keep them
//! independent of the model; one test uses the model when it is installed
//! (required when RAPPORTEUR_REQUIRE_ALL is set, as in `make test`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rapporteur() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rapporteur"));
    // Never touch the user's cache from tests.
    c.env("RAPPORTEUR_CACHE", std::env::temp_dir().join(format!("rapporteur-draft-test-{}", std::process::id())));
    c
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn findings() -> PathBuf {
    root().join("fixtures/draft/findings")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn writes_every_format() {
    let out = tempfile::tempdir().unwrap();
    let o = rapporteur()
        .arg("draft")
        .arg(findings())
        .args(["--tracks"])
        .arg(root().join("fixtures/draft/tracks.toml"))
        .args(["--tfidf", "--to", "md,html,json,docx", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    for ext in ["md", "html", "json", "docx"] {
        let p = out.path().join(format!("messages.{ext}"));
        assert!(p.metadata().map(|m| m.len() > 100).unwrap_or(false), "missing or empty {}", p.display());
    }
    let md = std::fs::read_to_string(out.path().join("messages.md")).unwrap();
    assert!(md.starts_with("# Draft IGF Messages"), "{md}");
    assert!(md.contains("[^1]: "), "sources as footnotes: {md}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("messages.json")).unwrap()).unwrap();
    assert_eq!(json["embeddings"]["name"], "tfidf");
    assert!(json["metrics"]["messages"].as_u64().unwrap() > 0);
    assert!(stderr(&o).contains("draft: "), "{}", stderr(&o));
    // The DOCX package itself is checked part by part in
    // crates/draft/tests/pipeline.rs; here, that the binary wrote a zip.
    assert_eq!(&std::fs::read(out.path().join("messages.docx")).unwrap()[..2], b"PK");
}

fn required() -> bool {
    std::env::var_os("RAPPORTEUR_REQUIRE_ALL").is_some_and(|v| !v.is_empty() && v != "0")
}

#[test]
fn markdown_on_stdout() {
    let o = rapporteur().arg("draft").arg(findings()).args(["--tfidf", "--to", "md", "-o", "-"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("# Draft IGF Messages"));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["--to", "pdf", "-o", "x"],
        vec!["--to", "docx", "-o", "-"],
        vec!["--min", "9", "--max", "3", "-o", "x"],
        vec!["--max-words", "3", "-o", "x"],
    ] {
        let o = rapporteur().arg("draft").arg(findings()).args(["--tfidf"]).args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_bad_input_fails_but_the_others_are_drafted() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.findings.json");
    std::fs::write(&bad, "{\"session\": 1").unwrap();
    let out = dir.path().join("out");
    let o = rapporteur()
        .arg("draft")
        .arg(findings())
        .arg(&bad)
        .args(["--tfidf", "--to", "json", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("bad.findings.json:1:"), "{}", stderr(&o));
    assert!(out.join("messages.json").exists());
    // Only bad inputs: nothing to draft.
    let o = rapporteur().arg("draft").arg(&bad).args(["--tfidf", "-o"]).arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn with_the_model_when_installed() {
    let local = root().join("models/all-MiniLM-L6-v2");
    if !local.join("model.safetensors").is_file() {
        assert!(
            !required(),
            "RAPPORTEUR_REQUIRE_ALL is set but all-MiniLM-L6-v2 is not installed (scripts/install-embeddings.sh)"
        );
        eprintln!("SKIPPED: all-MiniLM-L6-v2 not installed (scripts/install-embeddings.sh)");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let o = rapporteur()
        .arg("draft")
        .arg(findings())
        .arg("--embeddings")
        .arg(&local)
        .args(["--to", "json", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("messages.json")).unwrap()).unwrap();
    assert_eq!(json["embeddings"]["name"], "all-MiniLM-L6-v2");
}

/// `rapporteur eval rouge` gives the figures of Google's rouge-score on the
/// pairs of fixtures/draft/rouge-reference.json (benches/draft_quality/rouge_reference.py).
#[test]
fn eval_rouge_matches_rouge_score() {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("fixtures/draft/rouge-reference.json")).unwrap())
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for (i, item) in json["items"].as_array().unwrap().iter().enumerate() {
        let (c, r) = (item["candidate"].as_str().unwrap(), item["reference"].as_str().unwrap());
        if c.trim().is_empty() {
            continue;
        }
        let (cp, rp) = (dir.path().join(format!("c{i}.txt")), dir.path().join(format!("r{i}.txt")));
        std::fs::write(&cp, c).unwrap();
        std::fs::write(&rp, r).unwrap();
        let o = rapporteur().args(["eval", "rouge"]).arg(&cp).arg(&rp).arg("--json").output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let got: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        for metric in ["rouge1", "rouge2", "rougeL", "rougeLsum"] {
            for part in ["precision", "recall", "f1"] {
                let (g, w) = (got[metric][part].as_f64().unwrap(), item["scores"][metric][part].as_f64().unwrap());
                assert!((g - w).abs() < 1e-9, "pair {i} {metric} {part}: {g} vs rouge-score {w}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 5);
}

/// A draft's messages.json against Markdown reference messages: scored track
/// by track, with the macro average; --track picks one.
#[test]
fn eval_rouge_by_track() {
    let dir = tempfile::tempdir().unwrap();
    let o = rapporteur()
        .arg("draft")
        .arg(findings())
        .arg("--tracks")
        .arg(root().join("fixtures/draft/tracks.toml"))
        .args(["--tfidf", "--to", "json,md", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let reference = dir.path().join("reference.md");
    std::fs::write(
        &reference,
        "# Reference\n\n## Data\n\n<!-- sessions -->\n- Data protection authorities need resources and independence.\n- Health data collected during the pandemic must be deleted\n  when no longer needed.\n\n## Trust\n\n- States must refrain from attacking critical infrastructure.\n",
    )
    .unwrap();
    let o = rapporteur()
        .args(["eval", "rouge"])
        .arg(dir.path().join("messages.json"))
        .arg(&reference)
        .arg("--json")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let got: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let tracks = got["tracks"].as_object().unwrap();
    assert_eq!(tracks.keys().collect::<Vec<_>>(), ["Data", "Trust"]);
    let avg = got["macro_average"]["rouge1"]["f1"].as_f64().unwrap();
    let mean =
        (tracks["Data"]["rouge1"]["f1"].as_f64().unwrap() + tracks["Trust"]["rouge1"]["f1"].as_f64().unwrap()) / 2.0;
    assert!((avg - mean).abs() < 1e-12 && avg > 0.0, "{got}");
    // The Markdown draft reads the same as its JSON.
    let o2 = rapporteur()
        .args(["eval", "rouge"])
        .arg(dir.path().join("messages.md"))
        .arg(&reference)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o2.stdout), String::from_utf8_lossy(&o.stdout));
    // One track, as a table.
    let o = rapporteur()
        .args(["eval", "rouge"])
        .arg(dir.path().join("messages.json"))
        .arg(&reference)
        .args(["--track", "trust"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("rougeLsum"));
    // A track neither side has is a usage error.
    let o = rapporteur()
        .args(["eval", "rouge"])
        .arg(dir.path().join("messages.json"))
        .arg(&reference)
        .args(["--track", "Space"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
