#!/usr/bin/env python3
"""sentence-transformers' side of benches/draft_quality/embed_peer.sh: embeds
the texts of a JSON list with all-MiniLM-L6-v2 and prints one JSON line with
the count, wall and CPU seconds (user + system of every thread of this process)
of the encoding alone (model load apart), and sentences per second of each.

Usage: embed_peer.py MODEL_DIR TEXTS_JSON BATCH THREADS [VECTORS_OUT_JSON]
"""
import json
import os
import sys
import time


def cpu_seconds():
    t = os.times()
    return t.user + t.system


def main():
    model_dir, texts_path, batch, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)

    texts = json.load(open(texts_path, encoding="utf-8"))
    c0, w0 = cpu_seconds(), time.perf_counter()
    model = SentenceTransformer(model_dir, device="cpu")
    load_cpu, load_wall = cpu_seconds() - c0, time.perf_counter() - w0
    # Warm-up on a few texts (first-call allocations), as criterion would.
    model.encode(texts[:64], batch_size=batch)
    c0, w0 = cpu_seconds(), time.perf_counter()
    vectors = model.encode(texts, batch_size=batch, normalize_embeddings=False)
    cpu, wall = cpu_seconds() - c0, time.perf_counter() - w0
    if len(sys.argv) > 5:
        with open(sys.argv[5], "w", encoding="utf-8") as f:
            json.dump(vectors[:200].tolist(), f)
    print(json.dumps({
        "system": "sentence-transformers",
        "version": __import__("sentence_transformers").__version__ + " / torch " + torch.__version__,
        "threads": torch.get_num_threads(),
        "batch": batch,
        "sentences": len(texts),
        "load_cpu_s": round(load_cpu, 3),
        "load_wall_s": round(load_wall, 3),
        "cpu_s": round(cpu, 3),
        "wall_s": round(wall, 3),
        "per_cpu_s": round(len(texts) / cpu, 1),
        "per_wall_s": round(len(texts) / wall, 1),
    }))


if __name__ == "__main__":
    main()
