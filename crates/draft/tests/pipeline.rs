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

/// Checks that `xml` is well-formed XML 1.0 (one root, tags nested and
/// closed, attributes quoted, only the predefined or numeric entities) and
/// returns the start tags' names in order. Enough to catch what breaks Word:
/// an unescaped `&` or `<`, a tag left open, a stray control character.
fn well_formed(xml: &str, part: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut names = Vec::new();
    let mut roots = 0;
    let mut rest = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    if let Some(r) = rest.strip_prefix("<?xml") {
        rest = &r[r.find("?>").unwrap_or_else(|| panic!("{part}: unterminated XML declaration")) + 2..];
    }
    let check_text = |text: &str| {
        assert!(
            !text.chars().any(|c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')),
            "{part}: control character in {text:?}"
        );
        let mut t = text;
        while let Some(i) = t.find('&') {
            let end = t[i..].find(';').unwrap_or_else(|| panic!("{part}: bare & in {text:?}"));
            let entity = &t[i + 1..i + end];
            assert!(
                ["amp", "lt", "gt", "quot", "apos"].contains(&entity)
                    || entity.strip_prefix('#').is_some_and(|n| n.parse::<u32>().is_ok()
                        || n.strip_prefix('x').is_some_and(|h| u32::from_str_radix(h, 16).is_ok())),
                "{part}: unknown entity &{entity}; in {text:?}"
            );
            t = &t[i + end + 1..];
        }
    };
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        if stack.is_empty() {
            assert!(text.trim().is_empty(), "{part}: text outside the root: {text:?}");
        }
        check_text(text);
        let gt = rest[lt..].find('>').unwrap_or_else(|| panic!("{part}: unterminated tag")) + lt;
        let tag = &rest[lt + 1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("{part}: </{name}> closes nothing"));
            assert_eq!(open, name.trim(), "{part}: <{open}> closed by </{name}>");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let body = tag.trim_end_matches('/');
        let name: String = body.chars().take_while(|c| !c.is_whitespace()).collect();
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || matches!(c, ':' | '_' | '-' | '.')),
            "{part}: bad tag name in <{tag}>"
        );
        // Attributes: name="value" pairs, values without < and with valid entities.
        let mut attrs = body[name.len()..].trim();
        while !attrs.is_empty() {
            let eq = attrs.find('=').unwrap_or_else(|| panic!("{part}: attribute without value in <{tag}>"));
            let quote = attrs[eq + 1..].chars().next().unwrap_or(' ');
            assert!(quote == '"' || quote == '\'', "{part}: unquoted attribute in <{tag}>");
            let close =
                attrs[eq + 2..].find(quote).unwrap_or_else(|| panic!("{part}: unclosed attribute in <{tag}>")) + eq + 2;
            let value = &attrs[eq + 2..close];
            assert!(!value.contains('<'), "{part}: < in attribute of <{tag}>");
            check_text(value);
            attrs = attrs[close + 1..].trim_start();
        }
        if stack.is_empty() {
            roots += 1;
        }
        names.push(name.clone());
        if !self_closing {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "{part}: unclosed {stack:?}");
    assert!(rest.trim().is_empty(), "{part}: text after the root");
    assert_eq!(roots, 1, "{part}: {roots} root elements");
    names
}

#[test]
fn docx_is_a_valid_word_package_with_footnotes() {
    use std::io::Read;
    let d = run(&DraftOptions::default());
    let bytes = render::render(&d, Format::Docx).unwrap();
    // Deterministic: the same draft gives the same bytes.
    assert_eq!(bytes, render::render(&d, Format::Docx).unwrap());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut parts = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap_or_else(|e| panic!("{}: not UTF-8 text: {e}", file.name()));
        parts.insert(file.name().to_string(), text);
    }
    for (name, xml) in &parts {
        well_formed(xml, name);
    }
    // Every part is typed, and every relationship points at a part.
    let types = &parts["[Content_Types].xml"];
    for name in parts.keys().filter(|n| !n.ends_with(".rels") && *n != "[Content_Types].xml") {
        assert!(types.contains(&format!("PartName=\"/{name}\"")), "{name} has no content type");
    }
    for (rels, base) in [("_rels/.rels", ""), ("word/_rels/document.xml.rels", "word/")] {
        for target in parts[rels].split("Target=\"").skip(1).map(|t| &t[..t.find('"').unwrap()]) {
            assert!(parts.contains_key(&format!("{base}{target}")), "{rels} points at missing {target}");
        }
    }
    // One footnote per message, each referenced once from the body, in order.
    let document = &parts["word/document.xml"];
    let footnotes = &parts["word/footnotes.xml"];
    let messages = d.metrics.messages;
    assert!(messages > 0);
    for n in 1..=messages {
        assert_eq!(document.matches(&format!("<w:footnoteReference w:id=\"{n}\"/>")).count(), 1, "reference {n}");
        assert_eq!(footnotes.matches(&format!("<w:footnote w:id=\"{n}\">")).count(), 1, "footnote {n}");
    }
    assert!(!footnotes.contains(&format!("w:id=\"{}\"", messages + 1)));
    // The messages' text is in the body, tracks as headings.
    for m in d.messages() {
        let escaped = m.text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
        assert!(document.contains(&escaped), "{} not in document.xml", m.id);
    }
    for t in &d.tracks {
        assert!(document.contains(&format!(
            "<w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t xml:space=\"preserve\">{}</w:t>",
            t.track
        )));
    }
}

#[test]
fn xml_checker_catches_broken_xml() {
    for bad in ["<a><b></a></b>", "<a>x & y</a>", "<a b=c/>", "<a></a><b/>", "<a>", "<a>\u{1}</a>"] {
        assert!(std::panic::catch_unwind(|| well_formed(bad, "t")).is_err(), "{bad:?} passed");
    }
    assert_eq!(well_formed("<?xml version=\"1.0\"?>\n<a x='1'><b/>&amp;&#38;</a>", "t"), ["a", "b"]);
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
