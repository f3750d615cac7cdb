#!/usr/bin/env python3
"""Speech recordings with known text for the ASR benchmark (benches/asr_peer.sh).

    make_recordings.py OUT_DIR NAME:SECONDS [NAME:SECONDS ...]

Each NAME.flac is espeak-ng speech (16 kHz mono), paragraph after paragraph
from the CART transcripts in fixtures/meeting-eval (speaker markers and
captioners' annotations removed), voices taking turns as speakers do, pauses
of 1 to 2.5 s between paragraphs and a faint noise floor, until it is at
least SECONDS long. NAME.json says what is said when, in the shape of
fixtures/audio/*.json: {"audio", "sample_rate", "duration", "paragraphs":
[{"start", "end", "voice", "speaker", "text"}]}; NAME.txt holds the text;
NAME.cart.txt the same words as a captioner's CART file without times (for
alignment). Deterministic: the same inputs give the same files. Needs
espeak-ng and sox (scripts/setup-system.sh).
"""
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RATE = 16000
WPM = 160
VOICES = [("en-us", "MS. ALVES"), ("en-gb", "MR. OKAFOR"), ("en-us+f3", "MS. LINDQVIST"), ("en-gb+m3", "MR. TANAKA")]
PAUSES = [1.5, 1.0, 2.5, 1.2, 2.0]


def paragraphs():
    """Spoken paragraphs of the fixture CART transcripts, in a fixed order."""
    for path in sorted((ROOT / "fixtures/meeting-eval").glob("*/transcript.txt")):
        text = path.read_text(encoding="utf-8")
        body = text.split("***", 1)[-1]
        for line in body.splitlines():
            line = re.sub(r"^>>\s*[^:]{1,60}:\s*", "", line.strip())
            line = re.sub(r"\([^)]*\)", " ", line)
            line = line.replace("\u2011\u2011", ",").replace("\u2011", "-").replace("--", ",")
            line = re.sub(r"\s+", " ", line).strip(" ,")
            if len(line.split()) >= 6:
                yield line


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def seconds(path):
    out = subprocess.run(["soxi", "-D", str(path)], check=True, capture_output=True, text=True)
    return float(out.stdout)


def make(out_dir: Path, name: str, target: float):
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        run("sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(work / "lead.wav"), "trim", "0", "1.0")
        parts, said, t = [work / "lead.wav"], [], 1.0
        for i, text in enumerate(paragraphs()):
            if t >= target:
                break
            voice, speaker = VOICES[i % len(VOICES)]
            raw, clean = work / f"raw{i}.wav", work / f"p{i}.wav"
            run("espeak-ng", "-v", voice, "-s", str(WPM), "-w", str(raw), text)
            run("sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(clean),
                "silence", "1", "0.01", "0.1%", "reverse", "silence", "1", "0.01", "0.1%", "reverse", "norm", "-3")
            d = seconds(clean)
            said.append({"start": round(t, 3), "end": round(t + d, 3), "voice": voice, "speaker": speaker, "text": text})
            pause = PAUSES[i % len(PAUSES)]
            gap = work / f"gap{i}.wav"
            run("sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(gap), "trim", "0", str(pause))
            parts += [clean, gap]
            t += d + pause
        # sox opens every input at once: join in groups to stay under the open-file limit.
        groups = []
        for g in range(0, len(parts), 200):
            group = work / f"group{g}.wav"
            run("sox", *map(str, parts[g:g + 200]), str(group))
            groups.append(group)
        joined = work / "joined.wav"
        run("sox", *map(str, groups), str(joined))
        noise = work / "noise.wav"
        run("sox", str(joined), str(noise), "synth", "brownnoise", "vol", "0.004")
        flac = out_dir / f"{name}.flac"
        run("sox", "-m", str(joined), str(noise), "-b", "16", str(flac))
    duration = seconds(flac)
    meta = {"audio": flac.name, "sample_rate": RATE, "duration": round(duration, 3), "paragraphs": said}
    (out_dir / f"{name}.json").write_text(json.dumps(meta, indent=1) + "\n")
    (out_dir / f"{name}.txt").write_text("\n".join(p["text"] for p in said) + "\n")
    cart = ["BENCHMARK SESSION", "", "***"]
    previous = None
    for p in said:
        cart.append(f">> {p['speaker']}:  {p['text']}" if p["speaker"] != previous else p["text"])
        cart.append("")
        previous = p["speaker"]
    (out_dir / f"{name}.cart.txt").write_text("\n".join(cart))
    words = sum(len(p["text"].split()) for p in said)
    print(f"make_recordings: {flac} ({duration:.0f} s, {len(said)} paragraphs, {words} words)", file=sys.stderr)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out_dir = Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    for spec in sys.argv[2:]:
        name, secs = spec.split(":")
        flac = out_dir / f"{name}.flac"
        if flac.exists() and (out_dir / f"{name}.json").exists() and os.path.getmtime(flac) >= os.path.getmtime(__file__):
            print(f"make_recordings: {flac} is up to date", file=sys.stderr)
            continue
        make(out_dir, name, float(secs))


if __name__ == "__main__":
    main()
