//! Rendered objects as comparable data: keyed by API group, kind, namespace and name;
//! ignored paths removed; credentials masked; and printed as YAML with sorted keys, so
//! a pure reordering is no change and a multi-line string diffs line by line.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// What identifies an object across two renders.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct ObjectKey {
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let group = if self.group.is_empty() { String::new() } else { format!(" ({})", self.group) };
        match self.namespace.as_str() {
            "" => write!(f, "{} {}{group}", self.kind, self.name),
            ns => write!(f, "{} {ns}/{}{group}", self.kind, self.name),
        }
    }
}

/// Parses rendered manifests into objects by key. A key seen twice keeps the last.
pub fn objects(manifests: &str) -> Result<BTreeMap<ObjectKey, Value>, String> {
    let docs = crate::yaml::load_all(manifests).map_err(|e| {
        let (line, col) = crate::yaml::line_col(manifests, e.offset);
        format!("rendered manifests are not valid YAML at {line}:{col}: {e}")
    })?;
    let mut out = BTreeMap::new();
    for doc in docs.into_iter().flatten() {
        let value = doc.to_json();
        let Some(object) = value.as_object() else { continue };
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_owned();
        let api_version = text(object.get("apiVersion"));
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g).to_owned();
        let metadata = object.get("metadata");
        let key = ObjectKey {
            group,
            kind: text(object.get("kind")),
            namespace: text(metadata.and_then(|m| m.get("namespace"))),
            name: text(metadata.and_then(|m| m.get("name"))),
        };
        out.insert(key, value);
    }
    Ok(out)
}

/// Label keys that change with every chart release; ignored unless asked not to.
pub const CHART_VERSION_LABELS: &[&str] = &["helm.sh/chart", "app.kubernetes.io/version"];

/// Removes the chart-version labels from every `labels` map.
pub fn drop_chart_version_labels(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(labels)) = map.get_mut("labels") {
                for key in CHART_VERSION_LABELS {
                    labels.remove(*key);
                }
            }
            map.values_mut().for_each(drop_chart_version_labels);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_chart_version_labels),
        _ => {}
    }
}

/// One segment of an ignore path: a key, or `*` for any key or index.
fn segments(path: &str) -> Vec<String> {
    if let Some(pointer) = path.strip_prefix('/') {
        return pointer.split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
    }
    // Dotted, with [key] for keys that hold dots: metadata.labels[helm.sh/chart].
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '.' => out.push(std::mem::take(&mut current)),
            '[' => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                let key: String = chars.by_ref().take_while(|&c| c != ']').collect();
                out.push(key);
                if chars.as_str().starts_with('.') {
                    chars.next();
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Removes `path` (dotted with [key] brackets, or a JSON pointer; `*` matches anything).
pub fn remove_path(value: &mut Value, path: &str) {
    fn remove(value: &mut Value, segments: &[String]) {
        let Some((first, rest)) = segments.split_first() else { return };
        match value {
            Value::Object(map) => {
                let keys: Vec<String> = if first == "*" { map.keys().cloned().collect() } else { vec![first.clone()] };
                for key in keys {
                    if rest.is_empty() {
                        map.remove(&key);
                    } else if let Some(child) = map.get_mut(&key) {
                        remove(child, rest);
                    }
                }
            }
            Value::Array(items) => {
                let indexes: Vec<usize> =
                    if first == "*" { (0..items.len()).collect() } else { first.parse().into_iter().collect() };
                for i in indexes.into_iter().rev() {
                    if rest.is_empty() {
                        if i < items.len() {
                            items.remove(i);
                        }
                    } else if let Some(child) = items.get_mut(i) {
                        remove(child, rest);
                    }
                }
            }
            _ => {}
        }
    }
    remove(value, &segments(path));
}

/// Keys whose values are credentials wherever they appear in a ConfigMap.
fn looks_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["password", "passwd", "secret", "token", "apikey", "api_key", "api-key", "credential", "private"]
        .iter()
        .any(|w| k.contains(w))
}

/// Values that are credentials whatever their key: private keys and JSON web tokens.
fn looks_secret_value(value: &str) -> bool {
    value.contains("PRIVATE KEY-----")
        || (value.starts_with("eyJ") && value.matches('.').count() == 2 && !value.contains(char::is_whitespace))
}

/// A stand-in that still changes when the value changes.
fn mask(value: &str) -> Value {
    let digest = crate::golden::fingerprint(value);
    Value::String(format!("<masked {} bytes, fingerprint {digest}>", value.len()))
}

/// Masks Secret data and credential-looking ConfigMap entries.
pub fn mask_credentials(key: &ObjectKey, value: &mut Value) {
    let Some(object) = value.as_object_mut() else { return };
    let masked_fields: &[&str] = match (key.group.as_str(), key.kind.as_str()) {
        ("", "Secret") => &["data", "stringData"],
        ("", "ConfigMap") => &["data", "binaryData"],
        _ => return,
    };
    for field in masked_fields {
        let Some(Value::Object(entries)) = object.get_mut(*field) else { continue };
        for (name, entry) in entries.iter_mut() {
            let Some(text) = entry.as_str() else { continue };
            if key.kind == "Secret" || looks_secret_key(name) || looks_secret_value(text) {
                *entry = mask(text);
            }
        }
    }
}

/// YAML with sorted keys: the normalised form objects are compared and shown in.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    emit(value, 0, &mut out);
    out
}

fn emit(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            let sorted: BTreeMap<&String, &Value> = map.iter().collect();
            for (key, child) in sorted {
                out.push_str(&format!("{pad}{}:", scalar_text(key)));
                child_after_key(child, indent, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                match item {
                    // `- key: value` with the map's other keys aligned under the first.
                    Value::Object(m) if !m.is_empty() => {
                        let mut nested = String::new();
                        emit(item, indent + 2, &mut nested);
                        out.push_str(&pad);
                        out.push_str("- ");
                        out.push_str(&nested[indent + 2..]);
                    }
                    _ => {
                        out.push_str(&format!("{pad}-"));
                        child_after_key(item, indent, out);
                    }
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn child_after_key(child: &Value, indent: usize, out: &mut String) {
    match child {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            emit(child, indent + 2, out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            emit(child, indent + 2, out);
        }
        Value::String(s) if s.contains('\n') => {
            out.push_str(" |");
            if s.starts_with(' ') {
                out.push('2');
            }
            if !s.ends_with('\n') {
                out.push('-');
            }
            out.push('\n');
            for line in s.trim_end_matches('\n').split('\n') {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("{}{line}\n", " ".repeat(indent + 2)));
                }
            }
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar_text(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// A string as a plain scalar when that reads back as the same string, else quoted.
fn scalar_text(s: &str) -> String {
    let plain_safe = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./@+".contains(c) || (c == ' ' || c == ':') && !s.ends_with(c))
        && !s.contains(": ")
        && !s.starts_with(['.', ' ', '@'])
        && !(s.starts_with('-') && (s.len() == 1 || s[1..].starts_with(' ')))
        && crate::yaml::resolve_plain(s) == crate::yaml::ScalarValue::Str;
    if plain_safe {
        s.to_owned()
    } else {
        Value::String(s.to_owned()).to_string()
    }
}

/// Sorted-key copy, so two values that differ only in key order compare equal.
pub fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let sorted: BTreeMap<&String, Value> = map.iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect::<Map<String, Value>>())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ignore_paths() {
        let mut v = json!({"metadata": {"labels": {"helm.sh/chart": "x", "app": "y"}}, "spec": {"a": [1, 2]}});
        remove_path(&mut v, "metadata.labels[helm.sh/chart]");
        remove_path(&mut v, "/spec/a/0");
        assert_eq!(v, json!({"metadata": {"labels": {"app": "y"}}, "spec": {"a": [2]}}));
        remove_path(&mut v, "metadata.*");
        assert_eq!(v, json!({"metadata": {}, "spec": {"a": [2]}}));
    }

    #[test]
    fn yaml_is_sorted_and_readable() {
        let v = json!({"b": "true", "a": {"x": [1, "two"]}, "c": "multi\nline\n", "d": ""});
        assert_eq!(to_yaml(&v), "a:\n  x:\n    - 1\n    - two\nb: \"true\"\nc: |\n  multi\n  line\nd: \"\"\n");
        let list = json!({"rules": [{"verbs": ["get"], "apiGroups": [""]}], "args": ["--host"]});
        assert_eq!(
            to_yaml(&list),
            "args:\n  - --host\nrules:\n  - apiGroups:\n      - \"\"\n    verbs:\n      - get\n"
        );
    }
}
