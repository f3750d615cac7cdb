#!/usr/bin/env python3
"""Writes fixtures/draft/rouge-reference.json: ROUGE-1/2/L/Lsum of a few
candidate/reference pairs as Google's rouge-score package computes them (no
stemming), for the Rust test that checks `rapporteur_draft::rouge`.

Usage: benches/draft_quality/rouge_reference.py   (needs `pip install rouge-score`)
"""
import json
import os

from rouge_score import rouge_scorer

PAIRS = [
    ("the cat was found under the bed", "the cat was under the bed"),
    (
        "Stakeholders need to invest in community networks.\nThere is a need for affordable access.",
        "There is a need for adequate investment in infrastructure, but also for affordable access and connectivity.\nCommunity connectivity models are one approach.",
    ),
    (
        "Trust is essential for digital health systems. Policy frameworks and standards must balance open data with rights.",
        "Trust is essential for the success of digital health systems. This can be achieved through policy frameworks and standards that balance the use of open and big data with respecting everyone's rights and freedoms.",
    ),
    ("COVID-19 accelerated digitalisation \u2011\u2011 worldwide; e-commerce grew 25%.", "The COVID-19 pandemic has accelerated digitalisation processes worldwide."),
    ("a a a b", "a b b b"),
    ("", "nothing matches here"),
    ("Governments should fund digital skills.\nGovernments should fund digital skills.", "Digital skills need public funding.\nGovernments should act."),
]


def main():
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=False)
    items = []
    for candidate, reference in PAIRS:
        s = scorer.score(reference, candidate)  # rouge-score takes (target, prediction)
        items.append(
            {
                "candidate": candidate,
                "reference": reference,
                "scores": {k: {"precision": v.precision, "recall": v.recall, "f1": v.fmeasure} for k, v in s.items()},
            }
        )
    out = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "draft", "rouge-reference.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"package": "rouge-score", "use_stemmer": False, "items": items}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(items)} pairs to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
