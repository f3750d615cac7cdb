//! Whisper's vocabulary as whisper.cpp stores it: raw bytes per token.
//!
//! CTranslate2 ships the byte-level BPE tokens as text (`vocabulary.txt`, one
//! token a line, or `tokenizer.json`), where every byte is spelt with one
//! printable character of GPT-2's bytes↔unicode table (a space is `Ġ`, a
//! newline `Ċ`). whisper.cpp wants bytes, and only the first [`TEXT_TOKENS`]
//! tokens: it names the special and timestamp tokens itself.
//!
//! whisper.cpp's own model files store each token as UTF-8 text: a token that
//! is only part of a character (344 of them in tiny.en, 1476 in base) holds
//! U+FFFD instead of its bytes. [`TokenBytes::WhisperCpp`] writes the same, so
//! converted files equal the reference ones; [`TokenBytes::Raw`] keeps the
//! bytes, so that characters split across tokens join up in the output.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Tokens whisper.cpp reads from the model file: ids 0 to 50256. For English
/// models the last one is `<|endoftext|>`; multilingual models have one more
/// text token there and their `<|endoftext|>` comes after.
pub const TEXT_TOKENS: usize = 50_257;

/// A vocabulary could not be read.
#[derive(Debug, thiserror::Error)]
pub enum VocabError {
    /// Neither `vocabulary.txt` nor `tokenizer.json` is in the model directory.
    #[error("no vocabulary.txt or tokenizer.json in {0}: a CTranslate2 Whisper model directory has one of them")]
    Missing(PathBuf),
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// `tokenizer.json` is not the JSON of a BPE tokenizer.
    #[error("{path}: not a BPE tokenizer.json: {message}")]
    Tokenizer {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A token holds a character outside the bytes↔unicode table.
    #[error("{path}: token {id} ({token:?}) has the character {ch:?}, which is not a byte-level BPE character")]
    NotByteLevel {
        /// The file.
        path: PathBuf,
        /// Token id (0-based line number for `vocabulary.txt`).
        id: usize,
        /// The token as written.
        token: String,
        /// The character that maps to no byte.
        ch: char,
    },
    /// Fewer tokens than whisper.cpp needs.
    #[error("{path}: {found} tokens, a Whisper vocabulary has at least {needed}")]
    TooShort {
        /// The file.
        path: PathBuf,
        /// Tokens found.
        found: usize,
        /// Tokens needed.
        needed: usize,
    },
}

/// How tokens that are not whole UTF-8 characters are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenBytes {
    /// As whisper.cpp's converter stores them: UTF-8 with U+FFFD for partial characters.
    #[default]
    WhisperCpp,
    /// The token's exact bytes.
    Raw,
}

/// GPT-2's table from bytes to the printable characters that spell them.
pub fn bytes_to_unicode() -> [char; 256] {
    let mut table = ['\0'; 256];
    let printable = |b: u32| (0x21..=0x7e).contains(&b) || (0xa1..=0xac).contains(&b) || (0xae..=0xff).contains(&b);
    let mut next = 256u32;
    for b in 0u32..256 {
        let code = if printable(b) {
            b
        } else {
            next += 1;
            next - 1
        };
        // Every code here is below 0x200, so from_u32 always succeeds.
        table[b as usize] = char::from_u32(code).unwrap_or('\0');
    }
    table
}

/// The inverse of [`bytes_to_unicode`].
pub fn unicode_to_bytes() -> HashMap<char, u8> {
    bytes_to_unicode().iter().enumerate().map(|(b, &c)| (c, b as u8)).collect()
}

/// Decodes one token's text to its bytes.
pub fn token_bytes(token: &str, table: &HashMap<char, u8>) -> Result<Vec<u8>, char> {
    token.chars().map(|c| table.get(&c).copied().ok_or(c)).collect()
}

/// Reads the first [`TEXT_TOKENS`] tokens of the model directory's vocabulary
/// as bytes, from `vocabulary.txt` or else `tokenizer.json`.
pub fn read_text_tokens(dir: &Path, encoding: TokenBytes) -> Result<Vec<Vec<u8>>, VocabError> {
    let txt = dir.join("vocabulary.txt");
    let json = dir.join("tokenizer.json");
    let (path, tokens) = if txt.is_file() {
        let text = read(&txt)?;
        // One token a line; lines may be empty (multilingual token 50256 is).
        let tokens: Vec<String> = text.strip_suffix('\n').unwrap_or(&text).split('\n').map(str::to_string).collect();
        (txt, tokens)
    } else if json.is_file() {
        let text = read(&json)?;
        let tokens =
            tokenizer_json_tokens(&text).map_err(|message| VocabError::Tokenizer { path: json.clone(), message })?;
        (json, tokens)
    } else {
        return Err(VocabError::Missing(dir.to_path_buf()));
    };
    decode_tokens(&path, &tokens, encoding)
}

fn read(path: &Path) -> Result<String, VocabError> {
    std::fs::read_to_string(path).map_err(|source| VocabError::Io { path: path.to_path_buf(), source })
}

/// The BPE model's tokens from `tokenizer.json`, ordered by id (ids with no
/// token become empty strings).
fn tokenizer_json_tokens(text: &str) -> Result<Vec<String>, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let vocab =
        value.get("model").and_then(|m| m.get("vocab")).and_then(|v| v.as_object()).ok_or("no model.vocab object")?;
    let mut tokens = vec![String::new(); TEXT_TOKENS];
    for (token, id) in vocab {
        let id = id.as_u64().ok_or_else(|| format!("token {token:?} has a non-integer id"))? as usize;
        if let Some(slot) = tokens.get_mut(id) {
            *slot = token.clone();
        }
    }
    if vocab.len() < TEXT_TOKENS - 1 {
        return Err(format!("{} tokens, a Whisper vocabulary has at least {}", vocab.len(), TEXT_TOKENS - 1));
    }
    Ok(tokens)
}

fn decode_tokens(path: &Path, tokens: &[String], encoding: TokenBytes) -> Result<Vec<Vec<u8>>, VocabError> {
    if tokens.len() < TEXT_TOKENS {
        return Err(VocabError::TooShort { path: path.to_path_buf(), found: tokens.len(), needed: TEXT_TOKENS });
    }
    let table = unicode_to_bytes();
    tokens
        .iter()
        .take(TEXT_TOKENS)
        .enumerate()
        .map(|(id, token)| {
            // `<|endoftext|>` is plain ASCII and so decodes to itself.
            let bytes = token_bytes(token, &table).map_err(|ch| VocabError::NotByteLevel {
                path: path.to_path_buf(),
                id,
                token: token.clone(),
                ch,
            })?;
            Ok(match encoding {
                TokenBytes::Raw => bytes,
                TokenBytes::WhisperCpp => String::from_utf8_lossy(&bytes).into_owned().into_bytes(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_gpt2() {
        let table = bytes_to_unicode();
        assert_eq!(table[b'!' as usize], '!');
        assert_eq!(table[b' ' as usize], 'Ġ');
        assert_eq!(table[b'\n' as usize], 'Ċ');
        assert_eq!(table[0], 'Ā');
        assert_eq!(table[0xad], 'Ń');
        let inverse = unicode_to_bytes();
        assert_eq!(inverse.len(), 256);
    }

    #[test]
    fn decodes_tokens() {
        let table = unicode_to_bytes();
        let cases: &[(&str, &[u8])] = &[
            ("Ġinformants", b" informants"),
            ("<|endoftext|>", b"<|endoftext|>"),
            ("", b""),
            ("åľº", "场".as_bytes()),
        ];
        for (token, bytes) in cases {
            assert_eq!(token_bytes(token, &table).unwrap(), *bytes, "{token}");
        }
        assert_eq!(token_bytes("a b", &table), Err(' '));
    }

    #[test]
    fn vocabulary_txt_keeps_empty_lines_and_reports_bad_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::new();
        for i in 0..TEXT_TOKENS {
            text.push_str(if i == 3 { "" } else { "Ġa" });
            text.push('\n');
        }
        std::fs::write(dir.path().join("vocabulary.txt"), &text).unwrap();
        let tokens = read_text_tokens(dir.path(), TokenBytes::Raw).unwrap();
        assert_eq!(tokens.len(), TEXT_TOKENS);
        assert_eq!(tokens[3], b"");
        assert_eq!(tokens[4], b" a");

        std::fs::write(dir.path().join("vocabulary.txt"), text.replacen("Ġa", "a b", 1)).unwrap();
        let err = read_text_tokens(dir.path(), TokenBytes::Raw).unwrap_err().to_string();
        assert!(err.contains("token 0"), "{err}");

        std::fs::write(dir.path().join("vocabulary.txt"), "a\nb\n").unwrap();
        assert!(matches!(read_text_tokens(dir.path(), TokenBytes::Raw), Err(VocabError::TooShort { found: 2, .. })));
    }

    #[test]
    fn partial_characters_follow_whisper_cpp_or_stay_raw() {
        // `¡` spells the byte 0xa1, which alone is not UTF-8; `åľº` is the whole character 场.
        let mut tokens = vec![String::new(); TEXT_TOKENS];
        tokens[0] = "¡".into();
        tokens[1] = "åľº".into();
        let raw = decode_tokens(Path::new("v"), &tokens, TokenBytes::Raw).unwrap();
        let cpp = decode_tokens(Path::new("v"), &tokens, TokenBytes::WhisperCpp).unwrap();
        assert_eq!(raw[0], vec![0xa1]);
        assert_eq!(cpp[0], "\u{fffd}".as_bytes());
        assert_eq!(raw[1], "场".as_bytes());
        assert_eq!(cpp[1], raw[1]);
    }
}
