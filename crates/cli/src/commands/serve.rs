//! `rapporteur serve`: live captions in, uploads, published transcripts,
//! findings and drafts, search, and the web pages.

use std::io::Write;
use std::path::PathBuf;

use std::sync::{Arc, OnceLock};

use anyhow::Context;
use rapporteur_asr::audio::AudioStream;
use rapporteur_asr::transcribe::engine::Engine;
use rapporteur_asr::transcribe::{TranscribeOptions, Transcriber};
use rapporteur_server::{Config, Hooks};

use crate::output::UsageError;
use crate::Outcome;

const EXAMPLES: &str = "\
Examples:
  # Browse the output of `rapporteur run` (read-only unless a config gives tokens)
  rapporteur run fixtures/meeting -o out/demo
  rapporteur serve --data out/demo

  # The Secretariat's server: tokens and limits from a file, on every interface
  rapporteur serve --data /srv/igf2026 --config /etc/rapporteur/server.toml --addr 0.0.0.0:8080

Live captions (role ingest; one URL and token per session):
  POST /ingest/ws-12/zoom?seq=N&lang=en-US&token=T      Zoom third-party captioning API
  GET  /ingest/ws-12/zoom/seq?token=T                   the last seq received
  POST /ingest/ws-12/streamtext?token=T                 StreamText push (X-Timestamp, \\x08)
  POST /ingest/ws-12/youtube?seq=N&token=T              YouTube-style `time\\ntext` bodies
  POST /ingest/ws-12/finish?token=T                     the feed is over: publish
  GET  /ingest/ws-12/{streamtext|youtube}/seq?token=T   each feed numbers its own posts
Per-session ingest tokens (role admin; stored hashed in DATA/tokens.json, shown once):
  POST   /api/admin/sessions/ws-12/ingest-tokens        mint one: answers the token and the feed URLs
  GET    /api/admin/sessions/ws-12/ingest-tokens        list them (no secrets)
  DELETE /api/admin/ingest-tokens/TOKEN_ID              revoke one
  POST   /api/admin/compact                             compact the journals of feeds at rest now
Uploads (role upload): PUT /api/sessions/ws-12/{captions|recording|report|metadata}?name=FILE,
or multipart POST /api/sessions/ws-12/upload; GET /api/jobs/ws-12.1 tells the job's state.
Pages: / (sessions by day and room), /sessions/ID, /live/ID, /search?q=, /tracks/NAME.

The config file (TOML):
  public_read = true               # pages, downloads and search without a token
  workers = 2
  tracks = \"igf2026-tracks.toml\"  # optional: the meeting's tracks file (relative to this file)
  [limits]
  max_chunk_bytes = 65536
  max_upload_bytes = 2147483648
  [[tokens]]
  name = \"zoom ws-12\"              # logs show the name, never the secret
  token = \"a-long-random-secret\"
  roles = [\"ingest\"]               # ingest, upload, read, admin
  sessions = [\"ws-12\"]             # optional: only these sessions

Without --config reading is public and nothing can be posted or uploaded.
Everything acknowledged (2xx) is in DATA/journal/, synced to disk: after a crash or kill -9
the server restarts with it.";

/// Serve live captions, uploads, published transcripts, findings and track
/// drafts, search and the web pages (HTTP).
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The data folder (created if missing): journals, uploads, published
    /// sessions, the search index. May be the output folder of `rapporteur run`.
    #[arg(long, value_name = "DIR")]
    data: PathBuf,

    /// Tokens, roles and limits (TOML).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,

    /// The meeting's tracks file (TOML, as `rapporteur draft --tracks`):
    /// findings get tracks from it, and the track drafts its order,
    /// descriptions and policy questions. Overrides the config's `tracks`.
    #[arg(long, value_name = "FILE")]
    tracks: Option<PathBuf>,
}

/// Runs the subcommand until Ctrl-C or SIGTERM.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let mut config = match &args.config {
        Some(path) => {
            if !path.is_file() {
                return Err(UsageError(format!("--config {}: no such file", path.display())).into());
            }
            Config::from_path(path)?
        }
        None => Config::from_toml("public_read = true\n", std::path::Path::new("(no --config)"))?,
    };
    if let Some(tracks) = &args.tracks {
        if !tracks.is_file() {
            return Err(UsageError(format!("--tracks {}: no such file", tracks.display())).into());
        }
        config.tracks = Some(tracks.clone());
    }
    if args.data.exists() && !args.data.is_dir() {
        return Err(UsageError(format!("--data {}: not a folder", args.data.display())).into());
    }
    std::fs::create_dir_all(&args.data)
        .with_context(|| format!("cannot create the data folder {}", args.data.display()))?;
    if args.addr.parse::<std::net::SocketAddr>().is_err() && !args.addr.contains(':') {
        return Err(UsageError(format!("--addr `{}` is not an address such as 127.0.0.1:8080", args.addr)).into());
    }
    let writable = config.tokens.iter().any(|t| !t.roles.iter().all(|r| *r == rapporteur_server::Role::Read));
    let public = config.public_read;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("rapporteur-http")
        .build()
        .context("cannot start the async runtime")?;
    let data = args.data.clone();
    let hooks = Hooks { transcribe: whisper() };
    runtime.block_on(rapporteur_server::serve(config, &args.data, &args.addr, hooks, move |addr| {
        let host = if addr.ip().is_unspecified() { format!("127.0.0.1:{}", addr.port()) } else { addr.to_string() };
        // stdout: the URL, for people and scripts; stderr: the rest.
        println!("http://{host}/");
        let _ = std::io::stdout().flush();
        eprintln!(
            "serving {} on http://{host}/ ({}{}); Ctrl-C stops",
            data.display(),
            if public { "reading is public" } else { "reading needs a token" },
            if writable { "" } else { "; no token may post or upload: give --config" }
        );
    }))?;
    Ok(Outcome { total: 1, failed: 0 })
}

/// Whisper for recordings uploaded without captions, when a model is
/// installed; loaded on the first recording, so a server that never gets one
/// never pays for it.
fn whisper() -> Option<rapporteur_server::Transcribe> {
    let model = match crate::commands::transcribe::find_model(None) {
        Ok(model) => model,
        Err(e) => {
            eprintln!("note: recordings are stored but not transcribed: {e}");
            return None;
        }
    };
    let loaded: Arc<OnceLock<Result<Transcriber, String>>> = Arc::new(OnceLock::new());
    Some(Arc::new(move |path: &std::path::Path, session: &rapporteur_core::Session| {
        let transcriber = loaded
            .get_or_init(|| {
                let engine = Engine::load(&model, false).map_err(|e| format!("{}: {e}", model.display()))?;
                Transcriber::new(engine, TranscribeOptions::default()).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)?;
        let mut stream = AudioStream::open(path).map_err(|e| e.to_string())?;
        let result = transcriber.transcribe(&mut stream, session.clone(), &|_| {}).map_err(|e| e.to_string())?;
        Ok(result.transcript)
    }))
}
