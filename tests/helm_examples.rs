//! Every example passes `helm lint --strict` under Helm 3 and 4, both render the same
//! bytes, and the rendered objects pass the independent kubernetes-validate --strict
//! for Kubernetes 1.30 and the newest version it knows (CRD kinds exempt).

mod support;

use support::*;

/// Kubernetes versions the rendered manifests must validate against.
const KUBE_VERSIONS: [&str; 2] = ["1.30.0", "1.37.0"];
/// Kinds kubernetes-validate has no schema for: the chart's CRD kinds.
const CRD_KINDS: [&str; 1] = ["PodMonitor"];

#[test]
fn examples_pass_helm_lint_strict_with_both_helm_versions() {
    for example in examples() {
        for version in HELM_VERSIONS {
            let out = helm_lint(version, &example);
            assert!(
                out.status.success(),
                "{version} lint --strict {}:\n{}{}",
                example.display(),
                text(&out.stdout),
                text(&out.stderr)
            );
        }
    }
}

#[test]
fn helm_3_and_4_render_the_same_bytes() {
    for example in examples() {
        let [three, four] = HELM_VERSIONS.map(|v| helm_template(v, &[&example], &[]));
        assert!(three.status.success() && four.status.success(), "{}: {}", example.display(), text(&four.stderr));
        assert_eq!(text(&three.stdout), text(&four.stdout), "{}", example.display());
    }
}

#[test]
fn rendered_examples_pass_kubernetes_validate_strict() {
    let dir = temp_dir("kubernetes-validate");
    let mut files = Vec::new();
    for example in examples() {
        let out = helm_template("helm4", &[&example], &[]);
        assert!(out.status.success(), "{}: {}", example.display(), text(&out.stderr));
        let docs: Vec<String> = text(&out.stdout)
            .split("\n---\n")
            .filter(|doc| !CRD_KINDS.iter().any(|kind| doc.contains(&format!("\nkind: {kind}\n"))))
            .map(str::to_owned)
            .collect();
        let file = dir.join(example.file_name().unwrap());
        std::fs::write(&file, docs.join("\n---\n")).unwrap();
        files.push(file);
    }
    for version in KUBE_VERSIONS {
        let (passed, output) = kubernetes_validate(version, &files);
        assert!(passed, "kubernetes-validate --strict -k {version}:\n{output}");
    }
}

/// The validator must be able to fail: an unknown field and a wrong type are rejected.
#[test]
fn kubernetes_validate_rejects_a_broken_deployment() {
    let dir = temp_dir("kubernetes-validate-broken");
    let file = dir.join("broken.yaml");
    std::fs::write(
        &file,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: one\n  selector:\n    matchLabels: {app: x}\n  template:\n    metadata:\n      labels: {app: x}\n    spec:\n      containers:\n        - name: x\n          image: x\n          imagePullPolicyy: Always\n",
    )
    .unwrap();
    for version in KUBE_VERSIONS {
        let (passed, output) = kubernetes_validate(version, &[file.clone()]);
        assert!(!passed, "kubernetes-validate accepted a broken Deployment for {version}:\n{output}");
    }
}
