//! Live caption feeds: chunks in, segments out as they complete.
//!
//! Captioning tools send a session's captions as small POSTs while it runs.
//! Two conventions matter, and [`LiveSession`] follows both:
//!
//! * **Zoom's third-party captioning API**: each POST carries `seq` (one
//!   counter for all of a meeting's posts, increased by one per new post and
//!   repeated on a retry) and `lang`. A repeated `seq` is applied once; chunks
//!   that overtake each other are put back in order; a missing `seq` is
//!   waited for ([`LiveConfig::gap_wait_ms`], 2 s) and then skipped with a
//!   warning, and if it turns up later it is applied when it arrives, with a
//!   warning, never lost. The stream starts at the lowest `seq` received in its
//!   first [`LiveConfig::start_wait_ms`]. [`LiveSession::last_seq`] answers
//!   `GET .../seq`.
//! * **StreamText push**: the text is a character stream, not messages; a
//!   chunk may end mid-word, and each `\x08` deletes one character received
//!   before it (in any earlier chunk). Chunks without `seq` are applied in
//!   arrival order.
//!
//! Each language is a stream of its own, cut into [`Segment`]s
//! (`source: caption`, `timing: exact`) at sentence ends, speaker changes
//! (`>> NAME:`; a bare `>>` is an unnamed speaker), blank lines and pauses
//! ([`LiveConfig::pause_ms`], 3 s). A sentence end needs the next non-space
//! character to be certain, so a backspace right after a full stop still
//! edits the sentence. A segment starts at the arrival of its first character
//! and ends at the arrival of its last; a character applied after waiting
//! for a reordered chunk gets the later of its own arrival and the previous
//! character's, so times never go backwards. Whitespace is single-spaced;
//! captioners' annotations (`(off microphone)`) are kept. Backspaces that
//! reach into text already emitted cannot be undone: they are counted
//! ([`Assembler::lost_backspaces`]) and reported.
//!
//! Nothing here reads a clock: every time comes from the caller (chunk
//! arrival times and [`LiveSession::tick`]), so replaying a journal of
//! chunks gives the same segments.
//!
//! [`Segment`]: rapporteur_core::Segment
//!
//! ```
//! use rapporteur_captions::live::{Chunk, LiveConfig, LiveSession};
//! use rapporteur_core::Time;
//!
//! let mut live = LiveSession::new(LiveConfig::default());
//! let ms = Time::from_millis;
//! let mut events = Vec::new();
//! // seq 2 overtakes seq 1; seq 2 is retried; "wrold" is corrected with backspaces.
//! events.extend(live.push(Chunk::numbered(2, "en-US", "lo wrold\x08\x08\x08\x08orld.", ms(1_200))));
//! events.extend(live.push(Chunk::numbered(1, "en-US", ">> CHAIR: Hel", ms(1_300))));
//! events.extend(live.push(Chunk::numbered(2, "en-US", "lo wrold\x08\x08\x08\x08orld.", ms(1_400))));
//! events.extend(live.push(Chunk::numbered(3, "en-US", " Welcome", ms(3_500))));
//! events.extend(live.finish());
//!
//! let segments: Vec<_> = events.iter().filter_map(|e| e.segment()).collect();
//! assert_eq!(segments.len(), 2);
//! assert_eq!(segments[0].speaker.as_deref(), Some("CHAIR"));
//! assert_eq!(segments[0].text, "Hello world.");
//! assert_eq!((segments[0].start, segments[0].end), (ms(1_300), ms(1_300)));
//! assert_eq!(segments[1].text, "Welcome");
//! assert_eq!(segments[1].speaker.as_deref(), Some("CHAIR"));
//! assert_eq!(live.last_seq(), Some(3));
//! assert!(events.iter().all(|e| e.diagnostic().is_none()));
//! ```

mod assembler;
mod boundary;
mod buffer;
mod chunk;
mod config;
mod marker;
mod seqset;
mod sequencer;
mod session;

#[cfg(test)]
mod tests;

pub use assembler::Assembler;
pub use chunk::{Chunk, Event, UNDETERMINED_LANG};
pub use config::{LiveConfig, SeqScope};
pub use seqset::SeqSet;
pub use session::LiveSession;
