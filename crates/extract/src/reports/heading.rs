//! Tolerant recognition of report section headings: "Key Takeaways",
//! "3. KEY TAKE-AWAYS:", "Call to Action", "Policy recommendations and
//! suggested ways forward", "Calls to action / recommendations (1-3 paragraphs)".

use crate::finding::kinds;

/// Lower case, markup, numbering and punctuation stripped, `&` → `and`,
/// white space collapsed.
pub fn normalise(heading: &str) -> String {
    let mut s = heading.trim().trim_start_matches('#').trim().to_lowercase();
    for markup in ["**", "__", "`"] {
        s = s.replace(markup, "");
    }
    s = s.replace('&', " and ").replace(['-', '\u{2011}', '\u{2013}'], " ");
    // Leading numbering: "3.", "3)", "iv.", "a)".
    let trimmed = s.trim_start();
    if let Some((first, rest)) = trimmed.split_once(['.', ')']) {
        let numbering = !first.is_empty()
            && first.len() <= 4
            && (first.chars().all(|c| c.is_ascii_digit())
                || first.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))
                || first.len() == 1);
        if numbering {
            s = rest.to_string();
        }
    }
    let cleaned: String = s.chars().map(|c| if c.is_alphanumeric() || c == ' ' { c } else { ' ' }).collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The kind of findings a section with this heading holds, if it is one of
/// the report sections rapporteur reads.
pub fn section_kind(heading: &str) -> Option<&'static str> {
    let h = normalise(heading);
    let words = h.split_whitespace().count();
    if words == 0 || words > 14 {
        return None;
    }
    let has = |needle: &str| format!(" {h} ").contains(&format!(" {needle} "));
    if has("call to action") || has("calls to action") || has("call for action") || has("calls for action") {
        Some(kinds::CALL_TO_ACTION)
    } else if has("recommendation")
        || has("recommendations")
        || has("way forward")
        || has("ways forward")
        || has("next steps")
        || has("suggested actions")
        || has("proposed actions")
    {
        Some(kinds::RECOMMENDATION)
    } else if has("takeaways")
        || has("takeaway")
        || has("take aways")
        || has("take away")
        || has("key messages")
        || has("main messages")
        || has("key points")
        || has("key findings")
        || has("main findings")
        || has("key outcomes")
        || has("main outcomes")
        || has("key conclusions")
        || has("conclusions")
        || has("lessons learned")
        || has("lessons learnt")
    {
        Some(kinds::TAKEAWAY)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("Key Takeaways", Some("takeaway")),
            ("## 3. KEY TAKE-AWAYS:", Some("takeaway")),
            ("**Key takeaways (3 paragraphs)**", Some("takeaway")),
            ("Call to Action", Some("call_to_action")),
            ("Calls to action / recommendations", Some("call_to_action")),
            ("Policy recommendations and suggested ways forward", Some("recommendation")),
            ("Policy Recommendations or Suggested Ways Forward:", Some("recommendation")),
            ("Next steps", Some("recommendation")),
            ("Session description", None),
            ("Speakers", None),
            ("Recommendations were made by many speakers in this session about many different topics and everything else", None),
        ];
        for (heading, want) in cases {
            assert_eq!(section_kind(heading), want, "{heading}");
        }
    }
}
