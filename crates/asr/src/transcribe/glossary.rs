//! A glossary of domain terms, given to Whisper as its initial prompt.
//!
//! Whisper spells names and acronyms it has seen in the prompt the way the
//! prompt spells them ("ICANN", "multistakeholder", "EuroDIG"). Its decoder
//! reads at most [`MAX_PROMPT_TOKENS`] prompt tokens and silently drops the
//! beginning of a longer prompt, so the prompt is measured with the model's
//! own tokenizer and terms that do not fit are left out from the end, loudly.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Tokens of prompt Whisper reads: half its 448-token text context, less one.
pub const MAX_PROMPT_TOKENS: usize = 223;

/// The IGF glossary shipped with rapporteur (`--glossary igf`).
pub const IGF_GLOSSARY: &str = include_str!("../../glossary/igf.toml");

/// A glossary file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    /// Free text put before the terms (a sentence in the recording's style).
    #[serde(default)]
    pub prompt: Option<String>,
    /// Terms as they should be spelt, most important first.
    #[serde(default)]
    pub terms: Vec<String>,
}

/// A glossary could not be used.
#[derive(Debug, thiserror::Error)]
pub enum GlossaryError {
    /// The file could not be read.
    #[error("cannot read glossary {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The TOML is invalid.
    #[error("glossary {path}: {message}")]
    Toml {
        /// The file.
        path: PathBuf,
        /// What toml said, with the line.
        message: String,
    },
    /// The tokenizer could not be loaded or failed.
    #[error("tokenizer {path}: {message}")]
    Tokenizer {
        /// The tokenizer file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// Even the free-text prompt alone is too long.
    #[error("the glossary's prompt alone is {tokens} tokens; Whisper reads at most {MAX_PROMPT_TOKENS}: shorten it")]
    PromptTooLong {
        /// Its length in tokens.
        tokens: usize,
    },
}

impl Glossary {
    /// Parses glossary TOML; `name` is used in messages.
    pub fn parse(text: &str, name: &Path) -> Result<Self, GlossaryError> {
        toml::from_str(text).map_err(|e| GlossaryError::Toml { path: name.to_path_buf(), message: e.to_string() })
    }

    /// Reads a glossary file, or the built-in one for the name `igf`.
    pub fn load(path: &Path) -> Result<Self, GlossaryError> {
        if path.as_os_str() == "igf" && !path.exists() {
            return Self::parse(IGF_GLOSSARY, Path::new("igf (built in)"));
        }
        let text =
            std::fs::read_to_string(path).map_err(|source| GlossaryError::Io { path: path.to_path_buf(), source })?;
        Self::parse(&text, path)
    }

    fn render(&self, terms: &[String]) -> String {
        let mut prompt = self.prompt.as_deref().map(str::trim).unwrap_or("").to_string();
        let list: Vec<&str> = terms.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect();
        if !list.is_empty() {
            if !prompt.is_empty() {
                prompt.push(' ');
            }
            prompt.push_str(&list.join(", "));
            prompt.push('.');
        }
        prompt
    }

    /// The prompt: the free text, then as many terms as fit in `max_tokens`
    /// as `count_tokens` counts them. Returns it and the terms left out.
    pub fn build_prompt<E>(
        &self,
        max_tokens: usize,
        mut count_tokens: impl FnMut(&str) -> Result<usize, E>,
    ) -> Result<(String, Vec<String>), E>
    where
        E: From<GlossaryError>,
    {
        let base = self.render(&[]);
        let base_tokens = if base.is_empty() { 0 } else { count_tokens(&base)? };
        if base_tokens > max_tokens {
            return Err(GlossaryError::PromptTooLong { tokens: base_tokens }.into());
        }
        // The longest prefix of the terms that fits (binary search: the count grows with the prefix).
        let (mut lo, mut hi) = (0usize, self.terms.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if count_tokens(&self.render(&self.terms[..mid]))? <= max_tokens {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        Ok((self.render(&self.terms[..lo]), self.terms[lo..].to_vec()))
    }
}

/// Counts tokens with a model's `tokenizer.json` (the HuggingFace tokenizers library).
#[derive(Debug)]
pub struct TokenizerJson {
    path: PathBuf,
    tokenizer: tokenizers::Tokenizer,
}

impl TokenizerJson {
    /// Loads `tokenizer.json`.
    pub fn load(path: &Path) -> Result<Self, GlossaryError> {
        let tokenizer = tokenizers::Tokenizer::from_file(path)
            .map_err(|e| GlossaryError::Tokenizer { path: path.to_path_buf(), message: e.to_string() })?;
        Ok(TokenizerJson { path: path.to_path_buf(), tokenizer })
    }

    /// Tokens of `text` as the decoder sees it (after a leading space, as
    /// whisper.cpp feeds the prompt), without special tokens.
    pub fn count(&self, text: &str) -> Result<usize, GlossaryError> {
        let spaced = format!(" {text}");
        self.tokenizer
            .encode(spaced.as_str(), false)
            .map(|e| e.get_ids().len())
            .map_err(|e| GlossaryError::Tokenizer { path: self.path.clone(), message: e.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Result<usize, GlossaryError> {
        Ok(text.split_whitespace().count())
    }

    #[test]
    fn builtin_glossary_parses() {
        let g = Glossary::load(Path::new("igf")).unwrap();
        assert!(g.terms.iter().any(|t| t == "multistakeholder"));
        assert!(g.prompt.is_some());
    }

    #[test]
    fn terms_that_do_not_fit_are_left_out_from_the_end() {
        let g = Glossary { prompt: Some("IGF session.".into()), terms: vec!["a b".into(), "c".into(), "d e f".into()] };
        let (prompt, dropped) = g.build_prompt(5, words).unwrap();
        assert_eq!(prompt, "IGF session. a b, c.");
        assert_eq!(dropped, vec!["d e f".to_string()]);
        let (prompt, dropped) = g.build_prompt(100, words).unwrap();
        assert_eq!(prompt, "IGF session. a b, c, d e f.");
        assert!(dropped.is_empty());
        assert!(matches!(g.build_prompt(1, words), Err(GlossaryError::PromptTooLong { tokens: 2 })));
        let empty = Glossary::default();
        assert_eq!(empty.build_prompt(10, words).unwrap(), (String::new(), vec![]));
    }

    #[test]
    fn bad_toml_names_the_line() {
        let err = Glossary::parse("terms = [\"a\",\nprompt = 3", Path::new("g.toml")).unwrap_err().to_string();
        assert!(err.contains("g.toml") && err.contains("line"), "{err}");
        let err = Glossary::parse("term = []", Path::new("g.toml")).unwrap_err().to_string();
        assert!(err.contains("unknown field"), "{err}");
    }
}
