//! Wording: a finding's spoken sentences into clean, self-contained,
//! third-person statements in the style of the published IGF Messages.
//!
//! Each sentence goes through the rewrite table ([`rules`]), then through
//! checks that drop what cannot stand alone: questions, anecdotes in the
//! first person singular, words addressed to the room, names, and a dangling
//! "this"/"that" with nothing before it to refer to. Nothing is invented:
//! [`content_words_supported`] checks that every content word of a statement
//! comes from the quotes behind it.

pub mod rules;
pub mod sentences;

use std::sync::LazyLock;

use regex::Regex;

/// Why a sentence was left out of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// A question, not a statement.
    Question,
    /// First person singular remains: an anecdote or a personal position.
    FirstPerson,
    /// Addressed to the audience ("you").
    SecondPerson,
    /// Names a person (a speaker of the meeting, or "he"/"she").
    Names,
    /// Starts with "this"/"that"/"it"/... with nothing before it to refer to.
    Dangling,
    /// About running the session itself (slides, microphones, the chat,
    /// feedback forms, time), not about policy.
    Housekeeping,
    /// Too short to say anything once cleaned.
    TooShort,
    /// Only courtesies and fillers.
    Empty,
}

/// One sentence after rewriting: kept as `text`, or dropped with a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// The original sentence.
    pub original: String,
    /// The rewritten sentence (empty when dropped before rewriting finished).
    pub text: String,
    /// Why it was dropped, if it was.
    pub dropped: Option<DropReason>,
}

fn re(pattern: &str) -> Regex {
    #[allow(clippy::expect_used)]
    Regex::new(pattern).expect("fixed patterns are valid")
}

static FIRST_SINGULAR: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:I|me|my|mine|myself)\b"));
static SECOND_PERSON: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:you|your|yours|yourself|yourselves)\b"));
static THIRD_SINGULAR: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:he|she|him|his|hers|herself|himself)\b"));
static DANGLING_START: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:this|that|these|those|it|they|them|such|here|there)\b"));
/// "Such a framework" points back to something said before.
static POINTS_BACK: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bsuch (?:a|an)\b|^both (?:are|were|is)\b"));
/// Words about running the session rather than about policy: a sentence
/// with one of them is logistics ("Please fill in the feedback form").
static HOUSEKEEPING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^please\b|\b(?:feedback form|(?:next|this|the|my) slides?|hear me|share (?:my|the) screen|(?:in|into|to) the chat|the q ?& ?a\b|microphones?|unmute|one more minute|(?:a|the) (?:coffee )?break\b|give the floor|next speaker|time is up|minutes? left|(?:sum|wrap) up this session|(?:wait|waiting) for (?:people|participants|others))",
    )
});
/// "we" followed by anything but a modal or "need": the speaker's own
/// organisation or experience ("we sell many devices", "we started a
/// network"), which "stakeholders" would misattribute.
static WE_ANECDOTE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bwe(?:'ve|'re|'d)?\s+(?:(?:also|all|really|still|now|then|therefore|collectively|urgently|definitely|absolutely|together|as \w+(?: \w+)?,?)\s+)*(?P<verb>[a-z']+)(?:\s+(?P<next>[a-z]+)(?:\s+(?P<third>[a-z]+))?)?",
    )
});
const WE_NORMATIVE: &[&str] = &[
    "need",
    "must",
    "should",
    "have",
    "ought",
    "cannot",
    "can",
    "could",
    "will",
    "would",
    "shall",
    "can't",
    "mustn't",
    "shouldn't",
    "won't",
    "are",
];

/// What "we have a/the ..." is normative with: a duty everyone shares, not
/// something the speaker's organisation owns.
const HAVE_A_DUTY: &[&str] = &[
    "responsibility",
    "role",
    "duty",
    "obligation",
    "opportunity",
    "chance",
    "right",
    "moral",
    "shared",
    "collective",
    "common",
    "joint",
    "mandate",
    "part",
    "choice",
];

/// Whether a first person plural in `sentence` tells the speaker's own
/// story rather than what stakeholders should do.
fn we_is_anecdotal(sentence: &str) -> bool {
    WE_ANECDOTE.captures_iter(sentence).any(|c| {
        let verb = c.name("verb").map(|m| m.as_str().to_lowercase()).unwrap_or_default();
        let next = c.name("next").map(|m| m.as_str().to_lowercase()).unwrap_or_default();
        let third = c.name("third").map(|m| m.as_str().to_lowercase()).unwrap_or_default();
        match verb.as_str() {
            // "we have to", "we have a role/responsibility", "we have no choice";
            // not "we have started", "we have a small team" (the speaker's own).
            "have" => match next.as_str() {
                "to" | "no" | "all" | "every" | "collective" | "shared" => false,
                "a" | "an" | "the" => !HAVE_A_DUTY.contains(&third.as_str()),
                _ => true,
            },
            // "we are all responsible"; not "we are starting", "we are a small company".
            "are" => !["all", "responsible", "obliged", "called", "urged", "not", "still"].contains(&next.as_str()),
            // "we will need", "we will not succeed unless"; not "we will publish" (a commitment of the speaker's own).
            "will" | "would" => !["need", "have", "not", "never", "only", "all", "be"].contains(&next.as_str()),
            v => !WE_NORMATIVE.contains(&v),
        }
    }) || ((OUR.captures_iter(sentence).any(|c| c.name("org").is_none()) || US_OBJECT.is_match(sentence))
        && !WE_ANECDOTE.is_match(sentence)
        && !sentence.to_lowercase().contains("let us"))
}

/// "us" as the object of someone else's act ("tell us", "give us"), with no
/// "we" of what stakeholders should do: the speaker's own group asking for
/// something ("they need to tell us what is safe"), which "stakeholders"
/// would misattribute.
static US_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:tell|told|give|gave|help|helped|want|wanted|allow|allowed|ask|asked|pay|paid|show|showed|send|sent|sell|sold|serve|served|support|supported|invite|invited)\s+us\b",
    )
});

/// A sentence that reports what was agreed, heard or concluded as a list of
/// "that" clauses ("participants agreed that A, that B and that C").
static THAT_LIST_FRAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:agreed|agreement|consensus|noted|stressed|emphasi[sz]ed|highlighted|concluded|recogni[sz]ed|heard|learned|learnt|sum up|summari[sz]e)\b[^.;]{0,60}?\bthat\b",
    )
});
static THAT_CLAUSE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?P<sep>[,;]\s+(?:and\s+|but\s+)?)that\s+(?P<next>[\w']+)"));
/// Once the frame is gone, the later clauses of such a list lose their
/// "that": "A must be open, that B must be..." becomes "A must be open, B must be...".
/// A demonstrative "that" ("..., that is why") is kept.
fn flatten_that_list(text: &str) -> String {
    THAT_CLAUSE
        .replace_all(text, |c: &regex::Captures<'_>| {
            let next = c.name("next").map(|m| m.as_str()).unwrap_or("");
            let demonstrative =
                ["is", "was", "would", "will", "can", "could", "has", "had", "means", "makes", "said", "'s"]
                    .contains(&next.to_lowercase().as_str());
            let sep = c.name("sep").map(|m| m.as_str()).unwrap_or("");
            if demonstrative {
                format!("{sep}that {next}")
            } else {
                format!("{sep}{next}")
            }
        })
        .into_owned()
}

/// "our" about the speaker's own things ("our forecasts", "our farmers")
/// with no "we" of what stakeholders should do: an anecdote.
static OUR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bour\b(?:\s+(?P<org>organi[sz]ation|company|ministry|government|team|foundation|institute|agency|association|network|coalition|initiative|project|department|office|Common)\b)?",
    )
});

/// A sentence that starts with a verb in the imperative, as the calls to
/// action of organisers' reports do ("Remove excise duties on phones"): the
/// Messages say who should act, so it becomes "Stakeholders should remove
/// ...". Only verbs that are rarely nouns or adjectives at the start of a
/// sentence: "Use of", "Support for" and "Open data" are not calls.
static IMPERATIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:Adopt|Agree|Allow|Avoid|Build|Collect|Consider|Create|Develop|Enable|Encourage|Engage|Ensure|Establish|Expand|Give|Guarantee|Harmoni[sz]e|Improve|Include|Integrate|Introduce|Invest|Involve|Lower|Make|Prioriti[sz]e|Promote|Protect|Provide|Publish|Recogni[sz]e|Remove|Require|Respect|Strengthen|Treat)\s+(?:sure\b|\w)",
    )
});

/// "Agree rules ..." as "Stakeholders should agree rules ...".
fn imperative_to_statement(text: &str) -> String {
    if !IMPERATIVE.is_match(text) {
        return text.to_string();
    }
    let mut chars = text.chars();
    let first: String = chars.next().map(|c| c.to_lowercase().collect()).unwrap_or_default();
    format!("Stakeholders should {first}{}", chars.as_str())
}

/// Expletive "it"/"there" and demonstratives that don't point back.
static NOT_DANGLING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:it (?:is|was|will be|would be|remains|has become|becomes|seems|appears|takes|requires|is also|is not)\b(?:\s+\w+){1,4}?\s+(?:to|that|for|whether|how|when)\b|it is time\b|there (?:is|are|was|were|will be|has been|have been|remains|remain|needs? to be|should be|must be|can be|cannot be|is still|are still)\b|these days\b|this year\b|that said\b)",
    )
});

/// Lower-cased, the words that carry content (for the no-invention check).
pub fn content_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .map(|w| w.trim_matches(|c: char| c == '\'' || c == '-').to_lowercase())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect()
}

/// Whether every word of `statement` appears in `quotes`, or is one of the
/// few fixed words the rewrite table may introduce ([`rules::INSERTED_WORDS`]).
pub fn content_words_supported(statement: &str, quotes: &[&str]) -> bool {
    let mut known: std::collections::HashSet<String> = quotes.iter().flat_map(|q| content_words(q)).collect();
    // Contractions are expanded by the rules: "can't" supports "cannot" and "not".
    for q in quotes {
        for w in content_words(&rules::apply(q)) {
            known.insert(w);
        }
    }
    content_words(statement).iter().all(|w| known.contains(w) || rules::INSERTED_WORDS.contains(&w.as_str()))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn finish(text: &str) -> String {
    let text = text.trim().trim_end_matches([',', ';', ':', '\u{2014}', '-']).trim();
    let mut text = capitalise(text);
    if !text.ends_with(['.', '!', '?', '"', '\u{201d}', ')']) {
        text.push('.');
    }
    text
}

/// Rewrites one sentence. `follows_statement` says whether a kept sentence
/// of the same speaker comes right before it (then "This ..." refers to it
/// and is kept). `names` are people's names to keep out of messages.
pub fn rewrite_sentence(sentence: &str, follows_statement: bool, names: &[String]) -> Rewritten {
    let original = sentence.trim().to_string();
    let drop = |text: String, reason| Rewritten { original: original.clone(), text, dropped: Some(reason) };
    if original.trim_end_matches(['"', '\u{201d}', ')']).ends_with('?') {
        return drop(String::new(), DropReason::Question);
    }
    if HOUSEKEEPING.is_match(&original) {
        return drop(String::new(), DropReason::Housekeeping);
    }
    let framed = rules::apply_framing(&original);
    if we_is_anecdotal(&framed) {
        return drop(framed, DropReason::FirstPerson);
    }
    let framed = if THAT_LIST_FRAME.is_match(&original) { flatten_that_list(&framed) } else { framed };
    let text = rules::apply_pronouns(&framed);
    let core = text.trim_end_matches(['.', '!']).trim();
    if core.is_empty() || !core.chars().any(char::is_alphabetic) {
        return drop(text, DropReason::Empty);
    }
    if FIRST_SINGULAR.is_match(core) {
        return drop(text, DropReason::FirstPerson);
    }
    if SECOND_PERSON.is_match(core) {
        return drop(text, DropReason::SecondPerson);
    }
    let lower = core.to_lowercase();
    if THIRD_SINGULAR.is_match(core) || names.iter().any(|n| n.len() > 2 && contains_word(&lower, &n.to_lowercase())) {
        return drop(text, DropReason::Names);
    }
    if !follows_statement
        && ((DANGLING_START.is_match(core) && !NOT_DANGLING.is_match(core)) || POINTS_BACK.is_match(core))
    {
        return drop(text, DropReason::Dangling);
    }
    if core.split_whitespace().count() < 5 {
        return drop(text, DropReason::TooShort);
    }
    Rewritten { original, text: finish(&imperative_to_statement(&text)), dropped: None }
}

fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Surnames and full names of speakers, as they might appear in text
/// ("MS. AMINA DIALLO" gives "Amina Diallo", "Diallo", "Amina").
pub fn speaker_names(speaker: &str) -> Vec<String> {
    const TITLES: &[&str] = &[
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "professor",
        "ambassador",
        "amb",
        "minister",
        "hon",
        "sir",
        "madam",
        "moderator",
        "chair",
        "speaker",
        "participant",
        "audience",
        "unknown",
        "panelist",
        "panellist",
        "rapporteur",
        "host",
        "the",
        "from",
        "floor",
    ];
    let words: Vec<String> = speaker
        .split(|c: char| !c.is_alphabetic() && c != '\'' && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !TITLES.contains(&w.as_str()) && w.chars().count() > 2)
        .collect();
    let mut names = words.clone();
    if words.len() > 1 {
        names.push(words.join(" "));
    }
    names
}

/// A finding's text as statements: its sentences rewritten, the dropped ones
/// left out. Returns the kept sentences and every sentence's outcome.
pub fn statements(text: &str, names: &[String]) -> (Vec<String>, Vec<Rewritten>) {
    let mut kept = Vec::new();
    let mut all = Vec::new();
    for sentence in sentences::split(text) {
        let r = rewrite_sentence(&sentence, !kept.is_empty(), names);
        if r.dropped.is_none() {
            kept.push(r.text.clone());
        }
        all.push(r);
    }
    (kept, all)
}

/// Number of words.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

#[cfg(test)]
mod tests;
