//! Negation before a cue, NegEx-style: a negation word among the few words
//! before a cue, in the same clause, blocks it ("there is *no* need to",
//! "we are *not* calling for"), unless it opens a pseudo-negation ("*not
//! only*", "*no doubt*") that does not negate anything.
//!
//! Only words *before* the cue count: "governments should not ..." is still a
//! recommendation (of what not to do).

/// Compiled negation settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negation {
    /// Words searched before a cue.
    pub window: usize,
    /// Negation words, lower case.
    pub cues: Vec<String>,
    /// Pseudo-negations, as lower-case word sequences.
    pub pseudo: Vec<Vec<String>>,
    /// Verbs of saying ("saying", "suggest"): a negation just before one
    /// negates the whole clause it introduces, however long ("nobody here
    /// is seriously suggesting that the IGF must ...").
    pub reporting: Vec<String>,
}

/// Words that close a clause: a negation before them does not reach the cue.
const CLAUSE_BREAKERS: &[&str] = &["but", "however", "although", "though", "yet", "whereas", "instead", "rather"];

fn normalise(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'').to_lowercase()
}

impl Negation {
    /// Negation settings from their parts (phrases are split on white space).
    pub fn new(window: usize, cues: &[String], pseudo: &[String], reporting: &[String]) -> Negation {
        Negation {
            window,
            cues: cues.iter().map(|c| c.trim().to_lowercase()).collect(),
            pseudo: pseudo.iter().map(|p| p.split_whitespace().map(normalise).collect()).collect(),
            reporting: reporting.iter().map(|c| c.trim().to_lowercase()).collect(),
        }
    }

    /// Whether a negated verb of saying opens the clause before the cue.
    fn negated_report(&self, clause: &[String]) -> bool {
        clause.iter().enumerate().any(|(i, w)| {
            self.reporting.contains(w)
                && clause.get(i.saturating_sub(4)..i).is_some_and(|before| before.iter().any(|b| self.is_cue(b)))
        })
    }

    fn is_cue(&self, word: &str) -> bool {
        word.ends_with("n't") || self.cues.iter().any(|c| c == word)
    }

    /// Whether the cue starting at byte `cue_start` of `text` is negated,
    /// looking at most `window` words back.
    pub fn is_negated(&self, text: &str, cue_start: usize, window: usize) -> bool {
        if window == 0 {
            return false;
        }
        let before = text.get(..cue_start).unwrap_or("");
        // The words before the cue, nearest first, up to a clause break.
        let mut clause: Vec<&str> = Vec::new();
        for raw in before.split_whitespace().rev() {
            if raw.ends_with([',', ';', ':', '\u{2014}']) || raw == "\u{2014}" || raw == "-" {
                break;
            }
            let word = normalise(raw);
            if CLAUSE_BREAKERS.contains(&word.as_str()) {
                break;
            }
            clause.push(raw);
        }
        clause.reverse();
        if !self.reporting.is_empty() {
            let words: Vec<String> = clause.iter().map(|w| normalise(w)).collect();
            if self.negated_report(&words) {
                return true;
            }
        }
        let back: Vec<&str> = clause.iter().rev().take(window).rev().copied().collect();
        if back.is_empty() {
            return false;
        }
        // Words from the window's start to a little past the cue, so that a
        // pseudo-negation reaching into the cue ("not only should") is seen.
        let after = text.get(cue_start..).unwrap_or("").split_whitespace().take(3);
        let words: Vec<String> = back.iter().copied().chain(after).map(normalise).collect();
        (0..back.len()).any(|i| {
            let Some(word) = words.get(i) else { return false };
            self.is_cue(word)
                && !self.pseudo.iter().any(|p| {
                    p.first() == Some(word) && words.get(i..i + p.len()).is_some_and(|w| w.iter().eq(p.iter()))
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn negation() -> Negation {
        let cues: Vec<String> = ["not", "no", "never", "nobody", "without", "cannot"].map(String::from).to_vec();
        let pseudo: Vec<String> = ["not only", "no doubt", "not just"].map(String::from).to_vec();
        let reporting: Vec<String> = ["saying", "suggesting", "arguing"].map(String::from).to_vec();
        Negation::new(5, &cues, &pseudo, &reporting)
    }

    #[test]
    fn table() {
        let n = negation();
        let cases = [
            ("There is no need to regulate.", "need to", true),
            ("We are not calling for a ban.", "calling for", true),
            ("I don't think we should ban it.", "should", true),
            ("There is no doubt that we need to act.", "need to", false),
            ("We not only need to connect people but train them.", "need to", false),
            ("No, we need to act.", "need to", false),
            ("It is not easy, but we must act.", "must", false),
            ("Governments should not censor.", "should", false),
            ("Nobody in this room would say that we must wait.", "must", false),
            ("Nobody here is seriously suggesting that the IGF must become a negotiating body.", "must", true),
            ("I'm not saying it is easy, but we must act.", "must", false),
            ("We should act.", "should", false),
        ];
        for (text, cue, want) in cases {
            let at = text.find(cue).unwrap();
            assert_eq!(n.is_negated(text, at, n.window), want, "{text}");
        }
    }
}
