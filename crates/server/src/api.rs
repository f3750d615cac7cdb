//! JSON endpoints: sessions, jobs, search.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use rapporteur_index::{DocKind, Filters, SearchRequest, SearchResults};

use crate::app::App;
use crate::config::Role;
use crate::ApiError;

type Params = Query<HashMap<String, String>>;

fn read_access(app: &App, headers: &HeaderMap, params: &Params) -> Result<(), ApiError> {
    app.authorize(headers, params.get("token").map(String::as_str), Role::Read, None)
}

/// A session's summary.
pub fn summary(session: &crate::session::SessionState) -> serde_json::Value {
    let inner = session.lock();
    let transcript_segments =
        inner.uploaded_transcript.as_ref().map_or(inner.live_segments.len(), |t| t.segments.len());
    serde_json::json!({
        "session": inner.meta,
        "live": {
            "chunks": inner.chunks,
            "last_seq": session_last_seq(&inner),
            "seqs": inner.last_seqs(),
            "segments": inner.live_segments.len(),
            "pending": inner.pending.iter().map(|(lang, (speaker, text))| serde_json::json!({"lang": lang, "speaker": speaker, "text": text})).collect::<Vec<_>>(),
            "finished": inner.finished,
        },
        "segments": transcript_segments,
        "findings": inner.findings.len(),
        "jobs": inner.jobs.values().collect::<Vec<_>>(),
    })
}

fn session_last_seq(inner: &crate::session::Inner) -> Option<u64> {
    inner.seen_max()
}

/// `GET /api/sessions`.
pub async fn sessions(
    State(app): State<Arc<App>>,
    params: Params,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    read_access(&app, &headers, &params)?;
    let list: Vec<serde_json::Value> = app
        .sessions()
        .iter()
        .filter(|s| !crate::session::SessionState::is_empty(&s.lock()))
        .map(|s| summary(s))
        .collect();
    Ok(Json(serde_json::json!({ "sessions": list })))
}

/// `GET /api/sessions/{id}`: metadata, live state, jobs; `?text=1` adds the
/// live segments.
pub async fn session(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    if !rapporteur_core::Session::is_valid_id(&id) {
        return Err(ApiError::bad_id(&id));
    }
    read_access(&app, &headers, &params)?;
    let session = app.session(&id).ok_or_else(|| ApiError::not_found(format!("no session `{id}`")))?;
    let mut value = summary(&session);
    if params.contains_key("text") {
        let inner = session.lock();
        value["live_segments"] = serde_json::to_value(&inner.live_segments).unwrap_or_default();
    }
    Ok(Json(value))
}

/// `GET /api/jobs/{SESSION.N}`.
pub async fn job(
    State(app): State<Arc<App>>,
    Path(job): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (id, number) = job
        .rsplit_once('.')
        .and_then(|(id, n)| Some((id.to_string(), n.parse::<u64>().ok()?)))
        .ok_or_else(|| ApiError::bad_request("a job id is SESSION.NUMBER, as the upload answered"))?;
    if !rapporteur_core::Session::is_valid_id(&id) {
        return Err(ApiError::bad_id(&id));
    }
    app.authorize(&headers, params.get("token").map(String::as_str), Role::Upload, Some(&id))
        .or_else(|_| read_access(&app, &headers, &params))?;
    let session = app.session(&id).ok_or_else(|| ApiError::not_found(format!("no session `{id}`")))?;
    let inner = session.lock();
    let entry = inner.jobs.get(&number).ok_or_else(|| ApiError::not_found(format!("no job {job}")))?;
    Ok(Json(serde_json::to_value(entry).unwrap_or_default()))
}

/// Builds a search request from `q`, `track`, `kind`, `speaker`, `session`,
/// `type`, `doc`, `limit`, `offset`.
pub fn search_request(params: &HashMap<String, String>) -> Result<SearchRequest, ApiError> {
    let text = |key: &str| params.get(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let number = |key: &str, default: usize| -> Result<usize, ApiError> {
        match text(key) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| {
                ApiError::bad_request(format!(
                    "{key} `{}` is not a whole number",
                    v.chars().take(20).collect::<String>()
                ))
            }),
        }
    };
    let doc = match text("doc") {
        None => None,
        Some(d) => {
            Some(DocKind::from_name(&d).ok_or_else(|| ApiError::bad_request("doc is session, segment or finding"))?)
        }
    };
    let mut request = SearchRequest::new(text("q").unwrap_or_default()).with_filters(Filters {
        track: text("track"),
        kind: text("kind"),
        speaker: text("speaker"),
        session: text("session"),
        session_type: text("type"),
        doc,
    });
    request.limit = number("limit", 20)?.clamp(1, rapporteur_index::MAX_LIMIT);
    request.offset = number("offset", 0)?.min(100_000);
    request.lenient = true;
    Ok(request)
}

/// Runs a search off the async threads.
pub async fn run_search(app: &Arc<App>, request: SearchRequest) -> Result<SearchResults, ApiError> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || app.index.search(&request)).await.map_err(|e| ApiError::internal(&e))?.map_err(
        |e| match e {
            rapporteur_index::IndexError::Query { .. } => ApiError::bad_request(e.to_string()),
            other => ApiError::internal(&other),
        },
    )
}

/// `GET /api/search?q=...`.
pub async fn search(
    State(app): State<Arc<App>>,
    params: Params,
    headers: HeaderMap,
) -> Result<Json<SearchResults>, ApiError> {
    read_access(&app, &headers, &params)?;
    let request = search_request(&params)?;
    Ok(Json(run_search(&app, request).await?))
}
