//! `rapporteur eval`: measure a stage against labelled data.

use std::fs;
use std::path::PathBuf;

use anyhow::Context;
use rapporteur_extract::{eval, Extractor};

use crate::output::UsageError;
use crate::Outcome;

/// Measure a stage against labelled data.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Precision, recall and F1 per kind of the extraction rules against a
    /// JSON Lines gold file ({"text", "speaker", "label": kind or null}).
    Extract {
        /// The gold file.
        gold: PathBuf,
        /// Rules files layered on the built-in rules.
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
        /// Switch off a rule by id.
        #[arg(long = "disable", value_name = "ID", value_delimiter = ',')]
        disable: Vec<String>,
        /// Also list the lines predicted wrongly.
        #[arg(long)]
        errors: bool,
        /// Print the report as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// ROUGE-1/2/L/Lsum of a candidate text (or a draft's messages.json)
    /// against a reference text, computed as Google's rouge-score does.
    Rouge(super::eval_rouge::RougeArgs),
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    match args.command {
        Command::Extract { gold, rules, disable, errors, json } => {
            let text =
                fs::read_to_string(&gold).with_context(|| format!("cannot read gold file {}", gold.display()))?;
            let items = eval::read_gold(&text)
                .map_err(|e| UsageError(format!("{}:{}: error: {}", gold.display(), e.line, e.message)))?;
            let set = super::extract::load_rules(&rules, &disable, true)?;
            let report = eval::evaluate(&Extractor::new(set), &items);
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", report.to_table());
                if errors {
                    for m in &report.mismatches {
                        let show = |k: &Option<String>| k.clone().unwrap_or_else(|| "none".into());
                        println!(
                            "{}\tgold {}\tpredicted {}{}\t{}",
                            m.id,
                            show(&m.gold),
                            show(&m.predicted),
                            m.rule.as_ref().map(|r| format!(" ({r})")).unwrap_or_default(),
                            m.text
                        );
                    }
                }
            }
            Ok(Outcome { total: 1, failed: 0 })
        }
        Command::Rouge(args) => super::eval_rouge::run(args),
    }
}
