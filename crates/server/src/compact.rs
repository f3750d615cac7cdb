//! Journal compaction: a session's journal, which grows by a line per
//! caption chunk, is rewritten as one snapshot of its live state plus its
//! uploads and their jobs, so that a restart replays a few lines instead of
//! a whole day of chunks.
//!
//! A snapshot is taken only at a quiet moment (no caption text pending, no
//! chunk held for a missing `seq`; see [`Inner::is_quiet`]): then the live
//! assembler holds nothing but the current speaker of each language and
//! where Zoom's numbering goes on, which [`restore`] sets again by priming a
//! fresh assembler. The rewrite is atomic (temporary file, sync, rename,
//! folder sync), so a crash leaves the old journal or the new one, whole.

use rapporteur_captions::live::{Chunk, LiveConfig, LiveSession};
use rapporteur_core::Time;

use crate::feeds::{Feed, SeqSet};
use crate::journal::{Record, Snapshot};
use crate::session::{Inner, JobState};
use crate::ServerError;

/// What a compaction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compaction {
    /// The journal was rewritten: lines before and after.
    Done {
        /// Lines before.
        before: u64,
        /// Lines after.
        after: u64,
    },
    /// Not now: the feed is not at rest (text pending or chunks arriving).
    NotQuiet,
    /// Nothing to do (no journal, or already as short as it gets).
    Nothing,
}

/// The records a compacted journal holds: the snapshot, then every upload
/// and the end of its job, if it ended (jobs still queued run again at start).
pub fn compacted_records(inner: &Inner, now_unix_ms: u64) -> Vec<Record> {
    let speakers = inner
        .live
        .languages()
        .map(|lang| (lang.to_string(), inner.live.assembler_for(lang).and_then(|a| a.speaker()).map(str::to_string)))
        .collect();
    let snapshot = Snapshot {
        at: now_unix_ms,
        origin: inner.origin,
        chunks: inner.chunks,
        last_chunk_at: inner.last_chunk_at,
        finished: inner.finished,
        seqs: inner.seqs.iter().map(|(feed, set)| (*feed, set.ranges())).collect(),
        zoom_seq: inner.seqs.get(&Feed::Zoom).and_then(SeqSet::max),
        speakers,
        segments: inner.live_segments.clone(),
        meta: inner.meta.clone(),
    };
    let mut records = vec![Record::Snapshot(Box::new(snapshot))];
    for (&job, entry) in &inner.jobs {
        records.push(Record::Upload {
            job,
            kind: entry.kind,
            file: entry.file.clone(),
            name: entry.name.clone(),
            at: entry.at,
        });
        match entry.state {
            JobState::Done | JobState::Failed => {
                records.push(Record::JobDone { job, ok: entry.state == JobState::Done, message: entry.message.clone() })
            }
            JobState::Queued | JobState::Running => {}
        }
    }
    records
}

/// Compacts the session's journal if its feed is at rest (the caller holds
/// the session's lock, so no chunk is journaled meanwhile).
pub fn compact(inner: &mut Inner, now_unix_ms: u64) -> Result<Compaction, ServerError> {
    let before = inner.journal_lines();
    if inner.journal.is_none() {
        return Ok(Compaction::Nothing);
    }
    if !inner.is_quiet(now_unix_ms) {
        return Ok(Compaction::NotQuiet);
    }
    let records = compacted_records(inner, now_unix_ms);
    if records.len() as u64 >= before {
        return Ok(Compaction::Nothing);
    }
    let after = records.len() as u64;
    if let Some(journal) = inner.journal.as_mut() {
        journal.rewrite(&records)?;
    }
    Ok(Compaction::Done { before, after })
}

/// Sets a session's live state from a snapshot (replaying a compacted
/// journal): what the chunks before it amounted to, and a live assembler
/// that goes on from there with the same speakers and Zoom numbering.
pub fn restore(inner: &mut Inner, snapshot: Snapshot, config: LiveConfig) {
    let pause_ms = config.pause_ms;
    inner.origin = snapshot.origin;
    inner.chunks = snapshot.chunks;
    inner.last_chunk_at = snapshot.last_chunk_at;
    inner.finished = snapshot.finished;
    inner.seqs = snapshot.seqs.iter().map(|(feed, ranges)| (*feed, SeqSet::from_ranges(ranges))).collect();
    inner.live_segments = snapshot.segments;
    inner.meta = snapshot.meta;
    inner.pending =
        snapshot.speakers.iter().map(|(lang, speaker)| (lang.clone(), (speaker.clone(), String::new()))).collect();
    inner.live =
        primed(config, &snapshot.speakers, snapshot.zoom_seq, snapshot.origin, snapshot.last_chunk_at, pause_ms);
}

/// A live session whose assemblers have the given speakers and nothing
/// pending, and whose Zoom ordering expects the `seq` after `zoom_seq`: a
/// throw-away caption (`>> NAME: x`, numbered `zoom_seq` for the first
/// language) is pushed a pause before the last chunk's time and ended by
/// that pause, and its segment discarded.
fn primed(
    config: LiveConfig,
    speakers: &std::collections::BTreeMap<String, Option<String>>,
    zoom_seq: Option<u64>,
    origin: Option<u64>,
    last_chunk_at: u64,
    pause_ms: u64,
) -> LiveSession {
    let mut live = LiveSession::new(config);
    let last = Time::from_millis(last_chunk_at.saturating_sub(origin.unwrap_or(last_chunk_at)));
    let at = Time::from_millis(last.as_millis().saturating_sub(pause_ms));
    for (n, (lang, speaker)) in speakers.iter().enumerate() {
        let text = match speaker {
            Some(name) => format!(">> {name}: x"),
            None => "x".to_string(),
        };
        let chunk = match zoom_seq.filter(|_| n == 0) {
            Some(seq) => Chunk::numbered(seq, lang.clone(), text, at),
            None => Chunk::unnumbered(lang.clone(), text, at),
        };
        let _ = live.push(chunk);
    }
    let _ = live.tick(Time::from_millis(at.as_millis() + pause_ms));
    live
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Cue, UploadKind};
    use crate::session::{Ingested, SessionState};

    const T0: u64 = 1_700_000_000_000;

    fn chunk(feed: Feed, seq: u64, lang: &str, text: &str, at: u64) -> Record {
        Record::Chunk { feed, seq: Some(seq), lang: lang.into(), text: text.into(), at: T0 + at }
    }

    /// Everything a client can see of a session.
    fn seen(session: &SessionState) -> serde_json::Value {
        let mut value = crate::api::summary(session);
        let inner = session.lock();
        value["live_segments"] = serde_json::to_value(&inner.live_segments).unwrap();
        value
    }

    fn feed(session: &SessionState, records: &[Record]) -> Vec<Ingested> {
        records.iter().map(|r| session.ingest(r.clone(), None).unwrap()).collect()
    }

    #[test]
    fn a_compacted_journal_replays_to_the_same_session_and_goes_on_alike() {
        let dir = tempfile::tempdir().unwrap();
        let original = SessionState::new("ws-1", dir.path());
        feed(
            &original,
            &[
                chunk(Feed::Zoom, 1, "en", ">> ANA SILVA: Good morning everyone. ", 0),
                chunk(Feed::Zoom, 2, "en", "Governments should invest in networks. ", 900),
                chunk(Feed::Zoom, 3, "en", ">> JOHN OKAFOR: We call on regulators to ", 1800),
                chunk(Feed::Zoom, 4, "en", "open spectrum. And mire\u{8}\u{8}\u{8}\u{8}more", 2600),
                chunk(Feed::StreamText, 1, "fr", ">> INTERPRETE: Bonjour a tous. ", 3000),
                Record::Cues {
                    seq: Some(1),
                    lang: "es".into(),
                    cues: vec![Cue { at: T0 + 3100, text: "Hola a todos.".into() }],
                },
            ],
        );
        original
            .record(Record::Upload {
                job: 1,
                kind: UploadKind::Report,
                file: "uploads/ws-1/0001-report-r.md".into(),
                name: "r.md".into(),
                at: T0 + 3200,
            })
            .unwrap();
        original.record(Record::JobDone { job: 1, ok: true, message: "stored".into() }).unwrap();
        original
            .record(Record::Upload {
                job: 2,
                kind: UploadKind::Captions,
                file: "f".into(),
                name: "c.vtt".into(),
                at: T0,
            })
            .unwrap();
        // Text is pending: not now.
        assert_eq!(original.compact(T0 + 3300).unwrap(), Compaction::NotQuiet);
        // A pause ends the pending segments; then the feed is at rest.
        original.tick(T0 + 20_000, None);
        let before = seen(&original);
        assert!(before["live_segments"].as_array().unwrap().len() >= 6, "{before}");
        assert_eq!(original.compact(T0 + 20_000).unwrap(), Compaction::Done { before: 9, after: 4 });
        let text = std::fs::read_to_string(dir.path().join("ws-1.jsonl")).unwrap();
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(text.starts_with("{\"op\":\"snapshot\""), "{text}");

        // Replayed from a copy, so that both sessions below append to journals of their own.
        let copy = tempfile::tempdir().unwrap();
        std::fs::copy(dir.path().join("ws-1.jsonl"), copy.path().join("ws-1.jsonl")).unwrap();
        let reopened = SessionState::open("ws-1", copy.path()).unwrap();
        assert_eq!(seen(&reopened), before);
        {
            let inner = reopened.lock();
            assert_eq!(inner.jobs[&1].state, JobState::Done);
            assert_eq!(inner.jobs[&2].state, JobState::Queued, "an unfinished job runs again at start");
        }

        // Both go on alike: retries of every feed recognised, speakers and
        // Zoom's numbering carried over, new segments timed the same.
        let next = [
            chunk(Feed::Zoom, 4, "en", "open spectrum.", 30_000),
            chunk(Feed::StreamText, 1, "fr", "Bonjour a tous. ", 30_000),
            Record::Cues { seq: Some(1), lang: "es".into(), cues: vec![Cue { at: T0 + 30_000, text: "Hola.".into() }] },
            chunk(Feed::Zoom, 6, "en", "Thanks. ", 31_000),
            chunk(Feed::Zoom, 5, "en", "Affordable devices matter. ", 31_500),
            chunk(Feed::StreamText, 2, "fr", "Merci. ", 32_000),
        ];
        let expected = [Ingested::Retry, Ingested::Retry, Ingested::Retry];
        assert_eq!(feed(&original, &next)[..3], expected[..]);
        assert_eq!(feed(&reopened, &next)[..3], expected[..]);
        original.tick(T0 + 60_000, None);
        reopened.tick(T0 + 60_000, None);
        let after = seen(&original);
        assert_eq!(seen(&reopened), after);
        let segments = after["live_segments"].as_array().unwrap();
        let last = segments.iter().rev().find(|s| s["text"] == "Thanks.").unwrap();
        assert_eq!(last["speaker"], "JOHN OKAFOR", "{after}");
        let order: Vec<&str> = segments.iter().map(|s| s["text"].as_str().unwrap()).collect();
        let (a, b) = (
            order.iter().position(|t| *t == "Affordable devices matter.").unwrap(),
            order.iter().position(|t| *t == "Thanks.").unwrap(),
        );
        assert!(a < b, "Zoom's order is kept after the snapshot: {order:?}");
        assert_eq!(after["live"]["seqs"], serde_json::json!({"zoom": 6, "streamtext": 2, "youtube": 1}));

        // And the journal (snapshot + new lines) replays to the same again.
        drop(reopened);
        let again = SessionState::open("ws-1", copy.path()).unwrap();
        again.tick(T0 + 60_000, None);
        assert_eq!(seen(&again), after);
    }

    #[test]
    fn nothing_to_compact_without_a_journal_or_when_short() {
        let dir = tempfile::tempdir().unwrap();
        let session = SessionState::new("ws-2", dir.path());
        assert_eq!(session.compact(T0).unwrap(), Compaction::Nothing);
        session.ingest(chunk(Feed::Zoom, 1, "en", "Hello. ", 0), None).unwrap();
        session.tick(T0 + 10_000, None);
        assert_eq!(session.compact(T0 + 10_000).unwrap(), Compaction::Nothing);
    }

    #[test]
    fn feeds_number_their_own_posts() {
        let dir = tempfile::tempdir().unwrap();
        let session = SessionState::new("ws-3", dir.path());
        let applied = feed(
            &session,
            &[
                chunk(Feed::Zoom, 1, "en", "One. ", 0),
                chunk(Feed::StreamText, 1, "en", "Two. ", 10),
                Record::Cues {
                    seq: Some(1),
                    lang: "en".into(),
                    cues: vec![Cue { at: T0 + 20, text: "Three.".into() }],
                },
                chunk(Feed::Zoom, 1, "en", "One. ", 30),
                chunk(Feed::Zoom, 2, "en", "Four. ", 40),
            ],
        );
        use Ingested::*;
        assert_eq!(applied, vec![Applied, Applied, Applied, Retry, Applied]);
        let inner = session.lock();
        assert_eq!(inner.seen_max(), Some(2));
        assert_eq!(inner.last_seq_of(Feed::YouTube), Some(1));
        assert_eq!(inner.chunks, 4);
    }
}
