//! golden-diff over pairs of values files and chart edits: every change kind (added,
//! removed, changed) and every highlight (immutable field, grant, revoke, image, data
//! loss), masking, ignores, the three sources (values pair, git ref, golden files), the
//! Markdown size limit, and exit codes. Markdown and terminal output are insta snapshots.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::*;

fn golden_diff(cwd: &Path, args: &[&str]) -> Output {
    // Scratch folders without a chart of their own use the repository's.
    let chart = if cwd.join("chart").exists() { PathBuf::from("chart") } else { chart_dir() };
    Command::new(env!("CARGO_BIN_EXE_osmo-chart"))
        .current_dir(cwd)
        .arg("golden-diff")
        .arg("--chart")
        .arg(chart)
        .args(args)
        .output()
        .expect("osmo-chart runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", text(&out.stdout), text(&out.stderr)))
}

/// (change, object, highlight kinds) of every object in a JSON report.
fn summary(report: &Value) -> Vec<String> {
    report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["objects"].as_array().unwrap().iter())
        .map(|o| {
            let kinds: Vec<&str> =
                o["highlights"].as_array().unwrap().iter().map(|h| h["kind"].as_str().unwrap()).collect();
            format!(
                "{} {} {} [{}]",
                o["change"].as_str().unwrap(),
                o["key"]["kind"].as_str().unwrap(),
                o["key"]["name"].as_str().unwrap(),
                kinds.join(",")
            )
        })
        .collect()
}

/// A scratch repository with the chart committed, for chart edits and --base-ref.
fn scratch_repo(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    let copy = |from: &Path, to: &Path| {
        let status = Command::new("cp").arg("-r").arg(from).arg(to).status().unwrap();
        assert!(status.success());
    };
    copy(&chart_dir(), &dir.join("chart"));
    std::fs::create_dir_all(dir.join("values")).unwrap();
    std::fs::copy(root().join("examples/token-login.yaml"), dir.join("values/token.yaml")).unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .current_dir(&dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "base"]);
    dir
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).unwrap();
}

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path
}

const BASE: &str =
    "global:\n  osmoImageTag: \"6.4.0\"\n  serviceUrl: https://osmo.corp.acme.dev\n  loginMethod: token\n";

#[test]
fn values_pair_changes_grants_images_and_added_objects() {
    let dir = temp_dir("golden-values");
    write(&dir, "base.yaml", &format!("{BASE}  backendTestNamespace: osmo-tests\n"));
    write(
        &dir,
        "head.yaml",
        &format!(
            "{}podMonitor:\n  enabled: true\nservices:\n  backendWorker:\n    extraRBACRules:\n      - apiGroups: [\"resource.nvidia.com\"]\n        resources: [\"computedomains\"]\n        verbs: [\"create\", \"delete\", \"list\", \"patch\"]\n",
            BASE.replace("6.4.0", "6.5.0")
        ),
    );
    let out = golden_diff(&dir, &["--base-values", "base.yaml", "--head-values", "head.yaml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let found = summary(&json(&out));
    for want in [
        "changed Deployment osmo-operator-osmo-backend-listener [image]",
        "changed Deployment osmo-operator-osmo-backend-worker [image]",
        "changed Role osmo-operator-worker [grant]",
        "added PodMonitor osmo-operator-otel-monitor []",
        "removed Role osmo-operator-test-runner [revoke]",
        "removed ServiceAccount osmo-operator-test-runner []",
    ] {
        assert!(found.iter().any(|f| f == want), "missing {want:?} in {found:#?}");
    }
    for (format, name) in [("markdown", "values-pair.md"), ("terminal", "values-pair.txt")] {
        let out = golden_diff(
            &dir,
            &["--base-values", "base.yaml", "--head-values", "head.yaml", "--format", format, "--color", "never"],
        );
        insta::with_settings!({snapshot_path => "../snapshots/golden-diff", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(name, text(&out.stdout));
        });
    }
}

#[test]
fn chart_edits_at_a_git_ref_show_immutable_fields_and_data_loss() {
    let repo = scratch_repo("golden-ref");
    // The base chart also renders a claim and a Secret that the edit removes.
    write(&repo.join("chart/templates"), "claim.yaml", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: osmo-cache\n  namespace: {{ .Values.global.agentNamespace }}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: osmo-extra\n  namespace: {{ .Values.global.agentNamespace }}\nstringData:\n  token: s3cr3t-value\n");
    let git = |args: &[&str]| {
        Command::new("git")
            .current_dir(&repo)
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args(args)
            .output()
            .unwrap()
    };
    git(&["add", "-A"]);
    git(&["commit", "-qm", "claim"]);
    std::fs::remove_file(repo.join("chart/templates/claim.yaml")).unwrap();
    edit(
        &repo.join("chart/templates/_helpers.tpl"),
        "    matchLabels:\n      app: {{ $app }}",
        "    matchLabels:\n      app: {{ $app }}\n      tier: operator",
    );
    edit(
        &repo.join("chart/templates/_helpers.tpl"),
        "        {{- toYaml (merge (dict \"app\" $app)",
        "        {{- toYaml (merge (dict \"app\" $app \"tier\" \"operator\")",
    );
    edit(
        &repo.join("chart/templates/listener-rbac.yaml"),
        "  kind: Role\n  name: {{ $name }}-listener-events",
        "  kind: Role\n  name: {{ $name }}-listener-events-v2",
    );
    let out = golden_diff(&repo, &["--base-ref", "HEAD", "-f", "values/token.yaml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let found = summary(&json(&out));
    for want in [
        "changed Deployment osmo-operator-osmo-backend-listener [immutable]",
        "changed RoleBinding osmo-operator-listener-events [immutable]",
        "removed PersistentVolumeClaim osmo-cache [data-loss]",
        "removed Secret osmo-extra [data-loss]",
    ] {
        assert!(found.iter().any(|f| f == want), "missing {want:?} in {found:#?}");
    }
    // The Secret's value is masked unless asked for.
    assert!(!text(&out.stdout).contains("s3cr3t-value"));
    let shown =
        golden_diff(&repo, &["--base-ref", "HEAD", "-f", "values/token.yaml", "--format", "json", "--show-secrets"]);
    assert!(text(&shown.stdout).contains("s3cr3t-value"));
    for (format, name) in [("markdown", "chart-edit.md"), ("terminal", "chart-edit.txt")] {
        let out = golden_diff(
            &repo,
            &["--base-ref", "HEAD", "-f", "values/token.yaml", "--format", format, "--color", "never"],
        );
        insta::with_settings!({snapshot_path => "../snapshots/golden-diff", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(name, text(&out.stdout));
        });
    }
}

#[test]
fn chart_version_labels_and_ignored_paths_do_not_count() {
    let repo = scratch_repo("golden-ignore");
    edit(&repo.join("chart/Chart.yaml"), "version: 1.5.0", "version: 1.5.1");
    let out = golden_diff(&repo, &["--base-ref", "HEAD", "-f", "values/token.yaml"]);
    assert_eq!(out.status.code(), Some(0), "a version bump alone is no change:\n{}", text(&out.stdout));
    let out = golden_diff(&repo, &["--base-ref", "HEAD", "-f", "values/token.yaml", "--include-chart-version"]);
    assert_eq!(out.status.code(), Some(1));
    edit(&repo.join("values/token.yaml"), "backendName: a100-pool", "backendName: a100-pool-2");
    let out = golden_diff(&repo, &["--base-ref", "HEAD", "-f", "values/token.yaml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let ignored = ["--ignore", "spec.template.spec.containers[*].args", "--ignore", "spec.jobTemplate"];
    let mut args = vec!["--base-ref", "HEAD", "-f", "values/token.yaml"];
    args.extend(ignored);
    let out = golden_diff(&repo, &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn credential_looking_configmap_entries_are_masked() {
    let dir = temp_dir("golden-mask");
    write(
        &dir,
        "base.yaml",
        &format!("{BASE}extraConfigMaps:\n  db:\n    data:\n      db-password: hunter2\n      host: db.internal\n"),
    );
    write(
        &dir,
        "head.yaml",
        &format!("{BASE}extraConfigMaps:\n  db:\n    data:\n      db-password: hunter3\n      host: db2.internal\n"),
    );
    let out = golden_diff(&dir, &["--base-values", "base.yaml", "--head-values", "head.yaml"]);
    let shown = text(&out.stdout);
    assert!(!shown.contains("hunter"), "{shown}");
    assert!(shown.contains("db2.internal") && shown.contains("<masked 7 bytes"), "{shown}");
}

#[test]
fn golden_files_update_then_compare_clean() {
    let dir = temp_dir("golden-files");
    let golden = dir.join("golden");
    let values = root().join("examples/network-policy.yaml");
    let values = values.to_str().unwrap();
    let golden_arg = golden.to_str().unwrap();
    let out = golden_diff(&root(), &["--golden", golden_arg, "-f", values]);
    assert_eq!(out.status.code(), Some(1), "a missing golden file means everything is added");
    let out = golden_diff(&root(), &["--golden", golden_arg, "--update", "-f", values]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = golden_diff(&root(), &["--golden", golden_arg, "-f", values]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let file = golden.join("examples__network-policy.yaml");
    // Reordering keys is no change.
    edit(
        &file,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n",
        "kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\n",
    );
    let out = golden_diff(&root(), &["--golden", golden_arg, "-f", values]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    edit(&file, "port: 53", "port: 5353");
    let out = golden_diff(&root(), &["--golden", golden_arg, "-f", values, "--format", "json"]);
    assert_eq!(summary(&json(&out)), vec!["changed NetworkPolicy osmo-workflow-network-policy []".to_owned()]);
}

/// The repo's own golden files match the chart: every chart change shows up in review.
#[test]
fn repository_golden_files_are_current() {
    let out = golden_diff(&root(), &["--golden", "snapshots/golden"]);
    assert_eq!(out.status.code(), Some(0), "the chart's rendered output changed; review and run `osmo-chart golden-diff --golden snapshots/golden --update`:\n{}", text(&out.stdout));
}

#[test]
fn markdown_stays_under_the_comment_limit() {
    let dir = temp_dir("golden-big");
    let mut head = String::from(BASE);
    head.push_str("extraConfigMaps:\n");
    for i in 0..40 {
        head.push_str(&format!("  big{i}:\n    data:\n      blob: |\n"));
        for j in 0..60 {
            head.push_str(&format!("        line {j} of a long configuration file that keeps going {i}\n"));
        }
    }
    write(&dir, "base.yaml", BASE);
    write(&dir, "head.yaml", &head);
    let out = golden_diff(&dir, &["--base-values", "base.yaml", "--head-values", "head.yaml", "--format", "markdown"]);
    let markdown = text(&out.stdout);
    assert!(markdown.len() <= 65_536, "{} characters", markdown.len());
    assert!(markdown.contains("do not fit in one comment"));
    assert!(markdown.contains("osmo-operator-big39"), "every object is at least named");
}

#[test]
fn exit_codes() {
    let dir = temp_dir("golden-exit");
    write(&dir, "a.yaml", BASE);
    assert_eq!(golden_diff(&dir, &["--base-values", "a.yaml", "--head-values", "a.yaml"]).status.code(), Some(0));
    assert_eq!(golden_diff(&dir, &["--base-values", "a.yaml", "--head-values", "missing.yaml"]).status.code(), Some(2));
    assert_eq!(golden_diff(&dir, &[]).status.code(), Some(2));
}
