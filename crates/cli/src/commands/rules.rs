//! `rapporteur rules`: check rules files, list the rules in force.

use std::fs;
use std::path::PathBuf;

use anyhow::Context;
use rapporteur_core::Severity;
use rapporteur_extract::rules::{self, RuleSource};

use crate::Outcome;

/// Check or list extraction rules.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Report every error of rules files at once, with file:line:column
    /// (bad regex, unknown key, duplicate id, empty pattern, ...).
    Check {
        /// Rules files (each is checked layered on the built-in rules).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the rules in force: built-in, then the --rules layers.
    List {
        /// Rules files layered on the built-in rules.
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
        /// Switch off a rule by id.
        #[arg(long = "disable", value_name = "ID", value_delimiter = ',')]
        disable: Vec<String>,
    },
    /// Print the built-in rules file (a starting point for your own).
    Builtin,
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    match args.command {
        Command::Check { files } => {
            let mut outcome = Outcome { total: files.len(), failed: 0 };
            for path in &files {
                let text = match fs::read_to_string(path) {
                    Ok(t) => t,
                    Err(e) => {
                        eprintln!("{}: error: cannot read: {e}", path.display());
                        outcome.failed += 1;
                        continue;
                    }
                };
                let diagnostics = rules::check(&RuleSource::new(path.display().to_string(), text));
                for d in &diagnostics {
                    println!("{d}");
                }
                let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
                if errors > 0 {
                    outcome.failed += 1;
                    eprintln!("{}: {errors} error(s)", path.display());
                } else {
                    eprintln!("{}: ok", path.display());
                }
            }
            Ok(outcome)
        }
        Command::List { rules, disable } => {
            let set = super::extract::load_rules(&rules, &disable, true)?;
            for rule in set.rules() {
                let effect = match rule.effect {
                    rules::Effect::Find => "",
                    rules::Effect::Suppress => " (suppress)",
                };
                println!("{:<32} {:<16} {}{effect}  [{}]", rule.id, rule.kind, rule.description, rule.origin);
            }
            Ok(Outcome { total: 1, failed: 0 })
        }
        Command::Builtin => {
            use std::io::Write;
            std::io::stdout().write_all(rules::BUILTIN_RULES.as_bytes()).context("cannot write to standard output")?;
            Ok(Outcome { total: 1, failed: 0 })
        }
    }
}
