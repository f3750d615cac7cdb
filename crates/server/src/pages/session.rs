//! `GET /sessions/{id}`: the session page: metadata, player, downloads,
//! findings, and the timed transcript with findings highlighted.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use rapporteur_core::Session;

use super::layout::{esc, page as render, read_access, time_link, url};
use crate::app::App;
use crate::publish::DOWNLOADS;
use crate::session::SessionState;
use crate::ApiError;

/// The session page.
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
    let session = app.session(&id).ok_or_else(|| ApiError::not_found(format!("no session `{id}`")))?;
    let inner = session.lock();
    let transcript = SessionState::transcript(&inner);
    let meta = &transcript.session;
    let title = meta.title.clone().unwrap_or_else(|| id.clone());
    let mut body = format!("<h1>{}</h1><p class=\"meta\">", esc(&title));
    let facts: Vec<String> =
        [meta.session_type.as_deref(), meta.date.as_deref(), meta.time.as_deref(), meta.room.as_deref()]
            .into_iter()
            .flatten()
            .map(esc)
            .collect();
    body.push_str(&facts.join(" · "));
    for t in &meta.tracks {
        body.push_str(&format!(" <a class=\"chip\" href=\"/tracks/{}\">{}</a>", url(t), esc(t)));
    }
    if inner.origin.is_some() && !inner.finished {
        body.push_str(&format!(" <a class=\"chip\" href=\"/live/{}\">follow live</a>", esc(&id)));
    }
    body.push_str("</p>");
    if let Some((_, name)) = &inner.recording {
        let lower = name.to_ascii_lowercase();
        let tag = if [".mp3", ".wav", ".m4a", ".ogg", ".opus", ".flac"].iter().any(|e| lower.ends_with(e)) {
            "audio"
        } else {
            "video"
        };
        body.push_str(&format!(
            "<{tag} id=\"player\" controls preload=\"metadata\" src=\"/sessions/{}/recording\"></{tag}>",
            esc(&id)
        ));
    }
    body.push_str("<p>Downloads: ");
    for (name, _) in DOWNLOADS {
        body.push_str(&format!("<a class=\"chip\" href=\"/sessions/{}/{name}\" download>{name}</a>", esc(&id)));
    }
    body.push_str(&format!(
        "<a class=\"chip\" href=\"/sessions/{}/findings.json\" download>findings.json</a>",
        esc(&id)
    ));
    if !inner.reports.is_empty() {
        body.push_str(&format!(
            "<a class=\"chip\" href=\"/sessions/{}/report\" download>organisers' report</a>",
            esc(&id)
        ));
    }
    for name in &inner.extra_files {
        body.push_str(&format!(
            "<a class=\"chip\" href=\"/sessions/{}/{name}\" download>{name}</a>",
            esc(&id),
            name = esc(name)
        ));
    }
    body.push_str("</p>");

    let mut speakers: Vec<String> = meta.speakers.iter().map(|s| s.name.clone()).collect();
    for s in transcript.speakers() {
        if !speakers.iter().any(|k| k == s) {
            speakers.push(s.to_string());
        }
    }
    if !speakers.is_empty() {
        body.push_str("<h2>Speakers</h2><p>");
        for s in &speakers {
            body.push_str(&format!(
                "<a class=\"chip\" href=\"/search?session={}&speaker={}\">{}</a>",
                url(&id),
                url(s),
                esc(s)
            ));
        }
        body.push_str("</p>");
    }
    if !inner.findings.is_empty() {
        body.push_str("<h2>Findings</h2><ul class=\"findings\">");
        for f in &inner.findings {
            let when = f.start.map(|t| time_link(&id, t)).unwrap_or_else(|| "report".into());
            let who = f.speaker.as_deref().map(|s| format!(" — {}", esc(s))).unwrap_or_default();
            body.push_str(&format!(
                "<li><span class=\"kind\">{}</span> {when} {}{who}</li>",
                esc(&f.kind.replace('_', " ")),
                esc(&f.text)
            ));
        }
        body.push_str("</ul>");
    }
    body.push_str(&format!(
        "<h2>Transcript</h2><p class=\"meta\">{} segments</p><div class=\"transcript\">",
        transcript.segments.len()
    ));
    for segment in &transcript.segments {
        // A segment is highlighted when a finding's quote lies in it.
        let finding = inner.findings.iter().find(|f| match (f.start, f.end) {
            (Some(start), Some(end)) => start < segment.end.max(segment.start.add_millis(1)) && end >= segment.start,
            _ => false,
        });
        let class = match finding {
            Some(f) => format!("seg finding kind-{}", esc(&f.kind)),
            None => "seg".into(),
        };
        body.push_str(&format!(
            "<div class=\"{class}\" id=\"s{}\">{}<span class=\"who\">{}</span><span class=\"text\">{}</span></div>",
            segment.start.as_millis(),
            time_link(&id, segment.start),
            esc(segment.speaker.as_deref().unwrap_or("")),
            esc(&segment.text)
        ));
    }
    body.push_str("</div>");
    drop(inner);
    Ok(render(&title, &body, cookie))
}
