//! Prints precision, recall and F1 per kind for a gold file, and the lines
//! that were wrong: `cargo run -p rapporteur-extract --example eval_gold -- FILE`.
//! (The CLI's `rapporteur eval extract` does the same; this runs without it.)

use rapporteur_extract::{eval, Extractor, RuleSet};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: eval_gold GOLD.jsonl")?;
    let items = eval::read_gold(&std::fs::read_to_string(&path)?)?;
    let report = eval::evaluate(&Extractor::new(RuleSet::builtin()?), &items);
    print!("{}", report.to_table());
    for m in &report.mismatches {
        println!("{}\t{:?}\t{:?}\t{:?}\t{}", m.id, m.gold, m.predicted, m.rule, m.text);
    }
    Ok(())
}
