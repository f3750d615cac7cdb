//! `rapporteur serve`: live captions in, published transcripts and findings
//! out, searchable, with server-rendered pages.
//!
//! * **Live captions in** (`/ingest/{session}/...`, role `ingest`): Zoom's
//!   third-party captioning API (`POST .../zoom?seq=N&lang=L`, text/plain; a
//!   retried `seq` is applied once; `GET .../zoom/seq` answers the last
//!   `seq`), StreamText push (`POST .../streamtext`, `X-Timestamp`, `\x08`
//!   deletions) and YouTube-style bodies (`POST .../youtube`, `time\ntext`).
//!   One URL per session; a token can be limited to its session.
//! * **Uploads** (`PUT /api/sessions/{id}/{captions|recording|report|metadata}`
//!   or multipart `POST /api/sessions/{id}/upload`, role `upload`) are stored,
//!   journaled and queued to a worker pool (crossbeam) that reads captions,
//!   extracts findings and publishes: HTML pages, VTT/SRT/JSON/text downloads
//!   and the search index, at once. A recording of a session without
//!   captions is transcribed (Whisper, through [`Hooks::transcribe`]).
//!   `GET /api/jobs/{id}` tells a job's state.
//! * **Pages**: sessions by day, room and track; a session page with the timed
//!   transcript, speakers, findings and times that seek the recording; search
//!   with facets; a live page per session fed by server-sent events; a track
//!   page with the draft messages of the track and their sources.
//! * **A run's output**: a data folder may be the output of `rapporteur run`:
//!   its published sessions (`sessions/<id>/`), search index (`index/`) and
//!   track drafts (`drafts/messages.json`) are served as they are.
//! * **Durability**: every chunk and upload is appended to the session's
//!   journal and synced to disk before the answer; the journals are replayed
//!   at start, so a `kill -9` loses nothing that was acknowledged.
//!
//! ```no_run
//! use std::path::Path;
//! use rapporteur_server::{serve, Config};
//!
//! let config = Config::from_toml("public_read = true\n", Path::new("server.toml")).unwrap();
//! let runtime = tokio::runtime::Runtime::new().unwrap();
//! let hooks = rapporteur_server::Hooks::default(); // no speech recognition
//! runtime.block_on(serve(config, Path::new("data"), "127.0.0.1:8080", hooks, |addr| println!("http://{addr}/"))).unwrap();
//! ```
#![deny(missing_docs)]

mod admin;
mod api;
mod app;
mod auth;
mod compact;
mod config;
mod drafts;
mod error;
pub mod feeds;
mod ingest;
mod jobs;
pub mod journal;
mod live_findings;
mod pages;
mod publish;
mod published;
mod session;
mod timestamp;
mod tokens;
mod uploads;

pub use app::{open, router, serve, App, Hooks, Transcribe};
pub use config::{Config, Limits, Role, TokenConfig};
pub use error::{ApiError, ServerError};
pub use ingest::parse_timed_body;
pub use jobs::parse_metadata;
pub use timestamp::{parse_iso, parse_x_timestamp};
