//! What values-lint and check share on the command line: the values inputs (files,
//! --set, --set-string, in Helm's order) and the report (format, colour, allowed rules,
//! warnings), with the steps that read the one and print the other.

use std::io::Read;
use std::path::{Path, PathBuf};

use osmo_chart::diagnostics::{self, ColorChoice, Diagnostic, Format, RuleDoc, Severity};
use osmo_chart::lint::{self, Options, Source};

use super::{ExitStatus, Failure};

/// Values given on the command line, and how to read the chart's names.
#[derive(Debug, clap::Args)]
pub struct ValuesArgs {
    /// A value in Helm's --set syntax (a.b=c,list={x,y}); applied after the files.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Like --set, but every value stays a string.
    #[arg(long = "set-string", value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,
    /// The chart is a subchart: allow a parent chart's keys directly under global.
    #[arg(long)]
    pub subchart: bool,
    /// Release name: the prefix of the chart's names when global.name is unset.
    #[arg(long, value_name = "NAME", default_value = "osmo-operator")]
    pub release_name: String,
}

impl ValuesArgs {
    /// The files, then --set, then --set-string, as Helm applies them.
    pub fn sources(&self, files: &[PathBuf]) -> Result<Vec<Source>, Failure> {
        let mut sources = Vec::new();
        for path in files {
            sources.push(Source::File { name: path.display().to_string(), bytes: read(path)? });
        }
        sources.extend(self.set.iter().map(|arg| Source::Set { arg: arg.clone(), string: false }));
        sources.extend(self.set_string.iter().map(|arg| Source::Set { arg: arg.clone(), string: true }));
        Ok(sources)
    }

    pub fn options(&self) -> Options {
        Options { subchart: self.subchart, allow: Vec::new(), release_name: self.release_name.clone() }
    }
}

/// How findings are reported.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
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
    /// Print every rule with what it checks and why, then exit.
    #[arg(long)]
    pub list_rules: bool,
}

impl ReportArgs {
    /// Handles --list-rules and checks --allow; Some(status) when the command is done.
    pub fn preflight(&self, rules: &[RuleDoc]) -> Result<Option<ExitStatus>, Failure> {
        if self.list_rules {
            for rule in rules {
                println!("{} ({})\n    {}\n    {}\n", rule.id, rule.severity, rule.summary, rule.doc);
            }
            return Ok(Some(ExitStatus::Success));
        }
        match self.allow.iter().find(|id| !rules.iter().any(|r| r.id == id.as_str())) {
            Some(unknown) => Err(Failure(format!("--allow {unknown}: no such rule (see --list-rules)"))),
            None => Ok(None),
        }
    }

    /// Whether a finding survives --allow.
    pub fn keeps(&self, d: &Diagnostic) -> bool {
        !self.allow.iter().any(|a| a == d.rule)
    }

    /// Prints the findings and returns the exit status they mean.
    pub fn finish(&self, mut found: Vec<Diagnostic>, rules: &[RuleDoc]) -> ExitStatus {
        found.retain(|d| self.keeps(d));
        diagnostics::sort(&mut found);
        print!("{}", diagnostics::render(self.format, &found, rules, self.color));
        let fails = found.iter().any(|d| d.severity == Severity::Error || self.deny_warnings);
        if fails {
            ExitStatus::Findings
        } else {
            ExitStatus::Success
        }
    }
}

/// Reads a values file (or standard input for `-`), at most one byte past the size limit
/// so that a huge file is refused without being read whole.
pub fn read(path: &Path) -> Result<Vec<u8>, Failure> {
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
