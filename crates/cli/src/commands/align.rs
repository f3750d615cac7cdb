//! `rapporteur align`: human captions put on a recording's timeline.

use std::io;
use std::path::PathBuf;

use anyhow::{bail, Context};
use rapporteur_asr::align::{align, asr_words, AlignOptions};
use rapporteur_captions::read::{self, Format, ReadOptions};
use rapporteur_captions::write::{self, OutputFormat, WriteOptions};

use crate::commands::transcribe::{parse_formats, transcribe_one, write_all, write_files, WhisperArgs};
use crate::output::UsageError;
use crate::Outcome;

const EXAMPLES: &str = "\
Examples:
  # The captioner's CART text of ws-12 on the recording's timeline
  rapporteur align ws-12-cart.txt ws-12.mp4 -o out/

  # Captions whose times are off (another clock, estimated), as SRT only
  rapporteur align captions.vtt recording.wav --to srt -o out/

  # Keep what Whisper heard too (out/<captions>.asr.json)
  rapporteur align cart.txt session.flac -o out/ --save-asr

The recording is transcribed with Whisper (see `rapporteur transcribe`); the
caption words and the recognised words are aligned (normalised words, global
alignment), each caption word takes the time of the word it is tied to and
the others are placed between their neighbours. The captioner's text and
speakers are kept; segments are marked `timing: aligned` (or `estimated` when
none of their words was found in the recording).

Exit status: 0 aligned, 1 failed (unreadable input, no words in common), 2 usage error.";

/// Put human captions (CART text, SRT, WebVTT, transcript JSON) on a
/// recording's timeline by aligning their words with Whisper's.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The captions: CART raw text, speaker-tagged text, SRT, WebVTT or transcript JSON.
    captions: PathBuf,

    /// The session's recording.
    recording: PathBuf,

    #[command(flatten)]
    whisper: WhisperArgs,

    /// The captions' format, when detection gets it wrong: vtt, srt, cart, text, json.
    #[arg(long)]
    format: Option<String>,

    /// Output formats, comma-separated: vtt, srt, json, txt, md.
    #[arg(long, value_delimiter = ',', default_value = "vtt,srt,json")]
    to: Vec<String>,

    /// Output directory (`-` writes the one format given by --to to standard output).
    #[arg(short, long)]
    output: PathBuf,

    /// Also write what Whisper heard, as <captions>.asr.json.
    #[arg(long)]
    save_asr: bool,
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let formats = parse_formats(&args.to)?;
    let to_stdout = args.output.as_os_str() == "-";
    if to_stdout && (formats.len() != 1 || args.save_asr) {
        bail!(UsageError("`-o -` writes one format to standard output: give one --to format and no --save-asr".into()));
    }
    let format = match args.format.as_deref() {
        None => None,
        Some(name) => Some(Format::from_name(name).ok_or_else(|| {
            UsageError(format!("unknown caption format `{name}` in --format: use vtt, srt, cart, text, json"))
        })?),
    };
    // The captions are read before the model is loaded: a bad file fails fast.
    let options = ReadOptions { format, ..ReadOptions::default() };
    let (captions, diagnostics) = read::read_path(&args.captions, &options).map_err(|e| {
        let at = e.line().map(|l| format!(":{l}")).unwrap_or_default();
        anyhow::anyhow!("{}{at}: {e}", args.captions.display())
    })?;
    for d in diagnostics {
        eprintln!("{}", d.in_file(args.captions.display().to_string()));
    }
    if !args.recording.is_file() {
        bail!("{}: no such file: give the session's recording", args.recording.display());
    }

    let transcriber = args.whisper.transcriber()?;
    let heard = transcribe_one(&transcriber, &args.recording)
        .with_context(|| format!("{}: cannot transcribe", args.recording.display()))?;
    let words = asr_words(&heard.transcript);
    let aligned = align(&captions, &words, &AlignOptions::default())
        .with_context(|| format!("cannot align {} with {}", args.captions.display(), args.recording.display()))?;
    let s = aligned.stats;
    eprintln!(
        "{}: {} caption words on the timeline of {}: {} matched, {} in place of a misrecognised word, {} placed \
         between their neighbours ({:.0}% tied to the recording); {} segments aligned, {} estimated; {} stray matches ignored",
        args.captions.display(),
        s.caption_words,
        args.recording.display(),
        s.matched,
        s.substituted,
        s.interpolated,
        s.coverage() * 100.0,
        s.aligned_segments,
        s.estimated_segments,
        s.stray,
    );
    if s.coverage() < 0.3 {
        eprintln!(
            "{}: warning: only {:.0}% of the caption words were found in the recording: are they the same session, \
             and is the language right?",
            args.captions.display(),
            s.coverage() * 100.0
        );
    }

    if to_stdout {
        let stdout = io::stdout().lock();
        let mut sink = write::sink(formats[0], stdout, &WriteOptions::default());
        write_all(&aligned.transcript, &mut [sink.as_mut()])?;
        return Ok(Outcome { total: 1, failed: 0 });
    }
    let stem = args.captions.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "captions".into());
    let mut written = write_files(&aligned.transcript, &stem, &args.output, &formats)?;
    if args.save_asr {
        written.extend(write_files(&heard.transcript, &format!("{stem}.asr"), &args.output, &[OutputFormat::Json])?);
    }
    for path in written {
        eprintln!("wrote {}", path.display());
    }
    Ok(Outcome { total: 1, failed: 0 })
}
