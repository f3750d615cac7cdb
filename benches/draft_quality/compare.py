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

Before scoring, every system's texts of a track are put in one order, the
meeting's programme order (session date and time, then time within the
session) of the finding each text is drawn from (for a rapporteur message,
the earliest finding its text uses). ROUGE-L is one longest common
subsequence over the whole track, so it depends on the order of the texts;
sumy returns its picks in input order and rapporteur by rank, which measured
the output order more than the content. ROUGE-1, ROUGE-Lsum, redundancy and
coverage do not depend on the order, ROUGE-2 only through bigrams spanning
two texts.

--subset NAME=TRACK,TRACK (repeatable; TRACK;TRACK when labels have commas) reports the figures over those tracks
too (coverage then over the sessions with findings in them), e.g. a
development half and a held-out half of the meeting.

Usage: compare.py --findings DIR --draft messages.json --references reference-messages.md
                  [--model-dir DIR] [--json OUT] [--subset NAME=TRACK,TRACK ...]
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
    """Findings files under root: <id>.findings.json or sessions/<id>/findings.json.

    Folders and files are read in sorted order, so that the peers see the
    findings in the same order on every machine (sumy returns its picks in
    input order)."""
    sessions = {}
    for dirpath, dirnames, files in os.walk(root):
        dirnames.sort()
        for name in sorted(files):
            if name == "findings.json" or name.endswith(".findings.json"):
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    data = json.load(f)
                items = data if isinstance(data, list) else [data]
                for s in items:
                    sid = s["session"]["id"]
                    entry = sessions.setdefault(
                        sid,
                        {
                            "track": s.get("track"),
                            "findings": [],
                            "date": s["session"].get("date") or "",
                            "time": s["session"].get("time") or "",
                        },
                    )
                    entry["findings"].extend(s.get("findings", []))
    return sessions


def programme_key(sessions, sid, start):
    """Where a finding comes in the meeting: its session's date and time (the
    programme), then its time within the session (a report, which has none,
    after the transcript)."""
    s = sessions.get(sid, {})
    return (s.get("date", ""), s.get("time", ""), sid, start if start is not None else float("inf"))


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


def score_systems(systems, refs, tracks, sessions, embedder, scorer):
    """Figures of each system over `tracks` (those with references)."""
    track_sessions = {
        sid for sid, s in sessions.items() if any((f.get("track") or s.get("track")) in tracks for f in s["findings"])
    }
    rows = {}
    for name, per_track in systems.items():
        scores = defaultdict(list)
        all_texts, cited = [], set()
        for track in tracks:
            picks = per_track.get(track, [])
            # Every system's texts in the same order, the meeting's programme
            # order (ROUGE-L is one longest common subsequence over the whole
            # track, so it depends on the order of the texts; the peers
            # return theirs in input order, rapporteur by rank).
            texts = [t for t, _, _ in sorted(picks, key=lambda p: p[1])]
            s = scorer.score("\n".join(refs[track]), "\n".join(texts))
            for key, v in s.items():
                scores[key].append(v.fmeasure)
            all_texts.extend(texts)
            cited.update(sid for _, _, sids in picks for sid in sids)
        rows[name] = {
            **{k: sum(v) / len(v) for k, v in scores.items()},
            "redundancy": embedder.max_similarity(all_texts),
            "coverage": len(cited & track_sessions) / len(track_sessions) if track_sessions else 0.0,
            "messages": len(all_texts),
            "words_per_message": sum(len(t.split()) for t in all_texts) / max(len(all_texts), 1),
        }
    return rows, len(track_sessions)


def print_rows(title, rows):
    print(title)
    print(
        f"{'system':<11} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8} {'ROUGE-Lsum':>10} "
        f"{'redundancy':>10} {'coverage':>9} {'messages':>8} {'words':>6}"
    )
    for name, r in rows.items():
        print(
            f"{name:<11} {r['rouge1']:>8.4f} {r['rouge2']:>8.4f} {r['rougeL']:>8.4f} {r['rougeLsum']:>10.4f} "
            f"{r['redundancy']:>10.3f} {r['coverage']:>9.3f} {r['messages']:>8} {r['words_per_message']:>6.1f}"
        )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--findings", required=True)
    ap.add_argument("--draft", required=True)
    ap.add_argument("--references", required=True)
    ap.add_argument("--model-dir", default=None)
    ap.add_argument("--json", default=None)
    ap.add_argument(
        "--subset",
        action="append",
        default=[],
        metavar="NAME=TRACK,TRACK",
        help="also report the figures over these tracks only (repeatable), e.g. dev=Data,Environment",
    )
    args = ap.parse_args()

    sessions = load_findings(args.findings)
    with open(args.draft, encoding="utf-8") as f:
        draft = json.load(f)
    labels = [t["track"] for t in draft["tracks"]]
    refs = parse_references(args.references, labels)
    if not refs:
        sys.exit(f"draft_quality: no reference messages under headings named like the tracks {labels} in {args.references}")

    by_track = defaultdict(list)  # track -> [(text, programme key, session)]
    for sid, s in sessions.items():
        for f in s["findings"]:
            if f.get("kind") == "question" or not f.get("text", "").strip():
                continue
            track = f.get("track") or s.get("track") or "Unassigned"
            by_track[track].append((f["text"], programme_key(sessions, f.get("session") or sid, f.get("start")), sid))

    # Per system and track: [(text, programme key, sessions behind it)].
    systems = {"rapporteur": {}, "lexrank": {}, "textrank": {}}
    for t in draft["tracks"]:
        picks = []
        for g in t["groups"]:
            for m in g["messages"]:
                used = [s for s in m["sources"] if s.get("used")] or m["sources"]
                key = min(programme_key(sessions, s["session"], s.get("start")) for s in used)
                picks.append((m["text"], key, {s["session"] for s in m["sources"]}))
        systems["rapporteur"][t["track"]] = picks
    for track in refs:
        k = len(systems["rapporteur"].get(track, [])) or len(refs[track])
        items = by_track.get(track, [])
        texts = [t for t, _, _ in items]
        first = {}
        for t, key, sid in items:
            if t not in first or key < first[t][0]:
                first[t] = (key, sid)
        for name, cls in (("lexrank", LexRankSummarizer), ("textrank", TextRankSummarizer)):
            chosen = summarize(cls, texts, k)
            systems[name][track] = [(c, first[c][0], {first[c][1]}) for c in chosen if c in first]

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=False)
    corpus = [t for items in by_track.values() for t, _, _ in items]
    embedder = Embedder(args.model_dir, corpus)
    print(
        f"tracks with references: {len(refs)}; sessions: {len(sessions)}; similarity: {embedder.kind}; "
        "every system's texts in programme order"
    )
    out = {"similarity": embedder.kind, "order": "programme", "sets": {}}
    subsets = [("all", sorted(refs))]
    for spec in args.subset:
        name, _, tracks = spec.partition("=")
        # Tracks are separated by commas, or by semicolons when a label has commas;
        # one whole label (commas and all) is one track.
        if tracks.strip() in refs:
            chosen = [tracks.strip()]
        else:
            chosen = [t.strip() for t in tracks.split(";" if ";" in tracks else ",") if t.strip()]
        missing = [t for t in chosen if t not in refs]
        if missing:
            sys.exit(f"draft_quality: --subset {spec}: no reference messages for {missing}")
        subsets.append((name, chosen))
    for name, tracks in subsets:
        rows, n_sessions = score_systems(systems, refs, tracks, sessions, embedder, scorer)
        print_rows(f"\n[{name}] tracks: {', '.join(tracks)}; sessions: {n_sessions}", rows)
        out["sets"][name] = {"tracks": tracks, "sessions": n_sessions, "systems": rows}
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
