//! The append-only journal of a session: every acknowledged caption chunk,
//! upload, metadata change and finished job, one JSON line each, synced to
//! disk before the request is answered, and replayed at start.

use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rapporteur_core::{Segment, Session};
use serde::{Deserialize, Serialize};

use crate::feeds::Feed;
use crate::ServerError;

/// What an upload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UploadKind {
    /// A caption file or transcript (VTT, SRT, CART text, transcript JSON).
    Captions,
    /// An audio or video recording.
    Recording,
    /// The organisers' session report.
    Report,
    /// Session metadata (`session.toml` or JSON).
    Metadata,
}

impl UploadKind {
    /// The name used in URLs and forms.
    pub fn name(self) -> &'static str {
        match self {
            UploadKind::Captions => "captions",
            UploadKind::Recording => "recording",
            UploadKind::Report => "report",
            UploadKind::Metadata => "metadata",
        }
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<UploadKind> {
        Some(match name {
            "captions" => UploadKind::Captions,
            "recording" => UploadKind::Recording,
            "report" => UploadKind::Report,
            "metadata" => UploadKind::Metadata,
            _ => return None,
        })
    }
}

/// One timed caption line of a YouTube-style body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cue {
    /// Unix time in milliseconds.
    pub at: u64,
    /// The text.
    pub text: String,
}

/// One journal line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Record {
    /// A live caption chunk (Zoom, StreamText).
    Chunk {
        /// The feed it came through (Zoom when absent: older journals).
        #[serde(default = "Feed::zoom", skip_serializing_if = "Feed::is_zoom")]
        feed: Feed,
        /// The tool's sequence number.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seq: Option<u64>,
        /// Language tag.
        lang: String,
        /// The text, backspaces included.
        text: String,
        /// Arrival, unix milliseconds.
        at: u64,
    },
    /// A YouTube-style POST: timed lines (numbered by the YouTube feed).
    Cues {
        /// The tool's sequence number.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seq: Option<u64>,
        /// Language tag.
        lang: String,
        /// The lines with their times.
        cues: Vec<Cue>,
    },
    /// A stored upload, to be processed by job `job`.
    Upload {
        /// Job number within the session.
        job: u64,
        /// What it is.
        kind: UploadKind,
        /// Path of the stored file, relative to the data folder.
        file: String,
        /// The file name the uploader gave.
        name: String,
        /// Arrival, unix milliseconds.
        at: u64,
    },
    /// A job ended.
    JobDone {
        /// Job number within the session.
        job: u64,
        /// Whether it worked.
        ok: bool,
        /// What happened, for people.
        message: String,
    },
    /// The live feed ended.
    Finish {
        /// Unix milliseconds.
        at: u64,
    },
    /// The session's metadata as of this point (kept for the record; the
    /// metadata upload itself is replayed through its job).
    Meta {
        /// The session.
        session: Session,
    },
    /// Everything the live records before it amounted to: the first line of
    /// a compacted journal (the uploads and jobs follow as their own records).
    Snapshot(Box<Snapshot>),
}

/// A session's live state at a quiet moment (no caption text pending, no
/// chunk held for a missing `seq`), from which the live feed can go on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// When it was taken, unix milliseconds.
    pub at: u64,
    /// Unix ms of the first caption: the live timeline's zero.
    pub origin: Option<u64>,
    /// Chunks applied so far.
    pub chunks: u64,
    /// Unix ms of the last chunk.
    pub last_chunk_at: u64,
    /// Whether the live feed was declared over.
    pub finished: bool,
    /// The `seq` numbers received, per feed, as inclusive ranges.
    pub seqs: std::collections::BTreeMap<Feed, Vec<[u64; 2]>>,
    /// Where Zoom's ordering goes on: the highest Zoom `seq` applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zoom_seq: Option<u64>,
    /// The speaker of the current turn, per language stream (`None`: not named).
    pub speakers: std::collections::BTreeMap<String, Option<String>>,
    /// The finished live segments, in order.
    pub segments: Vec<Segment>,
    /// The session's metadata.
    pub meta: Session,
}

/// An open journal file.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    /// Lines in the file.
    lines: u64,
}

impl Journal {
    /// Opens (creating if needed) the journal at `path` and returns it with
    /// the records it holds. A last line cut short by a crash (it was never
    /// acknowledged) is removed; a damaged line elsewhere is an error.
    pub fn open(path: &Path) -> Result<(Journal, Vec<Record>), ServerError> {
        let io = |source| ServerError::Io { path: path.into(), source };
        let existed = path.exists();
        let mut file = OpenOptions::new().create(true).read(true).append(true).open(path).map_err(io)?;
        if !existed {
            if let Some(dir) = path.parent() {
                sync_dir(dir).map_err(|source| ServerError::Io { path: dir.into(), source })?;
            }
        }
        let mut records = Vec::new();
        let mut good_len = 0u64;
        let mut reader = BufReader::new(&mut file);
        reader.seek(SeekFrom::Start(0)).map_err(io)?;
        let mut line = Vec::new();
        let mut number = 0usize;
        let mut torn = false;
        loop {
            line.clear();
            let read = reader.read_until(b'\n', &mut line).map_err(io)?;
            if read == 0 {
                break;
            }
            number += 1;
            if line.last() != Some(&b'\n') {
                // Cut short by a crash: never acknowledged, so dropped.
                torn = true;
                break;
            }
            match serde_json::from_slice::<Record>(&line) {
                Ok(record) => {
                    records.push(record);
                    good_len += read as u64;
                }
                Err(e) => {
                    return Err(ServerError::Journal {
                        path: path.into(),
                        line: number,
                        message: format!("{e}; move the file aside to start the session afresh"),
                    })
                }
            }
        }
        drop(reader);
        if torn {
            file.set_len(good_len).map_err(io)?;
            file.sync_data().map_err(io)?;
        }
        let lines = records.len() as u64;
        Ok((Journal { path: path.into(), file, lines }, records))
    }

    /// Lines in the journal.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// Size of the journal file in bytes.
    pub fn bytes(&self) -> u64 {
        self.file.metadata().map(|m| m.len()).unwrap_or(0)
    }

    /// Replaces the whole journal with `records` (its compacted form),
    /// atomically and durably: a temporary file written and synced, renamed
    /// over the journal, the folder synced. A crash at any point leaves the
    /// old journal or the new one, whole; later appends go to the new one.
    pub fn rewrite(&mut self, records: &[Record]) -> Result<(), ServerError> {
        let mut bytes = Vec::new();
        for record in records {
            serde_json::to_writer(&mut bytes, record).map_err(|e| ServerError::Journal {
                path: self.path.clone(),
                line: 0,
                message: e.to_string(),
            })?;
            bytes.push(b'\n');
        }
        write_durably(&self.path, &bytes).map_err(|source| ServerError::Io { path: self.path.clone(), source })?;
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&self.path)
            .map_err(|source| ServerError::Io { path: self.path.clone(), source })?;
        self.file = file;
        self.lines = records.len() as u64;
        Ok(())
    }

    /// Appends a record and syncs it to disk before returning.
    pub fn append(&mut self, record: &Record) -> Result<(), ServerError> {
        let mut line = serde_json::to_vec(record).map_err(|e| ServerError::Journal {
            path: self.path.clone(),
            line: 0,
            message: e.to_string(),
        })?;
        line.push(b'\n');
        let io = |source| ServerError::Io { path: self.path.clone(), source };
        self.file.write_all(&line).map_err(io)?;
        self.file.sync_data().map_err(io)?;
        self.lines += 1;
        Ok(())
    }
}

/// Makes a folder's entries (a new or renamed file) durable.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Writes `bytes` to `path` atomically and durably: a temporary file,
/// synced, renamed into place, the folder synced.
pub fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    sync_dir(dir)
}

/// Writes `bytes` to `path` atomically (a temporary file renamed into
/// place) without waiting for the disk: for published files, which the
/// journal can always remake (every journaled session is published again at
/// start), so a crash may lose them but never leaves half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(seq: u64) -> Record {
        Record::Chunk {
            feed: Feed::Zoom,
            seq: Some(seq),
            lang: "en".into(),
            text: format!("w{seq} \u{8}x"),
            at: 1000 + seq,
        }
    }

    #[test]
    fn records_survive_reopening_and_a_torn_tail_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ws-1.jsonl");
        {
            let (mut journal, records) = Journal::open(&path).unwrap();
            assert!(records.is_empty());
            journal.append(&chunk(1)).unwrap();
            journal.append(&chunk(2)).unwrap();
        }
        // A crash in the middle of the third line.
        let mut bytes = fs::read(&path).unwrap();
        bytes.extend_from_slice(b"{\"op\":\"chunk\",\"seq\":3,\"la");
        fs::write(&path, &bytes).unwrap();
        let (mut journal, records) = Journal::open(&path).unwrap();
        assert_eq!(records, vec![chunk(1), chunk(2)]);
        journal.append(&chunk(3)).unwrap();
        drop(journal);
        let (_, records) = Journal::open(&path).unwrap();
        assert_eq!(records, vec![chunk(1), chunk(2), chunk(3)]);
    }

    #[test]
    fn a_damaged_line_in_the_middle_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ws-1.jsonl");
        fs::write(&path, "{\"op\":\"finish\",\"at\":1}\nnot json\n{\"op\":\"finish\",\"at\":2}\n").unwrap();
        let err = Journal::open(&path).unwrap_err().to_string();
        assert!(err.contains(":2:"), "{err}");
    }
}
