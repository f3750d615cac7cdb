//! The index itself: open or create, replace a session, commit, search.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rapporteur_core::{Session, Time, Transcript};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument, TantivyError, Term};

use crate::documents::{findings_documents, findings_key, transcript_documents, transcript_key};
use crate::facets::FacetTables;
use crate::input::{FindingsInput, IndexInput};
use crate::request::MAX_LIMIT;
use crate::results::{Hit, SearchResults, Snippet};
use crate::schema::{self, label_term_text, Fields, ORDER_FIELD};
use crate::{DocKind, IndexError, SearchRequest};

/// Memory the writer may use before it flushes a segment to disk.
const WRITER_MEMORY_BYTES: usize = 64 * 1024 * 1024;
/// Title matches count a little more than the same words in one segment.
const TITLE_BOOST: f32 = 1.5;

/// Threads one search may use across the index's segments:
/// `RAPPORTEUR_SEARCH_THREADS`, else the cores (at most 4).
fn search_threads() -> usize {
    std::env::var("RAPPORTEUR_SEARCH_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
        .clamp(1, 4)
}

/// A search index of sessions, transcript segments and findings.
///
/// Reading needs no lock; the writer is created on the first change and
/// holds the folder's lock until the index is dropped. Changes become
/// visible to searches at [`SearchIndex::commit`].
pub struct SearchIndex {
    path: Option<PathBuf>,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    parser: QueryParser,
    /// Every segment's facet values by number, read once per segment.
    facets: FacetTables,
    writer: Mutex<Option<IndexWriter>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("path", &self.path).finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `path`, creating the folder and an empty index if needed.
    pub fn open_or_create(path: &Path) -> Result<SearchIndex, IndexError> {
        let (index, fields) = SearchIndex::open_index(path)?;
        SearchIndex::from_index(index, fields, Some(path.into()), search_threads())
    }

    fn open_index(path: &Path) -> Result<(Index, Fields), IndexError> {
        std::fs::create_dir_all(path).map_err(|source| IndexError::Io { path: path.into(), source })?;
        let directory = MmapDirectory::open(path)
            .map_err(|e| IndexError::Io { path: path.into(), source: std::io::Error::other(e.to_string()) })?;
        let (schema, fields) = schema::build();
        let index = Index::builder().schema(schema).open_or_create(directory).map_err(|e| match e {
            TantivyError::SchemaError(_) => IndexError::SchemaMismatch { path: path.into() },
            source => IndexError::Engine { context: "opening the index", source },
        })?;
        Ok((index, fields))
    }

    /// Opens an existing index for searching (and later writing).
    pub fn open(path: &Path) -> Result<SearchIndex, IndexError> {
        if !path.join("meta.json").is_file() {
            return Err(IndexError::NotFound { path: path.into() });
        }
        SearchIndex::open_or_create(path)
    }

    /// An index in memory (tests, previews).
    pub fn in_memory() -> Result<SearchIndex, IndexError> {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        SearchIndex::from_index(index, fields, None, 1)
    }

    /// Opens (or creates) the index in `path` with searches running on
    /// `threads` threads across segments (1: on the caller's thread), for
    /// measuring what the threads give.
    pub fn open_with_threads(path: &Path, threads: usize) -> Result<SearchIndex, IndexError> {
        let (index, fields) = SearchIndex::open_index(path)?;
        SearchIndex::from_index(index, fields, Some(path.into()), threads)
    }

    fn from_index(
        mut index: Index,
        fields: Fields,
        path: Option<PathBuf>,
        threads: usize,
    ) -> Result<SearchIndex, IndexError> {
        schema::register_tokenizers(&index);
        // A search visits every matching document (the count and the facets
        // need them all), segment by segment: run the segments on as many
        // threads as there are cores, so a query over a whole meeting's
        // index takes a fraction of one core's time in wall clock.
        if threads > 1 {
            index.set_multithread_executor(threads).map_err(IndexError::engine("starting the search threads"))?;
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(IndexError::engine("opening a reader"))?;
        let mut parser = QueryParser::for_index(&index, vec![fields.text, fields.title, fields.quote, fields.speaker]);
        // A search box is read the way people type into one: every word must match.
        parser.set_conjunction_by_default();
        parser.set_field_boost(fields.title, TITLE_BOOST);
        let facets = FacetTables::default();
        facets.refresh(&reader.searcher()).map_err(IndexError::engine("reading the facets"))?;
        Ok(SearchIndex { path, index, reader, fields, parser, facets, writer: Mutex::new(None) })
    }

    fn display_path(&self) -> PathBuf {
        self.path.clone().unwrap_or_else(|| PathBuf::from("(memory)"))
    }

    /// Runs `change` with the writer, creating it on first use.
    fn with_writer<T>(
        &self,
        change: impl FnOnce(&mut IndexWriter, &Fields) -> Result<T, IndexError>,
    ) -> Result<T, IndexError> {
        let mut guard = self
            .writer
            .lock()
            .map_err(|_| IndexError::Engine { context: "writing", source: TantivyError::Poisoned })?;
        if guard.is_none() {
            let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 2);
            let writer = self.index.writer_with_num_threads(threads, WRITER_MEMORY_BYTES).map_err(|e| match e {
                TantivyError::LockFailure(..) => IndexError::Locked { path: self.display_path() },
                source => IndexError::Engine { context: "opening the writer", source },
            })?;
            *guard = Some(writer);
        }
        match guard.as_mut() {
            Some(writer) => change(writer, &self.fields),
            None => Err(IndexError::Engine { context: "writing", source: TantivyError::Poisoned }),
        }
    }

    fn check_id(id: &str) -> Result<(), IndexError> {
        if Session::is_valid_id(id) {
            Ok(())
        } else {
            Err(IndexError::BadInput {
                what: format!(
                    "session id `{id}` is not valid: use 1 to 128 characters from A-Z a-z 0-9 - _ . (not starting with a dot)"
                ),
            })
        }
    }

    /// Replaces a session's transcript (its session document and segments);
    /// its findings stay. Visible after [`SearchIndex::commit`].
    pub fn replace_transcript(&self, transcript: &Transcript) -> Result<usize, IndexError> {
        SearchIndex::check_id(&transcript.session.id)?;
        self.with_writer(|writer, fields| {
            writer.delete_term(Term::from_field_text(fields.key, &transcript_key(&transcript.session.id)));
            let docs = transcript_documents(fields, transcript);
            let count = docs.len();
            for doc in docs {
                writer.add_document(doc).map_err(IndexError::engine("adding a segment"))?;
            }
            Ok(count)
        })
    }

    /// Replaces a session's findings; its transcript stays.
    pub fn replace_findings(&self, findings: &FindingsInput) -> Result<usize, IndexError> {
        SearchIndex::check_id(&findings.session.id)?;
        self.with_writer(|writer, fields| {
            writer.delete_term(Term::from_field_text(fields.key, &findings_key(&findings.session.id)));
            let docs = findings_documents(fields, findings);
            let count = docs.len();
            for doc in docs {
                writer.add_document(doc).map_err(IndexError::engine("adding a finding"))?;
            }
            Ok(count)
        })
    }

    /// Replaces whatever `input` is (a transcript or findings).
    pub fn replace(&self, input: &IndexInput) -> Result<usize, IndexError> {
        match input {
            IndexInput::Transcript(t) => self.replace_transcript(t),
            IndexInput::Findings(f) => self.replace_findings(f),
        }
    }

    /// Removes everything about a session.
    pub fn remove_session(&self, id: &str) -> Result<(), IndexError> {
        SearchIndex::check_id(id)?;
        self.with_writer(|writer, fields| {
            writer.delete_term(Term::from_field_text(fields.session, id));
            Ok(())
        })
    }

    /// Makes every change so far durable and visible to searches.
    pub fn commit(&self) -> Result<(), IndexError> {
        self.with_writer(|writer, _| {
            writer.commit().map_err(IndexError::engine("committing"))?;
            Ok(())
        })?;
        self.reload("reloading after a commit")
    }

    /// Makes the last commit visible and reads its new segments' facets.
    fn reload(&self, context: &'static str) -> Result<(), IndexError> {
        self.reader.reload().map_err(IndexError::engine(context))?;
        self.facets.refresh(&self.reader.searcher()).map_err(IndexError::engine("reading the facets"))
    }

    /// Drops uncommitted changes.
    pub fn rollback(&self) -> Result<(), IndexError> {
        self.with_writer(|writer, _| {
            writer.rollback().map_err(IndexError::engine("rolling back"))?;
            Ok(())
        })
    }

    /// Commits, then waits for background segment merges to end and releases
    /// the writer's lock (a command that is about to exit calls this).
    pub fn finish(&self) -> Result<(), IndexError> {
        self.commit()?;
        let writer = self.writer.lock().ok().and_then(|mut guard| guard.take());
        if let Some(writer) = writer {
            writer.wait_merging_threads().map_err(IndexError::engine("merging segments"))?;
        }
        self.reload("reloading after merges")
    }

    /// Segments a search goes through (the threads share them out).
    pub fn num_segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// Documents visible to searches.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn parse(&self, text: &str, lenient: bool) -> Result<(Box<dyn Query>, Vec<String>), IndexError> {
        if text.trim().is_empty() {
            return Ok((Box::new(AllQuery), Vec::new()));
        }
        if lenient {
            let (query, errors) = self.parser.parse_query_lenient(text);
            Ok((query, errors.iter().map(ToString::to_string).collect()))
        } else {
            let query = self
                .parser
                .parse_query(text)
                .map_err(|e| IndexError::Query { query: text.to_string(), message: e.to_string() })?;
            Ok((query, Vec::new()))
        }
    }

    fn label_filter(field: Field, value: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, &label_term_text(value)), IndexRecordOption::Basic))
    }

    fn build_query(&self, request: &SearchRequest) -> Result<(Box<dyn Query>, Vec<String>), IndexError> {
        let (user_query, warnings) = self.parse(&request.query, request.lenient)?;
        let f = &self.fields;
        let filters = &request.filters;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user_query)];
        let labels = [
            (f.track, filters.track.as_deref()),
            (f.kind, filters.kind.as_deref()),
            (f.speaker_key, filters.speaker.as_deref()),
            (f.session_type, filters.session_type.as_deref()),
            (f.doc, filters.doc.map(DocKind::name)),
        ];
        for (field, value) in labels {
            if let Some(value) = value {
                clauses.push((Occur::Must, SearchIndex::label_filter(field, value)));
            }
        }
        if let Some(session) = filters.session.as_deref() {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_text(f.session, session), IndexRecordOption::Basic)),
            ));
        }
        let query: Box<dyn Query> = if clauses.len() == 1 {
            clauses.pop().map(|(_, q)| q).unwrap_or_else(|| Box::new(AllQuery))
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        Ok((query, warnings))
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, IndexError> {
        let (query, warnings) = self.build_query(request)?;
        let searcher = self.reader.searcher();
        let limit = request.limit.clamp(1, MAX_LIMIT);
        let top = TopDocs::with_limit(limit).and_offset(request.offset).order_by((
            (SortBySimilarityScore, Order::Desc),
            (SortByStaticFastValue::<u64>::for_field(ORDER_FIELD), Order::Asc),
        ));
        let facets = self.facets.collector(&searcher).map_err(IndexError::engine("reading the facets"))?;
        let (total, top, counts) = searcher.search(&query, &(Count, top, facets)).map_err(|e| match e {
            // A lenient parse keeps `nosuchfield:*` as a query that fails only here.
            TantivyError::FieldNotFound(field) => {
                IndexError::Query { query: request.query.clone(), message: format!("there is no field `{field}`") }
            }
            source => IndexError::Engine { context: "searching", source },
        })?;

        let snippets = Snippets::new(&searcher, &*query, &self.fields, request.snippet_chars)?;
        let mut hits = Vec::with_capacity(top.len());
        for ((score, _order), address) in top.into_iter().take(request.limit) {
            let doc: TantivyDocument = searcher.doc(address).map_err(IndexError::engine("reading a hit"))?;
            hits.push(self.hit(&doc, score, &snippets));
        }
        Ok(SearchResults { query: request.query.clone(), total, hits, facets: self.facets.facets(&counts), warnings })
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, snippets: &Snippets) -> Hit {
        let f = &self.fields;
        let text_of = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string);
        let time_of = |field: Field| doc.get_first(field).and_then(|v| v.as_u64()).map(Time::from_millis);
        let kind = text_of(f.doc).as_deref().and_then(DocKind::from_name).unwrap_or(DocKind::Segment);
        let (text, snippet) = match kind {
            DocKind::Session => {
                let title = text_of(f.title).unwrap_or_default();
                let snippet = snippets.title.as_ref().map(|g| g.snippet(&title));
                (title, snippet)
            }
            DocKind::Segment | DocKind::Finding => {
                let text = text_of(f.text).unwrap_or_default();
                let snippet = snippets.text.as_ref().map(|g| g.snippet(&text));
                (text, snippet)
            }
        };
        let snippet = match snippet {
            Some(s) if !s.is_empty() => whole_or_fragment(&text, &s, snippets.max_chars),
            // Matched on another field (speaker, track): show the text's start.
            _ => Snippet { text: truncate_at_word(&text, snippets.max_chars), highlights: Vec::new() },
        };
        Hit {
            doc: kind,
            session: text_of(f.session).unwrap_or_default(),
            title: text_of(f.session_title),
            score,
            speaker: text_of(f.speaker),
            start: time_of(f.start),
            end: time_of(f.end),
            kind: text_of(f.kind),
            tracks: doc.get_all(f.track).filter_map(|v| v.as_str().map(str::to_string)).collect(),
            session_type: text_of(f.session_type),
            room: text_of(f.room),
            date: text_of(f.date),
            source: text_of(f.source),
            text,
            snippet,
        }
    }
}

/// Snippet generators for the fields hits are shown by.
struct Snippets {
    text: Option<SnippetGenerator>,
    title: Option<SnippetGenerator>,
    max_chars: usize,
}

impl Snippets {
    fn new(searcher: &Searcher, query: &dyn Query, fields: &Fields, max_chars: usize) -> Result<Snippets, IndexError> {
        let max_chars = max_chars.clamp(20, 2000);
        let make = |field: Field| -> Result<Option<SnippetGenerator>, IndexError> {
            let mut generator =
                SnippetGenerator::create(searcher, query, field).map_err(IndexError::engine("making snippets"))?;
            generator.set_max_num_chars(max_chars);
            Ok(Some(generator))
        };
        Ok(Snippets { text: make(fields.text)?, title: make(fields.title)?, max_chars })
    }
}

/// The whole text with its highlights when it is short (a segment usually
/// is), else tantivy's fragment with `…` where it was cut.
fn whole_or_fragment(text: &str, snippet: &tantivy::snippet::Snippet, max_chars: usize) -> Snippet {
    let range = snippet.fragment_range();
    let (prefix, shift, suffix) = if text.chars().count() <= max_chars {
        ("", range.start, "")
    } else {
        let prefix = if range.start > 0 { "…" } else { "" };
        let suffix = if range.end < text.len() { "…" } else { "" };
        (prefix, prefix.len(), suffix)
    };
    let highlights = snippet.highlighted().iter().map(|r| [r.start + shift, r.end + shift]).collect();
    let text = if shift == range.start && prefix.is_empty() {
        text.to_string()
    } else {
        format!("{prefix}{}{suffix}", snippet.fragment())
    };
    Snippet { text, highlights }
}

/// At most `max` characters of `text`, cut at a word boundary, with `…` when cut.
fn truncate_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > 0 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end())
}
