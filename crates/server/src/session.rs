//! One session's live state: its journal, its live caption assembler, what
//! was uploaded, and the channel live pages listen on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rapporteur_captions::live::{Chunk, Event, LiveConfig, LiveSession};
use rapporteur_core::{Segment, Session, Time, Transcript};
use serde::Serialize;
use tokio::sync::broadcast;

use crate::feeds::{Feed, SeqSet};
use crate::journal::{Cue, Journal, Record, UploadKind};
use crate::ServerError;

/// What live pages receive, as server-sent events (JSON, tagged by `type`).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveMessage {
    /// A finished segment.
    Segment {
        /// Language stream.
        lang: String,
        /// The segment.
        segment: Segment,
    },
    /// The text received since the last finished segment (changes with every chunk).
    Pending {
        /// Language stream.
        lang: String,
        /// Current speaker.
        speaker: Option<String>,
        /// The text so far.
        text: String,
        /// Highest `seq` applied in the session.
        seq: Option<u64>,
    },
    /// Findings of the latest publication.
    Findings {
        /// The findings.
        findings: Vec<LiveFinding>,
    },
    /// Forget what was shown: a full snapshot follows (sent first on every
    /// connection, so a page that reconnects does not show segments twice).
    Reset,
    /// A warning about the feed.
    Warning {
        /// What happened.
        message: String,
    },
}

/// A finding as the live page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveFinding {
    /// Kind.
    pub kind: String,
    /// Cleaned text.
    pub text: String,
    /// Speaker.
    pub speaker: Option<String>,
    /// Start.
    pub start: Option<Time>,
}

impl From<&rapporteur_extract::Finding> for LiveFinding {
    fn from(f: &rapporteur_extract::Finding) -> Self {
        LiveFinding { kind: f.kind.clone(), text: f.text.clone(), speaker: f.speaker.clone(), start: f.start }
    }
}

/// The state of an upload's job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    /// Waiting for a worker.
    Queued,
    /// A worker is on it.
    Running,
    /// Finished.
    Done,
    /// Failed (see the message).
    Failed,
}

/// An upload and its job.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    /// `SESSION.N`.
    pub id: String,
    /// What was uploaded.
    pub kind: UploadKind,
    /// The uploader's file name.
    pub name: String,
    /// The stored file, relative to the data folder.
    pub file: String,
    /// Where it is.
    pub state: JobState,
    /// What happened.
    pub message: String,
    /// When it was uploaded, unix milliseconds.
    #[serde(skip)]
    pub at: u64,
}

/// Whether a chunk was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingested {
    /// Journaled and applied.
    Applied,
    /// Its `seq` was seen before: a retry, acknowledged but not applied again.
    Retry,
}

/// Everything about a session behind its lock.
#[derive(Debug)]
pub struct Inner {
    /// Opened on the first record: a session published by `rapporteur run`
    /// and only browsed never gets a journal.
    pub(crate) journal: Option<Journal>,
    journal_path: PathBuf,
    /// The metadata (from uploads; the id at least).
    pub meta: Session,
    pub(crate) live: LiveSession,
    /// Unix ms of the first caption: the live timeline's zero.
    pub origin: Option<u64>,
    /// The `seq` numbers received, per feed.
    pub(crate) seqs: BTreeMap<Feed, SeqSet>,
    /// Finished live segments, in order.
    pub live_segments: Vec<Segment>,
    /// Pending text per language.
    pub pending: BTreeMap<String, (Option<String>, String)>,
    /// Chunks applied (retries not counted).
    pub chunks: u64,
    /// Unix ms of the last chunk.
    pub last_chunk_at: u64,
    /// Whether the live feed was declared over.
    pub finished: bool,
    /// Uploads and their jobs, by number.
    pub jobs: BTreeMap<u64, Job>,
    /// The transcript from the latest uploaded caption file.
    pub uploaded_transcript: Option<Transcript>,
    /// Uploaded reports (paths relative to the data folder).
    pub reports: Vec<String>,
    /// The latest recording (path relative to the data folder, and its name).
    pub recording: Option<(String, String)>,
    /// The latest findings.
    pub findings: Vec<rapporteur_extract::Finding>,
    /// The session's track as extraction assigned it (with a tracks file).
    pub track: Option<String>,
    /// Changed since the last publication.
    pub dirty: bool,
    /// Files published beside the transcript by `rapporteur run` (a
    /// session-report draft, Markdown transcript), shown as downloads.
    pub extra_files: Vec<String>,
    /// What live pages show as findings: the latest publication's, and
    /// those found since in new captions.
    pub live_findings: Vec<LiveFinding>,
    /// Live segments finished since the last look for findings.
    fresh: Vec<Segment>,
}

impl Inner {
    /// Journals a record (synced before returning), opening the journal first if needed.
    fn append(&mut self, record: &Record) -> Result<(), ServerError> {
        if self.journal.is_none() {
            let (journal, _) = Journal::open(&self.journal_path)?;
            self.journal = Some(journal);
        }
        match self.journal.as_mut() {
            Some(journal) => journal.append(record),
            None => Ok(()),
        }
    }

    /// Whether the session has a journal (it was posted or uploaded to).
    pub fn has_journal(&self) -> bool {
        self.journal.is_some()
    }

    /// The highest `seq` Zoom sent (what `GET .../zoom/seq` answers).
    pub fn seen_max(&self) -> Option<u64> {
        self.last_seq_of(Feed::Zoom)
    }

    /// The highest `seq` received through `feed`.
    pub fn last_seq_of(&self, feed: Feed) -> Option<u64> {
        self.seqs.get(&feed).and_then(SeqSet::max)
    }

    /// The highest `seq` of every feed that numbered its posts.
    pub fn last_seqs(&self) -> BTreeMap<&'static str, u64> {
        self.seqs.iter().filter_map(|(feed, set)| Some((feed.name(), set.max()?))).collect()
    }

    /// Lines in the journal (0 without one).
    pub fn journal_lines(&self) -> u64 {
        self.journal.as_ref().map_or(0, Journal::lines)
    }

    /// Whether the live feed is at rest: no caption text pending in any
    /// language and no chunk arrived for `QUIET_MS` (so none is held for a
    /// missing `seq` either), or the feed is over.
    pub fn is_quiet(&self, now_unix_ms: u64) -> bool {
        self.finished
            || (self.pending.values().all(|(_, text)| text.is_empty())
                && (self.origin.is_none() || now_unix_ms.saturating_sub(self.last_chunk_at) >= QUIET_MS))
    }
}

/// How long after the last chunk a live feed counts as at rest: longer than
/// the pause that ends a segment and than the wait for a missing `seq`.
pub const QUIET_MS: u64 = 3_500;

/// A session: its id, its state, its live channel.
#[derive(Debug)]
pub struct SessionState {
    /// The id (valid, see `Session::is_valid_id`).
    pub id: String,
    inner: Mutex<Inner>,
    /// Live pages subscribe here.
    pub events: broadcast::Sender<LiveMessage>,
    /// Held while publishing, so two publications of a session never interleave.
    pub publishing: Mutex<()>,
    /// Held while a worker processes the session's uploads.
    pub processing: Mutex<()>,
}

pub(crate) fn live_config() -> LiveConfig {
    // Captioning tools post one chunk at a time and wait for its answer, so
    // the first chunk received is the first sent: start the stream at once
    // rather than hold it 2 s for a lower `seq` (a caption must be on the
    // live page within a quarter of a second). Gaps are still waited for.
    LiveConfig { start_wait_ms: 0, ..LiveConfig::default() }
}

impl SessionState {
    fn empty(id: &str, journal_dir: &Path, journal: Option<Journal>) -> SessionState {
        let (events, _) = broadcast::channel(1024);
        SessionState {
            id: id.to_string(),
            inner: Mutex::new(Inner {
                journal,
                journal_path: journal_dir.join(format!("{id}.jsonl")),
                meta: Session::new(id),
                live: LiveSession::new(live_config()),
                origin: None,
                seqs: BTreeMap::new(),
                live_segments: Vec::new(),
                pending: BTreeMap::new(),
                chunks: 0,
                last_chunk_at: 0,
                finished: false,
                jobs: BTreeMap::new(),
                uploaded_transcript: None,
                reports: Vec::new(),
                recording: None,
                findings: Vec::new(),
                track: None,
                dirty: false,
                extra_files: Vec::new(),
                live_findings: Vec::new(),
                fresh: Vec::new(),
            }),
            events,
            publishing: Mutex::new(()),
            processing: Mutex::new(()),
        }
    }

    /// A new session, with nothing yet; its journal (in `journal_dir`) is
    /// created with its first record.
    pub fn new(id: &str, journal_dir: &Path) -> SessionState {
        SessionState::empty(id, journal_dir, None)
    }

    /// Opens the session's journal in `journal_dir` and replays it.
    pub fn open(id: &str, journal_dir: &Path) -> Result<SessionState, ServerError> {
        let (journal, records) = Journal::open(&journal_dir.join(format!("{id}.jsonl")))?;
        let state = SessionState::empty(id, journal_dir, Some(journal));
        {
            let mut inner = state.lock();
            for record in records {
                state.apply(&mut inner, record);
            }
            // Findings of replayed captions come with the publication at start.
            inner.fresh.clear();
        }
        Ok(state)
    }

    /// A session published earlier (by `rapporteur run` or by this server)
    /// and found in the data folder without a journal: its transcript and
    /// findings as published. A journal is opened if something is posted.
    pub fn published(
        id: &str,
        journal_dir: &Path,
        transcript: Transcript,
        findings: Vec<rapporteur_extract::Finding>,
        extra_files: Vec<String>,
    ) -> SessionState {
        let state = SessionState::empty(id, journal_dir, None);
        {
            let mut inner = state.lock();
            inner.meta = transcript.session.clone();
            inner.meta.id = id.to_string();
            inner.uploaded_transcript = Some(transcript);
            inner.live_findings = findings.iter().map(LiveFinding::from).collect();
            inner.findings = findings;
            inner.extra_files = extra_files;
        }
        state
    }

    /// The state, locked. A panic while holding the lock cannot leave the
    /// journal half-written (appends are single writes), so a poisoned lock
    /// is taken over.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether the session holds anything (a live page opened on an unknown
    /// id makes an empty one).
    pub fn is_empty(inner: &Inner) -> bool {
        inner.journal.is_none() && inner.uploaded_transcript.is_none() && inner.jobs.is_empty() && inner.chunks == 0
    }

    fn send(&self, message: LiveMessage) {
        // No live page listening is not an error.
        let _ = self.events.send(message);
    }

    /// Applies a record (new or replayed) to the state.
    fn apply(&self, inner: &mut Inner, record: Record) {
        match record {
            Record::Chunk { feed, seq, lang, text, at } => {
                if let Some(seq) = seq {
                    inner.seqs.entry(feed).or_default().insert(seq);
                }
                let origin = *inner.origin.get_or_insert(at);
                let arrival = Time::from_millis(at.saturating_sub(origin));
                // Zoom's numbers order its posts (they may overtake each
                // other); StreamText posts one after another, so its numbers
                // only tell retries apart.
                let chunk = match seq.filter(|_| feed == Feed::Zoom) {
                    Some(seq) => Chunk::numbered(seq, lang.clone(), text, arrival),
                    None => Chunk::unnumbered(lang.clone(), text, arrival),
                };
                inner.chunks += 1;
                inner.last_chunk_at = inner.last_chunk_at.max(at);
                let events = inner.live.push(chunk);
                self.absorb(inner, events);
                self.send_pending(inner);
            }
            Record::Cues { seq, lang, cues } => {
                if let Some(seq) = seq {
                    inner.seqs.entry(Feed::YouTube).or_default().insert(seq);
                }
                inner.chunks += 1;
                for Cue { at, text } in cues {
                    let origin = *inner.origin.get_or_insert(at);
                    let arrival = Time::from_millis(at.saturating_sub(origin));
                    inner.last_chunk_at = inner.last_chunk_at.max(at);
                    // Each line is a caption of its own: end it with a space.
                    let events = inner.live.push(Chunk::unnumbered(lang.clone(), format!("{text} "), arrival));
                    self.absorb(inner, events);
                }
                self.send_pending(inner);
            }
            Record::Upload { job, kind, file, name, at } => {
                inner.jobs.insert(
                    job,
                    Job {
                        id: format!("{}.{job}", self.id),
                        kind,
                        name,
                        file,
                        state: JobState::Queued,
                        message: "queued".into(),
                        at,
                    },
                );
            }
            Record::JobDone { job, ok, message } => {
                if let Some(entry) = inner.jobs.get_mut(&job) {
                    entry.state = if ok { JobState::Done } else { JobState::Failed };
                    entry.message = message;
                }
            }
            Record::Finish { .. } => {
                inner.finished = true;
                let events = inner.live.finish();
                self.absorb(inner, events);
                self.send_pending(inner);
            }
            Record::Meta { session } => inner.meta = session,
            Record::Snapshot(snapshot) => crate::compact::restore(inner, *snapshot, live_config()),
        }
    }

    fn absorb(&self, inner: &mut Inner, events: Vec<Event>) {
        for event in events {
            match event {
                Event::Segment { lang, segment } => {
                    inner.fresh.push(segment.clone());
                    inner.live_segments.push(segment.clone());
                    inner.dirty = true;
                    self.send(LiveMessage::Segment { lang, segment });
                }
                Event::Diagnostic { diagnostic, .. } => {
                    self.send(LiveMessage::Warning { message: diagnostic.message });
                }
            }
        }
    }

    fn send_pending(&self, inner: &mut Inner) {
        let langs: Vec<String> = inner.live.languages().map(str::to_string).collect();
        let seq = inner.seen_max();
        for lang in langs {
            let Some(assembler) = inner.live.assembler_for(&lang) else { continue };
            let now = (assembler.speaker().map(str::to_string), assembler.pending_text());
            if inner.pending.get(&lang) != Some(&now) {
                inner.pending.insert(lang.clone(), now.clone());
                self.send(LiveMessage::Pending { lang, speaker: now.0, text: now.1, seq });
            }
        }
    }

    /// Journals (synced) and applies a live chunk; a `seq` seen before is a
    /// retry and is neither journaled nor applied again. With an extractor,
    /// findings the chunk completes go to live pages at once.
    pub fn ingest(
        &self,
        record: Record,
        extractor: Option<&rapporteur_extract::Extractor>,
    ) -> Result<Ingested, ServerError> {
        let mut inner = self.lock();
        let numbered = match &record {
            Record::Chunk { feed, seq: Some(seq), .. } => Some((*feed, *seq)),
            Record::Cues { seq: Some(seq), .. } => Some((Feed::YouTube, *seq)),
            _ => None,
        };
        if numbered.is_some_and(|(feed, seq)| inner.seqs.get(&feed).is_some_and(|set| set.contains(seq))) {
            return Ok(Ingested::Retry);
        }
        inner.append(&record)?;
        self.apply(&mut inner, record);
        if let Some(extractor) = extractor {
            self.find_live(&mut inner, extractor);
        }
        Ok(Ingested::Applied)
    }

    /// Looks for findings in the segments finished since the last look and
    /// in pending text that ends a sentence (shown before the segment is
    /// closed by the next words or a pause), and sends live pages the list
    /// when something new is found. A few sentences at a time: extraction
    /// runs per chunk, not over the whole session.
    fn find_live(&self, inner: &mut Inner, extractor: &rapporteur_extract::Extractor) {
        let mut segments = std::mem::take(&mut inner.fresh);
        let now = Time::from_millis(inner.last_chunk_at.saturating_sub(inner.origin.unwrap_or(inner.last_chunk_at)));
        for (lang, (speaker, text)) in &inner.pending {
            if let Some(segment) = crate::live_findings::provisional(lang, speaker.as_deref(), text, now) {
                segments.push(segment);
            }
        }
        if segments.is_empty() {
            return;
        }
        let transcript = Transcript { session: inner.meta.clone(), segments };
        let found = extractor.extract_session(inner.meta.clone(), Some(&transcript), &[]);
        if crate::live_findings::merge(&mut inner.live_findings, &found.findings) {
            self.send(LiveMessage::Findings { findings: inner.live_findings.clone() });
        }
    }

    /// Journals and applies a record that is not a chunk (upload, job end, finish).
    pub fn record(&self, record: Record) -> Result<(), ServerError> {
        let mut inner = self.lock();
        inner.append(&record)?;
        self.apply(&mut inner, record);
        Ok(())
    }

    /// Rewrites the journal as a snapshot if the live feed is at rest.
    pub fn compact(&self, now_unix_ms: u64) -> Result<crate::compact::Compaction, ServerError> {
        let mut inner = self.lock();
        crate::compact::compact(&mut inner, now_unix_ms)
    }

    /// The next job number.
    pub fn next_job(&self) -> u64 {
        self.lock().jobs.keys().next_back().map_or(1, |n| n + 1)
    }

    /// Lets time pass on the live timeline (pauses end segments).
    pub fn tick(&self, now_unix_ms: u64, extractor: Option<&rapporteur_extract::Extractor>) {
        let mut inner = self.lock();
        let Some(origin) = inner.origin else { return };
        if inner.finished {
            return;
        }
        let events = inner.live.tick(Time::from_millis(now_unix_ms.saturating_sub(origin)));
        if !events.is_empty() {
            self.absorb(&mut inner, events);
            self.send_pending(&mut inner);
            if let Some(extractor) = extractor {
                self.find_live(&mut inner, extractor);
            }
        }
    }

    /// The highest `seq` received through `feed`.
    pub fn last_seq(&self, feed: Feed) -> Option<u64> {
        self.lock().last_seq_of(feed)
    }

    /// What the session's transcript is now: the uploaded caption file's if
    /// there is one, else the live segments; with the session's metadata.
    pub fn transcript(inner: &Inner) -> Transcript {
        let segments = match &inner.uploaded_transcript {
            Some(t) => t.segments.clone(),
            None => inner.live_segments.clone(),
        };
        Transcript { session: inner.meta.clone(), segments }
    }

    /// Sends the findings of a publication to live pages (they replace
    /// what was found chunk by chunk; later chunks add to them).
    pub fn announce_findings(&self, findings: &[rapporteur_extract::Finding]) {
        let mut inner = self.lock();
        inner.live_findings = findings.iter().map(LiveFinding::from).collect();
        self.send(LiveMessage::Findings { findings: inner.live_findings.clone() });
    }
}
