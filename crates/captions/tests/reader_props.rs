//! Property tests of the readers.
//!
//! * Any bytes, forced through each reader, give segments or an error, never
//!   a panic, and every segment keeps the model's promises (end not before
//!   start, text on one line, single-spaced, trimmed).
//! * Generated well-formed inputs (SRT, WebVTT, CART, tagged text, written
//!   here with the formatting variations real files have) read back to
//!   exactly the times, texts and speakers they were generated from.

use std::io::Cursor;

use proptest::prelude::*;
use rapporteur_captions::read::{self, Estimator, Format, ReadOptions};
use rapporteur_core::{Segment, Time, Timing, Transcript};

const FORMATS: [Format; 5] = [Format::WebVtt, Format::Srt, Format::Cart, Format::Text, Format::Json];

fn read_bytes(format: Format, bytes: &[u8]) -> Result<Transcript, String> {
    let options = ReadOptions { format: Some(format), max_line_bytes: 256, ..ReadOptions::default() };
    let source = read::open(Cursor::new(bytes.to_vec()), "prop", &options).map_err(|e| e.to_string())?;
    read::collect(source, "prop").map(|(t, _)| t).map_err(|e| e.to_string())
}

fn read_text(format: Format, text: &str) -> Transcript {
    read_bytes(format, text.as_bytes()).unwrap_or_else(|e| panic!("{format:?}: {e}\n{text}"))
}

fn check_segment(s: &Segment) -> Result<(), TestCaseError> {
    prop_assert!(s.end >= s.start, "{s:?}");
    prop_assert!(!s.text.contains(['\n', '\r']), "{s:?}");
    prop_assert!(!s.text.contains("  "), "{s:?}");
    prop_assert_eq!(s.text.trim(), s.text.as_str());
    if let Some(name) = &s.speaker {
        prop_assert!(!name.is_empty() && name.trim() == name, "{s:?}");
    }
    Ok(())
}

/// Fragments that make up caption files, so that random inputs reach deep
/// into the parsers instead of failing on the first line.
fn fragment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "WEBVTT",
        "\n",
        "\r\n",
        "\r",
        "\n\n",
        " ",
        "\t",
        "-->",
        "->",
        "00:00:01.000",
        "00:01,5",
        "99:59.999",
        "1",
        "12",
        "0:0:0",
        ":",
        ".",
        ",",
        ">>",
        ">> ",
        "MS. ",
        "DIALLO",
        "Ana",
        ": ",
        "<v Ana>",
        "<v.x ",
        "<",
        ">",
        "</v>",
        "<i>",
        "<rt>",
        "</ruby>",
        "&amp;",
        "&#",
        "&#x1F600;",
        "&",
        ";",
        "{\\an8}",
        "{",
        "}",
        "NOTE",
        "STYLE",
        "***",
        "(",
        ")",
        "(PERSON7) ",
        "(pause)",
        "é",
        "\u{2011}",
        "\u{2014}",
        "\u{FEFF}",
        "\u{FFFD}",
        "\u{A0}",
        "\0",
        "{\"session\":",
        "\"segments\":[",
        "]}",
        "word",
        "Hello there.",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        for format in FORMATS {
            if let Ok(t) = read_bytes(format, &bytes) {
                for s in &t.segments {
                    if format != Format::Json {
                        check_segment(s)?;
                    }
                }
            }
        }
    }

    #[test]
    fn caption_shaped_noise_never_panics(parts in prop::collection::vec(fragment(), 0..120)) {
        let text = parts.concat();
        for format in FORMATS {
            if let Ok(t) = read_bytes(format, text.as_bytes()) {
                for s in &t.segments {
                    if format != Format::Json {
                        check_segment(s)?;
                    }
                }
            }
        }
        // Detection too.
        let _ = read::read_str(&text, "noise.srt", &ReadOptions::default());
    }
}

/// A generated word: letters (some accented), digits, light punctuation;
/// never markup, colons or parentheses, which would change its meaning.
fn word() -> impl Strategy<Value = String> {
    "[A-Za-zéñ0-9][a-zé'.,?!-]{0,8}".prop_map(String::from)
}

fn words() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(word(), 1..12)
}

/// Speaker names of the kinds caption files carry.
fn caption_speaker() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::of(prop::sample::select(vec![
        "MODERATOR",
        "MS. DIALLO",
        "Amina Diallo",
        "Juan de la Cruz",
        "DR. LI WEI",
        "CHAIR O'NEILL-ÅSE",
    ]))
}

#[derive(Debug, Clone)]
struct Cue {
    gap_ms: u64,
    length_ms: u64,
    speaker: Option<&'static str>,
    words: Vec<String>,
    /// Where the text is broken onto a second line (0 = one line).
    break_at: usize,
}

fn cues() -> impl Strategy<Value = Vec<Cue>> {
    let cue = (0u64..100_000_000, 0u64..10_000, caption_speaker(), words(), 0usize..6)
        .prop_map(|(gap_ms, length_ms, speaker, words, break_at)| Cue { gap_ms, length_ms, speaker, words, break_at });
    prop::collection::vec(cue, 1..12)
}

/// Timed cues with absolute times.
fn timeline(cues: &[Cue]) -> Vec<(u64, u64)> {
    let mut t = 0;
    cues.iter()
        .map(|c| {
            t += c.gap_ms;
            (t, t + c.length_ms)
        })
        .collect()
}

fn lines_of(cue: &Cue) -> String {
    let at = cue.break_at.min(cue.words.len());
    if at == 0 || at == cue.words.len() {
        cue.words.join(" ")
    } else {
        format!("{}\n{}", cue.words[..at].join(" "), cue.words[at..].join(" "))
    }
}

/// The speaker each cue gets when `>>` marks changes and a cue without a
/// marker continues: the same as generated, as long as markers are written
/// at each change.
fn marker(previous: Option<Option<&str>>, speaker: Option<&str>) -> String {
    match (previous, speaker) {
        (Some(p), s) if p == s => String::new(),
        (None, None) => String::new(),
        (_, Some(name)) => format!(">> {name}: "),
        (_, None) => ">> ".into(),
    }
}

fn srt_time(ms: u64, dot: bool) -> String {
    let t = Time::from_millis(ms).to_srt();
    if dot {
        t.replace(',', ".")
    } else {
        t
    }
}

fn expect_cues(t: &Transcript, cues: &[Cue]) -> Result<(), TestCaseError> {
    let times = timeline(cues);
    prop_assert_eq!(t.segments.len(), cues.len());
    for ((s, c), (start, end)) in t.segments.iter().zip(cues).zip(times) {
        prop_assert_eq!(s.start.as_millis(), start);
        prop_assert_eq!(s.end.as_millis(), end);
        prop_assert_eq!(&s.text, &c.words.join(" "));
        prop_assert_eq!(s.speaker.as_deref(), c.speaker);
        prop_assert_eq!(s.timing, Timing::Exact);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn generated_srt_reads_back(cues in cues(), crlf in any::<bool>(), dot in any::<bool>(), numbered in any::<bool>(), extra_blank in any::<bool>()) {
        let mut out = String::new();
        let mut previous = None;
        for (i, (c, (start, end))) in cues.iter().zip(timeline(&cues)).enumerate() {
            if numbered {
                out.push_str(&format!("{}\n", i + 1));
            }
            out.push_str(&format!("{} --> {}\n", srt_time(start, dot), srt_time(end, dot)));
            out.push_str(&marker(previous, c.speaker));
            out.push_str(&lines_of(c));
            out.push_str(if extra_blank { "\n\n\n" } else { "\n\n" });
            previous = Some(c.speaker);
        }
        if crlf {
            out = out.replace('\n', "\r\n");
        }
        expect_cues(&read_text(Format::Srt, &out), &cues)?;
        expect_cues(&read_text(Format::Srt, &format!("\u{FEFF}{out}")), &cues)?;
    }

    #[test]
    fn generated_vtt_reads_back(cues in cues(), voices in any::<bool>(), ids in any::<bool>(), settings in any::<bool>()) {
        let mut out = String::from("WEBVTT - generated\nKind: captions\n\nNOTE generated\nby a test\n\n");
        let mut previous = None;
        for (i, (c, (start, end))) in cues.iter().zip(timeline(&cues)).enumerate() {
            if ids {
                out.push_str(&format!("cue-{i}\n"));
            }
            out.push_str(&format!("{} --> {}", Time::from_millis(start).to_vtt(), Time::from_millis(end).to_vtt()));
            out.push_str(if settings { " align:start position:10%\n" } else { "\n" });
            match (voices, c.speaker) {
                // Voices name every cue's speaker; an unnamed one needs `>>`.
                (true, Some(name)) => out.push_str(&format!("<v.x {name}>")),
                (true, None) => out.push_str(&marker(previous, None)),
                (false, s) => out.push_str(&marker(previous, s)),
            }
            out.push_str(&lines_of(c).replace('&', "&amp;"));
            out.push_str("\n\n");
            previous = Some(c.speaker);
        }
        expect_cues(&read_text(Format::WebVtt, &out), &cues)?;
    }
}

/// Upper-case names as CART captioners write them.
fn cart_speaker() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::of(prop::sample::select(vec!["MODERATOR", "MS. DIALLO", "DR. LI WEI", "CHAIR", "SPEAKER 2"]))
}

#[derive(Debug, Clone)]
struct Turn<S> {
    speaker: S,
    paragraphs: Vec<Vec<String>>,
}

fn cart_turns() -> impl Strategy<Value = Vec<Turn<Option<&'static str>>>> {
    let turn = (cart_speaker(), prop::collection::vec(words(), 1..4))
        .prop_map(|(speaker, paragraphs)| Turn { speaker, paragraphs });
    prop::collection::vec(turn, 1..8)
}

/// Expected estimated segments: one per paragraph, end to end.
fn expect_paragraphs<S: Copy + Into<Option<&'static str>>>(
    t: &Transcript,
    turns: &[Turn<S>],
    wpm: f64,
) -> Result<(), TestCaseError> {
    let mut estimator = Estimator::new(wpm);
    let expected: Vec<(Option<&str>, String, (Time, Time))> = turns
        .iter()
        .flat_map(|turn| turn.paragraphs.iter().map(move |p| (turn.speaker.into(), p.join(" "), p.len())))
        .map(|(speaker, text, n)| (speaker, text, estimator.next(n)))
        .collect();
    prop_assert_eq!(t.segments.len(), expected.len());
    for (s, (speaker, text, (start, end))) in t.segments.iter().zip(expected) {
        prop_assert_eq!(s.speaker.as_deref(), speaker);
        prop_assert_eq!(&s.text, &text);
        prop_assert_eq!((s.start, s.end), (start, end));
        prop_assert_eq!(s.timing, Timing::Estimated);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn generated_cart_reads_back(turns in cart_turns(), header in any::<bool>(), spaced in any::<bool>(), wpm in 60.0f64..240.0) {
        let mut out = String::new();
        if header {
            out.push_str("IGF 2020 - Day 1 - WS #1 Title\n\nThe following are the outputs of the real-time captioning.\n***\n");
        }
        for turn in &turns {
            let gap = if spaced { " " } else { "" };
            match turn.speaker {
                Some(name) => out.push_str(&format!(">>{gap}{name}:  ")),
                None => out.push_str(&format!(">>{gap}")),
            }
            for (i, p) in turn.paragraphs.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                // Captioners put two spaces between sentences.
                out.push_str(&p.join("  "));
                out.push('\n');
            }
            out.push('\n');
        }
        let options = ReadOptions { format: Some(Format::Cart), speaking_rate_wpm: wpm, ..ReadOptions::default() };
        let (t, _) = read::read_str(&out, "cart.txt", &options).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(t.session.title.is_some(), header);
        expect_paragraphs(&t, &turns, wpm)?;
    }
}

/// Speaker tags of plain text, and the speaker they give.
fn text_speaker() -> impl Strategy<Value = (&'static str, &'static str)> {
    prop::sample::select(vec![
        ("(PERSON7) ", "PERSON7"),
        ("(Speaker 12) ", "Speaker 12"),
        ("Amina Diallo: ", "Amina Diallo"),
        ("MS. DIALLO: ", "MS. DIALLO"),
        ("Juan de la Cruz: ", "Juan de la Cruz"),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn generated_text_reads_back(
        turns in prop::collection::vec((text_speaker(), prop::collection::vec(words(), 1..4)), 1..8),
        untagged_start in prop::option::of(words()),
    ) {
        let mut out = String::new();
        let mut expected: Vec<Turn<Option<&'static str>>> = Vec::new();
        if let Some(first) = &untagged_start {
            out.push_str(&first.join(" "));
            out.push_str("\n\n");
            expected.push(Turn { speaker: None, paragraphs: vec![first.clone()] });
        }
        for ((tag, name), paragraphs) in &turns {
            // Turns start with a capital, as speech does.
            let mut paragraphs = paragraphs.clone();
            if let Some(first) = paragraphs.first_mut().and_then(|p| p.first_mut()) {
                *first = format!("Well{first}");
            }
            out.push_str(tag);
            out.push_str(&paragraphs.iter().map(|p| p.join(" ")).collect::<Vec<_>>().join("\n\n"));
            out.push_str("\n\n");
            expected.push(Turn { speaker: Some(*name), paragraphs });
        }
        expect_paragraphs(&read_text(Format::Text, &out), &expected, 150.0)?;
    }
}
