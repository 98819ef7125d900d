//! Owns the JSON Schema of the values (chart/values.schema.json): generation from
//! [`Values`](crate::values::Values) and the post-processing that makes it strict draft-07.
//!
//! schemars produces the tree; then [`values_schema`]
//! - gives Kubernetes `Quantity` and `IntOrString` real types (k8s-openapi describes both only
//!   with `x-kubernetes-int-or-string`, which JSON Schema validators ignore, so they accepted
//!   anything);
//! - closes every object schema that lists `properties` but says nothing about
//!   `additionalProperties`, including the k8s-openapi ones; `global` stays open because its
//!   type sets `additionalProperties: true` explicitly, except that the chart's own top-level
//!   keys are forbidden under it (`services: false`, ...): a block indented one level too
//!   deep would otherwise be ignored silently;
//! - drops the `default` that schemars puts on properties of our own struct types (it repeats
//!   the defaults their own properties already carry);
//! - sorts `definitions` and orders the root keys, so the output is byte-for-byte stable.

use serde_json::{json, Map, Value};

use crate::values::Values;

/// Where the schema lives, relative to the repository root.
pub const SCHEMA_PATH: &str = "chart/values.schema.json";

/// The `title` of the schema.
pub const TITLE: &str = "Values of the OSMO backend operator chart";

/// Definition name of the `global` object.
pub const GLOBAL_DEFINITION: &str = "Global";

/// The draft-07 meta-schema URI.
pub const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// Definition name k8s-openapi 0.29 gives `apimachinery::pkg::api::resource::Quantity`.
pub const QUANTITY_DEFINITION: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";

/// Definition name k8s-openapi 0.29 gives `apimachinery::pkg::util::intstr::IntOrString`.
pub const INT_OR_STRING_DEFINITION: &str = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

/// The Kubernetes quantity grammar as a string pattern (RE2-compatible; `[0-9]`, not `\d`).
pub const QUANTITY_PATTERN: &str =
    r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+))?$";

/// Keywords introduced after draft-07; none may appear in the output.
pub const NEWER_KEYWORDS: &[&str] = &[
    "$defs",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
    "$vocabulary",
    "prefixItems",
    "unevaluatedProperties",
    "unevaluatedItems",
    "dependentRequired",
    "dependentSchemas",
    "minContains",
    "maxContains",
    "contentSchema",
    "deprecated",
];

/// Draft-07 keywords whose value is a map from names to subschemas.
const MAP_OF_SCHEMAS: &[&str] = &["properties", "patternProperties", "definitions", "dependencies"];
/// Draft-07 keywords whose value is one subschema (`items` may also be a list).
const ONE_SCHEMA: &[&str] =
    &["additionalProperties", "additionalItems", "items", "contains", "propertyNames", "not", "if", "then", "else"];
/// Draft-07 keywords whose value is a list of subschemas.
const LIST_OF_SCHEMAS: &[&str] = &["allOf", "anyOf", "oneOf", "items"];

/// Root keys in the order they are written; any others follow.
const ROOT_ORDER: &[&str] =
    &["$schema", "title", "description", "type", "properties", "additionalProperties", "definitions"];

/// The JSON Schema (draft-07) of the chart's values.
pub fn values_schema() -> Value {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<Values>().to_value();
    let root = schema.as_object_mut().expect("a root schema is an object");
    root.insert("$schema".into(), DRAFT_07.into());
    root.insert("title".into(), TITLE.into());

    let top_level: Vec<String> = root["properties"].as_object().unwrap().keys().cloned().collect();
    let definitions =
        root.get_mut("definitions").and_then(Value::as_object_mut).expect("the values reference shared definitions");
    type_kubernetes_scalars(definitions);
    let global_properties = definitions
        .get_mut(GLOBAL_DEFINITION)
        .and_then(|global| global.get_mut("properties"))
        .and_then(Value::as_object_mut)
        .expect("global is an object with properties");
    for key in top_level.iter().filter(|key| *key != "global") {
        global_properties.insert(key.clone(), false.into());
    }
    let own_structs: Vec<String> = definitions
        .iter()
        .filter(|(name, def)| !name.starts_with("io.k8s.") && def.get("properties").is_some())
        .map(|(name, _)| format!("#/definitions/{name}"))
        .collect();
    definitions.sort_keys();

    for_each_schema(&mut schema, &mut |node| {
        if node.contains_key("properties") && !node.contains_key("additionalProperties") {
            node.insert("additionalProperties".into(), false.into());
        }
        if refs_one_of(node, &own_structs) {
            node.remove("default");
        }
    });

    let mut root = std::mem::take(schema.as_object_mut().unwrap());
    let mut ordered = Map::new();
    for key in ROOT_ORDER {
        if let Some(value) = root.remove(*key) {
            ordered.insert((*key).to_owned(), value);
        }
    }
    ordered.append(&mut root);
    Value::Object(ordered)
}

/// The schema file's contents: pretty-printed with two-space indents, ending in a newline.
pub fn render() -> String {
    let mut text = serde_json::to_string_pretty(&values_schema()).expect("JSON values serialize");
    text.push('\n');
    text
}

/// Gives k8s-openapi's untyped scalars real types: a Quantity is a number or a string in
/// the quantity grammar, an IntOrString an integer or a string.
pub fn type_kubernetes_scalars(definitions: &mut Map<String, Value>) {
    if let Some(quantity) = definitions.get_mut(QUANTITY_DEFINITION) {
        *quantity = quantity_schema();
    }
    if let Some(int_or_string) = definitions.get_mut(INT_OR_STRING_DEFINITION) {
        let description = int_or_string.get("description").cloned();
        *int_or_string = json!({"anyOf": [{"type": "integer"}, {"type": "string"}]});
        if let Some(description) = description {
            int_or_string.as_object_mut().unwrap().insert("description".into(), description);
        }
    }
}

/// A number, or a string in the Kubernetes quantity grammar.
fn quantity_schema() -> Value {
    json!({
        "description": "A Kubernetes quantity such as 500m, 1.5, 2Gi or 1e3: a number, or a string in the quantity grammar.",
        "anyOf": [
            {"type": "number"},
            {"type": "string", "pattern": QUANTITY_PATTERN},
        ],
    })
}

/// Whether `node` is (a wrapper of) a `$ref` to one of `targets`.
fn refs_one_of(node: &Map<String, Value>, targets: &[String]) -> bool {
    let is_target =
        |schema: &Value| schema.get("$ref").and_then(Value::as_str).is_some_and(|r| targets.iter().any(|t| t == r));
    match node.get("allOf").and_then(Value::as_array) {
        Some(all_of) => all_of.len() == 1 && is_target(&all_of[0]),
        None => is_target(&Value::Object(node.clone())),
    }
}

/// Calls `visit` on every schema object in the tree (pre-order), following only draft-07
/// subschema keywords, so instance data such as `default` or `enum` is never visited.
pub fn for_each_schema(schema: &mut Value, visit: &mut impl FnMut(&mut Map<String, Value>)) {
    let Some(node) = schema.as_object_mut() else { return };
    visit(node);
    for (keyword, value) in node.iter_mut() {
        let keyword = keyword.as_str();
        if MAP_OF_SCHEMAS.contains(&keyword) {
            if let Some(map) = value.as_object_mut() {
                map.values_mut().for_each(|sub| for_each_schema(sub, visit));
            }
        } else if LIST_OF_SCHEMAS.contains(&keyword) && value.is_array() {
            value.as_array_mut().unwrap().iter_mut().for_each(|sub| for_each_schema(sub, visit));
        } else if ONE_SCHEMA.contains(&keyword) {
            for_each_schema(value, visit);
        }
    }
}

/// The JSON pointers of schema objects that use a keyword newer than draft-07.
pub fn newer_keyword_uses(schema: &Value) -> Vec<String> {
    let mut found = Vec::new();
    collect_newer(schema, String::new(), &mut found);
    found
}

fn collect_newer(schema: &Value, pointer: String, found: &mut Vec<String>) {
    let Some(node) = schema.as_object() else { return };
    for (keyword, value) in node {
        let here = format!("{pointer}/{}", keyword.replace('~', "~0").replace('/', "~1"));
        if NEWER_KEYWORDS.contains(&keyword.as_str()) {
            found.push(here.clone());
        }
        if MAP_OF_SCHEMAS.contains(&keyword.as_str()) {
            for (name, sub) in value.as_object().into_iter().flatten() {
                collect_newer(sub, format!("{here}/{}", name.replace('~', "~0").replace('/', "~1")), found);
            }
        } else if LIST_OF_SCHEMAS.contains(&keyword.as_str()) && value.is_array() {
            for (i, sub) in value.as_array().unwrap().iter().enumerate() {
                collect_newer(sub, format!("{here}/{i}"), found);
            }
        } else if ONE_SCHEMA.contains(&keyword.as_str()) {
            collect_newer(value, here, found);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_draft_07_with_title() {
        let schema = values_schema();
        assert_eq!(schema["$schema"], DRAFT_07);
        assert_eq!(schema["title"], TITLE);
        assert!(schema.get("$defs").is_none());
        assert_eq!(newer_keyword_uses(&schema), Vec::<String>::new());
    }

    #[test]
    fn quantity_and_int_or_string_have_types() {
        let schema = values_schema();
        let quantity = &schema["definitions"][QUANTITY_DEFINITION];
        assert_eq!(quantity["anyOf"][0]["type"], "number");
        assert_eq!(quantity["anyOf"][1]["pattern"], QUANTITY_PATTERN);
        let int_or_string = &schema["definitions"][INT_OR_STRING_DEFINITION];
        assert_eq!(int_or_string["anyOf"], json!([{"type": "integer"}, {"type": "string"}]));
        let text = schema.to_string();
        assert!(!text.contains("x-kubernetes-int-or-string"));
    }

    #[test]
    fn objects_are_closed_except_global() {
        let mut schema = values_schema();
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(schema["definitions"]["Global"]["additionalProperties"], true);
        assert_eq!(schema["definitions"]["io.k8s.api.core.v1.Toleration"]["additionalProperties"], false);
        let mut open = Vec::new();
        for_each_schema(&mut schema, &mut |node| {
            if node.contains_key("properties") && node.get("additionalProperties") != Some(&false.into()) {
                open.push(node.get("description").cloned());
            }
        });
        assert_eq!(open.len(), 2, "only global and raw Kubernetes objects are open: {open:?}");
    }

    #[test]
    fn top_level_keys_are_forbidden_under_global() {
        let schema = values_schema();
        let global = &schema["definitions"][GLOBAL_DEFINITION]["properties"];
        for key in ["podMonitor", "services", "backendTestRunner", "extraConfigMaps"] {
            assert_eq!(global[key], false, "{key}");
        }
        assert!(global.get("global").is_none());
    }

    #[test]
    fn output_is_stable_and_ends_with_newline() {
        let text = render();
        assert_eq!(text, render());
        assert!(text.ends_with("}\n"));
        assert!(text.starts_with("{\n  \"$schema\""));
    }
}
