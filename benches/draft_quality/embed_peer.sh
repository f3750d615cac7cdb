#!/usr/bin/env bash
# Sentence-embedding throughput, side by side in one run: rapporteur's
# all-MiniLM-L6-v2 (candle, crates/draft/src/embed) against sentence-transformers
# (PyTorch) on the same sentences, the same model files, the same batch size and
# the same thread count. The sentences are the distinct findings of the synthetic
# meeting of scale.sh (make_findings.py), so the figures carry over to it.
#
# For each thread count, rapporteur runs in its default precision (bf16 products
# on CPUs with AVX-512 BF16) and in f32 (RAPPORTEUR_EMBED_PRECISION=f32), then
# sentence-transformers, then both again (the machine is shared: alternating
# shows the drift). Each
# prints wall and CPU seconds (user + system of the whole process) of the
# embedding alone, after loading the model and a warm-up batch, and sentences
# per second of each; at the end, the lowest cosine between the two systems'
# vectors of the first 200 sentences.
#
# Usage: benches/draft_quality/embed_peer.sh [SENTENCES] ["THREADS..."]
#        (defaults: 2000, "1 2"). Environment: BATCH (default 16, rapporteur's
#        default), EMBED_SPEED (the built example; default: build it, release).
set -euo pipefail
cd "$(dirname "$0")/../.."

n=${1:-2000}
threads=${2:-"1 2"}
batch=${BATCH:-16}
out=benches/out/embed_peer
model=models/all-MiniLM-L6-v2

./scripts/install-embeddings.sh
python3 -c 'import sentence_transformers' 2>/dev/null ||
  python3 -m pip install --quiet --disable-pip-version-check sentence-transformers >&2
bin=${EMBED_SPEED:-}
if [ -z "$bin" ]; then
  cargo build --release -p rapporteur-draft --example embed_speed >&2
  bin="${CARGO_TARGET_DIR:-target}/release/examples/embed_speed"
fi

rm -rf "$out"
mkdir -p "$out"
python3 benches/draft_quality/make_findings.py "$out/findings" 300 10000 >/dev/null
python3 - "$out/findings" "$n" "$out/texts.json" <<'EOF'
import glob, json, os, sys
seen, texts = set(), []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.findings.json"))):
    for f in json.load(open(path, encoding="utf-8"))["findings"]:
        if f["text"] not in seen:
            seen.add(f["text"])
            texts.append(f["text"])
json.dump(texts[: int(sys.argv[2])], open(sys.argv[3], "w", encoding="utf-8"))
EOF

echo "# $n distinct findings, batch $batch, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-26s %7s %9s %9s %12s %12s\n' system threads wall_s cpu_s "sent/wall-s" "sent/cpu-s"
row() {
  python3 -c 'import json,sys; r=json.loads(sys.stdin.readline()); print("%-26s %7d %9.2f %9.2f %12.1f %12.1f" % (r["system"], r["threads"], r["wall_s"], r["cpu_s"], r["per_wall_s"], r["per_cpu_s"]))'
}
for t in $threads; do
  RAYON_NUM_THREADS=$t "$bin" "$out/texts.json" "$batch" "$out/rapporteur.json" | tee -a "$out/runs.jsonl" | row
  RAPPORTEUR_EMBED_PRECISION=f32 RAYON_NUM_THREADS=$t "$bin" "$out/texts.json" "$batch" "$out/rapporteur-f32.json" |
    tee -a "$out/runs.jsonl" | row
  python3 benches/draft_quality/embed_peer.py "$model" "$out/texts.json" "$batch" "$t" "$out/st.json" 2>/dev/null |
    tee -a "$out/runs.jsonl" | row
  RAYON_NUM_THREADS=$t "$bin" "$out/texts.json" "$batch" | tee -a "$out/runs.jsonl" | row
  RAPPORTEUR_EMBED_PRECISION=f32 RAYON_NUM_THREADS=$t "$bin" "$out/texts.json" "$batch" | tee -a "$out/runs.jsonl" | row
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out/st.json" "$out/rapporteur.json" "$out/rapporteur-f32.json" <<'EOF'
import json, math, sys
st = json.load(open(sys.argv[1]))
def cos(x, y):
    return sum(p * q for p, q in zip(x, y)) / math.sqrt(sum(p * p for p in x) * sum(q * q for q in y))
for label, path in (("default", sys.argv[2]), ("f32", sys.argv[3])):
    a = json.load(open(path))
    print("# lowest cosine rapporteur (%s) vs sentence-transformers over %d sentences: %.6f" % (label, len(a), min(cos(x, y) for x, y in zip(a, st))))
EOF
