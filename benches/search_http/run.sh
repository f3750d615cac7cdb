#!/usr/bin/env bash
# Search over HTTP on a quiet server: the corpus of benches/meeting.rs (ported
# to Python in gen_corpus.py), indexed with `rapporteur index`, served by each
# binary given (default threads: one per core), queried interleaved so that
# the machine's load weighs on all alike; with one binary, one search thread
# against the default threads. Prints p50/p95/p99 per query kind, then each
# server's CPU time per search (which a busy machine changes much less).
# Usage: [ROUNDS=100] benches/search_http/run.sh PATH/TO/rapporteur [PATH/TO/other-rapporteur ...]
set -euo pipefail
rounds=${ROUNDS:-100}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
python3 "$here/gen_corpus.py"
"$(realpath "$1")" index corpus --index data/index
servers=()
if [ $# -eq 1 ]; then
  cp -r data data1
  RAPPORTEUR_SEARCH_THREADS=1 "$(realpath "$1")" serve --data data1 --addr 127.0.0.1:0 > s1.out 2> s1.err &
  pids=($!)
  "$(realpath "$1")" serve --data data --addr 127.0.0.1:0 > s2.out 2> s2.err &
  pids+=($!)
  labels=("1 thread" "default threads")
else
  n=0; labels=(); pids=()
  for bin in "$@"; do
    n=$((n + 1)); cp -r data "data$n"
    "$(realpath "$bin")" serve --data "data$n" --addr 127.0.0.1:0 > "s$n.out" 2> "s$n.err" &
    pids+=($!)
    labels+=("$n:$(basename "$bin")")
  done
fi
sleep 3
cpu=()
for n in $(seq 1 ${#labels[@]}); do
  servers+=("${labels[$((n - 1))]}=$(head -1 "s$n.out")")
  cpu+=("${labels[$((n - 1))]}=$(head -1 "s$n.out")=${pids[$((n - 1))]}")
done
uptime
# Wall-clock latency, interleaved; then each server's own CPU time per search.
python3 "$here/compare.py" "$rounds" "${servers[@]}"
uptime
python3 "$here/cpu.py" "$rounds" "${cpu[@]}"
uptime
