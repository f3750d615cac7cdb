#!/usr/bin/env bash
# Accuracy of the encoder's lower-precision products (bf16, int8; see
# crates/draft/src/embed/precision.rs) against sentence-transformers, on a
# large sample: every distinct sentence of the fixtures' transcripts and
# reports and every fixture finding, topped up with findings of the synthetic
# meeting of scale.sh up to N texts. Prints, per plan, the lowest, 0.1st
# percentile and mean cosine to sentence-transformers' vectors and to the
# f32 ones, and sentences per CPU second.
#
# Usage: benches/draft_quality/embed_accuracy.sh [N] [PLAN...]   (default 2000; f32 bf16 int8)
# Environment: EMBED_ACCURACY (the built example; default: build it, release).
set -euo pipefail
cd "$(dirname "$0")/../.."

n=${1:-2000}
shift || true
out=benches/out/embed_accuracy
./scripts/install-embeddings.sh
bin=${EMBED_ACCURACY:-}
if [ -z "$bin" ]; then
  cargo build --release -p rapporteur-draft --example embed_accuracy >&2
  bin="${CARGO_TARGET_DIR:-target}/release/examples/embed_accuracy"
fi
mkdir -p "$out"
[ -d "$out/findings" ] || python3 benches/draft_quality/make_findings.py "$out/findings" 300 10000 >/dev/null
python3 - "$n" "$out/texts.json" "$out/findings" <<'PY'
import glob, json, os, re, sys
n, dest, synthetic = int(sys.argv[1]), sys.argv[2], sys.argv[3]
seen, texts = set(), []
def add(t):
    t = " ".join(t.split())
    if 4 <= len(t.split()) <= 80 and t not in seen:
        seen.add(t)
        texts.append(t)
for path in sorted(glob.glob("fixtures/**/*", recursive=True)):
    if path.endswith((".txt", ".md", ".vtt", ".srt")) and os.path.isfile(path):
        text = open(path, encoding="utf-8", errors="replace").read()
        text = re.sub(r"^\s*(\d+|[\d:.,]+ --> [\d:.,]+.*|WEBVTT.*|#+ )", " ", text, flags=re.M)
        for s in re.split(r"(?<=[.!?])\s+", text):
            add(s)
    elif path.endswith(".findings.json"):
        for f in json.load(open(path, encoding="utf-8")).get("findings", []):
            add(f["text"])
fixture = len(texts)
for path in sorted(glob.glob(os.path.join(synthetic, "*.findings.json"))):
    for f in json.load(open(path, encoding="utf-8"))["findings"]:
        if len(texts) < n:
            add(f["text"])
texts = texts[:n]
json.dump(texts, open(dest, "w", encoding="utf-8"))
print("# %d texts: %d from the fixtures, %d synthetic findings" % (len(texts), min(fixture, n), len(texts) - min(fixture, n)))
PY
python3 - models/all-MiniLM-L6-v2 "$out/texts.json" "$out/st.json" <<'PY'
import json, os, sys
os.environ.setdefault("HF_HUB_OFFLINE", "1")
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(sys.argv[1], device="cpu")
texts = json.load(open(sys.argv[2], encoding="utf-8"))
json.dump(model.encode(texts, batch_size=16).tolist(), open(sys.argv[3], "w"))
PY
echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" "$out/texts.json" "$out/st.json" "$@"
