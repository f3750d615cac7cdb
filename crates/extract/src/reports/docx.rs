//! Word (DOCX) reports → Markdown lines the report parser reads.
//!
//! A DOCX file is a zip archive; its body is `word/document.xml`. Each
//! paragraph (`w:p`, also inside tables) becomes one Markdown block: a
//! heading (`#` × level) when its style is a heading or has an outline level,
//! a bulleted item when it is numbered (`w:numPr`) or has a list style, a bold
//! line when every run is bold (organisers often "head" sections that way),
//! plain text otherwise. Style ids are looked up in `word/styles.xml`, so
//! localised style names ("Überschrift 1") and custom ids work too.
//!
//! Blocks are separated by blank lines, so paragraph `n` is Markdown line
//! `2n - 1`; [`paragraph_of_line`] maps positions back for messages.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Largest `word/document.xml` read (a report is a few hundred KB at most;
/// this stops a zip bomb).
const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;

/// Why a DOCX file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// Not a zip archive, or a damaged one.
    #[error(
        "not a readable DOCX file (zip archive): {0}; save the report again from Word, or as Markdown, text or HTML"
    )]
    Zip(String),
    /// The archive has no `word/document.xml`.
    #[error("no word/document.xml inside: this zip is not a Word document")]
    NoDocument,
    /// The XML inside is malformed.
    #[error("word/{part} is not well-formed XML at byte {position}: {message}")]
    Xml {
        /// `document.xml` or `styles.xml`.
        part: &'static str,
        /// Byte offset in that part.
        position: u64,
        /// The parser's message.
        message: String,
    },
    /// `word/document.xml` is larger than we read.
    #[error("word/document.xml is larger than {MAX_XML_BYTES} bytes")]
    TooLarge,
}

/// Whether `bytes` start like a zip archive (a DOCX file).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The 1-based paragraph a line of [`to_markdown`]'s output comes from.
pub fn paragraph_of_line(line: usize) -> usize {
    line.div_ceil(2)
}

/// The document's paragraphs as Markdown (see the module docs).
pub fn to_markdown(bytes: &[u8]) -> Result<String, DocxError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::Zip(e.to_string()))?;
    let styles = match read_part(&mut archive, "word/styles.xml")? {
        Some(xml) => read_styles(&xml)?,
        None => HashMap::new(),
    };
    let document = read_part(&mut archive, "word/document.xml")?.ok_or(DocxError::NoDocument)?;
    let paragraphs = read_paragraphs(&document, &styles)?;
    let mut out = String::new();
    for p in paragraphs {
        let text = p.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let line = match p.kind {
            _ if text.is_empty() => String::new(),
            Kind::Heading(level) => format!("{} {text}", "#".repeat(level.clamp(1, 6))),
            Kind::Item(depth) => format!("{}- {text}", "  ".repeat(depth.min(8))),
            Kind::Text if p.all_bold => format!("**{text}**"),
            Kind::Text => text,
        };
        out.push_str(&line);
        out.push_str("\n\n");
    }
    Ok(out)
}

fn read_part(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, DocxError> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(DocxError::Zip(e.to_string())),
    };
    let mut xml = String::new();
    let read = file.take(MAX_XML_BYTES + 1).read_to_string(&mut xml).map_err(|e| DocxError::Zip(e.to_string()))?;
    if read as u64 > MAX_XML_BYTES {
        return Err(DocxError::TooLarge);
    }
    Ok(Some(xml))
}

/// What a style makes of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Heading(usize),
    Item(usize),
    Text,
}

/// Style id → kind, from each style's name and outline level.
fn read_styles(xml: &str) -> Result<HashMap<String, Kind>, DocxError> {
    let mut reader = Reader::from_str(xml);
    let mut styles = HashMap::new();
    let mut current: Option<(String, Option<String>, Option<usize>)> = None;
    loop {
        let event = reader.read_event().map_err(|e| xml_error("styles.xml", &reader, e))?;
        match event {
            Event::Start(e) | Event::Empty(e) => match local(&e).as_str() {
                "style" => current = attr(&e, "styleId").map(|id| (id, None, None)),
                "name" => {
                    if let Some(style) = current.as_mut() {
                        style.1 = attr(&e, "val");
                    }
                }
                "outlineLvl" => {
                    if let Some(style) = current.as_mut() {
                        style.2 = attr(&e, "val").and_then(|v| v.parse::<usize>().ok());
                    }
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"style" => {
                if let Some((id, name, outline)) = current.take() {
                    let kind = style_kind(&id, name.as_deref().unwrap_or(""), outline);
                    styles.insert(id, kind);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(styles)
}

/// A style's kind from its id, name and outline level.
fn style_kind(id: &str, name: &str, outline: Option<usize>) -> Kind {
    let lower = format!("{} {}", id.to_ascii_lowercase(), name.to_lowercase());
    if lower.contains("title") && !lower.contains("subtitle") {
        return Kind::Heading(1);
    }
    if let Some(level) = outline.filter(|&l| l < 9) {
        return Kind::Heading(level + 1);
    }
    if lower.contains("heading") || lower.contains("überschrift") || lower.contains("titre") || lower.contains("título")
    {
        // The level is the first number ("heading 2" named by id `berschrift2`).
        let digits: String =
            lower.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
        let level = digits.parse::<usize>().unwrap_or(1);
        return Kind::Heading(level.clamp(1, 6));
    }
    if lower.contains("list") {
        return Kind::Item(0);
    }
    Kind::Text
}

struct Paragraph {
    kind: Kind,
    text: String,
    all_bold: bool,
}

/// The body's paragraphs, in order (table cells included).
fn read_paragraphs(xml: &str, styles: &HashMap<String, Kind>) -> Result<Vec<Paragraph>, DocxError> {
    let mut reader = Reader::from_str(xml);
    let mut paragraphs = Vec::new();
    // State of the paragraph being read.
    let mut open: Option<Paragraph> = None;
    let mut numbered: Option<usize> = None;
    let mut in_text = false;
    let mut run_bold = false;
    let mut bold_chars = 0usize;
    let mut chars = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| xml_error("document.xml", &reader, e))?;
        match event {
            Event::Start(e) => match local(&e).as_str() {
                "p" => {
                    open = Some(Paragraph { kind: Kind::Text, text: String::new(), all_bold: false });
                    numbered = None;
                    bold_chars = 0;
                    chars = 0;
                }
                "r" => run_bold = false,
                "t" => in_text = true,
                "numPr" => numbered = Some(numbered.unwrap_or(0)),
                _ => {}
            },
            Event::Empty(e) => match local(&e).as_str() {
                "pStyle" => {
                    if let (Some(p), Some(id)) = (open.as_mut(), attr(&e, "val")) {
                        p.kind = styles.get(&id).copied().unwrap_or_else(|| style_kind(&id, "", None));
                    }
                }
                "ilvl" => numbered = attr(&e, "val").and_then(|v| v.parse().ok()).or(Some(0)),
                "numId" if numbered.is_none() => numbered = Some(0),
                "b" => run_bold = attr(&e, "val").is_none_or(|v| v != "0" && v != "false"),
                "tab" | "br" | "cr" => {
                    if let Some(p) = open.as_mut() {
                        p.text.push(' ');
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => {
                if let Some(p) = open.as_mut() {
                    // Entities come as their own events (below), so this is plain text.
                    let text = t.decode().map_err(|e| xml_error("document.xml", &reader, e.into()))?;
                    let n = text.chars().filter(|c| !c.is_whitespace()).count();
                    chars += n;
                    if run_bold {
                        bold_chars += n;
                    }
                    p.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(p) = open.as_mut() {
                    let name = r.decode().map_err(|e| xml_error("document.xml", &reader, e.into()))?;
                    let entity = format!("&{name};");
                    if let Ok(text) = quick_xml::escape::unescape(&entity) {
                        chars += 1;
                        if run_bold {
                            bold_chars += 1;
                        }
                        p.text.push_str(&text);
                    }
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    if let Some(mut p) = open.take() {
                        if let (Some(depth), Kind::Text | Kind::Item(_)) = (numbered, p.kind) {
                            p.kind = Kind::Item(depth);
                        }
                        p.all_bold = chars > 0 && bold_chars == chars;
                        paragraphs.push(p);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(paragraphs)
}

fn local(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

/// An attribute by local name (`w:val` → `val`), unescaped.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name.as_bytes())
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn xml_error(part: &'static str, reader: &Reader<&[u8]>, error: quick_xml::Error) -> DocxError {
    DocxError::Xml { part, position: reader.buffer_position(), message: error.to_string() }
}

#[cfg(test)]
mod tests;
