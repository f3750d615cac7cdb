//! Golden tests of the writers: every transcript in `fixtures/captions/writers`
//! is written as WebVTT, SRT, plain text and Markdown and compared exactly with
//! the files beside it. `UPDATE_GOLDEN=1 cargo test` rewrites those files
//! (check the difference by eye before committing it).

use std::fs;
use std::path::{Path, PathBuf};

use rapporteur_captions::write::{self, OutputFormat, WriteOptions};
use rapporteur_core::Transcript;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/captions/writers");
    let mut inputs: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 3, "writer fixtures missing in {}", dir.display());
    inputs
}

fn transcript(path: &Path) -> Transcript {
    let text = fs::read_to_string(path).unwrap();
    Transcript::from_json_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn writers_match_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for input in fixtures() {
        let t = transcript(&input);
        for format in [OutputFormat::Vtt, OutputFormat::Srt, OutputFormat::Txt, OutputFormat::Md] {
            let got = write::to_string(&t, format, &WriteOptions::default()).unwrap();
            let golden = input.with_extension(format.extension());
            if update {
                fs::write(&golden, &got).unwrap();
                continue;
            }
            match fs::read_to_string(&golden) {
                Ok(want) if want == got => {}
                Ok(want) => failures.push(format!("{}: differs\n--- want\n{want}\n--- got\n{got}", golden.display())),
                Err(e) => failures.push(format!("{}: {e} (run with UPDATE_GOLDEN=1 to create it)", golden.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn json_output_reads_back_as_the_fixture() {
    for input in fixtures() {
        let t = transcript(&input);
        let json = write::to_string(&t, OutputFormat::Json, &WriteOptions::default()).unwrap();
        assert_eq!(Transcript::from_json_str(&json).unwrap(), t, "{}", input.display());
    }
}

/// The text of every VTT and SRT cue, speaker markers and voice tags left
/// out, gives back the transcript's text (whitespace aside: words longer than
/// a line are cut into pieces).
#[test]
fn caption_files_hold_all_the_text() {
    for input in fixtures() {
        let t = transcript(&input);
        let speakers = t.speakers().into_iter().map(String::from).collect::<Vec<_>>();
        let want: String = t.segments.iter().flat_map(|s| s.text.chars()).filter(|c| !c.is_whitespace()).collect();
        for format in [OutputFormat::Vtt, OutputFormat::Srt] {
            let file = write::to_string(&t, format, &WriteOptions::default()).unwrap();
            let mut got = String::new();
            for block in file.split("\n\n").filter(|b| b.contains(" --> ")) {
                let text = block.lines().skip_while(|l| !l.contains(" --> ")).skip(1).collect::<Vec<_>>().join(" ");
                got.extend(plain_cue_text(&text, format, &speakers).chars().filter(|c| !c.is_whitespace()));
            }
            assert_eq!(got, want, "{} as {format:?}", input.display());
        }
    }
}

/// A cue's text without markup: the voice tag and references of VTT, the
/// speaker marker and word joiners of SRT.
fn plain_cue_text(text: &str, format: OutputFormat, speakers: &[String]) -> String {
    if format == OutputFormat::Vtt {
        let text = if text.starts_with("<v ") { &text[text.find('>').unwrap() + 1..] } else { text };
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
    // Word joiners protect markup-like text, the speaker's name included.
    let clean = text.replace('\u{2060}', "");
    if !text.starts_with(">> ") {
        return clean;
    }
    let unmarked = speakers.iter().find_map(|name| clean.strip_prefix(&format!(">> {name}: ")));
    unmarked.or_else(|| clean.strip_prefix(">> ")).unwrap_or(&clean).to_string()
}

#[test]
fn all_formats_at_once_match_one_at_a_time() {
    // `to_strings` plans cues once for VTT and SRT: it must give each
    // format's exact text, in any order of formats, with or without VTT.
    let orders: [&[OutputFormat]; 3] = [
        &OutputFormat::ALL,
        &[OutputFormat::Md, OutputFormat::Srt, OutputFormat::Json, OutputFormat::Vtt],
        &[OutputFormat::Srt, OutputFormat::Txt],
    ];
    for input in fixtures() {
        let t = transcript(&input);
        for formats in orders {
            let all = write::to_strings(&t, formats, &WriteOptions::default()).unwrap();
            assert_eq!(all.len(), formats.len());
            for (format, got) in formats.iter().zip(&all) {
                let one = write::to_string(&t, *format, &WriteOptions::default()).unwrap();
                assert!(one == *got, "{}: {format:?} differs when written with {formats:?}", input.display());
            }
        }
    }
}
