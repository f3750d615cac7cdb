//! The server: shared state, start-up replay, routes, background tasks.

use std::collections::BTreeMap;
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::HeaderMap;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use axum::Router;
use rapporteur_core::Session;
use rapporteur_index::SearchIndex;

use crate::auth::{authorize, request_token, Denied};
use crate::config::{Config, Role};
use crate::drafts::Drafts;
use crate::jobs::{self, Work};
use crate::published;
use crate::session::{JobState, SessionState};
use crate::tokens::TokenStore;
use crate::{admin, api, ingest, pages, uploads, ApiError, ServerError};

/// Unix time in milliseconds.
pub fn now_unix_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Everything the handlers and workers share.
pub struct App {
    /// The configuration.
    pub config: Config,
    /// The data folder.
    pub data: PathBuf,
    sessions: RwLock<BTreeMap<String, Arc<SessionState>>>,
    /// The search index (`DATA/index`).
    pub index: SearchIndex,
    /// Extraction rules, when they load.
    pub extractor: Option<rapporteur_extract::Extractor>,
    /// The track drafts.
    pub drafts: Drafts,
    /// Speech recognition for recordings, when the binary provides it.
    pub transcribe: Option<Transcribe>,
    /// Ingest tokens minted per session.
    pub tokens: TokenStore,
    work: crossbeam_channel::Sender<Work>,
}

/// Speech recognition for an uploaded recording: the file and the session's
/// metadata in, a timed transcript out (an error says why not). The binary
/// passes Whisper in (`rapporteur-asr`), so this crate stays free of it.
pub type Transcribe = Arc<dyn Fn(&Path, &Session) -> Result<rapporteur_core::Transcript, String> + Send + Sync>;

/// What the binary plugs into the server.
#[derive(Clone, Default)]
pub struct Hooks {
    /// Transcribes recordings of sessions that have no captions.
    pub transcribe: Option<Transcribe>,
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks").field("transcribe", &self.transcribe.is_some()).finish()
    }
}

/// Sessions a reader may bring into being by opening the live page of an
/// unknown id (they hold nothing and are not journaled): a bound, so that
/// anonymous readers cannot fill the memory.
const MAX_SESSIONS: usize = 100_000;

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("data", &self.data).finish_non_exhaustive()
    }
}

impl App {
    /// The journal folder.
    pub fn journal_dir(&self) -> PathBuf {
        self.data.join("journal")
    }

    /// The published folder of a session.
    pub fn published_dir(&self, id: &str) -> PathBuf {
        self.data.join("sessions").join(id)
    }

    /// Checks the request's token for `role` on `session`.
    pub fn authorize(
        &self,
        headers: &HeaderMap,
        query_token: Option<&str>,
        role: Role,
        session: Option<&str>,
    ) -> Result<(), ApiError> {
        if let Some(id) = session {
            if !Session::is_valid_id(id) {
                return Err(ApiError::bad_id(id));
            }
        }
        let token = request_token(headers, query_token);
        match authorize(&self.config, token, role, session) {
            Err(Denied::Unauthenticated) => {
                // A token minted for one session posts to that session's
                // live feeds, and does nothing else.
                let Some(minted_for) = token.and_then(|t| self.tokens.session_of(t)) else {
                    return Err(ApiError::unauthenticated());
                };
                if role == Role::Ingest && session == Some(minted_for.as_str()) {
                    Ok(())
                } else {
                    Err(ApiError::forbidden("this request (the token was minted for another session's captions)"))
                }
            }
            other => other.map_err(ApiError::from),
        }
    }

    /// A session that exists.
    pub fn session(&self, id: &str) -> Option<Arc<SessionState>> {
        self.sessions.read().ok()?.get(id).cloned()
    }

    /// Every session, by id.
    pub fn sessions(&self) -> Vec<Arc<SessionState>> {
        self.sessions.read().map(|s| s.values().cloned().collect()).unwrap_or_default()
    }

    /// A session, created if new (its journal is created with its first record).
    pub async fn session_or_create(self: &Arc<Self>, id: &str) -> Result<Arc<SessionState>, ApiError> {
        if !Session::is_valid_id(id) {
            return Err(ApiError::bad_id(id));
        }
        if let Some(session) = self.session(id) {
            return Ok(session);
        }
        let mut sessions = self.sessions.write().map_err(|_| ApiError::internal(&"session table lock poisoned"))?;
        if let Some(session) = sessions.get(id) {
            return Ok(session.clone());
        }
        if sessions.len() >= MAX_SESSIONS {
            return Err(ApiError {
                status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
                message: format!("the server holds {MAX_SESSIONS} sessions, its limit"),
            });
        }
        let session = Arc::new(SessionState::new(id, &self.journal_dir()));
        sessions.insert(id.to_string(), session.clone());
        Ok(session)
    }

    /// Queues an upload's job.
    pub fn queue_job(&self, session: Arc<SessionState>, job: u64) {
        let _ = self.work.send(Work::Upload { session, job });
    }

    /// Queues a publication of one session.
    pub fn queue_publish(&self, session: Arc<SessionState>) {
        let _ = self.work.send(Work::Publish { sessions: vec![session] });
    }
}

/// Opens the data folder, replays every journal and starts the workers.
pub fn open(
    config: Config,
    data: &Path,
    hooks: Hooks,
) -> Result<(Arc<App>, Vec<std::thread::JoinHandle<()>>), ServerError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ServerError::Io { path, source }
    };
    let journal_dir = data.join("journal");
    std::fs::create_dir_all(&journal_dir).map_err(io(&journal_dir))?;
    std::fs::create_dir_all(data.join("uploads")).map_err(io(&data.join("uploads")))?;
    let index = SearchIndex::open_or_create(&data.join("index"))?;
    let tokens = TokenStore::open(data)?;
    let tracks = config.load_tracks()?;
    let extractor = match rapporteur_extract::RuleSet::builtin() {
        // With the meeting's tracks, findings get their track as `rapporteur run` gives it.
        Ok(rules) => Some(match &tracks {
            Some(tracks) => rapporteur_extract::Extractor::new(rules).with_tracks(tracks.clone()),
            None => rapporteur_extract::Extractor::new(rules),
        }),
        Err(e) => {
            eprintln!("warning: extraction rules did not load ({e}); sessions are published without findings");
            None
        }
    };

    let started = Instant::now();
    let mut sessions = BTreeMap::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&journal_dir)
        .map_err(io(&journal_dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    entries.sort();
    for path in entries {
        let Some(id) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else { continue };
        if !Session::is_valid_id(&id) {
            continue;
        }
        let session = SessionState::open(&id, &journal_dir)?;
        sessions.insert(id, Arc::new(session));
    }

    for session in sessions.values() {
        jobs::reapply_done(data, session, hooks.transcribe.as_ref());
    }
    let journaled = sessions.len();
    let published = load_published(data, &journal_dir, &mut sessions);

    let (work, queue) = crossbeam_channel::unbounded();
    let app = Arc::new(App {
        config,
        data: data.to_path_buf(),
        sessions: RwLock::new(sessions),
        index,
        extractor,
        drafts: Drafts::new(data, tracks),
        transcribe: hooks.transcribe,
        tokens,
        work,
    });
    // Jobs acknowledged but not finished before a stop run again; every
    // journaled session is published again (its outputs may predate a crash).
    let replayed: Vec<Arc<SessionState>> = app.sessions().into_iter().filter(|s| s.lock().has_journal()).collect();
    for session in &replayed {
        let pending: Vec<u64> = {
            let inner = session.lock();
            inner
                .jobs
                .iter()
                .filter(|(_, j)| matches!(j.state, JobState::Queued | JobState::Running))
                .map(|(n, _)| *n)
                .collect()
        };
        for job in pending {
            app.queue_job(session.clone(), job);
        }
    }
    if !replayed.is_empty() {
        let _ = app.work.send(Work::Publish { sessions: replayed });
    }
    eprintln!(
        "replayed {journaled} session journals and loaded {published} published sessions in {} ms",
        started.elapsed().as_millis()
    );
    let workers = jobs::start(app.clone(), queue, app.config.workers);
    Ok((app, workers))
}

/// Loads the sessions published in `DATA/sessions/<id>/` (by `rapporteur
/// run`, or by this server before) that have no journal: their transcript,
/// findings and metadata as published. Returns how many.
fn load_published(data: &Path, journal_dir: &Path, sessions: &mut BTreeMap<String, Arc<SessionState>>) -> usize {
    let dir = data.join("sessions");
    let Ok(entries) = std::fs::read_dir(&dir) else { return 0 };
    let mut ids: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|id| Session::is_valid_id(id) && !sessions.contains_key(id))
        .collect();
    ids.sort();
    let mut count = 0;
    for id in ids {
        match published::read(&dir.join(&id), &id) {
            Ok(Some((transcript, findings, extra))) => {
                sessions.insert(
                    id.clone(),
                    Arc::new(SessionState::published(&id, journal_dir, transcript, findings, extra)),
                );
                count += 1;
            }
            Ok(None) => {}
            Err(e) => eprintln!("warning: {e}; session `{id}` is not served"),
        }
    }
    count
}

/// Logs failures without the query string (it may carry a token).
async fn log_requests(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        let shown: String = path.chars().take(200).collect();
        eprintln!("{method} {shown} -> {} ({} ms)", status.as_u16(), started.elapsed().as_millis());
    }
    response
}

/// The routes.
pub fn router(app: Arc<App>) -> Router {
    let limits = app.config.limits.clone();
    let ingest = Router::new()
        .route("/ingest/{id}/zoom", post(ingest::zoom))
        .route("/ingest/{id}/{feed}/seq", get(ingest::last_seq))
        .route("/ingest/{id}/streamtext", post(ingest::streamtext))
        .route("/ingest/{id}/youtube", post(ingest::youtube))
        .route("/ingest/{id}/finish", post(ingest::finish))
        .layer(DefaultBodyLimit::max(limits.max_chunk_bytes));
    let uploads = Router::new()
        .route("/api/sessions/{id}/upload", post(uploads::multipart))
        .route("/api/sessions/{id}/{kind}", put(uploads::put))
        .layer(DefaultBodyLimit::disable());
    Router::new()
        .merge(ingest)
        .merge(uploads)
        .route("/", get(pages::index::page))
        .route("/sessions/{id}", get(pages::session::page))
        .route("/sessions/{id}/{file}", get(pages::downloads::file))
        .route("/live/{id}", get(pages::live::page))
        .route("/live/{id}/events", get(pages::live::events))
        .route("/search", get(pages::search::page))
        .route("/tracks/{track}", get(pages::track::page))
        .route("/static/app.js", get(pages::layout::script))
        .route("/static/style.css", get(pages::layout::style))
        .route("/api/sessions", get(api::sessions))
        .route("/api/sessions/{id}", get(api::session))
        .route("/api/jobs/{job}", get(api::job))
        .route("/api/search", get(api::search))
        .route("/api/admin/sessions/{id}/ingest-tokens", post(admin::mint).get(admin::list))
        .route("/api/admin/ingest-tokens/{token}", delete(admin::revoke))
        .route("/api/admin/compact", post(admin::compact))
        .route("/healthz", get(|| async { "ok\n" }))
        .layer(middleware::from_fn(log_requests))
        .with_state(app)
}

/// Lets time pass on live sessions (pauses end segments), publishes live
/// sessions that changed every few seconds in one index commit, and remakes
/// the track drafts at most once a minute when findings changed.
fn spawn_background(app: Arc<App>) {
    let ticker = app.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_millis(250));
        loop {
            interval.tick().await;
            let now = now_unix_ms();
            for session in ticker.sessions() {
                let active = {
                    let inner = session.lock();
                    !inner.finished && inner.origin.is_some() && now.saturating_sub(inner.last_chunk_at) < 120_000
                };
                if active {
                    session.tick(now, ticker.extractor.as_ref());
                }
            }
        }
    });
    let drafter = app.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(publish_interval()));
        loop {
            interval.tick().await;
            let dirty: Vec<Arc<SessionState>> = app.sessions().into_iter().filter(|s| s.lock().dirty).collect();
            if !dirty.is_empty() {
                let _ = app.work.send(Work::Publish { sessions: dirty });
            }
            // Long journals are compacted when their feed is at rest, so a
            // restart replays a snapshot rather than every chunk.
            let now = now_unix_ms();
            let limit = compact_lines();
            for session in app.sessions() {
                let due = {
                    let inner = session.lock();
                    let lines = inner.journal_lines();
                    (lines >= limit || (inner.finished && lines >= 64)) && inner.is_quiet(now)
                };
                if due {
                    let _ = app.work.send(Work::Compact { session });
                }
            }
        }
    });
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(app_draft_interval()));
        loop {
            interval.tick().await;
            let _ = drafter.work.send(Work::Redraft);
        }
    });
}

/// Seconds between two publications of live sessions that changed
/// (`RAPPORTEUR_PUBLISH_INTERVAL`, default 5). Live pages get captions and
/// findings chunk by chunk; this is for pages, downloads and search.
fn publish_interval() -> u64 {
    std::env::var("RAPPORTEUR_PUBLISH_INTERVAL").ok().and_then(|v| v.parse().ok()).filter(|v| *v > 0).unwrap_or(5)
}

/// Journal lines past which a session's journal is compacted at its next
/// quiet moment (`RAPPORTEUR_COMPACT_LINES`, default 2,000; a finished feed's
/// at 64).
fn compact_lines() -> u64 {
    std::env::var("RAPPORTEUR_COMPACT_LINES").ok().and_then(|v| v.parse().ok()).filter(|v| *v > 1).unwrap_or(2_000)
}

/// Seconds between two looks at whether the track drafts need remaking
/// (`RAPPORTEUR_DRAFT_INTERVAL`, default 60; tests make it short).
fn app_draft_interval() -> u64 {
    std::env::var("RAPPORTEUR_DRAFT_INTERVAL").ok().and_then(|v| v.parse().ok()).filter(|v| *v > 0).unwrap_or(60)
}

/// Waits for Ctrl-C or SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Serves until Ctrl-C or SIGTERM: binds `addr`, opens `data` (replaying its
/// journals and loading what was published there), then calls `ready` with
/// the address it listens on (port 0 picks a free one).
pub async fn serve(
    config: Config,
    data: &Path,
    addr: &str,
    hooks: Hooks,
    ready: impl FnOnce(SocketAddr) + Send,
) -> Result<(), ServerError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr: addr.to_string(), source })?;
    let local: SocketAddr =
        listener.local_addr().map_err(|source| ServerError::Bind { addr: addr.to_string(), source })?;
    let data = data.to_path_buf();
    let (app, _workers) = tokio::task::spawn_blocking(move || open(config, &data, hooks))
        .await
        .map_err(|e| ServerError::Io { path: PathBuf::from("."), source: std::io::Error::other(e.to_string()) })??;
    spawn_background(app.clone());
    ready(local);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, router(app.clone())).with_graceful_shutdown(async move {
        let _ = stop_rx.await;
    });
    let mut server = std::pin::pin!(server.into_future());
    tokio::select! {
        result = &mut server => result.map_err(|source| ServerError::Bind { addr: addr.to_string(), source })?,
        _ = stop_signal() => {
            // Live pages hold their connections open: give requests under
            // way a moment, then stop. Everything acknowledged is journaled.
            let _ = stop_tx.send(());
            let _ = tokio::time::timeout(Duration::from_secs(3), &mut server).await;
        }
    }
    for _ in 0..app.config.workers {
        let _ = app.work.send(Work::Stop);
    }
    Ok(())
}
