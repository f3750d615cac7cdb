//! Draft IGF Messages per thematic track from extracted findings.
#![deny(missing_docs)]

pub mod cluster;
pub mod embed;
pub mod error;
pub mod input;
pub mod rank;
pub mod wording;

pub use error::{DraftError, Result};
