//! The test-runner CronJob template in the rendered ConfigMap, filled in as the worker
//! does: Jinja2 semantics (minijinja, which reads `default("UTC")` as Python's Jinja2
//! does), strict undefined variables, exactly the worker's six variables. The result
//! must be a valid batch/v1 CronJob that passes the same checks as the chart's own pods.

use super::manifest::{Finding, Manifests, Object};
use super::rules;
use crate::diagnostics::Severity;
use crate::yaml::{self, Node};

/// The variables the worker passes, with sample values.
pub const WORKER_VARIABLES: [(&str, &str); 6] = [
    ("backend_name", "dgx-east"),
    ("test_name", "nccl-allreduce"),
    ("resource_name", "dgx-east-nccl-allreduce"),
    ("configmap_name", "nccl-allreduce-config"),
    ("cron_schedule", "15 4 * * *"),
    ("node_condition_prefix", "osmo.nvidia.com/"),
];

/// The ConfigMap that holds the template.
const TEMPLATE_SUFFIX: &str = "-backend-test-runner-template";

pub fn check(m: &Manifests, out: &mut Vec<Finding>) {
    for object in m.objects.iter().filter(|o| o.kind() == "ConfigMap" && o.name().ends_with(TEMPLATE_SUFFIX)) {
        let Some(node) = object.at("data").and_then(|data| data.get("spec.yaml")) else {
            out.push(m.diag(
                object,
                &object.node,
                "data",
                Severity::Error,
                rules::TEST_RUNNER_TEMPLATE,
                "has no spec.yaml".into(),
            ));
            continue;
        };
        let Some(template) = node.as_scalar().map(|s| s.text.clone()) else { continue };
        for problem in problems(&template) {
            let at = line_in_block(m, node, problem.line);
            let mut finding =
                m.diag(object, &at, "data.spec.yaml", Severity::Error, rules::TEST_RUNNER_TEMPLATE, problem.message);
            finding.filled_path = problem.filled_path;
            finding.culprit = problem.culprit;
            out.push(finding);
        }
    }
}

/// A zero-width node at 1-based line `line` of a block scalar's content in the manifest.
fn line_in_block(m: &Manifests, block: &Node, line: usize) -> Node {
    let after_indicator = m.text[block.span.start..].find('\n').map_or(block.span.start, |i| block.span.start + i + 1);
    let start = if m.text[block.span.start..].starts_with(['|', '>']) { after_indicator } else { block.span.start };
    let mut offset = start;
    for _ in 1..line {
        match m.text[offset..].find('\n') {
            Some(i) => offset += i + 1,
            None => break,
        }
    }
    let indent = m.text[offset..].len() - m.text[offset..].trim_start_matches(' ').len();
    let end = m.text[offset..].find('\n').map_or(m.text.len(), |i| offset + i);
    let mut node = block.clone();
    node.span = yaml::Span { start: offset + indent, end };
    node
}

/// One thing wrong with the template.
pub struct Problem {
    /// 1-based line of the template.
    pub line: usize,
    /// For a problem in the filled CronJob, the path inside it.
    pub filled_path: Option<String>,
    /// The undefined variable, for finding the values string that brought it in.
    pub culprit: Option<String>,
    pub message: String,
}

fn problem(line: usize, message: String) -> Problem {
    Problem { line, filled_path: None, culprit: None, message }
}

/// Everything wrong with the template.
pub fn problems(template: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    let env = crate::jinja::environment();
    let parsed = match env.template_from_str(template) {
        Ok(t) => t,
        Err(e) => {
            return vec![problem(
                e.line().unwrap_or(1),
                format!("the worker cannot parse the Jinja template: {}", e.detail().unwrap_or("syntax error")),
            )]
        }
    };
    let known: Vec<&str> = WORKER_VARIABLES.iter().map(|(k, _)| *k).collect();
    let mut undeclared: Vec<String> = parsed.undeclared_variables(false).into_iter().collect();
    undeclared.sort();
    for name in undeclared.iter().filter(|n| !known.contains(&n.as_str())) {
        if !guarded_by_default(template, name) {
            let line = template.lines().position(|l| l.contains(name.as_str())).map_or(1, |i| i + 1);
            let mut p = problem(
                line,
                format!(
                    "`{name}` is not one of the worker's variables ({}); guard it with `| default(...)` or remove it",
                    known.join(", ")
                ),
            );
            p.culprit = Some(name.clone());
            out.push(p);
        }
    }
    let context: std::collections::BTreeMap<&str, &str> = WORKER_VARIABLES.into_iter().collect();
    let filled = match parsed.render(context) {
        Ok(filled) => filled,
        Err(e) => {
            if out.is_empty() {
                out.push(problem(
                    e.line().unwrap_or(1),
                    format!("the worker cannot fill the template: {}", e.detail().unwrap_or("render error")),
                ));
            }
            return out;
        }
    };
    // The filled CronJob: parsed, then checked like any rendered object. Jinja expressions
    // here stay on one line, so a line of the result is the same line of the template.
    let docs = match yaml::load_all(&filled) {
        Ok(docs) => docs,
        Err(e) => {
            out.push(problem(
                yaml::line_col(&filled, e.offset).0,
                format!("the filled template is not valid YAML: {e}"),
            ));
            return out;
        }
    };
    let objects: Vec<&Node> = docs.iter().flatten().collect();
    let kind = |n: &Node, k: &str| n.get(k).and_then(Node::as_scalar).map(|s| s.text.clone()).unwrap_or_default();
    match objects.as_slice() {
        [one] if kind(one, "apiVersion") == "batch/v1" && kind(one, "kind") == "CronJob" => {}
        _ => {
            out.push(problem(1, "the filled template must be exactly one batch/v1 CronJob".into()));
            return out;
        }
    }
    let filled_manifests = Manifests {
        name: "spec.yaml".into(),
        text: filled.clone(),
        objects: docs.into_iter().flatten().map(|node| Object { node, source: String::new(), doc_start: 0 }).collect(),
    };
    let mut inner = Vec::new();
    super::types::check(&filled_manifests, &mut inner);
    super::names::check(&filled_manifests, &mut inner);
    super::security::check(&filled_manifests, &mut inner);
    for f in inner.into_iter().filter(|f| f.diagnostic.severity == Severity::Error) {
        let d = f.diagnostic;
        out.push(Problem {
            line: d.line,
            message: format!("in the filled CronJob, {}: {}", d.path, d.message),
            filled_path: Some(d.path),
            culprit: None,
        });
    }
    out
}

/// Whether every use of `name` in the template is `name | default(...)`.
fn guarded_by_default(template: &str, name: &str) -> bool {
    let uses = template.match_indices(name).filter(|(i, _)| {
        let before = template[..*i].chars().next_back();
        let after = template[i + name.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    });
    uses.into_iter().all(|(i, _)| {
        let rest = template[i + name.len()..].trim_start();
        rest.strip_prefix('|').is_some_and(|r| r.trim_start().starts_with("default"))
    })
}
