//! Live captions in: Zoom's third-party captioning API, StreamText push and
//! YouTube-style timed bodies, each at `/ingest/{session}/...`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use crate::app::{now_unix_ms, App};
use crate::config::Role;
use crate::feeds::Feed;
use crate::journal::{Cue, Record};
use crate::session::Ingested;
use crate::timestamp::{parse_iso, parse_x_timestamp};
use crate::ApiError;

type Params = Query<HashMap<String, String>>;

/// Checks the token and the session id, and opens the session.
async fn ingest_session(
    app: &Arc<App>,
    id: &str,
    headers: &HeaderMap,
    params: &Params,
) -> Result<Arc<crate::session::SessionState>, ApiError> {
    app.authorize(headers, params.get("token").map(String::as_str), Role::Ingest, Some(id))?;
    app.session_or_create(id).await
}

fn seq_param(params: &Params) -> Result<Option<u64>, ApiError> {
    match params.get("seq") {
        None => Ok(None),
        Some(text) => text
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("seq `{}` is not a whole number", shorten(text)))),
    }
}

fn lang_param(params: &Params) -> Result<String, ApiError> {
    let lang = params.get("lang").map(|l| l.trim()).unwrap_or("");
    if lang.len() > 35 || !lang.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(ApiError::bad_request(format!("lang `{}` is not a language tag such as en-US", shorten(lang))));
    }
    Ok(lang.to_string())
}

fn shorten(text: &str) -> String {
    text.chars().take(40).collect()
}

fn utf8(body: &Bytes) -> Result<&str, ApiError> {
    std::str::from_utf8(body).map_err(|e| {
        ApiError::bad_request(format!("the body is not UTF-8 text: invalid byte at offset {}", e.valid_up_to()))
    })
}

async fn store(
    app: &Arc<App>,
    session: Arc<crate::session::SessionState>,
    record: Record,
) -> Result<Response, ApiError> {
    let app = app.clone();
    let outcome = tokio::task::spawn_blocking(move || session.ingest(record, app.extractor.as_ref()))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|e| ApiError::internal(&e))?;
    Ok(match outcome {
        Ingested::Applied => "ok\n".into_response(),
        Ingested::Retry => "ok (retry of a seq already received)\n".into_response(),
    })
}

/// `POST /ingest/{id}/zoom?seq=N&lang=L`: Zoom's third-party captioning API.
pub async fn zoom(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    params: Params,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let session = ingest_session(&app, &id, &headers, &params).await?;
    let Some(seq) = seq_param(&params)? else {
        return Err(ApiError::bad_request("seq is missing: Zoom's API numbers every post (?seq=1&lang=en-US)"));
    };
    let record = Record::Chunk {
        feed: Feed::Zoom,
        seq: Some(seq),
        lang: lang_param(&params)?,
        text: utf8(&body)?.to_string(),
        at: now_unix_ms(),
    };
    store(&app, session, record).await
}

/// `GET /ingest/{id}/{feed}/seq`: the last `seq` received through that
/// feed (0 before any); for Zoom, what its API's `GET .../seq` answers.
pub async fn last_seq(
    State(app): State<Arc<App>>,
    Path((id, feed)): Path<(String, String)>,
    params: Params,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let feed = Feed::from_name(&feed)
        .ok_or_else(|| ApiError::not_found(format!("no feed `{}`: use zoom, streamtext or youtube", shorten(&feed))))?;
    let session = ingest_session(&app, &id, &headers, &params).await?;
    Ok(format!("{}\n", session.last_seq(feed).unwrap_or(0)).into_response())
}

/// `POST /ingest/{id}/streamtext[?seq=N][&lang=L]` with optional `X-Timestamp`.
pub async fn streamtext(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    params: Params,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let session = ingest_session(&app, &id, &headers, &params).await?;
    let at = match headers.get("x-timestamp") {
        None => now_unix_ms(),
        Some(value) => value.to_str().ok().and_then(parse_x_timestamp).ok_or_else(|| {
            ApiError::bad_request("X-Timestamp is not a time: send ISO 8601 (2020-11-12T09:30:00.250Z) or unix seconds")
        })?,
    };
    let record = Record::Chunk {
        feed: Feed::StreamText,
        seq: seq_param(&params)?,
        lang: lang_param(&params)?,
        text: utf8(&body)?.to_string(),
        at,
    };
    store(&app, session, record).await
}

/// Reads a YouTube-style body: a time line (`2020-11-12T09:30:00.250`,
/// optionally followed by a region) then the caption's text lines, repeated.
pub fn parse_timed_body(body: &str) -> Result<Vec<Cue>, String> {
    let mut cues: Vec<Cue> = Vec::new();
    for (n, line) in body.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let first = line.split_whitespace().next().unwrap_or("");
        if let Some(at) = parse_iso(first) {
            cues.push(Cue { at, text: String::new() });
        } else if line.trim().is_empty() {
            continue;
        } else {
            let Some(cue) = cues.last_mut() else {
                return Err(format!("line {}: expected a time such as 2020-11-12T09:30:00.250 before the text", n + 1));
            };
            if !cue.text.is_empty() {
                cue.text.push(' ');
            }
            cue.text.push_str(line.trim());
        }
    }
    if cues.is_empty() {
        return Err("line 1: the body has no time line (2020-11-12T09:30:00.250) and no text".into());
    }
    Ok(cues)
}

/// `POST /ingest/{id}/youtube?seq=N&lang=L`: `time\ntext` bodies.
pub async fn youtube(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    params: Params,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let session = ingest_session(&app, &id, &headers, &params).await?;
    let cues = parse_timed_body(utf8(&body)?).map_err(ApiError::bad_request)?;
    let record = Record::Cues { seq: seq_param(&params)?, lang: lang_param(&params)?, cues };
    store(&app, session, record).await
}

/// `POST /ingest/{id}/finish`: the live feed is over; publish the transcript.
pub async fn finish(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let session = ingest_session(&app, &id, &headers, &params).await?;
    let record_session = session.clone();
    tokio::task::spawn_blocking(move || record_session.record(Record::Finish { at: now_unix_ms() }))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|e| ApiError::internal(&e))?;
    app.queue_publish(session);
    Ok("ok: finished; the transcript is being published\n".into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timed_bodies() {
        let cues = parse_timed_body(
            "2020-11-12T09:30:00.250 region:reg1#cue1\nHello\nworld.\n2020-11-12T09:30:02.000\nNext.\n",
        )
        .unwrap();
        assert_eq!(cues.len(), 2);
        assert_eq!(cues[0].text, "Hello world.");
        assert_eq!(cues[1].at - cues[0].at, 1750);
        assert!(parse_timed_body("Hello\n").unwrap_err().starts_with("line 1:"));
        assert!(parse_timed_body("").is_err());
    }

    proptest::proptest! {
        #[test]
        fn timed_bodies_never_panic(body in "\\PC{0,200}") {
            let _ = parse_timed_body(&body);
        }
    }
}
