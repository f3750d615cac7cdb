use proptest::prelude::*;
use rapporteur_core::{Segment, Source, Time, Timing, Word};

use super::{is_one_of, ABBREVIATIONS, CONJUNCTIONS, FUNCTION_WORDS, LONGEST_LISTED, WEAK_WORDS};
use super::{split_into_cues, split_into_cues_after, Cue};
use crate::write::WriteOptions;

fn segment(start: u64, end: u64, text: &str) -> Segment {
    Segment::new(Time::from_millis(start), Time::from_millis(end), None, text, Source::Caption, Timing::Estimated)
}

fn lines(cues: &[Cue]) -> Vec<Vec<&str>> {
    cues.iter().map(|c| c.lines.iter().map(String::as_str).collect()).collect()
}

fn times(cues: &[Cue]) -> Vec<(u64, u64)> {
    cues.iter().map(|c| (c.start.as_millis(), c.end.as_millis())).collect()
}

#[test]
fn layouts() {
    // (text, duration in ms, expected cues as lines)
    let cases: &[(&str, u64, &[&[&str]])] = &[
        ("Good morning, everyone.", 2_000, &[&["Good morning, everyone."]]),
        // Fits one cue: two lines, broken at the comma rather than evenly.
        (
            "Thank you very much, Madam Chair, for giving me the floor today.",
            5_000,
            &[&["Thank you very much, Madam Chair,", "for giving me the floor today."]],
        ),
        // Never a line ending on "the" or "of" when a better break exists.
        (
            "We need to invest in the infrastructure of the community networks that serve rural areas.",
            6_000,
            &[&["We need to invest in the infrastructure"], &["of the community networks", "that serve rural areas."]],
        ),
        // Sentence ends become cue ends.
        (
            "Good morning, everyone. We will start in two minutes. Can everybody hear me at the back of the room? Please raise your hand if you cannot.",
            14_000,
            &[
                &["Good morning, everyone.", "We will start in two minutes."],
                &["Can everybody hear me", "at the back of the room?"],
                &["Please raise your hand if you cannot."],
            ],
        ),
        // A word longer than a line is cut into line-long pieces.
        (
            "See https://www.intgovforum.org/multilingual/content/igf-2020-ws-999-example-workshop for details.",
            6_000,
            &[&["See", "https://www.intgovforum.org/multilingual/"], &["content/igf-2020-ws-999-example-workshop", "for details."]],
        ),
        ("   \t ", 1_000, &[]),
    ];
    let options = WriteOptions::default();
    for (text, duration, expected) in cases {
        let cues = split_into_cues(&segment(0, *duration, text), &options);
        let got = lines(&cues);
        let want: Vec<Vec<&str>> = expected.iter().map(|c| c.to_vec()).collect();
        assert_eq!(got, want, "{text}");
    }
}

#[test]
fn times_are_shared_by_characters_without_word_times() {
    // 20 characters + space + 20 characters at 41 ms: the second cue starts at
    // character 21, so at 21 ms.
    let text = "aaaaaaaaaaaaaaaaaaa. bbbbbbbbbbbbbbbbbbb.";
    let options = WriteOptions { max_line_chars: 20, max_lines: 1, ..WriteOptions::default() };
    let cues = split_into_cues(&segment(1_000, 1_041, text), &options);
    assert_eq!(lines(&cues), vec![vec!["aaaaaaaaaaaaaaaaaaa."], vec!["bbbbbbbbbbbbbbbbbbb."]]);
    assert_eq!(times(&cues), vec![(1_000, 1_021), (1_021, 1_041)]);
}

#[test]
fn word_times_place_cue_boundaries() {
    let text = "First sentence is here. And after a long pause the second one.";
    let mut s = segment(10_000, 30_000, text);
    let starts = [10_000, 10_400, 10_900, 11_200, 25_000, 25_300, 25_500, 25_600, 25_900, 26_200, 26_500, 26_800];
    assert_eq!(starts.len(), text.split(' ').count());
    s.words = Some(
        text.split(' ')
            .zip(starts)
            .map(|(w, t)| Word { start: Time::from_millis(t), end: Time::from_millis(t + 300), text: w.into() })
            .collect(),
    );
    let options = WriteOptions { max_line_chars: 30, max_lines: 1, ..WriteOptions::default() };
    let cues = split_into_cues(&s, &options);
    assert_eq!(
        lines(&cues),
        vec![vec!["First sentence is here."], vec!["And after a long pause"], vec!["the second one."]]
    );
    // The second cue starts with its first word, not in proportion to characters.
    assert_eq!(cues[1].start.as_millis(), 25_000);
    assert_eq!(cues[0].start.as_millis(), 10_000);
    assert_eq!(cues[2].end.as_millis(), 30_000);
}

#[test]
fn word_times_that_do_not_spell_the_text_are_matched_by_count() {
    let text = "Hello, world.   Again!";
    let mut s = segment(0, 9_000, text);
    s.words = Some(
        [("hello", 0), ("world", 1_000), ("again", 8_000)]
            .iter()
            .map(|&(w, t)| Word { start: Time::from_millis(t), end: Time::from_millis(t + 500), text: w.into() })
            .collect(),
    );
    let options = WriteOptions { max_line_chars: 13, max_lines: 1, ..WriteOptions::default() };
    let cues = split_into_cues(&s, &options);
    assert_eq!(lines(&cues), vec![vec!["Hello, world."], vec!["Again!"]]);
    assert_eq!(times(&cues), vec![(0, 8_000), (8_000, 9_000)]);
}

#[test]
fn a_zero_length_segment_gives_zero_length_cues() {
    let text = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen.";
    let cues = split_into_cues(&segment(5_000, 5_000, text), &WriteOptions::default());
    assert!(cues.len() > 1);
    assert!(cues.iter().all(|c| c.start.as_millis() == 5_000 && c.end.as_millis() == 5_000));
}

#[test]
fn long_segments_get_cues_of_one_to_seven_seconds() {
    // A CART paragraph of 120 words at 150 words per minute: 48 s.
    let text = "Thank you, Chair. I would like to make three points about meaningful connectivity. \
        First, access is not only about coverage, because people who live under a signal still cannot afford \
        the devices or the data. Second, local content matters, and communities need to see their own languages online. \
        Third, we need skills, which means that schools and libraries have to be part of every national broadband plan. \
        So my question to the panel is simple: who pays for this, and how do we make sure that the money reaches \
        the people who are still offline today? Thank you.";
    let s = segment(0, 48_000, text);
    let cues = split_into_cues(&s, &WriteOptions::default());
    for cue in &cues {
        let ms = cue.end.as_millis() - cue.start.as_millis();
        assert!((1_000..=7_000).contains(&ms), "{ms} ms: {:?}", cue.lines);
        let last = cue.lines.last().unwrap().split(' ').next_back().unwrap();
        assert!(!["the", "a", "of", "to", "in"].contains(&last), "cue ends on {last:?}: {:?}", cue.lines);
    }
}

#[test]
fn a_speaker_prefix_stays_with_the_first_words_and_takes_no_time() {
    let text = "Thank you. I would like to make three points about meaningful connectivity and local content.";
    let s = segment(0, 9_300, text);
    let plain = split_into_cues(&s, &WriteOptions::default());
    let marked = split_into_cues_after(">> MS. DIALLO:", &s, &WriteOptions::default());
    assert_eq!(
        lines(&marked),
        vec![
            vec![">> MS. DIALLO: Thank you."],
            vec!["I would like to make three points", "about meaningful connectivity"],
            vec!["and local content."],
        ]
    );
    // A marker too long for one line is broken like text, and stays in the first cue.
    let long = split_into_cues_after(
        ">> THE REPRESENTATIVE OF THE REPUBLIC OF X:",
        &segment(0, 900, "Thanks."),
        &WriteOptions::default(),
    );
    assert_eq!(lines(&long), vec![vec![">> THE REPRESENTATIVE OF", "THE REPUBLIC OF X: Thanks."]]);
    // The marker does not move the times: the same text, the same time per character.
    assert_eq!(plain.last().map(|c| c.end), marked.last().map(|c| c.end));
    assert!(split_into_cues_after(">>", &segment(0, 1_000, " "), &WriteOptions::default()).is_empty());
}

fn normalised(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn squashed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "the", "and", "of", "governance", "Internet", "multistakeholder", "data,", "now.", "why?", "(inaudible)",
            "‑‑", "Chair:", "e.g.", "Mr.", "&", "<b>", "a>b", "café", "中文", "😀", "👍🏽", "e\u{301}",
        ])
        .prop_map(String::from),
        2 => "[a-zA-Z]{1,12}[.,;:?!]?",
        1 => "[a-z\u{e9}\u{301}\u{200d}\u{1f600}]{30,90}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    (prop::collection::vec(word(), 0..80), prop::sample::select(vec![" ", "  ", "\t", " \n "]))
        .prop_map(|(w, sep)| w.join(sep))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn cues_respect_the_limits_and_keep_the_text(
        text in text(),
        start in 0u64..10_000_000,
        duration in prop_oneof![0u64..50, 0u64..120_000],
        line_chars in 8usize..60,
        max_lines in 1usize..4,
        with_words in any::<bool>(),
        prefix in prop::sample::select(vec!["", ">>", ">> MODERATOR:", ">> THE REPRESENTATIVE OF THE UNITED KINGDOM OF GREAT BRITAIN:"]),
        word_times in prop::collection::vec(0u64..200_000, 0..100),
    ) {
        let mut s = segment(start, start + duration, &text);
        if with_words {
            s.words = Some(text.split_whitespace().zip(&word_times).map(|(w, &t)| Word {
                start: Time::from_millis(start + t),
                end: Time::from_millis(start + t + 200),
                text: w.into(),
            }).collect());
        }
        let options = WriteOptions { max_line_chars: line_chars, max_lines, ..WriteOptions::default() };
        let cues = split_into_cues_after(prefix, &s, &options);
        let norm = normalised(&text);
        prop_assert_eq!(cues.is_empty(), norm.is_empty());
        if cues.is_empty() {
            return Ok(());
        }
        for cue in &cues {
            prop_assert!(!cue.lines.is_empty() && cue.lines.len() <= max_lines, "{:?}", cue.lines);
            for line in &cue.lines {
                prop_assert!(!line.is_empty() && line.chars().count() <= line_chars, "{:?}", line);
                prop_assert_eq!(line.trim(), line.as_str());
            }
            prop_assert!(cue.start <= cue.end);
        }
        prop_assert_eq!(cues[0].start, s.start);
        prop_assert_eq!(cues[cues.len() - 1].end, s.end);
        for pair in cues.windows(2) {
            prop_assert_eq!(pair[0].end, pair[1].start);
        }
        if duration >= cues.len() as u64 {
            prop_assert!(cues.iter().all(|c| c.end > c.start), "{:?}", times(&cues));
        }
        let joined = cues.iter().map(Cue::text).collect::<Vec<_>>().join(" ");
        let with_prefix = if prefix.is_empty() { norm.clone() } else { format!("{prefix} {norm}") };
        prop_assert_eq!(squashed(&joined), squashed(&with_prefix));
        if with_prefix.split(' ').all(|w| w.chars().count() <= line_chars) {
            prop_assert_eq!(&joined, &with_prefix);
        }
        if with_prefix.chars().count() <= line_chars {
            prop_assert_eq!(cues.len(), 1);
        }
        // The prefix never makes a cue of its own when it can share one with the first word.
        let first_word = norm.split(' ').next().unwrap_or_default();
        if !prefix.is_empty() && prefix.chars().count() + 1 + first_word.chars().count() <= line_chars {
            prop_assert!(cues[0].text().starts_with(&format!("{prefix} ")), "{:?}", cues[0]);
        }
    }
}

#[test]
fn word_lists_are_lower_case_ascii_and_short() {
    // `is_one_of` relies on it to answer long and non-ASCII words at once.
    for list in [FUNCTION_WORDS, WEAK_WORDS, CONJUNCTIONS, ABBREVIATIONS] {
        for w in list {
            assert!(w.len() <= LONGEST_LISTED && w.is_ascii() && *w == w.to_ascii_lowercase(), "{w}");
        }
    }
    assert!(
        is_one_of("The", FUNCTION_WORDS) && is_one_of("(ALTHOUGH,", CONJUNCTIONS) && is_one_of("e.g.", ABBREVIATIONS)
    );
    assert!(!is_one_of("theatre", FUNCTION_WORDS) && !is_one_of("thé", FUNCTION_WORDS) && !is_one_of("", WEAK_WORDS));
}
