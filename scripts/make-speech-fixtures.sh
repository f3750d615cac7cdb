#!/usr/bin/env bash
# Generates the speech fixtures the ASR tests use: synthetic multi-paragraph
# speech (espeak-ng) with pauses of known length between paragraphs, at
# 16 kHz mono, and a JSON file of what is said when.
#
#   scripts/make-speech-fixtures.sh [OUT_DIR]     (default fixtures/audio)
#
# For each fixture NAME it writes OUT_DIR/NAME.flac and OUT_DIR/NAME.json:
#   {"audio": "NAME.flac", "sample_rate": 16000, "duration": 61.23,
#    "paragraphs": [{"start": 0.5, "end": 9.87, "voice": "en-us", "text": "..."}, ...]}
# Every paragraph is one espeak-ng utterance with its leading and trailing
# silence trimmed, so start and end are where its speech starts and ends
# (to the sample). Paragraphs alternate between two voices, as speakers do
# in a panel. The outputs are committed; rerun this after changing the texts.
#
# Needs espeak-ng and sox (scripts/setup-system.sh installs both).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-fixtures/audio}"
for tool in espeak-ng sox soxi; do
  command -v "$tool" >/dev/null || { echo "make-speech-fixtures: $tool is not installed (scripts/setup-system.sh)" >&2; exit 1; }
done
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

RATE=16000
WPM=150

# make_fixture NAME LEAD_SILENCE TAIL_SILENCE then lines of "VOICE|PAUSE_AFTER|TEXT" on stdin.
make_fixture() {
  local name=$1 lead=$2 tail=$3
  local parts=() json="" t i=0
  sox -n -r $RATE -c 1 -b 16 "$work/lead.wav" trim 0 "$lead"
  parts+=("$work/lead.wav")
  t=$lead
  while IFS='|' read -r voice pause text; do
    [ -z "$voice" ] && continue
    i=$((i + 1))
    espeak-ng -v "$voice" -s $WPM -w "$work/raw$i.wav" "$text"
    # 16 kHz mono 16-bit, silence trimmed at both ends (below 0.1% for 10 ms).
    sox "$work/raw$i.wav" -r $RATE -c 1 -b 16 "$work/p$i.wav" \
      silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse norm -3
    local dur
    dur=$(soxi -D "$work/p$i.wav")
    local start=$t end
    end=$(awk -v a="$t" -v b="$dur" 'BEGIN { printf "%.3f", a + b }')
    [ -n "$json" ] && json+=","
    json+=$(printf '\n    {"start": %.3f, "end": %.3f, "voice": "%s", "text": "%s"}' "$start" "$end" "$voice" "$text")
    parts+=("$work/p$i.wav")
    sox -n -r $RATE -c 1 -b 16 "$work/gap$i.wav" trim 0 "$pause"
    parts+=("$work/gap$i.wav")
    t=$(awk -v a="$end" -v b="$pause" 'BEGIN { printf "%.3f", a + b }')
  done
  sox -n -r $RATE -c 1 -b 16 "$work/tail.wav" trim 0 "$tail"
  parts+=("$work/tail.wav")
  sox "${parts[@]}" "$work/$name.wav"
  # A faint noise floor, as in a real room: speech stays 40 dB above it.
  sox "$work/$name.wav" -p synth brownnoise vol 0.004 | sox -m "$work/$name.wav" - -b 16 "$out/$name.flac"
  local total
  total=$(soxi -D "$out/$name.flac")
  printf '{\n  "audio": "%s.flac",\n  "sample_rate": %d,\n  "duration": %.3f,\n  "paragraphs": [%s\n  ]\n}\n' \
    "$name" $RATE "$total" "$json" >"$out/$name.json"
  echo "make-speech-fixtures: $out/$name.flac ($(printf '%.1f' "$total") s, $i paragraphs)" >&2
}

# A panel: two voices, paragraphs of two or three sentences, pauses of 2 to 3 s between turns.
make_fixture panel 1.0 1.5 <<'EOF'
en-us|2.5|Good morning and welcome to this workshop of the Internet Governance Forum. Today we discuss how to connect the next billion people to the internet.
en-us+f3|2.0|Thank you. In many rural areas there is still no affordable access. Community networks can close this gap when regulators make spectrum available.
en-us|3.0|That is an important point. What should governments do first, in your view?
en-us+f3|2.2|They should remove the barriers that stop small operators. They should also invest in digital skills, because access alone is not enough.
en-us|2.0|We also heard that data protection must be part of every policy. Trust is the foundation of the digital economy.
en-us+f3|2.5|I agree. Without trust, people will not use online services, even when they are connected.
EOF

# A monologue: one voice, short pauses between sentences and long ones between paragraphs.
make_fixture monologue 0.5 1.0 <<'EOF'
en-gb|2.0|Artificial intelligence is changing how public services work. It can help doctors and teachers, but it can also make mistakes that are hard to see.
en-gb|2.5|For this reason, we need rules that are clear and fair. Every system that affects people should be tested before it is used.
en-gb|2.0|Finally, the voices of young people must be heard in these discussions. They will live with the decisions we make today.
EOF
