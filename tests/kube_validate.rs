//! The strict Kubernetes schemas (schema/kubernetes.schema.json) agree with the
//! independent kubernetes-validate --strict: every rendered example passes both, every
//! deliberately broken manifest in tests/fixtures/broken-manifests fails both.

mod support;

use osmo_chart::kube::validate::{validate, walker, Outcome};
use support::*;

fn violations(manifest: &str) -> Vec<String> {
    let walker = walker();
    let mut out = Vec::new();
    for doc in osmo_chart::yaml::load_all(manifest).expect("manifest parses").into_iter().flatten() {
        match validate(&doc, &walker) {
            Outcome::Checked(found) => out.extend(found.iter().map(|f| format!("{}: {:?}", f.path, f.violation))),
            Outcome::UnknownKind { api_version, kind } => out.push(format!("no schema for {api_version} {kind}")),
        }
    }
    out
}

#[test]
fn rendered_examples_are_valid_objects() {
    for file in [examples(), yaml_files("chart/ci")].concat() {
        let out = helm_template("helm4", &[&file], &[]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let found = violations(&text(&out.stdout));
        assert!(found.is_empty(), "{}:\n{}", file.display(), found.join("\n"));
    }
}

#[test]
fn broken_manifests_fail_here_and_in_kubernetes_validate() {
    for file in yaml_files("tests/fixtures/broken-manifests") {
        let found = violations(&std::fs::read_to_string(&file).unwrap());
        assert!(!found.is_empty(), "{}: osmo-chart finds nothing wrong", file.display());
        let (passed, output) = kubernetes_validate("1.37.0", &[file.clone()]);
        assert!(!passed, "{}: kubernetes-validate accepts it:\n{output}", file.display());
    }
}

/// Where osmo-chart is stricter than kubernetes-validate, on purpose: quantities are
/// checked against their grammar (the API server rejects `1Gb`; kubernetes-validate's
/// schemas leave quantities untyped). If kubernetes-validate starts rejecting one of
/// these, move it to broken-manifests.
#[test]
fn stricter_than_kubernetes_validate() {
    for file in yaml_files("tests/fixtures/stricter-manifests") {
        let found = violations(&std::fs::read_to_string(&file).unwrap());
        assert!(!found.is_empty(), "{}: osmo-chart finds nothing wrong", file.display());
        let (passed, output) = kubernetes_validate("1.37.0", &[file.clone()]);
        assert!(passed, "{}: kubernetes-validate now rejects it too:\n{output}", file.display());
    }
}
