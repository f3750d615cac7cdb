//! A standalone HTML page: the same structure as the Markdown, with
//! numbered footnotes linked both ways.

use std::fmt::Write as _;

use super::{footnote_parts, preamble, support};
use crate::messages::Draft;

/// Text safe in HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str =
    "body{font-family:Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;line-height:1.5;color:#222}\
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;margin-top:2em}.lead,.desc{color:#555;font-style:italic}\
.note{background:#fff6d6;padding:.5em 1em}li{margin:.5em 0}sup a{text-decoration:none}\
.footnotes{font-size:.85em;color:#444;border-top:1px solid #ccc;margin-top:3em}";

/// The draft as an HTML page.
pub fn to_html(draft: &Draft) -> String {
    let mut out = String::new();
    let mut notes = String::new();
    let mut n = 0;
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"lead\">{}</p>\n",
        escape(&draft.title),
        escape(&draft.title),
        escape(&preamble(draft))
    );
    for note in &draft.notes {
        let _ = writeln!(out, "<p class=\"note\"><strong>Note:</strong> {}</p>", escape(note));
    }
    for track in &draft.tracks {
        let _ = writeln!(out, "<section>\n<h2>{}</h2>", escape(&track.track));
        if let Some(d) = &track.description {
            let _ = writeln!(out, "<p class=\"desc\">{}</p>", escape(d));
        }
        for group in &track.groups {
            if track.groups.len() > 1 || group.policy_question.is_some() {
                let heading = group.policy_question.as_deref().unwrap_or("Other messages");
                let _ = writeln!(out, "<h3>{}</h3>", escape(heading));
            }
            out.push_str("<ul>\n");
            for m in &group.messages {
                n += 1;
                let _ = writeln!(
                    out,
                    "<li id=\"{id}\">{text}<sup><a href=\"#fn-{n}\" id=\"ref-{n}\">{n}</a></sup></li>",
                    id = escape(&m.id),
                    text = escape(&m.text)
                );
                let (used, also) = footnote_parts(m);
                let cited: Vec<String> =
                    used.iter().map(|(c, q)| format!("{}: <q>{}</q>", escape(c), escape(q))).collect();
                let _ = write!(notes, "<li id=\"fn-{n}\">{} ({})", cited.join("; "), support(m));
                if !also.is_empty() {
                    let _ = write!(notes, " Also raised in: {}.", escape(&also.join("; ")));
                }
                let _ = writeln!(notes, " <a href=\"#ref-{n}\">\u{21a9}</a></li>");
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</section>\n");
    }
    if !notes.is_empty() {
        let _ = writeln!(out, "<ol class=\"footnotes\">\n{notes}</ol>");
    }
    out.push_str("</body>\n</html>\n");
    out
}
