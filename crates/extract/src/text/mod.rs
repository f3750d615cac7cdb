//! Text for matching: sentences that keep their segment, speaker, times and
//! offsets ([`sentence`]), cleaned of what speech adds to writing ([`clean`]).

pub mod clean;
pub mod sentence;

pub use clean::{clean, Cleaned, OffsetMap};
pub use sentence::{split_sentences, Document, Sentence, Turn};
