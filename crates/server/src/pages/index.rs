//! `GET /`: sessions by day, then room, with their tracks; `?track=` filters.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::layout::{esc, page as render, read_access, url};
use crate::app::App;
use crate::ApiError;

/// The session list.
pub async fn page_handler(
    app: Arc<App>,
    params: HashMap<String, String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let cookie = read_access(&app, &headers, &params)?;
    let track_filter = params.get("track").filter(|t| !t.is_empty());
    // day -> room -> sessions
    let mut days: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut tracks: BTreeMap<String, usize> = BTreeMap::new();
    for session in app.sessions() {
        let inner = session.lock();
        if crate::session::SessionState::is_empty(&inner) {
            continue;
        }
        let meta = &inner.meta;
        for t in &meta.tracks {
            *tracks.entry(t.clone()).or_default() += 1;
        }
        if let Some(track) = track_filter {
            if !meta.tracks.iter().any(|t| t.eq_ignore_ascii_case(track)) {
                continue;
            }
        }
        let day = meta.date.clone().unwrap_or_else(|| "Undated".into());
        let room = meta.room.clone().unwrap_or_else(|| "No room".into());
        let live = if inner.origin.is_some() && !inner.finished {
            " <a class=\"chip\" href=\"/live/ID\">live</a>".replace("ID", &esc(&session.id))
        } else {
            String::new()
        };
        let chips: String = meta
            .tracks
            .iter()
            .map(|t| format!("<a class=\"chip\" href=\"/tracks/{}\">{}</a>", url(t), esc(t)))
            .collect();
        let row = format!(
            "<tr><td>{}</td><td><a href=\"/sessions/{id}\">{}</a>{live}</td><td>{}</td><td>{chips}</td></tr>",
            esc(meta.time.as_deref().unwrap_or("")),
            esc(meta.title.as_deref().unwrap_or(&session.id)),
            esc(meta.session_type.as_deref().unwrap_or("")),
            id = esc(&session.id),
        );
        days.entry(day).or_default().entry(room).or_default().push(row);
    }
    let mut body = String::from("<h1>Sessions</h1>");
    if !tracks.is_empty() {
        body.push_str("<p>Tracks: ");
        for (t, n) in &tracks {
            body.push_str(&format!("<a class=\"chip\" href=\"/?track={}\">{} ({n})</a>", url(t), esc(t)));
        }
        if track_filter.is_some() {
            body.push_str(" <a href=\"/\">all</a>");
        }
        body.push_str("</p>");
    }
    if days.is_empty() {
        body.push_str("<p>No sessions yet: post live captions or upload files.</p>");
    }
    for (day, rooms) in days {
        body.push_str(&format!("<h2>{}</h2>", esc(&day)));
        for (room, mut rows) in rooms {
            rows.sort();
            body.push_str(&format!(
                "<h3>{}</h3><table class=\"sessions\"><tbody>{}</tbody></table>",
                esc(&room),
                rows.join("")
            ));
        }
    }
    Ok(render("Sessions", &body, cookie))
}

/// `GET /`.
pub async fn page(
    State(app): State<Arc<App>>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    page_handler(app, params, headers).await
}
