//! The rewrite table: spoken, first-person sentences into the third-person
//! statements of the published IGF Messages. Every rule deletes words or
//! swaps a fixed phrase for a fixed phrase; none adds content.

use std::sync::LazyLock;

use regex::Regex;

/// One rewrite: a pattern and its replacement (`$name` refers to groups).
#[derive(Debug)]
pub struct Rule {
    /// What the rule does, for `--explain`-style listings and tests.
    pub name: &'static str,
    /// The pattern.
    pub pattern: Regex,
    /// The replacement.
    pub replacement: &'static str,
}

fn rule(name: &'static str, pattern: &str, replacement: &'static str) -> Rule {
    // The table is fixed and covered by tests: a bad pattern is a bug caught
    // by `cargo test`, never a user's input.
    #[allow(clippy::expect_used)]
    let pattern = Regex::new(pattern).expect("rewrite patterns are valid");
    Rule { name, pattern, replacement }
}

/// Words the rules may put into a statement (everything else in a message
/// comes from the quotes).
pub const INSERTED_WORDS: &[&str] = &[
    "stakeholders",
    "all",
    "there",
    "is",
    "a",
    "need",
    "for",
    "to",
    "should",
    "it",
    "recommended",
    "that",
    "the",
    "their",
    "themselves",
    "cannot",
    "not",
    "are",
    "am",
    "have",
    "will",
    "would",
    "does",
    "do",
    "let",
    "us",
    "has",
];

/// The rules, applied in order to each sentence.
pub static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        // Spoken forms first, so later rules see one spelling.
        rule("apostrophes", "[\u{2018}\u{2019}]", "'"),
        rule("fillers", r"(?i)(^|[\s,])(?:uh+|um+|erm|er|ah|hmm)(?:[\s,]+|$)", "$1"),
        rule("you know", r"(?i),?\s*\byou know\b,?", ""),
        rule("i mean", r"(?i)(^|,\s*)\bI mean\b,?\s*", "$1"),
        rule("sort of", r"(?i)\b(?:sort of|kind of)\s+(?P<w>(?:a|an|the|like)\b)?", "$w "),
        rule("can't", r"(?i)\bcan't\b", "cannot"),
        rule("won't", r"(?i)\bwon't\b", "will not"),
        rule("n't", r"(?i)\b(do|does|did|is|are|was|were|should|must|could|would|has|have|had|need)n't\b", "$1 not"),
        rule("'re", r"(?i)\b(we|they|you)'re\b", "$1 are"),
        rule("'ve", r"(?i)\b(we|they|you|I)'ve\b", "$1 have"),
        rule("'ll", r"(?i)\b(we|they|you|I|it)'ll\b", "$1 will"),
        rule("'m", r"(?i)\bI'm\b", "I am"),
        rule("'d", r"(?i)\b(I|we)'d\b", "$1 would"),
        rule("'s", r"(?i)\b(it|that|there|what|this)'s\b", "$1 is"),
        rule("let's", r"(?i)\blet's\b", "let us"),
        // Courtesies and vocatives.
        rule(
            "thanks",
            r"(?i)^(?:thank you|thanks)(?: (?:so |very )?much)?(?: again)?(?:,? (?:(?:madam |mr\.? |dear )?(?:chair|moderator|colleagues?|everyone|all)|[A-Z][\w.-]*(?: [A-Z][\w.-]*){0,2}))?(?: for [^.!?,]{1,60})?[.!,;]\s*",
            "",
        ),
        rule(
            "greetings",
            r"(?i)^(?:good (?:morning|afternoon|evening)|hello|hi)(?:,? (?:everyone|all|colleagues))?[.!,]\s*",
            "",
        ),
        rule(
            "vocative at start",
            r"(?i)^(?:dear |distinguished |honou?rable )?(?:colleagues|friends|ladies and gentlemen|excellencies|participants|delegates|panell?ists|everyone|madam chair|mr\.? chair|chair),\s*",
            "",
        ),
        rule(
            "vocative inside",
            r"(?i),\s*(?:dear |my )?(?:colleagues|friends|ladies and gentlemen|excellencies|madam chair|mr\.? chair),",
            ",",
        ),
        // Discourse markers, attributions and report framing at the start.
        rule(
            "discourse markers",
            r"(?i)^(?:(?:and|but|so|well|now|okay|ok|yes|yeah|right|also|actually|basically|anyway|again|indeed|of course|first of all|firstly|secondly|thirdly|finally|lastly|last but not least|in fact|honestly|frankly|to be honest|to conclude|in conclusion|to sum up|in summary|in short|that said|having said that|as I said|as I mentioned|as mentioned|as I said before|as we heard)\b,?\s+)+",
            "",
        ),
        // "First, ...", "Second, ...": an enumerator only with its comma
        // ("First responders ..." keeps its word).
        rule("enumerators", r"(?i)^(?:first|second|third|fourth|fifth|next|then)\s*,\s+", ""),
        rule(
            "lead-in before a colon",
            r"(?i)^(?:so,?\s+|and\s+|but\s+)?(?:(?:just\s+)?(?:a|one|my|our|the)\s+(?:(?:last|final|main|key|short|quick|simple|first|second)\s+)?(?:comment|point|remark|summary|conclusion|lesson|message|takeaway|thought)s?(?:\s+(?:for|from|to)\s+(?:me|us|the\s+\w+))?(?:\s+(?:is|was)(?:\s+very)?\s+(?:clear|simple))?|what (?:I|we) (?:take back|took away|heard|learned|learnt)(?:\s+[^:]{1,30})?|let me (?:try to )?sum up|I (?:just )?(?:want|wanted|would like) to (?:finish|end|close|conclude|start|begin)(?:\s+with\s+[^:]{1,30})?)\s*:\s+",
            "",
        ),
        rule(
            "summary opener",
            r"(?i)^(?:so,?\s+)?(?:to summari[sz]e|to sum up|let me (?:try to )?sum up|in summary|in sum|to conclude|in conclusion|what I heard|a comment)\s*[:,]\s*",
            "",
        ),
        rule(
            "attribution",
            r"^(?:[Aa]s|[Ll]ike) [A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3} (?:said|mentioned|noted|pointed out|highlighted|stressed|put it|explained|suggested)(?: (?:earlier|before|already|today))?,\s*",
            "",
        ),
        rule(
            "agreeing with",
            r"(?i)^I (?:fully |completely |totally |also )?agree with (?:[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}|the previous speakers?|what [^,]{1,40} said)(?: that|,)\s*",
            "",
        ),
        rule(
            "as discussed",
            r"(?i)\bas (?:we have|we|has been|was|it was) (?:discussed|heard|said|mentioned|seen|noted)(?: today| here| in this session| earlier| before)?,?\s*",
            "",
        ),
        rule(
            "report framing",
            r"(?i)^(?:the )?(?:participants|speakers|panell?ists|the panel|the session|discussants|the discussion|many speakers|several speakers) (?:also )?(?:agreed|noted|stressed|emphasi[sz]ed|highlighted|underlined|concluded|recogni[sz]ed|observed|suggested|recommended|pointed out|acknowledged|argued|felt) that\s+",
            "",
        ),
        rule(
            "consensus",
            r"(?i)^there (?:was|is) (?:a |an |broad |general |strong |wide )*(?:consensus|agreement) (?:among [^,]{1,40} )?that\s+",
            "",
        ),
        rule(
            "consensus on need",
            r"(?i)^there (?:was|is) (?:a |an |broad |general |strong |wide )*(?:consensus|agreement) on the need (?P<rest>to|for)\b",
            "There is a need $rest",
        ),
        rule(
            "key point",
            r"(?i)^(?:the|one|a|my|our) (?:(?:main|key|important|central|first|second|last|final|big) )?(?:takeaway|point|message|lesson|conclusion|learning)s? (?:from [^,]{1,50} )?(?:is|was|would be|here is)(?: that|:)?\s+",
            "",
        ),
        rule(
            "what we learned",
            r"(?i)^what (?:we|I) (?:have )?(?:learned|learnt|heard|saw|found)(?: today)? (?:is|was) that\s+",
            "",
        ),
        rule(
            "context connectors",
            r"(?i)^(?:that is why|this is why|that is the reason why|this is the reason why|for this reason|for that reason|because of (?:this|that)|in this (?:regard|context|respect|sense)|in that (?:regard|context|respect|sense)|to (?:this|that) end|with (?:this|that) in mind|therefore|thus|hence|as a result|so that is why),?\s+",
            "",
        ),
        // Hedges and stance markers.
        rule(
            "I think",
            r"(?i)\b(?:I|we) (?:do |really |strongly |truly |also |personally |would |firmly |genuinely |still )*(?:think|believe|feel|know|guess|suppose|see that|recogni[sz]e that|would say|would argue|would suggest|am convinced|are convinced|am sure|are sure|am certain|are certain|would like to (?:say|stress|emphasi[sz]e|underline|highlight|add|point out|note|mention|reiterate)|want to (?:say|stress|emphasi[sz]e|underline|highlight|add|point out|note|mention|reiterate)|must say|have to say|can say|would also (?:say|add))(?: that)?,?\s+",
            "",
        ),
        rule(
            "let me say",
            r"(?i)\blet me (?:just |also )?(?:say|stress|emphasi[sz]e|underline|highlight|add|point out|reiterate|be clear)(?: that)?,?\s+",
            "",
        ),
        rule(
            "in my view",
            r"(?i)(?:^|,\s*)(?:in my (?:view|opinion|experience|understanding)|from my (?:point of view|perspective|side)|personally|it seems to me(?: that)?|if you ask me|to my mind|I would say),?\s*",
            "",
        ),
        rule(
            "hedge adverbs",
            r"(?i)\b(?:maybe|perhaps|probably|possibly|I guess|really|just)\s+(?P<next>(?:need|needs|should|must|have|has|is|are|be|can|could|want|a|the|about|more)\b)",
            "$next",
        ),
        rule("hedge at start", r"(?i)^(?:maybe|perhaps|probably|possibly|hopefully|I hope that|I hope),?\s+", ""),
        rule(
            "parenthetical hedges",
            r"(?i),\s*(?:really|actually|basically|of course|honestly|frankly|I think|I believe|I would say|in a way|so to speak|if you like|to be honest),",
            ",",
        ),
        rule(
            "what we need is to",
            r"(?i)^what (?:we|I) (?:really |also )?need(?:,?\s*really)?,?\s+(?:is|would be) to\b",
            "there is a need to",
        ),
        rule(
            "what we need is",
            r"(?i)^what (?:we|I) (?:really |also )?need(?:,?\s*really)?,?\s+(?:is|would be)(?: that)?\b",
            "there is a need for",
        ),
        // Asides in brackets (figures, examples, "six months in one case"):
        // the statement stands without them and leaves room for content.
        rule("brackets", r"\s*\([^()]{1,80}\)", ""),
        rule("a little bit", r"(?i)\ba (?:little )?bit (?P<w>more|less|better|further)\b", "$w"),
        // Calls and recommendations in the first person.
        rule(
            "urge X to",
            r"(?i)^(?:I|we)\s+(?:would\s+|also\s+|therefore\s+|strongly\s+|really\s+|again\s+|hereby\s+)*(?:like\s+to\s+|want\s+to\s+|wish\s+to\s+)?(?:urge|call\s+(?:up)?on|encourage|invite|ask|appeal\s+to|challenge|request|recommend|advise)\s+(?P<who>(?:[\w'-]+\s+){0,7}?[\w'-]+)\s+to\s+(?P<rest>.+)$",
            "$who should $rest",
        ),
        rule(
            "I urge that",
            r"(?i)^(?:I|we)\s+(?:would\s+|also\s+|strongly\s+)*(?:urge|recommend|suggest|propose|advise)\s+that\s+",
            "it is recommended that ",
        ),
        rule(
            "my recommendation to",
            r"(?i)^(?:my|our) (?:(?:main|key|first|last|final) )?(?:recommendation|suggestion|proposal|ask|call)(?: here)? (?:is|would be|will be):?\s+to\s+",
            "it is recommended to ",
        ),
        rule(
            "my recommendation that",
            r"(?i)^(?:my|our) (?:(?:main|key|first|last|final) )?(?:recommendation|suggestion|proposal|ask|call)(?: here)? (?:is|would be|will be)(?: that|:)\s+",
            "it is recommended that ",
        ),
        // First person plural to third person.
        rule("let us", r"(?i)\blet us\b", "stakeholders should"),
        // "Nobody here", "everyone in this room": the room is not the Messages' audience.
        rule(
            "here (the room)",
            r"(?i)\b(?P<who>nobody|no one|everyone|everybody|somebody|someone|people|all of us|many of us|most of us|those of us|(?:the )?(?:governments|participants|colleagues|speakers|panell?ists|delegates)) (?:here|in this room|in the room)\b",
            "$who",
        ),
        rule("all of us", r"(?i)\b(?:all of us|we all|each (?:one )?of us)\b", "all stakeholders"),
        rule("most of us", r"(?i)\b(?P<q>most|many|some|several|few) of us\b", "$q stakeholders"),
        rule(
            "we need a",
            r"(?i)^we (?:really |also |urgently |still )?need (?P<art>a|an|more|better|stronger|greater|clear|clearer|new|common|global)\b",
            "there is a need for $art",
        ),
        rule(
            "we need to",
            r"(?i)\bwe (?:really |also |urgently |still |definitely |absolutely |collectively |therefore )?(?P<verb>need to|have to|must|should|ought to|cannot|can|will|are|have|need|do|did|were|would)\b",
            "stakeholders $verb",
        ),
        rule(
            "we as",
            r"(?i)\bwe as (?:a |an )?(?P<who>community|society|governments|policymakers|policy makers|stakeholders|civil society|industry|the private sector|the technical community)\b",
            "the $who",
        ),
        rule(
            "our organisation",
            r"(?i)\bour (?P<org>organi[sz]ation|company|ministry|government|team|foundation|institute|agency|association|network|coalition|initiative|project|department|office)\b",
            "the $org",
        ),
        rule("ourselves", r"(?i)\bourselves\b", "themselves"),
        rule("our + Proper noun", r"\b[Oo]ur (?P<p>[A-Z][a-z]+ [A-Z][a-z]+)", "OUR_PROPER $p"),
        rule("our", r"(?i)\bour\b", "their"),
        rule("our (proper names kept)", r"OUR_PROPER", "Our"),
        rule("us", r"\bus\b", "stakeholders"),
        rule("we (remaining)", r"(?i)\bwe\b", "stakeholders"),
        // Tidy.
        rule("stakeholders repeated", r"(?i)\b(?:all )?stakeholders (?:all )?stakeholders\b", "all stakeholders"),
        rule("space before punctuation", r"\s+([,.;:!?])", "$1"),
        rule("repeated commas", r",\s*,+", ","),
        rule("leading punctuation", r"^[\s,;:\u{2013}\u{2014}-]+", ""),
        rule("dash runs", r"\s*(?:--|\u{2011}\u{2011}|\u{2013}\u{2013})\s*", " \u{2014} "),
        rule("spaces", r"\s{2,}", " "),
    ]
});

/// The first rule that turns the first person plural into the third.
const FIRST_PRONOUN_RULE: &str = "let us";

fn apply_rules(sentence: &str, rules: &[Rule]) -> String {
    let mut text = sentence.trim().to_string();
    for r in rules {
        let replaced = r.pattern.replace_all(&text, r.replacement);
        if let std::borrow::Cow::Owned(new) = replaced {
            text = new.trim().to_string();
        }
    }
    text
}

fn split_at_pronouns() -> (&'static [Rule], &'static [Rule]) {
    let at = RULES.iter().position(|r| r.name == FIRST_PRONOUN_RULE).unwrap_or(RULES.len());
    RULES.split_at(at)
}

/// The rules before the pronoun rewrites: spoken forms, courtesies, framing,
/// hedges and first-person calls. What is left in the first person plural
/// afterwards is what the pronoun rules would turn into "stakeholders".
pub fn apply_framing(sentence: &str) -> String {
    apply_rules(sentence, split_at_pronouns().0)
}

/// The pronoun rewrites and tidying, on the output of [`apply_framing`].
pub fn apply_pronouns(text: &str) -> String {
    apply_rules(text, split_at_pronouns().1)
}

/// Applies every rule, in order, to one sentence.
pub fn apply(sentence: &str) -> String {
    apply_pronouns(&apply_framing(sentence))
}
