//! Table-driven snapshot tests: inputs in `fixtures/extract/`, expected
//! outputs in files beside them, compared exactly. Set `UPDATE_SNAPSHOTS=1`
//! to rewrite the expected files after a deliberate change (then review the
//! diff before committing).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use rapporteur_captions::read::{read_path, ReadOptions};
use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript};
use rapporteur_extract::reports::{detect_format, parse};
use rapporteur_extract::rules::{check, RuleSource};
use rapporteur_extract::{Extractor, Finding, RuleSet, SessionFindings, Tracks};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/extract")
}

/// Compares `actual` with the file at `path` (or writes it when updating).
fn assert_snapshot(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        fs::write(path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_SNAPSHOTS=1 to create it)", path.display()));
    if expected != actual {
        panic!("{} differs from the output:\n--- expected\n{expected}\n--- actual\n{actual}", path.display());
    }
}

fn render_finding(out: &mut String, f: &Finding) {
    let when = f.start.map(|t| format!("[{}] ", t.to_clock())).unwrap_or_default();
    let who = f.speaker.as_deref().unwrap_or("-");
    let _ = writeln!(out, "{when}{} <{}> {who}: {}", f.kind, f.rule, f.text);
    if f.quote != f.text {
        let _ = writeln!(out, "    quote: {}", f.quote.replace('\n', " / "));
    }
    if let Some(e) = &f.explain {
        let quoted = f.quote.get(e.quote_span[0]..e.quote_span[1]).unwrap_or("?");
        let _ = writeln!(out, "    matched: {:?} (quote: {quoted:?}) by {:?}", e.matched, e.pattern);
    }
    if let Some(t) = &f.track {
        let _ = writeln!(out, "    track: {t} ({:.3})", f.track_confidence.unwrap_or(0.0));
    }
}

fn render(found: &SessionFindings) -> String {
    let mut out = format!("session {}", found.session.id);
    if let Some(t) = &found.track {
        let _ = write!(out, " track {t} ({:.3})", found.track_confidence.unwrap_or(0.0));
    }
    out.push('\n');
    for f in &found.findings {
        render_finding(&mut out, f);
    }
    for d in &found.diagnostics {
        let _ = writeln!(out, "diagnostic: {d}");
    }
    out
}

fn tracks() -> Tracks {
    let text = fs::read_to_string(fixtures().join("../tracks/igf2020.toml")).unwrap();
    Tracks::from_toml(&text, "igf2020.toml").unwrap()
}

#[test]
fn sentences_table() {
    let extractor = Extractor::new(RuleSet::builtin().unwrap()).with_explain(true);
    let table = fs::read_to_string(fixtures().join("sentences.txt")).unwrap();
    let mut out = String::new();
    for line in table.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let (speaker, text) = line.split_once(" | ").unwrap_or((">>", line));
        let speaker = (speaker != ">>").then(|| speaker.to_string());
        let mut t = Transcript::new(Session::new("t"));
        t.segments.push(Segment::new(
            Time::ZERO,
            Time::from_millis(5000),
            speaker,
            text,
            Source::Caption,
            Timing::Exact,
        ));
        let found = extractor.extract(&t);
        let _ = writeln!(out, "{text}");
        if found.findings.is_empty() {
            let _ = writeln!(out, "  -> none");
        }
        for f in &found.findings {
            let m = f.explain.as_ref().map(|e| e.matched.as_str()).unwrap_or("");
            let _ = writeln!(out, "  -> {} <{}> {m:?}", f.kind, f.rule);
            if f.text != text {
                let _ = writeln!(out, "     cleaned: {}", f.text);
            }
        }
    }
    assert_snapshot(&fixtures().join("snapshots/sentences.snap"), &out);
}

#[test]
fn sessions() {
    let extractor = Extractor::new(RuleSet::builtin().unwrap()).with_explain(true).with_tracks(tracks());
    for name in ["ws-101.txt", "of-7.vtt"] {
        let (transcript, _) = read_path(&fixtures().join("sessions").join(name), &ReadOptions::default()).unwrap();
        let found = extractor.extract(&transcript);
        assert_snapshot(&fixtures().join("snapshots").join(format!("{name}.snap")), &render(&found));
    }
}

#[test]
fn reports() {
    let extractor = Extractor::new(RuleSet::builtin().unwrap()).with_tracks(tracks());
    for name in ["ws-101.md", "of-7-report.txt", "hl-3.html", "no-sections.md"] {
        let path = fixtures().join("reports").join(name);
        let text = fs::read_to_string(&path).unwrap();
        let report = parse(&text, name, detect_format(&text, name));
        let mut out = format!("title: {:?}\n", report.title);
        for item in &report.items {
            let _ = writeln!(out, "line {} [{}] {}: {}", item.line, item.section, item.kind, item.text);
        }
        let session = Session::new(Session::id_from(name.split('.').next().unwrap_or(name)));
        out.push_str(&render(&extractor.extract_session(session, None, &[report])));
        assert_snapshot(&fixtures().join("snapshots").join(format!("{name}.snap")), &out);
    }
}

#[test]
fn rules_check_errors() {
    for name in ["bad.toml", "good.toml"] {
        let path = fixtures().join("rules").join(name);
        let text = fs::read_to_string(&path).unwrap();
        let diagnostics = check(&RuleSource::new(format!("rules/{name}"), text));
        let out: String = diagnostics.iter().map(|d| format!("{d}\n")).collect();
        assert_snapshot(&fixtures().join("snapshots").join(format!("rules-{name}.errors")), &out);
    }
}
