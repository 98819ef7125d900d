//! `check`: proves rendered manifests would deploy and run, without a cluster. Every
//! object against its Kubernetes type, names and labels, selectors, references inside
//! the release, the restricted Pod Security Standard, risky RBAC, and the worker's test
//! CronJob template filled in as the worker does. Findings are values-lint's
//! Diagnostics, so both print in one report.

pub mod manifest;
mod names;
pub mod origin;
mod references;
pub mod rules;
mod security;
mod test_runner;
mod types;

pub use manifest::{Finding, Manifests};

/// Runs every check on rendered manifests.
pub fn check_manifests(manifests: &Manifests) -> Vec<Finding> {
    let mut out = Vec::new();
    types::check(manifests, &mut out);
    names::check(manifests, &mut out);
    references::check(manifests, &mut out);
    security::check(manifests, &mut out);
    test_runner::check(manifests, &mut out);
    out.sort_by(|a, b| {
        (a.diagnostic.line, a.diagnostic.column, a.diagnostic.rule).cmp(&(
            b.diagnostic.line,
            b.diagnostic.column,
            b.diagnostic.rule,
        ))
    });
    out
}
