//! rbac-lint, as an admin runs it, against the chart rendered by real Helm: one case per
//! finding with exact positions (human output in insta snapshots), a service-values
//! file with several pools and backends, the three group-template forms, `--rendered`,
//! and `--fix` / `--fix --write` end to end: the edited values render a Role that grants
//! exactly what was missing.

mod support;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use support::*;

const FIXTURES: &str = "tests/fixtures/rbac-lint";

fn fx(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

fn rbac_lint(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_osmo-chart"))
        .current_dir(root())
        .arg("rbac-lint")
        .args(args)
        .output()
        .expect("osmo-chart runs")
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", text(&out.stdout), text(&out.stderr)))
}

/// `file:line:col rule` of each finding, the file without its folder.
fn found(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = Path::new(d["file"].as_str().unwrap()).file_name().unwrap().to_str().unwrap().to_owned();
            format!("{file}:{}:{} {}", d["line"], d["column"], d["rule"].as_str().unwrap())
        })
        .collect()
}

/// The values file, the group-template files, the CRDs and other flags of a case.
fn args(values: &str, templates: &[&str], crd: bool, extra: &[&str]) -> Vec<String> {
    let mut out = vec!["-f".to_owned(), fx(values)];
    for t in templates {
        out.extend(["--group-templates".to_owned(), fx(t)]);
    }
    if crd {
        out.extend(["--crd".to_owned(), fx("computedomain-crd.yaml")]);
    }
    out.extend(extra.iter().map(|s| (*s).to_owned()));
    out
}

/// Every case: its name (and snapshot), its arguments, and the findings it must give.
fn cases() -> Vec<(&'static str, Vec<String>, Vec<&'static str>)> {
    let sv = &["service-values.yaml"][..];
    vec![
        ("pass-service-values", args("values.yaml", sv, true, &[]), vec![]),
        (
            "pass-json",
            args("values.yaml", &["group-templates.json"], true, &[]),
            vec!["group-templates.json:17:26 name-without-group-uuid"],
        ),
        ("pass-manifests", args("values.yaml", &["manifests.yaml"], true, &[]), vec![]),
        (
            "missing-verbs",
            args("values-no-extra.yaml", sv, true, &[]),
            vec![
                "service-values.yaml:8:15 missing-verbs",
                "service-values.yaml:18:15 missing-verbs",
                "service-values.yaml:28:15 missing-verbs",
            ],
        ),
        (
            "api-group",
            args("values-api-group.yaml", sv, true, &[]),
            vec!["service-values.yaml:7:21 api-group", "values-api-group.yaml:13:9 unneeded-rule"],
        ),
        (
            "resource-names",
            args("values-resource-names.yaml", sv, true, &[]),
            vec![
                "service-values.yaml:8:15 missing-verbs",
                "service-values.yaml:18:15 missing-verbs",
                "service-values.yaml:28:15 missing-verbs",
                "values-resource-names.yaml:13:9 unneeded-rule",
                "values-resource-names.yaml:16:9 unneeded-rule",
            ],
        ),
        (
            "wildcard-grant",
            args("values-wildcard.yaml", sv, true, &[]),
            vec![
                "values-wildcard.yaml:13:21 wildcard-grant",
                "values-wildcard.yaml:14:21 wildcard-grant",
                "values-wildcard.yaml:15:17 wildcard-grant",
            ],
        ),
        ("unneeded-rule", args("values-unneeded.yaml", sv, true, &[]), vec!["values-unneeded.yaml:19:9 unneeded-rule"]),
        ("unknown-kind", args("values.yaml", sv, false, &[]), vec!["service-values.yaml:8:15 unknown-kind"]),
        // The other backend's pools: a Kueue Workload (no CRD given) and a Secret.
        // (While a kind is unknown, no rule is called unneeded.)
        (
            "other-backend",
            args("values.yaml", sv, true, &["--backend", "h100-east"]),
            vec!["service-values.yaml:43:15 unknown-kind"],
        ),
        (
            "unknown-backend",
            args("values.yaml", sv, true, &["--backend", "dgx-west"]),
            vec![
                "service-values.yaml:48:18 unknown-backend",
                "values.yaml:14:9 unneeded-rule",
                "values.yaml:17:9 unneeded-rule",
            ],
        ),
        (
            "unknown-template",
            args("values.yaml", &["service-values-typo.yaml"], false, &[]),
            vec!["service-values-typo.yaml:13:34 unknown-template", "values.yaml:14:9 unneeded-rule"],
        ),
        (
            "cluster-scoped",
            args("values.yaml", &["templates-cluster-scoped.yaml"], false, &[]),
            vec![
                "templates-cluster-scoped.yaml:3:7 cluster-scoped",
                "values.yaml:14:9 unneeded-rule",
                "values.yaml:17:9 unneeded-rule",
            ],
        ),
        (
            "namespace-set",
            args("values.yaml", &["templates-namespace.yaml"], false, &[]),
            vec!["templates-namespace.yaml:6:3 namespace-set", "values.yaml:14:9 unneeded-rule"],
        ),
        (
            "name-without-group-uuid",
            args("values.yaml", &["templates-fixed-name.yaml"], false, &[]),
            vec!["templates-fixed-name.yaml:5:9 name-without-group-uuid", "values.yaml:14:9 unneeded-rule"],
        ),
        (
            "unknown-variable",
            args("values.yaml", &["templates-task-variable.yaml"], false, &[]),
            vec!["templates-task-variable.yaml:7:15 unknown-variable", "values.yaml:14:9 unneeded-rule"],
        ),
        (
            "template-syntax",
            args("values.yaml", &["templates-syntax.yaml"], false, &[]),
            vec!["templates-syntax.yaml:5:9 template-syntax", "values.yaml:14:9 unneeded-rule"],
        ),
        (
            "invalid-template",
            args("values.yaml", &["templates-invalid.yaml"], false, &[]),
            vec![
                "templates-invalid.yaml:7:1 invalid-template",
                "templates-invalid.yaml:12:1 invalid-template",
                "values.yaml:14:9 unneeded-rule",
            ],
        ),
        // A template file that does not parse: no rule is called unneeded on partial knowledge.
        (
            "yaml-syntax",
            args("values.yaml", &["templates-broken.yaml"], false, &[]),
            vec!["templates-broken.yaml:4:1 yaml-syntax"],
        ),
        (
            "input",
            args("values.yaml", sv, false, &["--crd", &fx("values.yaml")]),
            vec!["service-values.yaml:8:15 unknown-kind", "values.yaml:3:1 input"],
        ),
    ]
}

#[test]
fn findings_are_exact() {
    let mut failures = Vec::new();
    for (name, mut args, want) in cases() {
        args.extend(["--format".into(), "json".into()]);
        let out = rbac_lint(&args);
        let report = json_of(&out);
        if found(&report) != want {
            failures.push(format!("{name}:\n  expected {want:?}\n  found    {:?}", found(&report)));
        }
        let errors = report["errors"].as_u64().unwrap();
        if out.status.code() != Some(i32::from(errors > 0)) {
            failures.push(format!("{name}: exit {:?} with {errors} errors", out.status.code()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn human_output_snapshots() {
    for (name, mut args, _) in cases() {
        args.extend(["--color".into(), "never".into()]);
        let out = rbac_lint(&args);
        insta::with_settings!({snapshot_path => "../snapshots/rbac-lint", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(name, text(&out.stdout));
        });
    }
}

#[test]
fn every_rule_is_exercised() {
    let seen: Vec<String> =
        cases().into_iter().flat_map(|(_, _, want)| want).map(|w| w.rsplit(' ').next().unwrap().to_owned()).collect();
    let missing: Vec<&str> =
        osmo_chart::rbac::rules::ALL.iter().map(|r| r.id).filter(|id| !seen.iter().any(|s| s == id)).collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
}

/// The worker Role's rules in `helm template` output for a values file.
fn rendered_role(values: &Path) -> Vec<Value> {
    let out = helm_template("helm4", &[values], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let role = documents(&text(&out.stdout))
        .into_iter()
        .find(|d| {
            d["kind"] == "Role"
                && d["metadata"]["name"] == "osmo-operator-worker"
                && d["metadata"]["namespace"] == "osmo-workflows"
        })
        .expect("the worker Role is rendered");
    role["rules"].as_array().unwrap().clone()
}

fn rule(group: &str, resource: &str) -> Value {
    serde_json::json!({"apiGroups": [group], "resources": [resource], "verbs": ["create", "delete", "list", "patch"]})
}

#[test]
fn fix_prints_the_smallest_block() {
    let out = rbac_lint(&args("values-no-extra.yaml", &["service-values.yaml"], true, &["--fix"]));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let block = osmo_chart::yaml::to_json(&text(&out.stdout)).expect("the block is YAML");
    assert_eq!(
        block["services"]["backendWorker"]["extraRBACRules"],
        Value::Array(vec![rule("resource.nvidia.com", "computedomains"), rule("", "configmaps")])
    );
    // With rules already there, the block is the entries to append.
    let out = rbac_lint(&args("values-resource-names.yaml", &["service-values.yaml"], true, &["--fix"]));
    let printed = text(&out.stdout);
    assert!(printed.starts_with("# append to services.backendWorker.extraRBACRules (tests/fixtures/rbac-lint/values-resource-names.yaml):\n"), "{printed}");
    let items = osmo_chart::yaml::to_json(&printed).unwrap();
    assert_eq!(items, Value::Array(vec![rule("resource.nvidia.com", "computedomains"), rule("", "configmaps")]));
    // Nothing to add: nothing printed, exit 0.
    let out = rbac_lint(&args("values.yaml", &["service-values.yaml"], true, &["--fix"]));
    assert_eq!((out.status.code(), text(&out.stdout)), (Some(0), String::new()));
}

#[test]
fn the_three_forms_need_the_same_rules() {
    let fix_for = |templates: &str| {
        let out = rbac_lint(&args("values-no-extra.yaml", &[templates], true, &["--fix"]));
        text(&out.stdout)
    };
    // The JSON map and the manifests hold nvl72-debug's objects; the service values
    // select them through the backend's pools.
    let service = fix_for("service-values.yaml");
    assert_eq!(fix_for("group-templates.json"), service);
    assert_eq!(fix_for("manifests.yaml"), service);
}

#[test]
fn rendered_file_gives_the_same_report_as_helm() {
    let dir = temp_dir("rbac-rendered");
    let rendered = dir.join("rendered.yaml");
    let out = helm_template("helm4", &[&root().join(fx("values-api-group.yaml"))], &[]);
    std::fs::write(&rendered, &out.stdout).unwrap();
    let base = args("values-api-group.yaml", &["service-values.yaml"], true, &["--format", "json"]);
    let mut from_file = base.clone();
    from_file.extend(["--rendered".into(), rendered.display().to_string()]);
    assert_eq!(json_of(&rbac_lint(&from_file)), json_of(&rbac_lint(&base)));
}

/// The end-to-end proof: a failing values file, `--fix --write`, the check passes, and
/// the Role Helm renders from the edited file is the old Role plus exactly what was missing.
#[test]
fn fix_write_makes_the_check_pass() {
    for (fixture, old_extra) in [("values-no-extra.yaml", 0), ("values-resource-names.yaml", 2)] {
        let dir = temp_dir(&format!("rbac-fix-{old_extra}"));
        let values = dir.join("values.yaml");
        let original = std::fs::read_to_string(root().join(fx(fixture))).unwrap();
        std::fs::write(&values, &original).unwrap();
        let run = |extra: &[&str]| {
            let mut a = vec!["-f".to_owned(), values.display().to_string()];
            a.extend([
                "--group-templates".into(),
                fx("service-values.yaml"),
                "--crd".into(),
                fx("computedomain-crd.yaml"),
            ]);
            a.extend(extra.iter().map(|s| (*s).to_owned()));
            rbac_lint(&a)
        };
        let before = json_of(&run(&["--format", "json"]));
        assert!(before["errors"].as_u64().unwrap() > 0, "{fixture} must fail first");
        let role_before = rendered_role(&values);

        let out = run(&["--fix", "--write", "--color", "never"]);
        assert_eq!(out.status.code(), Some(0), "{fixture}: {}{}", text(&out.stdout), text(&out.stderr));
        assert!(text(&out.stderr).contains("added 2 rules"), "{}", text(&out.stderr));
        let after = json_of(&run(&["--format", "json"]));
        assert_eq!(after["errors"], 0, "{fixture}: {after}");

        // Comments and layout stay: every original line is still there, in order.
        let edited = std::fs::read_to_string(&values).unwrap();
        let mut lines = edited.lines();
        for line in original.lines() {
            assert!(lines.any(|l| l == line), "{fixture}: line {line:?} lost:\n{edited}");
        }

        let role_after = rendered_role(&values);
        assert_eq!(role_after[..role_before.len()], role_before[..], "{fixture}: the old rules changed");
        let added = &role_after[role_before.len()..];
        assert_eq!(added, [rule("resource.nvidia.com", "computedomains"), rule("", "configmaps")], "{fixture}");
        // ... which is what the first run said was missing.
        let missing: Vec<String> = before["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "missing-verbs")
            .map(|d| d["message"].as_str().unwrap().split('`').nth(1).unwrap().to_owned())
            .collect();
        let mut granted: Vec<String> = added.iter().map(|r| r["resources"][0].as_str().unwrap().to_owned()).collect();
        let mut missing_set = missing.clone();
        missing_set.sort();
        missing_set.dedup();
        granted.sort();
        assert_eq!(granted, missing_set, "{fixture}");
    }
}

#[test]
fn could_not_run_exits_2() {
    let out = rbac_lint(&args("no-such-values.yaml", &["service-values.yaml"], true, &[]));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no-such-values.yaml"), "{}", text(&out.stderr));
    // Without the chart's RBAC there is no Role to check.
    let dir = temp_dir("rbac-no-roles");
    let values = dir.join("values.yaml");
    let mut text_in = std::fs::read_to_string(root().join(fx("values.yaml"))).unwrap();
    text_in = text_in.replace("global:\n", "global:\n  enableClusterRoles: false\n");
    std::fs::write(&values, text_in).unwrap();
    let out = rbac_lint(&["-f".into(), values.display().to_string(), "--group-templates".into(), fx("manifests.yaml")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("enableClusterRoles"), "{}", text(&out.stderr));
}

#[test]
fn list_rules_documents_every_rule() {
    let out = rbac_lint(&["--list-rules".into()]);
    assert!(out.status.success());
    for rule in osmo_chart::rbac::rules::ALL {
        assert!(text(&out.stdout).contains(&format!("{} ({})", rule.id, rule.severity)));
    }
}
