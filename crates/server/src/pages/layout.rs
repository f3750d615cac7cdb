//! The page shell, the style sheet, the script, and read access for pages.

use std::collections::HashMap;

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use rapporteur_core::Time;

use crate::app::App;
use crate::config::Role;
use crate::ApiError;

/// HTML-escapes `text`.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    rapporteur_index::escape_into(&mut out, text);
    out
}

/// Escapes a URL query value.
pub fn url(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A time as a link that seeks the session's player (`data-t` in seconds).
pub fn time_link(session: &str, time: Time) -> String {
    let secs = time.as_millis() / 1000;
    format!(
        "<a class=\"t\" href=\"/sessions/{}#t={secs}\" data-t=\"{}\">{}</a>",
        esc(session),
        time.as_secs_f64(),
        time.to_clock()
    )
}

/// Read access for a page; a valid `?token=` is remembered in a cookie.
pub fn read_access(
    app: &App,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
) -> Result<Option<HeaderValue>, ApiError> {
    let query_token = params.get("token").map(String::as_str);
    app.authorize(headers, query_token, Role::Read, None)?;
    Ok(query_token
        .and_then(|t| HeaderValue::from_str(&format!("rapporteur_token={t}; HttpOnly; SameSite=Strict; Path=/")).ok()))
}

/// A whole page.
pub fn page(title: &str, body: &str, cookie: Option<HeaderValue>) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · rapporteur</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head>\
         <body><header><a class=\"brand\" href=\"/\">rapporteur</a>\
         <form class=\"search\" action=\"/search\"><input name=\"q\" type=\"search\" placeholder=\"Search transcripts and findings\" aria-label=\"Search\"><button>Search</button></form>\
         </header><main>{body}</main><script src=\"/static/app.js\"></script></body></html>\n",
        title = esc(title)
    );
    let mut response = Html(html).into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

const STYLE: &str = r#"
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{display:flex;gap:1em;align-items:center;padding:.6em 1em;background:#0b3d62;color:#fff}
header a.brand{color:#fff;font-weight:700;text-decoration:none}
header form{display:flex;gap:.4em;flex:1;max-width:40em}
header input{flex:1;padding:.3em}
main{max-width:70em;margin:1em auto;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em}
.meta{color:#555}.chip{display:inline-block;background:#e4eef6;border-radius:1em;padding:0 .6em;margin:0 .2em;font-size:.9em;text-decoration:none;color:#0b3d62}
.seg{display:grid;grid-template-columns:6em 12em 1fr;gap:.5em;padding:.2em 0;border-bottom:1px solid #eee}
.seg.finding{background:#fff6d6}
.seg .who{font-weight:600;color:#333}
a.t{font-family:monospace;color:#0b62a4}
.findings li{margin:.4em 0}.kind{font-size:.8em;text-transform:uppercase;color:#7a5300;background:#ffe9a8;padding:0 .4em;border-radius:.3em}
mark{background:#ffe066}
.hit{margin:1em 0}.facets{float:right;width:16em;margin-left:1em}.facets ul{list-style:none;padding:0}
#live{border:1px solid #ddd;background:#fff;padding:.5em;min-height:10em}
#live .pending{color:#555;font-style:italic}
video,audio{width:100%;max-height:50vh;background:#000}
table{border-collapse:collapse}td,th{padding:.2em .6em;text-align:left;border-bottom:1px solid #eee}
"#;

const SCRIPT: &str = r#"
// Every time link seeks the session's player instead of reloading the page.
document.addEventListener('click', function (e) {
  var a = e.target.closest('a.t');
  var player = document.getElementById('player');
  if (!a || !player || a.pathname !== location.pathname) return;
  e.preventDefault();
  player.currentTime = parseFloat(a.dataset.t);
  player.play().catch(function () {});
  history.replaceState(null, '', a.hash);
});
(function () {
  var player = document.getElementById('player');
  var m = location.hash.match(/^#t=(\d+(\.\d+)?)$/);
  if (player && m) player.currentTime = parseFloat(m[1]);
})();
// Live page: captions and findings as they arrive (server-sent events).
(function () {
  var box = document.getElementById('live');
  if (!box) return;
  var pending = document.getElementById('pending');
  var list = document.getElementById('segments');
  var findings = document.getElementById('live-findings');
  var status = document.getElementById('status');
  function clock(s) {
    s = Math.floor(s); var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, x = s % 60;
    return [h, m, x].map(function (n) { return n < 10 ? '0' + n : '' + n; }).join(':');
  }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  var source;
  function connect() {
    source = new EventSource(box.dataset.events);
    source.onopen = function () { status.textContent = 'connected'; };
    source.onerror = function () { status.textContent = 'reconnecting…'; };
    source.onmessage = onmessage;
    // Too slow to keep up: start again from a fresh snapshot.
    source.addEventListener('lagged', function () { source.close(); connect(); });
  }
  function onmessage(e) {
    var m = JSON.parse(e.data);
    if (m.type === 'segment') {
      var row = el('div', 'seg');
      row.appendChild(el('span', 't', clock(m.segment.start)));
      row.appendChild(el('span', 'who', m.segment.speaker || ''));
      row.appendChild(el('span', 'text', m.segment.text));
      list.appendChild(row);
    } else if (m.type === 'pending') {
      pending.textContent = (m.speaker ? m.speaker + ': ' : '') + m.text;
      pending.dataset.seq = m.seq == null ? '' : m.seq;
    } else if (m.type === 'findings') {
      findings.innerHTML = '';
      m.findings.forEach(function (f) {
        var li = el('li');
        li.appendChild(el('span', 'kind', f.kind)); li.appendChild(document.createTextNode(' ' + f.text + (f.speaker ? ' — ' + f.speaker : '')));
        findings.appendChild(li);
      });
    } else if (m.type === 'reset') {
      list.innerHTML = '';
      pending.textContent = '';
    }
    box.dataset.received = (parseInt(box.dataset.received || '0', 10) + 1) + '';
  }
  connect();
})();
"#;

/// `GET /static/style.css`.
pub async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "max-age=300")], STYLE).into_response()
}

/// `GET /static/app.js`.
pub async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "max-age=300")], SCRIPT)
        .into_response()
}
