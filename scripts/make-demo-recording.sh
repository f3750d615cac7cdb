#!/usr/bin/env bash
# Speaks the recorded statement of the demo meeting's session ms-107-recording
# with espeak-ng and writes it as 16 kHz mono WAV beside its session.toml, so
# that `make demo` runs the ASR stage on real speech. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=fixtures/meeting/ms-107-recording
out="$dir/recording.wav"
[ -f "$out" ] && exit 0
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "make-demo-recording: $tool not found (scripts/setup-system.sh installs it)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Paragraphs with pauses between them, as a speaker reads a statement.
i=0
while IFS= read -r paragraph; do
  [ -n "$paragraph" ] || continue
  i=$((i + 1))
  espeak-ng -v en-us -s 150 -w "$tmp/p$i.wav" "$paragraph"
  sox "$tmp/p$i.wav" -r 16000 -c 1 -b 16 "$tmp/q$i.wav" pad 0 1.2
done <<'TEXT'
Good afternoon. I am speaking for the Best Practice Forum on Data and Environment.
Digital technologies use energy and create electronic waste. We need to measure the footprint of the Internet with common methods.
Governments should buy repairable and efficient equipment. Our forum will publish its report in March.
TEXT
sox $(ls "$tmp"/q*.wav | sort -V) "$tmp/all.wav"
mv "$tmp/all.wav" "$out"
echo "make-demo-recording: wrote $out" >&2
