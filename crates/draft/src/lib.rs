//! Draft IGF Messages per thematic track from extracted findings.
#![deny(missing_docs)]

pub mod embed;
pub mod error;

pub use error::{DraftError, Result};
