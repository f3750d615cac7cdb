//! One session's live state: its journal, its live caption assembler, what
//! was uploaded, and the channel live pages listen on.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rapporteur_captions::live::{Chunk, Event, LiveConfig, LiveSession};
use rapporteur_core::{Segment, Session, Time, Transcript};
use serde::Serialize;
use tokio::sync::broadcast;

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
#[derive(Debug, Clone, Serialize)]
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
    journal: Option<Journal>,
    journal_path: PathBuf,
    /// The metadata (from uploads; the id at least).
    pub meta: Session,
    live: LiveSession,
    /// Unix ms of the first caption: the live timeline's zero.
    pub origin: Option<u64>,
    seen: HashSet<u64>,
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
    /// Changed since the last publication.
    pub dirty: bool,
    /// Files published beside the transcript by `rapporteur run` (a
    /// session-report draft, Markdown transcript), shown as downloads.
    pub extra_files: Vec<String>,
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

    /// The highest `seq` received.
    pub fn seen_max(&self) -> Option<u64> {
        self.live.last_seq()
    }
}

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

fn live_config() -> LiveConfig {
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
                seen: HashSet::new(),
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
                dirty: false,
                extra_files: Vec::new(),
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
            Record::Chunk { seq, lang, text, at } => {
                if let Some(seq) = seq {
                    inner.seen.insert(seq);
                }
                let origin = *inner.origin.get_or_insert(at);
                let arrival = Time::from_millis(at.saturating_sub(origin));
                let chunk = match seq {
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
                    inner.seen.insert(seq);
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
            Record::Upload { job, kind, file, name, .. } => {
                inner.jobs.insert(
                    job,
                    Job {
                        id: format!("{}.{job}", self.id),
                        kind,
                        name,
                        file,
                        state: JobState::Queued,
                        message: "queued".into(),
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
        }
    }

    fn absorb(&self, inner: &mut Inner, events: Vec<Event>) {
        for event in events {
            match event {
                Event::Segment { lang, segment } => {
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
        let seq = inner.live.last_seq();
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
    /// retry and is neither journaled nor applied again.
    pub fn ingest(&self, record: Record) -> Result<Ingested, ServerError> {
        let mut inner = self.lock();
        let seq = match &record {
            Record::Chunk { seq, .. } | Record::Cues { seq, .. } => *seq,
            _ => None,
        };
        if seq.is_some_and(|seq| inner.seen.contains(&seq)) {
            return Ok(Ingested::Retry);
        }
        inner.append(&record)?;
        self.apply(&mut inner, record);
        Ok(Ingested::Applied)
    }

    /// Journals and applies a record that is not a chunk (upload, job end, finish).
    pub fn record(&self, record: Record) -> Result<(), ServerError> {
        let mut inner = self.lock();
        inner.append(&record)?;
        self.apply(&mut inner, record);
        Ok(())
    }

    /// The next job number.
    pub fn next_job(&self) -> u64 {
        self.lock().jobs.keys().next_back().map_or(1, |n| n + 1)
    }

    /// Lets time pass on the live timeline (pauses end segments).
    pub fn tick(&self, now_unix_ms: u64) {
        let mut inner = self.lock();
        let Some(origin) = inner.origin else { return };
        if inner.finished {
            return;
        }
        let events = inner.live.tick(Time::from_millis(now_unix_ms.saturating_sub(origin)));
        if !events.is_empty() {
            self.absorb(&mut inner, events);
            self.send_pending(&mut inner);
        }
    }

    /// The highest `seq` received.
    pub fn last_seq(&self) -> Option<u64> {
        self.lock().live.last_seq()
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

    /// Sends the findings of a publication to live pages.
    pub fn announce_findings(&self, findings: &[rapporteur_extract::Finding]) {
        let findings = findings
            .iter()
            .map(|f| LiveFinding {
                kind: f.kind.clone(),
                text: f.text.clone(),
                speaker: f.speaker.clone(),
                start: f.start,
            })
            .collect();
        self.send(LiveMessage::Findings { findings });
    }
}
