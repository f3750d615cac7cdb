//! `rapporteur extract`: transcripts and session reports → findings JSON and a
//! Markdown session-report draft per session.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use rapporteur_captions::read::{self, ReadOptions};
use rapporteur_core::{Diagnostic, Session, Transcript};
use rapporteur_extract::reports::{self, Report};
use rapporteur_extract::{draft, rules, Extractor, RuleSource, SessionInput, Tracks};

use crate::output::{AtomicFile, UsageError};
use crate::Outcome;

const EXAMPLES: &str = "\
Examples:
  # Findings and a report draft for two sessions (transcript + organisers' report)
  rapporteur extract ws-12.txt ws-12.md of-3.vtt --tracks igf2020.toml -o out/

  # An organisation's rules on top of the built-in set, one rule off, with explanations
  rapporteur extract day2/*.txt --rules org.toml --rules meeting.toml --disable igf.rec.wish --explain -o out/

Inputs: transcripts in any format `rapporteur captions` reads, and session reports (Markdown,
plain text, HTML) recognised by their headings (\"Key Takeaways\", \"Call to Action\", ...) or
named with --report. A transcript and a report with the same file stem are one session.
Outputs per session: <id>.findings.json and <id>.md.
Exit status: 0 all inputs worked, 1 some failed (the others are still written), 2 usage error.";

/// Find key takeaways, recommendations and calls to action in transcripts and
/// session reports.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Transcripts and session reports.
    #[arg(required_unless_present = "reports")]
    inputs: Vec<PathBuf>,

    /// A session report (Markdown, text or HTML), without detection.
    #[arg(long = "report", value_name = "FILE")]
    reports: Vec<PathBuf>,

    /// A rules file layered on the built-in rules (repeat: organisation, then meeting).
    #[arg(long = "rules", value_name = "FILE")]
    rules: Vec<PathBuf>,

    /// Switch off a rule by id (repeat, or comma-separated).
    #[arg(long = "disable", value_name = "ID", value_delimiter = ',')]
    disable: Vec<String>,

    /// Leave the built-in rules out (use only --rules files).
    #[arg(long)]
    no_builtin: bool,

    /// Thematic tracks of the meeting (TOML).
    #[arg(long, value_name = "FILE")]
    tracks: Option<PathBuf>,

    /// Session metadata (TOML: [[session]] with id, title, type, tracks, speakers).
    #[arg(long, value_name = "FILE")]
    meta: Option<PathBuf>,

    /// Attach the rule and the matched span to every finding.
    #[arg(long)]
    explain: bool,

    /// Outputs, comma-separated: json (findings), md (report draft).
    #[arg(long, value_delimiter = ',', default_value = "json,md")]
    to: Vec<String>,

    /// Output directory.
    #[arg(short, long)]
    output: PathBuf,
}

/// Loads the rule layers, printing every diagnostic; errors are a usage error.
pub fn load_rules(paths: &[PathBuf], disable: &[String], builtin: bool) -> anyhow::Result<rapporteur_extract::RuleSet> {
    let mut sources = Vec::new();
    for path in paths {
        let text = fs::read_to_string(path).with_context(|| format!("cannot read rules file {}", path.display()))?;
        sources.push(RuleSource::new(path.display().to_string(), text));
    }
    match rules::load(&sources, disable, builtin) {
        Ok((set, warnings)) => {
            for w in warnings {
                eprintln!("{w}");
            }
            Ok(set)
        }
        Err(e) => {
            for d in &e.diagnostics {
                eprintln!("{d}");
            }
            let errors = e.diagnostics.iter().filter(|d| d.severity == rapporteur_core::Severity::Error).count();
            Err(UsageError(format!(
                "the rules have {errors} error(s): fix them (`rapporteur rules check FILE` lists them)"
            ))
            .into())
        }
    }
}

pub fn load_tracks(path: &Path) -> anyhow::Result<Tracks> {
    let text = fs::read_to_string(path).with_context(|| format!("cannot read tracks file {}", path.display()))?;
    Tracks::from_toml(&text, &path.display().to_string()).map_err(|e| UsageError(e.to_string()).into())
}

fn load_meta(path: &Path) -> anyhow::Result<Vec<Session>> {
    let text = fs::read_to_string(path).with_context(|| format!("cannot read session metadata {}", path.display()))?;
    rapporteur_extract::meta::read_sessions(&text, &path.display().to_string())
        .map_err(|d| UsageError(d.to_string()).into())
}

fn stem_id(path: &Path) -> String {
    Session::id_from(&path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default())
}

/// The first 64 KiB of a file.
fn head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    fs::File::open(path)?.take(64 * 1024).read_to_end(&mut buf)?;
    Ok(buf)
}

fn read_report(path: &Path) -> anyhow::Result<Report> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path.display().to_string();
    reports::parse_bytes(&bytes, &name).map_err(|e| anyhow::anyhow!("{name}: error: {e}"))
}

fn read_transcript(path: &Path) -> anyhow::Result<(Transcript, Vec<Diagnostic>)> {
    read::read_path(path, &ReadOptions::default()).map_err(|e| {
        let message = e.to_string();
        anyhow::anyhow!("{}", Diagnostic::error(e.line(), message).in_file(path.display().to_string()))
    })
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let mut json = false;
    let mut md = false;
    for name in args.to.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match name {
            "json" => json = true,
            "md" => md = true,
            other => return Err(UsageError(format!("unknown output `{other}` in --to: use json, md")).into()),
        }
    }
    if !json && !md {
        return Err(UsageError("--to names no output: use json, md".into()).into());
    }
    let rules = load_rules(&args.rules, &args.disable, !args.no_builtin)?;
    let mut extractor = Extractor::new(rules).with_explain(args.explain);
    if let Some(path) = &args.tracks {
        extractor = extractor.with_tracks(load_tracks(path)?);
    }
    let meta = match &args.meta {
        Some(path) => load_meta(path)?,
        None => Vec::new(),
    };

    let mut outcome = Outcome { total: args.inputs.len() + args.reports.len(), failed: 0 };
    let fail = |path: &Path, error: &anyhow::Error| {
        let text = error.to_string();
        if text.starts_with(&path.display().to_string()) {
            eprintln!("{text}");
        } else {
            eprintln!("{}: error: {text}", path.display());
        }
    };
    // Sessions by id, in order of first appearance.
    let mut sessions: BTreeMap<usize, SessionInput> = BTreeMap::new();
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_stem: BTreeMap<String, usize> = BTreeMap::new();
    let mut pending_reports: Vec<(PathBuf, Report)> = Vec::new();
    for path in &args.inputs {
        let is_report = match head(path) {
            Ok(bytes) => reports::bytes_look_like_report(&bytes, &path.display().to_string()),
            Err(e) => {
                fail(path, &anyhow::Error::from(e).context("cannot read input"));
                outcome.failed += 1;
                continue;
            }
        };
        if is_report {
            match read_report(path) {
                Ok(r) => pending_reports.push((path.clone(), r)),
                Err(e) => {
                    fail(path, &e);
                    outcome.failed += 1;
                }
            }
            continue;
        }
        match read_transcript(path) {
            Ok((transcript, warnings)) => {
                for w in warnings {
                    eprintln!("{}", w.in_file(path.display().to_string()));
                }
                let id = transcript.session.id.clone();
                let index = *by_id.entry(id).or_insert(sessions.len());
                by_stem.entry(stem_id(path)).or_insert(index);
                let entry = sessions.entry(index).or_default();
                if entry.transcript.is_some() {
                    eprintln!(
                        "{}: warning: a second transcript of session `{}`: it replaces the first",
                        path.display(),
                        transcript.session.id
                    );
                }
                entry.session = transcript.session.clone();
                entry.transcript = Some(transcript);
            }
            Err(e) => {
                fail(path, &e);
                outcome.failed += 1;
            }
        }
    }
    for path in &args.reports {
        match read_report(path) {
            Ok(r) => pending_reports.push((path.clone(), r)),
            Err(e) => {
                fail(path, &e);
                outcome.failed += 1;
            }
        }
    }
    for (path, report) in pending_reports {
        let id = stem_id(&path);
        let index = by_id.get(&id).or_else(|| by_stem.get(&id)).copied().unwrap_or_else(|| {
            let i = sessions.len();
            by_id.insert(id.clone(), i);
            i
        });
        let entry = sessions.entry(index).or_default();
        if entry.session.id.is_empty() {
            entry.session = Session::new(id);
            entry.session.title = report.title.clone();
        }
        entry.reports.push(report);
    }
    let mut inputs: Vec<SessionInput> = sessions.into_values().collect();
    for input in &mut inputs {
        if let Some(m) = meta.iter().find(|m| m.id == input.session.id) {
            input.session = m.clone();
        }
    }

    let results = extractor.extract_inputs(&inputs);
    for found in &results {
        for d in &found.diagnostics {
            eprintln!("{d}");
        }
        let id = &found.session.id;
        let write = |name: String, content: &str| -> anyhow::Result<PathBuf> {
            let path = args.output.join(name);
            let mut file = AtomicFile::create(&path)?;
            file.write_all(content.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
            file.commit()?;
            Ok(path)
        };
        let mut written = Vec::new();
        if json {
            written.push(write(format!("{id}.findings.json"), &(found.to_json_pretty() + "\n")));
        }
        if md {
            written.push(write(format!("{id}.md"), &draft::to_markdown(found)));
        }
        for w in written {
            match w {
                Ok(path) => eprintln!("wrote {} ({} findings)", path.display(), found.findings.len()),
                Err(e) => {
                    crate::output::print_error_chain(&e);
                    outcome.failed += 1;
                }
            }
        }
    }
    if outcome.failed > 0 {
        eprintln!(
            "{} of {} inputs failed; the others were written to {}",
            outcome.failed.min(outcome.total),
            outcome.total,
            args.output.display()
        );
    }
    Ok(outcome)
}
