#!/usr/bin/env bash
# Drafting time for a whole meeting: ~10,000 findings of 300 sessions
# (synthetic, make_findings.py), from a cold vector cache, with the cache
# warm, and with TF-IDF vectors. Prints wall-clock and CPU seconds of each run
# (CPU seconds do not depend on other work on the machine; divide by the
# cores for the wall time of a quiet machine).
#
# Usage: benches/draft_quality/scale.sh [SESSIONS] [FINDINGS]
# Environment: RAPPORTEUR (the binary; default: build the release binary).
set -euo pipefail
cd "$(dirname "$0")/../.."

sessions=${1:-300}
findings=${2:-10000}
out=benches/out/draft_scale
if [ -z "${RAPPORTEUR:-}" ]; then
  cargo build --release --bin rapporteur >&2
  RAPPORTEUR="${CARGO_TARGET_DIR:-target}/release/rapporteur"
fi
./scripts/install-embeddings.sh
rm -rf "$out"
mkdir -p "$out"
python3 benches/draft_quality/make_findings.py "$out/findings" "$sessions" "$findings" >&2

run() {
  local label=$1
  shift
  local t0 t1 cpu=""
  t0=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%U %S' -o "$out/$label.time" "$RAPPORTEUR" draft "$out/findings" --to json -o "$out/$label" "$@" 2>"$out/$label.log"
    cpu=$(awk '{printf "%.2f", $1 + $2}' "$out/$label.time")
  else
    "$RAPPORTEUR" draft "$out/findings" --to json -o "$out/$label" "$@" 2>"$out/$label.log"
  fi
  t1=$(date +%s.%N)
  printf '%-6s wall %7.2f s  cpu %7s s   %s\n' "$label" "$(echo "$t1 - $t0" | bc)" "${cpu:-?}" "$(tail -n 1 "$out/$label.log")"
}

echo "drafting $findings findings of $sessions sessions on $(nproc) cores (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
run cold --cache-dir "$out/cache"
run warm --cache-dir "$out/cache"
run tfidf --tfidf
