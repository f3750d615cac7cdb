#!/usr/bin/env python3
"""rapporteur against faster-whisper on the same recordings, in one run.

    run.py --rapporteur BIN --ct2 CT2_DIR --models DIR [--threads 2] [--only short] REC.json...

Each REC.json (from make_recordings.py) names a recording and its known
text. Every configuration transcribes every recording once, one after the
other (nothing else of ours runs meanwhile), and is scored against the
known text with one word-error-rate function (the normalisation of
crates/asr/src/wer.rs: lower case, punctuation removed, apostrophes inside
words kept, hyphens split). Prints a Markdown table and writes
benches/out/asr/peer.json.

faster-whisper runs in this process on the CTranslate2 tiny.en directory the
models were converted from (the same weights), on `--threads` CPU threads,
int8 and float32, beam 1 and 5, otherwise with its defaults (language en);
its time is the transcription alone, the model loaded beforehand. rapporteur
runs as the `rapporteur transcribe` command: its time is the whole process
(start, model load, decode, writing the transcript), so the comparison leans
against it. CPU seconds (user + system, all threads) are reported beside
wall time: on a machine shared with other work, they are the steadier figure.
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def normalized_words(text):
    # As crates/asr/src/wer.rs: alphanumerics lower-cased, an apostrophe kept
    # between two alphanumerics, anything else separates words.
    out = []
    chars = list(text)
    for i, c in enumerate(chars):
        if c.isalnum():
            out.append(c.lower())
        elif c in "'\u2019" and 0 < i < len(chars) - 1 and chars[i - 1].isalnum() and chars[i + 1].isalnum():
            out.append("'")
        else:
            out.append(" ")
    return "".join(out).split()


def wer(reference, hypothesis):
    r, h = normalized_words(reference), normalized_words(hypothesis)
    row = list(range(len(h) + 1))
    for i in range(1, len(r) + 1):
        diagonal, row[0] = row[0], i
        for j in range(1, len(h) + 1):
            above = row[j]
            row[j] = min(diagonal + (r[i - 1] != h[j - 1]), above + 1, row[j - 1] + 1)
            diagonal = above
    return row[len(h)] / max(len(r), 1)


def load_avg():
    return os.getloadavg()[0]


def run_rapporteur(binary, model, audio, extra, threads):
    with tempfile.TemporaryDirectory() as out:
        cmd = [binary, "transcribe", str(audio), "--model", str(model), "--threads", str(threads),
               "--to", "txt", "-o", out, *extra]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr}")
        text = (Path(out) / (Path(audio).stem + ".txt")).read_text()
    # Strip the "[hh:mm:ss] Speaker:" style prefixes a txt transcript may carry.
    text = "\n".join(re.sub(r"^\[[0-9:.]+\]\s*", "", line) for line in text.splitlines())
    summary = [line for line in done.stderr.splitlines() if "real-time factor" in line]
    return wall, cpu, text, summary


def run_peer(model, audio, beam, vad):
    cpu = time.process_time()
    started = time.perf_counter()
    segments, _info = model.transcribe(str(audio), beam_size=beam, language="en", vad_filter=vad)
    segments = list(segments)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    text = " ".join(s.text.strip() for s in segments)
    # Each 30-second window (one encoder pass) is a distinct seek; a window
    # decoded again at a higher temperature keeps the temperature that passed.
    windows = {s.seek for s in segments}
    hotter = {s.seek for s in segments if s.temperature > 0}
    return wall, cpu, text, f"{len(windows)} windows with text, {len(hotter)} decoded again at a higher temperature"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rapporteur", required=True)
    ap.add_argument("--ct2", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default="benches/out/asr/peer.json")
    ap.add_argument("--skip-peer", action="store_true")
    ap.add_argument("--rapporteur-configs", default="all", help="comma-separated names, or all")
    ap.add_argument("--peer-configs", default="all", help="comma-separated indices, or all")
    ap.add_argument("--extra", action="append", default=[], metavar="NAME|BIN|MODEL|ARGS",
                    help="one more rapporteur configuration: a name, a binary (another build of it), a model file "
                         "in --models and space-separated arguments; repeatable")
    ap.add_argument("recordings", nargs="+")
    args = ap.parse_args()

    models = Path(args.models)
    f16, q8 = models / "ggml-tiny.en.bin", models / "ggml-tiny.en-q8_0.bin"
    # (name, model, extra arguments): the default first, then one lever at a time. Every
    # configuration packs the speech into windows of up to 30 s (crates/asr/src/transcribe/window.rs)
    # and, but for --no-context, primes each window with the previous one's text in runs of four.
    ours = [
        ("rapporteur f16, 2 workers x 1 thread, beam 1 (default)", f16, []),
        ("rapporteur q8_0, 2 workers x 1 thread, beam 1", q8, []),
        ("rapporteur f16, 2 x 1, beam 1, --full-audio-ctx", f16, ["--full-audio-ctx"]),
        ("rapporteur f16, 1 worker x 2 threads, beam 1", f16, ["--workers", "1"]),
        ("rapporteur q8_0, 2 x 1, beam 5", q8, ["--beam", "5"]),
        ("rapporteur f16, 2 x 1, beam 1, --flash-attn", f16, ["--flash-attn"]),
        ("rapporteur f16, 2 x 1, beam 1, --temperature-step 0", f16, ["--temperature-step", "0"]),
        ("rapporteur q8_0, 2 x 1, beam 4", q8, ["--beam", "4"]),
        ("rapporteur f16, 2 x 1, beam 1, --no-context", f16, ["--no-context"]),
    ]
    if args.rapporteur_configs != "all":
        wanted = args.rapporteur_configs.split(",")
        ours = [c for k, c in enumerate(ours) if str(k) in wanted]
    ours = [(name, model, extra, args.rapporteur) for name, model, extra in ours]
    for spec in args.extra:
        name, binary, model, extra = spec.split("|")
        ours.append((name, models / model, extra.split(), binary))
    rows = []
    recs = [json.loads(Path(r).read_text()) | {"dir": str(Path(r).parent), "name": Path(r).stem} for r in args.recordings]

    def record(system, rec, wall, cpu, text, note=""):
        ref = " ".join(p["text"] for p in rec["paragraphs"])
        row = {"system": system, "recording": rec["name"], "audio_s": rec["duration"], "wall_s": round(wall, 2),
               "rtf": round(wall / rec["duration"], 4), "cpu_s": round(cpu, 2), "wer": round(wer(ref, text), 4), "note": note,
               "load_avg": round(load_avg(), 2)}
        rows.append(row)
        print(f"{row['recording']:>6}  {row['wall_s']:8.2f} s  CPU {row['cpu_s']:8.2f} s  RTF {row['rtf']:.3f}  WER {row['wer']*100:5.1f}%  "
              f"load {row['load_avg']:.1f}  {system} {note}", file=sys.stderr, flush=True)

    peers = {}
    if not args.skip_peer:
        from faster_whisper import WhisperModel
        for compute_type in ["int8", "float32"]:
            peers[compute_type] = WhisperModel(args.ct2, device="cpu", compute_type=compute_type,
                                               cpu_threads=args.threads)
    theirs = [(f"faster-whisper {ct}, beam {beam}", ct, beam, False) for ct in peers for beam in [1, 5]]
    if "int8" in peers:
        theirs.append(("faster-whisper int8, beam 1, vad_filter", "int8", 1, True))
    if args.peer_configs != "all":
        wanted = args.peer_configs.split(",")
        theirs = [c for k, c in enumerate(theirs) if str(k) in wanted]
    # Ours and theirs take turns, so that a change in the machine's load hits both alike.
    jobs = []
    for k in range(max(len(ours), len(theirs))):
        jobs += [("ours", ours[k])] if k < len(ours) else []
        jobs += [("theirs", theirs[k])] if k < len(theirs) else []
    for rec in recs:
        audio = Path(rec["dir"]) / rec["audio"]
        for side, job in jobs:
            if side == "ours":
                name, model, extra, binary = job
                if not model.is_file():
                    print(f"SKIPPED {name}: {model} not installed (scripts/install-models.sh --q8)", file=sys.stderr)
                    continue
                wall, cpu, text, tail = run_rapporteur(binary, model, audio, extra, args.threads)
                record(name, rec, wall, cpu, text, tail[-1].split(": ", 1)[-1] if tail else "")
            else:
                name, ct, beam, vad = job
                wall, cpu, text, note = run_peer(peers[ct], audio, beam, vad)
                record(name, rec, wall, cpu, text, note)

    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(rows, indent=1) + "\n")
    print("| recording | system | wall (s) | real-time factor | CPU (s) | WER | load avg |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['recording']} ({r['audio_s']:.0f} s) | {r['system']} | {r['wall_s']:.1f} | {r['rtf']:.3f} | "
              f"{r['cpu_s']:.1f} | {r['wer']*100:.1f}% | {r['load_avg']:.1f} |")


if __name__ == "__main__":
    main()
