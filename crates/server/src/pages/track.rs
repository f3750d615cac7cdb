//! `GET /tracks/{track}`: a track's sessions and the findings a draft of its
//! messages is made from, each with its source (session, speaker, time).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::layout::{esc, page as render, read_access, time_link};
use crate::app::App;
use crate::ApiError;

/// The track page.
pub async fn page(State(app): State<Arc<App>>, Path(track): Path<String>, Query(params): Query<HashMap<String, String>>, headers: HeaderMap) -> Result<Response, ApiError> {
    let cookie = read_access(&app, &headers, &params)?;
    let mut sessions = String::new();
    let mut by_kind: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for session in app.sessions() {
        let inner = session.lock();
        if !inner.meta.tracks.iter().any(|t| t.eq_ignore_ascii_case(&track)) {
            continue;
        }
        let title = inner.meta.title.clone().unwrap_or_else(|| session.id.clone());
        sessions.push_str(&format!("<li><a href=\"/sessions/{}\">{}</a></li>", esc(&session.id), esc(&title)));
        for f in &inner.findings {
            let when = f.start.map(|t| time_link(&session.id, t)).unwrap_or_else(|| "report".into());
            let who = f.speaker.as_deref().map(|s| format!(", {}", esc(s))).unwrap_or_default();
            by_kind.entry(f.kind.clone()).or_default().push(format!(
                "<li>{} <span class=\"meta\">— <a href=\"/sessions/{}\">{}</a>{who}, {when}</span></li>",
                esc(&f.text),
                esc(&session.id),
                esc(&title)
            ));
        }
    }
    if sessions.is_empty() {
        return Err(ApiError::not_found(format!("no session in track `{}`", track.chars().take(60).collect::<String>())));
    }
    let mut body = format!("<h1>Track: {}</h1><h2>Sessions</h2><ul>{sessions}</ul>", esc(&track));
    for (kind, items) in by_kind {
        body.push_str(&format!("<h2>{} ({})</h2><ul class=\"findings\">{}</ul>", esc(&kind.replace('_', " ")), items.len(), items.join("")));
    }
    Ok(render(&format!("Track {track}"), &body, cookie))
}
