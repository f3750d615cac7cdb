//! `rapporteur captions`: caption files and raw transcripts to timed transcripts.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::bail;
use rapporteur_captions::read::{self, Format, ReadOptions};
use rapporteur_captions::write::{self, OutputFormat, SegmentSink, WriteOptions};
use rapporteur_captions::CaptionError;
use rapporteur_core::{Diagnostic, Session};

use crate::output::{AtomicFile, UsageError};
use crate::Outcome;

const EXAMPLES: &str = "\
Examples:
  # Every format for two caption files, into out/
  rapporteur captions ws-12.vtt day2-main.txt --to vtt,srt,json,txt,md -o out/

  # A CART raw transcript read at 170 words per minute, as JSON on stdout
  rapporteur captions --speaking-rate 170 --to json -o - cart.txt

  # Follow a live caption file as it grows, printing segments as NDJSON
  tail -f live.txt | rapporteur captions --follow -

Exit status: 0 all inputs worked, 1 some failed (the others are still written), 2 usage error.";

/// Convert caption files (WebVTT, SRT, CART raw text, speaker-tagged text,
/// transcript JSON) to timed transcripts; the input format is detected from
/// the content.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Input files (`-` for standard input).
    #[arg(required_unless_present = "follow")]
    inputs: Vec<PathBuf>,

    /// Output formats, comma-separated: vtt, srt, json, txt, md.
    #[arg(long, value_delimiter = ',', default_value = "vtt,srt,json,txt,md")]
    to: Vec<String>,

    /// Output directory (`-` writes the one format given by --to to standard output).
    #[arg(short, long, required_unless_present = "follow")]
    output: Option<PathBuf>,

    /// Read inputs as this format instead of detecting it: vtt, srt, cart, text, json.
    #[arg(long)]
    format: Option<String>,

    /// Speaking rate in words per minute, for text without times (CART, plain text).
    #[arg(long, default_value_t = 150.0)]
    speaking_rate: f64,

    /// Follow a growing caption file (or `-` for standard input) and print
    /// segments as NDJSON as they complete.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["inputs", "output"])]
    follow: Option<PathBuf>,

    /// With --follow: stop after this many seconds without new input (a file
    /// that stops growing); without it, a file is followed until interrupted.
    #[arg(long, value_name = "SECS")]
    idle_exit: Option<f64>,
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if let Some(path) = &args.follow {
        return crate::commands::follow::run(path, args.idle_exit);
    }
    // Checked here: clap's `requires` lets it pass when --follow's conflicts are present.
    if args.idle_exit.is_some() {
        return Err(UsageError("--idle-exit only applies with --follow FILE".into()).into());
    }
    let formats = parse_formats(&args.to)?;
    let input_format = match &args.format {
        Some(name) => Some(Format::from_name(name).ok_or_else(|| {
            UsageError(format!("unknown input format `{name}`: use one of vtt, srt, cart, text, json"))
        })?),
        None => None,
    };
    if !(args.speaking_rate.is_finite() && args.speaking_rate > 0.0) {
        return Err(UsageError(format!(
            "--speaking-rate must be a positive number of words per minute, not {}",
            args.speaking_rate
        ))
        .into());
    }
    let read_options =
        ReadOptions { format: input_format, speaking_rate_wpm: args.speaking_rate, ..ReadOptions::default() };
    let write_options = WriteOptions::default();
    let output = args.output.expect("clap requires --output without --follow");

    if output.as_os_str() == "-" {
        if formats.len() != 1 || args.inputs.len() != 1 {
            return Err(UsageError(
                "`-o -` writes one input in one format to standard output: give one input and one --to format".into(),
            )
            .into());
        }
        let stdout = io::stdout().lock();
        let mut sink = write::sink(formats[0], stdout, &write_options);
        let mut outcome = Outcome { total: 1, failed: 0 };
        if let Err(e) = convert(&args.inputs[0], &read_options, &mut [sink.as_mut()]) {
            report_failure(&args.inputs[0], &e);
            outcome.failed = 1;
        }
        return Ok(outcome);
    }

    let names = output_stems(&args.inputs);
    let mut outcome = Outcome { total: args.inputs.len(), failed: 0 };
    for (input, stem) in args.inputs.iter().zip(&names) {
        match convert_to_files(input, stem, &output, &formats, &read_options, &write_options) {
            Ok(written) => {
                for path in written {
                    eprintln!("wrote {}", path.display());
                }
            }
            Err(e) => {
                report_failure(input, &e);
                outcome.failed += 1;
            }
        }
    }
    if outcome.failed > 0 && outcome.failed == outcome.total {
        eprintln!("all {} inputs failed; nothing was written", outcome.total);
    } else if outcome.failed > 0 {
        eprintln!(
            "{} of {} inputs failed; the others were written to {}",
            outcome.failed,
            outcome.total,
            output.display()
        );
    }
    Ok(outcome)
}

fn parse_formats(names: &[String]) -> anyhow::Result<Vec<OutputFormat>> {
    let mut formats = Vec::new();
    for name in names.iter().filter(|n| !n.trim().is_empty()) {
        let format = OutputFormat::from_name(name).ok_or_else(|| {
            UsageError(format!("unknown output format `{name}` in --to: use vtt, srt, json, txt, md"))
        })?;
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    if formats.is_empty() {
        bail!(UsageError("--to names no output format: use vtt, srt, json, txt, md".into()));
    }
    Ok(formats)
}

/// Output file stems: the input's stem, or its whole file name when two
/// inputs share a stem (`a.vtt` and `a.srt` give `a.vtt.json` and `a.srt.json`).
fn output_stems(inputs: &[PathBuf]) -> Vec<String> {
    let stem = |p: &PathBuf| {
        if p.as_os_str() == "-" {
            "stdin".to_string()
        } else {
            p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "input".into())
        }
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    for p in inputs {
        *counts.entry(stem(p)).or_default() += 1;
    }
    inputs
        .iter()
        .map(|p| {
            let s = stem(p);
            if counts[&s] > 1 {
                p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or(s)
            } else {
                s
            }
        })
        .collect()
}

fn convert_to_files(
    input: &Path,
    stem: &str,
    dir: &Path,
    formats: &[OutputFormat],
    read_options: &ReadOptions,
    write_options: &WriteOptions,
) -> Result<Vec<PathBuf>, ConvertError> {
    let mut files = Vec::new();
    for format in formats {
        let path = dir.join(format!("{stem}.{}", format.extension()));
        files.push(AtomicFile::create(&path).map_err(ConvertError::Output)?);
    }
    {
        let mut sinks: Vec<Box<dyn SegmentSink + '_>> =
            files.iter_mut().zip(formats).map(|(f, fmt)| write::sink(*fmt, f, write_options)).collect();
        let mut refs: Vec<&mut dyn SegmentSink> =
            sinks.iter_mut().map(|s| s.as_mut() as &mut dyn SegmentSink).collect();
        convert(input, read_options, &mut refs)?;
    }
    let mut written = Vec::new();
    for file in files {
        let path = file.path().to_path_buf();
        file.commit().map_err(ConvertError::Output)?;
        written.push(path);
    }
    Ok(written)
}

/// Why one input failed.
#[derive(Debug)]
enum ConvertError {
    Read(CaptionError),
    Write(io::Error),
    Output(anyhow::Error),
}

fn report_failure(input: &Path, error: &ConvertError) {
    let name = input.display();
    match error {
        ConvertError::Read(e) => {
            let d = Diagnostic::error(e.line(), strip_line_prefix(&e.to_string())).in_file(name.to_string());
            eprintln!("{d}");
        }
        ConvertError::Write(e) => eprintln!("{name}: error: cannot write output: {e}"),
        ConvertError::Output(e) => {
            let mut msg = format!("{name}: error: {e}");
            for cause in e.chain().skip(1) {
                msg.push_str(&format!(": {cause}"));
            }
            eprintln!("{msg}");
        }
    }
}

/// `line 12: message` → `message` (the diagnostic prints the line itself).
fn strip_line_prefix(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("line ") {
        if let Some((num, tail)) = rest.split_once(": ") {
            if num.chars().all(|c| c.is_ascii_digit()) {
                return tail.to_string();
            }
        }
    }
    message.to_string()
}

/// Streams one input into every sink.
fn convert(input: &Path, read_options: &ReadOptions, sinks: &mut [&mut dyn SegmentSink]) -> Result<(), ConvertError> {
    let name = input.display().to_string();
    let mut source = if input.as_os_str() == "-" {
        read::open(io::stdin(), "-", read_options).map_err(ConvertError::Read)?
    } else {
        let file = File::open(input).map_err(|e| ConvertError::Read(CaptionError::Io(e)))?;
        read::open(file, &name, read_options).map_err(ConvertError::Read)?
    };
    let mut session = source.session().clone();
    if session.id.is_empty() {
        let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        session.id = Session::id_from(&stem);
    }
    for sink in sinks.iter_mut() {
        sink.begin(&session).map_err(ConvertError::Write)?;
    }
    let mut count = 0usize;
    let mut stderr = io::stderr().lock();
    loop {
        let next = source.next_segment();
        for d in source.take_diagnostics() {
            let _ = writeln!(stderr, "{}", d.in_file(name.clone()));
        }
        match next.map_err(ConvertError::Read)? {
            Some(segment) => {
                count += 1;
                for sink in sinks.iter_mut() {
                    sink.segment(&segment).map_err(ConvertError::Write)?;
                }
            }
            None => break,
        }
    }
    if count == 0 && source.format() != Format::Json {
        return Err(ConvertError::Read(CaptionError::NoCues { format: source.format().name(), line: None }));
    }
    for sink in sinks.iter_mut() {
        sink.finish().map_err(ConvertError::Write)?;
    }
    Ok(())
}
