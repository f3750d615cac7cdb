#!/usr/bin/env bash
# The main job on the bundled fixture meeting: timed transcripts of every
# session's captions, in every format. Called by `make demo` (which builds first).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/demo}"
bin="${RAPPORTEUR_BIN:-target/release/rapporteur}"
meeting="fixtures/meeting"

inputs=()
for dir in "$meeting"/*/; do
  for f in "$dir"transcript.txt "$dir"captions.vtt "$dir"captions.srt; do
    [ -f "$f" ] && inputs+=("$f")
  done
done
if [ ${#inputs[@]} -eq 0 ]; then
  echo "demo: no caption inputs found under $meeting" >&2
  exit 1
fi

mkdir -p "$out/transcripts"
status=0
for f in "${inputs[@]}"; do
  session=$(basename "$(dirname "$f")")
  "$bin" captions "$f" --to vtt,srt,json,txt,md -o "$out/transcripts/$session" 2>&1 | sed "s|^|  |" || status=1
done

cat <<MSG

Transcripts of ${#inputs[@]} sessions are in $out/transcripts/<session>/ (VTT, SRT, JSON, text, Markdown).
  Read one:      less $out/transcripts/$(basename "$(dirname "${inputs[0]}")")/*.md
MSG
exit $status
