//! Shows, for one sentence, which rules the prefilter lets through and which fire:
//! `cargo run -p rapporteur-extract --example debug_rules -- "TEXT" [SPEAKER]`.

use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript};
use rapporteur_extract::text::Document;
use rapporteur_extract::{Extractor, RuleSet};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = std::env::args().nth(1).ok_or("usage: debug_rules TEXT [SPEAKER]")?;
    let speaker = std::env::args().nth(2);
    let rules = RuleSet::builtin()?;
    let mut t = Transcript::new(Session::new("debug"));
    t.segments.push(Segment::new(Time::ZERO, Time::from_millis(5000), speaker, text, Source::Caption, Timing::Exact));
    let doc = Document::from_transcript(&t);
    for s in &doc.sentences {
        println!("sentence: {:?} ({} words)", s.cleaned.text, s.words);
        for rule in rules.rules() {
            for cue in &rule.cues {
                if let rapporteur_extract::rules::CueMatcher::Regex(re) = &cue.matcher {
                    if let Some(m) = re.find(&s.cleaned.text) {
                        println!("  {} cue matches {:?}", rule.id, m.as_str());
                    }
                }
            }
        }
    }
    let found = Extractor::new(rules).with_explain(true).extract(&t);
    for f in &found.findings {
        println!("FINDING {} by {}: {:?}", f.kind, f.rule, f.explain.as_ref().map(|e| &e.matched));
    }
    Ok(())
}
