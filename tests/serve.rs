//! `rapporteur serve` through a real socket: every endpoint, with retries,
//! bad tokens, oversized and malformed bodies, bad ids and path traversal;
//! browsing a `rapporteur run` output; and a crash test (`kill -9` while
//! chunks are posted, restart, nothing acknowledged is missing).

#[path = "serve/support.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use support::{url, wait_for, Client, Events, Server};

const BIN: &str = env!("CARGO_BIN_EXE_rapporteur");

const INGEST: &str = "ingest-secret-ws-1-0123456789";
const INGEST_OTHER: &str = "ingest-secret-ws-2-0123456789";
const UPLOAD: &str = "upload-secret-desk-0123456789";
const READ: &str = "read-secret-rapporteur-012345";
const ADMIN: &str = "admin-secret-root-01234567890";

pub const VTT: &str = "WEBVTT

00:00:01.000 --> 00:00:05.000
<v ANA SILVA>Welcome to this workshop on community networks and rural connectivity.

00:00:05.500 --> 00:00:12.000
<v ANA SILVA>Governments should invest in community networks to connect rural areas.

00:00:12.500 --> 00:00:18.000
<v JOHN OKAFOR>We call on regulators to open spectrum for local operators.

00:00:18.500 --> 00:00:25.000
<v JOHN OKAFOR>Affordable devices remain the main barrier for women in rural areas.
";

fn config(dir: &Path, public_read: bool) -> PathBuf {
    let path = dir.join("server.toml");
    std::fs::write(
        &path,
        format!(
            "public_read = {public_read}\nworkers = 2\n\
             [limits]\nmax_chunk_bytes = 1024\nmax_upload_bytes = 65536\nmax_metadata_bytes = 4096\n\
             [[tokens]]\nname = \"zoom ws-1\"\ntoken = \"{INGEST}\"\nroles = [\"ingest\"]\nsessions = [\"ws-1\", \"ws-c\"]\n\
             [[tokens]]\nname = \"zoom ws-2\"\ntoken = \"{INGEST_OTHER}\"\nroles = [\"ingest\"]\nsessions = [\"ws-2\"]\n\
             [[tokens]]\nname = \"desk\"\ntoken = \"{UPLOAD}\"\nroles = [\"upload\"]\n\
             [[tokens]]\nname = \"rapporteur\"\ntoken = \"{READ}\"\nroles = [\"read\"]\n\
             [[tokens]]\nname = \"root\"\ntoken = \"{ADMIN}\"\nroles = [\"admin\"]\n"
        ),
    )
    .unwrap();
    path
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

fn session_json(server: &Server, id: &str) -> serde_json::Value {
    let r = server.send("GET", &format!("/api/sessions/{id}?text=1"), &[("Authorization", &bearer(ADMIN))], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

/// All the text a session shows: its finished live segments and what is pending.
fn live_text(server: &Server, id: &str) -> String {
    let v = session_json(server, id);
    let mut text: Vec<String> =
        v["live_segments"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap().to_string()).collect();
    for p in v["live"]["pending"].as_array().unwrap() {
        text.push(p["text"].as_str().unwrap().to_string());
    }
    text.join(" ")
}

fn wait_job(server: &Server, job: &str) -> serde_json::Value {
    wait_for(Duration::from_secs(60), &format!("job {job}"), || {
        let r = server.send("GET", &format!("/api/jobs/{job}"), &[("Authorization", &bearer(UPLOAD))], b"");
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        (v["state"] == "done" || v["state"] == "failed").then_some(v)
    })
}

#[test]
fn live_ingest_endpoints_tokens_limits_and_ids() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), true);
    let server = Server::start(Path::new(BIN), &dir.path().join("data"), Some(&config), &[]);
    let auth = bearer(INGEST);
    let h: &[(&str, &str)] = &[("Authorization", &auth), ("Content-Type", "text/plain")];

    // Zoom: numbered posts; a retried seq is acknowledged and applied once.
    for (seq, text) in
        [(1, "Good morning everyone. "), (2, "Governments should invest "), (3, "in community networks. ")]
    {
        let r = server.send("POST", &format!("/ingest/ws-1/zoom?seq={seq}&lang=en-US"), h, text.as_bytes());
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let r = server.send("POST", "/ingest/ws-1/zoom?seq=2&lang=en-US", h, b"Governments should invest ");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("retry"), "{}", r.text());
    let r = server.send("GET", "/ingest/ws-1/zoom/seq", &[("Authorization", &auth)], b"");
    assert_eq!((r.status, r.text().trim()), (200, "3"));
    // The token may come in the URL, as Zoom is given one URL.
    let r = server.send("GET", &format!("/ingest/ws-1/zoom/seq?token={INGEST}"), &[], b"");
    assert_eq!((r.status, r.text().trim()), (200, "3"));
    let v = session_json(&server, "ws-1");
    assert_eq!(v["live"]["chunks"], 3, "{v}");
    let text = live_text(&server, "ws-1");
    assert_eq!(text.matches("Governments should invest").count(), 1, "{text}");

    // StreamText: X-Timestamp, \x08 deletes the character before it.
    let r = server.send(
        "POST",
        "/ingest/ws-1/streamtext?lang=en-US",
        &[("Authorization", &auth), ("X-Timestamp", "2026-11-23T10:00:00.000Z")],
        b"Rural areas need mire\x08\x08\x08\x08more support. ",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let text = live_text(&server, "ws-1");
    assert!(text.contains("Rural areas need more support."), "{text}");
    assert!(!text.contains("mire"), "{text}");
    let r =
        server.send("POST", "/ingest/ws-1/streamtext", &[("Authorization", &auth), ("X-Timestamp", "yesterday")], b"x");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("X-Timestamp"), "{}", r.text());

    // YouTube-style bodies: a time line, then text.
    let body = "2026-11-23T10:00:05.000 region:reg1#cue1\nWe call on regulators\nto open spectrum.\n";
    let r = server.send("POST", "/ingest/ws-1/youtube?seq=10", &[("Authorization", &auth)], body.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    let r = server.send("POST", "/ingest/ws-1/youtube?seq=10", &[("Authorization", &auth)], body.as_bytes());
    assert!(r.text().contains("retry"));
    assert!(live_text(&server, "ws-1").contains("We call on regulators to open spectrum."));
    let r = server.send("POST", "/ingest/ws-1/youtube", &[("Authorization", &auth)], b"no time line here\n");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("line 1"), "{}", r.text());

    // Malformed parameters and bodies.
    for (path, body, expect) in [
        ("/ingest/ws-1/zoom?lang=en-US", &b"x"[..], "seq is missing"),
        ("/ingest/ws-1/zoom?seq=abc", b"x", "not a whole number"),
        ("/ingest/ws-1/zoom?seq=-1", b"x", "not a whole number"),
        ("/ingest/ws-1/zoom?seq=99&lang=en%20US%3Cscript", b"x", "language tag"),
        ("/ingest/ws-1/zoom?seq=98", b"caf\xe9 \xff", "not UTF-8"),
    ] {
        let r = server.send("POST", path, &[("Authorization", &auth)], body);
        assert_eq!(r.status, 400, "{path}: {}", r.text());
        assert!(r.text().contains(expect), "{path}: {}", r.text());
    }
    // Oversized: the limit is 1024 bytes.
    let big = vec![b'a'; 2000];
    let r = server.send("POST", "/ingest/ws-1/zoom?seq=50", &[("Authorization", &auth)], &big);
    assert_eq!(r.status, 413, "{}", r.text());
    let r = server.send("GET", "/ingest/ws-1/zoom/seq", &[("Authorization", &auth)], b"");
    // (YouTube-style posts number their own stream: Zoom's last seq is still 3.)
    assert_eq!(r.text().trim(), "3", "the oversized post was not applied");

    // Tokens: none, unknown, another session's, the wrong role.
    for (headers, status) in [
        (vec![], 401),
        (vec![("Authorization".to_string(), bearer("not-a-token-at-all-000000"))], 401),
        (vec![("Authorization".to_string(), bearer(INGEST_OTHER))], 403),
        (vec![("Authorization".to_string(), bearer(UPLOAD))], 403),
        (vec![("Authorization".to_string(), bearer(READ))], 403),
        (vec![("Authorization".to_string(), bearer(ADMIN))], 200),
    ] {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = server.send("POST", "/ingest/ws-1/zoom?seq=20", &headers, b"Thank you. ");
        assert_eq!(r.status, status, "{headers:?}: {}", r.text());
    }
    let r = server.send("POST", "/ingest/ws-1/zoom?seq=21", &[], b"x");
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));

    // Session ids: traversal, hidden names, odd characters, too long.
    let long = "a".repeat(129);
    for id in ["..", "..%2F..%2Fetc", ".hidden", "ws%201", "ws%3Cb%3E", long.as_str(), "%00"] {
        let r = server.send("POST", &format!("/ingest/{id}/zoom?seq=1"), &[("Authorization", &bearer(ADMIN))], b"x");
        assert!(r.status == 400 || r.status == 404, "{id}: {} {}", r.status, r.text());
        let r = server.get(&format!("/sessions/{id}"));
        assert!(r.status == 400 || r.status == 404, "{id}: {} {}", r.status, r.text());
    }
    let r = server.send("POST", "/ingest/..%2Fx/zoom?seq=1", &[("Authorization", &bearer(ADMIN))], b"x");
    assert!(r.text().contains("not valid"), "{}", r.text());
    assert!(!dir.path().join("data/x.jsonl").exists() && !dir.path().join("data/journal/..").join("x.jsonl").exists());

    // The live page's event stream: a reset, the snapshot, then new chunks.
    let mut events = Events::open(&server.addr, "/live/ws-1/events").unwrap();
    let (_, first) = events.next().unwrap();
    assert!(first.contains("\"reset\""), "{first}");
    let r = server.send("POST", "/ingest/ws-1/zoom?seq=30", h, b"A brand new caption");
    assert_eq!(r.status, 200);
    wait_for(Duration::from_secs(10), "the new caption on the event stream", || {
        let (_, data) = events.next().unwrap();
        data.contains("A brand new caption").then_some(())
    });

    // Finishing publishes: downloads in every format, once each.
    let r = server.send("POST", "/ingest/ws-1/finish", &[("Authorization", &auth)], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    let vtt = wait_for(Duration::from_secs(30), "the published VTT", || {
        let r = server.get("/sessions/ws-1/transcript.vtt");
        (r.status == 200 && r.text().contains("brand new caption")).then(|| r.text())
    });
    assert!(vtt.starts_with("WEBVTT"), "{vtt}");
    assert_eq!(vtt.matches("community networks").count(), 1, "{vtt}");
    let srt = server.get("/sessions/ws-1/transcript.srt");
    assert_eq!(srt.status, 200);
    assert!(srt.text().starts_with("1\n") || srt.text().starts_with("1\r\n"), "{}", srt.text());
    let json = server.get("/sessions/ws-1/transcript.json").json();
    assert_eq!(json["session"]["id"], "ws-1");
    assert!(json["segments"].as_array().unwrap().len() >= 3);

    // No secret ever reaches the log, even from failed requests with ?token=.
    let _ = server.get(&format!("/ingest/ws-2/zoom/seq?token={INGEST}"));
    let log = server.log();
    for secret in [INGEST, INGEST_OTHER, UPLOAD, READ, ADMIN] {
        assert!(!log.contains(secret), "a token is in the log:\n{log}");
    }
    assert!(log.contains("-> 401") || log.contains("-> 403"), "failures are logged:\n{log}");
}

fn multipart(boundary: &str, parts: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

/// A short WAV file of silence, enough for the player to seek in.
pub fn silent_wav(seconds: u32) -> Vec<u8> {
    let rate = 8000u32;
    let samples = rate * seconds;
    let mut wav = Vec::new();
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + samples * 2).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes());
    wav.extend_from_slice(&rate.to_le_bytes());
    wav.extend_from_slice(&(rate * 2).to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(samples * 2).to_le_bytes());
    wav.resize(wav.len() + (samples * 2) as usize, 0);
    wav
}

#[test]
fn uploads_jobs_pages_search_downloads_and_read_access() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), false);
    let server =
        Server::start(Path::new(BIN), &dir.path().join("data"), Some(&config), &[("RAPPORTEUR_DRAFT_INTERVAL", "1")]);
    let up = bearer(UPLOAD);
    let rd = bearer(READ);

    // PUT: metadata, captions, a recording.
    let meta = "title = \"Community networks for rural connectivity\"\ntype = \"Workshop\"\ntracks = [\"Inclusion\"]\nroom = \"Room 3\"\ndate = \"2026-11-23\"\ntime = \"10:00\"\n";
    let r =
        server.send("PUT", "/api/sessions/ws-9/metadata?name=session.toml", &[("Authorization", &up)], meta.as_bytes());
    assert_eq!(r.status, 202, "{}", r.text());
    let job = r.json()["job"].as_str().unwrap().to_string();
    assert_eq!(wait_job(&server, &job)["state"], "done");
    let r = server.send("PUT", "/api/sessions/ws-9/captions?name=ws-9.vtt", &[("Authorization", &up)], VTT.as_bytes());
    assert_eq!(r.status, 202, "{}", r.text());
    assert_eq!(r.json()["status_url"], "/api/jobs/ws-9.2");
    let done = wait_job(&server, "ws-9.2");
    assert_eq!(done["state"], "done", "{done}");
    assert!(done["message"].as_str().unwrap().contains("4 segments"), "{done}");
    let r = server.send("PUT", "/api/sessions/ws-9/recording?name=ws-9.wav", &[("Authorization", &up)], &silent_wav(2));
    assert_eq!(r.status, 202, "{}", r.text());
    wait_job(&server, "ws-9.3");

    // Multipart: a report and captions for another session in one request.
    let report = b"# Key takeaways\n\n- Spectrum policy must support local operators.\n\n# Call to action\n\n- Regulators should publish open spectrum maps.\n";
    let body = multipart("XyZ", &[("report", "report.md", report), ("captions", "ws-8.vtt", VTT.as_bytes())]);
    let r = server.send(
        "POST",
        "/api/sessions/ws-8/upload",
        &[("Authorization", &up), ("Content-Type", "multipart/form-data; boundary=XyZ")],
        &body,
    );
    assert_eq!(r.status, 202, "{}", r.text());
    let jobs = r.json()["jobs"].as_array().unwrap().clone();
    assert_eq!(jobs.len(), 2);
    for job in &jobs {
        assert_eq!(wait_job(&server, job["job"].as_str().unwrap())["state"], "done");
    }

    // The report as uploaded, shown as text whatever it holds.
    let r = server.send("GET", "/sessions/ws-8/report", &[("Authorization", &format!("Bearer {READ}"))], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("open spectrum maps"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    // Bad uploads.
    let r = server.send(
        "POST",
        "/api/sessions/ws-8/upload",
        &[("Authorization", &up), ("Content-Type", "multipart/form-data; boundary=XyZ")],
        b"--XyZ\r\nthis is not a part",
    );
    assert_eq!(r.status, 400, "{}", r.text());
    let body = multipart("B", &[("photo", "x.jpg", b"123")]);
    let r = server.send(
        "POST",
        "/api/sessions/ws-8/upload",
        &[("Authorization", &up), ("Content-Type", "multipart/form-data; boundary=B")],
        &body,
    );
    assert_eq!(r.status, 400);
    assert!(r.text().contains("captions, recording, report or metadata"), "{}", r.text());
    let r = server.send(
        "POST",
        "/api/sessions/ws-8/upload",
        &[("Authorization", &up), ("Content-Type", "text/plain")],
        b"x",
    );
    assert!(r.status == 400 || r.status == 415, "{} {}", r.status, r.text());
    let r = server.send("PUT", "/api/sessions/ws-8/captions", &[("Authorization", &up)], b"");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("empty"));
    let r = server.send("PUT", "/api/sessions/ws-8/photo", &[("Authorization", &up)], b"x");
    assert_eq!(r.status, 404);
    let big = vec![b'x'; 70_000];
    let r = server.send("PUT", "/api/sessions/ws-8/captions", &[("Authorization", &up)], &big);
    assert_eq!(r.status, 413, "{}", r.text());
    let r = server.send("PUT", "/api/sessions/ws-8/metadata", &[("Authorization", &up)], &vec![b'#'; 5000]);
    assert_eq!(r.status, 413, "metadata has its own, smaller limit");
    let body = multipart("B", &[("captions", "big.vtt", &big)]);
    let r = server.send(
        "POST",
        "/api/sessions/ws-8/upload",
        &[("Authorization", &up), ("Content-Type", "multipart/form-data; boundary=B")],
        &body,
    );
    assert_eq!(r.status, 413, "{}", r.text());
    let r = server.send("PUT", "/api/sessions/ws-8/captions", &[("Authorization", &bearer(INGEST))], VTT.as_bytes());
    assert_eq!(r.status, 403);
    let r = server.send("PUT", "/api/sessions/ws-8/captions", &[], VTT.as_bytes());
    assert_eq!(r.status, 401);
    let r = server.send("PUT", "/api/sessions/..%2F..%2Ftmp/captions", &[("Authorization", &up)], VTT.as_bytes());
    assert_eq!(r.status, 400);
    // A metadata file that is not TOML: the job fails and says where.
    let r = server.send("PUT", "/api/sessions/ws-7/metadata?name=s.toml", &[("Authorization", &up)], b"title = \n");
    let failed = wait_job(&server, r.json()["job"].as_str().unwrap());
    assert_eq!(failed["state"], "failed");
    assert!(failed["message"].as_str().unwrap().contains("s.toml:1"), "{failed}");
    // Job ids.
    for (job, status) in [("nonsense", 400), ("ws-9.99", 404), ("nope.1", 404), ("..%2Fx.1", 400)] {
        let r = server.send("GET", &format!("/api/jobs/{job}"), &[("Authorization", &up)], b"");
        assert_eq!(r.status, status, "{job}: {}", r.text());
    }

    // Reading is not public here.
    assert_eq!(server.get("/").status, 401);
    assert_eq!(server.get("/sessions/ws-9").status, 401);
    assert_eq!(server.get("/search?q=spectrum").status, 401);
    assert_eq!(server.get("/api/search?q=spectrum").status, 401);
    assert_eq!(server.get("/sessions/ws-9/transcript.vtt").status, 401);
    assert_eq!(server.send("GET", "/", &[("Authorization", &bearer(INGEST))], b"").status, 403);
    // A ?token= in a link is remembered in a cookie.
    let r = server.get(&format!("/?token={READ}"));
    assert_eq!(r.status, 200);
    let cookie = r.header("set-cookie").unwrap().split(';').next().unwrap().to_string();
    assert_eq!(server.send("GET", "/sessions/ws-9", &[("Cookie", &cookie)], b"").status, 200);

    // Sessions by day and room, with track chips.
    let home = server.send("GET", "/", &[("Authorization", &rd)], b"").text();
    assert!(home.contains("<h2>2026-11-23</h2>"), "{home}");
    assert!(home.contains("<h3>Room 3</h3>"), "{home}");
    assert!(home.contains("Community networks for rural connectivity"));
    assert!(home.contains("href=\"/tracks/Inclusion\""));
    let filtered = server.send("GET", "/?track=Inclusion", &[("Authorization", &rd)], b"").text();
    assert!(filtered.contains("ws-9") && !filtered.contains("/sessions/ws-8\""), "{filtered}");

    // The session page: player, times that seek it, speakers, findings highlighted, downloads.
    let page = wait_for(Duration::from_secs(30), "findings on the session page", || {
        let page = server.send("GET", "/sessions/ws-9", &[("Authorization", &rd)], b"").text();
        page.contains("class=\"seg finding").then_some(page)
    });
    assert!(page.contains("<audio id=\"player\""), "{page}");
    assert!(page.contains("href=\"/sessions/ws-9#t=5\" data-t=\"5.5\""), "{page}");
    assert!(page.contains("ANA SILVA") && page.contains("JOHN OKAFOR"));
    assert!(page.contains("<span class=\"kind\">recommendation</span>"), "{page}");
    assert!(page.contains("Governments should invest in community networks"));
    for name in ["transcript.json", "transcript.vtt", "transcript.srt", "transcript.txt", "findings.json"] {
        assert!(page.contains(&format!("/sessions/ws-9/{name}")), "{name}");
        let r = server.send("GET", &format!("/sessions/ws-9/{name}"), &[("Authorization", &rd)], b"");
        assert_eq!(r.status, 200, "{name}");
        assert!(r.header("content-disposition").unwrap().contains(&format!("ws-9.{name}")));
    }
    // The recording answers byte ranges, so the player can seek.
    let r = server.send("GET", "/sessions/ws-9/recording", &[("Authorization", &rd), ("Range", "bytes=100-199")], b"");
    assert_eq!(r.status, 206);
    assert_eq!(r.body.len(), 100);
    assert_eq!(r.header("content-range"), Some(format!("bytes 100-199/{}", silent_wav(2).len()).as_str()));
    let r = server.send("GET", "/sessions/ws-9/recording", &[("Authorization", &rd), ("Range", "bytes=999999-")], b"");
    assert_eq!(r.status, 416);
    // Nothing else in the data folder can be read.
    for path in [
        "/sessions/ws-9/..%2F..%2Fserver.toml",
        "/sessions/ws-9/%2E%2E",
        "/sessions/ws-9/journal",
        "/sessions/ws-9/run.json",
        "/sessions/..%2Fjournal/ws-9.jsonl",
        "/sessions/ws-9/../../server.toml",
        "/static/..%2F..%2Fserver.toml",
    ] {
        let r = server.send("GET", path, &[("Authorization", &rd)], b"");
        assert!(r.status == 400 || r.status == 404, "{path}: {} {}", r.status, r.text());
        assert!(!r.text().contains(INGEST), "{path}");
    }

    // Search: JSON and the page with facets and highlighted snippets.
    let v = wait_for(Duration::from_secs(30), "search results", || {
        let r = server.send("GET", "/api/search?q=spectrum", &[("Authorization", &rd)], b"");
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        (v["total"].as_u64().unwrap_or(0) >= 3).then_some(v)
    });
    assert!(v["facets"]["speaker"].as_array().unwrap().iter().any(|f| f["value"] == "JOHN OKAFOR"), "{v}");
    let r = server.send("GET", "/api/search?q=spectrum&kind=call_to_action", &[("Authorization", &rd)], b"");
    assert!(r.json()["hits"].as_array().unwrap().iter().all(|h| h["kind"] == "call_to_action"));
    let page =
        server.send("GET", "/search?q=%22community+networks%22&track=Inclusion", &[("Authorization", &rd)], b"").text();
    assert!(page.contains("<mark>community</mark> <mark>networks</mark>"), "{page}");
    assert!(page.contains("data-facet=\"speaker\""), "{page}");
    assert!(page.contains("href=\"/sessions/ws-9#t="), "{page}");
    let r = server.send("GET", "/api/search?q=x&limit=lots", &[("Authorization", &rd)], b"");
    assert_eq!(r.status, 400);
    let r = server.send("GET", "/search?q=%22unclosed", &[("Authorization", &rd)], b"");
    assert_eq!(r.status, 200, "a query the parser rejects is shown, not a 500");

    // Sessions and jobs as JSON.
    let v = server.send("GET", "/api/sessions", &[("Authorization", &rd)], b"").json();
    let ids: Vec<&str> =
        v["sessions"].as_array().unwrap().iter().map(|s| s["session"]["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"ws-8") && ids.contains(&"ws-9"), "{ids:?}");
    assert_eq!(server.send("GET", "/api/sessions/ws-404", &[("Authorization", &rd)], b"").status, 404);

    // The track page: its draft messages with their sources (made by a worker).
    let track = wait_for(Duration::from_secs(120), "the track's draft messages", || {
        let page = server.send("GET", "/tracks/Inclusion", &[("Authorization", &rd)], b"").text();
        page.contains("Draft messages").then_some(page)
    });
    assert!(track.contains("class=\"message\""), "{track}");
    assert!(track.contains("class=\"source"), "{track}");
    assert!(track.contains("href=\"/sessions/ws-9#t="), "{track}");
    assert_eq!(server.send("GET", "/tracks/Nowhere", &[("Authorization", &rd)], b"").status, 404);
    let static_js = server.get("/static/app.js");
    assert_eq!(static_js.status, 200);
    assert_eq!(server.get("/healthz").text(), "ok\n");
}

#[test]
fn browses_the_output_of_rapporteur_run() {
    let dir = tempfile::tempdir().unwrap();
    let meeting = dir.path().join("meeting");
    for (id, title, track) in [("ws-1", "Community networks", "Inclusion"), ("ws-2", "Spectrum for all", "Inclusion")] {
        let s = meeting.join(id);
        std::fs::create_dir_all(&s).unwrap();
        std::fs::write(
            s.join("session.toml"),
            format!("title = \"{title}\"\ntype = \"Workshop\"\ntracks = [\"{track}\"]\nroom = \"Room 1\"\ndate = \"2026-11-23\"\n"),
        )
        .unwrap();
        std::fs::write(s.join("captions.vtt"), VTT).unwrap();
    }
    let out = dir.path().join("out");
    let status = std::process::Command::new(BIN).args(["run"]).arg(&meeting).arg("-o").arg(&out).output().unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    // The pipeline may or may not build the index and drafts; the server
    // serves what is there (and indexes nothing on its own for browsing).
    let server = Server::start(Path::new(BIN), &out, None, &[]);
    let home = server.get("/").text();
    assert!(home.contains("Community networks") && home.contains("Spectrum for all"), "{home}");
    let page = server.get("/sessions/ws-2").text();
    assert!(page.contains("JOHN OKAFOR") && page.contains("class=\"seg finding"), "{page}");
    assert_eq!(server.get("/sessions/ws-2/transcript.srt").status, 200);
    if out.join("index/meta.json").exists() {
        let v = server.get("/api/search?q=spectrum").json();
        assert!(v["total"].as_u64().unwrap() >= 2, "{v}");
    }
    if let Ok(text) = std::fs::read_to_string(out.join("drafts/messages.json")) {
        // The run's draft is shown on the page of each track it has.
        let draft: serde_json::Value = serde_json::from_str(&text).unwrap();
        let label = draft["tracks"][0]["track"].as_str().unwrap();
        let message = draft["tracks"][0]["groups"][0]["messages"][0]["text"].as_str().unwrap();
        let track = server.get(&format!("/tracks/{}", url(label))).text();
        assert!(track.contains("Draft messages"), "{track}");
        assert!(track.contains(&message.replace('\'', "&#39;")) || track.contains(message), "{message}: {track}");
    }
    // Without --config nothing can be posted.
    let r = server.send("POST", "/ingest/ws-1/zoom?seq=1", &[], b"x");
    assert_eq!(r.status, 401);
    assert!(!out.join("journal/ws-1.jsonl").exists());
}

#[test]
fn kill_9_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), true);
    let data = dir.path().join("data");
    let mut server = Server::start(Path::new(BIN), &data, Some(&config), &[]);
    let addr = server.addr.clone();
    let auth = bearer(INGEST);

    // An upload acknowledged just before the kill.
    let r = server.send(
        "PUT",
        "/api/sessions/ws-c/captions?name=c.vtt",
        &[("Authorization", &bearer(UPLOAD))],
        VTT.as_bytes(),
    );
    assert_eq!(r.status, 202);

    // A poster keeps going while the server is killed under it.
    let poster = std::thread::spawn(move || {
        let mut client = Client::connect(&addr);
        let mut acked = Vec::new();
        for seq in 1..=100_000u64 {
            let body = format!("w{seq}. ");
            match client.send(
                "POST",
                &format!("/ingest/ws-1/zoom?seq={seq}&lang=en"),
                &[("Authorization", &auth)],
                body.as_bytes(),
            ) {
                Ok(r) if r.status == 200 => acked.push(seq),
                Ok(r) => panic!("seq {seq}: {} {}", r.status, r.text()),
                Err(_) => break,
            }
        }
        acked
    });
    std::thread::sleep(Duration::from_millis(1500));
    server.kill9();
    let acked = poster.join().unwrap();
    assert!(acked.len() > 20, "only {} chunks were acknowledged before the kill", acked.len());

    let server = Server::start(Path::new(BIN), &data, Some(&config), &[]);
    let last: u64 = server
        .send("GET", "/ingest/ws-1/zoom/seq", &[("Authorization", &bearer(INGEST))], b"")
        .text()
        .trim()
        .parse()
        .unwrap();
    let max_acked = *acked.last().unwrap();
    // The post in flight at the kill may have been journaled without its answer.
    assert!(last == max_acked || last == max_acked + 1, "last seq {last}, last acknowledged {max_acked}");
    let text = live_text(&server, "ws-1");
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    for seq in &acked {
        let word = format!("w{seq}");
        assert_eq!(words.iter().filter(|w| **w == word).count(), 1, "{word} is missing or doubled");
    }
    // The upload's job runs (again) after the restart and publishes.
    let done = wait_job(&server, "ws-c.1");
    assert_eq!(done["state"], "done", "{done}");
    let vtt = wait_for(Duration::from_secs(30), "ws-c published", || {
        let r = server.get("/sessions/ws-c/transcript.vtt");
        (r.status == 200).then(|| r.text())
    });
    assert!(vtt.contains("Governments should invest in community"), "{vtt}");
    // Retries after the restart are still recognised.
    let r = server.send(
        "POST",
        &format!("/ingest/ws-1/zoom?seq={max_acked}"),
        &[("Authorization", &bearer(INGEST))],
        b"again",
    );
    assert!(r.text().contains("retry"), "{}", r.text());
}

/// A recording uploaded without captions is transcribed by Whisper (the
/// tiny model `make test` installs) and published like captions.
#[test]
fn a_recording_without_captions_is_transcribed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let models = root.join("models");
    let espeak = std::process::Command::new("espeak-ng").arg("--version").output().is_ok();
    if !models.join("ggml-tiny.en.bin").is_file() || !espeak {
        if std::env::var("RAPPORTEUR_REQUIRE_ALL").is_ok_and(|v| v == "1") {
            panic!("needs models/ggml-tiny.en.bin (scripts/install-models.sh) and espeak-ng (scripts/setup-system.sh)");
        }
        eprintln!("skipped: the Whisper model or espeak-ng is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("speech.wav");
    let said = "Governments should invest in community networks to connect rural areas.";
    let status =
        std::process::Command::new("espeak-ng").args(["-s", "140", "-w"]).arg(&wav).arg(said).status().unwrap();
    assert!(status.success());
    let config = dir.path().join("asr.toml");
    std::fs::write(
        &config,
        format!("public_read = true\n[[tokens]]\nname = \"desk\"\ntoken = \"{UPLOAD}\"\nroles = [\"upload\"]\n"),
    )
    .unwrap();
    let models = models.to_string_lossy().into_owned();
    let server =
        Server::start(Path::new(BIN), &dir.path().join("data"), Some(&config), &[("RAPPORTEUR_MODELS", &models)]);
    let r = server.send(
        "PUT",
        "/api/sessions/ws-a/recording?name=speech.wav",
        &[("Authorization", &bearer(UPLOAD))],
        &std::fs::read(&wav).unwrap(),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    let done = wait_job(&server, "ws-a.1");
    assert_eq!(done["state"], "done", "{done}");
    assert!(done["message"].as_str().unwrap().contains("transcribed"), "{done}");
    let json = wait_for(Duration::from_secs(30), "the transcript published", || {
        let r = server.get("/sessions/ws-a/transcript.json");
        (r.status == 200).then(|| r.json())
    });
    let text: String =
        json["segments"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap().to_lowercase()).collect();
    assert!(text.contains("community networks"), "{text}");
    assert_eq!(json["segments"][0]["source"], "asr");
    let page = server.get("/sessions/ws-a").text();
    assert!(page.contains("<audio id=\"player\""), "{page}");
}

/// Clear errors, exit status 2 for usage and 1 for failures, nothing secret printed.
#[test]
fn start_up_errors_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(BIN).arg("serve").args(args).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let (code, err) = run(&["--data", data, "--config", "/nonexistent/server.toml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("/nonexistent/server.toml"), "{err}");
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "public_read = true\n[[tokens]]\nname = \"x\"\ntoken = \"super-secret-token-value-1\"\nroles = [\"root\"]\n",
    )
    .unwrap();
    let (code, err) = run(&["--data", data, "--config", bad.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("bad.toml:5"), "{err}");
    assert!(!err.contains("super-secret-token-value-1"), "{err}");
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let (code, err) = run(&["--data", file.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not a folder"), "{err}");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (code, err) = run(&["--data", data, "--addr", &addr]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");
}

fn admin_json(server: &Server, method: &str, path: &str) -> (u16, serde_json::Value) {
    let r = server.send(method, path, &[("Authorization", &bearer(ADMIN))], b"");
    let value = serde_json::from_slice(&r.body).unwrap_or(serde_json::Value::Null);
    (r.status, value)
}

/// An admin mints one URL and token per session: the token posts to its
/// session's feeds and nothing else, is stored hashed and never logged, can be
/// revoked, and both hold after a restart.
#[test]
fn minted_session_tokens_are_scoped_revocable_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), true);
    let data = dir.path().join("data");
    let mut server = Server::start(Path::new(BIN), &data, Some(&config), &[]);

    // Only an admin mints, lists and revokes.
    for (auth, status) in [(None, 401), (Some(UPLOAD), 403), (Some(INGEST), 403)] {
        let headers: Vec<(&str, String)> = auth.map(|t| ("Authorization", bearer(t))).into_iter().collect();
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = server.send("POST", "/api/admin/sessions/ws-t1/ingest-tokens", &headers, b"");
        assert_eq!(r.status, status, "{auth:?}: {}", r.text());
    }
    assert_eq!(admin_json(&server, "POST", "/api/admin/sessions/..%2Fx/ingest-tokens").0, 400);
    let (status, one) = admin_json(&server, "POST", "/api/admin/sessions/ws-t1/ingest-tokens");
    assert_eq!(status, 201, "{one}");
    let (_, two) = admin_json(&server, "POST", "/api/admin/sessions/ws-t2/ingest-tokens");
    let secret1 = one["token"].as_str().unwrap().to_string();
    let secret2 = two["token"].as_str().unwrap().to_string();
    assert_ne!(secret1, secret2);
    let zoom_url = one["urls"]["zoom"].as_str().unwrap();
    assert!(zoom_url.contains("/ingest/ws-t1/zoom?token=") && zoom_url.contains(&secret1), "{one}");

    // The URL as given, with Zoom's parameters added, is all a tool needs.
    let path = zoom_url.split_once(&server.addr).unwrap().1.to_string();
    let r = server.send("POST", &format!("{path}&seq=1&lang=en-US"), &[], b"Hello from the minted URL. ");
    assert_eq!(r.status, 200, "{}", r.text());
    let r = server.send(
        "POST",
        "/ingest/ws-t1/youtube",
        &[("Authorization", &bearer(&secret1))],
        b"2026-11-23T10:00:00.000\nHi.\n",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = server.get(&format!("/ingest/ws-t1/zoom/seq?token={secret1}"));
    assert_eq!((r.status, r.text().trim()), (200, "1"));
    // Another session's feed, uploads, admin: refused.
    let r = server.send("POST", "/ingest/ws-t2/zoom?seq=1", &[("Authorization", &bearer(&secret1))], b"x");
    assert_eq!(r.status, 403, "{}", r.text());
    let r = server.send("POST", "/ingest/ws-1/zoom?seq=1", &[("Authorization", &bearer(&secret1))], b"x");
    assert_eq!(r.status, 403);
    let r = server.send("PUT", "/api/sessions/ws-t1/captions", &[("Authorization", &bearer(&secret1))], VTT.as_bytes());
    assert_eq!(r.status, 403);
    let r =
        server.send("POST", "/api/admin/sessions/ws-t1/ingest-tokens", &[("Authorization", &bearer(&secret1))], b"");
    assert_eq!(r.status, 403);
    let r = server.send("POST", "/ingest/ws-t2/zoom?seq=1", &[("Authorization", &bearer(&secret2))], b"Second. ");
    assert_eq!(r.status, 200);

    // Listed without secrets; revoked at once.
    let (status, list) = admin_json(&server, "GET", "/api/admin/sessions/ws-t1/ingest-tokens");
    assert_eq!(status, 200);
    assert_eq!(list["tokens"].as_array().unwrap().len(), 1, "{list}");
    assert!(!list.to_string().contains(&secret1));
    let id1 = one["id"].as_str().unwrap();
    let (status, revoked) = admin_json(&server, "DELETE", &format!("/api/admin/ingest-tokens/{id1}"));
    assert_eq!(status, 200, "{revoked}");
    assert!(revoked["revoked"].is_u64());
    assert_eq!(admin_json(&server, "DELETE", "/api/admin/ingest-tokens/tok-nothing").0, 404);
    let r = server.send("POST", "/ingest/ws-t1/zoom?seq=2", &[("Authorization", &bearer(&secret1))], b"x");
    assert_eq!(r.status, 401, "{}", r.text());

    // Stored hashed; never in the log.
    let stored = std::fs::read_to_string(data.join("tokens.json")).unwrap();
    assert!(!stored.contains(&secret1) && !stored.contains(&secret2), "{stored}");
    assert!(!server.log().contains(&secret1) && !server.log().contains(&secret2), "{}", server.log());

    // After a kill -9: the revoked one still refused, the other still works.
    server.kill9();
    let server = Server::start(Path::new(BIN), &data, Some(&config), &[]);
    let r = server.send("POST", "/ingest/ws-t1/zoom?seq=3", &[("Authorization", &bearer(&secret1))], b"x");
    assert_eq!(r.status, 401);
    let r = server.send("POST", "/ingest/ws-t2/zoom?seq=2", &[("Authorization", &bearer(&secret2))], b"Third. ");
    assert_eq!(r.status, 200, "{}", r.text());
    let r = server.send("POST", "/ingest/ws-t2/zoom?seq=2", &[("Authorization", &bearer(&secret2))], b"Third. ");
    assert!(r.text().contains("retry"), "{}", r.text());
    assert!(!server.log().contains(&secret2));
}

/// Zoom, StreamText and YouTube-style feeds each number their own posts: a
/// Zoom retry is applied once, and `GET .../zoom/seq` answers Zoom's last,
/// before and after a restart.
#[test]
fn each_feed_has_its_own_seq() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), true);
    let data = dir.path().join("data");
    let mut server = Server::start(Path::new(BIN), &data, Some(&config), &[]);
    let auth = bearer(INGEST);
    let h: &[(&str, &str)] = &[("Authorization", &auth)];
    let post = |server: &Server, path: &str, body: &str| {
        let r = server.send("POST", path, h, body.as_bytes());
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        r.text()
    };
    assert!(!post(&server, "/ingest/ws-1/zoom?seq=1&lang=en", "zoom one. ").contains("retry"));
    assert!(!post(&server, "/ingest/ws-1/youtube?seq=1&lang=en", "2026-11-23T10:00:00.000\nyoutube one.\n")
        .contains("retry"));
    assert!(!post(&server, "/ingest/ws-1/streamtext?seq=1&lang=en", "streamtext one. ").contains("retry"));
    assert!(!post(&server, "/ingest/ws-1/youtube?seq=2&lang=en", "2026-11-23T10:00:01.000\nyoutube two.\n")
        .contains("retry"));
    assert!(!post(&server, "/ingest/ws-1/zoom?seq=2&lang=en", "zoom two. ").contains("retry"));
    assert!(post(&server, "/ingest/ws-1/zoom?seq=2&lang=en", "zoom two. ").contains("retry"));
    assert!(post(&server, "/ingest/ws-1/youtube?seq=1&lang=en", "2026-11-23T10:00:00.000\nyoutube one.\n")
        .contains("retry"));
    let check = |server: &Server| {
        for (feed, last) in [("zoom", "2"), ("youtube", "2"), ("streamtext", "1")] {
            let r = server.send("GET", &format!("/ingest/ws-1/{feed}/seq"), h, b"");
            assert_eq!((r.status, r.text().trim()), (200, last), "{feed}");
        }
        assert_eq!(server.send("GET", "/ingest/ws-1/teletext/seq", h, b"").status, 404);
        let text = live_text(server, "ws-1");
        for said in ["zoom one.", "zoom two.", "youtube one.", "youtube two.", "streamtext one."] {
            assert_eq!(text.matches(said).count(), 1, "{said}: {text}");
        }
        assert_eq!(session_json(server, "ws-1")["live"]["chunks"], 5);
    };
    check(&server);
    server.kill9();
    let server = Server::start(Path::new(BIN), &data, Some(&config), &[]);
    check(&server);
    assert!(post(&server, "/ingest/ws-1/zoom?seq=2&lang=en", "zoom two. ").contains("retry"));
    assert!(!post(&server, "/ingest/ws-1/zoom?seq=3&lang=en", "zoom three. ").contains("retry"));
}

/// A journal compacted while its feed is at rest replays, after a `kill -9`,
/// to exactly the session it was, and the feed goes on from there.
#[test]
fn compaction_keeps_everything_across_a_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), true);
    let data = dir.path().join("data");
    let mut server = Server::start(Path::new(BIN), &data, Some(&config), &[]);
    let auth = bearer(INGEST);
    let h: &[(&str, &str)] = &[("Authorization", &auth)];
    let mut seq = 0;
    for turn in 0..40 {
        let names = ["ANA SILVA", "JOHN OKAFOR", "MARIA LOPEZ", "KWAME MENSAH"];
        let speaker = if turn % 10 == 0 { format!(">> {}: ", names[turn / 10]) } else { String::new() };
        seq += 1;
        let body = format!("{speaker}Sentence w{seq} is here. ");
        let r = server.send("POST", &format!("/ingest/ws-1/zoom?seq={seq}&lang=en-US"), h, body.as_bytes());
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let r = server.send("POST", "/ingest/ws-1/youtube?seq=7", h, b"2026-11-23T10:00:00.000\nA cue.\n");
    assert_eq!(r.status, 200);
    // Pending text keeps the journal as it is; once at rest it is compacted.
    let (_, report) = admin_json(&server, "POST", "/api/admin/compact");
    assert_eq!(report["sessions"]["ws-1"]["compacted"], false, "{report}");
    let r = server.send(
        "PUT",
        "/api/sessions/ws-1/report?name=r.md",
        &[("Authorization", &bearer(UPLOAD))],
        b"# Takeaways\n\n- Networks matter.\n",
    );
    assert_eq!(r.status, 202);
    wait_job(&server, "ws-1.1");
    let report = wait_for(Duration::from_secs(30), "the feed at rest and its journal compacted", || {
        let (status, report) = admin_json(&server, "POST", "/api/admin/compact");
        assert_eq!(status, 200, "{report}");
        (report["sessions"]["ws-1"]["compacted"] == true).then_some(report)
    });
    assert_eq!(report["sessions"]["ws-1"]["before"], 43, "{report}");
    let journal = std::fs::read_to_string(data.join("journal/ws-1.jsonl")).unwrap();
    assert_eq!(journal.lines().count(), 3, "{journal}");
    let before = session_json(&server, "ws-1");
    assert_eq!(before["live"]["chunks"], 41);

    server.kill9();
    let server = Server::start(Path::new(BIN), &data, Some(&config), &[]);
    let after = session_json(&server, "ws-1");
    for key in ["live", "live_segments", "jobs", "session"] {
        assert_eq!(after[key], before[key], "{key}");
    }
    for seq in 1..=40 {
        let word = format!("w{seq}");
        let text = live_text(&server, "ws-1");
        assert_eq!(text.split(|c: char| !c.is_alphanumeric()).filter(|w| *w == word).count(), 1, "{word}");
    }
    // Retries still recognised; the next seq goes on with the same speaker.
    let r = server.send("POST", "/ingest/ws-1/zoom?seq=40", h, b"again");
    assert!(r.text().contains("retry"), "{}", r.text());
    let r = server.send("POST", "/ingest/ws-1/zoom?seq=41&lang=en-US", h, b"After the restart. Next");
    assert!(!r.text().contains("retry"), "{}", r.text());
    let v = session_json(&server, "ws-1");
    let last = v["live_segments"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["text"].as_str(), last["speaker"].as_str()),
        (Some("After the restart."), Some("KWAME MENSAH")),
        "{v}"
    );
    assert_eq!(server.send("POST", "/api/admin/compact", &[("Authorization", &bearer(UPLOAD))], b"").status, 403);
}

/// A finding shows on the live page (server-sent events) as soon as the
/// chunk that completes its sentence is posted, not with the next
/// publication (held off here for an hour).
#[test]
fn live_findings_arrive_with_the_chunk_that_completes_them() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), true);
    let server = Server::start(
        Path::new(BIN),
        &dir.path().join("data"),
        Some(&config),
        &[("RAPPORTEUR_PUBLISH_INTERVAL", "3600")],
    );
    let auth = bearer(INGEST);
    let h: &[(&str, &str)] = &[("Authorization", &auth)];
    let mut events = Events::open(&server.addr, "/live/ws-1/events").unwrap();
    for (seq, text) in [(1, ">> ANA SILVA: Good morning everyone. "), (2, "Governments should invest in community ")] {
        let r = server.send("POST", &format!("/ingest/ws-1/zoom?seq={seq}&lang=en"), h, text.as_bytes());
        assert_eq!(r.status, 200);
    }
    // Nothing found yet: the sentence is not complete.
    let r = server.send("POST", "/ingest/ws-1/zoom?seq=3&lang=en", h, b"networks to connect rural areas.");
    assert_eq!(r.status, 200);
    let finding = wait_for(Duration::from_secs(20), "the finding on the event stream", || {
        let (_, data) = events.next().unwrap();
        let message: serde_json::Value = serde_json::from_str(&data).unwrap();
        if message["type"] == "segment" {
            assert!(
                !message["segment"]["text"].as_str().unwrap().contains("Governments"),
                "the finding should come before the segment is closed: {data}"
            );
        }
        (message["type"] == "findings").then_some(message).filter(|m| {
            m["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["text"].as_str().unwrap_or("").contains("invest in community networks"))
        })
    });
    let found = finding["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["text"].as_str().unwrap().contains("invest"))
        .unwrap()
        .clone();
    assert_eq!(found["kind"], "recommendation", "{finding}");
    assert_eq!(found["speaker"], "ANA SILVA", "{finding}");
    assert!(!dir.path().join("data/sessions/ws-1/findings.json").exists(), "no publication happened");
    // A page opened now gets it in its snapshot.
    let mut late = Events::open(&server.addr, "/live/ws-1/events").unwrap();
    let got = wait_for(Duration::from_secs(10), "the findings in the snapshot", || {
        let (_, data) = late.next().unwrap();
        data.contains("\"findings\"").then_some(data)
    });
    assert!(got.contains("invest in community networks"), "{got}");
}

/// The server drafts a track's messages with the tracks file its
/// configuration names (as `rapporteur draft --tracks`): the track page shows
/// the file's description and policy question.
#[test]
fn track_drafts_use_the_configured_tracks_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), true);
    let question = "How can community networks reach the unconnected?";
    let description = "Access, affordability and community networks in rural areas.";
    std::fs::write(
        dir.path().join("tracks.toml"),
        format!(
            "meeting = \"Test\"\n[[track]]\nlabel = \"Inclusion\"\ndescription = \"{description}\"\n\
             policy_questions = [\"{question}\"]\nkeywords = {{ \"community networks\" = 3, \"rural\" = 2 }}\n"
        ),
    )
    .unwrap();
    let mut text = std::fs::read_to_string(&config).unwrap();
    text = text.replacen("workers = 2\n", "workers = 2\ntracks = \"tracks.toml\"\n", 1);
    std::fs::write(&config, text).unwrap();
    let server =
        Server::start(Path::new(BIN), &dir.path().join("data"), Some(&config), &[("RAPPORTEUR_DRAFT_INTERVAL", "1")]);
    let up = bearer(UPLOAD);
    let meta = "title = \"Community networks\"\ntracks = [\"Inclusion\"]\ndate = \"2026-11-23\"\n";
    let r = server.send("PUT", "/api/sessions/ws-9/metadata?name=s.toml", &[("Authorization", &up)], meta.as_bytes());
    wait_job(&server, r.json()["job"].as_str().unwrap());
    let r = server.send("PUT", "/api/sessions/ws-9/captions?name=c.vtt", &[("Authorization", &up)], VTT.as_bytes());
    assert_eq!(wait_job(&server, r.json()["job"].as_str().unwrap())["state"], "done");
    let page = wait_for(Duration::from_secs(120), "the track's draft messages", || {
        let page = server.get("/tracks/Inclusion").text();
        page.contains("Draft messages").then_some(page)
    });
    assert!(page.contains(&format!("<h3>{question}</h3>")), "{page}");
    assert!(page.contains(description), "{page}");
    let draft: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("data/drafts/messages.json")).unwrap()).unwrap();
    assert_eq!(draft["tracks"][0]["track"], "Inclusion", "{draft}");

    // A tracks file that cannot be read stops the start with its name.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "public_read = true\ntracks = \"missing-tracks.toml\"\n").unwrap();
    let out = std::process::Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(dir.path().join("data2"))
        .arg("--config")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("missing-tracks.toml"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
