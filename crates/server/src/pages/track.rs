//! `GET /tracks/{track}`: a track's sessions and its draft messages, each
//! with its sources (session, speaker, time that opens the recording there,
//! the exact quote); the findings by kind when no draft covers the track yet.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use rapporteur_draft::{SourceRef, TrackMessages};

use super::layout::{esc, page as render, read_access, time_link};
use crate::app::App;
use crate::ApiError;

fn source_item(source: &SourceRef) -> String {
    let title = source.session_title.as_deref().unwrap_or(&source.session);
    let mut line = format!("<a href=\"/sessions/{}\">{}</a>", esc(&source.session), esc(title));
    if let Some(speaker) = &source.speaker {
        line.push_str(&format!(", <span class=\"who\">{}</span>", esc(speaker)));
    }
    match source.start {
        Some(start) => {
            line.push_str(", ");
            line.push_str(&time_link(&source.session, start));
        }
        None => line.push_str(", session report"),
    }
    let used = if source.used { " used" } else { "" };
    format!("<li class=\"source{used}\">{line}: <q>{}</q></li>", esc(&source.quote))
}

fn messages_html(track: &TrackMessages) -> String {
    let mut html = String::new();
    if let Some(description) = &track.description {
        html.push_str(&format!("<p class=\"meta\">{}</p>", esc(description)));
    }
    html.push_str(&format!(
        "<h2>Draft messages</h2><p class=\"meta\">from {} findings of {} sessions</p>",
        track.findings, track.sessions
    ));
    for group in &track.groups {
        if let Some(question) = &group.policy_question {
            html.push_str(&format!("<h3>{}</h3>", esc(question)));
        }
        html.push_str("<ol class=\"messages\">");
        for message in &group.messages {
            html.push_str(&format!(
                "<li class=\"message\" id=\"{}\"><p><span class=\"kind\">{}</span> {}</p>\
                 <details><summary>{} sources, {} sessions, {} speakers</summary><ul class=\"sources\">{}</ul></details></li>",
                esc(&message.id),
                esc(&message.kind.replace('_', " ")),
                esc(&message.text),
                message.sources.len(),
                message.sessions,
                message.speakers,
                message.sources.iter().map(source_item).collect::<String>()
            ));
        }
        html.push_str("</ol>");
    }
    html
}

/// The track page.
pub async fn page(
    State(app): State<Arc<App>>,
    Path(track): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let cookie = read_access(&app, &headers, &params)?;
    let mut sessions = String::new();
    let mut by_kind: BTreeMap<String, Vec<String>> = BTreeMap::new();
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
    let draft = {
        let app = app.clone();
        tokio::task::spawn_blocking(move || app.drafts.current()).await.map_err(|e| ApiError::internal(&e))?
    };
    let messages = draft.as_ref().and_then(|d| d.tracks.iter().find(|t| t.track.eq_ignore_ascii_case(&track)).cloned());
    if sessions.is_empty() && messages.is_none() {
        return Err(ApiError::not_found(format!(
            "no session in track `{}`",
            track.chars().take(60).collect::<String>()
        )));
    }
    let label = messages.as_ref().map_or(track.as_str(), |m| m.track.as_str()).to_string();
    let mut body = format!("<h1>Track: {}</h1>", esc(&label));
    match &messages {
        Some(m) => body.push_str(&messages_html(m)),
        None => body.push_str("<p class=\"meta\" id=\"no-draft\">No draft of this track's messages yet: it is made from the findings once sessions are published.</p>"),
    }
    body.push_str(&format!("<h2>Sessions</h2><ul>{sessions}</ul>"));
    if messages.is_none() {
        for (kind, items) in by_kind {
            body.push_str(&format!(
                "<h2>{} ({})</h2><ul class=\"findings\">{}</ul>",
                esc(&kind.replace('_', " ")),
                items.len(),
                items.join("")
            ));
        }
    }
    Ok(render(&format!("Track {label}"), &body, cookie))
}
