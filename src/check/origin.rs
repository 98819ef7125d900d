//! Where a finding in a rendered object comes from in the values: the chart's templates
//! place pass-through values at known spots (a Deployment's second container is the
//! first extraSidecarContainers entry, the worker Role's fourth rule the first
//! extraRBACRules entry, ...). This module knows those spots; the CLI then points the
//! finding at the line of the values file that set the key.

use super::manifest::{Finding, Manifests, Object};
use serde_json::Value;

/// Splits `containers[3].env[0]` into the list name, the index and what follows.
fn indexed<'a>(path: &'a str, list: &str) -> Option<(usize, &'a str)> {
    let rest = path.strip_prefix(list)?.strip_prefix('[')?;
    let (index, tail) = rest.split_once(']')?;
    Some((index.parse().ok()?, tail))
}

fn count(values: &Value, pointer: &str) -> usize {
    values.pointer(pointer).and_then(Value::as_array).map_or(0, Vec::len)
}

/// The label-selected component of an object the chart renders.
fn component(object: &Object) -> String {
    object
        .at("metadata.labels")
        .and_then(|l| l.get("app.kubernetes.io/component"))
        .and_then(|n| n.as_scalar())
        .map_or(String::new(), |s| s.text.clone())
}

/// The values path behind `finding`, if the chart's templates put it there.
pub fn values_path(manifests: &Manifests, finding: &Finding, values: &Value) -> Option<String> {
    let object = manifests.objects.get(finding.object)?;
    let path = finding.object_path();
    if let Some(filled) = &finding.filled_path {
        return test_runner_path(filled);
    }
    // Objects given whole in the values.
    for (i, role) in
        values.pointer("/backendTestRunner/extraRoles").and_then(Value::as_array).into_iter().flatten().enumerate()
    {
        if role == &object.node.to_json() {
            return Some(join(&format!("backendTestRunner.extraRoles[{i}]"), path));
        }
    }
    let kind = object.kind();
    match (kind.as_str(), component(object).as_str()) {
        ("Deployment", c @ ("listener" | "worker")) => {
            let service = if c == "listener" { "backendListener" } else { "backendWorker" };
            deployment_path(&format!("services.{service}"), path, values, &format!("/services/{service}"))
        }
        ("Role", "worker") => {
            let (i, tail) = indexed(path, "rules")?;
            (i >= 3).then(|| {
                join(&format!("services.backendWorker.extraRBACRules[{}]", i - 3), tail.trim_start_matches('.'))
            })
        }
        ("NetworkPolicy", _) => {
            let (i, tail) = indexed(path, "spec.egress")?;
            let fixed = 3 + count(values, "/global/networkPolicy/allowedNamespaces");
            (i >= fixed).then(|| {
                join(
                    &format!("global.networkPolicy.additionalEgressRules[{}]", i - fixed),
                    tail.trim_start_matches('.'),
                )
            })
        }
        ("PodMonitor", _) => Some("podMonitor.enabled".into()),
        ("ConfigMap", _) => {
            let name = object.name();
            let key =
                values.get("extraConfigMaps")?.as_object()?.keys().find(|k| name.ends_with(&format!("-{k}")))?.clone();
            let inner = path
                .strip_prefix("metadata.")
                .map(str::to_owned)
                .or_else(|| path.starts_with("data").then(|| path.to_owned()))
                .unwrap_or_default();
            Some(join(&format!("extraConfigMaps.{key}"), &inner))
        }
        _ => None,
    }
}

fn join(prefix: &str, rest: &str) -> String {
    let rest = rest.trim_start_matches('.');
    if rest.is_empty() {
        prefix.to_owned()
    } else if rest.starts_with('[') {
        format!("{prefix}{rest}")
    } else {
        format!("{prefix}.{rest}")
    }
}

/// A path inside a listener or worker Deployment, mapped to `services.<S>`.
fn deployment_path(service: &str, path: &str, values: &Value, pointer: &str) -> Option<String> {
    let pod = path.strip_prefix("spec.template.")?;
    if let Some(rest) = pod.strip_prefix("metadata.labels.") {
        return Some(format!("{service}.extraPodLabels.{rest}"));
    }
    if let Some(rest) = pod.strip_prefix("metadata.annotations.") {
        return Some(format!("{service}.extraPodAnnotations.{rest}"));
    }
    let spec = pod.strip_prefix("spec.")?;
    if let Some(rest) = spec.strip_prefix("securityContext") {
        return Some(join(&format!("{service}.podSecurityContext"), rest));
    }
    if spec == "serviceAccountName" {
        return Some("global.enableClusterRoles".into());
    }
    for (list, key) in [("initContainers", "initContainers"), ("hostAliases", "hostAliases")] {
        if let Some((i, tail)) = indexed(spec, list) {
            return Some(join(&format!("{service}.{key}[{i}]"), tail));
        }
    }
    if let Some((i, tail)) = indexed(spec, "tolerations") {
        return Some(join(&format!("global.tolerations[{i}]"), tail));
    }
    // The chart puts the login Secret and /tmp first.
    if let Some((i, tail)) = indexed(spec, "volumes") {
        return (i >= 2 && i - 2 < count(values, &format!("{pointer}/volumes")))
            .then(|| join(&format!("{service}.volumes[{}]", i - 2), tail));
    }
    if let Some(rest) = spec.strip_prefix("nodeSelector.") {
        return Some(format!("{service}.nodeSelector.{rest}"));
    }
    let (i, tail) = indexed(spec, "containers")?;
    if i > 0 {
        return Some(join(&format!("{service}.extraSidecarContainers[{}]", i - 1), tail));
    }
    let tail = tail.trim_start_matches('.');
    if let Some(rest) = tail.strip_prefix("securityContext") {
        return Some(join(&format!("{service}.containerSecurityContext"), rest));
    }
    if let Some(rest) = tail.strip_prefix("resources") {
        return Some(join(&format!("{service}.resources"), rest));
    }
    if let Some((j, rest)) = indexed(tail, "env") {
        return Some(join(&format!("{service}.extraEnvs[{j}]"), rest));
    }
    if let Some((j, rest)) = indexed(tail, "volumeMounts") {
        return (j >= 2 && j - 2 < count(values, &format!("{pointer}/volumeMounts")))
            .then(|| join(&format!("{service}.volumeMounts[{}]", j - 2), rest));
    }
    None
}

/// A path in the worker's filled test CronJob, mapped to `backendTestRunner`.
fn test_runner_path(filled: &str) -> Option<String> {
    let runner = "backendTestRunner";
    let pod = "spec.jobTemplate.spec.template.";
    if let Some(rest) = filled.strip_prefix("metadata.labels.") {
        return Some(format!("{runner}.labels.{rest}"));
    }
    if let Some(rest) = filled.strip_prefix("metadata.annotations.") {
        return Some(format!("{runner}.annotations.{rest}"));
    }
    let rest = filled.strip_prefix(pod)?;
    if let Some(label) = rest.strip_prefix("metadata.labels.") {
        return Some(format!("{runner}.podTemplate.labels.{label}"));
    }
    if let Some(annotation) = rest.strip_prefix("metadata.annotations.") {
        return Some(format!("{runner}.podTemplate.annotations.{annotation}"));
    }
    let spec = rest.strip_prefix("spec.")?;
    if let Some(sc) = spec.strip_prefix("securityContext") {
        return Some(join(&format!("{runner}.podTemplate.securityContext"), sc));
    }
    for list in ["containers", "initContainers"] {
        if let Some((_, tail)) = indexed(spec, list) {
            let tail = tail.trim_start_matches('.');
            if let Some(sc) = tail.strip_prefix("securityContext") {
                return Some(join(&format!("{runner}.podTemplate.containerSecurityContext"), sc));
            }
            let part = if list == "containers" { "container" } else { "initContainer" };
            if let Some(r) = tail.strip_prefix("resources") {
                return Some(join(&format!("{runner}.podTemplate.{part}.resources"), r));
            }
            return Some(format!("{runner}.podTemplate.{part}"));
        }
    }
    if let Some(v) = spec.strip_prefix("volumes") {
        return v.contains("configMap").then(|| format!("{runner}.configMap"));
    }
    for key in ["nodeSelector", "tolerations", "affinity", "hostAliases"] {
        if let Some(r) = spec.strip_prefix(key) {
            return Some(join(&format!("{runner}.podTemplate.{key}"), r));
        }
    }
    None
}
