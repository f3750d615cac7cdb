#!/usr/bin/env bash
# The main job on the bundled fixture meeting: `rapporteur run` over every
# session (transcripts, ASR of the recorded session, findings, session-report
# drafts), then the meeting stages (messages drafted per track, search index),
# then where to look and how to browse. Called by `make demo`, which builds
# the release binary and installs the models first.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/demo}"
bin="${RAPPORTEUR_BIN:-${CARGO_TARGET_DIR:-target}/release/rapporteur}"
meeting="${RAPPORTEUR_MEETING:-fixtures/meeting}"

# The recorded session's audio is spoken by espeak-ng, not committed.
./scripts/make-demo-recording.sh

status=0
"$bin" run "$meeting" -o "$out" || status=$?

sessions=$(find "$out/sessions" -mindepth 1 -maxdepth 1 -type d ! -name '.*' 2>/dev/null | wc -l)
first=$(ls "$out/sessions" 2>/dev/null | head -1)
if "$bin" serve --help >/dev/null 2>&1; then
  browse="Browse:            $bin serve --data $out      (then open http://127.0.0.1:8080/)"
else
  browse="Browse:            open $out/drafts/messages.html in a browser (this build has no \`rapporteur serve\`)"
fi
cat <<MSG

The meeting in $meeting ($sessions sessions) was processed into $out/:
  transcripts      $out/sessions/<session>/transcript.{vtt,srt,json,txt,md}
  findings         $out/sessions/<session>/findings.json
  report drafts    $out/sessions/<session>/report.md
  message drafts   $out/drafts/messages.{md,html,json}   (per track, from all sessions' findings)
  search index     $out/index/
  run report       $out/run.json
Read one:          less $out/sessions/${first:-<session>}/report.md
Search:            $bin search --index $out/index "community networks"
$browse
Run it again:      only changed sessions are recomputed (add --force to redo all).
MSG
exit $status
