//! Reads group templates in their three forms, keeps those this backend's pools use,
//! and merges the ones that make the same object, as OSMO does.
//!
//! - service chart values: `services.configs.groupTemplates` (template name to manifest)
//!   and `services.configs.pools.<pool>` with `backend` and `common_group_templates`;
//! - the JSON map `osmo config show GROUP_TEMPLATE` prints (template name to manifest);
//! - plain manifests, one per YAML document; no pool names them, so they always apply.
//!
//! OSMO builds each pool's objects from its `common_group_templates` in order: templates
//! with the same apiVersion, kind and metadata.name are deep-merged, the later one
//! winning (maps merge key by key, lists of maps merge items by their `name` and append
//! the rest, anything else is replaced), and a name no template has is skipped.

use super::{rules, Finding};
use crate::diagnostics::Severity;
use crate::yaml::{Entry, Kind, Node};
use serde_json::{Map, Value};

/// One group template as written, with where it is.
#[derive(Clone, Debug)]
pub struct Template {
    /// The template's name, or `document N` for a plain manifest.
    pub name: String,
    /// Whether a pool can name it (false for plain manifests).
    pub named: bool,
    pub file: usize,
    /// The values path of the manifest inside its file (empty for a plain manifest).
    pub base_path: String,
    pub node: Node,
}

/// A pool that names group templates.
#[derive(Clone, Debug)]
pub struct Pool {
    pub name: String,
    pub file: usize,
    pub backend: Option<String>,
    /// Where the pool's backend is written (or the pool itself).
    pub backend_node: Node,
    /// The names in common_group_templates, each with its node.
    pub templates: Vec<(String, Node)>,
    pub base_path: String,
}

/// Every template and pool of the group-template files.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub templates: Vec<Template>,
    pub pools: Vec<Pool>,
}

/// One object the worker creates for a task group: the merged manifest and the
/// templates it was merged from, in order.
#[derive(Clone, Debug)]
pub struct Object {
    pub parts: Vec<usize>,
    pub value: Value,
    /// The pool it was built for, when pools are known (WF_POOL's sample value).
    pub pool: Option<String>,
}

/// A step of a path into a manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// `a.b[0].c` for a path.
pub fn path_text(base: &str, path: &[Seg]) -> String {
    let mut out = base.to_owned();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn entries(node: &Node) -> &[Entry] {
    match &node.kind {
        Kind::Map(entries) => entries,
        _ => &[],
    }
}

fn join(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_owned()
    } else {
        format!("{base}.{key}")
    }
}

/// The node at a path, if the manifest has it.
pub fn node_at<'a>(node: &'a Node, path: &[Seg]) -> Option<&'a Node> {
    let mut current = node;
    for seg in path {
        current = match (seg, &current.kind) {
            (Seg::Key(k), Kind::Map(_)) => current.get(k)?,
            (Seg::Index(i), Kind::Seq(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

/// The map entry (key and value) at a path, if any.
pub fn entry_at<'a>(node: &'a Node, path: &[Seg]) -> Option<&'a Entry> {
    let (last, parent) = path.split_last()?;
    let Seg::Key(key) = last else { return None };
    entries(node_at(node, parent)?).iter().rev().find(|e| e.key.key_text() == *key)
}

/// Reads one group-template file's documents into the catalog.
pub fn read(file: usize, docs: &[Option<Node>], catalog: &mut Catalog, out: &mut Vec<Finding>) {
    let count = docs.iter().flatten().count();
    for (number, doc) in docs.iter().flatten().enumerate() {
        if !matches!(doc.kind, Kind::Map(_)) {
            out.push(Finding::new(
                file,
                doc,
                "",
                Severity::Error,
                rules::INVALID_TEMPLATE,
                "expected a map: a manifest, a map of template names to manifests, or service values".into(),
            ));
            continue;
        }
        if let Some(configs) = doc.get("services").and_then(|s| s.get("configs")) {
            read_service_values(file, configs, catalog, out);
        } else if doc.get("kind").is_some() || doc.get("apiVersion").is_some() {
            let name = if count > 1 { format!("document {}", number + 1) } else { "document".to_owned() };
            add_template(
                catalog,
                out,
                Template { name, named: false, file, base_path: String::new(), node: doc.clone() },
            );
        } else if entries(doc).iter().all(|e| matches!(e.value.kind, Kind::Map(_))) && !entries(doc).is_empty() {
            read_template_map(file, doc, "", catalog, out);
        } else {
            out.push(Finding::new(
                file,
                doc,
                "",
                Severity::Error,
                rules::INVALID_TEMPLATE,
                "not a group-template file: expected manifests (apiVersion, kind, metadata.name), the JSON map \
                 `osmo config show GROUP_TEMPLATE` prints, or service values with services.configs.groupTemplates"
                    .into(),
            ));
        }
    }
}

fn read_service_values(file: usize, configs: &Node, catalog: &mut Catalog, out: &mut Vec<Finding>) {
    let base = "services.configs";
    if let Some(templates) = configs.get("groupTemplates") {
        match templates.kind {
            Kind::Map(_) => read_template_map(file, templates, &join(base, "groupTemplates"), catalog, out),
            Kind::Scalar(_) if templates.to_json().is_null() => {}
            _ => out.push(Finding::new(
                file,
                templates,
                &join(base, "groupTemplates"),
                Severity::Error,
                rules::INVALID_TEMPLATE,
                "groupTemplates must be a map from template name to manifest".into(),
            )),
        }
    }
    let Some(pools) = configs.get("pools") else { return };
    for entry in entries(pools) {
        let name = entry.key.key_text();
        let path = format!("{base}.pools.{name}");
        let pool = &entry.value;
        let backend = pool.get("backend");
        let mut templates = Vec::new();
        if let Some(list) = pool.get("common_group_templates") {
            match &list.kind {
                Kind::Seq(items) => {
                    for item in items {
                        match item.to_json() {
                            Value::String(s) => templates.push((s, item.clone())),
                            _ => out.push(Finding::new(
                                file,
                                item,
                                &format!("{path}.common_group_templates"),
                                Severity::Error,
                                rules::INVALID_TEMPLATE,
                                "common_group_templates lists template names (strings)".into(),
                            )),
                        }
                    }
                }
                Kind::Scalar(_) if list.to_json().is_null() => {}
                _ => out.push(Finding::new(
                    file,
                    list,
                    &format!("{path}.common_group_templates"),
                    Severity::Error,
                    rules::INVALID_TEMPLATE,
                    "common_group_templates must be a list of template names".into(),
                )),
            }
        }
        catalog.pools.push(Pool {
            name,
            file,
            backend: backend.and_then(|b| b.to_json().as_str().map(str::to_owned)),
            backend_node: backend.unwrap_or(&entry.key).clone(),
            templates,
            base_path: path,
        });
    }
}

fn read_template_map(file: usize, map: &Node, base: &str, catalog: &mut Catalog, out: &mut Vec<Finding>) {
    for entry in entries(map) {
        let name = entry.key.key_text();
        let base_path = join(base, &name);
        if !matches!(entry.value.kind, Kind::Map(_)) {
            out.push(Finding::new(
                file,
                &entry.value,
                &base_path,
                Severity::Error,
                rules::INVALID_TEMPLATE,
                format!("group template `{name}` must be a manifest (a map with apiVersion, kind and metadata)"),
            ));
            continue;
        }
        add_template(catalog, out, Template { name, named: true, file, base_path, node: entry.value.clone() });
    }
}

/// Keeps a template that has the fields OSMO needs; reports one that lacks them.
fn add_template(catalog: &mut Catalog, out: &mut Vec<Finding>, template: Template) {
    let node = &template.node;
    let mut missing = Vec::new();
    for (path, what) in
        [(&["apiVersion"][..], "apiVersion"), (&["kind"][..], "kind"), (&["metadata", "name"][..], "metadata.name")]
    {
        let segs: Vec<Seg> = path.iter().map(|k| Seg::Key((*k).to_owned())).collect();
        let ok = node_at(node, &segs).and_then(|n| n.to_json().as_str().map(|s| !s.trim().is_empty())).unwrap_or(false);
        if !ok {
            missing.push(what);
        }
    }
    if missing.is_empty() {
        catalog.templates.push(template);
        return;
    }
    let which = if template.named { format!("group template `{}`", template.name) } else { "this manifest".to_owned() };
    out.push(Finding::new(
        template.file,
        node,
        &template.base_path,
        Severity::Error,
        rules::INVALID_TEMPLATE,
        format!(
            "{which} has no {} (a group template is a whole object: apiVersion, kind and metadata.name)",
            missing.join(", ")
        ),
    ));
}

/// The objects the worker creates for this backend, with each pool's templates merged.
pub fn select(catalog: &Catalog, backend: &str, out: &mut Vec<Finding>) -> Vec<Object> {
    let named = |name: &str| catalog.templates.iter().rposition(|t| t.named && t.name == name);
    let plain: Vec<usize> = (0..catalog.templates.len()).filter(|&i| !catalog.templates[i].named).collect();
    let mut objects: Vec<Object> = Vec::new();
    let mut push = |new: Vec<Object>| {
        for object in new {
            if !objects.iter().any(|o| o.parts == object.parts && o.value == object.value) {
                objects.push(object);
            }
        }
    };
    if catalog.pools.is_empty() {
        // No pool says which templates apply: check every one.
        let all: Vec<usize> = (0..catalog.templates.len()).filter(|&i| catalog.templates[i].named).collect();
        push(merge(catalog, &all, None));
    } else {
        let mine: Vec<&Pool> = catalog.pools.iter().filter(|p| p.backend.as_deref() == Some(backend)).collect();
        if mine.is_empty() {
            let mut seen: Vec<&str> = catalog.pools.iter().filter_map(|p| p.backend.as_deref()).collect();
            seen.sort_unstable();
            seen.dedup();
            let first = &catalog.pools[0];
            out.push(Finding::new(
                first.file,
                &first.backend_node,
                &format!("{}.backend", first.base_path),
                Severity::Warning,
                rules::UNKNOWN_BACKEND,
                format!(
                    "no pool uses backend `{backend}` (pools here use {}): set global.backendName to this backend's \
                     name, or pass --backend",
                    if seen.is_empty() {
                        "none".to_owned()
                    } else {
                        seen.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                    }
                ),
            ));
        }
        for pool in mine {
            let mut parts = Vec::new();
            for (name, node) in &pool.templates {
                match named(name) {
                    Some(i) => parts.push(i),
                    None => out.push(Finding::new(
                        pool.file,
                        node,
                        &format!("{}.common_group_templates", pool.base_path),
                        Severity::Warning,
                        rules::UNKNOWN_TEMPLATE,
                        format!(
                            "pool `{}` names group template `{name}`, which no file defines; OSMO skips it, so its \
                             groups get no such object",
                            pool.name
                        ),
                    )),
                }
            }
            push(merge(catalog, &parts, Some(pool.name.clone())));
        }
    }
    push(merge(catalog, &plain, None));
    objects
}

/// Merges templates in order into objects keyed by apiVersion, kind and name.
fn merge(catalog: &Catalog, parts: &[usize], pool: Option<String>) -> Vec<Object> {
    let mut objects: Vec<(Value, Object)> = Vec::new();
    for &i in parts {
        let value = catalog.templates[i].node.to_json();
        let key =
            Value::Array(vec![value["apiVersion"].clone(), value["kind"].clone(), value["metadata"]["name"].clone()]);
        match objects.iter_mut().find(|(k, _)| *k == key) {
            Some((_, object)) => {
                deep_update(&mut object.value, &value);
                object.parts.push(i);
            }
            None => objects.push((key, Object { parts: vec![i], value, pool: pool.clone() })),
        }
    }
    objects.into_iter().map(|(_, o)| o).collect()
}

/// OSMO's recursive update: maps merge key by key, a list over a list merges by item
/// name, anything else replaces.
pub fn deep_update(base: &mut Value, over: &Value) {
    let Value::Object(over) = over else {
        *base = over.clone();
        return;
    };
    if !base.is_object() {
        *base = Value::Object(Map::new());
    }
    let Value::Object(base) = base else { unreachable!() };
    for (key, value) in over {
        match (base.get_mut(key), value) {
            (Some(existing), Value::Object(_)) => deep_update(existing, value),
            (Some(Value::Array(existing)), Value::Array(items)) => merge_lists_on_name(existing, items),
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Items of `over` that are maps with the `name` of an item of `base` merge into it;
/// the rest are appended.
fn merge_lists_on_name(base: &mut Vec<Value>, over: &[Value]) {
    let mut unmatched = Vec::new();
    for item in over {
        let target = item.get("name").and_then(|name| base.iter().rposition(|b| b.get("name") == Some(name)));
        match target {
            Some(i) => deep_update(&mut base[i], item),
            None => unmatched.push(item.clone()),
        }
    }
    base.extend(unmatched);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deep_update_merges_maps_and_named_lists() {
        let mut base = json!({"metadata": {"name": "a", "labels": {"x": "1"}},
                              "spec": {"containers": [{"name": "c", "image": "i:1"}], "args": ["a"]}});
        deep_update(
            &mut base,
            &json!({"metadata": {"labels": {"y": "2"}},
                                      "spec": {"containers": [{"name": "c", "image": "i:2"}, {"name": "d"}], "args": ["b"]}}),
        );
        assert_eq!(
            base,
            json!({"metadata": {"name": "a", "labels": {"x": "1", "y": "2"}},
                   "spec": {"containers": [{"name": "c", "image": "i:2"}, {"name": "d"}], "args": ["a", "b"]}})
        );
    }
}
