//! `rapporteur search`: query the search index from the command line.

use std::io::{self, Write};
use std::path::PathBuf;

use rapporteur_index::{DocKind, FacetCount, Filters, Hit, IndexError, SearchIndex, SearchRequest, SearchResults};

use crate::commands::index::DEFAULT_INDEX;
use crate::output::UsageError;
use crate::Outcome;

const EXAMPLES: &str = "\
Examples:
  rapporteur search '\"meaningful connectivity\"'
  rapporteur search 'local content' --track Inclusion --limit 5
  rapporteur search 'governments should' --kind recommendation --to json
  rapporteur search 'speaker:silva AND (data OR privacy)' --session ws-12

Query syntax: words (all must match), \"phrases\", AND, OR, NOT or -word,
field:value on title, text, quote, speaker, track, type, kind, room, date,
source, and start:[60000 TO 120000] (milliseconds).";

/// Search transcripts, sessions and findings in the index.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The query.
    query: String,
    /// Only this thematic track.
    #[arg(long)]
    track: Option<String>,
    /// Only findings of this kind (takeaway, recommendation, call_to_action, ...).
    #[arg(long)]
    kind: Option<String>,
    /// Only what this speaker said (the name as in the transcript; case does not matter).
    #[arg(long)]
    speaker: Option<String>,
    /// Only this session (its id).
    #[arg(long)]
    session: Option<String>,
    /// Only sessions, segments or findings.
    #[arg(long, value_parser = ["session", "segment", "finding"])]
    doc: Option<String>,
    /// Number of hits to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Output: text (for people) or json.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    to: String,
    /// Index folder.
    #[arg(long, default_value = DEFAULT_INDEX)]
    index: PathBuf,
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if args.limit == 0 || args.limit > rapporteur_index::MAX_LIMIT {
        return Err(UsageError(format!(
            "--limit must be from 1 to {}, not {}",
            rapporteur_index::MAX_LIMIT,
            args.limit
        ))
        .into());
    }
    let index = SearchIndex::open(&args.index)?;
    let filters = Filters {
        track: args.track,
        kind: args.kind,
        speaker: args.speaker,
        session: args.session,
        session_type: None,
        doc: args.doc.as_deref().and_then(DocKind::from_name),
    };
    let request = SearchRequest::new(args.query).with_filters(filters).with_limit(args.limit);
    let results = match index.search(&request) {
        Ok(results) => results,
        Err(e @ IndexError::Query { .. }) => return Err(UsageError(e.to_string()).into()),
        Err(e) => return Err(e.into()),
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.to == "json" {
        serde_json::to_writer_pretty(&mut out, &results)?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &results)?;
    }
    out.flush()?;
    Ok(Outcome { total: 1, failed: 0 })
}

/// Hits for people: where (session, time, speaker), then the snippet with
/// matches in brackets, then the facet counts.
pub fn write_text(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    let shown = results.hits.len();
    match results.total {
        0 => writeln!(out, "no results for {:?}", results.query)?,
        total if total == shown => writeln!(out, "{total} results for {:?}", results.query)?,
        total => writeln!(out, "{total} results for {:?}, showing the first {shown}", results.query)?,
    }
    for (n, hit) in results.hits.iter().enumerate() {
        writeln!(out)?;
        writeln!(out, "{}. {}", n + 1, where_line(hit))?;
        writeln!(out, "   {}", hit.snippet.marked("[", "]"))?;
    }
    let facets = &results.facets;
    let lists: [(&str, &[FacetCount]); 4] = [
        ("tracks", &facets.track),
        ("types", &facets.session_type),
        ("kinds", &facets.kind),
        ("speakers", &facets.speaker),
    ];
    if results.total > 0 {
        writeln!(out)?;
        for (name, counts) in lists {
            if counts.is_empty() {
                continue;
            }
            let shown: Vec<String> = counts.iter().take(8).map(|c| format!("{} ({})", c.value, c.count)).collect();
            let more = if counts.len() > 8 { format!(", and {} more", counts.len() - 8) } else { String::new() };
            writeln!(out, "{name}: {}{more}", shown.join(", "))?;
        }
    }
    Ok(())
}

fn where_line(hit: &Hit) -> String {
    let mut parts = vec![hit.session.clone()];
    if let Some(start) = hit.start {
        parts.push(start.to_clock());
    }
    match hit.doc {
        DocKind::Session => parts.push("session".into()),
        DocKind::Segment => {}
        DocKind::Finding => parts.push(hit.kind.clone().unwrap_or_else(|| "finding".into())),
    }
    if let Some(speaker) = &hit.speaker {
        parts.push(speaker.clone());
    }
    // A session hit's snippet is its title already.
    if let (Some(title), false) = (&hit.title, hit.doc == DocKind::Session) {
        parts.push(title.clone());
    }
    parts.join(" · ")
}
