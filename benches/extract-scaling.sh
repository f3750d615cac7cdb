#!/usr/bin/env bash
# Extraction scaling: 25, 250 and 500 generated sessions of 8,000 words
# (0.2, 2 and 4 million words) on 1 and 2 threads, wall clock, one process
# per size so each starts cold. Target (issue 4): a whole meeting, about
# 2 million words, in under 2 s on 2 cores.
#
#   benches/extract-scaling.sh            (builds the release example first)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p rapporteur-extract --example throughput
bin="${CARGO_TARGET_DIR:-target}/release/examples/throughput"
echo "cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for sessions in 25 250 500; do
  echo "== $sessions sessions"
  "$bin" "$sessions"
done
