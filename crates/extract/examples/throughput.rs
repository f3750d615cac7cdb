//! Rough throughput check without criterion: `cargo run --release -p
//! rapporteur-extract --example throughput -- SESSIONS` (8,000 words each).

use std::time::Instant;

use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript};
use rapporteur_extract::{Extractor, RuleSet, SessionInput};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sessions: usize = std::env::args().nth(1).map_or(Ok(10), |s| s.parse())?;
    let lines = [
        "Good morning, everyone. Can you hear me?",
        "I think governments should invest in community networks -- in rural areas now.",
        "In my country the situation is quite different, because the main operator is owned by the state.",
        "I call on donors to fund maintenance, not only equipment.",
        "How can small countries get the platforms to answer their letters?",
        "The cost of one gigabyte of data varies enormously between countries, uh, in Bogotá too.",
    ];
    let inputs: Vec<SessionInput> = (0..sessions)
        .map(|i| {
            let mut t = Transcript::new(Session::new(format!("s{i}")));
            let mut words = 0;
            let mut k = 0;
            while words < 8000 {
                let text = format!("{} {}", lines[k % lines.len()], lines[(k * 7 + 3) % lines.len()]);
                words += text.split_whitespace().count();
                let start = Time::from_millis(k as u64 * 5000);
                t.segments.push(Segment::new(
                    start,
                    start.add_millis(5000),
                    Some(format!("S{}", k % 4)),
                    text,
                    Source::Caption,
                    Timing::Exact,
                ));
                k += 1;
            }
            SessionInput { session: t.session.clone(), transcript: Some(t), reports: vec![] }
        })
        .collect();
    let t0 = Instant::now();
    for i in &inputs {
        if let Some(t) = &i.transcript {
            let _ = rapporteur_extract::text::Document::from_transcript(t);
        }
    }
    println!("segmentation and clean-up alone: {:?}", t0.elapsed());
    let extractor = Extractor::new(RuleSet::builtin()?);
    for threads in [1, 2] {
        let t0 = Instant::now();
        let found: usize = extractor.extract_inputs_on(&inputs, threads).iter().map(|s| s.findings.len()).sum();
        println!("{threads} thread(s): {} words in {:?} ({found} findings)", sessions * 8000, t0.elapsed());
    }
    Ok(())
}
