#!/usr/bin/env bash
# Quality of `rapporteur draft` against LexRank and TextRank (sumy) on the same
# findings of a fixture meeting, scored against its reference messages:
# ROUGE-1/2/L/Lsum, redundancy and coverage side by side.
#
# Usage: benches/draft_quality.sh [MEETING_DIR] [TRACKS_TOML]
#   (defaults: fixtures/meeting-eval, and its tracks.toml or else fixtures/tracks/igf2020.toml)
# The meeting folder has one folder per session (session.toml, transcript,
# report) and reference-messages.md (## <track> headings with bulleted
# messages, written before any draft), and optionally `subsets` (halves of
# the tracks to report apart, e.g. a held-out half). Findings come from `rapporteur run`
# (extraction over every session); the draft from `rapporteur draft`; the
# peers from sumy on the same findings. Needs python3 with sumy, rouge-score,
# sentence-transformers and python-docx (installed with pip when missing), and
# the embedding model (scripts/install-embeddings.sh).
# Environment: RAPPORTEUR (the binary; default: build the release binary),
# DRAFT_ARGS (further options for `rapporteur draft`).
set -euo pipefail
cd "$(dirname "$0")/.."

meeting=${1:-fixtures/meeting-eval}
tracks_file=${2:-}
if [ -z "$tracks_file" ]; then
  if [ -f "$meeting/tracks.toml" ]; then tracks_file=$meeting/tracks.toml; else tracks_file=fixtures/tracks/igf2020.toml; fi
fi
out=benches/out/draft_quality
[ -f "$meeting/reference-messages.md" ] || { echo "draft_quality: $meeting/reference-messages.md not found" >&2; exit 1; }

if [ -z "${RAPPORTEUR:-}" ]; then
  cargo build --release --bin rapporteur >&2
  RAPPORTEUR="${CARGO_TARGET_DIR:-target}/release/rapporteur"
fi
python3 -c 'import sumy, rouge_score, sentence_transformers, docx' 2>/dev/null ||
  python3 -m pip install --quiet --disable-pip-version-check sumy rouge-score sentence-transformers python-docx >&2
./scripts/install-embeddings.sh

rm -rf "$out"
mkdir -p "$out"
tracks=(--tracks "$tracks_file")
"$RAPPORTEUR" run "$meeting" -o "$out/run" "${tracks[@]}" >"$out/run.log" 2>&1 || { cat "$out/run.log" >&2; exit 1; }
# DRAFT_ARGS: further `rapporteur draft` options (e.g. "--max 6"); the peers
# pick as many texts per track as rapporteur drafted, so they follow along.
read -r -a draft_args <<<"${DRAFT_ARGS:-}"
"$RAPPORTEUR" draft "$out/run/sessions" "${tracks[@]}" "${draft_args[@]}" --to json,md,html,docx -o "$out/draft" --cache-dir "$out/cache"
# The Word file opens with python-docx (a second reader besides the crate's own package check).
python3 - "$out/draft/messages.docx" <<'PY'
import sys, zipfile, docx
d = docx.Document(sys.argv[1])
notes = zipfile.ZipFile(sys.argv[1]).read("word/footnotes.xml").decode().count("<w:footnote w:id=")
print(f"messages.docx opens: {len(d.paragraphs)} paragraphs, {sum(p.style.name.startswith('Heading') for p in d.paragraphs)} headings, {notes} footnotes")
PY
"$RAPPORTEUR" eval rouge "$out/draft/messages.json" "$meeting/reference-messages.md" >"$out/rouge-rust.txt"
tail -n 6 "$out/rouge-rust.txt"
# Halves of the meeting (one `name=Track,Track` a line in $meeting/subsets)
# are reported beside the whole.
subsets=()
if [ -f "$meeting/subsets" ]; then
  while IFS= read -r line; do
    case "$line" in ''|'#'*) ;; *) subsets+=(--subset "$line") ;; esac
  done <"$meeting/subsets"
fi
python3 benches/draft_quality/compare.py \
  --findings "$out/run/sessions" \
  --draft "$out/draft/messages.json" \
  --references "$meeting/reference-messages.md" \
  --model-dir models/all-MiniLM-L6-v2 \
  "${subsets[@]}" \
  --json "$out/quality.json"
