//! Draft IGF Messages per thematic track from extracted findings.
#![deny(missing_docs)]

pub mod cluster;
pub mod compose;
pub mod embed;
pub mod error;
pub mod input;
pub mod messages;
pub mod pipeline;
pub mod rank;
pub mod render;
pub mod rouge;
pub mod wording;

pub use error::{DraftError, Result};
pub use input::Meeting;
pub use messages::{Draft, Message, MessageGroup, Metrics, SourceRef, TrackMessages};
pub use pipeline::{draft, DraftOptions, DRAFTING_REVISION};
