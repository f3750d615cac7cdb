//! ROUGE in Rust against Google's rouge-score on the pairs of
//! fixtures/draft/rouge-reference.json (written by
//! benches/draft_quality/rouge_reference.py).

use rapporteur_draft::rouge::{self, Score};

fn close(got: Score, want: &serde_json::Value, what: &str) {
    for (name, g) in [("precision", got.precision), ("recall", got.recall), ("f1", got.f1)] {
        let w = want[name].as_f64().unwrap();
        assert!((g - w).abs() < 1e-9, "{what} {name}: rust {g} vs rouge-score {w}");
    }
}

#[test]
fn matches_rouge_score() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/draft/rouge-reference.json");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let items = json["items"].as_array().unwrap();
    assert!(items.len() >= 5);
    for item in items {
        let (c, r) = (item["candidate"].as_str().unwrap(), item["reference"].as_str().unwrap());
        let got = rouge::score(c, r);
        let want = &item["scores"];
        close(got.rouge1, &want["rouge1"], &format!("rouge1 {c:.30}"));
        close(got.rouge2, &want["rouge2"], &format!("rouge2 {c:.30}"));
        close(got.rouge_l, &want["rougeL"], &format!("rougeL {c:.30}"));
        close(got.rouge_lsum, &want["rougeLsum"], &format!("rougeLsum {c:.30}"));
    }
}
