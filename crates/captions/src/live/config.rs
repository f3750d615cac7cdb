//! How a live session waits, segments and numbers its chunks.

/// Which chunks share one `seq` counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeqScope {
    /// One counter for every chunk of the session, whatever its `lang`: Zoom's
    /// rule ("counter for all closed caption data posts"), and what its
    /// `GET .../closedcaption/seq` answers.
    #[default]
    Session,
    /// One counter per `lang`, for tools that number each language's feed on
    /// its own (with [`SeqScope::Session`] such a feed would look like retries).
    Language,
}

/// Settings of a [`LiveSession`](super::LiveSession) and its
/// [`Assembler`](super::Assembler)s. `LiveConfig::default()` gives the
/// documented defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveConfig {
    /// How long a missing `seq` is waited for, in milliseconds, counted from
    /// the arrival of the first chunk held behind it (time is measured by the
    /// arrival times of later chunks or by `tick`). After that the missing
    /// chunks are skipped with a warning; one that turns up later is applied
    /// when it arrives, with a warning, never dropped. Default 2000.
    pub gap_wait_ms: u64,
    /// How long the first numbered chunk is held in case a chunk with a lower
    /// `seq` was sent before it but overtaken on the way, in milliseconds. The
    /// stream then starts at the lowest `seq` received in that time. `0`
    /// starts at the first chunk's `seq` at once (lowest latency; a lower
    /// `seq` arriving afterwards is applied late, with a warning).
    /// Default 2000, the same as `gap_wait_ms`.
    pub start_wait_ms: u64,
    /// A segment ends when no new character (or backspace) has arrived for this
    /// many milliseconds; checked at the next chunk or `tick`. Default 3000.
    pub pause_ms: u64,
    /// Which chunks share a `seq` counter. Default [`SeqScope::Session`].
    pub seq_scope: SeqScope,
    /// Text that runs this many characters with no sentence end, speaker
    /// change or pause is cut at its last space, with a warning, so that a
    /// feed without punctuation still comes out and memory stays bounded.
    /// Default 2000.
    pub max_segment_chars: usize,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            gap_wait_ms: 2000,
            start_wait_ms: 2000,
            pause_ms: 3000,
            seq_scope: SeqScope::Session,
            max_segment_chars: 2000,
        }
    }
}
