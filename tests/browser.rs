//! The web pages in a real browser: headless Chromium driven over WebDriver
//! (chromedriver, spoken to with a few lines of JSON over HTTP). Opens a
//! session page and seeks the player from a time, searches and narrows by a
//! facet, and follows a live session while chunks are posted, checking what
//! a person would see. Screenshots go to `$CARGO_TARGET_DIR/test-artifacts/`.
//!
//! Needs `chromium` and `chromedriver` (scripts/setup-system.sh installs
//! them). Without them the test is skipped, unless RAPPORTEUR_REQUIRE_ALL=1
//! (as `make test` sets), when it fails.

#[path = "serve/support.rs"]
mod support;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{artifacts_dir, wait_for, Client, Server};

const BIN: &str = env!("CARGO_BIN_EXE_rapporteur");
const INGEST: &str = "browser-ingest-secret-000000";
const UPLOAD: &str = "browser-upload-secret-000000";

const VTT: &str = "WEBVTT

00:00:01.000 --> 00:00:05.000
<v ANA SILVA>Welcome to this workshop on community networks and rural connectivity.

00:00:05.500 --> 00:00:12.000
<v ANA SILVA>Governments should invest in community networks to connect rural areas.

00:00:12.500 --> 00:00:18.000
<v JOHN OKAFOR>We call on regulators to open spectrum for local operators.

00:00:18.500 --> 00:00:25.000
<v JOHN OKAFOR>Affordable devices remain the main barrier for women in rural areas.
";

fn find_tool(names: &[&str]) -> Option<PathBuf> {
    for name in names {
        let path = Path::new(name);
        if path.is_absolute() && path.is_file() {
            return Some(path.to_path_buf());
        }
        if let Ok(out) = Command::new("sh").arg("-c").arg(format!("command -v {name}")).output() {
            let found = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if out.status.success() && !found.is_empty() {
                return Some(PathBuf::from(found));
            }
        }
    }
    None
}

/// The browser binary chromedriver should start (the real one, not Debian's
/// wrapper script, when it is there).
fn chromium() -> Option<PathBuf> {
    find_tool(&["/usr/lib/chromium/chromium", "chromium", "chromium-browser", "google-chrome"])
}

struct Driver {
    child: Child,
    client: Client,
    session: String,
}

impl Driver {
    fn start(browser: &Path, chromedriver: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let addr = format!("127.0.0.1:{port}");
        wait_for(Duration::from_secs(30), "chromedriver", || std::net::TcpStream::connect(&addr).ok());
        let mut client = Client::connect(&addr);
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": browser.to_string_lossy(),
                "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1280,1000", "--autoplay-policy=no-user-gesture-required"]
            }
        }}});
        let r = client
            .send("POST", "/session", &[("Content-Type", "application/json")], capabilities.to_string().as_bytes())
            .expect("chromedriver answers");
        let v = r.json();
        let session =
            v["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no WebDriver session: {v}")).to_string();
        Driver { child, client, session }
    }

    fn call(&mut self, method: &str, path: &str, body: Value) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let bytes = if method == "GET" { Vec::new() } else { body.to_string().into_bytes() };
        let r = self
            .client
            .send(method, &path, &[("Content-Type", "application/json")], &bytes)
            .expect("chromedriver answers");
        let v = r.json();
        assert!(r.status == 200, "WebDriver {method} {path}: {v}");
        v["value"].clone()
    }

    fn goto(&mut self, url: &str) {
        self.call("POST", "/url", json!({ "url": url }));
    }

    fn js(&mut self, script: &str) -> Value {
        self.call("POST", "/execute/sync", json!({ "script": script, "args": [] }))
    }

    fn element(&mut self, css: &str) -> String {
        let v = self.call("POST", "/element", json!({"using": "css selector", "value": css}));
        v.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).expect("element id").to_string()
    }

    fn click(&mut self, css: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/click"), json!({}));
    }

    fn type_into(&mut self, css: &str, text: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/value"), json!({ "text": text }));
    }

    fn wait_js(&mut self, what: &str, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let v = self.js(script);
            if !(v.is_null() || v == json!(false) || v == json!("")) {
                return v;
            }
            if started.elapsed() > Duration::from_secs(30) {
                let shot = self.screenshot("timeout");
                panic!("timed out waiting for {what} (screenshot {})", shot.display());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn screenshot(&mut self, name: &str) -> PathBuf {
        let v = self.call("GET", "/screenshot", json!({}));
        let png = base64(v.as_str().expect("base64 PNG"));
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        let path = artifacts_dir(env!("CARGO_TARGET_TMPDIR")).join(format!("browser-{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let path = format!("/session/{}", self.session);
        let _ = self.client.send("DELETE", &path, &[], b"");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn silent_wav(seconds: u32) -> Vec<u8> {
    let rate = 8000u32;
    let samples = rate * seconds;
    let mut wav = b"RIFF".to_vec();
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
fn session_page_search_and_live_page_in_chromium() {
    let (Some(browser), Some(chromedriver)) = (chromium(), find_tool(&["chromedriver"])) else {
        if std::env::var("RAPPORTEUR_REQUIRE_ALL").is_ok_and(|v| v == "1") {
            panic!("chromium and chromedriver are needed (scripts/setup-system.sh installs them)");
        }
        eprintln!("skipped: chromium or chromedriver not installed (scripts/setup-system.sh installs them)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("server.toml");
    std::fs::write(
        &config,
        format!(
            "public_read = true\n[[tokens]]\nname = \"zoom\"\ntoken = \"{INGEST}\"\nroles = [\"ingest\"]\n\
             [[tokens]]\nname = \"desk\"\ntoken = \"{UPLOAD}\"\nroles = [\"upload\"]\n"
        ),
    )
    .unwrap();
    let server = Server::start(Path::new(BIN), &dir.path().join("data"), Some(&config), &[]);
    let base = format!("http://{}", server.addr);
    let up = format!("Bearer {UPLOAD}");
    let meta = "title = \"Community networks for rural connectivity\"\ntype = \"Workshop\"\ntracks = [\"Inclusion\"]\nroom = \"Room 3\"\ndate = \"2026-11-23\"\n";
    for (kind, name, body) in [
        ("metadata", "session.toml", meta.as_bytes().to_vec()),
        ("captions", "ws-9.vtt", VTT.as_bytes().to_vec()),
        ("recording", "ws-9.wav", silent_wav(30)),
    ] {
        let r = server.send("PUT", &format!("/api/sessions/ws-9/{kind}?name={name}"), &[("Authorization", &up)], &body);
        assert_eq!(r.status, 202, "{}", r.text());
    }
    wait_for(Duration::from_secs(60), "the session published with its findings", || {
        let page = server.get("/sessions/ws-9").text();
        (page.contains("class=\"seg finding") && page.contains("id=\"player\"")).then_some(())
    });

    let mut driver = Driver::start(&browser, &chromedriver);

    // The session page: what a reader sees, and a time that seeks the player.
    driver.goto(&format!("{base}/sessions/ws-9"));
    let title = driver.js("return document.querySelector('h1').textContent");
    assert_eq!(title, "Community networks for rural connectivity");
    let segments = driver.js("return document.querySelectorAll('.transcript .seg').length");
    assert_eq!(segments, 4);
    let highlighted =
        driver.js("return Array.from(document.querySelectorAll('.seg.finding .text')).map(e => e.textContent)");
    assert!(highlighted.to_string().contains("Governments should invest"), "{highlighted}");
    let speakers = driver.js("return document.body.innerText");
    assert!(speakers.as_str().unwrap().contains("JOHN OKAFOR"));
    // The player must have loaded its metadata before it can seek.
    driver.wait_js("the player's metadata", "return document.getElementById('player').readyState >= 1");
    driver.click(".transcript .seg:nth-child(3) a.t");
    let time = driver.wait_js(
        "the player to seek",
        "var t = document.getElementById('player').currentTime; return t >= 12 ? t : null",
    );
    assert!((12.0..13.5).contains(&time.as_f64().unwrap()), "player at {time}");
    assert!(driver.js("return location.hash").as_str().unwrap().starts_with("#t=12"));
    driver.screenshot("session");

    // Search from the header box, then narrow by a facet.
    driver.type_into("header input[name=q]", "spectrum\u{E007}");
    driver.wait_js("the search page", "return location.pathname === '/search' && document.getElementById('total')");
    let total = driver.js("return document.getElementById('total').textContent");
    assert!(!total.as_str().unwrap().starts_with("0 "), "{total}");
    let marks = driver
        .js("return Array.from(document.querySelectorAll('.snippet mark')).map(e => e.textContent.toLowerCase())");
    assert!(
        marks.as_array().unwrap().iter().all(|m| m == "spectrum") && !marks.as_array().unwrap().is_empty(),
        "{marks}"
    );
    driver.click("ul[data-facet=kind] li a");
    driver.wait_js("the facet applied", "return location.search.indexOf('kind=') >= 0");
    let kinds = driver.js("return Array.from(document.querySelectorAll('.hit .kind')).map(e => e.textContent)");
    assert!(!kinds.as_array().unwrap().is_empty(), "{kinds}");
    driver.screenshot("search");

    // The live page, opened before the captioner starts.
    driver.goto(&format!("{base}/live/ws-live"));
    driver.wait_js("the event stream", "return document.getElementById('status').textContent === 'connected'");
    let mut poster = Client::connect(&server.addr);
    let auth = format!("Bearer {INGEST}");
    let chunks = [
        "Good afternoon and welcome. ",
        "We urge every government to fund public access points. ",
        "Libraries are where many people first go online",
    ];
    for (n, chunk) in chunks.iter().enumerate() {
        let posted = Instant::now();
        let r = poster
            .send(
                "POST",
                &format!("/ingest/ws-live/zoom?seq={}&lang=en-US", n + 1),
                &[("Authorization", &auth)],
                chunk.as_bytes(),
            )
            .unwrap();
        assert_eq!(r.status, 200);
        let needle = chunk.trim().split(' ').take(3).collect::<Vec<_>>().join(" ");
        driver.wait_js(
            &format!("`{needle}` on the live page"),
            &format!("return document.getElementById('live').innerText.indexOf({}) >= 0", json!(needle)),
        );
        eprintln!("chunk {} visible in the browser {} ms after its POST", n + 1, posted.elapsed().as_millis());
    }
    // The call to action appears among the findings once the live session is
    // published again (every few seconds while it changes).
    driver.wait_js(
        "the live finding",
        "return document.getElementById('live-findings').innerText.indexOf('public access points') >= 0",
    );
    // Finished sentences become segments; the unfinished one is shown as
    // pending (or, after a 3 s pause, closed as a segment too); each once.
    let count_each = |driver: &mut Driver| -> Vec<i64> {
        let script = format!(
            "var t = document.getElementById('live').innerText; return {}.map(function (n) {{ return t.split(n).length - 1; }})",
            json!(["Good afternoon and welcome.", "We urge every government", "Libraries are where"])
        );
        driver.js(&script).as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect()
    };
    assert_eq!(count_each(&mut driver), vec![1, 1, 1]);
    let rows = driver.js("return document.querySelectorAll('#segments .seg').length").as_u64().unwrap();
    let pending = driver.js("return document.getElementById('pending').textContent");
    assert!(
        rows == 2 && pending.as_str().unwrap().contains("Libraries are where") || rows == 3,
        "{rows} rows, pending {pending}"
    );
    // A reload shows the same thing once (the stream starts with a reset).
    driver.goto(&format!("{base}/live/ws-live"));
    driver.wait_js(
        "the snapshot",
        "return document.getElementById('live').innerText.indexOf('Libraries are where') >= 0",
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(count_each(&mut driver), vec![1, 1, 1]);
    let shot = driver.screenshot("live");
    eprintln!("screenshots in {}", shot.parent().unwrap().display());
}
