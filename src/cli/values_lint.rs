//! Owns `osmo-chart values-lint`: reads the inputs, runs the linter, prints the report
//! in the chosen format, and maps it to the exit status.

use std::io::Read;
use std::path::PathBuf;

use osmo_chart::diagnostics::{self, ColorChoice, Format, Severity};
use osmo_chart::lint::{self, rules, Options, Source};

use super::{ExitStatus, Failure};

/// Arguments of `osmo-chart values-lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Values files, merged in order as with `helm -f a -f b`; `-` reads standard input.
    #[arg(value_name = "FILE", required_unless_present = "list_rules")]
    pub files: Vec<PathBuf>,
    /// A value in Helm's --set syntax (a.b=c,list={x,y}); applied after the files.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Like --set, but every value stays a string.
    #[arg(long = "set-string", value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// When to colour the human format.
    #[arg(long, value_enum, default_value_t)]
    pub color: ColorChoice,
    /// Leave out a rule (repeatable); see --list-rules.
    #[arg(long = "allow", value_name = "RULE")]
    pub allow: Vec<String>,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// The chart is a subchart: allow a parent chart's keys directly under global.
    #[arg(long)]
    pub subchart: bool,
    /// Release name used for the names the chart builds when global.name is unset.
    #[arg(long, value_name = "NAME", default_value = "osmo-operator")]
    pub release_name: String,
    /// Print every rule with what it checks and why, then exit.
    #[arg(long)]
    pub list_rules: bool,
}

pub fn run(args: &Args) -> Result<ExitStatus, Failure> {
    if args.list_rules {
        print!("{}", list_rules());
        return Ok(ExitStatus::Success);
    }
    for id in &args.allow {
        if rules::find(id).is_none() {
            return Err(Failure(format!("--allow {id}: no such rule (see --list-rules)")));
        }
    }
    let mut sources = Vec::new();
    for path in &args.files {
        sources.push(Source::File { name: path.display().to_string(), bytes: read(path)? });
    }
    // Helm applies --set before --set-string; within each, in the order given.
    sources.extend(args.set.iter().map(|arg| Source::Set { arg: arg.clone(), string: false }));
    sources.extend(args.set_string.iter().map(|arg| Source::Set { arg: arg.clone(), string: true }));
    let options =
        Options { subchart: args.subchart, allow: args.allow.clone(), release_name: args.release_name.clone() };
    let found = lint::lint(&sources, &options);
    print!("{}", diagnostics::render(args.format, &found, rules::ALL, args.color));
    let fails = found.iter().any(|d| d.severity == Severity::Error || args.deny_warnings);
    Ok(if fails { ExitStatus::Findings } else { ExitStatus::Success })
}

/// Reads a file (or standard input for `-`), at most one byte past the size limit so a
/// huge file is refused without being read whole.
fn read(path: &PathBuf) -> Result<Vec<u8>, Failure> {
    let limit = (lint::MAX_FILE_BYTES + 1) as u64;
    let mut bytes = Vec::new();
    let result = if path.as_os_str() == "-" {
        std::io::stdin().take(limit).read_to_end(&mut bytes)
    } else {
        let file = std::fs::File::open(path).map_err(|e| Failure::io("read", path, e))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(Failure(format!("cannot read {}: it is a directory", path.display())));
        }
        file.take(limit).read_to_end(&mut bytes)
    };
    result.map_err(|e| Failure::io("read", path, e))?;
    Ok(bytes)
}

fn list_rules() -> String {
    let mut out = String::new();
    for rule in rules::ALL {
        out.push_str(&format!("{} ({})\n    {}\n    {}\n\n", rule.id, rule.severity, rule.summary, rule.doc));
    }
    out
}
