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
