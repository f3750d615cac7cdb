#!/usr/bin/env bash
# Load on `rapporteur serve` over loopback (issue 6): 50 live sessions posting
# 5 caption chunks a second each for 60 s while 20 readers follow live pages
# (server-sent events) and search a whole meeting's index (~2 million words).
# Prints p50/p99 ingest latency, caption-visible latency, lost/duplicated
# chunks and search latency under load and quiet. The generator
# (benches/serve_load.rs) and the server share the machine, so on 2 cores the
# figures include the generator's own CPU.
# Usage: benches/serve_load.sh [SECONDS] [SESSIONS] [READERS]
set -euo pipefail
cd "$(dirname "$0")/.."
export SERVE_LOAD_SECONDS=${1:-60}
export SERVE_LOAD_SESSIONS=${2:-50}
export SERVE_LOAD_READERS=${3:-20}
cargo bench -p rapporteur --bench serve_load
