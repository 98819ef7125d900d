//! Owns the values reference table of chart/README.md: built from the generated schema (types,
//! descriptions) and `Values::default()` (defaults), and spliced between two markers.

use serde_json::Value;

use crate::schema::values_schema;
use crate::values::Values;

/// Where the chart's README lives, relative to the repository root.
pub const README_PATH: &str = "chart/README.md";
/// The line after which the table starts.
pub const START_MARKER: &str = "<!-- values-table:start -->";
/// The line before which the table ends.
pub const END_MARKER: &str = "<!-- values-table:end -->";

/// One row per typed key: `| key | type | default | description |`, with dotted keys. Objects
/// of the chart's own types are walked into; Kubernetes-typed values, lists and maps are leaves.
pub fn values_table() -> String {
    let schema = values_schema();
    let defaults = serde_json::to_value(Values::default()).expect("defaults serialize");
    let mut table = String::from("| Key | Type | Default | Description |\n|---|---|---|---|\n");
    let mut rows = Vec::new();
    walk(&schema, &schema, "", &mut |path, property, is_object| {
        if !is_object {
            rows.push((path.to_owned(), property));
        }
    });
    for (key, property) in rows {
        let description = property.get("description").and_then(Value::as_str).unwrap_or("");
        table.push_str(&format!(
            "| `{key}` | {} | {} | {} |\n",
            cell(&type_name(&schema, property)),
            default_cell(pointer_get(&defaults, &key)),
            cell(&description.replace('\n', " ")),
        ));
    }
    table
}

/// Every typed key path of `schema` (dotted, depth first in declaration order): the table's
/// leaves and the objects of the chart's own types they sit in.
pub fn typed_key_paths(schema: &Value) -> Vec<String> {
    let mut paths = Vec::new();
    walk(schema, schema, "", &mut |path, _, _| paths.push(path.to_owned()));
    paths
}

/// `README` with the text between the markers replaced by `table`.
pub fn splice(readme: &str, table: &str) -> Result<String, String> {
    let start = readme.find(START_MARKER).ok_or_else(|| format!("marker {START_MARKER} not found"))?;
    let after_start = start + START_MARKER.len();
    let end = readme[after_start..]
        .find(END_MARKER)
        .map(|i| after_start + i)
        .ok_or_else(|| format!("marker {END_MARKER} not found after {START_MARKER}"))?;
    Ok(format!("{}\n\n{}\n{}", &readme[..after_start], table, &readme[end..]))
}

/// Walks the properties of `node`, calling `visit(path, property, is_own_object)` for each and
/// descending into the chart's own object types.
fn walk<'s>(root: &'s Value, node: &'s Value, prefix: &str, visit: &mut impl FnMut(&str, &'s Value, bool)) {
    let Some(properties) = node.get("properties").and_then(Value::as_object) else { return };
    // A `false` property schema forbids a key (see `schema`); it is not a value to document.
    for (key, property) in properties.iter().filter(|(_, property)| property.is_object()) {
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match own_struct(root, property) {
            Some(definition) => {
                visit(&path, property, true);
                walk(root, definition, &path, visit);
            }
            None => visit(&path, property, false),
        }
    }
}

/// The definition a property refers to (directly or through a one-element `allOf`), with its name.
fn referenced<'s>(root: &'s Value, property: &'s Value) -> Option<(&'s str, &'s Value)> {
    let reference = property
        .get("$ref")
        .or_else(|| property.get("allOf")?.as_array().filter(|a| a.len() == 1)?[0].get("$ref"))?
        .as_str()?;
    let name = reference.strip_prefix("#/definitions/")?;
    Some((name, root.get("definitions")?.get(name)?))
}

/// The definition of one of the chart's own object types, if `property` is one.
fn own_struct<'s>(root: &'s Value, property: &'s Value) -> Option<&'s Value> {
    let (name, definition) = referenced(root, property)?;
    (!name.starts_with("io.k8s.") && definition.get("properties").is_some()).then_some(definition)
}

/// A short human name of the type of `schema`.
fn type_name(root: &Value, schema: &Value) -> String {
    if let Some((name, definition)) = referenced(root, schema) {
        return match name.rsplit_once('.') {
            Some((_, short)) if name.starts_with("io.k8s.") => short.to_owned(),
            _ if name == "RawObject" => "Kubernetes object".to_owned(),
            _ => match definition.get("properties").and_then(Value::as_object) {
                Some(props) => format!("{{{}}}", props.keys().cloned().collect::<Vec<_>>().join(", ")),
                None => name.to_owned(),
            },
        };
    }
    if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
        let choices: Vec<String> = choices.iter().map(|c| c.as_str().map_or(c.to_string(), str::to_owned)).collect();
        return format!("one of {}", choices.join(", "));
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let mut names: Vec<String> = types
        .iter()
        .filter(|t| **t != "null")
        .map(|t| match *t {
            "array" => match schema.get("items") {
                Some(items) => format!("list of {}", type_name(root, items)),
                None => "list".to_owned(),
            },
            "object" => match map_values(schema) {
                Some(values) => format!("map of {}", type_name(root, values)),
                None => "object".to_owned(),
            },
            "string" => match schema.get("title").and_then(Value::as_str) {
                Some(title) => format!("string ({title})"),
                None => "string".to_owned(),
            },
            other => other.to_owned(),
        })
        .collect();
    if types.contains(&"null") {
        names.push("null".to_owned());
    }
    names.join(" or ")
}

/// The schema of a map's values (`additionalProperties`, or the only `patternProperties` entry).
fn map_values(schema: &Value) -> Option<&Value> {
    match schema.get("additionalProperties") {
        Some(values @ Value::Object(_)) => Some(values),
        _ => {
            let patterns = schema.get("patternProperties")?.as_object()?;
            (patterns.len() == 1).then(|| patterns.values().next()).flatten()
        }
    }
}

/// The default at a dotted path.
fn pointer_get<'v>(defaults: &'v Value, dotted: &str) -> &'v Value {
    dotted.split('.').try_fold(defaults, |value, key| value.get(key)).unwrap_or(&Value::Null)
}

/// A default as a code span: strings bare, everything else as compact JSON.
fn default_cell(value: &Value) -> String {
    let text = match value {
        Value::String(s) if !s.is_empty() => s.clone(),
        other => other.to_string(),
    };
    format!("`{}`", text.replace('|', "\\|"))
}

/// Escapes what would break a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_leaves_with_types_and_defaults() {
        let table = values_table();
        let row = |key: &str| {
            table.lines().find(|l| l.starts_with(&format!("| `{key}` |"))).unwrap_or_else(|| panic!("no row {key}"))
        };
        assert!(row("global.logs.logLevel").contains("one of DEBUG, INFO, WARNING, ERROR, CRITICAL | `DEBUG` |"));
        assert!(row("global.name").contains("string (DNS-1123 label) or null | `null` |"));
        assert!(row("global.tolerations").contains("| list of Toleration |"));
        assert!(row("services.backendWorker.resources").contains("| ResourceRequirements |"));
        assert!(row("global.serviceUrl").contains("| `\"\"` |"));
        assert!(row("extraConfigMaps").contains("map of {labels, annotations, data}"));
        assert!(!table.contains("| `global` |"), "objects of our own types are walked into, not listed");
        assert!(!table.contains("resources.requests"), "Kubernetes types are not walked into");
    }

    #[test]
    fn splice_replaces_between_markers() {
        let readme = format!("# T\n\n{START_MARKER}\nold\n{END_MARKER}\n\nrest\n");
        let spliced = splice(&readme, "| a |\n").unwrap();
        assert_eq!(spliced, format!("# T\n\n{START_MARKER}\n\n| a |\n\n{END_MARKER}\n\nrest\n"));
        assert_eq!(splice(&spliced, "| a |\n").unwrap(), spliced);
        assert!(splice("no markers", "x").is_err());
        assert!(splice(&format!("{END_MARKER}\n{START_MARKER}"), "x").is_err());
    }
}
