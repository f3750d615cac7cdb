//! Table-driven tests of the rewrites: spoken sentence in, statement (or the
//! reason it was dropped) out.

use super::*;

/// (input, expected statement) — the sentence is kept.
const KEPT: &[(&str, &str)] = &[
    ("We need to invest in community networks.", "Stakeholders need to invest in community networks."),
    ("I think we need to invest in community networks.", "Stakeholders need to invest in community networks."),
    ("Um, so, I believe that governments should fund digital skills.", "Governments should fund digital skills."),
    ("I would urge governments to invest in rural connectivity.", "Governments should invest in rural connectivity."),
    (
        "We call on all stakeholders to work together on data governance.",
        "All stakeholders should work together on data governance.",
    ),
    ("We need more investment in local content.", "There is a need for more investment in local content."),
    (
        "Our organisation will publish the guidelines next year.",
        "The organisation will publish the guidelines next year.",
    ),
    (
        "Let's make sure that women are part of these processes.",
        "Stakeholders should make sure that women are part of these processes.",
    ),
    ("Thank you, Chair. We must protect our children online.", "Stakeholders must protect their children online."),
    (
        "And, you know, we can't leave anyone behind in the digital transformation.",
        "Stakeholders cannot leave anyone behind in the digital transformation.",
    ),
    (
        "In my view, multistakeholder cooperation is essential for trust.",
        "Multistakeholder cooperation is essential for trust.",
    ),
    (
        "Participants agreed that affordable access remains the key challenge.",
        "Affordable access remains the key challenge.",
    ),
    ("The key takeaway is that capacity building must be sustained.", "Capacity building must be sustained."),
    ("That is why we need stronger data protection laws.", "There is a need for stronger data protection laws."),
    (
        "It is essential to include youth in Internet governance.",
        "It is essential to include youth in Internet governance.",
    ),
    ("There is a need to close the gender digital divide.", "There is a need to close the gender digital divide."),
    (
        "As Maria said, platforms should be more transparent about moderation.",
        "Platforms should be more transparent about moderation.",
    ),
    (
        "Dear colleagues, cybersecurity norms must be implemented, not only agreed.",
        "Cybersecurity norms must be implemented, not only agreed.",
    ),
    (
        "We all have a role to play in fighting disinformation.",
        "All stakeholders have a role to play in fighting disinformation.",
    ),
    (
        "Perhaps we should think about e-waste from the start.",
        "Stakeholders should think about e-waste from the start.",
    ),
    (
        "I strongly recommend that regulators consult the technical community.",
        "It is recommended that regulators consult the technical community.",
    ),
    (
        "My recommendation would be to fund community networks directly.",
        "It is recommended to fund community networks directly.",
    ),
    (
        "There was broad consensus on the need to measure the Internet's carbon footprint.",
        "There is a need to measure the Internet's carbon footprint.",
    ),
    ("What we need, really, is agreed methods for measuring emissions.", "There is a need for agreed methods for measuring emissions."),
    ("What we need is to open up the weather data.", "There is a need to open up the weather data."),
    (
        "I would recommend every country to have a data-sharing framework ready before the next crisis.",
        "Every country should have a data-sharing framework ready before the next crisis.",
    ),
    (
        "We know we must do more to make devices last longer.",
        "Stakeholders must do more to make devices last longer.",
    ),
    (
        "Regulators should open spectrum, and we have a responsibility to help them.",
        "Regulators should open spectrum, and stakeholders have a responsibility to help them.",
    ),
    ("We have a shared duty to keep the Internet open.", "Stakeholders have a shared duty to keep the Internet open."),
    (
        "Nobody here wants weaker security for everyone; child protection should come through safety by design.",
        "Nobody wants weaker security for everyone; child protection should come through safety by design.",
    ),
    ("Most of us in this room agree that shutdowns must end.", "Most stakeholders agree that shutdowns must end."),
    (
        "Second, the informal workers should be trained and integrated, not chased away by the police.",
        "The informal workers should be trained and integrated, not chased away by the police.",
    ),
    ("First responders need secure radio networks.", "First responders need secure radio networks."),
    (
        "The governments here should give people a real remedy.",
        "The governments should give people a real remedy.",
    ),
    // With a "we" of what stakeholders should do, "us" is everyone.
    (
        "We must act together, because this crisis affects all of us.",
        "Stakeholders must act together, because this crisis affects all stakeholders.",
    ),
    ("We need partners who help us build skills.", "Stakeholders need partners who help stakeholders build skills."),
    ("We have the opportunity to close the gender gap.", "Stakeholders have the opportunity to close the gender gap."),
    (
        "There was broad agreement that sustainability must be a cross-cutting issue, that digital and environmental policies must be made together, and that devices must last longer.",
        "Sustainability must be a cross-cutting issue, digital and environmental policies must be made together, and devices must last longer.",
    ),
    (
        "So, to summarise: local content is a condition for meaningful access.",
        "Local content is a condition for meaningful access.",
    ),
    (
        "Participants agreed that funds should reach community networks, and that is why regulators matter.",
        "Funds should reach community networks, and that is why regulators matter.",
    ),
    (
        "Our Common Agenda gives us a framework for digital cooperation.",
        "Our Common Agenda gives stakeholders a framework for digital cooperation.",
    ),
    // Lead-ins before a colon go; the statement after it stays.
    (
        "Just a comment: privacy must not be the price of data for the public good.",
        "Privacy must not be the price of data for the public good.",
    ),
    (
        "So the lesson for us is very clear: trust is the condition for the tool to work at all.",
        "Trust is the condition for the tool to work at all.",
    ),
    (
        "I just wanted to finish with one point: consumer organisations should be part of developing these standards.",
        "Consumer organisations should be part of developing these standards.",
    ),
    (
        "What I take back to the BPF: data sharing between public and private actors needs standard agreements.",
        "Data sharing between public and private actors needs standard agreements.",
    ),
    // A colon inside a statement is not a lead-in.
    (
        "Environmental data must be open: fragmented platforms keep it out of reach.",
        "Environmental data must be open: fragmented platforms keep it out of reach.",
    ),
    // Calls to action in the imperative, as organisers' reports list them.
    ("Agree rules that allow refugees to register SIM cards legally.", "Stakeholders should agree rules that allow refugees to register SIM cards legally."),
    (
        "Remove excise duties on phones and airtime.",
        "Stakeholders should remove excise duties on phones and airtime.",
    ),
    ("Make sure that women are part of these processes.", "Stakeholders should make sure that women are part of these processes."),
    // A noun or adjective where a verb could be is not an imperative.
    ("Open data is a condition for accountability.", "Open data is a condition for accountability."),
    ("Use of biometric data needs strict safeguards.", "Use of biometric data needs strict safeguards."),
    // Asides in brackets go.
    (
        "Each data-sharing agreement is negotiated from scratch (six months in one case), and companies face legal uncertainty.",
        "Each data-sharing agreement is negotiated from scratch, and companies face legal uncertainty.",
    ),
    (
        "Digital tools can support climate action (early warnings, smart grids) in developing countries.",
        "Digital tools can support climate action in developing countries.",
    ),
];

/// (input, reason) — the sentence is dropped.
const DROPPED: &[(&str, DropReason)] = &[
    ("What should governments do about this?", DropReason::Question),
    ("I was in Nairobi last year and saw a community network.", DropReason::FirstPerson),
    ("You can see it on the slide.", DropReason::Housekeeping),
    ("You should all read the report of the working group.", DropReason::SecondPerson),
    ("This is very important for all of us.", DropReason::Dangling),
    ("That requires a lot of money.", DropReason::Dangling),
    ("He made an excellent point about encryption policy.", DropReason::Names),
    ("Thank you very much.", DropReason::Empty),
    ("Yes, exactly.", DropReason::TooShort),
    ("Diallo is right about the spectrum allocation issue here.", DropReason::Names),
    ("Please fill in the feedback form before you leave.", DropReason::Housekeeping),
    ("Let's wait one more minute for people to come in.", DropReason::Housekeeping),
    ("Questions can be written in the chat at any time during the session.", DropReason::Housekeeping),
    ("And we know we must do more on the devices, since we sell many of them.", DropReason::FirstPerson),
    ("We have started a joint network of youth movements this year.", DropReason::FirstPerson),
    ("We will publish an open toolkit of model clauses next year.", DropReason::FirstPerson),
    ("We are a small company with customers in three countries.", DropReason::FirstPerson),
    // "we have a" + something owned is the speaker's own situation, not a shared duty.
    ("We have a small team for cybercrime, and we need forensic laboratories.", DropReason::FirstPerson),
    ("We have the data, but we need the skills to use it.", DropReason::FirstPerson),
    // "us" as the object of someone else's act is the speaker's own group.
    (
        "If governments want companies to serve people, they need to tell us clearly what is safe.",
        DropReason::FirstPerson,
    ),
    ("The regulator gave us a licence after two years of waiting.", DropReason::FirstPerson),
    ("Our forecasts combine satellite data with weather data from national services.", DropReason::FirstPerson),
    ("Both are right, and the two transitions must be planned together.", DropReason::Dangling),
    ("Every country should have such a framework ready before the next crisis.", DropReason::Dangling),
    // "It was to ..." answers a sentence before it ("What helped most was not the equipment.").
    ("It was to join the regional network and the global forum of incident response teams.", DropReason::Dangling),
];

#[test]
fn kept_sentences_are_rewritten() {
    for (input, expected) in KEPT {
        let r = rewrite_sentence(input, false, &speaker_names("MS. AMINA DIALLO"));
        assert_eq!(r.dropped, None, "{input} -> dropped: {r:?}");
        assert_eq!(&r.text, expected, "{input}");
        assert!(content_words_supported(&r.text, &[input]), "invented words in {:?}", r.text);
    }
}

#[test]
fn unusable_sentences_are_dropped() {
    for (input, reason) in DROPPED {
        let r = rewrite_sentence(input, false, &speaker_names("MS. AMINA DIALLO"));
        assert_eq!(r.dropped, Some(*reason), "{input} -> {r:?}");
    }
}

#[test]
fn this_after_a_statement_is_resolved_by_it() {
    let (kept, all) = statements(
        "Governments should invest in community networks. This requires long-term funding and spectrum.",
        &[],
    );
    assert_eq!(
        kept,
        ["Governments should invest in community networks.", "This requires long-term funding and spectrum."]
    );
    assert!(all.iter().all(|r| r.dropped.is_none()));
    // Alone, the same "This" dangles.
    let (kept, _) = statements("This requires long-term funding and spectrum.", &[]);
    assert!(kept.is_empty());
}

#[test]
fn speaker_names_skip_titles() {
    assert_eq!(speaker_names("MS. AMINA DIALLO"), ["amina", "diallo", "amina diallo"]);
    assert_eq!(speaker_names("MODERATOR"), Vec::<String>::new());
}

#[test]
fn invention_check_catches_new_words() {
    assert!(content_words_supported("Stakeholders need to act.", &["We need to act."]));
    assert!(!content_words_supported("Stakeholders need to act urgently.", &["We need to act."]));
}
