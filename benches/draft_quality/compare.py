#!/usr/bin/env python3
"""Side-by-side quality of draft messages: rapporteur against LexRank and
TextRank (as sumy implements them) on the same findings, per thematic track,
scored against reference messages written by people.

Figures (macro-averaged over the tracks that have reference messages):
  ROUGE-1/2/L/Lsum F1  rouge-score (no stemming), the track's selected texts
                       (one per line) against its reference messages
  redundancy           highest cosine similarity between two selected texts
                       of the whole draft (all-MiniLM-L6-v2 when installed,
                       else TF-IDF), lower is better
  coverage             share of the meeting's sessions behind at least one
                       selected text (for rapporteur: the sessions of every
                       finding a message cites), higher is better

Each peer selects, per track, as many findings as rapporteur drafted
messages there (or as many as the references have when rapporteur has none),
from the same findings rapporteur saw (questions left out, as rapporteur does).

Usage: compare.py --findings DIR --draft messages.json --references reference-messages.md
                  [--model-dir DIR] [--json OUT]
Needs: pip install sumy rouge-score (and sentence-transformers for redundancy).
"""
import argparse
import json
import os
import re
import sys
from collections import defaultdict

try:
    from rouge_score import rouge_scorer
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words
except ImportError as e:  # pragma: no cover - set-up problem, said plainly
    sys.exit(f"draft_quality: missing Python package ({e.name}): pip install sumy rouge-score")


class WordTokenizer:
    """sumy needs only `to_words`; a regex keeps nltk's punkt data (a download) out."""

    language = "english"

    def to_words(self, sentence):
        return re.findall(r"[A-Za-z0-9][A-Za-z0-9'-]*", sentence)

    def to_sentences(self, paragraph):
        return [paragraph]


def load_findings(root):
    """Findings files under root: <id>.findings.json or sessions/<id>/findings.json."""
    sessions = {}
    for dirpath, _, files in os.walk(root):
        for name in sorted(files):
            if name == "findings.json" or name.endswith(".findings.json"):
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    data = json.load(f)
                items = data if isinstance(data, list) else [data]
                for s in items:
                    sid = s["session"]["id"]
                    entry = sessions.setdefault(sid, {"track": s.get("track"), "findings": []})
                    entry["findings"].extend(s.get("findings", []))
    return sessions


def parse_references(path, labels):
    """`## Track` headings (matching a track label) with bulleted messages under them."""
    refs = defaultdict(list)
    track = None
    current = None
    lower = {l.lower(): l for l in labels}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            m = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
            if m:
                title = m.group(2).strip()
                key = re.sub(r"^(track\s*[:\-]\s*)", "", title, flags=re.I).strip().lower()
                if key in lower:
                    track = lower[key]
                elif len(m.group(1)) <= 2:
                    track = None
                current = None
                continue
            b = re.match(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$", line)
            if b and track:
                current = [b.group(1).strip()]
                refs[track].append(current)
            elif line.strip() and current is not None and line.startswith((" ", "\t")):
                current.append(line.strip())
            elif not line.strip():
                current = None
    return {t: [" ".join(parts) for parts in items] for t, items in refs.items()}


def summarize(summarizer_cls, texts, k):
    if k <= 0 or not texts:
        return []
    tok = WordTokenizer()
    doc = ObjectDocumentModel([Paragraph([Sentence(t, tok) for t in texts])])
    s = summarizer_cls(Stemmer("english"))
    s.stop_words = get_stop_words("english")
    chosen = [str(x) for x in s(doc, k)]
    return chosen


class Embedder:
    def __init__(self, model_dir, corpus):
        self.kind = "tfidf"
        try:
            from sentence_transformers import SentenceTransformer

            if model_dir and os.path.isfile(os.path.join(model_dir, "model.safetensors")):
                self.model = SentenceTransformer(model_dir, device="cpu")
                self.kind = "all-MiniLM-L6-v2"
        except ImportError:
            pass
        if self.kind == "tfidf":
            from sklearn.feature_extraction.text import TfidfVectorizer

            self.vec = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(corpus)

    def max_similarity(self, texts):
        if len(texts) < 2:
            return 0.0
        if self.kind == "tfidf":
            m = self.vec.transform(texts)
            sim = (m @ m.T).toarray()
        else:
            import numpy as np

            e = self.model.encode(texts, normalize_embeddings=True)
            sim = np.asarray(e) @ np.asarray(e).T
        best = 0.0
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                best = max(best, float(sim[i][j]))
        return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--findings", required=True)
    ap.add_argument("--draft", required=True)
    ap.add_argument("--references", required=True)
    ap.add_argument("--model-dir", default=None)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()

    sessions = load_findings(args.findings)
    with open(args.draft, encoding="utf-8") as f:
        draft = json.load(f)
    labels = [t["track"] for t in draft["tracks"]]
    refs = parse_references(args.references, labels)
    if not refs:
        sys.exit(f"draft_quality: no reference messages under headings named like the tracks {labels} in {args.references}")

    by_track = defaultdict(list)  # track -> [(text, session)]
    for sid, s in sessions.items():
        for f in s["findings"]:
            if f.get("kind") == "question" or not f.get("text", "").strip():
                continue
            by_track[f.get("track") or s.get("track") or "Unassigned"].append((f["text"], sid))

    systems = {"rapporteur": {}, "lexrank": {}, "textrank": {}}
    for t in draft["tracks"]:
        msgs = [m for g in t["groups"] for m in g["messages"]]
        systems["rapporteur"][t["track"]] = (
            [m["text"] for m in msgs],
            {s["session"] for m in msgs for s in m["sources"]},
        )
    for track in refs:
        k = len(systems["rapporteur"].get(track, ([], set()))[0]) or len(refs[track])
        items = by_track.get(track, [])
        texts = [t for t, _ in items]
        session_of = {}
        for t, sid in items:
            session_of.setdefault(t, sid)
        for name, cls in (("lexrank", LexRankSummarizer), ("textrank", TextRankSummarizer)):
            chosen = summarize(cls, texts, k)
            systems[name][track] = (chosen, {session_of[c] for c in chosen if c in session_of})

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=False)
    corpus = [t for items in by_track.values() for t, _ in items]
    embedder = Embedder(args.model_dir, corpus)
    total_sessions = len(sessions)
    rows = {}
    for name, per_track in systems.items():
        scores = defaultdict(list)
        for track, ref in refs.items():
            texts, _ = per_track.get(track, ([], set()))
            s = scorer.score("\n".join(ref), "\n".join(texts))
            for key, v in s.items():
                scores[key].append(v.fmeasure)
        all_texts = [x for texts, _ in per_track.values() for x in texts]
        cited = set().union(*[sess for _, sess in per_track.values()]) if per_track else set()
        rows[name] = {
            **{k: sum(v) / len(v) for k, v in scores.items()},
            "redundancy": embedder.max_similarity(all_texts),
            "coverage": len(cited) / total_sessions if total_sessions else 0.0,
            "messages": len(all_texts),
        }

    print(f"tracks with references: {len(refs)}; sessions: {total_sessions}; similarity: {embedder.kind}")
    print(f"{'system':<11} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8} {'ROUGE-Lsum':>10} {'redundancy':>10} {'coverage':>9} {'messages':>8}")
    for name, r in rows.items():
        print(
            f"{name:<11} {r['rouge1']:>8.4f} {r['rouge2']:>8.4f} {r['rougeL']:>8.4f} {r['rougeLsum']:>10.4f} "
            f"{r['redundancy']:>10.3f} {r['coverage']:>9.3f} {r['messages']:>8}"
        )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"similarity": embedder.kind, "tracks": sorted(refs), "systems": rows}, f, indent=1)


if __name__ == "__main__":
    main()
