//! Owns `osmo-chart docs`: writes (or with `--check` verifies) the values table in the chart's
//! README, between its `values-table` markers.

use std::path::PathBuf;

use osmo_chart::docs;

use super::{write_or_check, ExitStatus, Failure};

/// Arguments of `osmo-chart docs`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only check that the table is up to date; exit 1 if it is not.
    #[arg(long)]
    pub check: bool,
    /// The README holding the table markers.
    #[arg(long, value_name = "PATH", default_value = docs::README_PATH)]
    pub readme: PathBuf,
}

pub fn run(args: &Args) -> Result<ExitStatus, Failure> {
    let readme = std::fs::read_to_string(&args.readme).map_err(|err| Failure::io("read", &args.readme, err))?;
    let updated = docs::splice(&readme, &docs::values_table())
        .map_err(|err| Failure(format!("{}: {err}", args.readme.display())))?;
    let regenerate = match args.readme.as_path() == std::path::Path::new(docs::README_PATH) {
        true => "osmo-chart docs".to_owned(),
        false => format!("osmo-chart docs --readme {}", args.readme.display()),
    };
    write_or_check(&args.readme, &updated, args.check, &regenerate)
}
