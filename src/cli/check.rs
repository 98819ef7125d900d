//! Owns `osmo-chart check`: values-lint, then the chart rendered natively with the same
//! values (as `helm template` would), then every check of `osmo_chart::check` on the
//! result, in one report. Findings caused by a values key point at that key's line;
//! others at the rendered template.

use std::path::PathBuf;

use osmo_chart::check::{check_manifests, origin, rules as check_rules, Finding, Manifests};
use osmo_chart::diagnostics::{Diagnostic, RuleDoc, Severity};
use osmo_chart::helm;
use osmo_chart::lint::{self, rules as lint_rules, Inputs};
use osmo_chart::rbac;

use super::shared::{ReportArgs, ValuesArgs};
use super::{ExitStatus, Failure};

/// Arguments of `osmo-chart check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Values files, merged in order as with `helm -f a -f b`.
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub values: ValuesArgs,
    /// Check this `helm template` output instead of rendering the chart.
    #[arg(long, value_name = "FILE")]
    pub rendered: Option<PathBuf>,
    /// Render this chart directory instead of the chart built into the tool.
    #[arg(long, value_name = "DIR")]
    pub chart: Option<PathBuf>,
    /// Group templates the worker must be allowed to create (as for rbac-lint).
    #[arg(long = "group-templates", value_name = "FILE")]
    pub group_templates: Vec<PathBuf>,
    /// A CustomResourceDefinition of a custom kind the group templates use.
    #[arg(long = "crd", value_name = "FILE")]
    pub crds: Vec<PathBuf>,
    /// The backend whose pools' group templates count (default: global.backendName).
    #[arg(long, value_name = "NAME")]
    pub backend: Option<String>,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// values-lint's rules, then check's and rbac-lint's; an id both linters use
/// (`input`, `yaml-syntax`) is listed once.
fn all_rules() -> Vec<RuleDoc> {
    let mut rules: Vec<RuleDoc> = Vec::new();
    for rule in lint_rules::ALL.iter().chain(check_rules::ALL).chain(rbac::rules::ALL) {
        if !rules.iter().any(|r| r.id == rule.id) {
            rules.push(*rule);
        }
    }
    rules
}

pub fn run(args: &Args) -> Result<ExitStatus, Failure> {
    let rules = all_rules();
    if let Some(done) = args.report.preflight(&rules)? {
        return Ok(done);
    }
    let sources = args.values.sources(&args.files)?;
    let (mut found, inputs) = lint::lint_inputs(&sources, &args.values.options());
    found.retain(|d| args.report.keeps(d));
    let lint_errors = found.iter().any(|d| d.severity == Severity::Error);

    match rendered(args)? {
        Ok((name, text)) => match Manifests::parse(&name, text) {
            Ok(manifests) => {
                for finding in check_manifests(&manifests) {
                    found.push(place(&manifests, finding, &inputs));
                }
                if !args.group_templates.is_empty() {
                    found.extend(group_templates(args, &manifests.text)?);
                }
            }
            Err(diagnostic) => found.push(diagnostic),
        },
        // When values-lint already found errors, Helm's refusal adds nothing.
        Err(message) if !lint_errors => found.push(render_failure(message)),
        Err(_) => {}
    }
    Ok(args.report.finish(found, &rules))
}

/// rbac-lint's findings on the group templates, against the worker's Role as rendered.
/// Reading problems of the values files are values-lint's to report.
fn group_templates(args: &Args, manifests: &str) -> Result<Vec<Diagnostic>, Failure> {
    let sources = |paths: &[PathBuf]| -> Result<Vec<rbac::Source>, Failure> {
        paths
            .iter()
            .map(|p| Ok(rbac::Source { name: p.display().to_string(), bytes: super::shared::read(p)? }))
            .collect()
    };
    let input = rbac::Input {
        values: sources(&args.files)?,
        group_templates: sources(&args.group_templates)?,
        crds: sources(&args.crds)?,
        backend: args.backend.clone(),
        release_name: args.values.release_name.clone(),
    };
    let session = rbac::Session::new(&input);
    let report = session.check(manifests).map_err(Failure)?;
    let values_files: Vec<String> = args.files.iter().map(|p| p.display().to_string()).collect();
    Ok(report
        .diagnostics
        .into_iter()
        .filter(|d| !(values_files.contains(&d.file) && [lint_rules::INPUT, lint_rules::YAML_SYNTAX].contains(&d.rule)))
        .collect())
}

fn render_failure(message: String) -> Diagnostic {
    Diagnostic {
        file: "chart".into(),
        line: 1,
        column: 1,
        path: String::new(),
        severity: Severity::Error,
        rule: check_rules::RENDER,
        message,
        source_line: None,
        width: 1,
    }
}

/// Moves a finding to the values key behind it, when one of the inputs sets it; else
/// reports it at its line in the rendered template.
fn place(manifests: &Manifests, finding: Finding, inputs: &Inputs) -> Diagnostic {
    let d = &finding.diagnostic;
    let values_path = inputs.merged.as_ref().and_then(|values| origin::values_path(manifests, &finding, values));
    if let Some(path) = &values_path {
        if let Some(moved) = inputs.diag_at_path(path, d.severity, d.rule, d.message.clone()) {
            return moved;
        }
    }
    let culprit = finding
        .culprit
        .clone()
        .or_else(|| d.source_line.as_deref().and_then(|line| offending_text(line, d.column, d.width)));
    if let Some(path) = culprit.and_then(|t| inputs.path_of_text(&t)) {
        if let Some(moved) = inputs.diag_at_path(&path, d.severity, d.rule, d.message.clone()) {
            return moved;
        }
    }
    // In the rendered template: the line counted from that template's `# Source:` line.
    let object = &manifests.objects[finding.object.min(manifests.objects.len() - 1)];
    let mut at = finding.diagnostic;
    if !object.source.is_empty() {
        let (source_line, _) = osmo_chart::yaml::line_col(&manifests.text, object.doc_start);
        at.line = at.line.saturating_sub(source_line).max(1);
        at.file = format!("{} (rendered)", object.source);
    }
    at
}

/// The text a finding underlines.
fn offending_text(line: &str, column: usize, width: usize) -> Option<String> {
    let text: String = line.chars().skip(column.saturating_sub(1)).take(width).collect();
    let text = text.trim().trim_matches(['"', '\'']).to_owned();
    (!text.is_empty()).then_some(text)
}

/// The manifests: from --rendered, or the chart rendered natively. The outer error
/// means the command could not run; the inner one that the chart does not render.
fn rendered(args: &Args) -> Result<Result<(String, String), String>, Failure> {
    if let Some(path) = &args.rendered {
        let text = std::fs::read_to_string(path).map_err(|e| Failure::io("read", path, e))?;
        return Ok(Ok((path.display().to_string(), text)));
    }
    let chart_files = match &args.chart {
        Some(dir) => Some(helm::chart::read_dir_files(dir).map_err(Failure)?),
        None => None,
    };
    let mut values = Vec::new();
    for path in &args.files {
        values.push((path.display().to_string(), String::from_utf8_lossy(&super::shared::read(path)?).into_owned()));
    }
    let request = helm::Template {
        chart_files,
        release_name: &args.values.release_name,
        values,
        set: &args.values.set,
        set_string: &args.values.set_string,
        // values-lint has just checked them against the schema.
        values_validated: true,
    };
    Ok(helm::template(request)
        .map(|text| ("rendered".to_owned(), text))
        .map_err(|e| format!("the chart does not render: {}", e.message)))
}
