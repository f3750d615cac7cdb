//! `rapporteur`: conference sessions in, timed transcripts, takeaways and draft
//! messages out. Each subcommand lives in its own module under `commands/`.

mod commands;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status when every input worked.
const EXIT_OK: u8 = 0;
/// Exit status when some inputs failed (the others were still written).
const EXIT_SOME_FAILED: u8 = 1;
/// Exit status for usage errors (clap uses 2 as well).
const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "rapporteur",
    version,
    about = "Timed transcripts, key takeaways, policy recommendations and draft messages from conference sessions",
    long_about = None,
    propagate_version = true,
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Captions(commands::captions::Args),
    Extract(commands::extract::Args),
    Draft(commands::draft::Args),
    Rules(commands::rules::Args),
    Eval(commands::eval::Args),
    Run(commands::run::Args),
    Merge(commands::merge::Args),
    Index(commands::index::Args),
    Search(commands::search::Args),
    Serve(commands::serve::Args),
    Models(commands::models::Args),
    Transcribe(commands::transcribe::Args),
    Align(commands::align::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Captions(args) => commands::captions::run(args),
        Command::Extract(args) => commands::extract::run(args),
        Command::Draft(args) => commands::draft::run(args),
        Command::Rules(args) => commands::rules::run(args),
        Command::Eval(args) => commands::eval::run(args),
        Command::Run(args) => commands::run::run(args),
        Command::Merge(args) => commands::merge::run(args),
        Command::Index(args) => commands::index::run(args),
        Command::Search(args) => commands::search::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Models(args) => commands::models::run(args),
        Command::Transcribe(args) => commands::transcribe::run(args),
        Command::Align(args) => commands::align::run(args),
    };
    match result {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(error) => {
            if output::is_broken_pipe(&error) {
                // `rapporteur ... | head` is not an error.
                return ExitCode::from(EXIT_OK);
            }
            output::print_error_chain(&error);
            ExitCode::from(if error.is::<output::UsageError>() { EXIT_USAGE } else { EXIT_SOME_FAILED })
        }
    }
}

/// How a batch went: how many inputs there were and how many failed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcome {
    /// Inputs processed.
    pub total: usize,
    /// Inputs that failed.
    pub failed: usize,
}

impl Outcome {
    fn exit_code(self) -> u8 {
        if self.failed == 0 {
            EXIT_OK
        } else {
            EXIT_SOME_FAILED
        }
    }
}
