//! Uploads: `PUT /api/sessions/{id}/{kind}?name=FILE` with the file as the
//! body, or `POST /api/sessions/{id}/upload` as multipart with one part per
//! kind. The file is stored and synced, its job journaled and synced, then
//! the answer is `202 Accepted` with the job's status URL.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use tokio_stream::StreamExt;

use crate::app::{now_unix_ms, App};
use crate::config::Role;
use crate::journal::{sync_dir, Record, UploadKind};
use crate::ApiError;

/// A file being received: a temporary file in the session's upload folder.
struct Incoming {
    tmp: std::path::PathBuf,
    file: std::fs::File,
    size: usize,
}

fn safe_name(name: &str, kind: UploadKind) -> String {
    let cleaned: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(100)
        .collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        kind.name().to_string()
    } else {
        cleaned
    }
}

fn limit_for(app: &App, kind: UploadKind) -> usize {
    match kind {
        UploadKind::Metadata => app.config.limits.max_metadata_bytes,
        _ => app.config.limits.max_upload_bytes,
    }
}

impl Incoming {
    fn start(app: &App, id: &str) -> Result<Incoming, ApiError> {
        let dir = app.data.join("uploads").join(id);
        std::fs::create_dir_all(&dir).map_err(|e| ApiError::internal(&e))?;
        let tmp = dir.join(format!(".incoming-{}-{}", now_unix_ms(), std::process::id() ^ rand_bits()));
        let file = std::fs::File::create(&tmp).map_err(|e| ApiError::internal(&e))?;
        Ok(Incoming { tmp, file, size: 0 })
    }

    fn write(&mut self, bytes: &[u8], limit: usize) -> Result<(), ApiError> {
        self.size += bytes.len();
        if self.size > limit {
            return Err(ApiError::too_large(limit));
        }
        self.file.write_all(bytes).map_err(|e| ApiError::internal(&e))
    }
}

impl Drop for Incoming {
    fn drop(&mut self) {
        // Stored files were renamed away; anything left is an aborted upload.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// A few bits that differ between two uploads in the same millisecond.
fn rand_bits() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

/// Syncs and stores a received file, journals its job and queues it.
async fn commit(
    app: &Arc<App>,
    id: &str,
    kind: UploadKind,
    name: &str,
    incoming: Incoming,
) -> Result<serde_json::Value, ApiError> {
    if incoming.size == 0 {
        return Err(ApiError::bad_request(format!("the {} upload `{name}` is empty", kind.name())));
    }
    let session = app.session_or_create(id).await?;
    let app2 = app.clone();
    let id2 = id.to_string();
    let name = safe_name(name, kind);
    let session2 = session.clone();
    let (job, relative) = tokio::task::spawn_blocking(move || -> Result<(u64, String), ApiError> {
        incoming.file.sync_all().map_err(|e| ApiError::internal(&e))?;
        let job = session2.next_job();
        let relative = format!("uploads/{id2}/{job:04}-{}-{name}", kind.name());
        let target = app2.data.join(&relative);
        std::fs::rename(&incoming.tmp, &target).map_err(|e| ApiError::internal(&e))?;
        if let Some(dir) = target.parent() {
            sync_dir(dir).map_err(|e| ApiError::internal(&e))?;
        }
        session2
            .record(Record::Upload { job, kind, file: relative.clone(), name: name.clone(), at: now_unix_ms() })
            .map_err(|e| ApiError::internal(&e))?;
        Ok((job, relative))
    })
    .await
    .map_err(|e| ApiError::internal(&e))??;
    app.queue_job(session, job);
    let job_id = format!("{id}.{job}");
    Ok(serde_json::json!({
        "job": job_id,
        "kind": kind.name(),
        "file": relative,
        "state": "queued",
        "status_url": format!("/api/jobs/{job_id}"),
    }))
}

/// `PUT /api/sessions/{id}/{kind}?name=FILE`.
pub async fn put(
    State(app): State<Arc<App>>,
    Path((id, kind)): Path<(String, String)>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    app.authorize(&headers, params.get("token").map(String::as_str), Role::Upload, Some(&id))?;
    let kind = UploadKind::from_name(&kind).ok_or_else(|| {
        ApiError::not_found(format!(
            "no upload kind `{}`: use captions, recording, report or metadata",
            kind.chars().take(40).collect::<String>()
        ))
    })?;
    let limit = limit_for(&app, kind);
    if let Some(length) =
        headers.get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok())
    {
        if length > limit {
            return Err(ApiError::too_large(limit));
        }
    }
    let name = params.get("name").cloned().unwrap_or_else(|| kind.name().to_string());
    let mut incoming = Incoming::start(&app, &id)?;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk: Bytes = chunk.map_err(|e| ApiError::bad_request(format!("the upload was cut off: {e}")))?;
        incoming.write(&chunk, limit)?;
    }
    let answer = commit(&app, &id, kind, &name, incoming).await?;
    Ok((StatusCode::ACCEPTED, Json(answer)).into_response())
}

/// `POST /api/sessions/{id}/upload`: multipart, each part named by its kind
/// (`captions`, `recording`, `report`, `metadata`), with its file name.
pub async fn multipart(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Result<Response, ApiError> {
    app.authorize(&headers, params.get("token").map(String::as_str), Role::Upload, Some(&id))?;
    let mut jobs = Vec::new();
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                return Err(ApiError {
                    status: e.status(),
                    message: format!("malformed multipart body: {}", e.body_text()),
                })
            }
        };
        let part = field.name().unwrap_or("").to_string();
        let kind = UploadKind::from_name(&part).ok_or_else(|| {
            ApiError::bad_request(format!(
                "multipart part `{}`: name parts captions, recording, report or metadata",
                part.chars().take(40).collect::<String>()
            ))
        })?;
        let name = field.file_name().map(str::to_string).unwrap_or_else(|| kind.name().to_string());
        let limit = limit_for(&app, kind);
        let mut incoming = Incoming::start(&app, &id)?;
        let mut field = field;
        loop {
            match field.chunk().await {
                Ok(Some(bytes)) => incoming.write(&bytes, limit)?,
                Ok(None) => break,
                Err(e) => {
                    return Err(ApiError {
                        status: e.status(),
                        message: format!("malformed multipart body: {}", e.body_text()),
                    })
                }
            }
        }
        jobs.push(commit(&app, &id, kind, &name, incoming).await?);
    }
    if jobs.is_empty() {
        return Err(ApiError::bad_request(
            "the multipart body has no part: send captions, recording, report or metadata",
        ));
    }
    Ok((StatusCode::ACCEPTED, Json(serde_json::json!({ "jobs": jobs }))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_are_safe() {
        assert_eq!(safe_name("../../etc/passwd", UploadKind::Report), "passwd");
        assert_eq!(safe_name("C:\\x\\ws 1.vtt", UploadKind::Captions), "ws1.vtt");
        assert_eq!(safe_name("...", UploadKind::Captions), "captions");
        assert_eq!(safe_name(".hidden", UploadKind::Captions), "hidden");
    }
}
