//! `osmo-chart check` as a user runs it: a corpus of values files that render but would
//! not deploy or run, each asserted with the exact line, column, values path and rule,
//! the human output in insta snapshots, every rule exercised, and every example and
//! scenario clean.

mod support;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use support::*;

fn check(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_osmo-chart"))
        .current_dir(root())
        .arg("check")
        .args(args)
        .output()
        .expect("osmo-chart runs")
}

fn found(out: &Output) -> Vec<String> {
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&out.stdout), text(&out.stderr)));
    findings(&report)
}

fn relative(file: &Path) -> String {
    file.strip_prefix(root()).unwrap().to_str().unwrap().to_owned()
}

#[test]
fn corpus_findings_point_at_the_values_that_cause_them() {
    let files = yaml_files("tests/fixtures/check");
    assert!(files.len() >= 20, "the corpus needs at least 20 files, has {}", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let out = check(&["--format", "json", "-f", &relative(file)]);
        let want = expectations(file);
        assert!(!want.is_empty(), "{} has no `# expect:` line", file.display());
        if found(&out) != want {
            failures.push(format!("{}:\n  expected {want:?}\n  found    {:?}", file.display(), found(&out)));
        }
        // Every finding sits in the values file itself, not in the rendered output.
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        for d in report["diagnostics"].as_array().unwrap() {
            if d["file"] != relative(file) {
                failures.push(format!("{}: finding placed in {}", file.display(), d["file"]));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_human_output_snapshots() {
    for file in yaml_files("tests/fixtures/check") {
        let out = check(&["--color", "never", "-f", &relative(&file)]);
        let name = file.file_stem().unwrap().to_str().unwrap().to_owned();
        insta::with_settings!({snapshot_path => "../snapshots/check", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(name, text(&out.stdout));
        });
    }
}

/// Check rules proven elsewhere: render failures below, unknown kinds in tests/check_manifests.rs.
const COVERED_ELSEWHERE: &[&str] = &["render", "unknown-kind", "k8s-schema"];

#[test]
fn every_check_rule_is_exercised() {
    let seen: Vec<String> = yaml_files("tests/fixtures/check")
        .iter()
        .flat_map(|f| expectations(f))
        .map(|e| e.rsplit(' ').next().unwrap().to_owned())
        .chain(COVERED_ELSEWHERE.iter().map(|s| (*s).to_owned()))
        .collect();
    let missing: Vec<&str> =
        osmo_chart::check::rules::ALL.iter().map(|r| r.id).filter(|id| !seen.iter().any(|s| s == id)).collect();
    assert!(missing.is_empty(), "check rules without a corpus file: {missing:?}");
}

#[test]
fn examples_check_clean() {
    for example in examples() {
        let out = check(&["--deny-warnings", "-f", &relative(&example)]);
        assert!(out.status.success(), "{}:\n{}", example.display(), text(&out.stdout));
    }
}

#[test]
fn a_chart_that_does_not_render_is_one_finding() {
    let out = check(&["--format", "json", "-f", "tests/fixtures/helm-install-rejects/missing-service-url.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    // values-lint explains it; Helm's refusal is not repeated.
    assert_eq!(
        found(&out),
        vec!["3:1 global.osmoImageTag latest-tag".to_owned(), "3:1 global.serviceUrl missing-service-url".to_owned()]
    );
    // With values-lint's rule allowed, the render failure itself is reported.
    let out = check(&[
        "--format",
        "json",
        "--allow",
        "missing-service-url",
        "-f",
        "tests/fixtures/helm-install-rejects/missing-service-url.yaml",
    ]);
    assert_eq!(found(&out), vec!["1:1 - render".to_owned(), "3:1 global.osmoImageTag latest-tag".to_owned()]);
}

#[test]
fn rendered_input_is_checked_without_helm() {
    let dir = temp_dir("check-rendered");
    let rendered = dir.join("rendered.yaml");
    std::fs::write(
        &rendered,
        std::fs::read_to_string(root().join("tests/fixtures/broken-manifests/missing-required.yaml")).unwrap(),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_osmo-chart"))
        .args(["check", "--format", "json", "--allow", "pod-security", "--rendered"])
        .arg(&rendered)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(found(&out), vec!["16:11 spec.template.spec.containers[1] k8s-schema".to_owned()]);
}

/// `check` and the independent kubernetes-validate --strict agree on pass or fail, for
/// every rendered example and every deliberately broken manifest.
#[test]
fn agrees_with_kubernetes_validate() {
    let dir = temp_dir("check-agreement");
    let mut cases = Vec::new();
    for example in examples() {
        let out = helm_template("helm4", &[&example], &[]);
        let file = dir.join(example.file_name().unwrap());
        // PodMonitor is a CRD kind kubernetes-validate has no schema for.
        let docs: Vec<&str> = std::str::from_utf8(&out.stdout)
            .unwrap()
            .split("\n---\n")
            .filter(|d| !d.contains("\nkind: PodMonitor\n"))
            .collect();
        std::fs::write(&file, docs.join("\n---\n")).unwrap();
        cases.push(file);
    }
    cases.extend(yaml_files("tests/fixtures/broken-manifests"));
    for file in cases {
        let ours =
            Command::new(env!("CARGO_BIN_EXE_osmo-chart")).args(["check", "--rendered"]).arg(&file).output().unwrap();
        let (theirs, output) = kubernetes_validate("1.37.0", &[file.clone()]);
        assert_eq!(
            ours.status.success(),
            theirs,
            "{}: check says {}, kubernetes-validate says {theirs}:\n{}\n{output}",
            file.display(),
            ours.status.success(),
            text(&ours.stdout)
        );
    }
}

/// With --group-templates, check also runs rbac-lint's check against the Role it rendered.
#[test]
fn group_templates_are_checked_against_the_rendered_role() {
    let fx = |name: &str| format!("tests/fixtures/rbac-lint/{name}");
    let common = [
        "--format",
        "json",
        "--group-templates",
        "tests/fixtures/rbac-lint/service-values.yaml",
        "--crd",
        "tests/fixtures/rbac-lint/computedomain-crd.yaml",
    ];
    let mut args = vec!["-f".to_owned(), fx("values-no-extra.yaml")];
    args.extend(common.iter().map(|s| (*s).to_owned()));
    let out = check(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(1));
    let rules: Vec<String> = found(&out).iter().map(|f| f.rsplit(' ').next().unwrap().to_owned()).collect();
    assert_eq!(rules.iter().filter(|r| *r == "missing-verbs").count(), 3, "{rules:?}");
    let mut args = vec!["-f".to_owned(), fx("values.yaml")];
    args.extend(common.iter().map(|s| (*s).to_owned()));
    let out = check(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(!found(&out).iter().any(|f| f.ends_with(" missing-verbs")), "{:?}", found(&out));
}
