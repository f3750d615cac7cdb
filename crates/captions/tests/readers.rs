//! Golden tests of the readers, and bad input that is generated rather than
//! committed (a 10 MB line, a 100 MB stream).
//!
//! Every file in `fixtures/captions/readers/` (except `*.expected.json`) is
//! read as `rapporteur captions` reads it (format detected from content and
//! extension) and the outcome is compared exactly with `NAME.expected.json`
//! next to it: pretty JSON of
//!
//! ```json
//! {"format": "srt", "diagnostics": [...], "transcript": {...}}
//! ```
//!
//! where `diagnostics` are the warnings in order and `transcript` the core
//! Transcript JSON (serde_json, pretty, fields in their stable order), or, for
//! inputs that fail, `"error"` (its message) and `"error_line"` instead of
//! `transcript`, with the warnings given before the failure. (Not the JSON
//! writer's output: that has no room for the warnings.) Regenerate after a deliberate change with
//! `UPDATE_GOLDEN=1 cargo test -p rapporteur-captions --test readers`,
//! then read the diff before committing.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rapporteur_captions::read::{self, Format, ReadOptions};
use rapporteur_captions::write::{self, OutputFormat, WriteOptions};
use rapporteur_captions::CaptionError;
use rapporteur_core::{Diagnostic, Session, Transcript};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/captions/readers")
}

/// What reading one fixture gave, in the golden files' shape (fields in
/// this order; the transcript in its own stable JSON order).
#[derive(Debug, serde::Serialize)]
struct Outcome {
    format: Option<&'static str>,
    diagnostics: Vec<Diagnostic>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transcript: Option<Transcript>,
}

/// Reads `path` the way the command line does, keeping everything it says.
fn outcome(path: &Path) -> Outcome {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let failure = |format: Option<Format>, error: CaptionError, diagnostics: Vec<Diagnostic>| Outcome {
        format: format.map(Format::name),
        diagnostics,
        error: Some(error.to_string()),
        error_line: error.line(),
        transcript: None,
    };
    let mut source = match read::open(file, &name, &ReadOptions::default()) {
        Ok(source) => source,
        Err(e) => return failure(None, e, Vec::new()),
    };
    let format = source.format();
    let mut segments = Vec::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    loop {
        let next = source.next_segment();
        diagnostics.extend(source.take_diagnostics());
        match next {
            Ok(Some(segment)) => segments.push(segment),
            Ok(None) => break,
            Err(e) => return failure(Some(format), e, diagnostics),
        }
    }
    let mut session = source.session().clone();
    if session.id.is_empty() {
        session.id = Session::id_from(&stem);
    }
    Outcome {
        format: Some(format.name()),
        diagnostics,
        error: None,
        error_line: None,
        transcript: Some(Transcript { session, segments }),
    }
}

#[test]
fn every_fixture_matches_its_golden_file() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let mut inputs: Vec<PathBuf> = fs::read_dir(fixtures())
        .expect("fixtures/captions/readers exists")
        .map(|e| e.expect("readable directory").path())
        .filter(|p| p.is_file() && !p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 15, "fixtures missing: {inputs:?}");
    let mut failures = Vec::new();
    for input in &inputs {
        let got = serde_json::to_string_pretty(&outcome(input)).expect("JSON") + "\n";
        let golden = PathBuf::from(format!("{}.expected.json", input.with_extension("").display()));
        if update {
            fs::write(&golden, &got).expect("writing golden file");
            continue;
        }
        match fs::read_to_string(&golden) {
            Ok(want) if want == got => {}
            Ok(_) => failures.push(format!("{}: differs from {}:\n{got}", input.display(), golden.display())),
            Err(e) => failures.push(format!("{}: {e} (run with UPDATE_GOLDEN=1)", golden.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Reads `text` forced as `format`.
fn read_as(format: Format, text: &str) -> Result<(Transcript, Vec<Diagnostic>), CaptionError> {
    read::read_str(text, "input", &ReadOptions { format: Some(format), ..ReadOptions::default() })
}

#[test]
fn a_ten_megabyte_line_is_cut_with_a_warning_in_every_format() {
    let long = "word ".repeat(2_000_000);
    let cases = [
        (Format::WebVtt, format!("WEBVTT\n\n00:01.000 --> 00:02.000\n{long}\n\n00:03.000 --> 00:04.000\nAfter.\n"), 4),
        (
            Format::Srt,
            format!("1\n00:00:01,000 --> 00:00:02,000\n{long}\n\n2\n00:00:03,000 --> 00:00:04,000\nAfter.\n"),
            3,
        ),
        (Format::Cart, format!("Title\n***\n>> A: {long}\n\n>> B: After.\n"), 3),
        (Format::Text, format!("Ana: {long}\n\nBo: After.\n"), 1),
    ];
    for (format, text, line) in cases {
        let (t, warnings) = read_as(format, &text).unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert_eq!(t.segments.len(), 2, "{format:?}");
        assert!(t.segments[0].text.len() <= 1 << 20, "{format:?}");
        assert_eq!(t.segments[1].text, "After.", "{format:?}");
        assert!(
            warnings.iter().any(|w| w.line == Some(line) && w.message.contains("longer than")),
            "{format:?}: {warnings:?}"
        );
    }
}

/// An endless source of well-formed input, counting what was read from it.
struct Endless {
    unit: Vec<u8>,
    head: Vec<u8>,
    pos: usize,
    limit: usize,
    read: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.limit {
            return Ok(0);
        }
        let mut n = 0;
        while n < buf.len() && self.pos < self.limit {
            let byte = if self.pos < self.head.len() {
                self.head[self.pos]
            } else {
                self.unit[(self.pos - self.head.len()) % self.unit.len()]
            };
            buf[n] = byte;
            n += 1;
            self.pos += 1;
        }
        self.read.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

#[test]
fn readers_are_lazy_on_a_large_input() {
    // 100 MB inputs: each reader must give its first segments after reading
    // only a buffer's worth, which is what keeps memory flat on 1 GB files.
    let cases: [(Format, &str, &str); 4] = [
        (Format::WebVtt, "WEBVTT\n\n", "00:00:01.000 --> 00:00:02.000\n<v Ana>Some words here.\n\n"),
        (Format::Srt, "", "1\n00:00:01,000 --> 00:00:02,000\n>> ANA: Some words here.\n\n"),
        (Format::Cart, "Title\n***\n", ">> ANA:  Some words here.\n\n"),
        (Format::Text, "", "Ana: Some words here.\n\n"),
    ];
    for (format, head, unit) in cases {
        let read = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let input = Endless {
            unit: unit.as_bytes().to_vec(),
            head: head.as_bytes().to_vec(),
            pos: 0,
            limit: 100 << 20,
            read: read.clone(),
        };
        let options = ReadOptions { format: Some(format), ..ReadOptions::default() };
        let mut source = read::open(input, "big", &options).expect("opens");
        for _ in 0..1000 {
            let segment = source.next_segment().expect("reads").expect("a segment");
            assert_eq!(segment.text, "Some words here.", "{format:?}");
        }
        let consumed = read.load(std::sync::atomic::Ordering::Relaxed);
        assert!(consumed < 1 << 20, "{format:?} read {consumed} bytes for 1000 segments");
    }
}

#[test]
fn forced_formats_on_empty_and_blank_input_say_empty() {
    for format in [Format::WebVtt, Format::Srt, Format::Cart, Format::Text] {
        for text in ["", "\n \n\t\n"] {
            let err = read_as(format, text).expect_err("empty input is an error");
            assert!(matches!(err, CaptionError::Empty), "{format:?} {text:?}: {err}");
        }
    }
}

#[test]
fn text_that_is_not_the_format_is_no_cues_naming_the_format() {
    let table = [
        (Format::WebVtt, "vtt", "check that this is a WebVTT file"),
        (Format::Srt, "srt", "check that this is an SRT file"),
    ];
    for (format, name, advice) in table {
        let err = read_as(format, "Just some prose.\nNo cues here.\n").expect_err("no cues");
        assert!(err.to_string().ends_with(advice), "{format:?}: {err}");
        match err {
            CaptionError::NoCues { format: f, line } => {
                assert_eq!(f, name);
                assert_eq!(line, Some(1), "{format:?}");
            }
            other => panic!("{format:?}: {other}"),
        }
    }
    // A CART file with a header and nothing after it.
    let err = read_as(Format::Cart, "Title\n\nDisclaimer.\n***\n\n").expect_err("no turns");
    assert!(matches!(err, CaptionError::NoCues { format: "cart", .. }), "{err}");
    assert!(err.to_string().ends_with("check that this is a CART transcript file"), "{err}");
}

#[test]
fn forced_formats_refuse_binary_input_as_detection_does() {
    let elf: &[u8] = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";
    let utf16: &[u8] = b"\xFF\xFE1\0\n\0";
    let controls: &[u8] = b"\x01\x02\x03\x04\x05\x06\x07\x0E\x0F\x10ab";
    for format in [Format::WebVtt, Format::Srt, Format::Cart, Format::Text] {
        for (bytes, offset) in [(elf, 7), (utf16, 3), (controls, 0)] {
            let options = ReadOptions { format: Some(format), ..ReadOptions::default() };
            let err = read::open(io::Cursor::new(bytes.to_vec()), "input", &options).err();
            assert!(
                matches!(err, Some(CaptionError::Binary { offset: o }) if o == offset),
                "{format:?} {bytes:?}: {err:?}"
            );
        }
        // A BOM and blank lines are still empty.
        let options = ReadOptions { format: Some(format), ..ReadOptions::default() };
        let err = read::open(io::Cursor::new(b"\xEF\xBB\xBF\r\n \n".to_vec()), "input", &options).err();
        assert!(matches!(err, Some(CaptionError::Empty)), "{format:?}: {err:?}");
    }
    // Forced JSON keeps its parser's errors, which name line and column.
    let options = ReadOptions { format: Some(Format::Json), ..ReadOptions::default() };
    let err = read::read_str("\u{1}\u{2}\u{3}", "input", &options).expect_err("not JSON");
    assert!(matches!(err, CaptionError::Json(_)), "{err:?}");
}

/// A reader that gives a few bytes at a time, as a pipe from a slow writer does.
struct Trickle(io::Cursor<Vec<u8>>);

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(3);
        self.0.read(&mut buf[..n])
    }
}

#[test]
fn detection_sees_more_than_the_first_read_of_a_pipe() {
    let cases = [
        ("\n\n1\n00:00:01,000 --> 00:00:02,000\nHi.\n", Format::Srt),
        ("\n\nWEBVTT\n\n00:01.000 --> 00:02.000\nHi.\n", Format::WebVtt),
        ("  \n>> ANA: Hi.\n", Format::Cart),
    ];
    for (text, format) in cases {
        let input = Trickle(io::Cursor::new(text.as_bytes().to_vec()));
        let source = read::open(input, "-", &ReadOptions::default()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(source.format(), format, "{text:?}");
        let (t, _) = read::collect(source, "x").expect("reads");
        assert_eq!(t.segments[0].text, "Hi.", "{text:?}");
    }
}

/// The speakers and texts of `text` read as `format`.
fn speakers_and_texts(format: Format, text: &str) -> Vec<(Option<String>, String)> {
    let (t, _) = read_as(format, text).unwrap_or_else(|e| panic!("{format:?}: {e}\n{text}"));
    t.segments.into_iter().map(|s| (s.speaker, s.text)).collect()
}

#[test]
fn any_name_before_the_first_colon_after_a_marker_is_the_speaker() {
    let table: &[(&str, Option<&str>, &str)] = &[
        (">> SPEAKER_00: Hello.", Some("SPEAKER_00"), "Hello."),
        (">> ana lópez: Hola.", Some("ana lópez"), "Hola."),
        (">> So the answer: yes.", Some("So the answer"), "yes."),
        (">> At 10:30 we start.", None, "At 10:30 we start."),
        (">> Ana &amp; Bo: Hi.", Some("Ana & Bo"), "Hi."),
    ];
    for &(cue, speaker, text) in table {
        let srt = format!("1\n00:00:01,000 --> 00:00:02,000\n{cue}\n");
        let vtt = format!("WEBVTT\n\n00:01.000 --> 00:02.000\n{cue}\n");
        for (format, input) in [(Format::Srt, srt), (Format::WebVtt, vtt)] {
            let want = vec![(speaker.map(String::from), text.to_string())];
            assert_eq!(speakers_and_texts(format, &input), want, "{format:?} {cue}");
        }
    }
    // Plain text has no `>>`: a `Name:` tag there must look like a name.
    let table: &[(&str, Option<&str>, &str)] =
        &[("SPEAKER_00: Hello.", Some("SPEAKER_00"), "Hello."), ("ana lópez: hola.", None, "ana lópez: hola.")];
    for &(line, speaker, text) in table {
        assert_eq!(speakers_and_texts(Format::Text, line), vec![(speaker.map(String::from), text.to_string())]);
    }
}

#[test]
fn only_a_typed_marker_changes_the_speaker() {
    let table: &[(Format, &str, Option<&str>, &str)] = &[
        (Format::WebVtt, "&gt;&gt; not a marker", None, ">> not a marker"),
        (Format::WebVtt, "&gt;&gt; ANA: Hi.", None, ">> ANA: Hi."),
        (Format::WebVtt, "&#62;&#62; ANA: Hi.", None, ">> ANA: Hi."),
        (Format::WebVtt, ">> ANA: Hi.", Some("ANA"), "Hi."),
        (Format::WebVtt, "<i>>> ANA:</i> Hi.", Some("ANA"), "Hi."),
        (Format::Srt, "&gt;&gt; ANA: Hi.", None, ">> ANA: Hi."),
        (Format::Srt, "{\\an8}>> ANA: Hi.", Some("ANA"), "Hi."),
    ];
    for &(format, cue, speaker, text) in table {
        let input = match format {
            Format::Srt => format!("1\n00:00:01,000 --> 00:00:02,000\n{cue}\n"),
            _ => format!("WEBVTT\n\n00:01.000 --> 00:02.000\n{cue}\n"),
        };
        assert_eq!(speakers_and_texts(format, &input), vec![(speaker.map(String::from), text.to_string())], "{cue}");
    }
}

#[test]
fn srt_text_protected_with_word_joiners_reads_back_as_written() {
    // Cue text as rapporteur's SRT writer protects it, and what it says.
    let table: &[(&str, &str)] = &[
        ("a <\u{2060}b>bold<\u{2060}/b> c", "a <b>bold</b> c"),
        ("Fish &\u{2060}amp; chips", "Fish &amp; chips"),
        (">\u{2060}> not a marker", ">> not a marker"),
        ("x {\u{2060}\\an8} y", "x {\\an8} y"),
        ("5 -\u{2060}> 4", "5 -> 4"),
        ("2020\u{2060}\n10:30 start", "2020 10:30 start"),
        ("a\u{2060}b", "a\u{2060}b"),
    ];
    for &(cue, text) in table {
        let srt = format!("1\n00:00:01,000 --> 00:00:02,000\n{cue}\n");
        assert_eq!(speakers_and_texts(Format::Srt, &srt), vec![(None, text.to_string())], "{cue:?}");
    }
    // And through the writer: what it protects comes back.
    let mut t = Transcript::new(Session::new("joiners"));
    for (i, &(_, text)) in table.iter().enumerate() {
        let i = i as u64;
        t.segments.push(rapporteur_core::Segment::new(
            rapporteur_core::Time::from_millis(i * 2000),
            rapporteur_core::Time::from_millis(i * 2000 + 1500),
            None,
            text,
            rapporteur_core::Source::Caption,
            rapporteur_core::Timing::Exact,
        ));
    }
    let srt = write::to_string(&t, OutputFormat::Srt, &WriteOptions::default()).expect("writes");
    let want: Vec<_> = table.iter().map(|&(_, text)| (None, text.to_string())).collect();
    assert_eq!(speakers_and_texts(Format::Srt, &srt), want, "{srt}");
}

#[test]
fn only_a_marker_carries_its_speaker_to_the_next_cues() {
    type Row = (&'static [&'static str], &'static [Option<&'static str>]);
    let table: &[Row] = &[
        (&["<v ANA>Hello.", "Who?"], &[Some("ANA"), None]),
        (&[">> ANA: Hello.", "Still me."], &[Some("ANA"), Some("ANA")]),
        (&[">> ANA: Hello.", "<v BO>Hi.", "Who?"], &[Some("ANA"), Some("BO"), None]),
        (&["<v ANA>Hi.", ">> Who?", "Yes."], &[Some("ANA"), None, None]),
        (
            &["<v ANA>Hi.", "<v BO>Yes.", "No.", ">> CY: So.", "<v.loud CY>Right.", "Then."],
            &[Some("ANA"), Some("BO"), None, Some("CY"), Some("CY"), None],
        ),
    ];
    for &(cues, speakers) in table {
        let mut vtt = String::from("WEBVTT\n");
        let mut srt = String::new();
        for (i, cue) in cues.iter().enumerate() {
            vtt.push_str(&format!("\n00:0{i}.000 --> 00:0{i}.500\n{cue}\n"));
            srt.push_str(&format!("{}\n00:00:0{i},000 --> 00:00:0{i},500\n{cue}\n\n", i + 1));
        }
        for (format, input) in [(Format::WebVtt, &vtt), (Format::Srt, &srt)] {
            let got: Vec<_> = speakers_and_texts(format, input).into_iter().map(|(s, _)| s).collect();
            let want: Vec<_> = speakers.iter().map(|s| s.map(String::from)).collect();
            assert_eq!(got, want, "{format:?} {cues:?}");
        }
    }
}

#[test]
fn a_marker_inside_a_cue_starts_a_turn_at_the_interpolated_time() {
    use rapporteur_core::Timing;
    type Row = (&'static str, &'static [(u64, u64, Option<&'static str>, &'static str)]);
    let table: &[Row] = &[
        // 4 + 3 characters over 1 s: the turn changes after 4/7 of it.
        ("Yes. >> BOB: No.", &[(1_000, 1_571, None, "Yes."), (1_571, 2_000, Some("BOB"), "No.")]),
        ("Yes.\n>> BOB: No.", &[(1_000, 1_571, None, "Yes."), (1_571, 2_000, Some("BOB"), "No.")]),
        // 9 + 4 characters.
        (">> ANA: Hi there. >> Who?", &[(1_000, 1_692, Some("ANA"), "Hi there."), (1_692, 2_000, None, "Who?")]),
        ("<v ANA>Hello. >> BO: Hi.", &[(1_000, 1_667, Some("ANA"), "Hello."), (1_667, 2_000, Some("BO"), "Hi.")]),
        // Not after whitespace, or escaped: text.
        ("a>>b &gt;&gt; c", &[(1_000, 2_000, None, "a>>b >> c")]),
    ];
    for &(cue, want) in table {
        let srt = format!("1\n00:00:01,000 --> 00:00:02,000\n{cue}\n");
        let vtt = format!("WEBVTT\n\n00:01.000 --> 00:02.000\n{cue}\n");
        for (format, input) in [(Format::Srt, srt), (Format::WebVtt, vtt)] {
            let (t, _) = read_as(format, &input).unwrap_or_else(|e| panic!("{format:?} {cue}: {e}"));
            let got: Vec<_> = t
                .segments
                .iter()
                .map(|s| (s.start.as_millis(), s.end.as_millis(), s.speaker.as_deref(), s.text.as_str()))
                .collect();
            assert_eq!(got, want, "{format:?} {cue:?}");
            let timing = if want.len() > 1 { Timing::Estimated } else { Timing::Exact };
            assert!(t.segments.iter().all(|s| s.timing == timing), "{format:?} {cue:?}");
        }
    }
    // The new speaker goes on in the next cue, as after a marker at a cue's start.
    let srt =
        "1\n00:00:01,000 --> 00:00:02,000\n>> ANA: Yes. >> BOB: No.\n\n2\n00:00:02,000 --> 00:00:03,000\nIndeed.\n";
    let speakers: Vec<_> = speakers_and_texts(Format::Srt, srt).into_iter().map(|(s, _)| s).collect();
    assert_eq!(speakers, [Some("ANA".to_string()), Some("BOB".to_string()), Some("BOB".to_string())]);
}
