//! End-to-end tests through the `rapporteur` binary.

use std::process::Command;

fn rapporteur() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rapporteur"))
}

#[test]
fn help_shows_examples() {
    let out = rapporteur().args(["captions", "--help"]).output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("Examples:"), "{help}");
}

#[test]
fn unknown_format_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = rapporteur().args(["captions", "x.vtt", "--to", "doc", "-o"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown output format `doc`"));
}
