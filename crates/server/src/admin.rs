//! Admin endpoints (role `admin`): per-session ingest tokens and journal
//! compaction.
//!
//! * `POST /api/admin/sessions/{id}/ingest-tokens` mints a token for one
//!   session and answers it once with the session's ingest URLs;
//! * `GET /api/admin/sessions/{id}/ingest-tokens` lists them (no secrets);
//! * `DELETE /api/admin/ingest-tokens/{token}` revokes one;
//! * `POST /api/admin/compact` compacts every journal whose feed is at rest.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapporteur_core::Session;

use crate::app::{now_unix_ms, App};
use crate::compact::Compaction;
use crate::config::Role;
use crate::feeds::Feed;
use crate::tokens::MintedToken;
use crate::ApiError;

type Params = Query<HashMap<String, String>>;

fn admin(app: &App, headers: &HeaderMap, params: &Params) -> Result<(), ApiError> {
    app.authorize(headers, params.get("token").map(String::as_str), Role::Admin, None)
}

fn public(token: &MintedToken) -> serde_json::Value {
    serde_json::json!({
        "id": token.id,
        "session": token.session,
        "created": token.created,
        "revoked": token.revoked,
    })
}

/// `POST /api/admin/sessions/{id}/ingest-tokens`: a new token for the
/// session's live feeds, with the URL of each feed (the token in it, as
/// captioning tools are given one URL). The secret is in this answer only.
pub async fn mint(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if !Session::is_valid_id(&id) {
        return Err(ApiError::bad_id(&id));
    }
    admin(&app, &headers, &params)?;
    let app2 = app.clone();
    let id2 = id.clone();
    let (token, secret) = tokio::task::spawn_blocking(move || app2.tokens.mint(&id2, now_unix_ms()))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|e| ApiError::internal(&e))?;
    // The Host header only shapes the URLs given back to the admin who asked.
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("localhost");
    let url = |feed: Feed, query: &str| format!("http://{host}/ingest/{id}/{}?{query}token={secret}", feed.name());
    let mut answer = public(&token);
    answer["token"] = secret.clone().into();
    answer["urls"] = serde_json::json!({
        "zoom": url(Feed::Zoom, ""),
        "zoom_seq": format!("http://{host}/ingest/{id}/zoom/seq?token={secret}"),
        "streamtext": url(Feed::StreamText, ""),
        "youtube": url(Feed::YouTube, ""),
        "finish": format!("http://{host}/ingest/{id}/finish?token={secret}"),
    });
    eprintln!("minted ingest token {} for session {id}", token.id);
    Ok((StatusCode::CREATED, [(header::CACHE_CONTROL, "no-store")], Json(answer)).into_response())
}

/// `GET /api/admin/sessions/{id}/ingest-tokens`.
pub async fn list(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    if !Session::is_valid_id(&id) {
        return Err(ApiError::bad_id(&id));
    }
    admin(&app, &headers, &params)?;
    let tokens: Vec<serde_json::Value> = app.tokens.list(Some(&id)).iter().map(public).collect();
    Ok(Json(serde_json::json!({ "session": id, "tokens": tokens })))
}

/// `DELETE /api/admin/ingest-tokens/{token}`: revoked at once, for good.
pub async fn revoke(
    State(app): State<Arc<App>>,
    Path(token_id): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    admin(&app, &headers, &params)?;
    let app2 = app.clone();
    let id2 = token_id.clone();
    let revoked = tokio::task::spawn_blocking(move || app2.tokens.revoke(&id2, now_unix_ms()))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|e| ApiError::internal(&e))?;
    match revoked {
        Some(token) => {
            eprintln!("revoked ingest token {} of session {}", token.id, token.session);
            Ok(Json(public(&token)))
        }
        None => {
            Err(ApiError::not_found(format!("no ingest token `{}`", token_id.chars().take(40).collect::<String>())))
        }
    }
}

/// `POST /api/admin/compact`: compacts now the journal of every session
/// whose live feed is at rest; says what was done to each.
pub async fn compact(
    State(app): State<Arc<App>>,
    params: Params,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    admin(&app, &headers, &params)?;
    let app2 = app.clone();
    let report = tokio::task::spawn_blocking(move || {
        let now = now_unix_ms();
        let mut report = serde_json::Map::new();
        for session in app2.sessions() {
            let value = match session.compact(now) {
                Ok(Compaction::Done { before, after }) => {
                    serde_json::json!({"compacted": true, "before": before, "after": after})
                }
                Ok(Compaction::NotQuiet) => {
                    serde_json::json!({"compacted": false, "why": "captions are arriving or pending"})
                }
                Ok(Compaction::Nothing) => continue,
                Err(e) => {
                    eprintln!("error: compacting the journal of {}: {e}", session.id);
                    serde_json::json!({"compacted": false, "why": "error: see the server log"})
                }
            };
            report.insert(session.id.clone(), value);
        }
        report
    })
    .await
    .map_err(|e| ApiError::internal(&e))?;
    Ok(Json(serde_json::json!({ "sessions": report })))
}
