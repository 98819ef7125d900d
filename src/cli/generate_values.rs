//! Owns `osmo-chart generate-values` (hidden): writes seeded values files for the chart,
//! the inputs of the differential test and of the batch benchmark.

use std::path::PathBuf;

use super::{ExitStatus, Failure};

/// Arguments of `osmo-chart generate-values`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Seed of the run; the same seed writes the same files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How many files.
    #[arg(long, default_value_t = 1000)]
    pub count: u64,
    /// Index of the first file.
    #[arg(long, default_value_t = 0)]
    pub start: u64,
    /// Directory the files go to (created), as values-NNNNN.yaml.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: &Args) -> Result<ExitStatus, Failure> {
    std::fs::create_dir_all(&args.out).map_err(|e| Failure::io("create", &args.out, e))?;
    for index in args.start..args.start + args.count {
        let path = args.out.join(format!("values-{index:05}.yaml"));
        let text = osmo_chart::values::generate::values_file(args.seed, index);
        std::fs::write(&path, text).map_err(|e| Failure::io("write", &path, e))?;
    }
    Ok(ExitStatus::Success)
}
