//! Owns `osmo-chart rbac-lint`: reads the inputs, gets the chart rendered (by Helm for
//! now, or from --rendered), runs the check, and prints the report or the fix.

use std::path::PathBuf;

use osmo_chart::diagnostics::{self, ColorChoice, Format, Severity};
use osmo_chart::rbac::{fix, rules, Input, Report, Session, Source};

use osmo_chart::helm;

use super::shared::read;
use super::{ExitStatus, Failure};

/// Arguments of `osmo-chart rbac-lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The chart's values files, merged in order as with `helm -f a -f b`.
    #[arg(short = 'f', long = "values", value_name = "VALUES", required_unless_present = "list_rules")]
    pub values: Vec<PathBuf>,
    /// Group templates: service chart values, `osmo config show GROUP_TEMPLATE` JSON, or manifests.
    #[arg(long = "group-templates", value_name = "FILE", required_unless_present = "list_rules")]
    pub group_templates: Vec<PathBuf>,
    /// The backend whose pools count (default: global.backendName from the values).
    #[arg(long, value_name = "NAME")]
    pub backend: Option<String>,
    /// A CustomResourceDefinition of a custom kind the templates use (repeatable).
    #[arg(long = "crd", value_name = "FILE")]
    pub crds: Vec<PathBuf>,
    /// `helm template` output to read the worker's Role from, instead of running Helm.
    #[arg(long, value_name = "FILE", conflicts_with = "write")]
    pub rendered: Option<PathBuf>,
    /// The chart to render (default: the chart this tool was built with).
    #[arg(long, value_name = "DIR")]
    pub chart: Option<PathBuf>,
    /// Release name the chart's object names are built from when global.name is unset.
    #[arg(long, value_name = "NAME", default_value = "osmo-operator")]
    pub release_name: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// When to colour the human format.
    #[arg(long, value_enum, default_value_t)]
    pub color: ColorChoice,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print the smallest extraRBACRules block that makes the check pass.
    #[arg(long)]
    pub fix: bool,
    /// With --fix: add the rules to the values file in place, then check again.
    #[arg(long, requires = "fix")]
    pub write: bool,
    /// Print every rule with what it checks and why, then exit.
    #[arg(long)]
    pub list_rules: bool,
}

pub fn run(args: &Args) -> Result<ExitStatus, Failure> {
    if args.list_rules {
        for rule in rules::ALL {
            print!("{} ({})\n    {}\n    {}\n\n", rule.id, rule.severity, rule.summary, rule.doc);
        }
        return Ok(ExitStatus::Success);
    }
    let session = Session::new(&input(args)?);
    let Some(report) = check(args, &session)? else {
        return Ok(print_report(args, &session.reading_findings()));
    };
    if !args.fix {
        return Ok(print_report(args, &report.diagnostics));
    }
    let unfixable = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && ![rules::MISSING_VERBS, rules::API_GROUP].contains(&d.rule))
        .count();
    if report.fix.is_empty() {
        eprintln!("osmo-chart: nothing to add: the worker's Role covers every group template");
    } else if !args.write {
        let existing = session.has_extra_rules().then(|| {
            let target = session.fix_target().expect("values that set the key");
            args.values[target].display().to_string()
        });
        print!("{}", fix::paste_block(&report.fix, existing.as_deref()));
    }
    if args.write && !report.fix.is_empty() {
        return write_fix(args, &session, &report);
    }
    if unfixable > 0 {
        eprintln!(
            "osmo-chart: {unfixable} error{} that RBAC rules cannot fix: run without --fix to see them",
            if unfixable == 1 { "" } else { "s" }
        );
    }
    Ok(if report.fix.is_empty() && unfixable == 0 { ExitStatus::Success } else { ExitStatus::Findings })
}

/// The report, or None when the values did not load (the chart cannot be rendered).
fn check(args: &Args, session: &Session) -> Result<Option<Report>, Failure> {
    if !session.values_loaded() {
        return Ok(None);
    }
    let manifests = match &args.rendered {
        Some(path) => String::from_utf8(read(path)?)
            .map_err(|_| Failure(format!("--rendered {}: not UTF-8 text", path.display())))?,
        None => {
            let chart_files = match &args.chart {
                Some(dir) => Some(helm::chart::read_dir_files(dir).map_err(Failure)?),
                None => None,
            };
            let mut values = Vec::new();
            for path in &args.values {
                values.push((path.display().to_string(), String::from_utf8_lossy(&read(path)?).into_owned()));
            }
            let request = helm::Template {
                chart_files,
                release_name: &args.release_name,
                values,
                set: &[],
                set_string: &[],
                values_validated: false,
            };
            helm::template(request).map_err(|e| {
                Failure(format!("the chart does not render, so the worker's Role cannot be read: {}", e.message))
            })?
        }
    };
    session.check(&manifests).map(Some).map_err(Failure)
}

/// Splices the fix into the values file, then checks again with the edited file.
fn write_fix(args: &Args, session: &Session, report: &Report) -> Result<ExitStatus, Failure> {
    let target = session.fix_target().ok_or_else(|| Failure("--write needs a values file (-f)".into()))?;
    let path = &args.values[target];
    let root = session.values_tree(target).expect("values loaded before checking");
    let text = &session.file(target).text;
    let edited = fix::splice(text, root, &report.fix).map_err(|e| {
        Failure(format!(
            "cannot edit {} in place: {e}; paste this instead:\n{}",
            path.display(),
            fix::paste_block(&report.fix, None)
        ))
    })?;
    std::fs::write(path, edited).map_err(|e| Failure::io("write", path, e))?;
    let n = report.fix.len();
    eprintln!(
        "osmo-chart: added {n} rule{} to services.backendWorker.extraRBACRules in {}",
        if n == 1 { "" } else { "s" },
        path.display()
    );
    let session = Session::new(&input(args)?);
    let diagnostics = match check(args, &session)? {
        Some(report) => report.diagnostics,
        None => session.reading_findings(),
    };
    Ok(print_report(args, &diagnostics))
}

fn print_report(args: &Args, found: &[diagnostics::Diagnostic]) -> ExitStatus {
    print!("{}", diagnostics::render(args.format, found, rules::ALL, args.color));
    let fails = found.iter().any(|d| d.severity == Severity::Error || args.deny_warnings);
    if fails {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

/// Everything rbac-lint reads, read now (after --write, the edited values file).
fn input(args: &Args) -> Result<Input, Failure> {
    Ok(Input {
        values: sources(&args.values)?,
        group_templates: sources(&args.group_templates)?,
        crds: sources(&args.crds)?,
        backend: args.backend.clone(),
        release_name: args.release_name.clone(),
    })
}

fn sources(paths: &[PathBuf]) -> Result<Vec<Source>, Failure> {
    paths.iter().map(|p| Ok(Source { name: p.display().to_string(), bytes: read(p)? })).collect()
}
