//! Owns the command line: the clap definitions, the exit statuses, and dispatch to one module
//! per subcommand.

use std::path::Path;

use clap::{Parser, Subcommand};

mod check;
mod docs;
mod generate_values;
mod golden_diff;
mod rbac_lint;
mod render;
mod schema;
mod shared;
mod values_lint;

/// Typed values, JSON Schema and docs of the OSMO backend-operator Helm chart.
#[derive(Debug, Parser)]
#[command(name = "osmo-chart", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the values JSON Schema generated from the typed values.
    Schema(schema::Args),
    /// Write the values reference table into the chart's README.
    Docs(docs::Args),
    /// Check values files (and --set values) before Helm sees them, with file:line:col and the fix.
    ValuesLint(values_lint::Args),
    /// Prove a values file deploys: values-lint, the rendered objects against their Kubernetes
    /// types, the restricted security profile, RBAC, and the worker's CronJob template.
    Check(check::Args),
    /// Show what a change to the chart or a values file does to the rendered objects, for review.
    GoldenDiff(golden_diff::Args),
    /// Print the chart's manifests exactly as `helm template` does, without helm.
    Render(render::Args),
    /// Prove the worker's Role lets it create what the group templates declare.
    RbacLint(rbac_lint::Args),
    /// Write seeded values files for the chart (for differential tests and benchmarks).
    #[command(hide = true)]
    GenerateValues(generate_values::Args),
}

/// How the process ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Done; nothing to report.
    Success = 0,
    /// Ran fine and found something (a stale file, a lint finding).
    Findings = 1,
    /// Could not run (bad input, I/O error).
    Error = 2,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status as u8)
    }
}

/// A failure that stops a command: one line for stderr.
#[derive(Debug)]
pub struct Failure(pub String);

impl Failure {
    /// An I/O failure on `path`.
    pub fn io(action: &str, path: &Path, err: std::io::Error) -> Self {
        Self(format!("cannot {action} {}: {err}", path.display()))
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitStatus {
    let result = match cli.command {
        Command::Schema(args) => schema::run(&args),
        Command::Docs(args) => docs::run(&args),
        Command::ValuesLint(args) => values_lint::run(&args),
        Command::Check(args) => check::run(&args),
        Command::GoldenDiff(args) => golden_diff::run(&args),
        Command::Render(args) => return render::run(&args),
        Command::RbacLint(args) => rbac_lint::run(&args),
        Command::GenerateValues(args) => generate_values::run(&args),
    };
    result.unwrap_or_else(|Failure(message)| {
        eprintln!("osmo-chart: error: {message}");
        ExitStatus::Error
    })
}

/// Writes `expected` to `path`, or with `check` only compares them: a stale or missing file is
/// a finding, reported with the command that regenerates it.
fn write_or_check(path: &Path, expected: &str, check: bool, regenerate: &str) -> Result<ExitStatus, Failure> {
    if check {
        let current = match std::fs::read_to_string(path) {
            Ok(text) => Some(text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) => return Err(Failure::io("read", path, err)),
        };
        if current.as_deref() == Some(expected) {
            return Ok(ExitStatus::Success);
        }
        let state = if current.is_some() { "is stale" } else { "is missing" };
        eprintln!("osmo-chart: {} {state}; regenerate it with `{regenerate}`", path.display());
        return Ok(ExitStatus::Findings);
    }
    std::fs::write(path, expected).map_err(|err| Failure::io("write", path, err))?;
    Ok(ExitStatus::Success)
}
