//! The restricted Pod Security Standard on every pod template, and RBAC grants that
//! widen a ServiceAccount's reach: wildcards, escalate/bind/impersonate, and reading
//! Secrets cluster-wide.

use super::manifest::{Finding, Manifests, Object};
use super::references::pod_template_path;
use super::rules;
use crate::diagnostics::Severity;
use crate::yaml::{Kind, Node};

fn scalar<'a>(node: Option<&'a Node>) -> Option<&'a str> {
    node.and_then(Node::as_scalar).map(|s| s.text.as_str())
}

fn items(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.kind) {
        Some(Kind::Seq(items)) => items,
        _ => &[],
    }
}

/// Volume types the restricted profile allows.
const RESTRICTED_VOLUMES: &[&str] =
    &["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

pub fn check(m: &Manifests, out: &mut Vec<Finding>) {
    for object in &m.objects {
        if let Some(template) = pod_template_path(&object.kind()) {
            let spec_path = if template.is_empty() { "spec".to_owned() } else { format!("{template}.spec") };
            if let Some(spec) = object.at(&spec_path) {
                pod(m, object, spec, &spec_path, out);
            }
        }
        if matches!(object.kind().as_str(), "Role" | "ClusterRole") {
            rbac(m, object, out);
        }
    }
}

fn pod(m: &Manifests, object: &Object, spec: &Node, spec_path: &str, out: &mut Vec<Finding>) {
    let mut bad = |node: &Node, path: String, message: String| {
        out.push(m.diag(object, node, &path, Severity::Error, rules::POD_SECURITY, message));
    };
    for host in ["hostNetwork", "hostPID", "hostIPC"] {
        if scalar(spec.get(host)) == Some("true") {
            bad(
                spec.get(host).unwrap(),
                format!("{spec_path}.{host}"),
                format!("{host} shares the node's namespace; the restricted profile forbids it"),
            );
        }
    }
    for (i, volume) in items(spec.get("volumes")).iter().enumerate() {
        if let Kind::Map(entries) = &volume.kind {
            for entry in entries.iter().filter(|e| e.key.key_text() != "name") {
                let kind = entry.key.key_text();
                if !RESTRICTED_VOLUMES.contains(&kind.as_str()) {
                    bad(
                        &entry.key,
                        format!("{spec_path}.volumes[{i}].{kind}"),
                        format!("{kind} volumes are not allowed by the restricted profile"),
                    );
                }
            }
        }
    }
    let pod_sc = spec.get("securityContext");
    let pod_non_root = scalar(pod_sc.and_then(|s| s.get("runAsNonRoot"))) == Some("true");
    let pod_seccomp = scalar(pod_sc.and_then(|s| s.get("seccompProfile")).and_then(|s| s.get("type")));
    if scalar(pod_sc.and_then(|s| s.get("runAsUser"))) == Some("0") {
        bad(
            pod_sc.unwrap().get("runAsUser").unwrap(),
            format!("{spec_path}.securityContext.runAsUser"),
            "runs as root (uid 0)".into(),
        );
    }
    if pod_seccomp == Some("Unconfined") {
        bad(
            pod_sc.unwrap(),
            format!("{spec_path}.securityContext.seccompProfile"),
            "seccompProfile Unconfined is not allowed; use RuntimeDefault".into(),
        );
    }
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        for (i, container) in items(spec.get(list)).iter().enumerate() {
            let path = format!("{spec_path}.{list}[{i}]");
            let name = scalar(container.get("name")).unwrap_or("?");
            let sc = container.get("securityContext");
            let field = |k: &str| scalar(sc.and_then(|s| s.get(k)));
            let at = |k: &str| sc.and_then(|s| s.get(k)).unwrap_or(container);
            if field("privileged") == Some("true") {
                bad(
                    at("privileged"),
                    format!("{path}.securityContext.privileged"),
                    format!("container {name} is privileged"),
                );
            }
            if field("allowPrivilegeEscalation") != Some("false") {
                bad(
                    at("allowPrivilegeEscalation"),
                    format!("{path}.securityContext.allowPrivilegeEscalation"),
                    format!("container {name} must set securityContext.allowPrivilegeEscalation: false"),
                );
            }
            let caps = sc.and_then(|s| s.get("capabilities"));
            let dropped: Vec<&str> =
                items(caps.and_then(|c| c.get("drop"))).iter().filter_map(|n| scalar(Some(n))).collect();
            if !dropped.contains(&"ALL") {
                bad(
                    caps.unwrap_or(at("capabilities")),
                    format!("{path}.securityContext.capabilities.drop"),
                    format!("container {name} must drop ALL capabilities"),
                );
            }
            for added in items(caps.and_then(|c| c.get("add"))) {
                if scalar(Some(added)) != Some("NET_BIND_SERVICE") {
                    bad(
                        added,
                        format!("{path}.securityContext.capabilities.add"),
                        format!(
                            "container {name} adds {}; only NET_BIND_SERVICE may be added",
                            scalar(Some(added)).unwrap_or("?")
                        ),
                    );
                }
            }
            match field("runAsNonRoot") {
                Some("false") => bad(
                    at("runAsNonRoot"),
                    format!("{path}.securityContext.runAsNonRoot"),
                    format!("container {name} allows running as root"),
                ),
                None if !pod_non_root => bad(
                    sc.unwrap_or(container),
                    format!("{path}.securityContext.runAsNonRoot"),
                    format!("container {name} needs runAsNonRoot: true (on the container or the pod)"),
                ),
                _ => {}
            }
            if field("runAsUser") == Some("0") {
                bad(
                    at("runAsUser"),
                    format!("{path}.securityContext.runAsUser"),
                    format!("container {name} runs as root (uid 0)"),
                );
            }
            let seccomp = scalar(sc.and_then(|s| s.get("seccompProfile")).and_then(|s| s.get("type")));
            let effective = seccomp.or(pod_seccomp);
            // An Unconfined pod profile is reported once, at the pod.
            if !matches!(effective, Some("RuntimeDefault" | "Localhost"))
                && !(seccomp.is_none() && pod_seccomp == Some("Unconfined"))
            {
                bad(sc.unwrap_or(container), format!("{path}.securityContext.seccompProfile"),
                    format!("container {name} needs seccompProfile RuntimeDefault or Localhost (on the container or the pod)"));
            }
            for (j, port) in items(container.get("ports")).iter().enumerate() {
                if port.get("hostPort").and_then(Node::as_scalar).is_some_and(|p| p.text != "0") {
                    bad(
                        port.get("hostPort").unwrap(),
                        format!("{path}.ports[{j}].hostPort"),
                        format!("container {name} binds a host port"),
                    );
                }
            }
        }
    }
}

fn rbac(m: &Manifests, object: &Object, out: &mut Vec<Finding>) {
    let cluster_wide = object.kind() == "ClusterRole";
    for (i, rule) in items(object.at("rules")).iter().enumerate() {
        let list = |k: &str| -> Vec<String> {
            items(rule.get(k)).iter().filter_map(|n| scalar(Some(n)).map(str::to_owned)).collect()
        };
        let (groups, resources, verbs) = (list("apiGroups"), list("resources"), list("verbs"));
        let path = format!("rules[{i}]");
        for (key, values) in [("apiGroups", &groups), ("resources", &resources), ("verbs", &verbs)] {
            if values.iter().any(|v| v == "*") {
                out.push(m.diag(
                    object,
                    rule.get(key).unwrap_or(rule),
                    &format!("{path}.{key}"),
                    Severity::Warning,
                    rules::RBAC_WILDCARD,
                    format!("`*` in {key} grants everything there is and will be; list what is needed"),
                ));
            }
        }
        for verb in verbs.iter().filter(|v| matches!(v.as_str(), "escalate" | "bind" | "impersonate")) {
            out.push(m.diag(
                object,
                rule.get("verbs").unwrap_or(rule),
                &format!("{path}.verbs"),
                Severity::Error,
                rules::RBAC_ESCALATION,
                format!("`{verb}` lets the holder grant itself more than it has"),
            ));
        }
        let core = groups.iter().any(|g| g.is_empty() || g == "*");
        let secrets = resources.iter().any(|r| r == "secrets" || r == "*");
        let reads = verbs.iter().any(|v| matches!(v.as_str(), "get" | "list" | "watch" | "*"));
        if cluster_wide && core && secrets && reads {
            out.push(m.diag(
                object,
                rule,
                &path,
                Severity::Warning,
                rules::RBAC_SECRETS,
                "reads Secrets in every namespace; grant it with a Role in the namespace that needs it".into(),
            ));
        }
    }
}
