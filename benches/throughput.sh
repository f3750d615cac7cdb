#!/usr/bin/env bash
# Per-core parsing throughput of the caption readers: MB of input per CPU
# second (user + system), which stays meaningful on a shared, busy machine where
# wall-clock benches (cargo bench) are not. Inputs: ~200 MB per format of
# two-line cues with speakers (VTT, SRT) and `>> NAME:` turns (CART),
# generated here into benches/out/ (gitignored).
# Usage: benches/throughput.sh [MB]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-200}
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet -p rapporteur-captions --example parse
work=benches/out/throughput
mkdir -p "$work"
python3 - "$mb" "$work" <<'PY'
import sys, os
mb, work = int(sys.argv[1]), sys.argv[2]
words = ("governments should ensure meaningful connectivity for rural communities and civil "
         "society must take part in data governance because trust depends on it").split()
def ts(ms, sep):
    h, ms = divmod(ms, 3600000); m, ms = divmod(ms, 60000); s, ms = divmod(ms, 1000)
    return f"{h:02}:{m:02}:{s:02}{sep}{ms:03}"
for fmt in ("vtt", "srt", "cart"):
    path = os.path.join(work, f"in.{fmt}.txt" if fmt == "cart" else f"in.{fmt}")
    if os.path.exists(path) and os.path.getsize(path) >= mb * 1_000_000: continue
    with open(path, "w", buffering=1 << 20) as f:
        n, i, t = 0, 0, 0
        if fmt == "vtt": f.write("WEBVTT\n\n")
        if fmt == "cart": f.write("IGF - throughput\n\nDisclaimer.\n***\n")
        while n < mb * 1_000_000:
            text = " ".join(words[(i + k) % len(words)] for k in range(14)) + "."
            if fmt == "srt": b = f"{i+1}\n{ts(t, ',')} --> {ts(t+3000, ',')}\n{text[:42]}\n{text[42:]}\n\n"
            elif fmt == "vtt": b = f"{ts(t, '.')} --> {ts(t+3000, '.')}\n<v Speaker {i%5}>{text[:42]}\n{text[42:]}\n\n"
            else: b = (f">> SPEAKER {i%5}:  " if i % 4 == 0 else "") + text + "\n\n"
            f.write(b); n += len(b); i += 1; t += 3000
PY
printf '%-6s %10s %12s %12s\n' format "MB" "CPU s" "MB/s/core"
for f in "$work/in.vtt" "$work/in.srt" "$work/in.cart.txt"; do
  /usr/bin/time -f '%U %S' -o "$work/cpu" "$target/release/examples/parse" "$f" >/dev/null
  size=$(stat -c %s "$f")
  cpu=$(tail -1 "$work/cpu" | awk '{print $1 + $2}')
  printf '%-6s %10.1f %12.2f %12.1f\n' "$(basename "$f" | cut -d. -f2)" "$(echo "$size/1000000" | bc -l)" "$cpu" "$(echo "$size/1000000/$cpu" | bc -l)"
done
