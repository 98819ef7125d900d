//! `--fix`: the smallest extraRBACRules block that grants what the group templates miss,
//! as YAML to paste, or spliced into the values file in place. The edit inserts text at
//! positions taken from the YAML tree's spans and leaves every other byte alone, so
//! comments and layout stay; the result is parsed again and checked before it is used.

use super::authorize::PolicyRule;
use super::templates::{self, Seg};
use super::WORKER_VERBS;
use crate::yaml::{self, Entry, Kind, Node};
use serde_json::{json, Value};

/// One rule per API group and set of verbs, covering every (group, resource, verbs)
/// that is missing, in the order first seen.
pub fn rules_for(missing: &[(String, String, Vec<&'static str>)]) -> Vec<PolicyRule> {
    // Union of the verbs each (group, resource) misses, in the worker's verb order.
    let mut needs: Vec<(String, String, Vec<&str>)> = Vec::new();
    for (group, resource, verbs) in missing {
        match needs.iter_mut().find(|(g, r, _)| g == group && r == resource) {
            Some((_, _, known)) => known.extend(verbs.iter().copied()),
            None => needs.push((group.clone(), resource.clone(), verbs.clone())),
        }
    }
    let mut rules: Vec<PolicyRule> = Vec::new();
    for (group, resource, verbs) in needs {
        let verbs: Vec<String> = WORKER_VERBS.iter().filter(|v| verbs.contains(v)).map(|v| (*v).to_owned()).collect();
        match rules.iter_mut().find(|r| r.api_groups == [group.clone()] && r.verbs == verbs) {
            Some(rule) => rule.resources.push(resource),
            None => rules.push(PolicyRule {
                api_groups: vec![group],
                resources: vec![resource],
                verbs,
                ..PolicyRule::default()
            }),
        }
    }
    rules
}

/// A rule as the JSON the values hold.
pub fn rule_json(rule: &PolicyRule) -> Value {
    json!({"apiGroups": rule.api_groups, "resources": rule.resources, "verbs": rule.verbs})
}

fn flow(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| serde_json::to_string(s).expect("strings serialize")).collect();
    format!("[{}]", quoted.join(", "))
}

/// The rules as YAML list items, the dash at column `indent`.
pub fn items_yaml(rules: &[PolicyRule], indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for rule in rules {
        out.push_str(&format!("{pad}- apiGroups: {}\n", flow(&rule.api_groups)));
        out.push_str(&format!("{pad}  resources: {}\n", flow(&rule.resources)));
        out.push_str(&format!("{pad}  verbs: {}\n", flow(&rule.verbs)));
    }
    out
}

/// The block to paste: the list items to append when `existing` names where the values
/// already set extraRBACRules, else the whole key under services.backendWorker.
pub fn paste_block(rules: &[PolicyRule], existing: Option<&str>) -> String {
    match existing {
        Some(at) => format!("# append to services.backendWorker.extraRBACRules ({at}):\n{}", items_yaml(rules, 0)),
        None => format!("services:\n  backendWorker:\n    extraRBACRules:\n{}", items_yaml(rules, 6)),
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

fn column(text: &str, offset: usize) -> usize {
    offset - line_start(text, offset)
}

/// The offset just past the line holding `offset` (or the end of the text).
fn after_line(text: &str, offset: usize) -> usize {
    if offset > 0 && text.as_bytes()[offset - 1] == b'\n' {
        return offset;
    }
    text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1)
}

fn is_flow(text: &str, node: &Node) -> bool {
    matches!(node.kind, Kind::Seq(_) | Kind::Map(_))
        && matches!(text.as_bytes().get(node.span.start), Some(b'[' | b'{'))
}

fn is_null(node: &Node) -> bool {
    matches!(node.kind, Kind::Scalar(_)) && node.to_json().is_null()
}

fn is_empty_collection(node: &Node) -> bool {
    match &node.kind {
        Kind::Seq(items) => items.is_empty(),
        Kind::Map(entries) => entries.is_empty(),
        Kind::Scalar(_) => false,
    }
}

/// Just past the bracket that closes the flow collection starting at `start` (the
/// parser's span of a flow collection can run on over a trailing comment).
fn flow_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut i, mut quote) = (0usize, start, None::<u8>);
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(b'"') if b == b'\\' => i += 1,
            Some(q) if b == q => {
                if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 1;
                } else {
                    quote = None;
                }
            }
            Some(_) => {}
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'[' | b'{' => depth += 1,
                b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    text.len()
}

/// Where a node's text ends: its last scalar's end, or a flow collection's bracket.
fn last_end(text: &str, node: &Node) -> usize {
    if is_flow(text, node) {
        return flow_end(text, node.span.start);
    }
    match &node.kind {
        Kind::Scalar(_) => node.span.end,
        Kind::Seq(items) => items.last().map_or(node.span.end, |n| last_end(text, n)),
        Kind::Map(entries) => entries.last().map_or(node.span.end, |e| {
            if is_null(&e.value) && e.value.span.start == e.value.span.end {
                e.key.span.end
            } else {
                last_end(text, &e.value)
            }
        }),
    }
}

fn entry<'a>(node: &'a Node, key: &str) -> Option<&'a Entry> {
    templates::entry_at(node, &[Seg::Key(key.to_owned())])
}

/// The file's indentation step: how far a nested map's keys sit right of their parent.
fn indent_unit(text: &str, node: &Node) -> Option<usize> {
    let Kind::Map(entries) = &node.kind else { return None };
    for e in entries {
        if let Kind::Map(children) = &e.value.kind {
            if let Some(first) = children.first().filter(|_| !is_flow(text, &e.value)) {
                let (child, parent) = (column(text, first.key.span.start), column(text, e.key.span.start));
                if child > parent {
                    return Some(child - parent);
                }
            }
        }
        if let Some(unit) = indent_unit(text, &e.value) {
            return Some(unit);
        }
    }
    None
}

/// How far a block list's dashes sit right of their key (0 or the indent step).
fn dash_offset(text: &str, node: &Node) -> Option<usize> {
    let Kind::Map(entries) = &node.kind else { return None };
    for e in entries {
        if let Kind::Seq(items) = &e.value.kind {
            if let Some(first) = items.first().filter(|_| !is_flow(text, &e.value)) {
                let line = &text[line_start(text, first.span.start)..first.span.start];
                if let Some(dash) = line.rfind('-') {
                    let key = column(text, e.key.span.start);
                    return Some(dash.saturating_sub(key));
                }
            }
        }
        if let Some(offset) = dash_offset(text, &e.value) {
            return Some(offset);
        }
    }
    None
}

/// A planned edit: remove `remove`, then insert `insert` at `at` (at >= remove.end).
struct Edit {
    remove: std::ops::Range<usize>,
    at: usize,
    insert: String,
}

impl Edit {
    fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + self.insert.len() + 1);
        let kept = &text[self.remove.end..self.at];
        out.push_str(&text[..self.remove.start]);
        out.push_str(kept);
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&self.insert);
        out.push_str(&text[self.at..]);
        out
    }
}

/// An edit that puts `block` (built for a child column) under `entry`, whose value is
/// `empty` when nothing is under it yet.
fn under(text: &str, entry: &Entry, unit: usize, block: impl Fn(usize) -> String) -> Result<Edit, String> {
    let value = &entry.value;
    let key_col = column(text, entry.key.span.start);
    if is_null(value) || (is_flow(text, value) && is_empty_collection(value)) {
        // `key:`, `key: null`, `key: []` or `key: {}`: drop the value, write a block below.
        let mut start = value.span.start.max(entry.key.span.end);
        let value_end = if is_flow(text, value) { flow_end(text, value.span.start) } else { value.span.end };
        let end = if value_end > start { value_end } else { start };
        while start > entry.key.span.end && matches!(text.as_bytes()[start - 1], b' ' | b'\t') {
            start -= 1;
        }
        let remove = if end > value.span.start { start..end } else { end..end };
        return Ok(Edit { remove, at: after_line(text, entry.key.span.end), insert: block(key_col + unit) });
    }
    Err(format!("`{}` is written in flow style or holds a scalar", entry.key.key_text()))
}

/// Splices `rules` into a values file's text: appended to an existing
/// services.backendWorker.extraRBACRules list, or a new key (and its parents) matching
/// the file's indentation. The result is checked to parse to the old rules plus the new.
pub fn splice(text: &str, root: &Node, rules: &[PolicyRule]) -> Result<String, String> {
    let unit = indent_unit(text, root).unwrap_or(2);
    let dash = dash_offset(text, root).unwrap_or(unit);
    let items = |col: usize| items_yaml(rules, col);
    // (insertion point, child column) inside a non-empty block map.
    let child_block = |value: &Node| -> Option<(usize, usize)> {
        match &value.kind {
            Kind::Map(entries) if !entries.is_empty() && !is_flow(text, value) => {
                Some((after_line(text, last_end(text, value)), column(text, entries[0].key.span.start)))
            }
            _ => None,
        }
    };
    let edit = match entry(root, "services") {
        Some(services) => match entry(&services.value, "backendWorker") {
            Some(worker) => match entry(&worker.value, "extraRBACRules") {
                Some(extra) => match &extra.value.kind {
                    Kind::Seq(list) if !list.is_empty() && !is_flow(text, &extra.value) => {
                        let first = &list[0];
                        let line = &text[line_start(text, first.span.start)..first.span.start];
                        let col = line.rfind('-').unwrap_or(0);
                        Edit { remove: 0..0, at: after_line(text, last_end(text, &extra.value)), insert: items(col) }
                    }
                    _ => under(text, extra, dash, items)?,
                },
                None => match child_block(&worker.value) {
                    Some((at, col)) => Edit {
                        remove: 0..0,
                        at,
                        insert: format!("{}extraRBACRules:\n{}", " ".repeat(col), items(col + dash)),
                    },
                    None => under(text, worker, unit, |col| {
                        format!("{}extraRBACRules:\n{}", " ".repeat(col), items(col + dash))
                    })?,
                },
            },
            None => {
                let block = |col: usize| {
                    format!(
                        "{}backendWorker:\n{}extraRBACRules:\n{}",
                        " ".repeat(col),
                        " ".repeat(col + unit),
                        items(col + unit + dash)
                    )
                };
                match child_block(&services.value) {
                    Some((at, col)) => Edit { remove: 0..0, at, insert: block(col) },
                    None => under(text, services, unit, block)?,
                }
            }
        },
        None => {
            if !matches!(root.kind, Kind::Map(_)) || (is_flow(text, root) && !is_empty_collection(root)) {
                return Err("the values file is not a block map".into());
            }
            let col = match &root.kind {
                Kind::Map(entries) if !entries.is_empty() => column(text, entries[0].key.span.start),
                _ => 0,
            };
            let insert = format!(
                "{p}services:\n{p}{u}backendWorker:\n{p}{u}{u}extraRBACRules:\n{}",
                items(col + 2 * unit + dash),
                p = " ".repeat(col),
                u = " ".repeat(unit)
            );
            Edit { remove: 0..0, at: text.len(), insert }
        }
    };
    let edited = edit.apply(text);
    verify(root, &edited, rules)?;
    Ok(edited)
}

/// The edited text must parse, keep everything else, and hold the old rules then the new.
fn verify(before: &Node, edited: &str, rules: &[PolicyRule]) -> Result<(), String> {
    let after = yaml::load_one(edited)
        .map_err(|e| format!("the edited file would not parse ({e})"))?
        .map_or(Value::Null, |n| n.to_json());
    let mut expected = before.to_json();
    if expected.is_null() {
        expected = json!({});
    }
    let worker = &mut expected["services"]["backendWorker"];
    let mut list = worker["extraRBACRules"].as_array().cloned().unwrap_or_default();
    list.extend(rules.iter().map(rule_json));
    worker["extraRBACRules"] = Value::Array(list);
    if after != expected {
        return Err("splicing the rules in did not give the intended values".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(group: &str, resources: &[&str], verbs: &[&str]) -> PolicyRule {
        PolicyRule {
            api_groups: vec![group.to_owned()],
            resources: resources.iter().map(|s| (*s).to_owned()).collect(),
            verbs: verbs.iter().map(|s| (*s).to_owned()).collect(),
            ..PolicyRule::default()
        }
    }

    fn spliced(text: &str) -> String {
        let root = yaml::load_one(text).unwrap().unwrap_or(Node { kind: Kind::Map(vec![]), span: Default::default() });
        splice(text, &root, &[rule("resource.nvidia.com", &["computedomains"], &["create", "delete", "list", "patch"])])
            .unwrap()
    }

    const ITEM: &str = "- apiGroups: [\"resource.nvidia.com\"]\n";

    #[test]
    fn groups_resources_with_the_same_verbs() {
        let missing = vec![
            ("".to_owned(), "configmaps".to_owned(), vec!["create", "patch"]),
            ("".to_owned(), "secrets".to_owned(), vec!["patch", "create"]),
            ("x.io".to_owned(), "things".to_owned(), vec!["list"]),
            ("".to_owned(), "configmaps".to_owned(), vec!["delete"]),
        ];
        let rules = rules_for(&missing);
        assert_eq!(rules.len(), 3);
        assert_eq!(rules[0], rule("", &["configmaps"], &["create", "delete", "patch"]));
        assert_eq!(rules[1], rule("", &["secrets"], &["create", "patch"]));
    }

    #[test]
    fn appends_to_an_existing_list_keeping_comments() {
        let text = "services:\n  backendWorker:\n    # extra rules\n    extraRBACRules:\n      - apiGroups: [\"\"]  # core\n        resources: [configmaps]\n        verbs: [create]\n# tail\n";
        let out = spliced(text);
        assert!(out.starts_with(&text[..text.len() - 7]), "{out}");
        assert!(out.contains(&format!("verbs: [create]\n      {ITEM}")), "{out}");
        assert!(out.ends_with("# tail\n"));
    }

    #[test]
    fn replaces_an_empty_flow_list() {
        let out = spliced("services:\n  backendWorker:\n    extraRBACRules: []  # none yet\n    x: 1\n");
        assert!(
            out.starts_with("services:\n  backendWorker:\n    extraRBACRules:  # none yet\n      - apiGroups"),
            "{out}"
        );
        assert!(out.ends_with("    x: 1\n"), "{out}");
    }

    #[test]
    fn inserts_the_key_and_parents_matching_indentation() {
        let out = spliced("global:\n    backendName: a\nservices:\n    backendWorker:\n        logLevel: INFO\n");
        assert!(out.contains(&format!("        logLevel: INFO\n        extraRBACRules:\n            {ITEM}")), "{out}");
        let out = spliced("global:\n  backendName: a\nservices:\n  backendListener:\n    x: 1\n");
        assert!(out.contains(&format!("    x: 1\n  backendWorker:\n    extraRBACRules:\n      {ITEM}")), "{out}");
        let out = spliced("global:\n  backendName: a  # no newline at the end");
        assert!(out.contains("end\nservices:\n  backendWorker:\n    extraRBACRules:\n      - apiGroups"), "{out}");
        let out = spliced("list:\n- a\nservices:\n  backendWorker: {}\n");
        assert!(out.contains(&format!("  backendWorker:\n    extraRBACRules:\n    {ITEM}")), "{out}");
    }
}
