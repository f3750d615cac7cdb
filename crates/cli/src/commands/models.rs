//! `rapporteur models`: install (convert) and list Whisper models.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rapporteur_asr::convert::vocab::TokenBytes;
use rapporteur_asr::convert::{self, ImportOptions, WeightType};
use rapporteur_asr::model::ModelHeader;

use crate::output::{AtomicFile, UsageError};
use crate::Outcome;

const EXAMPLES: &str = "\
Examples:
  # Convert the faster-whisper tiny.en package (what scripts/install-models.sh does)
  rapporteur models import models/cache/ct2-tiny.en -o models/ggml-tiny.en.bin

  # The same, quantised to 8 bits (about half the size)
  rapporteur models import models/cache/ct2-tiny.en -o models/ggml-tiny.en-q8_0.bin --q8_0

  # What is installed
  rapporteur models list

Models are looked for in ./models and in the directory $RAPPORTEUR_MODELS names.";

/// Install and list the Whisper models `rapporteur transcribe` uses.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Convert a CTranslate2 (faster-whisper) Whisper model directory to a
    /// ggml file whisper.cpp loads. The directory holds model.bin (or
    /// model.bin.part1, .part2, ...) and vocabulary.txt or tokenizer.json.
    Import {
        /// The CTranslate2 model directory.
        ct2_dir: PathBuf,
        /// The ggml file to write (for example models/ggml-tiny.en.bin).
        #[arg(short, long)]
        output: PathBuf,
        /// Quantise weight matrices to q8_0 (8-bit blocks).
        #[arg(long = "q8_0", alias = "q8")]
        q8_0: bool,
        /// Store tokens that are parts of characters as their exact bytes
        /// instead of U+FFFD as whisper.cpp's own files do (better text for
        /// languages whose characters span tokens).
        #[arg(long)]
        raw_token_bytes: bool,
    },
    /// List installed models: name, size, type, path.
    List,
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    match args.action {
        Action::Import { ct2_dir, output, q8_0, raw_token_bytes } => import(&ct2_dir, &output, q8_0, raw_token_bytes),
        Action::List => list(),
    }
}

/// The directories searched for models: `./models`, then `$RAPPORTEUR_MODELS`.
pub fn model_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("models")];
    if let Some(dir) = std::env::var_os("RAPPORTEUR_MODELS").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    dirs
}

/// The tokenizer kept beside a model: `ggml-tiny.en.bin` → `ggml-tiny.en.tokenizer.json`.
pub fn tokenizer_path(model: &Path) -> PathBuf {
    let stem = model.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    model.with_file_name(format!("{stem}.tokenizer.json"))
}

fn import(dir: &Path, output: &Path, q8_0: bool, raw_token_bytes: bool) -> anyhow::Result<Outcome> {
    if !dir.is_dir() {
        return Err(
            UsageError(format!("{} is not a directory: give a CTranslate2 model directory", dir.display())).into()
        );
    }
    let options = ImportOptions {
        weight_type: if q8_0 { WeightType::Q8_0 } else { WeightType::F16 },
        token_bytes: if raw_token_bytes { TokenBytes::Raw } else { TokenBytes::WhisperCpp },
    };
    let mut file = AtomicFile::create(output)?;
    let summary =
        convert::import_ct2(dir, &mut file, options).with_context(|| format!("cannot convert {}", dir.display()))?;
    file.commit()?;
    // The model's own tokenizer goes along: `transcribe --glossary` measures prompts with it.
    let tokenizer = dir.join("tokenizer.json");
    if tokenizer.is_file() {
        let target = tokenizer_path(output);
        fs::copy(&tokenizer, &target)
            .with_context(|| format!("cannot copy {} to {}", tokenizer.display(), target.display()))?;
    }
    let size = fs::metadata(output).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "wrote {} ({}, {}, {} tensors, {})",
        output.display(),
        summary.hparams.model_type(),
        summary.hparams.weight_type(),
        summary.tensors,
        human_size(size)
    );
    Ok(Outcome { total: 1, failed: 0 })
}

fn list() -> anyhow::Result<Outcome> {
    let mut rows = Vec::new();
    let mut seen = Vec::new();
    for dir in model_dirs() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "bin") && p.is_file())
            .collect();
        paths.sort();
        for path in paths {
            let canonical = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if seen.contains(&canonical) {
                continue;
            }
            seen.push(canonical);
            let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            let kind = match ModelHeader::read_file(&path) {
                Ok(h) => format!(
                    "{} {}{}",
                    h.hparams.model_type(),
                    h.hparams.weight_type(),
                    if h.hparams.is_multilingual() { " multilingual" } else { " English-only" }
                ),
                Err(e) => format!("not usable: {e}"),
            };
            rows.push([name, human_size(size), kind, path.display().to_string()]);
        }
    }
    if rows.is_empty() {
        eprintln!(
            "no models in {}: run scripts/install-models.sh",
            model_dirs().iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(" or ")
        );
        return Ok(Outcome { total: 0, failed: 0 });
    }
    let header = ["NAME", "SIZE", "TYPE", "PATH"].map(String::from);
    let widths: Vec<usize> = (0..4)
        .map(|i| rows.iter().chain(std::iter::once(&header)).map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for row in std::iter::once(&header).chain(&rows) {
        println!(
            "{:<w0$}  {:>w1$}  {:<w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
    }
    Ok(Outcome { total: rows.len(), failed: 0 })
}

fn human_size(bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb >= 1.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{:.0} kB", bytes as f64 / 1000.0)
    }
}
