//! What a reviewer must not miss in a change: immutable fields that break
//! `helm upgrade`, RBAC grants added or revoked, image changes, and removed objects whose
//! removal deletes data.

use super::normalize::ObjectKey;
use serde_json::Value;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HighlightKind {
    /// A field the API server will not change in place: `helm upgrade` fails.
    Immutable,
    /// A verb or resource newly granted.
    Grant,
    /// A verb or resource no longer granted.
    Revoke,
    Image,
    /// A removed object whose removal deletes data.
    DataLoss,
}

impl HighlightKind {
    /// The name reports show.
    pub fn label(self) -> &'static str {
        match self {
            HighlightKind::Immutable => "immutable",
            HighlightKind::Grant => "grant",
            HighlightKind::Revoke => "revoke",
            HighlightKind::Image => "image",
            HighlightKind::DataLoss => "data-loss",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Highlight {
    pub kind: HighlightKind,
    pub message: String,
}

/// Immutable fields per kind (JSON pointers).
fn immutable_fields(key: &ObjectKey) -> &'static [&'static str] {
    match (key.group.as_str(), key.kind.as_str()) {
        ("apps", "Deployment" | "ReplicaSet" | "DaemonSet") => &["/spec/selector"],
        ("apps", "StatefulSet") => {
            &["/spec/selector", "/spec/serviceName", "/spec/volumeClaimTemplates", "/spec/podManagementPolicy"]
        }
        ("batch", "Job") => &["/spec/selector", "/spec/template", "/spec/completionMode"],
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding") => &["/roleRef"],
        ("", "Service") => &["/spec/clusterIP"],
        ("", "PersistentVolumeClaim") => {
            &["/spec/storageClassName", "/spec/accessModes", "/spec/selector", "/spec/volumeName"]
        }
        ("", "Secret" | "ConfigMap") => &["/immutable"],
        _ => &[],
    }
}

/// Kinds whose deletion deletes data.
fn removal_deletes_data(key: &ObjectKey) -> Option<&'static str> {
    match (key.group.as_str(), key.kind.as_str()) {
        ("", "PersistentVolumeClaim") => Some("deleting the claim can delete its volume's data"),
        ("", "PersistentVolume") => Some("deleting the volume can delete its data"),
        ("", "Namespace") => Some("deleting a namespace deletes everything in it"),
        ("apiextensions.k8s.io", "CustomResourceDefinition") => {
            Some("deleting a CRD deletes every object of that kind")
        }
        ("", "Secret") => Some("the Secret's credentials are gone once it is deleted"),
        _ => None,
    }
}

/// (apiGroup, resource, verb) triples a Role or ClusterRole grants.
fn grants(value: &Value) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    let strings = |v: &Value| -> Vec<String> {
        v.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
    };
    for rule in value["rules"].as_array().into_iter().flatten() {
        for group in strings(&rule["apiGroups"]) {
            for resource in strings(&rule["resources"]) {
                for verb in strings(&rule["verbs"]) {
                    out.insert((group.clone(), resource.clone(), verb));
                }
            }
        }
    }
    out
}

/// container name -> image, for every pod template in an object.
fn images(value: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for spec in ["/spec/template/spec", "/spec/jobTemplate/spec/template/spec", "/spec"] {
        let Some(pod) = value.pointer(spec) else { continue };
        for list in ["initContainers", "containers"] {
            for c in pod[list].as_array().into_iter().flatten() {
                if let (Some(name), Some(image)) = (c["name"].as_str(), c["image"].as_str()) {
                    out.push((name.to_owned(), image.to_owned()));
                }
            }
        }
    }
    out
}

fn describe_grant((group, resource, verb): &(String, String, String)) -> String {
    let group = if group.is_empty() { "core".to_owned() } else { group.clone() };
    format!("{verb} {resource} ({group})")
}

/// The highlights of one object's change; `base`/`head` are None when absent there.
pub fn highlights(key: &ObjectKey, base: Option<&Value>, head: Option<&Value>) -> Vec<Highlight> {
    let mut out = Vec::new();
    let is_role = key.group == "rbac.authorization.k8s.io" && matches!(key.kind.as_str(), "Role" | "ClusterRole");
    if let (Some(base), Some(head)) = (base, head) {
        for field in immutable_fields(key) {
            if base.pointer(field) != head.pointer(field) {
                out.push(Highlight {
                    kind: HighlightKind::Immutable,
                    message: format!("{} changes, and it is immutable: `helm upgrade` will fail; the object must be deleted and re-created", field.trim_start_matches('/').replace('/', ".")),
                });
            }
        }
        let old: Vec<(String, String)> = images(base);
        for (name, image) in images(head) {
            if let Some((_, before)) = old.iter().find(|(n, _)| *n == name).filter(|(_, i)| *i != image) {
                out.push(Highlight {
                    kind: HighlightKind::Image,
                    message: format!("container {name}: {before} -> {image}"),
                });
            }
        }
    }
    if is_role {
        let before = base.map(grants).unwrap_or_default();
        let after = head.map(grants).unwrap_or_default();
        let added: Vec<String> = after.difference(&before).map(describe_grant).collect();
        let removed: Vec<String> = before.difference(&after).map(describe_grant).collect();
        if !added.is_empty() {
            out.push(Highlight { kind: HighlightKind::Grant, message: format!("grants {}", added.join(", ")) });
        }
        if !removed.is_empty() {
            out.push(Highlight { kind: HighlightKind::Revoke, message: format!("revokes {}", removed.join(", ")) });
        }
    }
    if head.is_none() {
        if let Some(why) = removal_deletes_data(key) {
            out.push(Highlight { kind: HighlightKind::DataLoss, message: format!("removed: {why}") });
        }
    }
    out
}
