//! Embeds the repository's chart (every file under chart/) in the binary, so that
//! `osmo-chart render` works without the source tree; and embeds the values schema
//! (without its prose: descriptions, defaults) and the Kubernetes kinds' schemas split
//! into a root and one JSON text per definition and kind, which the checkers parse only
//! when a walk meets them (src/embedded_schema.rs).

use std::path::{Path, PathBuf};

// The template engine's parser and its digest format, compiled into this script too, so
// that the chart's templates are parsed once here rather than on every render.
// The same for the YAML reader, for the chart's values.yaml.
#[allow(dead_code, unused_imports)]
#[path = "src/template/mod.rs"]
mod template;
#[allow(dead_code, unused_imports)]
#[path = "src/yaml/mod.rs"]
mod yaml;
#[allow(dead_code, unused_imports)]
#[path = "src/helm/values_file.rs"]
mod values_file;

fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, root, out);
        } else if std::fs::read_to_string(&path).is_ok() {
            let rel = path.strip_prefix(root).unwrap();
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            out.push((rel, path));
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("chart");
    println!("cargo:rerun-if-changed=chart");
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    files.sort();
    let mut code = String::from(
        "/// The chart's files: path relative to chart/, and text.\npub static CHART_FILES: &[(&str, &str)] = &[\n",
    );
    for (rel, path) in &files {
        code.push_str(&format!("    ({rel:?}, include_str!({:?})),\n", path.display().to_string()));
    }
    code.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out_dir.join("chart_files.rs"), code).unwrap();
    println!("cargo:rerun-if-changed=src/template");
    println!("cargo:rerun-if-changed=src/yaml");
    println!("cargo:rerun-if-changed=src/helm/values_file.rs");
    std::fs::write(out_dir.join("chart_values.digest"), values_digest(&root)).unwrap();
    std::fs::write(out_dir.join("chart_templates.digest"), template_digest(&root, &files)).unwrap();

    let schema_path = root.join("values.schema.json");
    let mut schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    strip_prose(&mut schema);
    std::fs::write(out_dir.join("values_schema_split.rs"), split(&schema, &["definitions"])).unwrap();

    // The Kubernetes kinds' schemas, split the same way: `check` parses only the kinds
    // and definitions it meets.
    let kube_path = root.parent().unwrap().join("schema/kubernetes.schema.json");
    println!("cargo:rerun-if-changed=schema/kubernetes.schema.json");
    let kube: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&kube_path).unwrap()).unwrap();
    std::fs::write(out_dir.join("kubernetes_schema_split.rs"), split(&kube, &["definitions", "kinds"])).unwrap();
}

/// The chart's templates parsed, under the names a render gives them
/// (`<chart name>/templates/...`): see src/template/digest.rs. A file that does not parse
/// is left out, so the render parses it and reports the error.
fn template_digest(root: &Path, files: &[(String, PathBuf)]) -> Vec<u8> {
    let chart_yaml = std::fs::read_to_string(root.join("Chart.yaml")).unwrap_or_default();
    // `name: x`, `name: "x"` or `name: 'x'`; anything fancier only costs the digest (the
    // render then parses, and a test notices).
    fn name_of(line: &str) -> Option<&str> {
        line.strip_prefix("name:").map(|v| v.trim().trim_matches(['"', '\'']))
    }
    let Some(chart_name) = chart_yaml.lines().find_map(name_of) else {
        return Vec::new();
    };
    let mut digest = Vec::new();
    for (rel, path) in files.iter().filter(|(rel, _)| rel.starts_with("templates/")) {
        let text = std::fs::read_to_string(path).unwrap();
        let name = format!("{chart_name}/{rel}");
        let funcs = std::cell::RefCell::new(Vec::new());
        let parsed = template::parse::parse(&name, &text, &|f| {
            funcs.borrow_mut().push(f.to_string());
            true
        });
        if let Ok(parsed) = parsed {
            let mut funcs = funcs.into_inner();
            funcs.sort();
            funcs.dedup();
            let mut entry = Vec::new();
            template::digest::encode_entry(&mut entry, &name, &text, &funcs, &parsed);
            template::digest::push_framed(&mut digest, &entry);
        }
    }
    digest
}

/// The chart's values.yaml, read as a render reads it (empty if it cannot be read).
fn values_digest(root: &Path) -> Vec<u8> {
    let text = std::fs::read_to_string(root.join("values.yaml")).unwrap_or_default();
    let mut digest = Vec::new();
    match values_file::parse_values(&text, "values.yaml", true) {
        Ok(values) if template::digest::encode_values(&mut digest, &text, &values) => digest,
        _ => Vec::new(),
    }
}

/// Rust source for a schema split into its root (without `tables`) and each table's
/// entries as separate JSON texts, sorted by name: a run parses only what it walks.
fn split(schema: &serde_json::Value, tables: &[&str]) -> String {
    let mut root = schema.clone();
    let mut code = String::new();
    code.push_str("pub static TABLES: &[(&str, &[(&str, &str)])] = &[\n");
    for table in tables {
        let entries = root.as_object_mut().unwrap().remove(*table).unwrap_or_default();
        let mut entries: Vec<(String, String)> =
            entries.as_object().into_iter().flatten().map(|(k, v)| (k.clone(), v.to_string())).collect();
        entries.sort();
        code.push_str(&format!("    ({table:?}, &[\n"));
        for (name, json) in entries {
            code.push_str(&format!("        ({name:?}, {json:?}),\n"));
        }
        code.push_str("    ]),\n");
    }
    code.push_str("];\n");
    code.push_str(&format!("pub static ROOT: &str = {:?};\n", root.to_string()));
    code
}

/// Drops `description` and `default` from every schema object, except the descriptions
/// of `anyOf` schemas, which the linters use to name what a value should have been.
/// Property maps are walked into, but a property named `description` is kept.
fn strip_prose(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if !map.contains_key("anyOf") {
                if map.get("description").is_some_and(|d| d.is_string()) {
                    map.remove("description");
                }
            }
            if map.contains_key("type")
                || map.contains_key("$ref")
                || map.contains_key("allOf")
                || map.contains_key("anyOf")
            {
                map.remove("default");
            }
            for (key, child) in map.iter_mut() {
                if key == "properties" || key == "definitions" || key == "patternProperties" {
                    if let serde_json::Value::Object(props) = child {
                        props.values_mut().for_each(strip_prose);
                    }
                } else if key != "enum" && key != "default" {
                    strip_prose(child);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_prose),
        _ => {}
    }
}
