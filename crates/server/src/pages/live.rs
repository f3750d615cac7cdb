//! The live page of a session and its server-sent-events stream.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use rapporteur_core::Session;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

use super::layout::{esc, page as render, read_access};
use crate::app::App;
use crate::session::LiveMessage;
use crate::ApiError;

/// `GET /live/{id}`.
pub async fn page(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if !Session::is_valid_id(&id) {
        return Err(ApiError::bad_id(&id));
    }
    let cookie = read_access(&app, &headers, &params)?;
    let title = app.session(&id).and_then(|s| s.lock().meta.title.clone()).unwrap_or_else(|| id.clone());
    let body = format!(
        "<h1>{title} <span class=\"chip\">live</span></h1>\
         <p class=\"meta\"><a href=\"/sessions/{id}\">session page</a> · <span id=\"status\">connecting…</span></p>\
         <div id=\"live\" data-events=\"/live/{id}/events\"><div id=\"segments\"></div><p id=\"pending\" class=\"pending\"></p></div>\
         <h2>Findings so far</h2><ul id=\"live-findings\" class=\"findings\"></ul>",
        title = esc(&title),
        id = esc(&id),
    );
    Ok(render(&format!("{title} (live)"), &body, cookie))
}

fn sse(message: &LiveMessage) -> SseEvent {
    SseEvent::default().data(serde_json::to_string(message).unwrap_or_default())
}

/// `GET /live/{id}/events`: everything so far, then every change.
pub async fn events(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if !Session::is_valid_id(&id) {
        return Err(ApiError::bad_id(&id));
    }
    read_access(&app, &headers, &params)?;
    // A live page may open before the first caption: the session starts
    // here (in memory only, until something is posted to it).
    let session = match app.session(&id) {
        Some(s) => s,
        None => app.session_or_create(&id).await?,
    };
    // Subscribe under the session's lock, so nothing falls between the
    // snapshot and the stream.
    let (snapshot, receiver) = {
        let inner = session.lock();
        let receiver = session.events.subscribe();
        let mut snapshot = vec![LiveMessage::Reset];
        snapshot.extend(
            inner.live_segments.iter().map(|s| LiveMessage::Segment { lang: String::new(), segment: s.clone() }),
        );
        for (lang, (speaker, text)) in &inner.pending {
            snapshot.push(LiveMessage::Pending {
                lang: lang.clone(),
                speaker: speaker.clone(),
                text: text.clone(),
                seq: inner.seen_max(),
            });
        }
        if !inner.live_findings.is_empty() {
            snapshot.push(LiveMessage::Findings { findings: inner.live_findings.clone() });
        }
        (snapshot, receiver)
    };
    let first = tokio_stream::iter(snapshot.into_iter().map(|m| Ok::<_, Infallible>(sse(&m))));
    let rest = BroadcastStream::new(receiver).map(|item| match item {
        Ok(message) => Ok::<_, Infallible>(sse(&message)),
        // A reader too slow to keep up is told to reload.
        Err(BroadcastStreamRecvError::Lagged(n)) => Ok(SseEvent::default().event("lagged").data(n.to_string())),
    });
    Ok(Sse::new(first.chain(rest)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response())
}
