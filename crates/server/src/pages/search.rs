//! `GET /search`: the search page with facets.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use rapporteur_index::{DocKind, FacetCount};

use super::layout::{esc, page as render, read_access, time_link, url};
use crate::api::{run_search, search_request};
use crate::app::App;
use crate::ApiError;

const FILTERS: [&str; 5] = ["track", "type", "kind", "speaker", "session"];

fn link_with(params: &HashMap<String, String>, key: &str, value: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k.as_str() != key && k.as_str() != "token" && k.as_str() != "offset")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Some(value) = value {
        pairs.push((key.to_string(), value.to_string()));
    }
    pairs.sort();
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{}={}", url(k), url(v))).collect();
    format!("/search?{}", query.join("&"))
}

fn facet_list(params: &HashMap<String, String>, key: &str, title: &str, counts: &[FacetCount]) -> String {
    if counts.is_empty() {
        return String::new();
    }
    let mut html = format!("<h3>{title}</h3><ul data-facet=\"{key}\">");
    if let Some(current) = params.get(key).filter(|v| !v.is_empty()) {
        html.push_str(&format!("<li><a href=\"{}\">✕ {}</a></li>", esc(&link_with(params, key, None)), esc(current)));
    }
    for c in counts.iter().take(12) {
        html.push_str(&format!(
            "<li><a href=\"{}\">{}</a> ({})</li>",
            esc(&link_with(params, key, Some(&c.value))),
            esc(&c.value),
            c.count
        ));
    }
    html.push_str("</ul>");
    html
}

/// The search page.
pub async fn page(
    State(app): State<Arc<App>>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let cookie = read_access(&app, &headers, &params)?;
    let query = params.get("q").cloned().unwrap_or_default();
    let mut body = format!(
        "<h1>Search</h1><form action=\"/search\"><input name=\"q\" type=\"search\" value=\"{}\" size=\"50\" aria-label=\"Query\">",
        esc(&query)
    );
    for key in FILTERS {
        if let Some(v) = params.get(key).filter(|v| !v.is_empty()) {
            body.push_str(&format!("<input type=\"hidden\" name=\"{key}\" value=\"{}\">", esc(v)));
        }
    }
    body.push_str("<button>Search</button></form>");
    let request = search_request(&params)?;
    let results = match run_search(&app, request).await {
        Ok(r) => r,
        Err(e) if e.status == axum::http::StatusCode::BAD_REQUEST => {
            body.push_str(&format!("<p class=\"error\">{}</p>", esc(&e.message)));
            return Ok(render("Search", &body, cookie));
        }
        Err(e) => return Err(e),
    };
    body.push_str("<aside class=\"facets\">");
    body.push_str(&facet_list(&params, "track", "Tracks", &results.facets.track));
    body.push_str(&facet_list(&params, "type", "Session types", &results.facets.session_type));
    body.push_str(&facet_list(&params, "kind", "Findings", &results.facets.kind));
    body.push_str(&facet_list(&params, "speaker", "Speakers", &results.facets.speaker));
    body.push_str("</aside>");
    body.push_str(&format!("<p class=\"meta\" id=\"total\">{} results</p>", results.total));
    for hit in &results.hits {
        let mut line = format!(
            "<a href=\"/sessions/{}\">{}</a>",
            esc(&hit.session),
            esc(hit.title.as_deref().unwrap_or(&hit.session))
        );
        if let Some(start) = hit.start {
            line.push(' ');
            line.push_str(&time_link(&hit.session, start));
        }
        match hit.doc {
            DocKind::Finding => line
                .push_str(&format!(" <span class=\"kind\">{}</span>", esc(hit.kind.as_deref().unwrap_or("finding")))),
            DocKind::Session => line.push_str(" <span class=\"chip\">session</span>"),
            DocKind::Segment => {}
        }
        if let Some(speaker) = &hit.speaker {
            line.push_str(&format!(" <span class=\"who\">{}</span>", esc(speaker)));
        }
        body.push_str(&format!(
            "<div class=\"hit\"><div>{line}</div><div class=\"snippet\">{}</div></div>",
            hit.snippet.to_html()
        ));
    }
    for warning in &results.warnings {
        body.push_str(&format!("<p class=\"meta\">Part of the query was ignored: {}</p>", esc(warning)));
    }
    Ok(render(if query.is_empty() { "Search" } else { &query }, &body, cookie))
}
