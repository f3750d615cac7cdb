#!/usr/bin/env bash
# Search over HTTP, one search thread against the default (one per core), side
# by side on the same index: the corpus of benches/search.rs (ported to
# Python), indexed with `rapporteur index`, served twice, queried interleaved.
# Usage: benches/search_http/run.sh PATH/TO/rapporteur [ROUNDS]
set -euo pipefail
bin=$(realpath "$1"); rounds=${2:-100}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
python3 "$here/gen_corpus.py"
"$bin" index corpus --index data1/index
cp -r data1 data2
RAPPORTEUR_SEARCH_THREADS=1 "$bin" serve --data data1 --addr 127.0.0.1:0 > a1.out 2> a1.err &
"$bin" serve --data data2 --addr 127.0.0.1:0 > a2.out 2> a2.err &
sleep 3
uptime
/usr/bin/time -v python3 "$here/compare.py" "$(head -1 a1.out)" "$(head -1 a2.out)" "$rounds"
