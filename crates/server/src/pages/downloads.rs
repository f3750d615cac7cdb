//! Downloads: `GET /sessions/{id}/{transcript.json|.vtt|.srt|.txt|findings.json|session.json|recording}`.
//! Recordings answer byte ranges, so the HTML5 player can seek.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rapporteur_core::Session;

use super::layout::read_access;
use crate::app::App;
use crate::ApiError;

fn content_type(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    match lower.rsplit('.').next().unwrap_or("") {
        "json" => "application/json",
        "vtt" => "text/vtt; charset=utf-8",
        "srt" => "application/x-subrip; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        // An uploaded HTML report is shown as text: served as a page from
        // this origin it could run its scripts with the reader's cookie.
        "html" => "text/plain; charset=utf-8",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "mkv" => "video/x-matroska",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "m4a" => "audio/mp4",
        "ogg" | "opus" => "audio/ogg",
        _ => "application/octet-stream",
    }
}

/// Parses `bytes=START-[END]` (one range) against a length.
fn parse_range(value: &str, len: u64) -> Option<(u64, u64)> {
    let spec = value.strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    if start.is_empty() {
        let suffix: u64 = end.parse().ok()?;
        return (suffix > 0 && len > 0).then(|| (len.saturating_sub(suffix), len - 1));
    }
    let start: u64 = start.parse().ok()?;
    let end: u64 = if end.is_empty() { len.checked_sub(1)? } else { end.parse::<u64>().ok()?.min(len.checked_sub(1)?) };
    (start <= end && start < len).then_some((start, end))
}

/// A published file or the recording.
pub async fn file(
    State(app): State<Arc<App>>,
    Path((id, name)): Path<(String, String)>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if !Session::is_valid_id(&id) {
        return Err(ApiError::bad_id(&id));
    }
    read_access(&app, &headers, &params)?;
    let session = app.session(&id).ok_or_else(|| ApiError::not_found(format!("no session `{id}`")))?;
    let (path, download_name) = if name == "report" {
        // The organisers' report as uploaded (the latest one).
        let file = session
            .lock()
            .reports
            .last()
            .cloned()
            .ok_or_else(|| ApiError::not_found("no report uploaded for this session"))?;
        let extension = file
            .rsplit('.')
            .next()
            .filter(|e| ["md", "txt", "html", "docx", "pdf"].contains(e))
            .unwrap_or("txt")
            .to_string();
        (app.data.join(file), format!("{id}.report.{extension}"))
    } else if name == "recording" {
        let (file, original) = session
            .lock()
            .recording
            .clone()
            .ok_or_else(|| ApiError::not_found("no recording uploaded for this session"))?;
        (app.data.join(file), original)
    } else if ["transcript.json", "transcript.vtt", "transcript.srt", "transcript.txt", "findings.json", "session.json"]
        .contains(&name.as_str())
        || crate::published::EXTRA_FILES.contains(&name.as_str())
    {
        (app.published_dir(&id).join(&name), format!("{id}.{name}"))
    } else {
        return Err(ApiError::not_found(format!("no file `{}`", name.chars().take(40).collect::<String>())));
    };
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let kind = content_type(&download_name);
    tokio::task::spawn_blocking(move || -> Result<Response, ApiError> {
        let mut file = std::fs::File::open(&path)
            .map_err(|_| ApiError::not_found("not published yet: try again in a few seconds"))?;
        let len = file.metadata().map_err(|e| ApiError::internal(&e))?.len();
        let disposition = format!("inline; filename=\"{download_name}\"");
        if let Some(range) = range {
            let Some((start, end)) = parse_range(&range, len) else {
                return Ok((StatusCode::RANGE_NOT_SATISFIABLE, [(header::CONTENT_RANGE, format!("bytes */{len}"))])
                    .into_response());
            };
            // Ranges are read whole: recordings are served in the player's
            // pieces, and a piece is capped at 8 MiB.
            let end = end.min(start + 8 * 1024 * 1024 - 1);
            let mut buf = vec![0u8; (end - start + 1) as usize];
            file.seek(SeekFrom::Start(start))
                .and_then(|_| file.read_exact(&mut buf))
                .map_err(|e| ApiError::internal(&e))?;
            return Ok((
                StatusCode::PARTIAL_CONTENT,
                [
                    (header::CONTENT_TYPE, kind.to_string()),
                    (header::ACCEPT_RANGES, "bytes".to_string()),
                    (header::CONTENT_RANGE, format!("bytes {start}-{end}/{len}")),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                ],
                Body::from(buf),
            )
                .into_response());
        }
        let mut bytes = Vec::with_capacity(len as usize);
        file.read_to_end(&mut bytes).map_err(|e| ApiError::internal(&e))?;
        Ok((
            [
                (header::CONTENT_TYPE, kind.to_string()),
                (header::ACCEPT_RANGES, "bytes".to_string()),
                (header::CONTENT_DISPOSITION, disposition),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            ],
            Body::from(bytes),
        )
            .into_response())
    })
    .await
    .map_err(|e| ApiError::internal(&e))?
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-", 10), Some((0, 9)));
        assert_eq!(parse_range("bytes=2-4", 10), Some((2, 4)));
        assert_eq!(parse_range("bytes=2-40", 10), Some((2, 9)));
        assert_eq!(parse_range("bytes=-3", 10), Some((7, 9)));
        assert_eq!(parse_range("bytes=12-", 10), None);
        assert_eq!(parse_range("bytes=5-2", 10), None);
        assert_eq!(parse_range("items=0-1", 10), None);
        assert_eq!(parse_range("bytes=0-", 0), None);
    }
}
