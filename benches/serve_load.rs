//! Load on `rapporteur serve`, on loopback (issue 6):
//!
//! * a data folder holding a whole meeting: 200 published sessions, ~2 million
//!   words, in the search index;
//! * 50 live sessions, each posting 5 caption chunks a second for 60 s
//!   (Zoom's API: numbered POSTs, keep-alive connections);
//! * 20 readers, each following one live session's page (server-sent events)
//!   and searching the meeting about once a second.
//!
//! Reported: p50/p99/max ingest latency (POST until its 200, i.e. journaled
//! and synced), caption-visible latency (POST sent until the live event that
//! carries its `seq` reaches the reader), lost and duplicated chunks (every
//! chunk carries a unique word, checked in every session's text afterwards),
//! search latency under load and on the quiet server. Targets: ingest p99
//! < 50 ms, visible < 250 ms, 0 lost or duplicated, search p99 < 20 ms.
//!
//! `benches/serve_load.sh` runs it; `SERVE_LOAD_SECONDS`, `SERVE_LOAD_SESSIONS`,
//! `SERVE_LOAD_READERS`, `SERVE_LOAD_RATE` change the shape.

#[path = "meeting.rs"]
mod meeting;
#[path = "../tests/serve/support.rs"]
mod support;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use meeting::{SESSIONS as MEETING_SESSIONS, WORDS_PER_SESSION};
use rapporteur_index::SearchIndex;
use support::{Client, Events, Server};

const TOKEN: &str = "load-ingest-secret-0123456789";

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

const QUERIES: &[&str] = &[
    "connectivity",
    "%22meaningful+connectivity%22",
    "%22local+content%22+languages",
    "governments+AND+(privacy+OR+encryption)",
    "spectrum+satellite&track=Inclusion",
    "climate&kind=recommendation",
    "data+protection&speaker=SPEAKER+12",
    "cybersecurity+norms&session=ws-007",
    "the",
    "broadband+affordable&type=Workshop",
];

/// The published meeting of `benches/meeting.rs` (the corpus the in-process
/// search bench uses): `DATA/sessions/<id>/transcript.json`, and transcripts
/// and findings in the index.
fn build_meeting(data: &Path) -> usize {
    let started = Instant::now();
    let (transcripts, findings) = meeting::meeting();
    let index = SearchIndex::open_or_create(&data.join("index")).expect("index");
    let mut words = 0;
    for (transcript, findings) in transcripts.iter().zip(&findings) {
        words += transcript.word_count();
        index.replace_transcript(transcript).expect("indexing");
        index.replace_findings(findings).expect("indexing findings");
        let dir = data.join("sessions").join(&transcript.session.id);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("transcript.json"), serde_json::to_vec(transcript).unwrap()).unwrap();
    }
    index.finish().expect("commit");
    eprintln!(
        "meeting: {MEETING_SESSIONS} sessions, {words} words, indexed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    words
}

fn percentiles(mut times: Vec<f64>) -> String {
    if times.is_empty() {
        return "no samples".into();
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let p = |q: f64| times[((q * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
    format!(
        "n={} p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        times.len(),
        p(0.50),
        p(0.95),
        p(0.99),
        times[times.len() - 1]
    )
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken from the command line.
    let seconds = env("SERVE_LOAD_SECONDS", 60);
    let sessions = env("SERVE_LOAD_SESSIONS", 50) as usize;
    let readers = env("SERVE_LOAD_READERS", 20) as usize;
    let rate = env("SERVE_LOAD_RATE", 5);
    let bin = std::env::var("RAPPORTEUR_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_rapporteur").to_string());

    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    build_meeting(&data);
    let mut config = String::from("public_read = true\nworkers = 2\n");
    for s in 0..sessions {
        config.push_str(&format!(
            "[[tokens]]\nname = \"live {s}\"\ntoken = \"{TOKEN}-{s:03}\"\nroles = [\"ingest\"]\nsessions = [\"live-{s:03}\"]\n"
        ));
    }
    std::fs::write(dir.path().join("server.toml"), config).unwrap();
    let started = Instant::now();
    let server = Server::start(Path::new(&bin), &data, Some(&dir.path().join("server.toml")), &[]);
    eprintln!(
        "server ready in {:.2} s (loading {MEETING_SESSIONS} published sessions)",
        started.elapsed().as_secs_f64()
    );
    let addr = server.addr.clone();

    // Send time of every chunk, by session and seq.
    let chunks = (seconds * rate) as usize;
    let sent: Arc<Vec<Mutex<Vec<Option<Instant>>>>> =
        Arc::new((0..sessions).map(|_| Mutex::new(vec![None; chunks + 1])).collect());
    let stop = Arc::new(AtomicBool::new(false));
    let visible: Arc<Mutex<Vec<f64>>> = Arc::new(Mutex::new(Vec::new()));
    let searches: Arc<Mutex<Vec<f64>>> = Arc::new(Mutex::new(Vec::new()));
    let lagged = Arc::new(AtomicU64::new(0));

    // Readers first, so they see every chunk.
    // Readers are not joined: a stream blocked waiting for its next event ends with the process.
    let mut reader_threads = Vec::new();
    for r in 0..readers {
        let session = r % sessions;
        let (events_addr, sent, visible, events_stop, lagged) =
            (addr.clone(), sent.clone(), visible.clone(), stop.clone(), lagged.clone());
        reader_threads.push(std::thread::spawn(move || {
            let mut events =
                Events::open(&events_addr, &format!("/live/live-{session:03}/events")).expect("live events");
            let mut seen = vec![false; chunks + 1];
            while !events_stop.load(Ordering::Relaxed) {
                let Ok((name, data)) = events.next() else { break };
                let arrived = Instant::now();
                if name == "lagged" {
                    lagged.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                let Ok(message) = serde_json::from_str::<serde_json::Value>(&data) else { continue };
                if message["type"] != "pending" {
                    continue;
                }
                let Some(seq) = message["seq"].as_u64().map(|s| s as usize) else { continue };
                if seq <= chunks && !seen[seq] {
                    seen[seq] = true;
                    if let Some(at) = sent[session].lock().unwrap()[seq] {
                        visible.lock().unwrap().push(arrived.duration_since(at).as_secs_f64() * 1e3);
                    }
                }
            }
        }));
        let (addr, searches, stop) = (addr.clone(), searches.clone(), stop.clone());
        reader_threads.push(std::thread::spawn(move || {
            let mut client = Client::connect(&addr);
            let mut n = r;
            // Start spread over the first second.
            std::thread::sleep(Duration::from_millis(50 * r as u64));
            while !stop.load(Ordering::Relaxed) {
                let q = QUERIES[n % QUERIES.len()];
                n += 1;
                let t = Instant::now();
                let response = client.send("GET", &format!("/api/search?q={q}&limit=20"), &[], b"").expect("search");
                assert_eq!(response.status, 200, "{}", response.text());
                searches.lock().unwrap().push(t.elapsed().as_secs_f64() * 1e3);
                std::thread::sleep(Duration::from_millis(1000));
            }
        }));
    }
    std::thread::sleep(Duration::from_millis(500));

    // Posters: 50 sessions, `rate` chunks a second each, on a fixed schedule.
    let ingest: Arc<Mutex<Vec<f64>>> = Arc::new(Mutex::new(Vec::new()));
    let failures = Arc::new(AtomicU64::new(0));
    let load_started = Instant::now();
    let mut posters = Vec::new();
    for s in 0..sessions {
        let (addr, sent, ingest, failures) = (addr.clone(), sent.clone(), ingest.clone(), failures.clone());
        posters.push(std::thread::spawn(move || {
            let mut client = Client::connect(&addr);
            let auth = format!("Bearer {TOKEN}-{s:03}");
            let period = Duration::from_micros(1_000_000 / rate);
            // Sessions start spread over one period.
            let start = Instant::now() + period.mul_f64(s as f64 / sessions as f64);
            let mut times = Vec::with_capacity(chunks);
            for seq in 1..=chunks {
                let due = start + period * (seq as u32 - 1);
                if let Some(wait) = due.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
                // A sentence every fourth chunk, so segments close as in speech.
                let end = if seq % 4 == 0 { ". " } else { " " };
                let body = format!("s{s}c{seq} governments should invest in networks{end}");
                let t = Instant::now();
                sent[s].lock().unwrap()[seq] = Some(t);
                match client.send(
                    "POST",
                    &format!("/ingest/live-{s:03}/zoom?seq={seq}&lang=en-US"),
                    &[("Authorization", &auth)],
                    body.as_bytes(),
                ) {
                    Ok(r) if r.status == 200 => times.push(t.elapsed().as_secs_f64() * 1e3),
                    Ok(r) => {
                        eprintln!("live-{s:03} seq {seq}: {} {}", r.status, r.text());
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => {
                        eprintln!("live-{s:03} seq {seq}: {e}");
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            ingest.lock().unwrap().extend(times);
        }));
    }
    for p in posters {
        p.join().unwrap();
    }
    let load_seconds = load_started.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_millis(1000));
    stop.store(true, Ordering::Relaxed);
    let under_load: Vec<f64> = searches.lock().unwrap().clone();

    // Lost and duplicated: every chunk's word once in its session's text.
    let (mut lost, mut duplicated) = (0usize, 0usize);
    let mut client = Client::connect(&addr);
    for s in 0..sessions {
        let r = client.send("GET", &format!("/api/sessions/live-{s:03}?text=1"), &[], b"").expect("session");
        let v: serde_json::Value = r.json();
        let mut text = String::new();
        for seg in v["live_segments"].as_array().unwrap() {
            text.push_str(seg["text"].as_str().unwrap());
            text.push(' ');
        }
        for p in v["live"]["pending"].as_array().unwrap() {
            text.push_str(p["text"].as_str().unwrap());
        }
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for w in text.split(|c: char| !c.is_alphanumeric()) {
            if w.starts_with('s') && w.contains('c') && w[1..].chars().next().is_some_and(|c| c.is_ascii_digit()) {
                *counts.entry(w).or_default() += 1;
            }
        }
        for seq in 1..=chunks {
            match counts.get(format!("s{s}c{seq}").as_str()).copied().unwrap_or(0) {
                0 => lost += 1,
                1 => {}
                _ => duplicated += 1,
            }
        }
        assert_eq!(v["live"]["chunks"].as_u64().unwrap() as usize, chunks, "live-{s:03}: chunks applied");
    }

    // Search on the quiet server (the 2-million-word meeting plus the live sessions).
    let mut quiet = Vec::new();
    let mut by_query: Vec<Vec<f64>> = vec![Vec::new(); QUERIES.len()];
    for n in 0..1000 {
        let q = QUERIES[n % QUERIES.len()];
        let t = Instant::now();
        let r = client.send("GET", &format!("/api/search?q={q}&limit=20"), &[], b"").expect("search");
        assert_eq!(r.status, 200);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        quiet.push(ms);
        by_query[n % QUERIES.len()].push(ms);
    }

    let posted = ingest.lock().unwrap().len();
    println!("serve_load: {sessions} live sessions x {rate} chunks/s for {seconds} s ({load_seconds:.1} s), {readers} readers (live page + a search a second), meeting index {MEETING_SESSIONS} sessions / ~{} words", MEETING_SESSIONS * WORDS_PER_SESSION);
    println!("  ingest (POST to 200, journaled and fsynced): {}", percentiles(ingest.lock().unwrap().clone()));
    println!("  caption visible on the live event stream:     {}", percentiles(visible.lock().unwrap().clone()));
    println!(
        "  chunks: {} posted, {} acknowledged, {} failed, {lost} lost, {duplicated} duplicated; {} lagged readers",
        sessions * chunks,
        posted,
        failures.load(Ordering::Relaxed),
        lagged.load(Ordering::Relaxed)
    );
    println!("  search under load (HTTP /api/search):        {}", percentiles(under_load));
    println!("  search, quiet server (HTTP /api/search):     {}", percentiles(quiet));
    for (q, times) in QUERIES.iter().zip(by_query) {
        println!("    {q:<45} {}", percentiles(times));
    }
    drop(server);
}
