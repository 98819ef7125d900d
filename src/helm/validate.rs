//! Validates the coalesced values against each chart's values.schema.json before
//! rendering, as Helm does, with the schema walk values-lint uses. The error lists
//! every violation under its chart, in Helm 4's layout (`- at '/path': message`); the
//! messages are this tool's, not Helm's (see docs/helm-compatibility.md).

use super::chart::Chart;
use super::json;
use super::render::RenderError;
use crate::lint::schema_walk::{SchemaWalker, Violation};
use crate::template::value::{Map, Value};
use crate::yaml::Node;

/// The violations of one chart and its subcharts, as `(chart name, lines)`.
fn violations(chart: &Chart, values: &Map, out: &mut Vec<(String, Vec<String>)>) -> Result<(), RenderError> {
    if let Some(schema_text) = &chart.schema {
        let schema: serde_json::Value = serde_json::from_str(schema_text)
            .map_err(|e| RenderError(format!("cannot load values.schema.json of {}: {e}", chart.name)))?;
        let data = json::to_json(&Value::map(values.clone()), false, None).map_err(RenderError)?;
        let data: serde_json::Value = serde_json::from_str(&data).map_err(|e| RenderError(e.to_string()))?;
        let tree = Node::from_json(&data);
        let walker = SchemaWalker::new(&schema);
        let mut found = Vec::new();
        walker.check(&tree, &schema, "", &mut found);
        let lines: Vec<String> = found
            .iter()
            // An unknown key the schema lets through (directly under global) is allowed.
            .filter(|f| !matches!(f.violation, Violation::UnknownKey { open: true, .. }))
            .map(|f| format!("- at '/{}': {}", pointer(&f.path), f.violation.plain_message()))
            .collect();
        if !lines.is_empty() {
            out.push((chart.name.clone(), lines));
        }
    }
    for sub in &chart.subcharts {
        if let Some(Value::Map(sub_values)) = values.get(&sub.name) {
            violations(sub, &sub_values.borrow(), out)?;
        }
    }
    Ok(())
}

/// `a.b[2].c` as the JSON pointer `a/b/2/c`.
fn pointer(path: &str) -> String {
    path.replace("[", ".").replace(']', "").split('.').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("/")
}

/// Fails the render when the values break a chart's schema.
pub fn check(chart: &Chart, values: &Map) -> Result<(), RenderError> {
    let mut found = Vec::new();
    violations(chart, values, &mut found)?;
    if found.is_empty() {
        return Ok(());
    }
    let mut message = String::from("values don't meet the specifications of the schema(s) in the following chart(s):");
    for (name, lines) in found {
        message.push_str(&format!("\n{name}:\n{}", lines.join("\n")));
    }
    Err(RenderError(message))
}
