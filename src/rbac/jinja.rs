//! Renders group templates' strings as OSMO's service does: every string value (map
//! values and list items; keys are left alone) is a Jinja2 template, rendered with
//! strict undefined variables and only the group-level variables. minijinja reads
//! Jinja2's syntax, positional filter arguments such as `default("x")` included.

use super::templates::Seg;
use minijinja::{Environment, ErrorKind};
use serde_json::Value;
use std::collections::BTreeMap;

/// The variables a group template gets; anything else is undefined.
pub const GROUP_VARIABLES: [&str; 7] =
    ["WF_ID", "WF_UUID", "WF_GROUP_NAME", "WF_GROUP_UUID", "WF_SUBMITTED_BY", "WF_POOL", "WF_PRIORITY"];

/// Why a string does not render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Names used without a value: not group-level variables.
    Unknown(Vec<String>),
    /// A syntax error or a failing expression, in Jinja's words.
    Syntax(String),
}

/// A string that does not render, and where it is in the manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringProblem {
    pub path: Vec<Seg>,
    pub problem: Problem,
}

/// Sample values of the group-level variables. `variant` 0 and 1 differ in every
/// variable, so a value that renders the same with both does not depend on them.
pub fn sample_variables(pool: &str, variant: usize) -> BTreeMap<&'static str, String> {
    let pick = |a: &str, b: &str| if variant == 0 { a.to_owned() } else { b.to_owned() };
    BTreeMap::from([
        ("WF_ID", pick("train-llm-7", "eval-run-12")),
        ("WF_UUID", pick("4f9c2d7e8a1b4c3d9e0f1a2b3c4d5e6f", "0a1b2c3d4e5f40718293a4b5c6d7e8f9")),
        ("WF_GROUP_NAME", pick("trainer", "evaluator")),
        ("WF_GROUP_UUID", pick("b3e1c0a2d4f54e6a8b7c9d0e1f2a3b4c", "7d6c5b4a39284716a5b4c3d2e1f0a9b8")),
        ("WF_SUBMITTED_BY", pick("alice", "bob")),
        ("WF_POOL", if variant == 0 { pool.to_owned() } else { format!("{pool}-other") }),
        ("WF_PRIORITY", pick("NORMAL", "HIGH")),
    ])
}

/// A Jinja environment set up like the service's.
pub struct Renderer {
    env: Environment<'static>,
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer {
    pub fn new() -> Renderer {
        Renderer { env: crate::jinja::environment() }
    }

    /// Renders one string. Strings without Jinja markup come back unchanged.
    pub fn render_str(&self, source: &str, vars: &BTreeMap<&'static str, String>) -> Result<String, Problem> {
        if !(source.contains("{{") || source.contains("{%") || source.contains("{#")) {
            return Ok(source.to_owned());
        }
        let template = self.env.template_from_str(source).map_err(|e| Problem::Syntax(describe(&e)))?;
        template.render(minijinja::Value::from_pairs(vars.iter().map(|(k, v)| (*k, v.clone())))).map_err(|e| {
            if e.kind() == ErrorKind::UndefinedError {
                let mut unknown: Vec<String> = template
                    .undeclared_variables(false)
                    .into_iter()
                    .filter(|name| !vars.contains_key(name.as_str()) && self.env.globals().all(|(g, _)| g != name))
                    .collect();
                unknown.sort();
                if !unknown.is_empty() {
                    return Problem::Unknown(unknown);
                }
            }
            Problem::Syntax(describe(&e))
        })
    }

    /// Renders every string of a manifest, collecting the strings that fail (they stay
    /// as written). A string `ARRAY:[a,b]` becomes a list, as OSMO does.
    pub fn render_value(&self, value: &Value, vars: &BTreeMap<&'static str, String>) -> (Value, Vec<StringProblem>) {
        let mut problems = Vec::new();
        let mut path = Vec::new();
        let rendered = self.walk(value, vars, &mut path, &mut problems);
        (rendered, problems)
    }

    fn walk(
        &self,
        value: &Value,
        vars: &BTreeMap<&'static str, String>,
        path: &mut Vec<Seg>,
        problems: &mut Vec<StringProblem>,
    ) -> Value {
        match value {
            Value::String(s) => match self.render_str(s, vars) {
                Ok(text) => match text.strip_prefix("ARRAY:[").and_then(|t| t.strip_suffix(']')) {
                    Some(items) => Value::Array(items.split(',').map(|i| Value::String(i.to_owned())).collect()),
                    None => Value::String(text),
                },
                Err(problem) => {
                    problems.push(StringProblem { path: path.clone(), problem });
                    value.clone()
                }
            },
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        path.push(Seg::Index(i));
                        let v = self.walk(item, vars, path, problems);
                        path.pop();
                        v
                    })
                    .collect(),
            ),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        path.push(Seg::Key(k.clone()));
                        let v = self.walk(v, vars, path, problems);
                        path.pop();
                        (k.clone(), v)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

fn describe(e: &minijinja::Error) -> String {
    match e.detail() {
        Some(detail) => format!("{}: {detail}", e.kind()),
        None => e.kind().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_variables_render_and_task_variables_fail() {
        let r = Renderer::new();
        let vars = sample_variables("pool-a", 0);
        assert_eq!(r.render_str("cd-{{WF_GROUP_UUID}}", &vars).unwrap(), "cd-b3e1c0a2d4f54e6a8b7c9d0e1f2a3b4c");
        assert_eq!(r.render_str("{{ WF_POOL }}", &vars).unwrap(), "pool-a");
        assert_eq!(r.render_str("plain", &vars).unwrap(), "plain");
        assert_eq!(r.render_str("x-{{ WF_TASK_NAME }}", &vars), Err(Problem::Unknown(vec!["WF_TASK_NAME".into()])));
        // Jinja2's positional filter arguments, and defaults for undefined names.
        assert_eq!(r.render_str("{{ WF_TASK_NAME | default(\"none\") }}", &vars).unwrap(), "none");
        assert_eq!(r.render_str("{{ WF_ID | upper }}", &vars).unwrap(), "TRAIN-LLM-7");
        assert!(matches!(r.render_str("{{ WF_ID ", &vars), Err(Problem::Syntax(_))));
    }

    #[test]
    fn values_render_in_place_with_paths_of_failures() {
        let r = Renderer::new();
        let vars = sample_variables("p", 0);
        let (out, problems) =
            r.render_value(&serde_json::json!({"a": ["{{WF_ID}}", "{{WF_TASK_UUID}}"], "b": 3}), &vars);
        assert_eq!(out, serde_json::json!({"a": ["train-llm-7", "{{WF_TASK_UUID}}"], "b": 3}));
        assert_eq!(problems[0].path, vec![Seg::Key("a".into()), Seg::Index(1)]);
    }
}
