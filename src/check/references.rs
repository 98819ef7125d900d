//! What must match or exist inside the release: workload selectors against their pod
//! labels, PodMonitor selectors against the release's pods, bindings against the Roles
//! and ServiceAccounts they name, volumeMounts against volumes, configMap volumes
//! against the ConfigMaps the chart renders.

use super::manifest::{node_at, Finding, Manifests, Object};
use super::rules;
use crate::diagnostics::Severity;
use crate::yaml::{Kind, Node};
use std::collections::BTreeMap;

/// Where an object keeps its pod template (metadata and spec), if it has one.
pub fn pod_template_path(kind: &str) -> Option<&'static str> {
    match kind {
        "Deployment" | "DaemonSet" | "StatefulSet" | "Job" | "ReplicaSet" => Some("spec.template"),
        "CronJob" => Some("spec.jobTemplate.spec.template"),
        "Pod" => Some(""),
        _ => None,
    }
}

fn join(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_owned()
    } else {
        format!("{prefix}.{rest}")
    }
}

fn string_map(node: Option<&Node>) -> BTreeMap<String, String> {
    match node.map(|n| &n.kind) {
        Some(Kind::Map(entries)) => {
            entries.iter().filter_map(|e| Some((e.key.key_text(), e.value.as_scalar()?.text.clone()))).collect()
        }
        _ => BTreeMap::new(),
    }
}

fn strings(node: Option<&Node>) -> Vec<String> {
    match node.map(|n| &n.kind) {
        Some(Kind::Seq(items)) => items.iter().filter_map(|i| Some(i.as_scalar()?.text.clone())).collect(),
        _ => Vec::new(),
    }
}

/// Whether a LabelSelector node selects `labels` (matchLabels and matchExpressions).
pub fn selects(selector: &Node, labels: &BTreeMap<String, String>) -> bool {
    let match_labels = string_map(selector.get("matchLabels"));
    if !match_labels.iter().all(|(k, v)| labels.get(k) == Some(v)) {
        return false;
    }
    let Some(Kind::Seq(expressions)) = selector.get("matchExpressions").map(|n| &n.kind) else { return true };
    expressions.iter().all(|e| {
        let key = e.get("key").and_then(Node::as_scalar).map_or(String::new(), |s| s.text.clone());
        let op = e.get("operator").and_then(Node::as_scalar).map_or(String::new(), |s| s.text.clone());
        let values = strings(e.get("values"));
        match op.as_str() {
            "In" => labels.get(&key).is_some_and(|v| values.contains(v)),
            "NotIn" => labels.get(&key).is_none_or(|v| !values.contains(v)),
            "Exists" => labels.contains_key(&key),
            "DoesNotExist" => !labels.contains_key(&key),
            _ => false,
        }
    })
}

/// ClusterRoles every cluster has.
fn builtin_cluster_role(name: &str) -> bool {
    matches!(name, "cluster-admin" | "admin" | "edit" | "view") || name.starts_with("system:")
}

pub fn check(m: &Manifests, out: &mut Vec<Finding>) {
    let exists = |kind: &str, namespace: &str, name: &str| {
        m.objects
            .iter()
            .any(|o| o.kind() == kind && o.name() == name && (namespace.is_empty() || o.namespace() == namespace))
    };
    // Pod labels of the release, by namespace, for PodMonitor selectors.
    let mut pods: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    for object in &m.objects {
        if let Some(template) = pod_template_path(&object.kind()) {
            pods.push((object.namespace(), string_map(object.at(&join(template, "metadata.labels")))));
        }
    }
    for object in &m.objects {
        let kind = object.kind();
        if let Some(template) = pod_template_path(&kind) {
            workload(m, object, template, &exists, out);
        }
        match kind.as_str() {
            "RoleBinding" | "ClusterRoleBinding" => binding(m, object, &exists, out),
            "PodMonitor" => {
                if let Some(selector) = object.at("spec.selector") {
                    let any = pods.iter().any(|(ns, labels)| *ns == object.namespace() && selects(selector, labels));
                    if !any {
                        out.push(m.diag(
                            object,
                            selector,
                            "spec.selector",
                            Severity::Error,
                            rules::SELECTOR,
                            "selects no pod the release renders in its namespace, so nothing is scraped".into(),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}

fn workload(
    m: &Manifests,
    object: &Object,
    template: &str,
    exists: &dyn Fn(&str, &str, &str) -> bool,
    out: &mut Vec<Finding>,
) {
    let labels = string_map(object.at(&join(template, "metadata.labels")));
    if let (Some(selector), false) = (object.at("spec.selector"), object.kind() == "CronJob" || template.is_empty()) {
        if !selects(selector, &labels) {
            out.push(m.diag(
                object,
                selector,
                "spec.selector",
                Severity::Error,
                rules::SELECTOR,
                "the selector does not match the pod template's labels; the API server rejects the object".into(),
            ));
        }
    }
    let spec_path = join(template, "spec");
    let Some(spec) = object.at(&spec_path) else { return };
    let namespace = object.namespace();
    let volumes: Vec<&Node> = match spec.get("volumes").map(|v| &v.kind) {
        Some(Kind::Seq(items)) => items.iter().collect(),
        _ => Vec::new(),
    };
    let volume_names: Vec<String> =
        volumes.iter().filter_map(|v| v.get("name")?.as_scalar().map(|s| s.text.clone())).collect();
    duplicates(m, object, spec.get("volumes"), "name", &format!("{spec_path}.volumes"), "volume name", out);
    for list in ["initContainers", "containers"] {
        duplicates(m, object, spec.get(list), "name", &format!("{spec_path}.{list}"), "container name", out);
        let Some(Kind::Seq(containers)) = spec.get(list).map(|n| &n.kind) else { continue };
        for (i, container) in containers.iter().enumerate() {
            let path = format!("{spec_path}.{list}[{i}]");
            duplicates(
                m,
                object,
                container.get("volumeMounts"),
                "mountPath",
                &format!("{path}.volumeMounts"),
                "mount path",
                out,
            );
            duplicates(m, object, container.get("ports"), "name", &format!("{path}.ports"), "port name", out);
            duplicates(m, object, container.get("env"), "name", &format!("{path}.env"), "environment variable", out);
        }
    }
    for list in ["initContainers", "containers"] {
        let Some(Kind::Seq(containers)) = spec.get(list).map(|n| &n.kind) else { continue };
        for (i, container) in containers.iter().enumerate() {
            let Some(Kind::Seq(mounts)) = container.get("volumeMounts").map(|n| &n.kind) else { continue };
            for (j, mount) in mounts.iter().enumerate() {
                let Some(name) = mount.get("name").and_then(Node::as_scalar) else { continue };
                if !volume_names.contains(&name.text) {
                    let path = format!("{spec_path}.{list}[{i}].volumeMounts[{j}]");
                    out.push(m.diag(
                        object,
                        node_at(&object.node, &format!("{path}.name")).unwrap_or(mount),
                        &path,
                        Severity::Error,
                        rules::REFERENCE,
                        format!("volumeMount `{}` has no volume of that name in the pod", name.text),
                    ));
                }
            }
        }
    }
    for (i, volume) in volumes.iter().enumerate() {
        let Some(config_map) = volume.get("configMap") else { continue };
        let optional = config_map.get("optional").and_then(Node::as_scalar).is_some_and(|s| s.text == "true");
        let Some(name) = config_map.get("name").and_then(Node::as_scalar) else { continue };
        // Names with Jinja markers are filled in later by the worker.
        if !optional && !name.text.contains("{{") && !exists("ConfigMap", &namespace, &name.text) {
            out.push(m.diag(object, config_map.get("name").unwrap(), &format!("{spec_path}.volumes[{i}].configMap.name"), Severity::Error, rules::REFERENCE,
                format!("ConfigMap `{}` is not rendered by the release in namespace {namespace:?}; create it, add it under extraConfigMaps, or set optional: true", name.text)));
        }
    }
    if let Some(sa) = spec.get("serviceAccountName").and_then(Node::as_scalar) {
        if !sa.text.contains("{{") && !exists("ServiceAccount", &namespace, &sa.text) {
            out.push(m.diag(object, spec.get("serviceAccountName").unwrap(), &format!("{spec_path}.serviceAccountName"), Severity::Warning, rules::REFERENCE,
                format!("ServiceAccount `{}` is not rendered by the release (enableClusterRoles off?); it must already exist in {namespace:?}", sa.text)));
        }
    }
}

fn binding(m: &Manifests, object: &Object, exists: &dyn Fn(&str, &str, &str) -> bool, out: &mut Vec<Finding>) {
    let text = |path: &str| object.at(path).and_then(Node::as_scalar).map_or(String::new(), |s| s.text.clone());
    let (role_kind, role_name) = (text("roleRef.kind"), text("roleRef.name"));
    let role_ns = if role_kind == "Role" { object.namespace() } else { String::new() };
    let known = match role_kind.as_str() {
        "ClusterRole" => builtin_cluster_role(&role_name) || exists("ClusterRole", "", &role_name),
        "Role" => exists("Role", &role_ns, &role_name),
        _ => true, // the schema check reports a missing or odd kind
    };
    if !known && !role_name.is_empty() {
        out.push(m.diag(
            object,
            object.at("roleRef.name").unwrap_or(&object.node),
            "roleRef.name",
            Severity::Error,
            rules::REFERENCE,
            format!(
                "{role_kind} `{role_name}` is not rendered by the release{}",
                if role_ns.is_empty() { String::new() } else { format!(" in {role_ns:?}") }
            ),
        ));
    }
    let Some(Kind::Seq(subjects)) = object.at("subjects").map(|n| &n.kind) else { return };
    for (i, subject) in subjects.iter().enumerate() {
        let field = |k: &str| subject.get(k).and_then(Node::as_scalar).map_or(String::new(), |s| s.text.clone());
        if field("kind") != "ServiceAccount" {
            continue;
        }
        let (name, ns) = (field("name"), field("namespace"));
        if !exists("ServiceAccount", &ns, &name) {
            out.push(m.diag(
                object,
                subject.get("name").unwrap_or(subject),
                &format!("subjects[{i}].name"),
                Severity::Error,
                rules::REFERENCE,
                format!(
                    "ServiceAccount `{name}` in {ns:?} is not rendered by the release, so this grant goes to nobody"
                ),
            ));
        }
    }
}

/// Reports entries of a list that repeat the `key` of an earlier entry.
fn duplicates(
    m: &Manifests,
    object: &Object,
    list: Option<&Node>,
    key: &str,
    path: &str,
    what: &str,
    out: &mut Vec<Finding>,
) {
    let Some(Kind::Seq(items)) = list.map(|n| &n.kind) else { return };
    let mut seen: Vec<&str> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(value) = item.get(key).and_then(Node::as_scalar) else { continue };
        if seen.contains(&value.text.as_str()) {
            let severity = if what == "environment variable" { Severity::Warning } else { Severity::Error };
            out.push(m.diag(
                object,
                item.get(key).unwrap(),
                &format!("{path}[{i}].{key}"),
                severity,
                rules::DUPLICATE,
                format!("{what} {:?} appears twice", value.text),
            ));
        }
        seen.push(&value.text);
    }
}
