//! One module per subcommand.

pub mod align;
pub mod captions;
pub mod draft;
pub mod eval;
pub mod eval_rouge;
pub mod extract;
pub mod follow;
pub mod index;
pub mod merge;
pub mod models;
pub mod pipeline;
pub mod rules;
pub mod run;
pub mod search;
pub mod serve;
pub mod transcribe;
