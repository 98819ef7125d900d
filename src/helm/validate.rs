//! Validates the coalesced values against each chart's values.schema.json before
//! rendering, as Helm does, with the schema walk values-lint uses. The error lists
//! every violation under its chart, in Helm 4's layout (`- at '/path': message`); the
//! messages are this tool's, not Helm's (see docs/helm-compatibility.md).

use super::chart::Chart;
use super::render::RenderError;
use crate::lint::schema_walk::{SchemaWalker, Violation};
use crate::template::value::{Map, Value};
use crate::yaml::Node;

/// The schema of the chart built into the tool.
const BUILT_IN_SCHEMA: &str = include_str!("../../chart/values.schema.json");

thread_local! {
    static BUILT_IN_WALKER: SchemaWalker<'static> = SchemaWalker::embedded(&crate::lint::SCHEMA);
}

/// The violations of one chart and its subcharts, as `(chart name, lines)`.
fn violations(chart: &Chart, values: &Map, out: &mut Vec<(String, Vec<String>)>) -> Result<(), RenderError> {
    if let Some(schema_text) = &chart.schema {
        let tree = node_of_map(values);
        // The chart's own defaults meet its schema (tests/values_types.rs holds the built-in
        // chart to that), so only what the user changed is walked.
        let defaults = data_of(&Value::map(chart.values.clone()));
        let mut found = Vec::new();
        if schema_text.as_ref() == BUILT_IN_SCHEMA {
            // The chart built into the tool: its schema is parsed once, without its prose,
            // and its walker (with the compiled patterns) kept for every render of a batch.
            BUILT_IN_WALKER.with(|walker| walker.check_changes(&tree, walker.root(), &defaults, &mut found));
            report(chart, found, out);
        } else {
            let schema: serde_json::Value = serde_json::from_str(schema_text)
                .map_err(|e| RenderError::input(format!("cannot load values.schema.json of {}: {e}", chart.name)))?;
            let walker = SchemaWalker::new(&schema);
            walker.check_changes(&tree, &schema, &defaults, &mut found);
            report(chart, found, out);
        }
    }
    for sub in &chart.subcharts {
        if let Some(Value::Map(sub_values)) = values.get(&sub.name) {
            violations(sub, &sub_values.borrow(), out)?;
        }
    }
    Ok(())
}

/// Adds a chart's violations to `out`, in Helm 4's `- at '/path': message` form.
fn report(chart: &Chart, found: Vec<crate::lint::schema_walk::Found>, out: &mut Vec<(String, Vec<String>)>) {
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

/// Values as JSON data, as Helm hands them to its schema validator.
fn data_of(value: &Value) -> serde_json::Value {
    match value {
        Value::Nil => serde_json::Value::Null,
        Value::Bool(b) => (*b).into(),
        Value::Int(i) => (*i).into(),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Str(s) => serde_json::Value::String(s.to_string()),
        Value::List(items) => items.iter().map(data_of).collect(),
        Value::Map(map) => map.borrow().iter().map(|(k, v)| (k.clone(), data_of(v))).collect(),
        Value::Object(object) => data_of(&object.to_data()),
    }
}

/// The tree the schema walk reads: what `Node::from_json(&data_of(value))` builds,
/// without the JSON in between (its ordered maps hash every key).
fn node_of(value: &Value) -> Node {
    use crate::yaml::{Kind, ScalarValue, Span};
    let scalar = Node::data_scalar;
    match value {
        Value::Nil => scalar(String::new(), ScalarValue::Null),
        Value::Bool(b) => scalar(b.to_string(), ScalarValue::Bool(*b)),
        Value::Int(i) => scalar(i.to_string(), ScalarValue::Int(*i)),
        Value::Float(f) => match serde_json::Number::from_f64(*f) {
            Some(n) => scalar(n.to_string(), ScalarValue::Float(*f)),
            None => scalar(String::new(), ScalarValue::Null),
        },
        Value::Str(s) => scalar(s.to_string(), ScalarValue::Str),
        Value::List(items) => Node { kind: Kind::Seq(items.iter().map(node_of).collect()), span: Span::default() },
        Value::Map(map) => node_of_map(&map.borrow()),
        Value::Object(object) => node_of(&object.to_data()),
    }
}

fn node_of_map(map: &Map) -> Node {
    use crate::yaml::{Entry, Kind, ScalarValue, Span};
    let entries = map
        .iter()
        .map(|(k, v)| Entry { key: Node::data_scalar(k.clone(), ScalarValue::Str), value: node_of(v) })
        .collect();
    Node { kind: Kind::Map(entries), span: Span::default() }
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
    Err(RenderError::input(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The direct conversion builds the same tree as the one through JSON, for every
    /// kind of value (NaN and infinities become null, as JSON has neither).
    #[test]
    fn node_of_matches_the_json_route() {
        let text = std::fs::read_to_string("examples/backend_operator_values.yaml").unwrap();
        let mut values = super::super::values::parse_values(&text, "values.yaml", true).unwrap();
        let odd = [0.0, -0.0, 1.5, 1e21, 1e-7, 123456789.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
        let odd: Vec<Value> = odd.iter().map(|f| Value::Float(*f)).chain([Value::Int(-3), Value::Nil, Value::Bool(true)]).collect();
        values.insert("odd".into(), Value::list(odd));
        values.insert("text".into(), Value::str("é\n\u{0}"));
        let direct = node_of_map(&values);
        let via_json = Node::from_json(&data_of(&Value::map(values)));
        assert_eq!(format!("{direct:?}"), format!("{via_json:?}"));
    }
}
