//! The whole drafting run on the findings of a small meeting
//! (fixtures/draft/findings, written by `rapporteur extract` from
//! fixtures/meeting), with TF-IDF vectors so that the result does not depend
//! on the model being installed. Outputs are compared with golden files;
//! `UPDATE_GOLDEN=1 cargo test -p rapporteur-draft --test pipeline` rewrites them.

use std::path::{Path, PathBuf};

use rapporteur_draft::embed::{EmbedOptions, Embedder};
use rapporteur_draft::render::{self, Format};
use rapporteur_draft::wording::content_words_supported;
use rapporteur_draft::{draft, Draft, DraftOptions, Meeting};
use rapporteur_extract::Tracks;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/draft")
}

fn meeting() -> Meeting {
    let mut meeting = Meeting::default();
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(fixtures().join("findings")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files {
        meeting.add_file(&f).unwrap();
    }
    meeting
}

fn tracks() -> Tracks {
    Tracks::from_toml(&std::fs::read_to_string(fixtures().join("tracks.toml")).unwrap(), "tracks.toml").unwrap()
}

fn run(options: &DraftOptions) -> Draft {
    let mut embedder = Embedder::new(EmbedOptions { force_tfidf: true, ..EmbedOptions::default() });
    draft(&meeting(), Some(&tracks()), &mut embedder, options).unwrap()
}

fn golden(name: &str, actual: &[u8]) {
    let path = fixtures().join("golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{} differs from the output (UPDATE_GOLDEN=1 to accept):\n{}",
        path.display(),
        String::from_utf8_lossy(actual)
    );
}

#[test]
fn outputs_match_golden_files() {
    let d = run(&DraftOptions::default());
    golden("messages.md", &render::render(&d, Format::Markdown).unwrap());
    golden("messages.html", &render::render(&d, Format::Html).unwrap());
    golden("messages.json", &render::render(&d, Format::Json).unwrap());
}

#[test]
fn every_message_is_traceable_and_invents_nothing() {
    let d = run(&DraftOptions::default());
    assert!(d.metrics.messages > 0);
    assert!(d.notes.iter().any(|n| n.contains("TF-IDF")), "the fallback must be said: {:?}", d.notes);
    for m in d.messages() {
        assert!(m.text.split_whitespace().count() <= 70, "{}", m.text);
        let used: Vec<&str> = m.sources.iter().filter(|s| s.used).map(|s| s.quote.as_str()).collect();
        assert!(!used.is_empty(), "{} has no source", m.id);
        assert!(content_words_supported(&m.text, &used), "{}: words not in its quotes: {}", m.id, m.text);
        assert!(!m.text.contains(" I ") && !m.text.starts_with("I "), "first person in {}", m.text);
    }
    // Tracks come in the tracks file's order.
    let order: Vec<&str> = d.tracks.iter().map(|t| t.track.as_str()).collect();
    let file: Vec<String> = tracks().tracks.iter().map(|t| t.label.clone()).collect();
    let mut in_file: Vec<&str> = order.iter().copied().filter(|t| file.iter().any(|f| f == t)).collect();
    let expected: Vec<&str> = file.iter().map(String::as_str).filter(|f| in_file.contains(f)).collect();
    assert_eq!(in_file, expected);
    in_file.clear();
}

#[test]
fn quotes_only_keeps_exact_quotes() {
    let mut options = DraftOptions::default();
    options.compose.quotes_only = true;
    let d = run(&options);
    for m in d.messages() {
        let used = m.sources.iter().find(|s| s.used).unwrap();
        assert_eq!(m.text, used.quote.split_whitespace().collect::<Vec<_>>().join(" "));
    }
}

#[test]
fn docx_is_a_zip_with_footnotes() {
    let d = run(&DraftOptions::default());
    let bytes = render::render(&d, Format::Docx).unwrap();
    assert_eq!(&bytes[..2], b"PK");
    // Deterministic: the same draft gives the same bytes.
    assert_eq!(bytes, render::render(&d, Format::Docx).unwrap());
    let text = String::from_utf8_lossy(&bytes);
    for part in ["word/document.xml", "word/footnotes.xml", "word/styles.xml", "[Content_Types].xml"] {
        assert!(text.contains(part), "missing {part}");
    }
}

#[test]
fn options_out_of_range_are_refused() {
    let mut options = DraftOptions { min_messages: 9, max_messages: 3, ..DraftOptions::default() };
    assert!(options.validate().is_err());
    options = DraftOptions { threshold: Some(3.0), ..DraftOptions::default() };
    assert!(options.validate().unwrap_err().to_string().contains("--threshold"));
}

#[test]
fn bad_findings_files_name_the_position() {
    let mut m = Meeting::default();
    let err = m.add_json("{\n  \"session\": 3,\n", "x.findings.json").unwrap_err().to_string();
    assert!(err.starts_with("x.findings.json:3:"), "{err}");
    let err = m.add_json("{\"session\": {\"id\": \"a\"}}", "y.json").unwrap_err().to_string();
    assert!(err.contains("missing field"), "{err}");
}
