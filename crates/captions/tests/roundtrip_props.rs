//! Round trips through the writers and readers, for arbitrary transcripts.
//!
//! * JSON: `read(write(t)) == t`, exactly, session and all.
//! * WebVTT and SRT, when every segment fits in one cue: the times, speakers
//!   and texts come back (as `caption` segments with `exact` timing).
//! * WebVTT and SRT with long segments, cut into many cues: each speaker's
//!   text and the overall time span come back.

use proptest::prelude::*;
use rapporteur_captions::read::{self, ReadOptions};
use rapporteur_captions::write::{self, OutputFormat, WriteOptions};
use rapporteur_core::{Segment, Session, Source, Speaker, Time, Timing, Transcript, Word};

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(any::<String>())
}

fn session() -> impl Strategy<Value = Session> {
    (
        "[a-z0-9][a-z0-9._-]{0,30}",
        opt_text(),
        opt_text(),
        prop::collection::vec(any::<String>(), 0..3),
        (opt_text(), opt_text(), opt_text(), opt_text()),
        prop::collection::vec((any::<String>(), opt_text(), opt_text(), opt_text()), 0..3),
    )
        .prop_map(|(id, title, session_type, tracks, (room, date, time, language), speakers)| Session {
            id,
            title,
            session_type,
            tracks,
            room,
            date,
            time,
            language,
            speakers: speakers
                .into_iter()
                .map(|(name, role, affiliation, stakeholder)| Speaker { name, role, affiliation, stakeholder })
                .collect(),
        })
}

fn source() -> impl Strategy<Value = Source> {
    prop_oneof![Just(Source::Caption), Just(Source::Asr), Just(Source::Report)]
}

fn timing() -> impl Strategy<Value = Timing> {
    prop_oneof![Just(Timing::Exact), Just(Timing::Estimated), Just(Timing::Aligned)]
}

fn ms() -> impl Strategy<Value = Time> {
    // Up to about 115 days: far beyond any session, well inside f64's exact range.
    (0u64..10_000_000_000).prop_map(Time::from_millis)
}

fn any_segment() -> impl Strategy<Value = Segment> {
    let words = prop::option::of(prop::collection::vec(
        (ms(), ms(), any::<String>()).prop_map(|(start, end, text)| Word { start, end, text }),
        0..5,
    ));
    (ms(), ms(), opt_text(), any::<String>(), source(), timing(), words).prop_map(
        |(start, end, speaker, text, source, timing, words)| Segment {
            start,
            end,
            speaker,
            text,
            source,
            timing,
            words,
        },
    )
}

fn any_transcript() -> impl Strategy<Value = Transcript> {
    (session(), prop::collection::vec(any_segment(), 0..20))
        .prop_map(|(session, segments)| Transcript { session, segments })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn json_round_trips_exactly(t in any_transcript()) {
        let json = write::to_string(&t, OutputFormat::Json, &WriteOptions::default()).unwrap();
        let (back, _warnings) = read::read_str(&json, "transcript.json", &ReadOptions::default())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{json}")))?;
        prop_assert_eq!(back, t);
    }
}

// ---------------------------------------------------------------------------
// WebVTT and SRT.

/// Words of caption text: ordinary words, punctuation, annotations, dashes,
/// accents, CJK, emoji, and the characters markup formats care about.
fn caption_word() -> impl Strategy<Value = String> {
    let pool = vec![
        "the",
        "and",
        "of",
        "Internet",
        "governance",
        "multistakeholder",
        "data,",
        "now.",
        "why?",
        "Yes!",
        "(inaudible)",
        "(off microphone)",
        "‑‑",
        "—",
        "café",
        "naïve",
        "e\u{301}",
        "中文",
        "العربية",
        "😀",
        "👍🏽",
        "&",
        "R&D",
        "5%",
        "\"quoted\"",
        "it's",
        "IGF",
        "2020",
        "10:30",
        "e.g.",
        "a|b",
        "{x}",
        "x_y",
        "*",
        "<",
        ">",
        "3<4",
        "a>b",
        "<b>",
        "&amp;",
        "-->",
        "{\\an8}",
    ];
    prop_oneof![
        6 => prop::sample::select(pool).prop_map(String::from),
        3 => "[a-z]{1,10}[.,;?!]?",
        1 => "[A-Z][a-z]{1,9}",
    ]
}

fn caption_text(words: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    (prop::collection::vec(caption_word(), words), prop::sample::select(vec![" ", "  ", " \t"]))
        .prop_map(|(w, sep)| w.join(sep))
}

/// Speaker names as people, captioners and diarisation spell them.
fn caption_speaker() -> BoxedStrategy<Option<String>> {
    let special = vec![
        "Ana & Bo",
        "<chair>",
        "a > b",
        "Zoë Ñúñez",
        "中文 名字",
        "SPEAKER_00",
        "ana lópez",
        "MS. DIALLO",
        "JOSÉ O'NEILL",
        "PERSON7",
    ];
    let names = prop_oneof![
        "[A-Za-z][A-Za-z .'-]{0,20}[A-Za-z.]",
        "[A-Z]{2,8}( [A-Z]{2,8}){0,2}",
        "(MS\\. |MR\\. |DR\\. )?[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8}){0,2}",
        prop::sample::select(special).prop_map(String::from),
    ];
    prop::option::weighted(0.8, names).boxed()
}

/// Transcripts whose segments are in time order and do not overlap.
fn caption_transcript(words: std::ops::Range<usize>) -> impl Strategy<Value = Transcript> {
    let segment = (0u64..5_000, 1u64..20_000, caption_speaker(), caption_text(words));
    prop::collection::vec(segment, 1..12).prop_map(move |parts| {
        let mut t = Transcript::new(Session::new("roundtrip"));
        let mut clock = 0;
        for (gap, length, speaker, text) in parts {
            let start = clock + gap;
            clock = start + length;
            t.segments.push(Segment::new(
                Time::from_millis(start),
                Time::from_millis(clock),
                speaker,
                text,
                Source::Caption,
                Timing::Estimated,
            ));
        }
        t
    })
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a caption file can hold of a segment: times, speaker and text, single-spaced.
fn as_caption(segment: &Segment) -> (Time, Time, Option<String>, String) {
    (segment.start, segment.end, segment.speaker.as_deref().map(one_line), one_line(&segment.text))
}

fn write_and_read(t: &Transcript, format: OutputFormat) -> Result<(String, Transcript), TestCaseError> {
    let written = write::to_string(t, format, &WriteOptions::default()).unwrap();
    let name = format!("roundtrip.{}", format.extension());
    let (back, _) = read::read_str(&written, &name, &ReadOptions::default())
        .map_err(|e| TestCaseError::fail(format!("{e}\n{written}")))?;
    Ok((written, back))
}

fn cue_count(written: &str) -> usize {
    written.lines().filter(|l| l.contains(" --> ")).count()
}

/// Each speaker's words in order (by speaker, in order of first appearance).
type WordsBySpeaker = Vec<(Option<String>, String)>;

/// Each speaker's words in order, and the time span of the whole transcript.
fn words_by_speaker(t: &Transcript) -> (WordsBySpeaker, Option<(Time, Time)>) {
    let mut by_speaker = WordsBySpeaker::new();
    for s in &t.segments {
        let speaker = s.speaker.as_deref().map(one_line);
        let text = one_line(&s.text);
        match by_speaker.iter_mut().find(|(name, _)| *name == speaker) {
            Some((_, all)) => {
                all.push(' ');
                all.push_str(&text);
            }
            None => by_speaker.push((speaker, text)),
        }
    }
    let span = t.segments.first().zip(t.segments.last()).map(|(a, b)| (a.start, b.end));
    (by_speaker, span)
}

fn short_segments_round_trip(t: &Transcript, format: OutputFormat) -> Result<(), TestCaseError> {
    let (written, back) = write_and_read(t, format)?;
    // Only transcripts whose every segment is one cue (the speaker marker included).
    prop_assume!(cue_count(&written) == t.segments.len());
    let want: Vec<_> = t.segments.iter().map(as_caption).collect();
    let got: Vec<_> = back.segments.iter().map(as_caption).collect();
    prop_assert_eq!(got, want, "\n{}", written);
    for s in &back.segments {
        prop_assert_eq!(s.source, Source::Caption);
        prop_assert_eq!(s.timing, Timing::Exact);
    }
    Ok(())
}

fn long_segments_keep_words_and_span(t: &Transcript, format: OutputFormat) -> Result<(), TestCaseError> {
    let (written, back) = write_and_read(t, format)?;
    prop_assert_eq!(words_by_speaker(&back), words_by_speaker(t), "\n{}", written);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn vtt_round_trips_short_segments(t in caption_transcript(1..7)) {
        short_segments_round_trip(&t, OutputFormat::Vtt)?;
    }

    #[test]
    fn srt_round_trips_short_segments(t in caption_transcript(1..7)) {
        short_segments_round_trip(&t, OutputFormat::Srt)?;
    }

    #[test]
    fn vtt_keeps_each_speakers_words_and_the_span_of_long_segments(t in caption_transcript(10..80)) {
        long_segments_keep_words_and_span(&t, OutputFormat::Vtt)?;
    }

    #[test]
    fn srt_keeps_each_speakers_words_and_the_span_of_long_segments(t in caption_transcript(10..80)) {
        long_segments_keep_words_and_span(&t, OutputFormat::Srt)?;
    }
}
