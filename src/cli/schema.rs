//! Owns `osmo-chart schema`: writes (or with `--check` verifies) chart/values.schema.json.

use std::path::PathBuf;

use super::{write_or_check, ExitStatus, Failure};

/// Arguments of `osmo-chart schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only check that the file is up to date; exit 1 if it is not.
    #[arg(long)]
    pub check: bool,
    /// Where the schema goes.
    #[arg(long, value_name = "PATH", default_value = osmo_chart::schema::SCHEMA_PATH)]
    pub output: PathBuf,
}

pub fn run(args: &Args) -> Result<ExitStatus, Failure> {
    let regenerate = match args.output.as_path() == std::path::Path::new(osmo_chart::schema::SCHEMA_PATH) {
        true => "osmo-chart schema".to_owned(),
        false => format!("osmo-chart schema --output {}", args.output.display()),
    };
    write_or_check(&args.output, &osmo_chart::schema::render(), args.check, &regenerate)
}
