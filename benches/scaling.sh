#!/usr/bin/env bash
# Scaling of `rapporteur run` (text stages: captions given, no recordings):
# wall time from cold and when nothing changed, at 1 and 2 threads, for
# generated meetings of 10, 100 and 1,000 sessions (~6,700 words each, the
# size of a 90-minute IGF workshop), plus the IGF-sized target: 300 sessions,
# ~2 million words. Per-stage times come from OUT/run.json (summed CPU-side
# stage times per session, and the meeting stages' wall times).
#
# Usage: benches/scaling.sh [SIZES] [THREADS]
#   SIZES   default "10 100 300 1000"    THREADS default "1 2"
# Environment: RAPPORTEUR_BIN (default: builds target/release/rapporteur),
#   WORDS (words per session, default 6700).
# Output: a table on stdout, also appended to benches/out/scaling.tsv.
#
# "Cold" means: empty output folder and an empty sentence-vector cache
# (RAPPORTEUR_CACHE points at a fresh folder), so drafting embeds every finding.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-"10 100 300 1000"}
threads_list=${2:-"1 2"}
words=${WORDS:-6700}
target="${CARGO_TARGET_DIR:-target}"
bin=${RAPPORTEUR_BIN:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet --bin rapporteur
  bin="$target/release/rapporteur"
fi
work=benches/out/scaling
mkdir -p "$work"
tsv=benches/out/scaling.tsv
[ -f "$tsv" ] || printf 'date\tsessions\twords\tthreads\trun\twall_s\tsessions_per_s\ttranscript_s\textract_s\tdrafts_s\tindex_s\n' > "$tsv"

now() { date +%s.%N; }
# Sum of a per-session stage's milliseconds, and a meeting stage's, from run.json.
stage_secs() {
  python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); name = sys.argv[2]
ms = sum(t["millis"] for s in r["sessions"] for t in s.get("stages", []) if t["stage"] == name)
ms += sum(m["millis"] for m in r.get("meeting_stages", []) if m["stage"] == name)
print(f"{ms / 1000:.2f}")
PY
}

printf '%-9s %-10s %-7s %-10s %8s %10s  %s\n' sessions words threads run "wall s" "sessions/s" "stage s (transcript extract drafts index; per-session stages summed over workers)"
for n in $sizes; do
  meeting="$work/meeting-$n"
  if [ ! -f "$meeting/.complete-$words" ]; then
    rm -rf "$meeting"
    python3 benches/gen-meeting.py "$meeting" "$n" "$words" 2>"$work/gen.log"
    touch "$meeting/.complete-$words"
  fi
  total_words=$(sed -n 's/.*sessions, \([0-9]*\) words.*/\1/p' "$work/gen.log" 2>/dev/null || true)
  [ -n "$total_words" ] || total_words=$((n * words))
  for t in $threads_list; do
    out="$work/out-$n-$t"
    cache="$work/cache-$n-$t"
    for phase in cold unchanged; do
      if [ "$phase" = cold ]; then rm -rf "$out" "$cache"; sync; fi
      start=$(now)
      RAPPORTEUR_CACHE="$cache" "$bin" run "$meeting" -o "$out" --threads "$t" 2>"$work/run.log" || {
        echo "run failed (see $work/run.log)" >&2; tail -5 "$work/run.log" >&2; exit 1; }
      end=$(now)
      wall=$(python3 -c "print(f'{$end - $start:.2f}')")
      rate=$(python3 -c "print(f'{$n / max($end - $start, 1e-9):.0f}')")
      stages=""
      for s in transcript extract drafts index; do stages="$stages $(stage_secs "$out/run.json" $s)"; done
      printf '%-9s %-10s %-7s %-10s %8s %10s  %s\n' "$n" "$total_words" "$t" "$phase" "$wall" "$rate" "$stages"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$n" "$total_words" "$t" "$phase" "$wall" "$rate" \
        "$(echo $stages | tr ' ' '\t')" >> "$tsv"
    done
  done
done
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
