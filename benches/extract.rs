//! Extraction over a whole meeting: ~2 million words of synthetic session
//! speech (250 sessions of 8,000 words), on 1 and 2 threads (rayon across
//! sessions). Target: under 2 s on 2 cores.
//!
//! `cargo bench --bench extract` (the corpus is generated, deterministic).

use criterion::{criterion_group, criterion_main, Criterion};
use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript};
use rapporteur_extract::{Extractor, RuleSet, SessionInput, Tracks};

/// A small deterministic generator (xorshift), so every run sees the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const SUBJECTS: &[&str] = &[
    "governments",
    "regulators",
    "the private sector",
    "civil society",
    "we",
    "platforms",
    "the IGF",
    "stakeholders",
    "parliaments",
    "donors",
];
const VERBS: &[&str] = &[
    "invest in",
    "support",
    "protect",
    "regulate",
    "fund",
    "rethink",
    "measure",
    "open up",
    "strengthen",
    "coordinate",
];
const OBJECTS: &[&str] = &[
    "community networks",
    "digital skills",
    "data protection",
    "local content",
    "cybersecurity capacity",
    "meaningful connectivity",
    "environmental data",
    "open standards",
    "public access points",
    "human rights online",
];
const STATEMENTS: &[&str] = &[
    "In my country the situation is quite different, because the main operator is owned by the state",
    "We ran a pilot with three hospitals in the north and the results were encouraging",
    "Almost half of the population is still offline, especially in rural areas",
    "The law was adopted two years ago and it entered into force last spring",
    "This is a very complex issue with many dimensions, technical, legal and social",
    "When the pandemic hit, uh, the schools were not ready for distance learning",
    "Our study covered twelve countries and more than two thousand respondents",
    "The cost of one gigabyte of data varies enormously between countries",
];
const HOUSEKEEPING: &[&str] = &[
    "Can you hear me",
    "Next slide, please",
    "We are running out of time",
    "Thank you very much for that",
    "Please mute your microphones",
    "I now give the floor to our next speaker",
];
const SPEAKERS: &[&str] = &["MODERATOR", "MS. DIALLO", "MR. OKONKWO", "DR. NAKAMURA", "MS. FERREIRA", "AMBASSADOR KIM"];

fn sentence(rng: &mut Rng) -> String {
    match rng.next() % 10 {
        0 => format!("{}.", rng.pick(HOUSEKEEPING)),
        1 | 2 => format!("I think {} should {} {}.", rng.pick(SUBJECTS), rng.pick(VERBS), rng.pick(OBJECTS)),
        3 => format!("There is a need to {} {} in the Global South.", rng.pick(VERBS), rng.pick(OBJECTS)),
        4 => format!(
            "I call on {} to {} {} -- {} now.",
            rng.pick(SUBJECTS),
            rng.pick(VERBS),
            rng.pick(OBJECTS),
            rng.pick(OBJECTS)
        ),
        5 => format!("How can {} {} {} without more funding?", rng.pick(SUBJECTS), rng.pick(VERBS), rng.pick(OBJECTS)),
        _ => format!("{}, and {} matter a lot here.", rng.pick(STATEMENTS), rng.pick(OBJECTS)),
    }
}

/// `sessions` sessions of about `words` words each, in segments of two or three sentences.
fn corpus(sessions: usize, words: usize) -> (Vec<SessionInput>, usize) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut total = 0;
    let inputs = (0..sessions)
        .map(|i| {
            let mut t = Transcript::new(Session::new(format!("ws-{i}")));
            let (mut count, mut ms) = (0, 0u64);
            while count < words {
                let text: Vec<String> = (0..2 + rng.next() % 2).map(|_| sentence(&mut rng)).collect();
                let text = text.join(" ");
                let n = text.split_whitespace().count();
                let speaker = rng.pick(SPEAKERS).to_string();
                let dur = n as u64 * 400;
                t.segments.push(Segment::new(
                    Time::from_millis(ms),
                    Time::from_millis(ms + dur),
                    Some(speaker),
                    text,
                    Source::Caption,
                    Timing::Estimated,
                ));
                ms += dur;
                count += n;
            }
            total += count;
            SessionInput { session: t.session.clone(), transcript: Some(t), reports: Vec::new() }
        })
        .collect();
    (inputs, total)
}

fn bench(c: &mut Criterion) {
    let (inputs, words) = corpus(250, 8_000);
    let tracks_text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/tracks/igf2020.toml"))
            .expect("fixtures/tracks/igf2020.toml");
    let extractor = Extractor::new(RuleSet::builtin().expect("built-in rules"))
        .with_tracks(Tracks::from_toml(&tracks_text, "igf2020.toml").expect("tracks"));
    let found: usize = extractor.extract_inputs_on(&inputs, 2).iter().map(|s| s.findings.len()).sum();
    eprintln!("corpus: {} sessions, {words} words, {found} findings", inputs.len());
    let mut group = c.benchmark_group("extract_meeting_2m_words");
    group.sample_size(10);
    group.measurement_time(std::time::Duration::from_secs(20));
    for threads in [1, 2] {
        group.bench_function(format!("{threads}_thread"), |b| b.iter(|| extractor.extract_inputs_on(&inputs, threads)));
    }
    group.finish();

    let one = &inputs[..1];
    c.bench_function("extract_one_session_8k_words", |b| b.iter(|| extractor.extract_inputs_on(one, 1)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
