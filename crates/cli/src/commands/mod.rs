//! One module per subcommand.

pub mod captions;
pub mod follow;
pub mod merge;
pub mod pipeline;
pub mod run;
