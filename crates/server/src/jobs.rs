//! The worker pool: uploads are processed and sessions published off the
//! request path, on `workers` threads fed by a crossbeam channel.

use std::path::Path;
use std::sync::Arc;

use crossbeam_channel::Receiver;
use rapporteur_captions::read::{self, ReadOptions};
use rapporteur_core::{Session, Source, Transcript};

use crate::app::{App, Transcribe};
use crate::journal::{Record, UploadKind};
use crate::publish::publish;
use crate::session::{Job, JobState, SessionState};

/// What a worker is asked to do.
pub enum Work {
    /// Process upload `job` of `session`, then publish the session.
    Upload {
        /// The session.
        session: Arc<SessionState>,
        /// The job number.
        job: u64,
    },
    /// Publish these sessions, with one index commit.
    Publish {
        /// The sessions.
        sessions: Vec<Arc<SessionState>>,
    },
    /// Remake the track drafts if findings changed.
    Redraft,
    /// Compact the session's journal if its feed is still at rest.
    Compact {
        /// The session.
        session: Arc<SessionState>,
    },
    /// Stop one worker.
    Stop,
}

/// Starts `count` workers.
pub fn start(app: Arc<App>, queue: Receiver<Work>, count: usize) -> Vec<std::thread::JoinHandle<()>> {
    (0..count)
        .map(|n| {
            let app = app.clone();
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("rapporteur-worker-{n}"))
                .spawn(move || work(&app, &queue))
                .unwrap_or_else(|e| panic!("cannot start a worker thread: {e}"))
        })
        .collect()
}

fn work(app: &App, queue: &Receiver<Work>) {
    while let Ok(item) = queue.recv() {
        match item {
            Work::Stop => break,
            Work::Publish { sessions } => {
                for session in &sessions {
                    if let Err(e) = publish(app, session) {
                        eprintln!("error: publishing {}: {e}", session.id);
                    }
                }
                if let Err(e) = app.index.commit() {
                    eprintln!("error: index commit: {e}");
                }
            }
            Work::Upload { session, job } => {
                run_upload(app, &session, job);
            }
            Work::Compact { session } => match session.compact(crate::app::now_unix_ms()) {
                Ok(crate::compact::Compaction::Done { before, after }) => {
                    eprintln!("compacted the journal of {}: {before} lines to {after}", session.id)
                }
                Ok(_) => {}
                Err(e) => eprintln!("error: compacting the journal of {}: {e}", session.id),
            },
            Work::Redraft => match app.drafts.redraft_if_dirty(&app.sessions()) {
                Ok(_) => {}
                Err(e) => eprintln!("error: drafting the track messages: {e}"),
            },
        }
    }
}

fn set_state(session: &SessionState, job: u64, state: JobState, message: &str) {
    let mut inner = session.lock();
    if let Some(entry) = inner.jobs.get_mut(&job) {
        entry.state = state;
        entry.message = message.to_string();
    }
}

/// Runs the session's queued jobs in the order they were uploaded, up to
/// `job`: two workers never process one session at once (a metadata upload
/// and a caption file must apply in their order).
fn run_upload(app: &App, session: &Arc<SessionState>, job: u64) {
    let _one_at_a_time = session.processing.lock().unwrap_or_else(|p| p.into_inner());
    loop {
        let next = session.lock().jobs.iter().find(|(_, j)| j.state == JobState::Queued).map(|(n, _)| *n);
        match next {
            Some(n) if n <= job => run_one(app, session, n),
            _ => break,
        }
    }
}

fn run_one(app: &App, session: &Arc<SessionState>, job: u64) {
    let Some(entry) = session.lock().jobs.get(&job).cloned() else { return };
    set_state(session, job, JobState::Running, "running");
    let result = process(&app.data, session, entry.kind, &entry.file, &entry.name, app.transcribe.as_ref()).and_then(
        |message| {
            publish(app, session).map_err(|e| format!("publishing: {e}"))?;
            app.index.commit().map_err(|e| format!("indexing: {e}"))?;
            Ok(message)
        },
    );
    let (ok, message) = match result {
        Ok(message) => (true, message),
        Err(message) => (false, message),
    };
    if !ok {
        eprintln!("job {}.{job} ({}) failed: {message}", session.id, entry.kind.name());
    }
    if let Err(e) = session.record(Record::JobDone { job, ok, message: message.clone() }) {
        eprintln!("error: journaling the end of job {}.{job}: {e}", session.id);
        set_state(session, job, if ok { JobState::Done } else { JobState::Failed }, &message);
    }
}

/// Applies again, at start, the uploads whose jobs had finished before the
/// server stopped (their effect lives in memory; the journal has the files),
/// in the order they came. Nothing is journaled.
pub fn reapply_done(data: &Path, session: &SessionState, transcribe: Option<&Transcribe>) {
    let done: Vec<Job> = session.lock().jobs.values().filter(|j| j.state == JobState::Done).cloned().collect();
    for job in done {
        if let Err(e) = process(data, session, job.kind, &job.file, &job.name, transcribe) {
            eprintln!("warning: job {}: applying it again at start: {e}", job.id);
        }
    }
}

/// Runs the pipeline stages that apply to an upload; `Ok` says what was done.
fn process(
    data: &Path,
    session: &SessionState,
    kind: UploadKind,
    file: &str,
    name: &str,
    transcribe: Option<&Transcribe>,
) -> Result<String, String> {
    let path = data.join(file);
    match kind {
        UploadKind::Captions => {
            let options = ReadOptions::default();
            let stream = std::fs::File::open(&path).map_err(|e| format!("{name}: {e}"))?;
            let source = read::open(stream, name, &options).map_err(|e| format!("{name}: {e}"))?;
            let format = source.format().name();
            let (transcript, warnings) = read::collect(source, &session.id).map_err(|e| format!("{name}: {e}"))?;
            let count = transcript.segments.len();
            let mut inner = session.lock();
            // What the caption file says about the session fills gaps in the metadata.
            let meta = &mut inner.meta;
            if meta.title.is_none() {
                meta.title = transcript.session.title.clone();
            }
            inner.uploaded_transcript = Some(transcript);
            inner.dirty = true;
            Ok(format!("{name}: {count} segments read as {format}, {} warnings", warnings.len()))
        }
        UploadKind::Metadata => {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
            let mut meta = parse_metadata(&text, name)?;
            meta.id = session.id.clone();
            let mut inner = session.lock();
            inner.meta = meta;
            inner.dirty = true;
            Ok(format!("{name}: session metadata updated"))
        }
        UploadKind::Report => {
            std::fs::read_to_string(&path).map_err(|e| format!("{name}: not UTF-8 text ({e})"))?;
            let mut inner = session.lock();
            inner.reports.push(file.to_string());
            inner.dirty = true;
            Ok(format!("{name}: report stored; its takeaways and recommendations are extracted"))
        }
        UploadKind::Recording => {
            let (has_captions, meta) = {
                let mut inner = session.lock();
                inner.recording = Some((file.to_string(), name.to_string()));
                inner.dirty = true;
                (
                    inner
                        .uploaded_transcript
                        .as_ref()
                        .is_some_and(|t| t.segments.iter().any(|s| s.source != Source::Asr)),
                    inner.meta.clone(),
                )
            };
            if has_captions {
                return Ok(format!(
                    "{name}: recording stored and playable on the session page (the captions are the transcript)"
                ));
            }
            let Some(transcribe) = transcribe else {
                return Ok(format!(
                    "{name}: recording stored and playable on the session page; no speech recognition in this server"
                ));
            };
            // The transcript is kept beside the upload, so a restart applies
            // it again without recognising the speech a second time.
            let cached = data.join(format!("{file}.transcript.json"));
            let transcript: Transcript =
                match std::fs::read_to_string(&cached).ok().and_then(|t| serde_json::from_str(&t).ok()) {
                    Some(t) => t,
                    None => {
                        let t = transcribe(&path, &meta)
                            .map_err(|e| format!("{name}: recording stored, but not transcribed: {e}"))?;
                        let json = serde_json::to_vec(&t).map_err(|e| e.to_string())?;
                        crate::journal::write_durably(&cached, &json)
                            .map_err(|e| format!("{}: {e}", cached.display()))?;
                        t
                    }
                };
            let count = transcript.segments.len();
            let mut inner = session.lock();
            if inner.uploaded_transcript.as_ref().is_some_and(|t| t.segments.iter().any(|s| s.source != Source::Asr)) {
                // Captions arrived while the speech was being recognised: they win.
                return Ok(format!("{name}: transcribed, but captions arrived meanwhile and are the transcript"));
            }
            inner.uploaded_transcript = Some(Transcript { session: inner.meta.clone(), segments: transcript.segments });
            inner.dirty = true;
            Ok(format!("{name}: {count} segments transcribed from the recording"))
        }
    }
}

/// Session metadata: JSON (the transcript's `session` object) or TOML with
/// the same fields (`title`, `type`, `tracks`, `room`, `date`, `speakers`).
pub fn parse_metadata(text: &str, name: &str) -> Result<Session, String> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        let mut value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("{name}:{}:{}: {e}", e.line(), e.column()))?;
        if let Some(object) = value.as_object_mut() {
            object.entry("id").or_insert_with(|| serde_json::Value::String("session".into()));
        }
        serde_json::from_value(value).map_err(|e| format!("{name}: {e}"))
    } else {
        let mut table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1)).unwrap_or(1);
            format!("{name}:{line}: {}", e.message())
        })?;
        table.entry("id").or_insert_with(|| toml::Value::String("session".into()));
        table.try_into::<Session>().map_err(|e| format!("{name}: {}", e.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_in_json_or_toml() {
        let s = parse_metadata(
            "title = \"T\"\ntype = \"Workshop\"\ntracks = [\"Data\"]\nroom = \"R1\"\ndate = \"2020-11-12\"\n",
            "s.toml",
        )
        .unwrap();
        assert_eq!((s.title.as_deref(), s.tracks.len(), s.room.as_deref()), (Some("T"), 1, Some("R1")));
        let s = parse_metadata("{\"title\": \"J\", \"speakers\": [{\"name\": \"Ana\"}]}", "s.json").unwrap();
        assert_eq!(s.speakers[0].name, "Ana");
        assert!(parse_metadata("title = \n", "s.toml").unwrap_err().starts_with("s.toml:1:"));
        assert!(parse_metadata("colour = \"red\"\n", "s.toml").unwrap_err().contains("colour"));
        assert!(parse_metadata("{\"title\": 3}", "s.json").is_err());
    }
}
