#!/usr/bin/env bash
# Shows that caption files are streamed, not loaded whole: peak memory (max RSS)
# of `rapporteur captions` on SRT, WebVTT and CART inputs of 10 MB, 100 MB and
# 1 GB stays flat. Usage: benches/memory.sh [SIZES_MB...]  (default: 10 100 1000)
# Needs /usr/bin/time (GNU time). Writes into benches/out/ (gitignored).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10 100 1000}")
read -r -a sizes <<<"${sizes[*]}"
bin="${CARGO_TARGET_DIR:-target}/release/rapporteur"
cargo build --release --quiet --bin rapporteur
work=benches/out/memory
mkdir -p "$work"

generate() { # FORMAT MB PATH
  python3 - "$1" "$2" "$3" <<'PY'
import sys
fmt, mb, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
target = mb * 1_000_000
words = ("governments should ensure meaningful connectivity for rural communities and "
         "civil society must take part in data governance because trust depends on it").split()
def ts(ms, sep):
    h, ms = divmod(ms, 3_600_000); m, ms = divmod(ms, 60_000); s, ms = divmod(ms, 1000)
    return f"{h:02}:{m:02}:{s:02}{sep}{ms:03}"
with open(path, "w", buffering=1 << 20) as f:
    written, i, t = 0, 0, 0
    if fmt == "vtt": f.write("WEBVTT\n\n")
    if fmt == "cart": f.write("IGF - Memory test\n\nDisclaimer.\n***\n")
    while written < target:
        text = " ".join(words[(i + k) % len(words)] for k in range(12)) + "."
        if fmt == "srt":
            block = f"{i+1}\n{ts(t, ',')} --> {ts(t + 3000, ',')}\n{text}\n\n"
        elif fmt == "vtt":
            block = f"{ts(t, '.')} --> {ts(t + 3000, '.')}\n<v Speaker {i % 5}>{text}\n\n"
        else:
            block = (f">> SPEAKER {i % 5}:  " if i % 4 == 0 else "") + text + "\n\n"
        f.write(block); written += len(block); i += 1; t += 3000
PY
}

printf '%-6s %8s %12s %10s\n' format "size MB" "max RSS MB" "seconds"
for fmt in srt vtt cart; do
  for mb in "${sizes[@]}"; do
    ext=$fmt; [ "$fmt" = cart ] && ext=cart.txt
    input="$work/in-$mb.$ext"
    [ -f "$input" ] || generate "$fmt" "$mb" "$input"
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$work/rss" "$bin" captions "$input" --to srt -o "$work/result" 2>/dev/null >/dev/null
    end=$(date +%s.%N)
    rss_kb=$(tail -1 "$work/rss")
    printf '%-6s %8s %12.1f %10.2f\n' "$fmt" "$mb" "$(echo "$rss_kb / 1024" | bc -l)" "$(echo "$end - $start" | bc -l)"
  done
done
rm -rf "$work/result"
