#!/usr/bin/env bash
# Quality of `rapporteur draft` against LexRank and TextRank (sumy) on the same
# findings of a fixture meeting, scored against its reference messages:
# ROUGE-1/2/L/Lsum, redundancy and coverage side by side.
#
# Usage: benches/draft_quality.sh [MEETING_DIR]   (default fixtures/meeting-eval)
# The meeting folder has one folder per session (session.toml, transcript,
# report), tracks.toml and reference-messages.md (## <track> headings with
# bulleted messages). Needs python3 with sumy and rouge-score (installed with
# pip when missing), and the embedding model (scripts/install-embeddings.sh).
# Environment: RAPPORTEUR (the binary; default: build the release binary).
set -euo pipefail
cd "$(dirname "$0")/.."

meeting=${1:-fixtures/meeting-eval}
out=benches/out/draft_quality
[ -f "$meeting/reference-messages.md" ] || { echo "draft_quality: $meeting/reference-messages.md not found" >&2; exit 1; }

if [ -z "${RAPPORTEUR:-}" ]; then
  cargo build --release --bin rapporteur >&2
  RAPPORTEUR="${CARGO_TARGET_DIR:-target}/release/rapporteur"
fi
python3 -c 'import sumy, rouge_score' 2>/dev/null || python3 -m pip install --quiet sumy rouge-score >&2
./scripts/install-embeddings.sh

rm -rf "$out"
mkdir -p "$out"
tracks=()
[ -f "$meeting/tracks.toml" ] && tracks=(--tracks "$meeting/tracks.toml")
"$RAPPORTEUR" run "$meeting" -o "$out/run" "${tracks[@]}" >"$out/run.log" 2>&1 || { cat "$out/run.log" >&2; exit 1; }
"$RAPPORTEUR" draft "$out/run/sessions" "${tracks[@]}" --to json,md -o "$out/draft"
python3 benches/draft_quality/compare.py \
  --findings "$out/run/sessions" \
  --draft "$out/draft/messages.json" \
  --references "$meeting/reference-messages.md" \
  --model-dir models/all-MiniLM-L6-v2 \
  --json "$out/quality.json"
