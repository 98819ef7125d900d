//! Chart.yaml `dependencies`: which subcharts a render includes, and under which names,
//! decided from the values as `helm template` decides it before coalescing them. A
//! listed dependency matches a subchart in charts/ by name and version range; `alias`
//! renames (and can repeat) it; `tags` and then `condition` can disable it. Subcharts
//! that no dependency lists are always included. Then `import-values` copies tables
//! of the included subcharts' values into their parent's defaults.

use super::chart::Chart;
use super::values::{self, Warning, WarningKind};
use super::HelmMajor;
use crate::template::value::go_quote;
use crate::template::value::{Map, Value};
use std::borrow::Cow;

/// One entry of Chart.yaml `dependencies`, as far as rendering cares.
struct Dependency {
    name: String,
    version: String,
    alias: String,
    condition: String,
    tags: Vec<String>,
    imports: Vec<Import>,
}

/// One `import-values` entry: `NAME` (the child's `exports.NAME`, into the parent's
/// top level) or `{child: PATH, parent: PATH}`.
enum Import {
    Exports(String),
    Table { child: String, parent: String },
}

/// A string field of a dependency; Helm's Go strings turn a YAML boolean into its text.
fn text(entry: &Map, key: &str) -> String {
    match entry.get(key) {
        Some(Value::Str(s)) => s.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// The `dependencies` of a chart's metadata; None when Chart.yaml has none, which stops
/// Helm's processing at this chart (its subcharts' own lists are not read either).
fn dependencies(chart: &Chart) -> Option<Vec<Dependency>> {
    let Some(Value::List(items)) = chart.metadata.get("dependencies") else { return None };
    let mut out = Vec::new();
    for item in items.iter() {
        let Value::Map(entry) = item else { continue };
        let entry = entry.borrow();
        let name = text(&entry, "name");
        let mut imports = Vec::new();
        if let Some(Value::List(items)) = entry.get("import-values") {
            for item in items.iter() {
                match item {
                    Value::Str(export) => imports.push(Import::Exports(export.to_string())),
                    Value::Map(m) => {
                        let m = m.borrow();
                        imports.push(Import::Table { child: text(&m, "child"), parent: text(&m, "parent") });
                    }
                    _ => {}
                }
            }
        }
        let tags = match entry.get("tags") {
            Some(Value::List(tags)) => tags.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect(),
            _ => Vec::new(),
        };
        out.push(Dependency {
            name,
            version: text(&entry, "version"),
            alias: text(&entry, "alias"),
            condition: text(&entry, "condition"),
            tags,
            imports,
        });
    }
    Some(out)
}

/// Helm's `IsCompatibleRange`: the subchart's version meets the dependency's range; an
/// empty or unparsable range or version matches nothing.
fn compatible(range: &str, version: &str) -> bool {
    match super::semver::Version::parse(version) {
        Ok(v) => super::semver::satisfies(range, &v).unwrap_or(false),
        Err(_) => false,
    }
}

fn version_of(chart: &Chart) -> String {
    match chart.metadata.get("version") {
        Some(Value::Str(s)) => s.to_string(),
        Some(v @ Value::Float(_)) => crate::template::value::format_v(v),
        _ => String::new(),
    }
}

/// Fails as Helm does when Chart.yaml lists a dependency that charts/ does not hold.
pub fn check_present(chart: &Chart, helm: HelmMajor) -> Result<(), String> {
    let Some(listed) = dependencies(chart) else { return Ok(()) };
    let missing: Vec<&str> =
        listed.iter().filter(|d| !chart.subcharts.iter().any(|s| s.name == d.name)).map(|d| d.name.as_str()).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let lead = match helm {
        HelmMajor::V3 => "An error occurred",
        HelmMajor::V4 => "an error occurred",
    };
    Err(format!(
        "{lead} while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
        missing.join(", ")
    ))
}

/// The chart as a render with these user values sees it: disabled subcharts removed,
/// aliased ones renamed, imported values in place; and Helm's warnings on the way.
/// Borrowed when Chart.yaml has no dependencies.
pub fn resolve<'c>(chart: &'c Chart, user: &Map) -> (Cow<'c, Chart>, Vec<Warning>) {
    if !any_dependencies(chart) {
        return (Cow::Borrowed(chart), Vec::new());
    }
    let mut out = chart.clone();
    enable(&mut out, user, "");
    let mut warnings = Vec::new();
    import_values(&mut out, &mut warnings);
    (Cow::Owned(out), warnings)
}

/// Whether any chart of the tree lists dependencies (import-values is processed in
/// every chart, even below a parent that lists none).
fn any_dependencies(chart: &Chart) -> bool {
    chart.metadata.get("dependencies").is_some_and(|d| !matches!(d, Value::Nil))
        || chart.subcharts.iter().any(any_dependencies)
}

/// Helm's `processDependencyImportValues` (with merging, as install uses it): deepest
/// charts first, each chart's defaults become its values merged with its subcharts', under
/// the tables its dependencies import (the chart's own values win).
fn import_values(chart: &mut Chart, warnings: &mut Vec<Warning>) {
    for sub in &mut chart.subcharts {
        import_values(sub, warnings);
    }
    let Some(listed) = dependencies(chart) else { return };
    // Helm logs MergeValues' own warnings here too; they repeat the render's (not printed).
    let merged = values::merge_defaults(chart, &mut Vec::new());
    let mut imported = Map::new();
    for d in &listed {
        let name = if d.alias.is_empty() { &d.name } else { &d.alias };
        for import in &d.imports {
            let (child, parent) = match import {
                Import::Exports(export) => (format!("exports.{export}"), "."),
                Import::Table { child, parent } => (child.clone(), parent.as_str()),
            };
            let table = match table_at(&merged, &format!("{name}.{child}")) {
                Ok(table) => table,
                Err(missing) => {
                    let kind = match import {
                        Import::Exports(_) => WarningKind::ImportMissingExports,
                        Import::Table { .. } => WarningKind::ImportMissingTable { chart: name.clone() },
                    };
                    warnings.push(Warning { kind, message: format!("{} is not a table", go_quote(&missing)) });
                    continue;
                }
            };
            // Helm's MergeTables(dst, src): what is already there wins.
            imported = values::merge_maps(&nest(parent, table), &imported);
        }
    }
    chart.values = values::merge_maps(&imported, &merged);
}

/// Helm's `Values.Table`: the table at a dotted path, or the first key on the way that
/// is missing or not a table.
fn table_at(values: &Map, path: &str) -> Result<Map, String> {
    let mut current = values.clone();
    for key in path.split('.') {
        let next = match current.get(key) {
            Some(Value::Map(m)) => m.borrow().clone(),
            _ => return Err(key.to_owned()),
        };
        current = next;
    }
    Ok(current)
}

/// Helm's `pathToMap`: `data` under the dotted path (`.` is the top).
fn nest(path: &str, data: Map) -> Map {
    if path == "." {
        return data;
    }
    path.split('.').rev().fold(data, |inner, key| {
        let mut outer = Map::new();
        outer.insert(key.to_owned(), Value::map(inner));
        outer
    })
}

/// Helm's `processDependencyEnabled` for one chart and, recursively, its subcharts.
/// The chart's `dependencies` keep only the enabled entries, under their aliases, as
/// Helm leaves them for `import-values`.
fn enable(chart: &mut Chart, values: &Map, path: &str) {
    let Some(listed) = dependencies(chart) else { return };
    // Subcharts no dependency lists stay; listed ones come in the list's order, once per
    // entry (an alias is a renamed copy).
    let mut included: Vec<Chart> = chart
        .subcharts
        .iter()
        .filter(|s| !listed.iter().any(|d| d.name == s.name && compatible(&d.version, &version_of(s))))
        .cloned()
        .collect();
    let mut names: Vec<String> = Vec::new();
    for d in &listed {
        if let Some(found) = chart.subcharts.iter().find(|s| s.name == d.name && compatible(&d.version, &version_of(s)))
        {
            let mut copy = found.clone();
            if !d.alias.is_empty() {
                copy.name = d.alias.clone();
                copy.metadata.insert("name".into(), Value::str(d.alias.as_str()));
            }
            included.push(copy);
        }
        names.push(if d.alias.is_empty() { d.name.clone() } else { d.alias.clone() });
    }
    chart.subcharts = included;
    // Conditions and tags read the values coalesced with every included subchart.
    let coalesced = values::coalesce(chart, values, &mut Vec::new());
    let tags = match coalesced.get("tags") {
        Some(Value::Map(m)) => Some(m.borrow().clone()),
        _ => None,
    };
    let mut disabled: Vec<&str> = Vec::new();
    for (d, name) in listed.iter().zip(&names) {
        let mut enabled = true;
        if let Some(tags) = &tags {
            let states: Vec<bool> = d.tags.iter().filter_map(|t| tags.get(t)).filter_map(boolean).collect();
            enabled = states.contains(&true) || states.is_empty();
        }
        // The first condition path that holds a boolean decides; paths are not trimmed.
        for condition in d.condition.trim().split(',').filter(|c| !c.is_empty()) {
            if let Some(b) = path_value(&coalesced, &format!("{path}{condition}")).as_ref().and_then(boolean) {
                enabled = b;
                break;
            }
        }
        if !enabled {
            disabled.push(name);
        }
    }
    chart.subcharts.retain(|s| !disabled.contains(&s.name.as_str()));
    let kept = match chart.metadata.get("dependencies") {
        Some(Value::List(items)) => items
            .iter()
            .zip(&names)
            .filter(|(_, name)| !disabled.contains(&name.as_str()))
            .map(|(item, name)| match item {
                Value::Map(entry) => {
                    let mut entry = entry.borrow().clone();
                    entry.insert("name".into(), Value::str(name.as_str()));
                    Value::map(entry)
                }
                other => other.clone(),
            })
            .collect(),
        _ => Vec::new(),
    };
    chart.metadata.insert("dependencies".into(), Value::list(kept));
    for sub in &mut chart.subcharts {
        let subpath = format!("{path}{}.", sub.name);
        enable(sub, &coalesced, &subpath);
    }
    chart.subcharts.sort_by(|a, b| a.name.cmp(&b.name));
}

fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

/// The value at a dotted path: every key before the last must hold a map.
fn path_value(values: &Map, path: &str) -> Option<Value> {
    let (parent, last) = match path.rsplit_once('.') {
        Some((parent, last)) => (table_at(values, parent).ok()?, last),
        None => (values.clone(), path),
    };
    parent.get(last).cloned()
}
