//! Table-driven tests of whole live sessions, and properties: delivery order,
//! retries and chunking do not change the segments.

use proptest::prelude::*;
use rapporteur_core::{Source, Time, Timing};

use super::*;

/// One thing that happens to a session.
#[derive(Debug, Clone)]
enum Act {
    /// A numbered chunk: seq, lang, text, arrival in ms.
    Seq(u64, &'static str, &'static str, u64),
    /// An unnumbered chunk: lang, text, arrival in ms.
    Free(&'static str, &'static str, u64),
    /// `tick(ms)`.
    Tick(u64),
}

fn en(seq: u64, text: &'static str, at: u64) -> Act {
    Act::Seq(seq, "en", text, at)
}

fn free(text: &'static str, at: u64) -> Act {
    Act::Free("en", text, at)
}

/// An expected segment: lang, speaker, text, start ms, end ms.
type Want = (&'static str, Option<&'static str>, &'static str, u64, u64);

struct Case {
    name: &'static str,
    config: LiveConfig,
    acts: Vec<Act>,
    segments: Vec<Want>,
    /// Substrings of the warnings, in order.
    warnings: Vec<&'static str>,
}

/// Starts at the first chunk's seq at once, so that tests see events as they happen.
fn prompt() -> LiveConfig {
    LiveConfig { start_wait_ms: 0, ..LiveConfig::default() }
}

fn run_acts(config: LiveConfig, acts: &[Act]) -> (LiveSession, Vec<Event>) {
    let mut live = LiveSession::new(config);
    let mut events = Vec::new();
    for act in acts {
        events.extend(match act {
            Act::Seq(seq, lang, text, at) => live.push(Chunk::numbered(*seq, *lang, *text, Time::from_millis(*at))),
            Act::Free(lang, text, at) => live.push(Chunk::unnumbered(*lang, *text, Time::from_millis(*at))),
            Act::Tick(at) => live.tick(Time::from_millis(*at)),
        });
    }
    events.extend(live.finish());
    (live, events)
}

fn check(case: &Case) {
    let (_, events) = run_acts(case.config.clone(), &case.acts);
    let got: Vec<(String, Option<String>, String, u64, u64)> = events
        .iter()
        .filter_map(|e| match e {
            Event::Segment { lang, segment } => {
                assert_eq!((segment.source, segment.timing), (Source::Caption, Timing::Exact), "{}", case.name);
                Some((
                    lang.clone(),
                    segment.speaker.clone(),
                    segment.text.clone(),
                    segment.start.as_millis(),
                    segment.end.as_millis(),
                ))
            }
            Event::Diagnostic { .. } => None,
        })
        .collect();
    let want: Vec<(String, Option<String>, String, u64, u64)> = case
        .segments
        .iter()
        .map(|(l, s, t, a, b)| (l.to_string(), s.map(str::to_string), t.to_string(), *a, *b))
        .collect();
    assert_eq!(got, want, "{}", case.name);
    let warnings: Vec<&str> = events.iter().filter_map(|e| e.diagnostic()).map(|d| d.message.as_str()).collect();
    assert_eq!(warnings.len(), case.warnings.len(), "{}: {warnings:#?}", case.name);
    for (got, want) in warnings.iter().zip(&case.warnings) {
        assert!(got.contains(want), "{}: {got:?} should contain {want:?}", case.name);
    }
}

#[test]
fn retries_and_reordering() {
    let cases = [
        Case {
            name: "a retry is applied once",
            config: prompt(),
            acts: vec![en(1, "Hello. ", 0), en(1, "Hello. ", 50), en(2, "Bye.", 100), en(2, "Bye.", 150)],
            segments: vec![("en", None, "Hello.", 0, 0), ("en", None, "Bye.", 100, 100)],
            warnings: vec![],
        },
        Case {
            name: "seq starts where the first chunk says",
            config: prompt(),
            acts: vec![en(7001, "Good ", 0), en(7002, "morning.", 100)],
            segments: vec![("en", None, "Good morning.", 0, 100)],
            warnings: vec![],
        },
        Case {
            name: "reordered chunks are applied in seq order, at the time they could be",
            config: prompt(),
            acts: vec![en(1, "Good morning", 0), en(3, " you all.", 100), en(2, " to", 200)],
            segments: vec![("en", None, "Good morning to you all.", 0, 200)],
            warnings: vec![],
        },
        Case {
            name: "the start waits for a lower seq that was overtaken",
            config: LiveConfig::default(),
            acts: vec![en(11, "morning.", 0), en(10, "Good ", 300), Act::Tick(2000), en(12, " Next", 2100)],
            segments: vec![("en", None, "Good morning.", 300, 300), ("en", None, "Next", 2100, 2100)],
            warnings: vec![],
        },
        Case {
            name: "a retry with different text keeps the first",
            config: prompt(),
            acts: vec![en(1, "Yes.", 0), en(1, "No.", 100)],
            segments: vec![("en", None, "Yes.", 0, 0)],
            warnings: vec!["seq 1 arrived again at 00:00:00.100 with a different language or text"],
        },
    ];
    cases.iter().for_each(check);
}

#[test]
fn gaps() {
    let cases = [
        Case {
            name: "a gap is waited for, then skipped",
            config: prompt(),
            acts: vec![en(1, "One. ", 0), en(3, "Three. ", 100), Act::Tick(2099), Act::Tick(2100)],
            segments: vec![("en", None, "One.", 0, 0), ("en", None, "Three.", 100, 100)],
            warnings: vec!["seq 2 missing: gave up after waiting 2000 ms and went on with seq 3"],
        },
        Case {
            name: "the wait is measured by a later chunk's arrival",
            config: prompt(),
            acts: vec![en(1, "One. ", 0), en(4, "Four. ", 100), en(5, "Five.", 2100)],
            segments: vec![
                ("en", None, "One.", 0, 0),
                ("en", None, "Four.", 100, 100),
                ("en", None, "Five.", 2100, 2100),
            ],
            warnings: vec!["seqs 2-3 missing"],
        },
        Case {
            name: "a late chunk is applied at its arrival, never lost",
            config: prompt(),
            acts: vec![en(1, "One. ", 0), en(3, "Three. ", 100), Act::Tick(2100), en(2, "Two. ", 2500)],
            segments: vec![
                ("en", None, "One.", 0, 0),
                ("en", None, "Three.", 100, 100),
                ("en", None, "Two.", 2500, 2500),
            ],
            warnings: vec!["seq 2 missing", "seq 2 arrived at 00:00:02.500, after it had been given up"],
        },
        Case {
            name: "finish applies held chunks and names the gap",
            config: prompt(),
            acts: vec![en(1, "One. ", 0), en(3, "Three.", 100)],
            segments: vec![("en", None, "One.", 0, 0), ("en", None, "Three.", 100, 100)],
            warnings: vec!["seq 2 never arrived before the feed ended"],
        },
        Case {
            name: "unnumbered chunks are applied in arrival order",
            config: prompt(),
            acts: vec![free("first ", 0), free("second ", 100), free("third.", 200)],
            segments: vec![("en", None, "first second third.", 0, 200)],
            warnings: vec![],
        },
    ];
    cases.iter().for_each(check);
}

#[test]
fn backspaces() {
    let cases = [
        Case {
            name: "within pending text",
            config: prompt(),
            acts: vec![free("Helo\x08lo.", 0)],
            segments: vec![("en", None, "Hello.", 0, 0)],
            warnings: vec![],
        },
        Case {
            name: "across chunk boundaries",
            config: prompt(),
            acts: vec![free("The wrold", 0), free("\x08\x08\x08", 100), free("\x08orld.", 200)],
            segments: vec![("en", None, "The world.", 0, 200)],
            warnings: vec![],
        },
        Case {
            name: "right after a full stop, before the next sentence starts",
            config: prompt(),
            acts: vec![free("Thanks. ", 0), free("\x08\x08!", 100), free(" Next", 200)],
            segments: vec![("en", None, "Thanks!", 0, 100), ("en", None, "Next", 200, 200)],
            warnings: vec![],
        },
        Case {
            name: "into emitted text: counted, warned, the rest applied",
            config: prompt(),
            acts: vec![free("Hello. W", 0), free("\x08\x08\x08\x08Bye.", 100)],
            segments: vec![("en", None, "Hello.", 0, 0), ("en", None, "Bye.", 100, 100)],
            warnings: vec![
                "2 backspaces at 00:00:00.100 reach into text already emitted (the segment ending \"Hello.\")",
            ],
        },
        Case {
            name: "before any text",
            config: prompt(),
            acts: vec![free("\x08Hi.", 0)],
            segments: vec![("en", None, "Hi.", 0, 0)],
            warnings: vec!["1 backspace at 00:00:00.000 came before any text and cannot be applied"],
        },
        Case {
            name: "deleting a whole turn marker",
            config: prompt(),
            acts: vec![free("Yes. >> B", 0), free("\x08\x08\x08\x08and more.", 100)],
            segments: vec![("en", None, "Yes.", 0, 0), ("en", None, "and more.", 100, 100)],
            warnings: vec![],
        },
    ];
    cases.iter().for_each(check);
}

#[test]
fn speakers() {
    let cases = [
        Case {
            name: "named, bare and unspaced markers",
            config: prompt(),
            acts: vec![free(
                ">> MS. DIALLO:  Hello.  >> MR. PEREZ: Hi there. How are you? >> Can you hear me? >>SPEAKER TWO: Yes.",
                0,
            )],
            segments: vec![
                ("en", Some("MS. DIALLO"), "Hello.", 0, 0),
                ("en", Some("MR. PEREZ"), "Hi there.", 0, 0),
                ("en", Some("MR. PEREZ"), "How are you?", 0, 0),
                ("en", None, "Can you hear me?", 0, 0),
                ("en", Some("SPEAKER TWO"), "Yes.", 0, 0),
            ],
            warnings: vec![],
        },
        Case {
            name: "a turn ends a segment without a full stop",
            config: prompt(),
            acts: vec![free(">> A: no stop here ", 0), free(">> B: next", 100)],
            segments: vec![("en", Some("A"), "no stop here", 0, 0), ("en", Some("B"), "next", 100, 100)],
            warnings: vec![],
        },
        Case {
            name: "a name split across chunks, with an honorific's full stop",
            config: prompt(),
            acts: vec![free(">> M", 0), free("S. SUR", 100), free("NAME:  Good morning.", 200)],
            segments: vec![("en", Some("MS. SURNAME"), "Good morning.", 0, 200)],
            warnings: vec![],
        },
        Case {
            name: "a bare marker in capitals still splits its sentences",
            config: prompt(),
            acts: vec![free(">> YES. I AGREE. We do.", 0)],
            segments: vec![("en", None, "YES.", 0, 0), ("en", None, "I AGREE.", 0, 0), ("en", None, "We do.", 0, 0)],
            warnings: vec![],
        },
        Case {
            name: "a bare marker ended by a line break still splits its sentences",
            config: prompt(),
            acts: vec![free(">> YES. OK\nI agree.", 0)],
            segments: vec![("en", None, "YES.", 0, 0), ("en", None, "OK I agree.", 0, 0)],
            warnings: vec![],
        },
        Case {
            name: "a speaker named before a pause keeps the turn",
            config: prompt(),
            acts: vec![free("Intro. >> CHAIR:", 0), Act::Tick(3000), free(" Welcome.", 4000)],
            segments: vec![("en", None, "Intro.", 0, 0), ("en", Some("CHAIR"), "Welcome.", 4000, 4000)],
            warnings: vec![],
        },
        Case {
            name: "annotations kept, whitespace normalised, blank lines end paragraphs",
            config: prompt(),
            acts: vec![free("Yes.  (off microphone)  I think\n\nwe can\t begin.", 0)],
            segments: vec![
                ("en", None, "Yes.", 0, 0),
                ("en", None, "(off microphone) I think", 0, 0),
                ("en", None, "we can begin.", 0, 0),
            ],
            warnings: vec![],
        },
    ];
    cases.iter().for_each(check);
}

#[test]
fn pauses_and_limits() {
    let cases = [
        Case {
            name: "a pause noticed at the next chunk",
            config: prompt(),
            acts: vec![free("We will start", 0), free(" in two", 3500), free(" minutes", 3600)],
            segments: vec![("en", None, "We will start", 0, 0), ("en", None, "in two minutes", 3500, 3600)],
            warnings: vec![],
        },
        Case {
            name: "a pause noticed by tick",
            config: prompt(),
            acts: vec![free("Waiting", 0), free(" for you", 500), Act::Tick(3499), Act::Tick(3500), free("Here", 3600)],
            segments: vec![("en", None, "Waiting for you", 0, 500), ("en", None, "Here", 3600, 3600)],
            warnings: vec![],
        },
        Case {
            name: "backspaces keep a segment open",
            config: prompt(),
            acts: vec![free("Typo", 0), free("\x08", 2500), Act::Tick(5000), Act::Tick(5500)],
            segments: vec![("en", None, "Typ", 0, 0)],
            warnings: vec![],
        },
        Case {
            name: "the pause length is configurable",
            config: LiveConfig { pause_ms: 500, ..prompt() },
            acts: vec![free("a", 0), free("b", 400), free("c", 1000)],
            segments: vec![("en", None, "ab", 0, 400), ("en", None, "c", 1000, 1000)],
            warnings: vec![],
        },
        Case {
            name: "text with no boundary is cut at a space",
            config: LiveConfig { max_segment_chars: 12, ..prompt() },
            acts: vec![free("one two three four", 0)],
            segments: vec![("en", None, "one two", 0, 0), ("en", None, "three four", 0, 0)],
            warnings: vec!["no sentence end, speaker change or pause in 13 characters"],
        },
        Case {
            name: "a flood of spaces does not pile up",
            config: LiveConfig { max_segment_chars: 12, ..prompt() },
            acts: vec![free("Hi", 0), free("                              ", 100), free("there.", 200)],
            segments: vec![("en", None, "Hi", 0, 0), ("en", None, "there.", 200, 200)],
            warnings: vec!["no sentence end, speaker change or pause in 13 characters"],
        },
    ];
    cases.iter().for_each(check);
}

#[test]
fn languages() {
    let cases = [
        Case {
            name: "one session-wide counter, one stream per language",
            config: prompt(),
            acts: vec![
                Act::Seq(1, "en", "Hello. ", 0),
                Act::Seq(2, "es", "Hola. ", 100),
                Act::Seq(4, "es", "Adiós.", 300),
                Act::Seq(3, "en", "Bye.", 400),
            ],
            segments: vec![
                ("en", None, "Hello.", 0, 0),
                ("es", None, "Hola.", 100, 100),
                ("en", None, "Bye.", 400, 400),
                // Held behind seq 3, but each language keeps its own clock.
                ("es", None, "Adiós.", 300, 300),
            ],
            warnings: vec![],
        },
        Case {
            name: "a counter per language",
            config: LiveConfig { seq_scope: SeqScope::Language, ..prompt() },
            acts: vec![Act::Seq(1, "en", "Hello.", 0), Act::Seq(1, "es", "Hola.", 100)],
            segments: vec![("en", None, "Hello.", 0, 0), ("es", None, "Hola.", 100, 100)],
            warnings: vec![],
        },
        Case {
            name: "per-language counters on a session-wide scope are reported",
            config: prompt(),
            acts: vec![Act::Seq(1, "en", "Hello.", 0), Act::Seq(1, "es", "Hola.", 100)],
            segments: vec![("en", None, "Hello.", 0, 0)],
            warnings: vec!["use SeqScope::Language"],
        },
        Case {
            name: "an empty language tag is undetermined",
            config: prompt(),
            acts: vec![Act::Free(" ", "Hi.", 0)],
            segments: vec![("und", None, "Hi.", 0, 0)],
            warnings: vec![],
        },
    ];
    cases.iter().for_each(check);
}

#[test]
fn last_seq_and_lost_backspaces() {
    let (live, _) = run_acts(prompt(), &[en(5, "Yes. No", 0), en(9, "c", 10), en(6, "\x08\x08\x08\x08\x08", 20)]);
    assert_eq!(live.last_seq(), Some(9));
    assert_eq!(live.last_seq_in("en"), Some(9));
    assert_eq!(live.last_seq_in("fr"), Some(9), "one counter for the whole session");
    assert_eq!(live.assembler_for("en").map(Assembler::lost_backspaces), Some(2));
    assert_eq!(LiveSession::default().last_seq(), None);
}

#[test]
fn events_serialise_for_a_live_page() {
    let (_, events) = run_acts(prompt(), &[free(">> CHAIR: Hi.", 1500)]);
    let json = serde_json::to_string(&events[0]).unwrap();
    assert_eq!(
        json,
        r#"{"event":"segment","lang":"en","segment":{"start":1.5,"end":1.5,"speaker":"CHAIR","text":"Hi.","source":"caption","timing":"exact"}}"#
    );
}

#[test]
fn pending_text_shows_what_is_being_typed() {
    let mut live = LiveSession::new(prompt());
    live.push(Chunk::unnumbered("en", "Done. >> CHAIR:  Now we", Time::ZERO));
    let assembler = live.assembler_for("en").unwrap();
    assert_eq!(assembler.pending_text(), ">> CHAIR: Now we");
    assert_eq!(assembler.speaker(), None, "the turn is not emitted yet");
}

// ---- properties ----

/// Pieces of caption text, chosen to hit every rule: sentence ends,
/// abbreviations, markers, blank lines, annotations, backspaces.
const PIECES: &[&str] = &[
    "Hello",
    "world",
    "we",
    "Good",
    "I",
    "MS.",
    "e.g.",
    ".",
    "?",
    "!",
    " ",
    "  ",
    "\n",
    "\n\n",
    ">> ",
    ">>",
    ">> CHAIR: ",
    ">> MS. DIALLO: ",
    ">>SPEAKER TWO:",
    "(off microphone)",
    "\x08",
    "\x08\x08\x08",
    "é",
    "‑‑",
];

fn chunk_texts() -> impl Strategy<Value = Vec<String>> {
    let piece = proptest::sample::select(PIECES);
    let text = proptest::collection::vec(piece, 0..6).prop_map(|p| p.concat());
    proptest::collection::vec(text, 1..10)
}

fn segments_of(events: &[Event]) -> Vec<(String, Option<String>, String)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Segment { lang, segment } => Some((lang.clone(), segment.speaker.clone(), segment.text.clone())),
            Event::Diagnostic { .. } => None,
        })
        .collect()
}

/// Pushes `order` (indexes into `texts`, numbered from `base`) 10 ms apart from
/// `from`; with `fix_start`, the first chunk goes alone first and the start is
/// fixed by a tick. Arrivals stay within every wait, so no timeout fires.
fn deliver(texts: &[(&str, String)], base: u64, order: &[usize], fix_start: bool) -> (Vec<Event>, LiveSession) {
    let mut live = LiveSession::default();
    let mut events = Vec::new();
    let mut from = 0;
    let chunk = |index: usize, at: u64| {
        let (lang, text) = &texts[index];
        Chunk::numbered(base + index as u64, *lang, text.clone(), Time::from_millis(at))
    };
    if fix_start {
        events.extend(live.push(chunk(0, 0)));
        events.extend(live.tick(Time::from_millis(2000)));
        from = 2000;
    }
    for (i, &index) in order.iter().enumerate() {
        events.extend(live.push(chunk(index, from + 10 * i as u64)));
    }
    events.extend(live.finish());
    (events, live)
}

/// Chunks in two languages sharing one counter, the first seq, whether the
/// start is fixed first, and a delivery order with retries.
fn deliveries() -> impl Strategy<Value = (Vec<(&'static str, String)>, u64, bool, Vec<usize>)> {
    let lang = proptest::sample::select(&["en", "es"][..]);
    let texts = chunk_texts().prop_flat_map(move |texts| {
        let n = texts.len();
        (proptest::collection::vec(lang.clone(), n), Just(texts))
            .prop_map(|(langs, texts)| langs.into_iter().zip(texts).collect::<Vec<_>>())
    });
    (texts, 0u64..1_000_000, any::<bool>()).prop_flat_map(|(texts, base, fix_start)| {
        let n = texts.len();
        let skip = usize::from(fix_start);
        proptest::collection::vec(1usize..=3, n).prop_flat_map(move |copies| {
            let order: Vec<usize> = (skip..n).flat_map(|i| std::iter::repeat_n(i, copies[i])).collect();
            (Just(texts.clone()), Just(base), Just(fix_start), Just(order).prop_shuffle())
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any permutation and duplication of the same chunks gives the segments
    /// of in-order delivery, with times that never go backwards.
    #[test]
    fn delivery_order_and_retries_do_not_matter((texts, base, fix_start, order) in deliveries()) {
        let skip = usize::from(fix_start);
        let in_order: Vec<usize> = (skip..texts.len()).collect();
        let (want, want_live) = deliver(&texts, base, &in_order, fix_start);
        let (got, got_live) = deliver(&texts, base, &order, fix_start);
        prop_assert_eq!(segments_of(&got), segments_of(&want));
        let count_warnings = |events: &[Event]| events.iter().filter(|e| e.diagnostic().is_some()).count();
        prop_assert_eq!(count_warnings(&got), count_warnings(&want));
        for lang in ["en", "es"] {
            prop_assert_eq!(
                got_live.assembler_for(lang).map(Assembler::lost_backspaces),
                want_live.assembler_for(lang).map(Assembler::lost_backspaces)
            );
            let mut previous = Time::ZERO;
            for event in &got {
                if let Event::Segment { lang: l, segment } = event {
                    if l == lang {
                        prop_assert!(segment.start <= segment.end);
                        prop_assert!(previous <= segment.start);
                        previous = segment.end;
                    }
                }
            }
        }
        prop_assert_eq!(got_live.last_seq(), Some(base + texts.len() as u64 - 1));
    }

    /// The stream is characters, not messages: however the text is cut into
    /// chunks, the segments are the same.
    #[test]
    fn chunking_does_not_matter(texts in chunk_texts(), cuts in proptest::collection::vec(any::<usize>(), 0..8)) {
        let whole: String = texts.concat();
        let chars: Vec<char> = whole.chars().collect();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (chars.len() + 1)).collect();
        cuts.sort_unstable();
        let mut pieces = Vec::new();
        let mut from = 0;
        for cut in cuts.into_iter().chain([chars.len()]) {
            pieces.push(chars[from..cut].iter().collect::<String>());
            from = cut;
        }
        let run = |pieces: &[String]| {
            let mut live = LiveSession::default();
            let mut events = Vec::new();
            for piece in pieces {
                events.extend(live.push(Chunk::unnumbered("en", piece.clone(), Time::from_millis(7))));
            }
            events.extend(live.finish());
            events.into_iter().filter(|e| e.segment().is_some()).collect::<Vec<_>>()
        };
        prop_assert_eq!(run(&pieces), run(&[whole]));
    }
}
