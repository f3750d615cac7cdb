#!/usr/bin/env python3
"""Generates a synthetic meeting for the pipeline benches: N session folders,
each with session.toml and timed captions (WebVTT, every third one SRT) of
about W words, in the shape of IGF workshops: speakers taking turns, most
sentences discussion, some recommendations, calls to action and takeaways
that the extraction rules find. Deterministic (seeded), so runs compare.

Usage: benches/gen-meeting.py OUT_DIR SESSIONS [WORDS_PER_SESSION] [SEED]
  default 6700 words: 300 sessions make ~2 million words, an IGF meeting.
Writes OUT_DIR/tracks.toml (a copy of fixtures/meeting/tracks.toml) too.
"""
import os
import random
import shutil
import sys

TRACKS = ["Data", "Environment", "Inclusion", "Trust"]
TOPICS = {
    "Data": ["data protection", "cross border data flows", "open data", "health data", "data governance",
             "artificial intelligence", "personal data", "algorithmic accountability"],
    "Environment": ["e-waste", "energy use of data centres", "climate change", "environmental data",
                    "the circular economy", "carbon emissions", "green procurement", "sustainability"],
    "Inclusion": ["community networks", "digital skills", "meaningful connectivity", "local content",
                  "affordable access", "accessibility", "women online", "local languages"],
    "Trust": ["cybersecurity", "disinformation", "encryption", "content moderation", "cyber norms",
              "child online safety", "online harms", "trust in digital services"],
}
ACTORS = ["governments", "regulators", "the private sector", "civil society", "platforms",
          "parliaments", "donors", "the technical community", "the IGF", "universities"]
VERBS = ["invest in", "support", "protect", "fund", "measure", "strengthen", "coordinate on",
         "open up", "build capacity in", "report on"]
# Connective talk: no modal verbs or cue phrases, so the rules find nothing in it.
FILLER = ("in our region the discussion about {t} is moving fast and many people are still not part of it "
          "so the picture we see from the ground is mixed and it changes from one year to the next").split()
DISCUSSION = [
    "In our country the debate on {t} started only two years ago.",
    "I would like to share some experience from the work on {t} in our region.",
    "Thank you, moderator, and thanks to the organisers for inviting me.",
    "So when we talk about {t} we often forget the people who are not online yet.",
    "In our surveys, {t} is understood very differently across regions.",
    "Let me give you an example from a project on {t} with local partners.",
    "There are many initiatives, but coordination on {t} remains weak.",
    "The pandemic made the question of {t} much more visible to everyone.",
    "Picking up on the previous speaker, I want to add one point on {t}.",
    "We published a report last year that looked at {t} in twelve countries.",
]
FINDINGS = [
    "{A} should {v} {t}.",
    "We recommend that {a} {v} {t} as a priority.",
    "{A} must {v} {t} together with local communities.",
    "We call on {a} to {v} {t}.",
    "The key takeaway is that {t} needs sustained funding.",
    "It is essential that {a} {v} {t} in a transparent way.",
]
NAMES = ["MS. AMINA DIALLO", "MR. JUAN PEREZ", "DR. LI WEI", "MS. SARA HOLM", "MR. KOFI MENSAH",
         "MS. PRIYA NAIR", "MR. TOMAS NOVAK", "MS. LEILA HADDAD"]


def ts(ms, sep):
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02}:{m:02}:{s:02}{sep}{ms:03}"


def sentence(rng, topic):
    # About one finding per 150-200 words, as in the organisers' reports and
    # CART transcripts of fixtures/meeting-eval.
    if rng.random() < 0.05:
        a = rng.choice(ACTORS)
        return rng.choice(FINDINGS).format(A=a[0].upper() + a[1:], a=a, v=rng.choice(VERBS), t=topic)
    if rng.random() < 0.4:
        n = rng.randint(8, 24)
        start = rng.randint(0, len(FILLER) - 1)
        words = [FILLER[(start + k) % len(FILLER)] for k in range(n)]
        return (" ".join(words)).format(t=topic).capitalize() + "."
    return rng.choice(DISCUSSION).format(t=topic)


def session(rng, i, words, out):
    track = TRACKS[i % len(TRACKS)]
    topics = TOPICS[track]
    sid = f"ws-{i:04d}"
    d = os.path.join(out, sid)
    os.makedirs(d, exist_ok=True)
    speakers = rng.sample(NAMES, 4)
    with open(os.path.join(d, "session.toml"), "w") as f:
        f.write(f'title = "Workshop {i}: {topics[i % len(topics)]}"\ntype = "workshop"\n'
                f'tracks = ["{track}"]\nroom = "Room {i % 12 + 1}"\ndate = "2026-11-{10 + i % 5}"\n'
                f'language = "en"\n')
        for s in speakers:
            f.write(f'\n[[speakers]]\nname = "{s.title()}"\nrole = "speaker"\n')
    srt = i % 3 == 2
    path = os.path.join(d, "captions.srt" if srt else "captions.vtt")
    cues = []
    t, n, speaker = 5000, 0, speakers[0]
    while n < words:
        if rng.random() < 0.08:
            speaker = rng.choice(speakers)
            turn = True
        else:
            turn = False
        text = sentence(rng, rng.choice(topics))
        n += len(text.split())
        dur = 400 * len(text.split())
        cues.append((t, t + dur, speaker, turn, text))
        t += dur + rng.randint(0, 800)
    with open(path, "w") as f:
        if not srt:
            f.write("WEBVTT\n\n")
        for k, (start, end, spk, turn, text) in enumerate(cues):
            if srt:
                prefix = f">> {spk}: " if turn or k == 0 else ""
                f.write(f"{k + 1}\n{ts(start, ',')} --> {ts(end, ',')}\n{prefix}{text}\n\n")
            else:
                f.write(f"{ts(start, '.')} --> {ts(end, '.')}\n<v {spk}>{text}\n\n")
    return n


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, count = sys.argv[1], int(sys.argv[2])
    words = int(sys.argv[3]) if len(sys.argv) > 3 else 6700
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 7
    os.makedirs(out, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    shutil.copy(os.path.join(here, "..", "fixtures", "meeting", "tracks.toml"), os.path.join(out, "tracks.toml"))
    total = 0
    for i in range(count):
        total += session(random.Random(seed * 1_000_003 + i), i, words, out)
    print(f"gen-meeting: {count} sessions, {total} words in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
