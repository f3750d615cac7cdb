//! A deterministic synthetic session for benchmarks: about 13,000 words over
//! 90 minutes (a typical IGF workshop), several speakers, CART-like quirks.
//! Shared by the benches with `#[path]`; no randomness, so runs compare.

use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript};

const WORDS: &[&str] = &[
    "the",
    "internet",
    "governance",
    "forum",
    "data",
    "we",
    "need",
    "to",
    "ensure",
    "that",
    "meaningful",
    "connectivity",
    "reaches",
    "rural",
    "communities",
    "and",
    "governments",
    "should",
    "work",
    "with",
    "civil",
    "society",
    "on",
    "digital",
    "inclusion",
    "policies",
    "because",
    "trust",
    "in",
    "online",
    "services",
    "depends",
    "security",
    "of",
    "infrastructure",
    "multistakeholder",
    "approach",
    "is",
    "essential",
    "for",
    "local",
    "content",
    "development",
    "private",
    "sector",
    "investment",
    "cross-border",
    "flows",
    "human",
    "rights",
    "privacy",
    "protection",
    "capacity",
    "building",
    "youth",
    "participation",
];

/// A 90-minute transcript of roughly `words` words (use 13,000 for a session).
pub fn session(words: usize) -> Transcript {
    let speakers = ["MODERATOR", "MS. AMINA DIALLO", "MR. JUAN PEREZ", "DR. LI WEI", "CHAIR"];
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        // xorshift64*: fast, deterministic, good enough to vary sentence shapes.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut transcript = Transcript::new(Session { title: Some("Bench session".into()), ..Session::new("bench") });
    let ms_per_word = 90 * 60 * 1000 / words.max(1) as u64;
    let mut written = 0;
    let mut t = 0u64;
    let mut turn = 0;
    while written < words {
        let speaker = speakers[turn % speakers.len()];
        turn += 1;
        for _ in 0..(1 + next() % 4) {
            let n = (8 + next() % 30) as usize;
            let mut text = String::new();
            for i in 0..n {
                if i > 0 {
                    text.push(' ');
                }
                let w = WORDS[(next() % WORDS.len() as u64) as usize];
                if i == 0 {
                    let mut c = w.chars();
                    text.extend(c.next().map(|c| c.to_ascii_uppercase()));
                    text.push_str(c.as_str());
                } else {
                    text.push_str(w);
                }
                if i + 1 < n && next() % 9 == 0 {
                    text.push(',');
                }
            }
            text.push('.');
            let end = t + n as u64 * ms_per_word;
            transcript.segments.push(Segment::new(
                Time::from_millis(t),
                Time::from_millis(end),
                Some(speaker.to_string()),
                text,
                Source::Caption,
                Timing::Exact,
            ));
            t = end;
            written += n;
        }
    }
    transcript
}

/// The same session as a CART raw transcript (no times).
pub fn cart(transcript: &Transcript) -> String {
    let mut out = String::from(
        "IGF 2020 - Day 2 - WS #000 Bench Session\n\nThe following are the outputs of the real-time captioning taken during an IGF virtual event. It is posted as an aid to understanding the proceedings, but should not be treated as an authoritative record.\n***\n",
    );
    let mut last: Option<&str> = None;
    for s in &transcript.segments {
        let speaker = s.speaker.as_deref();
        if speaker != last {
            out.push_str(&format!("\n>> {}:  ", speaker.unwrap_or("")));
            last = speaker;
        } else {
            out.push_str("\n\n");
        }
        out.push_str(&s.text.replace(". ", ".  "));
        out.push('\n');
    }
    out
}
