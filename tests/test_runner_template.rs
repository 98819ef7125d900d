//! The test-runner CronJob template in the rendered ConfigMap, filled in by real Python
//! Jinja2 exactly as the worker does (sandboxed, strict undefined, the spec's six
//! variables), is a valid batch/v1 CronJob for Kubernetes 1.30 and the newest.

mod support;

use serde_json::{json, Value};
use std::path::Path;
use support::*;

/// The variables the worker passes, and nothing else.
fn worker_variables() -> Value {
    json!({
        "backend_name": "dgx-east",
        "test_name": "nccl-allreduce",
        "resource_name": "dgx-east-nccl-allreduce",
        "configmap_name": "nccl-allreduce-config",
        "cron_schedule": "15 4 * * *",
        "node_condition_prefix": "osmo.nvidia.com/",
    })
}

/// The `spec.yaml` template of a render, if the test runner is on.
fn cronjob_template(values_file: &Path) -> Option<String> {
    let out = helm_template("helm4", &[values_file], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    documents(&text(&out.stdout))
        .into_iter()
        .find(|d| {
            d["kind"] == "ConfigMap"
                && d["metadata"]["name"].as_str().unwrap().ends_with("-backend-test-runner-template")
        })
        .map(|d| d["data"]["spec.yaml"].as_str().unwrap().to_owned())
}

#[test]
fn filled_template_is_a_valid_cronjob() {
    let dir = temp_dir("cronjobs");
    let mut files = Vec::new();
    let vars = worker_variables();
    for example in examples() {
        let Some(template) = cronjob_template(&example) else { continue };
        let filled = python_jinja(&template, &vars).unwrap_or_else(|e| panic!("{}: {e}", example.display()));
        let cronjob =
            osmo_chart::yaml::to_json(&filled).unwrap_or_else(|e| panic!("{}: {e}\n{filled}", example.display()));
        let ctx = example.display().to_string();
        assert_eq!(cronjob["kind"], json!("CronJob"), "{ctx}");
        assert_eq!(cronjob["metadata"]["name"], vars["resource_name"], "{ctx}");
        assert_eq!(cronjob["spec"]["schedule"], vars["cron_schedule"], "{ctx}");
        assert_eq!(cronjob["metadata"]["labels"]["osmo.nvidia.com/component"], json!("backend-test"), "{ctx}");
        let pod = &cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"];
        let env = pod["containers"][0]["env"].as_array().unwrap();
        assert!(env.contains(&json!({"name": "BACKEND", "value": "dgx-east"})), "{ctx}");
        assert!(env.contains(&json!({"name": "BACKEND_TEST_NAME", "value": "nccl-allreduce"})), "{ctx}");
        let file = dir.join(example.file_name().unwrap());
        std::fs::write(&file, &filled).unwrap();
        files.push(file);
    }
    assert!(files.len() >= 3, "too few examples enable the test runner: {}", files.len());
    for version in ["1.30.0", "1.37.0"] {
        let (passed, output) = kubernetes_validate(version, &files);
        assert!(passed, "filled CronJob fails kubernetes-validate --strict -k {version}:\n{output}");
    }
}

/// The worker's Jinja2 is strict: a variable outside the six fails, unless it has a default.
#[test]
fn only_the_worker_variables_are_defined() {
    let template = cronjob_template(&root().join("examples/test-runner.yaml")).unwrap();
    let vars = worker_variables();
    assert!(python_jinja(&template, &vars).is_ok());
    let broken = template.replace("{{ test_name }}", "{{ task_name }}");
    let err = python_jinja(&broken, &vars).unwrap_err();
    assert!(err.contains("task_name"), "{err}");
    // cron_schedule missing: the template falls back to the chart's schedule.
    let mut without = vars.clone();
    without.as_object_mut().unwrap().remove("cron_schedule");
    let filled = python_jinja(&template, &without).unwrap();
    assert_eq!(osmo_chart::yaml::to_json(&filled).unwrap()["spec"]["schedule"], json!("30 3 * * *"));
}
