//! Numbered chunks into `seq` order: retries applied once, reordering undone,
//! gaps waited for and then skipped.
//!
//! Zoom's captioning API numbers every POST (`seq`), repeats the number on a
//! retry and answers `GET .../seq` with the last number received. HTTP gives
//! no ordering between POSTs in flight, so chunks may arrive out of order; a
//! lost one never arrives. The sequencer holds chunks that arrive ahead of a
//! missing one, for at most `gap_wait_ms` after the first of them arrived,
//! then gives the missing ones up. Nothing received is ever dropped except
//! retries: a chunk that arrives after its number was given up is applied at
//! once, out of order, with a warning.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, VecDeque};
use std::hash::{Hash, Hasher};

use rapporteur_core::Time;

use super::chunk::Chunk;
use super::seqset::SeqSet;
use super::LiveConfig;

/// How many recently applied chunks are remembered, to tell a true retry from
/// a different chunk reusing a number.
const RECENT_FINGERPRINTS: usize = 1024;

/// What the sequencer decided, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// Apply this chunk to its language's stream now.
    Apply(Chunk),
    /// Tell the caller (the chunk's language, if one is concerned).
    Warn { lang: Option<String>, message: String },
}

/// One `seq` counter's state.
#[derive(Debug, Clone)]
pub(crate) struct Sequencer {
    gap_wait_ms: u64,
    start_wait_ms: u64,
    /// The `seq` the stream started at, once fixed.
    start: Option<u64>,
    /// The next `seq` to apply, once the start is fixed.
    next: Option<u64>,
    /// Chunks received ahead of `next`.
    held: BTreeMap<u64, Chunk>,
    applied: SeqSet,
    recent: VecDeque<(u64, u64)>,
    last_seq: Option<u64>,
    now: Time,
}

impl Sequencer {
    pub(crate) fn new(config: &LiveConfig) -> Self {
        Sequencer {
            gap_wait_ms: config.gap_wait_ms,
            start_wait_ms: config.start_wait_ms,
            start: None,
            next: None,
            held: BTreeMap::new(),
            applied: SeqSet::default(),
            recent: VecDeque::new(),
            last_seq: None,
            now: Time::ZERO,
        }
    }

    /// The highest `seq` received (held or applied): what Zoom's `GET .../seq` answers.
    pub(crate) fn last_seq(&self) -> Option<u64> {
        self.last_seq
    }

    /// Takes a numbered chunk and says what to apply now.
    pub(crate) fn push(&mut self, seq: u64, chunk: Chunk, out: &mut Vec<Step>) {
        self.now = self.now.max(chunk.arrival);
        self.last_seq = Some(self.last_seq.map_or(seq, |last| last.max(seq)));
        if self.applied.contains(seq) {
            self.check_retry_of_applied(seq, &chunk, out);
        } else if let Some(held) = self.held.get(&seq) {
            if held.lang != chunk.lang || held.text != chunk.text {
                out.push(reused_number(seq, &chunk));
            }
        } else if self.next.is_some_and(|next| seq < next) {
            out.push(Step::Warn { lang: Some(chunk.lang.clone()), message: self.late_message(seq, &chunk) });
            self.apply(seq, chunk, out);
        } else {
            self.held.insert(seq, chunk);
        }
        self.release(out);
    }

    /// Time has passed without a chunk: give up gaps waited for long enough.
    pub(crate) fn tick(&mut self, now: Time, out: &mut Vec<Step>) {
        self.now = self.now.max(now);
        self.release(out);
    }

    /// The feed is over: apply everything held, in order, naming the gaps.
    pub(crate) fn finish(&mut self, out: &mut Vec<Step>) {
        while let Some((seq, chunk)) = self.held.pop_first() {
            if let Some(next) = self.next.filter(|&next| next < seq) {
                out.push(Step::Warn {
                    lang: None,
                    message: format!("{} never arrived before the feed ended", seq_range(next, seq)),
                });
            }
            self.start.get_or_insert(seq);
            self.apply(seq, chunk, out);
            self.next = Some(seq.saturating_add(1));
        }
    }

    fn release(&mut self, out: &mut Vec<Step>) {
        loop {
            if let Some(next) = self.next {
                if let Some(chunk) = self.held.remove(&next) {
                    self.apply(next, chunk, out);
                    self.next = Some(next.saturating_add(1));
                    continue;
                }
            }
            // Nothing applies in order: has the oldest held chunk waited long enough?
            let Some(oldest) = self.held.values().map(|c| c.arrival).min() else { break };
            let wait = if self.next.is_none() { self.start_wait_ms } else { self.gap_wait_ms };
            if self.now.millis_since(oldest) < wait {
                break;
            }
            let Some(&first_held) = self.held.keys().next() else { break };
            if let Some(next) = self.next {
                out.push(Step::Warn {
                    lang: None,
                    message: format!(
                        "{} missing: gave up after waiting {} ms and went on with seq {first_held}; \
                         if it still arrives it is applied then, out of order",
                        seq_range(next, first_held),
                        self.gap_wait_ms
                    ),
                });
            } else {
                self.start = Some(first_held);
            }
            self.next = Some(first_held);
        }
    }

    fn apply(&mut self, seq: u64, chunk: Chunk, out: &mut Vec<Step>) {
        self.applied.insert(seq);
        if self.recent.len() == RECENT_FINGERPRINTS {
            self.recent.pop_front();
        }
        self.recent.push_back((seq, fingerprint(&chunk)));
        out.push(Step::Apply(chunk));
    }

    fn check_retry_of_applied(&self, seq: u64, chunk: &Chunk, out: &mut Vec<Step>) {
        let print = fingerprint(chunk);
        if self.recent.iter().any(|&(s, p)| s == seq && p != print) {
            out.push(reused_number(seq, chunk));
        }
    }

    fn late_message(&self, seq: u64, chunk: &Chunk) -> String {
        let when = chunk.arrival.to_vtt();
        match self.start {
            Some(start) if seq < start => format!(
                "seq {seq} arrived at {when}, after the feed had started at seq {start}; \
                 its text is applied now, out of order"
            ),
            _ => format!(
                "seq {seq} arrived at {when}, after it had been given up; its text is applied now, out of order"
            ),
        }
    }
}

fn reused_number(seq: u64, chunk: &Chunk) -> Step {
    Step::Warn {
        lang: Some(chunk.lang.clone()),
        message: format!(
            "seq {seq} arrived again at {} with a different language or text; the first one received is kept \
             (a retry repeats its chunk; if each language has its own counter, use SeqScope::Language)",
            chunk.arrival.to_vtt()
        ),
    }
}

/// `seq 6` or `seqs 6-8` for the numbers from `from` up to, not including, `to`.
fn seq_range(from: u64, to: u64) -> String {
    let last = to.saturating_sub(1);
    if last <= from {
        format!("seq {from}")
    } else {
        format!("seqs {from}-{last}")
    }
}

fn fingerprint(chunk: &Chunk) -> u64 {
    let mut hasher = DefaultHasher::new();
    chunk.lang.hash(&mut hasher);
    chunk.text.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(seq: u64, text: &str, at: u64) -> (u64, Chunk) {
        (seq, Chunk::numbered(seq, "en", text, Time::from_millis(at)))
    }

    fn applied(steps: &[Step]) -> String {
        steps
            .iter()
            .filter_map(|s| match s {
                Step::Apply(c) => Some(c.text.as_str()),
                Step::Warn { .. } => None,
            })
            .collect()
    }

    fn warnings(steps: &[Step]) -> Vec<&str> {
        steps
            .iter()
            .filter_map(|s| match s {
                Step::Warn { message, .. } => Some(message.as_str()),
                Step::Apply(_) => None,
            })
            .collect()
    }

    /// Name, config, chunks pushed (seq, text, arrival), then a tick at,
    /// expected text applied, expected warnings containing.
    type Case<'a> = (&'a str, LiveConfig, Vec<(u64, &'a str, u64)>, Option<u64>, &'a str, Vec<&'a str>);

    #[test]
    fn ordering_table() {
        let no_start_wait = LiveConfig { start_wait_ms: 0, ..LiveConfig::default() };
        let cases: Vec<Case<'_>> = vec![
            ("in order", no_start_wait.clone(), vec![(1, "a", 0), (2, "b", 10), (3, "c", 20)], None, "abc", vec![]),
            (
                "retry applied once",
                no_start_wait.clone(),
                vec![(1, "a", 0), (1, "a", 5), (2, "b", 10)],
                None,
                "ab",
                vec![],
            ),
            ("starts anywhere", no_start_wait.clone(), vec![(41, "a", 0), (42, "b", 10)], None, "ab", vec![]),
            ("reordered", no_start_wait.clone(), vec![(1, "a", 0), (3, "c", 10), (2, "b", 20)], None, "abc", vec![]),
            ("gap still waited for", no_start_wait.clone(), vec![(1, "a", 0), (3, "c", 10)], Some(2009), "a", vec![]),
            (
                "gap given up",
                no_start_wait.clone(),
                vec![(1, "a", 0), (3, "c", 10), (4, "d", 20)],
                Some(2010),
                "acd",
                vec!["seq 2 missing"],
            ),
            (
                "gap measured by a later chunk",
                no_start_wait.clone(),
                vec![(1, "a", 0), (4, "d", 10), (5, "e", 2010)],
                None,
                "ade",
                vec!["seqs 2-3 missing"],
            ),
            (
                "late chunk applied at arrival",
                no_start_wait.clone(),
                vec![(1, "a", 0), (3, "c", 10), (4, "d", 2010), (2, "b", 2020)],
                None,
                "acdb",
                vec!["seq 2 missing", "seq 2 arrived at 00:00:02.020, after it had been given up"],
            ),
            (
                "retry of a held chunk",
                no_start_wait.clone(),
                vec![(1, "a", 0), (3, "c", 10), (3, "c", 20), (2, "b", 30)],
                None,
                "abc",
                vec![],
            ),
            (
                "reused number",
                no_start_wait.clone(),
                vec![(1, "a", 0), (1, "x", 10)],
                None,
                "a",
                vec!["seq 1 arrived again at 00:00:00.010 with a different language or text"],
            ),
            (
                "start waits for a lower seq",
                LiveConfig::default(),
                vec![(5, "c", 0), (3, "a", 10), (4, "b", 20)],
                Some(2000),
                "abc",
                vec![],
            ),
            ("start still held", LiveConfig::default(), vec![(5, "c", 0), (6, "d", 1999)], None, "", vec![]),
            (
                "no start wait: lower seq is late",
                no_start_wait.clone(),
                vec![(5, "c", 0), (4, "b", 10)],
                None,
                "cb",
                vec!["seq 4 arrived at 00:00:00.010, after the feed had started at seq 5"],
            ),
        ];
        for (name, config, pushes, tick, want_text, want_warnings) in cases {
            let mut seq = Sequencer::new(&config);
            let mut out = Vec::new();
            for (n, text, at) in pushes {
                let (n, c) = chunk(n, text, at);
                seq.push(n, c, &mut out);
            }
            if let Some(at) = tick {
                seq.tick(Time::from_millis(at), &mut out);
            }
            assert_eq!(applied(&out), want_text, "{name}");
            let got = warnings(&out);
            assert_eq!(got.len(), want_warnings.len(), "{name}: {got:?}");
            for (g, w) in got.iter().zip(&want_warnings) {
                assert!(g.contains(w), "{name}: {g:?} does not contain {w:?}");
            }
        }
    }

    #[test]
    fn finish_applies_held_chunks_and_names_gaps() {
        let mut seq = Sequencer::new(&LiveConfig::default());
        let mut out = Vec::new();
        for (n, text, at) in [(7, "c", 0), (3, "a", 10), (4, "b", 20)] {
            let (n, c) = chunk(n, text, at);
            seq.push(n, c, &mut out);
        }
        assert_eq!(applied(&out), "");
        seq.finish(&mut out);
        assert_eq!(applied(&out), "abc");
        assert_eq!(warnings(&out), vec!["seqs 5-6 never arrived before the feed ended"]);
        assert_eq!(seq.last_seq(), Some(7));
    }

    #[test]
    fn extreme_numbers_do_not_overflow() {
        let mut seq = Sequencer::new(&LiveConfig { start_wait_ms: 0, ..LiveConfig::default() });
        let mut out = Vec::new();
        for (n, text, at) in [(u64::MAX - 1, "a", 0), (u64::MAX, "b", 10), (u64::MAX, "b", 20), (0, "z", 30)] {
            let (n, c) = chunk(n, text, at);
            seq.push(n, c, &mut out);
        }
        seq.tick(Time::from_millis(u64::MAX), &mut out);
        seq.finish(&mut out);
        assert_eq!(applied(&out), "abz");
        assert_eq!(seq.last_seq(), Some(u64::MAX));
    }
}
