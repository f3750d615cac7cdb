#!/usr/bin/env python3
"""Writes a synthetic meeting of findings for the drafting scale test:
N sessions (default 300) × about 33 findings (10,000 in all), four tracks,
transcript and report findings, as `rapporteur extract` writes them
(<id>.findings.json). Deterministic (fixed seed).

Usage: make_findings.py OUT_DIR [SESSIONS] [FINDINGS]
"""
import json
import os
import random
import sys

TRACKS = {
    "Data": (
        ["data protection authorities", "cross-border data flows", "health data", "open government data", "AI systems", "data localisation rules", "privacy frameworks", "algorithmic transparency"],
        ["strengthen", "harmonise", "audit", "regulate", "fund", "open up", "review", "protect"],
    ),
    "Environment": (
        ["e-waste collection", "data centre energy use", "environmental data", "the carbon footprint of networks", "green procurement", "circular device design", "climate monitoring", "renewable energy for connectivity"],
        ["measure", "reduce", "report", "invest in", "standardise", "publish", "incentivise", "phase out"],
    ),
    "Inclusion": (
        ["community networks", "digital skills for women", "affordable broadband", "local content in indigenous languages", "accessibility for persons with disabilities", "rural connectivity", "spectrum for small operators", "youth participation"],
        ["support", "subsidise", "expand", "license", "train", "include", "prioritise", "finance"],
    ),
    "Trust": (
        ["cybersecurity norms", "disinformation responses", "encryption", "critical infrastructure protection", "content moderation", "incident reporting", "digital identity", "child online safety"],
        ["implement", "coordinate", "defend", "clarify", "assess", "secure", "oversee", "co-develop"],
    ),
}
ACTORS = ["Governments", "Regulators", "The private sector", "Civil society", "Platforms", "Donors", "Parliaments", "Stakeholders", "International organisations", "Technical experts"]
MODALS = {"recommendation": ["should", "must", "need to"], "call_to_action": ["are urged to", "are called on to"], "takeaway": ["have learned to", "are starting to"], "commitment": ["will"], "concern": ["fail to"]}
QUALIFIERS = ["with clear accountability", "in developing countries", "through multistakeholder cooperation", "before new rules are adopted", "with sustained public funding", "at national and regional level", "in consultation with affected communities", "as a matter of urgency", "with open standards", "so that no one is left behind"]
KINDS = ["recommendation"] * 4 + ["call_to_action"] * 2 + ["takeaway"] * 3 + ["commitment", "concern", "question"]


def main():
    out = sys.argv[1]
    n_sessions = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    n_findings = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    rng = random.Random(2020)
    os.makedirs(out, exist_ok=True)
    tracks = list(TRACKS)
    per = n_findings // n_sessions
    extra = n_findings - per * n_sessions
    for s in range(n_sessions):
        sid = f"ws-{s + 1:03d}"
        track = tracks[s % len(tracks)]
        objects, verbs = TRACKS[track]
        speakers = [f"SPEAKER {chr(65 + k)}" for k in range(rng.randint(3, 6))]
        findings = []
        count = per + (1 if s < extra else 0)
        for i in range(count):
            kind = rng.choice(KINDS)
            report = i >= count - 4
            text = (
                f"{rng.choice(ACTORS)} {rng.choice(MODALS.get(kind, ['should']))} {rng.choice(verbs)} "
                f"{rng.choice(objects)} {rng.choice(QUALIFIERS)}"
            )
            if rng.random() < 0.5:
                text += f", and {rng.choice(verbs)} {rng.choice(objects)} {rng.choice(QUALIFIERS)}"
            text += "?" if kind == "question" else "."
            start = 60.0 * i + rng.randint(0, 50)
            findings.append({
                "kind": kind, "text": text, "quote": text, "session": sid,
                "speaker": None if report else rng.choice(speakers),
                "start": None if report else start, "end": None if report else start + 9.5,
                "rule": "report:call_to_action" if report else "igf.synthetic", "track": track,
                "track_confidence": 1.0, "score": round(rng.uniform(0.5, 1.0), 2),
                "source": "report" if report else "caption",
            })
        data = {"session": {"id": sid, "title": f"Synthetic session {s + 1}", "tracks": [track]}, "track": track, "track_confidence": 1.0, "findings": findings}
        with open(os.path.join(out, f"{sid}.findings.json"), "w", encoding="utf-8") as f:
            json.dump(data, f)
    print(f"wrote {n_sessions} sessions, {n_findings} findings to {out}")


if __name__ == "__main__":
    main()
