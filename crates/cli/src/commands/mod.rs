//! One module per subcommand.

pub mod captions;
pub mod eval;
pub mod extract;
pub mod follow;
pub mod merge;
pub mod models;
pub mod transcribe;
pub mod pipeline;
pub mod rules;
pub mod run;
