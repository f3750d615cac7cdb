use proptest::prelude::*;
use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript, Word};

use super::sequence::{self, Pair, Step};
use super::tokens::{is_annotation, loose_key, Token};
use super::*;

fn captions(segments: &[(&str, &str)]) -> Transcript {
    let mut t = Transcript::new(Session::new("test"));
    for (speaker, text) in segments {
        t.segments.push(Segment::new(
            Time::ZERO,
            Time::ZERO,
            Some((*speaker).to_string()),
            *text,
            Source::Caption,
            Timing::Estimated,
        ));
    }
    t
}

/// Recognised words, each `ms` long, back to back from `start`, with `pause` ms
/// more before any word written with a leading `|`.
fn heard(text: &str, start: u64, ms: u64, pause: u64) -> Vec<Word> {
    let mut t = start;
    text.split_whitespace()
        .map(|w| {
            let (w, paused) = match w.strip_prefix('|') {
                Some(rest) => (rest, true),
                None => (w, false),
            };
            if paused {
                t += pause;
            }
            let word = Word { start: Time::from_millis(t), end: Time::from_millis(t + ms), text: w.to_string() };
            t += ms;
            word
        })
        .collect()
}

fn tokens(ids: &[u32]) -> Vec<Token> {
    ids.iter().enumerate().map(|(i, &w)| Token { word: w, key: w / 2, owner: i }).collect()
}

/// Every index of both sequences exactly once, in order.
fn check_valid(steps: &[Step], n: usize, m: usize) {
    let (mut i, mut j) = (0, 0);
    for step in steps {
        match *step {
            Step::Pair(a, b, _) => {
                assert_eq!((a, b), (i, j));
                i += 1;
                j += 1;
            }
            Step::OnlyA(a) => {
                assert_eq!(a, i);
                i += 1;
            }
            Step::OnlyB(b) => {
                assert_eq!(b, j);
                j += 1;
            }
        }
    }
    assert_eq!((i, j), (n, m));
}

#[test]
fn identical_sequences_pair_every_token() {
    let a = tokens(&[1, 2, 3, 4, 5, 3, 2]);
    let steps = sequence::align(&a, &a);
    assert!(steps.iter().enumerate().all(|(k, s)| *s == Step::Pair(k, k, Pair::Match)), "{steps:?}");
}

#[test]
fn insertions_and_deletions_are_gaps() {
    let a = tokens(&[10, 20, 30, 40, 50]);
    let b = tokens(&[10, 30, 40, 99, 50]);
    let steps = sequence::align(&a, &b);
    check_valid(&steps, 5, 5);
    let pairs: Vec<(usize, usize)> =
        steps.iter().filter_map(|s| if let Step::Pair(i, j, Pair::Match) = *s { Some((i, j)) } else { None }).collect();
    assert_eq!(pairs, vec![(0, 0), (2, 1), (3, 2), (4, 4)]);
}

#[test]
fn loose_keys_fold_spellings_plurals_and_numbers() {
    assert_eq!(loose_key("organisation"), loose_key("organization"));
    assert_eq!(loose_key("organisations"), loose_key("organization"));
    assert_eq!(loose_key("centre"), loose_key("center"));
    assert_eq!(loose_key("behaviour"), loose_key("behavior"));
    assert_eq!(loose_key("countries"), loose_key("country"));
    assert_eq!(loose_key("two"), loose_key("2"));
    assert_eq!(loose_key("don't"), loose_key("dont"));
    assert_ne!(loose_key("access"), loose_key("acces"));
    assert_ne!(loose_key("governance"), loose_key("governments"));
}

#[test]
fn annotations_are_not_words() {
    let mut depth = 0;
    let flags: Vec<bool> = "yes (off microphone) thank you [inaudible] (laughs) fine"
        .split_whitespace()
        .map(|w| is_annotation(w, &mut depth))
        .collect();
    assert_eq!(flags, [false, true, true, false, false, true, true, false]);
}

#[test]
fn caption_words_take_the_times_of_their_asr_words() {
    let c = captions(&[("CHAIR", "Good morning, and welcome."), ("MS. DIALLO", "Thank you, Chair. (off microphone)")]);
    let asr = heard("good morning and welcome |thank you chair", 1_000, 300, 2_000);
    let aligned = align(&c, &asr, &AlignOptions::default()).unwrap();
    let s = &aligned.transcript.segments;
    assert_eq!((s[0].start.as_millis(), s[0].end.as_millis()), (1_000, 2_200));
    assert_eq!(s[1].start.as_millis(), 4_200);
    assert_eq!(s[1].text, "Thank you, Chair. (off microphone)");
    assert_eq!(s[1].speaker.as_deref(), Some("MS. DIALLO"));
    assert!(s.iter().all(|s| s.timing == Timing::Aligned && s.source == Source::Caption));
    // The annotation is placed after the last spoken word, at the speaking rate.
    let words = s[1].words.as_ref().unwrap();
    assert_eq!(words.len(), 5);
    assert_eq!(words[3].start.as_millis(), 5_100);
    assert_eq!(aligned.stats.matched, 7);
    assert_eq!(aligned.stats.interpolated, 2);
}

#[test]
fn misrecognised_words_take_the_place_of_what_was_heard() {
    let c = captions(&[("A", "We need rules that are clear and fair for every system.")]);
    let asr = heard("we need rolls that are clear in fair for every system", 0, 500, 0);
    let aligned = align(&c, &asr, &AlignOptions::default()).unwrap();
    let words = aligned.transcript.segments[0].words.clone().unwrap();
    // "rules" was heard as "rolls" (word 2), "and" as "in" (word 6).
    assert_eq!(words[2].start.as_millis(), 1_000);
    assert_eq!(words[6].start.as_millis(), 3_000);
    assert_eq!(aligned.stats.substituted, 2);
}

#[test]
fn a_turn_whose_first_words_were_missed_starts_after_the_pause() {
    // Whisper missed "Indeed, yes." at the start of B's turn; the pause belongs between the turns.
    let c = captions(&[
        ("A", "the first speaker talks for a while here"),
        ("B", "Indeed, yes. The second speaker answers now"),
    ]);
    let asr = heard("the first speaker talks for a while here |the second speaker answers now", 0, 400, 10_000);
    let aligned = align(&c, &asr, &AlignOptions::default()).unwrap();
    let s = &aligned.transcript.segments;
    assert_eq!(s[0].end.as_millis(), 3_200);
    let b_the = 3_200 + 10_000;
    let start = s[1].start.as_millis();
    assert!(start < b_the && start + 1_500 > b_the, "B starts at {start}, its third word at {b_the}");
}

#[test]
fn a_stray_match_far_away_is_not_used() {
    // The recording has two minutes of other talk before the captioned part,
    // with a "the" in it; the captions begin "the meeting".
    let mut asr = heard(&"people arrive and talk about the weather outside today ".repeat(30), 0, 400, 0);
    let start = asr.last().unwrap().end.as_millis() + 5_000;
    asr.extend(heard("the meeting is now open please take your seats", start, 400, 0));
    let c = captions(&[("CHAIR", "The meeting is now open. Please take your seats.")]);
    let aligned = align(&c, &asr, &AlignOptions::default()).unwrap();
    let s = &aligned.transcript.segments[0];
    assert_eq!(s.start.as_millis(), start, "{:?}", s.words);
}

#[test]
fn unrelated_captions_are_an_error() {
    let c = captions(&[("A", "Completely different words appear here.")]);
    let asr = heard("nothing said matches anything written", 0, 300, 0);
    assert_eq!(
        align(&c, &asr, &AlignOptions::default()).unwrap_err(),
        AlignError::NothingInCommon { caption_words: 5, asr_words: 5 }
    );
    assert_eq!(
        align(&captions(&[("A", "(applause)")]), &asr, &AlignOptions::default()).unwrap_err(),
        AlignError::NoCaptionWords
    );
    assert_eq!(align(&c, &[], &AlignOptions::default()).unwrap_err(), AlignError::NoSpeech);
}

#[test]
fn segments_without_words_keep_their_place() {
    let c = captions(&[("A", "hello there everyone"), ("B", ""), ("A", "welcome back")]);
    let asr = heard("hello there everyone welcome back", 0, 500, 0);
    let aligned = align(&c, &asr, &AlignOptions::default()).unwrap();
    let s = &aligned.transcript.segments;
    assert_eq!((s[1].start, s[1].end), (s[0].end, s[0].end));
    assert_eq!(s[1].timing, Timing::Estimated);
    assert_eq!(s[2].start.as_millis(), 1_500);
}

#[test]
fn a_long_session_aligns_in_linear_memory() {
    // 3,000 words a side through Hirschberg (9 M cells > the full-matrix limit).
    let vocabulary: Vec<String> = (0..400).map(|i| format!("w{i}")).collect();
    let mut state = 7u64;
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let said: Vec<&str> = (0..3_000).map(|_| vocabulary[next() % vocabulary.len()].as_str()).collect();
    // Whisper gets one word in ten wrong.
    let recognised: Vec<String> =
        said.iter().map(|w| if next() % 10 == 0 { "xx".to_string() } else { (*w).to_string() }).collect();
    let text: Vec<String> = said.chunks(50).map(|c| c.join(" ")).collect();
    let segments: Vec<(&str, &str)> = text.iter().map(|t| ("S", t.as_str())).collect();
    let asr = heard(&recognised.join(" "), 0, 350, 0);
    let aligned = align(&captions(&segments), &asr, &AlignOptions::default()).unwrap();
    for (k, s) in aligned.transcript.segments.iter().enumerate() {
        assert_eq!(s.start.as_millis(), (k as u64) * 50 * 350, "segment {k}");
    }
    assert!(aligned.stats.coverage() > 0.99, "{:?}", aligned.stats);
}

fn id_seq() -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::vec(0u32..8, 0..40)
}

proptest! {
    /// Hirschberg's divide and conquer finds an alignment as good as the full matrix.
    #[test]
    fn linear_memory_alignment_is_optimal(a in id_seq(), b in id_seq()) {
        let (a, b) = (tokens(&a), tokens(&b));
        let full = sequence::align_with_limit(&a, &b, usize::MAX);
        let split = sequence::align_with_limit(&a, &b, 1);
        check_valid(&full, a.len(), b.len());
        check_valid(&split, a.len(), b.len());
        prop_assert_eq!(sequence::score(&a, &b, &full), sequence::score(&a, &b, &split));
    }

    /// Captions aligned to a noisy recognition of themselves: every word gets a
    /// time, times never go backwards, and words recognised as said (with
    /// their neighbours) keep the recognised times.
    #[test]
    fn retimed_words_follow_the_recording(
        said in proptest::collection::vec(0usize..30, 5..120),
        edits in proptest::collection::vec(0u8..20, 120),
        breaks in proptest::collection::vec(any::<bool>(), 120),
    ) {
        let word = |i: usize| format!("word{i}");
        // The recording: each word 300 ms; edit 0 drops a word, 1 changes it, 2 adds one.
        let mut asr: Vec<Word> = Vec::new();
        let mut truth: Vec<Option<u64>> = Vec::new();
        let mut t = 0;
        for (k, &w) in said.iter().enumerate() {
            let mut push = |text: String, t: &mut u64| {
                asr.push(Word { start: Time::from_millis(*t), end: Time::from_millis(*t + 300), text });
                *t += 300;
            };
            match edits[k] {
                0 => truth.push(None),
                1 => { truth.push(None); push("zzz".into(), &mut t); }
                2 => { push("extra".into(), &mut t); truth.push(Some(t)); push(word(w), &mut t); }
                _ => { truth.push(Some(t)); push(word(w), &mut t); }
            }
        }
        let mut segments: Vec<String> = vec![String::new()];
        for (k, &w) in said.iter().enumerate() {
            if breaks[k] && k > 0 && k % 7 == 0 { segments.push(String::new()); }
            let last = segments.last_mut().unwrap();
            if !last.is_empty() { last.push(' '); }
            last.push_str(&word(w));
        }
        let c = captions(&segments.iter().map(|s| ("S", s.as_str())).collect::<Vec<_>>());
        let Ok(aligned) = align(&c, &asr, &AlignOptions::default()) else {
            // Only when nothing at all was recognised as said.
            prop_assert!(truth.iter().all(Option::is_none) || asr.is_empty());
            return Ok(());
        };
        let words: Vec<Word> = aligned.transcript.segments.iter().flat_map(|s| s.words.clone().unwrap_or_default()).collect();
        prop_assert_eq!(words.len(), said.len());
        prop_assert!(words.windows(2).all(|w| w[0].start <= w[1].start));
        prop_assert!(words.iter().all(|w| w.start <= w.end));
        prop_assert!(aligned.transcript.segments.iter().all(|s| s.start <= s.end));
        // A word recognised as said, whose neighbours were too, keeps its time
        // unless the same word was said nearby (then either place is right).
        for k in 1..said.len().saturating_sub(1) {
            let (Some(_), Some(time), Some(_)) = (truth[k - 1], truth[k], truth[k + 1]) else { continue };
            let repeated = (k.saturating_sub(6)..(k + 7).min(said.len())).any(|o| o != k && said[o] == said[k]);
            if !repeated && aligned.stats.coverage() > 0.5 {
                prop_assert_eq!(words[k].start.as_millis(), time, "word {} {:?}", k, &words[k]);
            }
        }
    }
}
