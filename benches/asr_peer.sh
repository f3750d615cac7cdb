#!/usr/bin/env bash
# rapporteur against its peer, faster-whisper, on the same tiny.en weights and
# the same recordings, in one run: wall time, real-time factor and word error
# rate side by side.
#
#   benches/asr_peer.sh                 the ~3-minute and the ~30-minute recording
#   benches/asr_peer.sh --short         the ~3-minute recording only
#
# What it does:
#   1. builds the release binary (unless RAPPORTEUR_BIN names one) and installs
#      the models, tiny.en and its q8_0 copy (scripts/install-models.sh --q8);
#   2. installs faster-whisper from PyPI into benches/out/asr/venv, versions
#      pinned in benches/asr_peer/requirements.txt;
#   3. makes the recordings from espeak-ng speech with known text
#      (benches/asr_peer/make_recordings.py; kept in benches/out/asr/);
#   4. runs benches/asr_peer/run.py: every rapporteur configuration (the
#      default, then one lever at a time) and faster-whisper (int8 and float32,
#      beam 1 and 5, on the CTranslate2 directory the ggml model was converted
#      from), 2 threads each, one after the other; prints a Markdown table and
#      writes benches/out/asr/peer.json.
#
# Environment: RAPPORTEUR_BIN  a rapporteur binary (default: target/release/rapporteur, built here)
#              THREADS         CPU threads for both (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."

recordings=(short:180 long:1800)
for arg in "$@"; do
  case "$arg" in
    --short) recordings=(short:180) ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "asr_peer: unknown option $arg (use --short)" >&2; exit 2 ;;
  esac
done

target=${CARGO_TARGET_DIR:-target}
bin=${RAPPORTEUR_BIN:-}
if [ -z "$bin" ]; then
  cargo build --release --bin rapporteur
  bin=$target/release/rapporteur
fi
RAPPORTEUR_BIN=$bin scripts/install-models.sh --q8

out=benches/out/asr
mkdir -p "$out"
venv=$out/venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import faster_whisper' 2>/dev/null; then
  echo "asr_peer: installing faster-whisper into $venv" >&2
  "$venv/bin/pip" install --quiet --no-deps -r benches/asr_peer/requirements.txt
fi

python3 benches/asr_peer/make_recordings.py "$out" "${recordings[@]}"
jsons=()
for r in "${recordings[@]}"; do jsons+=("$out/${r%%:*}.json"); done

echo "asr_peer: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start" >&2
"$venv/bin/python" benches/asr_peer/run.py --rapporteur "$bin" --ct2 models/cache/ct2-tiny.en --models models \
  --threads "${THREADS:-2}" --out "$out/peer.json" "${jsons[@]}" | tee "$out/peer.md"
