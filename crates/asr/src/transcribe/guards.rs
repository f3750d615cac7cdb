//! Guards against Whisper's known failures on long recordings.
//!
//! Whisper invents text where there is none (on silence, noise, music) and
//! sometimes loops, writing one phrase over and over. The checks, in the order
//! they are trusted:
//! 1. the model's own evidence: a high no-speech probability together with
//!    low token confidence (OpenAI's rule), or a very high no-speech probability;
//! 2. text that is not speech (bracketed annotations, punctuation alone);
//! 3. repetition: an n-gram repeated back to back is cut to one occurrence,
//!    and a segment that was mostly loop is dropped, as is a segment repeating
//!    the previous two;
//! 4. last resort: phrases Whisper is known to invent (subtitle credits,
//!    "thanks for watching"), dropped only when the model was unsure of them.

use super::words::TimedWord;

/// A segment of one chunk being checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Start, ms from the chunk's start.
    pub start_ms: u64,
    /// End, ms from the chunk's start.
    pub end_ms: u64,
    /// Words with times.
    pub words: Vec<TimedWord>,
    /// whisper.cpp's no-speech probability.
    pub no_speech_probability: f32,
    /// Mean token log probability.
    pub average_log_probability: f32,
}

impl Candidate {
    /// The words joined by spaces.
    pub fn text(&self) -> String {
        self.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
    }
}

/// Why segments were dropped, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GuardReport {
    /// Dropped for no speech.
    pub no_speech: usize,
    /// Dropped as non-speech annotations.
    pub annotations: usize,
    /// Repetition loops cut or dropped.
    pub repetitions: usize,
    /// Known hallucinated phrases dropped.
    pub known_phrases: usize,
}

impl GuardReport {
    /// Adds another report's counts.
    pub fn add(&mut self, other: GuardReport) {
        self.no_speech += other.no_speech;
        self.annotations += other.annotations;
        self.repetitions += other.repetitions;
        self.known_phrases += other.known_phrases;
    }
}

/// Phrases Whisper writes on silence and noise, learnt from subtitled videos.
const KNOWN_PHRASES: &[&str] = &[
    "thank you",
    "thank you for watching",
    "thanks for watching",
    "thank you very much for watching",
    "please subscribe",
    "subscribe to my channel",
    "subtitles by the amara org community",
    "subtitles by",
    "transcription by castingwords",
    "you",
    "bye",
    "so",
];

/// Lower case, letters and digits only: how repeated words are compared.
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_alphanumeric() { c.to_lowercase().next().unwrap_or(c) } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_annotation(text: &str) -> bool {
    let t = text.trim();
    if t.chars().all(|c| !c.is_alphanumeric()) {
        return true;
    }
    let bracketed = |open: char, close: char| t.starts_with(open) && t.ends_with(close);
    bracketed('[', ']') || bracketed('(', ')') || bracketed('*', '*') || bracketed('♪', '♪')
}

/// Cuts back-to-back repeats of any n-gram (n ≤ 8) to one occurrence; a word
/// may repeat up to three times ("no, no, no"), a longer n-gram twice.
/// Returns the number of words removed.
pub fn collapse_repeats(words: &mut Vec<TimedWord>) -> usize {
    let mut removed = 0;
    let mut keys: Vec<String> = words.iter().map(|w| normalize(&w.text)).collect();
    let mut changed = true;
    while changed {
        changed = false;
        'search: for n in 1..=8usize {
            let allowed = if n == 1 { 3 } else { 2 };
            let mut i = 0;
            while i + n <= keys.len() {
                let mut reps = 1;
                while i + (reps + 1) * n <= keys.len() && keys[i + reps * n..i + (reps + 1) * n] == keys[i..i + n] {
                    reps += 1;
                }
                if reps > allowed && keys[i..i + n].iter().any(|k| !k.is_empty()) {
                    let from = i + n;
                    let to = i + reps * n;
                    words.drain(from..to);
                    keys.drain(from..to);
                    removed += to - from;
                    changed = true;
                    break 'search;
                }
                i += 1;
            }
        }
    }
    removed
}

/// Applies every guard to one chunk's candidates, in order.
pub fn apply(candidates: Vec<Candidate>) -> (Vec<Candidate>, GuardReport) {
    let mut report = GuardReport::default();
    let mut kept: Vec<Candidate> = Vec::new();
    for mut c in candidates {
        if c.words.is_empty() {
            continue;
        }
        let unsure = c.average_log_probability < -1.0;
        if (c.no_speech_probability > 0.6 && unsure) || c.no_speech_probability > 0.9 {
            report.no_speech += 1;
            continue;
        }
        if is_annotation(&c.text()) {
            report.annotations += 1;
            continue;
        }
        let before = c.words.len();
        let removed = collapse_repeats(&mut c.words);
        if removed > 0 {
            report.repetitions += 1;
            if removed * 2 > before {
                continue;
            }
            c.end_ms = c.words.last().map_or(c.end_ms, |w| w.end_ms.max(w.start_ms));
        }
        let key = normalize(&c.text());
        let repeats_previous_two =
            kept.len() >= 2 && kept[kept.len() - 2..].iter().all(|k| normalize(&k.text()) == key);
        if repeats_previous_two {
            report.repetitions += 1;
            continue;
        }
        let doubtful = c.average_log_probability < -0.5 || c.no_speech_probability > 0.2;
        if doubtful && KNOWN_PHRASES.contains(&key.as_str()) {
            report.known_phrases += 1;
            continue;
        }
        kept.push(c);
    }
    (kept, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<TimedWord> {
        text.split_whitespace()
            .enumerate()
            .map(|(i, w)| TimedWord {
                text: w.to_string(),
                start_ms: i as u64 * 100,
                end_ms: i as u64 * 100 + 90,
                probability: 0.9,
            })
            .collect()
    }

    fn candidate(text: &str, no_speech: f32, logprob: f32) -> Candidate {
        let words = words(text);
        Candidate {
            start_ms: 0,
            end_ms: words.last().map_or(0, |w| w.end_ms),
            words,
            no_speech_probability: no_speech,
            average_log_probability: logprob,
        }
    }

    fn texts(c: &[Candidate]) -> Vec<String> {
        c.iter().map(Candidate::text).collect()
    }

    #[test]
    fn loops_are_cut_to_one_occurrence() {
        let cases = [
            ("we need we need we need we need to act", "we need to act"),
            ("no, no, no. That is wrong", "no, no, no. That is wrong"),
            ("the the the the the end", "the end"),
            ("I think so. I think so. I think so. I think so.", "I think so."),
            ("a b c d a b c d", "a b c d a b c d"),
        ];
        for (input, expected) in cases {
            let mut w = words(input);
            collapse_repeats(&mut w);
            let got: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
            assert_eq!(got.join(" "), expected, "{input}");
        }
    }

    #[test]
    fn table_of_guards() {
        // (segments as (text, no_speech, logprob), expected kept texts)
        type Heard<'a> = (&'a str, f32, f32);
        let cases: Vec<(Vec<Heard<'_>>, Vec<&str>)> = vec![
            (vec![("Ask not what your country can do.", 0.1, -0.2)], vec!["Ask not what your country can do."]),
            (vec![("Some invented words here.", 0.7, -1.3)], vec![]),
            (vec![("Confident words.", 0.7, -0.3)], vec!["Confident words."]),
            (vec![("Anything at all.", 0.95, -0.1)], vec![]),
            (vec![("[BLANK_AUDIO]", 0.1, -0.1), ("(music)", 0.1, -0.1), ("...", 0.1, -0.1)], vec![]),
            (vec![("Thank you for watching!", 0.3, -0.4)], vec![]),
            (vec![("Thank you.", 0.05, -0.2)], vec!["Thank you."]),
            (
                vec![("We agree.", 0.1, -0.2), ("We agree.", 0.1, -0.2), ("We agree.", 0.1, -0.2)],
                vec!["We agree.", "We agree."],
            ),
            (vec![("go go go go go go go go home", 0.1, -0.2)], vec![]),
        ];
        for (input, expected) in cases {
            let candidates: Vec<Candidate> = input.iter().map(|(t, n, l)| candidate(t, *n, *l)).collect();
            let (kept, _) = apply(candidates);
            assert_eq!(texts(&kept), expected, "{input:?}");
        }
    }

    #[test]
    fn report_counts_reasons() {
        let (_, report) = apply(vec![
            candidate("x y", 0.95, -2.0),
            candidate("[Music]", 0.1, -0.1),
            candidate("so so so so so so so so so", 0.1, -0.1),
            candidate("Thanks for watching", 0.5, -0.1),
        ]);
        assert_eq!(report, GuardReport { no_speech: 1, annotations: 1, repetitions: 1, known_phrases: 1 });
    }
}
