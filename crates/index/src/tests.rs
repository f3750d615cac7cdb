//! Unit tests on small indexes in memory and in temporary folders.

use std::path::Path;

use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript};

use crate::{
    read_json_str, DocKind, Filters, FindingInput, FindingsInput, IndexError, IndexInput, SearchIndex, SearchRequest,
    Snippet,
};

fn segment(start_s: u64, speaker: Option<&str>, text: &str) -> Segment {
    Segment::new(
        Time::from_millis(start_s * 1000),
        Time::from_millis(start_s * 1000 + 4000),
        speaker.map(str::to_string),
        text,
        Source::Caption,
        Timing::Exact,
    )
}

fn transcript(id: &str, title: &str, track: &str, segments: Vec<Segment>) -> Transcript {
    let mut session = Session::new(id);
    session.title = Some(title.into());
    session.tracks = vec![track.into()];
    session.session_type = Some("Workshop".into());
    session.room = Some("Room 3".into());
    session.date = Some("2020-11-12".into());
    Transcript { session, segments }
}

fn finding(kind: &str, text: &str, speaker: &str, start_s: u64) -> FindingInput {
    FindingInput {
        kind: kind.into(),
        text: text.into(),
        quote: text.into(),
        session: String::new(),
        speaker: Some(speaker.into()),
        start: Some(Time::from_millis(start_s * 1000)),
        end: Some(Time::from_millis(start_s * 1000 + 3000)),
        rule: "test".into(),
        track: None,
        score: 0.8,
        source: Source::Caption,
    }
}

fn corpus() -> (Transcript, Transcript, FindingsInput) {
    let a = transcript(
        "ws-1",
        "Data governance and development",
        "Data",
        vec![
            segment(0, Some("MODERATOR"), "Good morning and welcome to this workshop on data governance."),
            segment(10, Some("ANA SILVA"), "Governments should adopt open data policies with local communities."),
            segment(20, Some("ANA SILVA"), "Local content matters as much as connectivity."),
            segment(30, None, "(off microphone) Can you hear me?"),
        ],
    );
    let b = transcript(
        "ws-2",
        "Trust and cybersecurity norms",
        "Trust",
        vec![
            segment(5, Some("JOHN DOE"), "Cybersecurity norms need all stakeholders at the table."),
            segment(15, Some("JOHN DOE"), "Data protection is part of trust."),
        ],
    );
    let findings = FindingsInput {
        session: a.session.clone(),
        track: Some("Data".into()),
        findings: vec![
            finding("recommendation", "Governments should adopt open data policies.", "ANA SILVA", 10),
            finding("takeaway", "Local content matters as much as connectivity.", "ANA SILVA", 20),
        ],
    };
    (a, b, findings)
}

fn corpus_index() -> SearchIndex {
    let (a, b, findings) = corpus();
    let index = SearchIndex::in_memory().unwrap();
    index.replace_transcript(&a).unwrap();
    index.replace_transcript(&b).unwrap();
    index.replace_findings(&findings).unwrap();
    index.commit().unwrap();
    index
}

/// `(doc kind, session, start in seconds)` of every hit, in order.
fn hit_keys(index: &SearchIndex, request: &SearchRequest) -> Vec<(DocKind, String, Option<u64>)> {
    let results = index.search(request).unwrap();
    results.hits.iter().map(|h| (h.doc, h.session.clone(), h.start.map(|t| t.as_millis() / 1000))).collect()
}

fn request(query: &str, filters: Filters) -> SearchRequest {
    SearchRequest::new(query).with_filters(filters).with_limit(100)
}

#[test]
fn queries_and_filters_find_exactly_the_right_documents() {
    let index = corpus_index();
    let data = || Filters { track: Some("data".into()), ..Filters::default() };
    let segments = || Filters { doc: Some(DocKind::Segment), ..Filters::default() };
    // (query, filters, how many hits)
    let table: Vec<(&str, Filters, usize)> = vec![
        ("\"local content\"", Filters::default(), 2),
        ("\"content local\"", Filters::default(), 0),
        ("local", segments(), 2),
        // Stemming: "government" finds "Governments" (and "governance").
        ("governments", segments(), 2),
        ("government", segments(), 2),
        ("\"governments should\"", segments(), 1),
        ("data AND trust", Filters::default(), 1),
        ("cybersecurity OR connectivity", segments(), 2),
        ("data -governance", segments(), 1),
        ("speaker:silva", segments(), 2),
        ("track:trust", Filters::default(), 3),
        ("kind:recommendation", Filters::default(), 1),
        ("data", data(), 4),
        ("", Filters { kind: Some("TAKEAWAY".into()), ..Filters::default() }, 1),
        ("", Filters { speaker: Some("ana silva".into()), ..segments() }, 2),
        ("", Filters { session: Some("ws-2".into()), ..Filters::default() }, 3),
        ("", Filters { session: Some("WS-2".into()), ..Filters::default() }, 0),
        ("", Filters { session_type: Some("workshop".into()), doc: Some(DocKind::Session), ..Filters::default() }, 2),
        ("title:cybersecurity", Filters::default(), 1),
        ("start:[10000 TO 20000]", segments(), 3),
        ("nothing-like-this", Filters::default(), 0),
    ];
    for (query, filters, expected) in table {
        let results = index.search(&request(query, filters.clone())).unwrap();
        assert_eq!(results.total, expected, "query {query:?} with {filters:?}: {:#?}", results.hits);
        assert_eq!(results.hits.len(), expected, "query {query:?}");
    }
}

#[test]
fn hits_carry_times_speakers_and_highlighted_snippets() {
    let index = corpus_index();
    let results = index
        .search(&request("\"local content\"", Filters { doc: Some(DocKind::Segment), ..Filters::default() }))
        .unwrap();
    let hit = &results.hits[0];
    assert_eq!(hit.session, "ws-1");
    assert_eq!(hit.title.as_deref(), Some("Data governance and development"));
    assert_eq!(hit.speaker.as_deref(), Some("ANA SILVA"));
    assert_eq!(hit.start, Some(Time::from_millis(20_000)));
    assert_eq!(hit.end, Some(Time::from_millis(24_000)));
    assert_eq!(hit.tracks, vec!["Data".to_string()]);
    assert_eq!(hit.room.as_deref(), Some("Room 3"));
    assert_eq!(hit.snippet.marked("[", "]"), "[Local] [content] matters as much as connectivity.");
    assert_eq!(hit.snippet.to_html(), "<mark>Local</mark> <mark>content</mark> matters as much as connectivity.");
}

#[test]
fn facets_count_all_matches_by_value() {
    let index = corpus_index();
    let results = index.search(&request("", Filters::default()).with_limit(1)).unwrap();
    assert_eq!(results.total, 10);
    assert_eq!(results.hits.len(), 1);
    let counts = |list: &[crate::FacetCount]| list.iter().map(|c| (c.value.clone(), c.count)).collect::<Vec<_>>();
    assert_eq!(counts(&results.facets.track), vec![("Data".into(), 7), ("Trust".into(), 3)]);
    assert_eq!(counts(&results.facets.kind), vec![("recommendation".into(), 1), ("takeaway".into(), 1)]);
    assert_eq!(
        counts(&results.facets.speaker),
        vec![("ANA SILVA".into(), 5), ("JOHN DOE".into(), 3), ("MODERATOR".into(), 2)]
    );
    assert_eq!(counts(&results.facets.session_type), vec![("Workshop".into(), 10)]);
}

#[test]
fn facets_are_counted_across_segments_replacements_and_repeated_values() {
    let (mut a, b, findings) = corpus();
    // A repeated track counts once per document; a slash stays part of the value.
    a.session.tracks = vec!["Data".into(), "AI/ML".into(), "Data".into()];
    let index = SearchIndex::in_memory().unwrap();
    // One commit each: three segments, each with its own facet dictionary.
    index.replace_transcript(&a).unwrap();
    index.commit().unwrap();
    index.replace_transcript(&b).unwrap();
    index.commit().unwrap();
    index.replace_findings(&findings).unwrap();
    index.commit().unwrap();
    assert!(index.num_segments() >= 2, "{} segments", index.num_segments());
    let counts = |list: &[crate::FacetCount]| list.iter().map(|c| (c.value.clone(), c.count)).collect::<Vec<_>>();
    let facets = |query: &str| index.search(&request(query, Filters::default())).unwrap().facets;

    // ws-1's five documents have both tracks (Data once), its findings the
    // assigned track Data, ws-2's three Trust.
    let all = facets("");
    assert_eq!(counts(&all.track), vec![("Data".into(), 7), ("AI/ML".into(), 5), ("Trust".into(), 3)]);
    assert_eq!(counts(&all.speaker), vec![("ANA SILVA".into(), 5), ("JOHN DOE".into(), 3), ("MODERATOR".into(), 2)]);
    // Only matches count: `data` is in ws-1's title, two of its segments and
    // one finding, and in one segment of ws-2.
    let data = facets("data");
    assert_eq!(counts(&data.track), vec![("Data".into(), 4), ("AI/ML".into(), 3), ("Trust".into(), 1)]);
    assert_eq!(counts(&data.kind), vec![("recommendation".into(), 1)]);

    // Replaced documents no longer count; new values appear.
    a.session.tracks = vec!["Inclusion".into()];
    a.segments = vec![segment(0, Some("CHAIR"), "A completely new opening about spectrum.")];
    index.replace_transcript(&a).unwrap();
    index.commit().unwrap();
    let all = facets("");
    assert_eq!(counts(&all.track), vec![("Trust".into(), 3), ("Data".into(), 2), ("Inclusion".into(), 2)]);
    assert_eq!(counts(&all.speaker), vec![("JOHN DOE".into(), 3), ("ANA SILVA".into(), 2), ("CHAIR".into(), 2)]);
    index.remove_session("ws-2").unwrap();
    index.commit().unwrap();
    assert_eq!(counts(&facets("").track), vec![("Data".into(), 2), ("Inclusion".into(), 2)]);
}

#[test]
fn replacing_a_transcript_keeps_findings_and_drops_old_segments() {
    let index = corpus_index();
    let (mut a, _, _) = corpus();
    a.segments = vec![segment(0, Some("CHAIR"), "A completely new opening about spectrum.")];
    index.replace_transcript(&a).unwrap();
    index.commit().unwrap();
    let in_ws1 = |query: &str| {
        index.search(&request(query, Filters { session: Some("ws-1".into()), ..Filters::default() })).unwrap().total
    };
    assert_eq!(in_ws1("spectrum"), 1);
    assert_eq!(in_ws1("welcome"), 0);
    // The two findings still mention local content and open data.
    assert_eq!(in_ws1("\"local content\""), 1);
    assert_eq!(index.num_docs(), 2 + 3 + 2);

    index.remove_session("ws-1").unwrap();
    index.commit().unwrap();
    assert_eq!(in_ws1(""), 0);
    assert_eq!(index.num_docs(), 3);
}

#[test]
fn equal_scores_come_back_in_the_same_order_whatever_the_indexing_order() {
    let (a, b, findings) = corpus();
    let forward = SearchIndex::in_memory().unwrap();
    for t in [&a, &b] {
        forward.replace_transcript(t).unwrap();
        // One commit per session: several segments, as after incremental updates.
        forward.commit().unwrap();
    }
    forward.replace_findings(&findings).unwrap();
    forward.commit().unwrap();
    let backward = SearchIndex::in_memory().unwrap();
    backward.replace_findings(&findings).unwrap();
    backward.replace_transcript(&b).unwrap();
    backward.replace_transcript(&a).unwrap();
    backward.commit().unwrap();
    for query in ["", "data", "local OR trust", "speaker:silva"] {
        let r = request(query, Filters::default());
        assert_eq!(hit_keys(&forward, &r), hit_keys(&backward, &r), "query {query:?}");
    }
    // Pages are slices of the same order.
    let all = hit_keys(&forward, &request("", Filters::default()));
    let mut page = request("", Filters::default()).with_limit(3);
    page.offset = 3;
    assert_eq!(hit_keys(&forward, &page), all[3..6].to_vec());
}

#[test]
fn query_syntax_errors_are_errors_unless_lenient() {
    let index = corpus_index();
    let err = index.search(&SearchRequest::new("speaker:")).unwrap_err();
    assert!(matches!(err, IndexError::Query { .. }), "{err}");
    assert!(err.to_string().contains("speaker:"), "{err}");
    let err = index.search(&SearchRequest::new("nosuchfield:x")).unwrap_err();
    assert!(err.to_string().contains("nosuchfield"), "{err}");

    let mut lenient = SearchRequest::new("\"local content");
    lenient.lenient = true;
    let results = index.search(&lenient).unwrap();
    assert!(results.total > 0);
}

#[test]
fn invalid_session_ids_are_refused() {
    let index = SearchIndex::in_memory().unwrap();
    let t = transcript("../etc", "x", "Data", vec![]);
    assert!(matches!(index.replace_transcript(&t), Err(IndexError::BadInput { .. })));
    assert!(matches!(index.remove_session("a/b"), Err(IndexError::BadInput { .. })));
}

#[test]
fn an_index_on_disk_survives_reopening_and_locks_its_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    assert!(matches!(SearchIndex::open(&path), Err(IndexError::NotFound { .. })));
    {
        let index = SearchIndex::open_or_create(&path).unwrap();
        let (a, _, _) = corpus();
        index.replace_transcript(&a).unwrap();
        index.commit().unwrap();
        // A second writer on the same folder waits its turn.
        let other = SearchIndex::open(&path).unwrap();
        assert!(matches!(other.remove_session("ws-1"), Err(IndexError::Locked { .. })));
        index.finish().unwrap();
    }
    let reopened = SearchIndex::open(&path).unwrap();
    assert_eq!(reopened.search(&SearchRequest::new("welcome")).unwrap().total, 1);
    assert_eq!(reopened.num_docs(), 5);
}

#[test]
fn json_inputs_are_told_apart_by_their_keys() {
    let path = Path::new("x.json");
    let (a, _, _) = corpus();
    let json = a.to_json_string().unwrap();
    assert_eq!(read_json_str(&json, path).unwrap(), Some(IndexInput::Transcript(a)));

    let findings = r#"{"session": {"id": "ws-9"}, "track": "Data", "findings": [
        {"kind": "takeaway", "text": "T.", "quote": "T.", "session": "ws-9", "speaker": null,
         "start": 1.5, "end": null, "rule": "r", "track": null, "track_confidence": null,
         "score": 0.5, "source": "report"}]}"#;
    match read_json_str(findings, path).unwrap() {
        Some(IndexInput::Findings(f)) => {
            assert_eq!(f.session.id, "ws-9");
            assert_eq!(f.findings[0].start, Some(Time::from_millis(1500)));
            assert_eq!(f.findings[0].source, Source::Report);
        }
        other => panic!("not findings: {other:?}"),
    }
    assert_eq!(read_json_str(r#"{"sessions": []}"#, path).unwrap(), None);
    assert_eq!(read_json_str("[1, 2]", path).unwrap(), None);

    let err = read_json_str("{\n  \"session\": {\"id\": \"a\"},\n  \"segments\": 7\n}", path).unwrap_err();
    assert!(matches!(err, IndexError::Json { line: 3, .. }), "{err}");
    let err = read_json_str(r#"{"session": {"id": "../x"}, "segments": []}"#, path).unwrap_err();
    assert!(matches!(err, IndexError::BadInput { .. }), "{err}");
}

#[test]
fn snippets_escape_html() {
    let snippet = Snippet { text: "a <b> & \"c\"".into(), highlights: vec![[2, 5]] };
    assert_eq!(snippet.to_html(), "a <mark>&lt;b&gt;</mark> &amp; &quot;c&quot;");
}

proptest::proptest! {
    #[test]
    fn snippet_rendering_never_panics_and_keeps_the_text(
        text in "\\PC{0,40}",
        ranges in proptest::collection::vec((0usize..60, 0usize..60), 0..4),
    ) {
        let snippet = Snippet { text: text.clone(), highlights: ranges.iter().map(|&(a, b)| [a, b]).collect() };
        let _ = snippet.to_html();
        // With empty markers the text comes back whole: valid ranges add
        // nothing, invalid ones (reversed, overlapping, mid-character) are skipped.
        proptest::prop_assert_eq!(snippet.marked("", ""), text);
    }

    #[test]
    fn reading_any_json_text_never_panics(text in "\\PC{0,200}") {
        let _ = read_json_str(&text, Path::new("x.json"));
    }

    #[test]
    fn any_query_text_gives_results_or_a_query_error(query in "[a-z\"():*+\\-\\[\\] ]{0,24}") {
        let index = corpus_index();
        match index.search(&SearchRequest::new(query.clone())) {
            Ok(_) | Err(IndexError::Query { .. }) => {}
            Err(other) => proptest::prop_assert!(false, "query {:?}: {}", query, other),
        }
        let mut lenient = SearchRequest::new(query);
        lenient.lenient = true;
        // Lenient reading drops what it cannot parse; only a field that does
        // not exist still fails, as a query error.
        match index.search(&lenient) {
            Ok(_) | Err(IndexError::Query { .. }) => {}
            Err(other) => proptest::prop_assert!(false, "lenient {:?}: {}", lenient.query, other),
        }
    }
}
