//! Organisers' session reports (Markdown, plain text, HTML, DOCX) → findings
//! with `source: report`.
//!
//! Sections are found by their headings ([`heading::section_kind`]: "Key
//! Takeaways", "Call to Action", "Policy recommendations and suggested ways
//! forward", ...), however they are written: Markdown `#` headings, setext
//! underlines, a bold line, an upper-case line, a short line ending in a
//! colon, or a heading followed by a colon and text on the same line. In a
//! section, each numbered or bulleted item is a finding (with its indented or
//! run-on continuation lines and indented follow-up paragraphs); a section
//! without list items gives one finding per paragraph. A report with no
//! recognisable section gives a warning, never a silent empty result.

pub mod docx;
pub mod heading;
pub mod html;

use rapporteur_core::{Diagnostic, Source};

use crate::finding::Finding;
use html::SourceLine;

/// The formats reports come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Markdown.
    Markdown,
    /// Plain text.
    Text,
    /// HTML.
    Html,
}

/// One item of a report section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportItem {
    /// The section's kind (`takeaway`, `call_to_action`, `recommendation`).
    pub kind: String,
    /// The section heading as written (markup stripped).
    pub section: String,
    /// The item's text: markup stripped, paragraphs joined, single-spaced.
    pub text: String,
    /// The item's lines as written.
    pub quote: String,
    /// 1-based line where the item starts.
    pub line: usize,
}

/// A parsed report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// The first heading or line, when there is one.
    pub title: Option<String>,
    /// Items of the recognised sections, in order.
    pub items: Vec<ReportItem>,
    /// Warnings: no recognisable section, empty sections.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses a report file's bytes: DOCX (a zip archive) through [`docx`], with
/// positions given as paragraph numbers; any other bytes as text (invalid
/// UTF-8 replaced) in the format [`detect_format`] finds.
pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<Report, docx::DocxError> {
    if !docx::is_zip(bytes) {
        let text = String::from_utf8_lossy(bytes);
        return Ok(parse(&text, name, detect_format(&text, name)));
    }
    let markdown = docx::to_markdown(bytes)?;
    let mut report = parse(&markdown, name, ReportFormat::Markdown);
    for item in &mut report.items {
        item.line = docx::paragraph_of_line(item.line);
    }
    for d in &mut report.diagnostics {
        d.line = d.line.map(docx::paragraph_of_line);
    }
    Ok(report)
}

/// Whether a file's first bytes (and its name) look like a session report:
/// a DOCX archive, or text for which [`looks_like_report`] holds.
pub fn bytes_look_like_report(head: &[u8], name: &str) -> bool {
    if docx::is_zip(head) {
        return name.to_ascii_lowercase().ends_with(".docx") || !name.contains('.');
    }
    looks_like_report(&String::from_utf8_lossy(head))
}

/// The report format of `text` named `name`: HTML when it has HTML tags,
/// Markdown for `.md` files or Markdown headings, plain text otherwise.
pub fn detect_format(text: &str, name: &str) -> ReportFormat {
    let head: String = text.chars().take(4096).collect::<String>().to_ascii_lowercase();
    let lower_name = name.to_ascii_lowercase();
    if lower_name.ends_with(".html")
        || lower_name.ends_with(".htm")
        || ["<html", "<body", "<h1", "<h2", "<h3", "<p>", "<ul", "<li"].iter().any(|t| head.contains(t))
    {
        ReportFormat::Html
    } else if lower_name.ends_with(".md")
        || lower_name.ends_with(".markdown")
        || text.lines().any(|l| l.starts_with("# ") || l.starts_with("## "))
    {
        ReportFormat::Markdown
    } else {
        ReportFormat::Text
    }
}

/// Whether `text` looks like a session report rather than captions: HTML,
/// or a line that is a report section heading, and no caption structure
/// (`-->` cue times, `>>` speaker turns).
pub fn looks_like_report(text: &str) -> bool {
    let head: String = text.chars().take(64 * 1024).collect();
    let captions = head.contains("-->")
        || head.lines().filter(|l| l.trim_start().starts_with(">>")).count() >= 2
        || head.starts_with("WEBVTT");
    if captions || head.trim_start().starts_with('{') {
        return false;
    }
    detect_format(&head, "") == ReportFormat::Html
        || to_lines(&head, ReportFormat::Text).iter().any(|l| classify(&l.text).heading_kind().is_some())
}

fn to_lines(text: &str, format: ReportFormat) -> Vec<SourceLine> {
    match format {
        ReportFormat::Html => html::to_lines(text),
        _ => {
            text.lines().enumerate().map(|(i, l)| SourceLine { text: l.trim_end().to_string(), line: i + 1 }).collect()
        }
    }
}

/// What a line is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    Blank,
    /// A heading; `rest` is text after a `Heading:` on the same line.
    Heading {
        title: String,
        kind: Option<&'static str>,
        rest: Option<String>,
    },
    /// A list item's text (marker removed) and indentation.
    Item {
        text: String,
    },
    /// Text and indentation.
    Text {
        text: String,
        indent: usize,
    },
}

impl Line {
    fn heading_kind(&self) -> Option<&'static str> {
        match self {
            Line::Heading { kind, .. } => *kind,
            _ => None,
        }
    }
}

fn list_marker(line: &str) -> Option<&str> {
    let t = line.trim_start();
    for bullet in ["- ", "* ", "+ ", "\u{2022} ", "\u{2013} ", "\u{25aa} ", "\u{25cf} ", "\u{00b7} "] {
        if let Some(rest) = t.strip_prefix(bullet) {
            return Some(rest);
        }
    }
    // 1. 1) (1) a. a) (a) iv.
    let inner = t.strip_prefix('(').unwrap_or(t);
    let marker_len = inner.find(['.', ')']).filter(|&i| i > 0 && i <= 4)?;
    let marker = &inner[..marker_len];
    let numbering = marker.chars().all(|c| c.is_ascii_digit())
        || (marker.len() == 1 && marker.chars().all(|c| c.is_ascii_lowercase()))
        || marker.chars().all(|c| matches!(c, 'i' | 'v' | 'x'));
    let rest = inner.get(marker_len + 1..)?;
    (numbering && rest.starts_with(' ')).then(|| rest.trim_start())
}

fn classify(raw: &str) -> Line {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Line::Blank;
    }
    let indent = raw.len() - raw.trim_start().len();
    // Markdown heading.
    if let Some(title) = trimmed.strip_prefix('#').map(|t| t.trim_start_matches('#').trim()) {
        return Line::Heading { title: strip_markup(title), kind: heading::section_kind(title), rest: None };
    }
    // A bold line: **Key Takeaways** (possibly with a trailing colon).
    let unbold = trimmed.trim_end_matches(':').trim();
    if unbold.len() > 4
        && ((unbold.starts_with("**") && unbold.ends_with("**"))
            || (unbold.starts_with("__") && unbold.ends_with("__")))
    {
        let title = strip_markup(unbold);
        return Line::Heading { kind: heading::section_kind(&title), title, rest: None };
    }
    // "Key takeaways: text on the same line" or "Key Takeaways:".
    if let Some((head, rest)) = trimmed.split_once(':') {
        if let Some(kind) = heading::section_kind(head).filter(|_| head.split_whitespace().count() <= 8) {
            let rest = rest.trim();
            return Line::Heading {
                title: strip_markup(head),
                kind: Some(kind),
                rest: (!rest.is_empty()).then(|| rest.to_string()),
            };
        }
    }
    if let Some(item) = list_marker(trimmed) {
        // A numbered heading: "3. Key Takeaways".
        if let Some(kind) = heading::section_kind(trimmed).filter(|_| !item.ends_with('.')) {
            return Line::Heading { title: strip_markup(item), kind: Some(kind), rest: None };
        }
        return Line::Item { text: item.to_string() };
    }
    let words = trimmed.split_whitespace().count();
    let upper = trimmed.chars().any(char::is_alphabetic) && !trimmed.chars().any(char::is_lowercase);
    let terminal = trimmed.ends_with(['.', '!', '?', ';', ',']);
    if words <= 12 && !terminal {
        if let Some(kind) = heading::section_kind(trimmed) {
            return Line::Heading { title: strip_markup(trimmed.trim_end_matches(':')), kind: Some(kind), rest: None };
        }
        if upper || trimmed.ends_with(':') {
            return Line::Heading { title: strip_markup(trimmed.trim_end_matches(':')), kind: None, rest: None };
        }
    }
    Line::Text { text: trimmed.to_string(), indent }
}

/// Markdown emphasis, code and links removed: `**a** [b](c)` → `a b`.
fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](").and_then(|close| after[close + 2..].find(')').map(|end| (close, close + 2 + end)));
        match link {
            Some((close, end)) => {
                out.push_str(&rest[..open]);
                out.push_str(&after[..close]);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let out = out.replace("**", "").replace("__", "").replace('`', "");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Open {
    text: Vec<String>,
    quote: Vec<String>,
    line: usize,
}

struct Section {
    kind: &'static str,
    title: String,
    line: usize,
    items: Vec<Open>,
    current: Option<Open>,
    had_list: bool,
    blank_before: bool,
}

impl Section {
    fn close_item(&mut self) {
        if let Some(item) = self.current.take() {
            if item.text.iter().any(|t| !t.trim().is_empty()) {
                self.items.push(item);
            }
        }
    }

    fn start(&mut self, text: &str, raw: &str, line: usize) {
        self.close_item();
        self.current = Some(Open { text: vec![text.to_string()], quote: vec![raw.to_string()], line });
    }

    fn extend(&mut self, text: &str, raw: &str) {
        if let Some(item) = self.current.as_mut() {
            item.text.push(text.to_string());
            item.quote.push(raw.to_string());
        }
    }
}

/// Parses a report. `name` is used in diagnostics.
pub fn parse(text: &str, name: &str, format: ReportFormat) -> Report {
    let lines = to_lines(text, format);
    let mut report = Report::default();
    let mut sections: Vec<Section> = Vec::new();
    let mut current: Option<Section> = None;
    let mut headings_seen: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(source) = lines.get(i) {
        let mut line = classify(&source.text);
        // Setext heading: a line underlined with === or ---.
        if let (Line::Text { text, .. }, Some(next)) = (&line, lines.get(i + 1)) {
            let under = next.text.trim();
            if under.len() >= 3 && (under.chars().all(|c| c == '=') || under.chars().all(|c| c == '-')) {
                line = Line::Heading { kind: heading::section_kind(text), title: strip_markup(text), rest: None };
                i += 1;
            }
        }
        if report.title.is_none() {
            match &line {
                Line::Heading { title, .. } | Line::Text { text: title, .. } => report.title = Some(title.clone()),
                _ => {}
            }
        }
        match line {
            Line::Heading { title, kind, rest } => {
                if let Some(mut s) = current.take() {
                    s.close_item();
                    sections.push(s);
                }
                headings_seen.push(title.clone());
                if let Some(kind) = kind {
                    let mut s = Section {
                        kind,
                        title,
                        line: source.line,
                        items: Vec::new(),
                        current: None,
                        had_list: false,
                        blank_before: false,
                    };
                    if let Some(rest) = rest {
                        s.start(&strip_markup(&rest), &source.text, source.line);
                    }
                    current = Some(s);
                }
            }
            Line::Item { text } => {
                if let Some(s) = current.as_mut() {
                    s.had_list = true;
                    s.blank_before = false;
                    s.start(&strip_markup(&text), &source.text, source.line);
                }
            }
            Line::Text { text, indent } => {
                if let Some(s) = current.as_mut() {
                    let continues = s.current.is_some() && (!s.blank_before || (s.had_list && indent >= 2));
                    if continues {
                        s.extend(&strip_markup(&text), &source.text);
                    } else {
                        s.start(&strip_markup(&text), &source.text, source.line);
                    }
                    s.blank_before = false;
                }
            }
            Line::Blank => {
                if let Some(s) = current.as_mut() {
                    s.blank_before = true;
                }
            }
        }
        i += 1;
    }
    if let Some(mut s) = current.take() {
        s.close_item();
        sections.push(s);
    }
    if sections.is_empty() {
        let seen = if headings_seen.is_empty() {
            "none".to_string()
        } else {
            headings_seen.iter().map(|h| format!("\"{h}\"")).collect::<Vec<_>>().join(", ")
        };
        report.diagnostics.push(
            Diagnostic::warning(None, format!("no Key Takeaways, Call to Action or Policy recommendations section found (headings seen: {seen}); nothing was taken from this report"))
                .in_file(name),
        );
    }
    for s in sections {
        if s.items.is_empty() {
            report
                .diagnostics
                .push(Diagnostic::warning(Some(s.line), format!("section \"{}\" is empty", s.title)).in_file(name));
        }
        for item in s.items {
            report.items.push(ReportItem {
                kind: s.kind.to_string(),
                section: s.title.clone(),
                text: item.text.join(" ").split_whitespace().collect::<Vec<_>>().join(" "),
                quote: item.quote.join("\n"),
                line: item.line,
            });
        }
    }
    report
}

impl Report {
    /// The report's items as findings of session `session`.
    pub fn findings(&self, session: &str) -> Vec<Finding> {
        self.items
            .iter()
            .map(|item| Finding {
                kind: item.kind.clone(),
                text: item.text.clone(),
                quote: item.quote.clone(),
                session: session.to_string(),
                speaker: None,
                start: None,
                end: None,
                rule: format!("report:{}", item.kind),
                track: None,
                track_confidence: None,
                score: 1.0,
                source: Source::Report,
                explain: None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_and_texts(report: &Report) -> Vec<(String, String)> {
        report.items.iter().map(|i| (i.kind.clone(), i.text.clone())).collect()
    }

    #[test]
    fn plain_text_with_inline_heading_and_paragraphs() {
        let text = "WS #12 Community networks\n\nKey takeaways: Community ownership matters.\nIt keeps networks alive.\n\nSkills come first.\n\nCALL TO ACTION\n1) Regulators should license community networks.\n2) Donors must fund maintenance,\n   not only equipment.\n";
        let r = parse(text, "r.txt", ReportFormat::Text);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_eq!(
            kinds_and_texts(&r),
            vec![
                ("takeaway".into(), "Community ownership matters. It keeps networks alive.".into()),
                ("takeaway".into(), "Skills come first.".into()),
                ("call_to_action".into(), "Regulators should license community networks.".into()),
                ("call_to_action".into(), "Donors must fund maintenance, not only equipment.".into()),
            ]
        );
        assert_eq!(r.items[0].line, 3);
        assert_eq!(r.title.as_deref(), Some("WS #12 Community networks"));
    }

    #[test]
    fn no_section_is_a_warning() {
        let r = parse("# Session\n\nSome text.\n", "r.md", ReportFormat::Markdown);
        assert!(r.items.is_empty());
        assert_eq!(r.diagnostics.len(), 1);
        assert!(r.diagnostics[0].to_string().contains("headings seen: \"Session\""), "{}", r.diagnostics[0]);
    }

    #[test]
    fn detection() {
        assert!(looks_like_report("Title\n\nKey Takeaways\n- a\n"));
        assert!(!looks_like_report("WEBVTT\n\n00:01.000 --> 00:02.000\nKey Takeaways\n"));
        assert!(!looks_like_report(">> A: hello\n>> B: Key takeaways: none\n"));
        assert!(!looks_like_report("Just a transcript paragraph.\n"));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "(?s).{0,300}") {
            for f in [ReportFormat::Markdown, ReportFormat::Text, ReportFormat::Html] {
                let _ = parse(&s, "x", f);
            }
            let _ = looks_like_report(&s);
        }
    }
}
