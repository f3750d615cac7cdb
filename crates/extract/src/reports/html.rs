//! HTML session reports → lines that the report parser reads like Markdown:
//! headings become `# ...`, list items `- ...`, block elements end lines,
//! other tags go, entities are decoded. Each line keeps the source line it
//! starts on, for diagnostics.
//!
//! A small scanner rather than an HTML5 parser: report exports are simple
//! documents, and what matters here is block structure, not the DOM.

/// One line of text and the 1-based source line it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    /// Text.
    pub text: String,
    /// 1-based line in the original input.
    pub line: usize,
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "ul",
    "ol",
    "blockquote",
    "hr",
    "td",
    "th",
    "body",
    "html",
    "head",
    "title",
];

fn decode_entity(entity: &str) -> Option<char> {
    Some(match entity {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "rsquo" | "lsquo" => '\'',
        "ldquo" | "rdquo" => '"',
        "hellip" => '\u{2026}',
        _ => {
            let num = entity.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

/// Decodes `&amp;`-style entities; unknown ones stay as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find(';').filter(|&j| j <= 10).and_then(|j| decode_entity(&after[..j]).map(|c| (c, j))) {
            Some((c, j)) => {
                out.push(c);
                rest = &after[j + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Converts HTML to report lines.
pub fn to_lines(html: &str) -> Vec<SourceLine> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut current_line = 1;
    let mut line = 1;
    let mut skip_until: Option<&str> = None;
    let mut rest = html;
    let flush = |current: &mut String, at: usize, lines: &mut Vec<SourceLine>| {
        let text = decode_entities(current).split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() && text != "-" && text != "#" {
            lines.push(SourceLine { text, line: at });
        }
        current.clear();
    };
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skip_until.is_none() {
                if current.trim().is_empty() {
                    current_line = line;
                }
                current.push_str(rest);
            }
            break;
        };
        let text = &rest[..lt];
        if skip_until.is_none() {
            if current.trim().is_empty() && !text.trim().is_empty() {
                current_line = line + text[..text.len() - text.trim_start().len()].matches('\n').count();
            }
            current.push_str(text);
        }
        line += text.matches('\n').count();
        let after = &rest[lt..];
        let end = after.find('>').map_or(after.len(), |e| e + 1);
        let tag = &after[..end];
        line += tag.matches('\n').count();
        rest = &after[end..];
        let inner = tag.trim_start_matches('<').trim_end_matches('>').trim();
        let closing = inner.starts_with('/');
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(until) = skip_until {
            if closing && name == until {
                skip_until = None;
            }
            continue;
        }
        match name.as_str() {
            "script" | "style" if !closing => skip_until = Some(if name == "script" { "script" } else { "style" }),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                flush(&mut current, current_line, &mut lines);
                if !closing {
                    current.push_str("# ");
                    current_line = line;
                }
            }
            "li" => {
                flush(&mut current, current_line, &mut lines);
                if !closing {
                    current.push_str("- ");
                    current_line = line;
                }
            }
            n if BLOCK_TAGS.contains(&n) => {
                flush(&mut current, current_line, &mut lines);
                // A blank line between paragraphs, as in Markdown.
                if n == "p" && closing {
                    lines.push(SourceLine { text: String::new(), line });
                }
            }
            _ => {}
        }
    }
    flush(&mut current, current_line, &mut lines);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_entities() {
        let html = "<html><body>\n<h2>Key Takeaways</h2>\n<ul><li>Access &amp; skills</li>\n<li>Trust&nbsp;matters</li></ul>\n<p>Done &#8212; ok</p></body></html>";
        let lines: Vec<(String, usize)> =
            to_lines(html).into_iter().filter(|l| !l.text.is_empty()).map(|l| (l.text, l.line)).collect();
        assert_eq!(
            lines,
            vec![
                ("# Key Takeaways".to_string(), 2),
                ("- Access & skills".to_string(), 3),
                ("- Trust matters".to_string(), 4),
                ("Done \u{2014} ok".to_string(), 5)
            ]
        );
    }
}
