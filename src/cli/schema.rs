//! Owns `osmo-chart schema`: writes (or with `--check` verifies) chart/values.schema.json
//! and schema/kubernetes.schema.json, the strict schemas of the kinds `check` validates.

use std::path::{Path, PathBuf};

use osmo_chart::kube::schema::KUBERNETES_SCHEMA_PATH;
use osmo_chart::schema::SCHEMA_PATH;

use super::{write_or_check, ExitStatus, Failure};

/// Arguments of `osmo-chart schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only check that the files are up to date; exit 1 if one is not.
    #[arg(long)]
    pub check: bool,
    /// Where the values schema goes.
    #[arg(long, value_name = "PATH", default_value = SCHEMA_PATH)]
    pub output: PathBuf,
    /// Where the Kubernetes kinds' schema goes.
    #[arg(long, value_name = "PATH", default_value = KUBERNETES_SCHEMA_PATH)]
    pub kubernetes_output: PathBuf,
}

pub fn run(args: &Args) -> Result<ExitStatus, Failure> {
    let regenerate = |flag: &str, path: &Path, default: &str| match path == Path::new(default) {
        true => "osmo-chart schema".to_owned(),
        false => format!("osmo-chart schema {flag} {}", path.display()),
    };
    let values = write_or_check(
        &args.output,
        &osmo_chart::schema::render(),
        args.check,
        &regenerate("--output", &args.output, SCHEMA_PATH),
    )?;
    let kubernetes = write_or_check(
        &args.kubernetes_output,
        &osmo_chart::kube::schema::render(),
        args.check,
        &regenerate("--kubernetes-output", &args.kubernetes_output, KUBERNETES_SCHEMA_PATH),
    )?;
    Ok(if values == ExitStatus::Success { kubernetes } else { values })
}
