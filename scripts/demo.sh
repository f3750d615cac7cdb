#!/usr/bin/env bash
# The main job on the bundled fixture meeting: `rapporteur run` over every
# session (transcripts, findings, session-report drafts), then where to look.
# Called by `make demo`, which builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/demo}"
bin="${RAPPORTEUR_BIN:-${CARGO_TARGET_DIR:-target}/release/rapporteur}"
meeting="${RAPPORTEUR_MEETING:-fixtures/meeting}"

# The recorded session's audio is spoken by espeak-ng, not committed.
./scripts/make-demo-recording.sh

status=0
"$bin" run "$meeting" -o "$out" || status=$?

first=$(ls "$out/sessions" 2>/dev/null | head -1)
cat <<MSG

The meeting in $meeting was processed into $out/:
  transcripts      $out/sessions/<session>/transcript.{vtt,srt,json,txt,md}
  findings         $out/sessions/<session>/findings.json
  report drafts    $out/sessions/<session>/report.md
  run report       $out/run.json
Read one:          less $out/sessions/${first:-<session>}/report.md
Run it again:      only changed sessions are recomputed (add --force to redo all).
MSG
exit $status
