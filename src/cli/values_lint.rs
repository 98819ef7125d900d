//! Owns `osmo-chart values-lint`: reads the inputs, runs the linter, prints the report
//! in the chosen format, and maps it to the exit status.

use std::path::PathBuf;

use osmo_chart::lint::{self, rules};

use super::shared::{ReportArgs, ValuesArgs};
use super::{ExitStatus, Failure};

/// Arguments of `osmo-chart values-lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Values files, merged in order as with `helm -f a -f b`; `-` reads standard input.
    #[arg(value_name = "FILE", required_unless_present = "list_rules")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub values: ValuesArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(args: &Args) -> Result<ExitStatus, Failure> {
    if let Some(done) = args.report.preflight(rules::ALL)? {
        return Ok(done);
    }
    let sources = args.values.sources(&args.files)?;
    let found = lint::lint(&sources, &args.values.options());
    Ok(args.report.finish(found, rules::ALL))
}
