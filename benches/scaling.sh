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
#   WORDS (words per session, default 6700),
#   VECTORS=cold (default: every cold run starts with an empty sentence-vector
#   cache, so drafting embeds every finding with all-MiniLM-L6-v2) or warm
#   (one cache shared by all runs, filled by the first: the nightly case,
#   where most findings were embedded the night before).
# Columns: wall seconds, CPU seconds (user + system: what the run costs on a
# busy machine, independent of load), sessions per wall second.
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
[ -f "$tsv" ] || printf 'date\tsessions\twords\tthreads\trun\tvectors\twall_s\tcpu_s\tsessions_per_s\ttranscript_s\textract_s\tdrafts_s\tindex_s\tload\n' > "$tsv"
vectors=${VECTORS:-cold}

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

printf '%-9s %-10s %-7s %-10s %8s %8s %10s  %s\n' sessions words threads run "wall s" "CPU s" "sessions/s" "stage s (transcript extract drafts index; per-session stages summed over workers)"
for n in $sizes; do
  meeting="$work/meeting-$n"
  if [ ! -f "$meeting/.complete-$words" ]; then
    rm -rf "$meeting"
    python3 benches/gen-meeting.py "$meeting" "$n" "$words" 2>"$work/gen.log"
    # The generator's word count, kept for later runs.
    sed -n 's/.*sessions, \([0-9]*\) words.*/\1/p' "$work/gen.log" > "$meeting/.complete-$words"
  fi
  total_words=$(cat "$meeting/.complete-$words")
  for t in $threads_list; do
    out="$work/out-$n-$t"
    if [ "$vectors" = warm ]; then cache="$work/cache-shared"; else cache="$work/cache-$n-$t"; fi
    for phase in cold unchanged; do
      if [ "$phase" = cold ]; then
        rm -rf "$out"
        [ "$vectors" = warm ] || rm -rf "$cache"
        sync
      fi
      start=$(now)
      RAPPORTEUR_CACHE="$cache" /usr/bin/time -f '%U %S' -o "$work/cpu" \
        "$bin" run "$meeting" -o "$out" --threads "$t" 2>"$work/run.log" || {
        echo "run failed (see $work/run.log)" >&2; tail -5 "$work/run.log" >&2; exit 1; }
      end=$(now)
      wall=$(python3 -c "print(f'{$end - $start:.2f}')")
      cpu=$(awk '{printf "%.2f", $1 + $2}' "$work/cpu")
      load=$(cut -d' ' -f1 /proc/loadavg)
      rate=$(python3 -c "print(f'{$n / max($end - $start, 1e-9):.0f}')")
      stages=""
      for s in transcript extract drafts index; do stages="$stages $(stage_secs "$out/run.json" $s)"; done
      printf '%-9s %-10s %-7s %-10s %8s %8s %10s  %s\n' "$n" "$total_words" "$t" "$phase" "$wall" "$cpu" "$rate" "$stages"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$n" "$total_words" "$t" "$phase" "$vectors" \
        "$wall" "$cpu" "$rate" "$(echo $stages | tr ' ' '\t')" "$load" >> "$tsv"
    done
  done
done
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
