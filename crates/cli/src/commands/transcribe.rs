//! `rapporteur transcribe`: recordings to timed transcripts with Whisper.

use std::collections::HashMap;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::bail;
use indicatif::{ProgressBar, ProgressStyle};
use rapporteur_asr::audio::AudioStream;
use rapporteur_asr::transcribe::engine::{Engine, Fallback, LoadOptions};
use rapporteur_asr::transcribe::glossary::{Glossary, GlossaryError, TokenizerJson, MAX_PROMPT_TOKENS};
use rapporteur_asr::transcribe::{
    ThreadPlan, TranscribeError, TranscribeOptions, Transcriber, Transcription, RUN_WINDOWS,
};
use rapporteur_captions::write::{self, OutputFormat, SegmentSink, WriteOptions};
use rapporteur_core::{Session, Transcript};

use crate::commands::models::{model_dirs, tokenizer_path};
use crate::output::{AtomicFile, UsageError};
use crate::Outcome;

const DEFAULT_MODEL: &str = "ggml-tiny.en.bin";

const EXAMPLES: &str = "\
Examples:
  # Every format for two recordings, into out/
  rapporteur transcribe ws-12.mp3 main-session.mp4 -o out/

  # A French session with the multilingual model and the IGF glossary
  rapporteur transcribe --model models/ggml-base.bin --language fr --glossary igf ws-7.opus -o out/

  # JSON on standard output
  rapporteur transcribe --to json -o - talk.wav

Audio: WAV, FLAC, MP3, Ogg Vorbis and AAC/M4A/MP4 are decoded in process;
Opus, WebM, MKV and other video need ffmpeg. Install models with
scripts/install-models.sh (tiny.en; --base for the multilingual base model).

Exit status: 0 all inputs worked, 1 some failed (the others are still written), 2 usage error.";

/// Transcribe recordings with Whisper (whisper.cpp, on the CPU): speech is
/// cut at pauses into chunks decoded in parallel, with word-level times.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Recordings to transcribe.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,

    #[command(flatten)]
    whisper: WhisperArgs,

    /// Output formats, comma-separated: vtt, srt, json, txt, md.
    #[arg(long, value_delimiter = ',', default_value = "vtt,srt,json,txt,md")]
    to: Vec<String>,

    /// Output directory (`-` writes the one format given by --to to standard output).
    #[arg(short, long)]
    output: PathBuf,
}

/// How to run Whisper (shared by `transcribe` and `align`).
#[derive(Debug, Clone, clap::Args)]
pub struct WhisperArgs {
    /// The ggml Whisper model (default: ggml-tiny.en.bin in ./models or $RAPPORTEUR_MODELS).
    #[arg(long)]
    model: Option<PathBuf>,

    /// Language code (en, fr, es, ...); multilingual models detect it when omitted.
    #[arg(long)]
    language: Option<String>,

    /// Glossary TOML of terms to prime Whisper with (`igf` for the built-in IGF glossary).
    #[arg(long)]
    glossary: Option<PathBuf>,

    /// Threads in all (default: every core).
    #[arg(long)]
    threads: Option<usize>,

    /// Chunks decoded at once (default: one per thread; the threads are shared out among them).
    #[arg(long)]
    workers: Option<usize>,

    /// Beam size (1 is greedy decoding, the fastest).
    #[arg(long, default_value_t = 1)]
    beam: usize,

    /// Whisper hears full 30-second windows instead of an audio context fitted to each (slower).
    #[arg(long)]
    full_audio_ctx: bool,

    /// Word times from cross-attention alignment (DTW) instead of whisper.cpp's token timestamps.
    #[arg(long)]
    dtw: bool,

    /// Attention in whisper.cpp's flash-attention kernels (slower on the CPU; not with --dtw).
    #[arg(long)]
    flash_attn: bool,

    /// Temperature step of the fallback that decodes a looping or improbable window again (0: once).
    #[arg(long, default_value_t = 0.2)]
    temperature_step: f32,

    /// Decode every window on its own, without the previous window's text as context.
    #[arg(long)]
    no_context: bool,
}

impl WhisperArgs {
    /// Loads the model and checks the options (usage errors for bad ones).
    pub fn transcriber(&self) -> anyhow::Result<Transcriber> {
        if self.beam == 0 {
            bail!(UsageError("--beam must be at least 1".into()));
        }
        let threads = match self.threads {
            Some(0) => bail!(UsageError("--threads must be at least 1".into())),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let plan = match self.workers {
            Some(0) => bail!(UsageError("--workers must be at least 1".into())),
            Some(w) => ThreadPlan { workers: w.min(threads), whisper_threads: (threads / w.min(threads)).max(1) },
            None => ThreadPlan::for_threads(threads),
        };
        let language = self.language.clone().filter(|l| l != "auto");

        let model = find_model(self.model.as_deref())?;
        if !(0.0..=1.0).contains(&self.temperature_step) {
            bail!(UsageError("--temperature-step must be between 0 and 1".into()));
        }
        let load = LoadOptions { dtw: self.dtw, flash_attn: self.flash_attn && !self.dtw };
        let engine = Engine::load_with(&model, &load)?;
        let prompt = match &self.glossary {
            Some(path) => Some(glossary_prompt(path, &model, &engine)?),
            None => None,
        };
        let options = TranscribeOptions {
            language,
            threads: plan,
            prompt,
            beam_size: self.beam,
            fit_audio_ctx: !self.full_audio_ctx,
            fallback: Fallback { temperature_step: self.temperature_step, ..Fallback::default() },
            context_run: if self.no_context { 1 } else { RUN_WINDOWS },
            ..TranscribeOptions::default()
        };
        let transcriber = match Transcriber::new(engine, options) {
            Ok(t) => t,
            Err(TranscribeError::Options(message)) => bail!(UsageError(message)),
            Err(e) => return Err(e.into()),
        };
        let h = transcriber.engine().hparams();
        eprintln!(
            "model {} ({} {}), {} worker(s) × {} thread(s)",
            model.display(),
            h.model_type(),
            h.weight_type(),
            plan.workers,
            plan.whisper_threads
        );
        Ok(transcriber)
    }
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let formats = parse_formats(&args.to)?;
    let to_stdout = args.output.as_os_str() == "-";
    if to_stdout && (formats.len() != 1 || args.inputs.len() != 1) {
        bail!(UsageError(
            "`-o -` writes one input in one format to standard output: give one input and one --to format".into()
        ));
    }
    let transcriber = args.whisper.transcriber()?;

    let stems = output_stems(&args.inputs);
    let mut outcome = Outcome { total: args.inputs.len(), failed: 0 };
    for (input, stem) in args.inputs.iter().zip(&stems) {
        let result = if to_stdout {
            transcribe_one(&transcriber, input).and_then(|t| {
                let stdout = io::stdout().lock();
                let mut sink = write::sink(formats[0], stdout, &WriteOptions::default());
                write_all(&t.transcript, &mut [sink.as_mut()])?;
                Ok(Vec::new())
            })
        } else {
            transcribe_one(&transcriber, input).and_then(|t| write_files(&t.transcript, stem, &args.output, &formats))
        };
        match result {
            Ok(written) => {
                for path in written {
                    eprintln!("wrote {}", path.display());
                }
            }
            Err(e) => {
                let mut line = format!("{}: error: {e}", input.display());
                for cause in e.chain().skip(1) {
                    line.push_str(&format!(": {cause}"));
                }
                eprintln!("{line}");
                outcome.failed += 1;
            }
        }
    }
    if outcome.failed > 0 {
        eprintln!("{} of {} inputs failed; the others were written", outcome.failed, outcome.total);
    }
    Ok(outcome)
}

/// The model to use: `--model`, else the default name in the model directories.
pub fn find_model(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(path) = given {
        if !path.is_file() {
            bail!("model {} not found: give a ggml Whisper model file (see `rapporteur models list`)", path.display());
        }
        return Ok(path.to_path_buf());
    }
    let dirs = model_dirs();
    for dir in &dirs {
        let candidate = dir.join(DEFAULT_MODEL);
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    let searched: Vec<String> = dirs.iter().map(|d| d.join(DEFAULT_MODEL).display().to_string()).collect();
    bail!("no Whisper model: {} not found; run scripts/install-models.sh or give --model", searched.join(" or "))
}

/// The glossary's prompt, measured with the model's tokenizer.json when it
/// was installed beside the model, else with whisper.cpp's own tokenizer.
pub fn glossary_prompt(path: &Path, model: &Path, engine: &Engine) -> anyhow::Result<String> {
    let glossary = Glossary::load(path)?;
    let tokenizer_file = tokenizer_path(model);
    let (prompt, dropped) = if tokenizer_file.is_file() {
        let tokenizer = TokenizerJson::load(&tokenizer_file)?;
        glossary.build_prompt(MAX_PROMPT_TOKENS, |text| tokenizer.count(text))?
    } else {
        glossary.build_prompt(MAX_PROMPT_TOKENS, |text| {
            engine
                .tokenize(&format!(" {text}"), 1024)
                .map(|t| t.len())
                .map_err(|e| GlossaryError::Tokenizer { path: model.to_path_buf(), message: e.to_string() })
        })?
    };
    if !dropped.is_empty() {
        eprintln!(
            "warning: glossary {}: {} terms do not fit Whisper's {MAX_PROMPT_TOKENS}-token prompt and are left out: {}",
            path.display(),
            dropped.len(),
            dropped.join(", ")
        );
    }
    Ok(prompt)
}

/// Transcribes one recording, with a progress bar on a terminal and a summary line on stderr.
pub fn transcribe_one(transcriber: &Transcriber, input: &Path) -> anyhow::Result<Transcription> {
    let started = Instant::now();
    let mut stream = AudioStream::open(input)?;
    let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let session = Session::new(Session::id_from(&stem));
    let bar = io::stderr().is_terminal().then(|| progress_bar(stream.duration_secs(), input));
    let report = |secs: f64| {
        if let Some(bar) = &bar {
            bar.set_position((secs * 1000.0) as u64);
        }
    };
    let result = transcriber.transcribe(&mut stream, session, &report);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let t = result?;
    for warning in &t.warnings {
        eprintln!("{}: warning: {warning}", input.display());
    }
    let elapsed = started.elapsed().as_secs_f64();
    let g = t.guards;
    eprintln!(
        "{}: {:.1} s of audio, {:.1} s of speech in {} chunks, {} segments, language {}, {:.1} s (real-time factor {:.2}){}",
        input.display(),
        t.audio_secs,
        t.speech_secs,
        t.chunks,
        t.transcript.segments.len(),
        t.language.as_deref().unwrap_or("unknown"),
        elapsed,
        if t.audio_secs > 0.0 { elapsed / t.audio_secs } else { 0.0 },
        if g.no_speech + g.annotations + g.repetitions + g.known_phrases > 0 {
            format!(
                "; guards removed {} no-speech, {} annotation, {} repetition, {} known-phrase segments",
                g.no_speech, g.annotations, g.repetitions, g.known_phrases
            )
        } else {
            String::new()
        }
    );
    Ok(t)
}

fn progress_bar(duration: Option<f64>, input: &Path) -> ProgressBar {
    let name = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match duration {
        Some(secs) => {
            let bar = ProgressBar::new((secs * 1000.0) as u64);
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {percent}% of the audio, {elapsed} elapsed, eta {eta}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(name);
            bar
        }
        None => {
            let bar = ProgressBar::new_spinner();
            bar.set_message(format!("{name}: transcribing"));
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            bar
        }
    }
}

/// Streams a transcript into every sink.
pub fn write_all(t: &Transcript, sinks: &mut [&mut dyn SegmentSink]) -> anyhow::Result<()> {
    for sink in sinks.iter_mut() {
        sink.begin(&t.session)?;
    }
    for segment in &t.segments {
        for sink in sinks.iter_mut() {
            sink.segment(segment)?;
        }
    }
    for sink in sinks.iter_mut() {
        sink.finish()?;
    }
    Ok(())
}

/// One temporary file per output, renamed into place only when all are written.
pub fn write_files(t: &Transcript, stem: &str, dir: &Path, formats: &[OutputFormat]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for format in formats {
        files.push(AtomicFile::create(&dir.join(format!("{stem}.{}", format.extension())))?);
    }
    {
        let options = WriteOptions::default();
        let mut sinks: Vec<Box<dyn SegmentSink + '_>> =
            files.iter_mut().zip(formats).map(|(f, fmt)| write::sink(*fmt, f, &options)).collect();
        let mut refs: Vec<&mut dyn SegmentSink> =
            sinks.iter_mut().map(|s| s.as_mut() as &mut dyn SegmentSink).collect();
        write_all(t, &mut refs)?;
    }
    let mut written = Vec::new();
    for file in files {
        written.push(file.path().to_path_buf());
        file.commit()?;
    }
    Ok(written)
}

/// The `--to` formats, in order, without repeats.
pub fn parse_formats(names: &[String]) -> anyhow::Result<Vec<OutputFormat>> {
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

/// Output file stems: the input's stem, or its whole file name when two inputs share a stem.
fn output_stems(inputs: &[PathBuf]) -> Vec<String> {
    let stem = |p: &PathBuf| p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "input".into());
    let mut counts: HashMap<String, usize> = HashMap::new();
    for p in inputs {
        *counts.entry(stem(p)).or_default() += 1;
    }
    inputs
        .iter()
        .map(|p| {
            let s = stem(p);
            if counts.get(&s).copied().unwrap_or(0) > 1 {
                p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or(s)
            } else {
                s
            }
        })
        .collect()
}
