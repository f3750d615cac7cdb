//! End-to-end tests of `rapporteur draft`: formats, stdout, exit statuses,
//! bad inputs. TF-IDF vectors keep them independent of the model; one test
//! uses the model when it is installed and says so when it is not.

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
    // The DOCX opens in LibreOffice when it is installed (it is not installed for this test).
    if which("libreoffice") {
        let pdf = Command::new("libreoffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(out.path())
            .arg(out.path().join("messages.docx"))
            .output()
            .unwrap();
        assert!(pdf.status.success() && out.path().join("messages.pdf").exists(), "{}", stderr(&pdf));
    } else {
        eprintln!("SKIPPED: libreoffice not installed; DOCX not opened");
    }
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
        .unwrap_or(false)
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
