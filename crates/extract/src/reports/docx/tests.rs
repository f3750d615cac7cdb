use std::io::Write;

use super::*;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

/// A DOCX archive with the given body paragraphs and styles part.
fn docx(body: &str, styles: Option<&str>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    write!(zip, r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#)
        .unwrap();
    if let Some(styles) = styles {
        zip.start_file("word/styles.xml", options).unwrap();
        write!(zip, r#"<?xml version="1.0"?><w:styles {W}>{styles}</w:styles>"#).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn p(style: Option<&str>, text: &str) -> String {
    let style = style.map(|s| format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#)).unwrap_or_default();
    format!("<w:p>{style}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn numbered(level: usize, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

#[test]
fn headings_items_bold_lines_and_tables_become_markdown() {
    let body = [
        p(Some("Title"), "Session report: WS #12"),
        p(Some("Heading1"), "Key Takeaways"),
        numbered(0, "Meaningful connectivity needs local content."),
        numbered(1, "Community networks &amp; cooperatives help."),
        r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Call to Action</w:t></w:r></w:p>"#.to_string(),
        format!("<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>", p(Some("ListBullet"), "Governments should fund them.")),
        r#"<w:p><w:r><w:t>Split</w:t></w:r><w:r><w:tab/><w:t>runs</w:t></w:r><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t> join.</w:t></w:r></w:p>"#
            .to_string(),
    ]
    .concat();
    let markdown = to_markdown(&docx(&body, None)).unwrap();
    assert_eq!(
        markdown,
        "# Session report: WS #12\n\n# Key Takeaways\n\n- Meaningful connectivity needs local content.\n\n  \
         - Community networks & cooperatives help.\n\n**Call to Action**\n\n- Governments should fund them.\n\n\
         Split runs join.\n\n"
    );
}

#[test]
fn localised_style_ids_are_looked_up_in_the_styles_part() {
    let styles = r#"<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/></w:style>
        <w:style w:type="paragraph" w:styleId="Aufzhlung"><w:name w:val="List Bullet"/></w:style>
        <w:style w:type="paragraph" w:styleId="Custom"><w:name w:val="Report section"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>"#;
    let body = [
        p(Some("berschrift2"), "Policy recommendations"),
        p(Some("Aufzhlung"), "Adopt open standards."),
        p(Some("Custom"), "Annex"),
    ]
    .concat();
    let markdown = to_markdown(&docx(&body, Some(styles))).unwrap();
    assert_eq!(markdown, "## Policy recommendations\n\n- Adopt open standards.\n\n# Annex\n\n");
}

#[test]
fn a_docx_report_gives_findings_with_paragraph_positions() {
    let body = [
        p(Some("Heading1"), "Key Takeaways"),
        numbered(0, "Local content matters as much as access."),
        p(Some("Heading1"), "Call to Action"),
        numbered(0, "Join the dynamic coalition on community connectivity."),
    ]
    .concat();
    let report = crate::reports::parse_bytes(&docx(&body, None), "ws-12.docx").unwrap();
    let items: Vec<(&str, &str, usize)> =
        report.items.iter().map(|i| (i.kind.as_str(), i.text.as_str(), i.line)).collect();
    assert_eq!(
        items,
        [
            ("takeaway", "Local content matters as much as access.", 2),
            ("call_to_action", "Join the dynamic coalition on community connectivity.", 4)
        ]
    );
}

#[test]
fn broken_archives_are_clear_errors() {
    let not_zip = to_markdown(b"PK\x03\x04 truncated").unwrap_err().to_string();
    assert!(not_zip.contains("not a readable DOCX file"), "{not_zip}");

    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default()).unwrap();
    let other = zip.finish().unwrap().into_inner();
    assert!(matches!(to_markdown(&other), Err(DocxError::NoDocument)));

    let bad_xml = docx("<w:p><w:r><w:t>open</w:r></w:p>", None);
    let message = to_markdown(&bad_xml).unwrap_err().to_string();
    assert!(message.starts_with("word/document.xml is not well-formed XML at byte"), "{message}");
}

#[test]
fn any_bytes_never_panic() {
    use proptest::prelude::*;
    proptest!(ProptestConfig::with_cases(200), |(tail in proptest::collection::vec(any::<u8>(), 0..400))| {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend(tail);
        let _ = to_markdown(&bytes);
    });
}
