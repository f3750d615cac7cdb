//! Every WebVTT and SRT file rapporteur writes must be read by ffmpeg without
//! an error and give back the same text. For each writer fixture, the test
//! writes both formats, has ffmpeg convert them to ASS (`ffmpeg -v error -i
//! FILE -f ass -`), and compares the text of ffmpeg's events with the text of
//! our cues. Without ffmpeg on the PATH it says so and passes (`make setup`
//! installs ffmpeg; CI has it).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use rapporteur_captions::write::{self, OutputFormat, WriteOptions};
use rapporteur_core::Transcript;

fn ffmpeg_available() -> bool {
    match Command::new("ffmpeg").arg("-version").output() {
        Ok(out) if out.status.success() => true,
        _ => {
            eprintln!("SKIPPED: ffmpeg not found on PATH; the VTT/SRT compatibility check did not run");
            false
        }
    }
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/captions/writers");
    let mut inputs: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no writer fixtures in {}", dir.display());
    inputs
}

/// Cue texts as written in our file: the lines after each timing line, with
/// VTT's voice tag and character references, and SRT's invisible word
/// joiners, taken out (what a player shows).
fn our_cues(file: &str, format: OutputFormat) -> Vec<String> {
    file.split("\n\n")
        .filter(|block| block.contains(" --> ") && !block.starts_with("NOTE"))
        .map(|block| {
            let text = block.lines().skip_while(|l| !l.contains(" --> ")).skip(1).collect::<Vec<_>>().join("\n");
            match format {
                OutputFormat::Vtt => {
                    let text = match text.strip_prefix("<v ") {
                        Some(rest) => rest.split_once('>').map_or(rest, |(_, t)| t).to_string(),
                        None => text,
                    };
                    text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                }
                _ => text.replace('\u{2060}', ""),
            }
        })
        .collect()
}

/// The texts of the `Dialogue:` events of ffmpeg's ASS output, override
/// blocks (`{\i1}`) removed and ASS escapes (`\N`, `\{`, `\}`) undone.
fn ffmpeg_cues(ass: &str) -> Vec<String> {
    ass.lines()
        .filter_map(|l| l.strip_prefix("Dialogue: "))
        .map(|event| {
            // Nine fields come before the text, which may itself hold commas.
            let text = event.splitn(10, ',').nth(9).unwrap_or_default();
            let mut out = String::new();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, chars.peek()) {
                    ('\\', Some('N')) => {
                        chars.next();
                        out.push('\n');
                    }
                    ('\\', Some(&e @ ('{' | '}'))) => {
                        chars.next();
                        out.push(e);
                    }
                    ('{', Some('\\')) => {
                        for skipped in chars.by_ref() {
                            if skipped == '}' {
                                break;
                            }
                        }
                    }
                    _ => out.push(c),
                }
            }
            out.replace('\u{2060}', "")
        })
        .collect()
}

fn ffmpeg_ass(path: &Path) -> (bool, String, String) {
    let out = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-i"])
        .arg(path)
        .args(["-f", "ass", "-"])
        .output()
        .expect("ffmpeg runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The comparison notices what ffmpeg does to unprotected markup-like text
/// (so that the real check below can fail).
#[test]
fn the_comparison_sees_ffmpeg_eat_markup() {
    if !ffmpeg_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("raw.srt");
    let raw = "1\n00:00:01,000 --> 00:00:02,000\n3 <4 and 5> 4 {\\an8}top\n";
    fs::write(&path, raw).unwrap();
    let (ok, ass, _) = ffmpeg_ass(&path);
    assert!(ok);
    assert_eq!(our_cues(raw, OutputFormat::Srt), ["3 <4 and 5> 4 {\\an8}top"]);
    assert_eq!(ffmpeg_cues(&ass), ["3  4 top"]);
}

#[test]
fn ffmpeg_reads_our_vtt_and_srt_and_gives_back_the_text() {
    if !ffmpeg_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for input in fixtures() {
        let t = Transcript::from_json_str(&fs::read_to_string(&input).unwrap()).unwrap();
        for format in [OutputFormat::Vtt, OutputFormat::Srt] {
            let written = write::to_string(&t, format, &WriteOptions::default()).unwrap();
            let stem = input.file_stem().unwrap().to_string_lossy();
            let path = dir.path().join(format!("{stem}.{}", format.extension()));
            fs::write(&path, &written).unwrap();
            let (ok, ass, stderr) = ffmpeg_ass(&path);
            assert!(ok && stderr.trim().is_empty(), "{}: ffmpeg failed: {stderr}", path.display());
            let theirs = ffmpeg_cues(&ass);
            let ours = our_cues(&written, format);
            assert!(!ours.is_empty(), "{}: no cues written", path.display());
            assert_eq!(theirs, ours, "{}: ffmpeg read other text than we wrote", path.display());
        }
    }
}
