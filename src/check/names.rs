//! Object names, namespaces, label keys and values, and annotation keys, against the
//! grammars the API server enforces.

use super::manifest::{Finding, Manifests};
use super::rules;
use crate::diagnostics::Severity;
use crate::yaml::{Kind, Node};

fn is_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// A DNS-1123 label: lower-case alphanumerics and '-', alphanumeric at both ends, 63 at most.
pub fn dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars().all(|c| is_alnum(c) || c == '-')
        && s.starts_with(is_alnum)
        && s.ends_with(is_alnum)
}

/// A DNS-1123 subdomain: dot-separated labels, 253 at most.
pub fn dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(dns_label)
}

/// A label value, or the name part of a qualified key: 63 of [A-Za-z0-9-_.], alphanumeric ends.
fn qualified_part(s: &str) -> bool {
    let ok_end = |c: char| c.is_ascii_alphanumeric();
    s.len() <= 63
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && s.starts_with(ok_end)
        && s.ends_with(ok_end)
}

/// A label or annotation key: an optional DNS-subdomain prefix and `/`, then a name.
pub fn qualified_name(s: &str) -> bool {
    match s.split_once('/') {
        Some((prefix, name)) => dns_subdomain(prefix) && qualified_part(name),
        None => qualified_part(s),
    }
}

pub fn label_value(s: &str) -> bool {
    s.is_empty() || qualified_part(s)
}

/// Kinds whose names must be DNS labels, not subdomains.
const LABEL_NAMED: &[&str] = &["Service", "Namespace"];

pub fn check(manifests: &Manifests, out: &mut Vec<Finding>) {
    for object in &manifests.objects {
        let mut bad = |node: &Node, path: &str, message: String| {
            out.push(manifests.diag(object, node, path, Severity::Error, rules::K8S_NAME, message));
        };
        if let Some(name) = object.at("metadata.name") {
            let text = object.name();
            let ok =
                if LABEL_NAMED.contains(&object.kind().as_str()) { dns_label(&text) } else { dns_subdomain(&text) };
            if !ok {
                bad(name, "metadata.name", format!("{text:?} is not a valid object name (lower-case letters, digits, '-' and '.', at most 253 characters)"));
            }
        }
        if let Some(ns) = object.at("metadata.namespace") {
            if !dns_label(&object.namespace()) {
                bad(
                    ns,
                    "metadata.namespace",
                    format!(
                        "{:?} is not a valid namespace (a DNS-1123 label of at most 63 characters)",
                        object.namespace()
                    ),
                );
            }
        }
        // A ConfigMap's data is text (the worker's Jinja template among it), not labels.
        let skip_data = object.kind() == "ConfigMap";
        labels_in(skip_data, &object.node, &mut String::new(), &mut bad);
    }
}

/// Every `labels`, `matchLabels` and `annotations` map in the object. `path` is a
/// buffer holding the current path, extended and cut back on the way down.
fn labels_in(skip_data: bool, node: &Node, path: &mut String, bad: &mut impl FnMut(&Node, &str, String)) {
    let len = path.len();
    match &node.kind {
        Kind::Map(entries) => {
            for entry in entries {
                let Some(key) = entry.key.as_scalar().map(|s| s.text.as_str()) else { continue };
                let is_labels = matches!(key, "labels" | "matchLabels");
                let is_annotations = key == "annotations";
                let descend = matches!(entry.value.kind, Kind::Map(_) | Kind::Seq(_)) && !(skip_data && key == "data");
                if !(is_labels || is_annotations || descend) {
                    continue;
                }
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                if is_labels || is_annotations {
                    if let Kind::Map(pairs) = &entry.value.kind {
                        for pair in pairs {
                            let k = pair.key.key_text();
                            if !qualified_name(&k) {
                                let what = if is_labels { "label" } else { "annotation" };
                                bad(&pair.key, &format!("{path}.{k}"), format!("{k:?} is not a valid {what} key"));
                            }
                            if let Some(v) = pair.value.as_scalar().filter(|v| is_labels && !label_value(&v.text)) {
                                bad(&pair.value, &format!("{path}.{k}"), format!("label value {:?} is not valid: at most 63 characters of letters, digits, '-', '_' and '.'", v.text));
                            }
                        }
                    }
                } else {
                    labels_in(skip_data, &entry.value, path, bad);
                }
                path.truncate(len);
            }
        }
        Kind::Seq(items) => {
            for (i, item) in
                items.iter().enumerate().filter(|(_, item)| matches!(item.kind, Kind::Map(_) | Kind::Seq(_)))
            {
                path.push_str(&format!("[{i}]"));
                labels_in(skip_data, item, path, bad);
                path.truncate(len);
            }
        }
        Kind::Scalar(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammars() {
        assert!(dns_label("osmo-workflows"));
        assert!(!dns_label("Osmo"));
        assert!(!dns_label(&"a".repeat(64)));
        assert!(dns_subdomain("osmo.nvidia.com"));
        assert!(qualified_name("app.kubernetes.io/name"));
        assert!(qualified_name("app"));
        assert!(!qualified_name("bad key"));
        assert!(label_value("6.4.0"));
        assert!(label_value(""));
        assert!(!label_value(&"x".repeat(64)));
    }
}
