//! Checks a spanned YAML tree against the generated values schema, keyword by keyword,
//! so that every violation keeps the node it is about. Implements the draft-07 subset
//! the generated schema uses: $ref, allOf, anyOf, type, enum, pattern, min/maxLength,
//! minimum/maximum, required, properties, patternProperties, additionalProperties,
//! items and `false` schemas. `tests/values_lint_agreement.rs` holds it to the
//! jsonschema crate and to Helm.

use crate::embedded_schema::EmbeddedSchema;
use crate::yaml::{Entry, Kind, Node, ScalarValue};
use regex_lite::Regex;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;

/// The values path of the one open object whose unknown keys are still reported.
pub const GLOBAL: &str = "global";

/// What the schema says is wrong with one node.
#[derive(Debug, Clone)]
pub enum Violation<'a> {
    /// A key the schema does not list. `open` when the object still lets it through
    /// (directly under `global`, for a parent chart's globals).
    UnknownKey {
        entry: &'a Entry,
        open: bool,
    },
    Type {
        node: &'a Node,
        expected: Vec<String>,
    },
    Enum {
        node: &'a Node,
        allowed: &'a [Value],
    },
    /// A string failing a pattern or length bound; `title` names its grammar.
    Grammar {
        node: &'a Node,
        title: Option<&'a str>,
        detail: String,
    },
    Range {
        node: &'a Node,
        detail: String,
    },
    Required {
        node: &'a Node,
        key: &'a str,
    },
    /// No branch of an anyOf fits; `description` of the anyOf schema says what was meant.
    NoBranch {
        node: &'a Node,
        description: Option<&'a str>,
    },
    /// A null where the schema wants a value, inside a map: Helm deletes the key instead.
    NullDeletes {
        entry: &'a Entry,
    },
}

/// A located violation: the values path of the node and what is wrong.
#[derive(Debug, Clone)]
pub struct Found<'a> {
    pub path: String,
    pub violation: Violation<'a>,
}

/// The schema and the compiled patterns, reused across files.
pub struct SchemaWalker<'s> {
    root: &'s Value,
    /// Where `#/definitions/...` points: inside `root`, or an embedded schema's table.
    embedded: Option<&'s EmbeddedSchema>,
    patterns: RefCell<HashMap<&'s str, Option<Regex>>>,
}

/// What a `$ref` to a missing definition resolves to.
static MISSING: Value = Value::Null;

/// A node's JSON type names, as `type` keywords spell them.
fn type_names(node: &Node) -> &'static [&'static str] {
    match &node.kind {
        Kind::Map(_) => &["object"],
        Kind::Seq(_) => &["array"],
        Kind::Scalar(s) => match &s.value {
            ScalarValue::Null => &["null"],
            ScalarValue::Bool(_) => &["boolean"],
            ScalarValue::Int(_) => &["integer", "number"],
            ScalarValue::Float(f) if f.fract() == 0.0 && f.is_finite() => &["integer", "number"],
            ScalarValue::Float(_) => &["number"],
            ScalarValue::Str => &["string"],
        },
    }
}

pub fn join_path(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

impl<'s> SchemaWalker<'s> {
    pub fn new(root: &'s Value) -> Self {
        SchemaWalker { root, embedded: None, patterns: RefCell::new(HashMap::new()) }
    }

    /// A walker over a schema built into the binary, parsing definitions as it meets them.
    pub fn embedded(schema: &'s EmbeddedSchema) -> Self {
        SchemaWalker { root: schema.root(), embedded: Some(schema), patterns: RefCell::new(HashMap::new()) }
    }

    pub fn root(&self) -> &'s Value {
        self.root
    }

    /// The schema a `$ref` points at (only local `#/definitions/...` references exist).
    fn deref(&self, schema: &'s Value) -> &'s Value {
        let mut schema = schema;
        for _ in 0..64 {
            match schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/definitions/")) {
                Some(name) => {
                    schema = match self.embedded {
                        Some(embedded) => embedded.entry("definitions", name),
                        None => self.root.get("definitions").and_then(|d| d.get(name)),
                    }
                    .unwrap_or(&MISSING)
                }
                None => break,
            }
        }
        schema
    }

    /// The schema and everything it pulls in through `$ref` and `allOf`: the facets that
    /// all apply to the same node.
    pub fn facets(&self, schema: &'s Value) -> Vec<&'s Value> {
        let mut out = Vec::new();
        let mut todo = vec![schema];
        while let Some(s) = todo.pop() {
            let s = self.deref(s);
            out.push(s);
            if let Some(all) = s.get("allOf").and_then(Value::as_array) {
                todo.extend(all.iter().rev());
            }
        }
        out
    }

    /// The schema of key `key` in an object with schema `schema`, if any: from
    /// `properties`, then `patternProperties`, then `additionalProperties`.
    pub fn property(&self, schema: &'s Value, key: &str) -> Option<&'s Value> {
        let facets = self.facets(schema);
        for f in &facets {
            if let Some(p) = f.get("properties").and_then(|p| p.get(key)) {
                return Some(p);
            }
        }
        for f in &facets {
            for (pattern, p) in f.get("patternProperties").and_then(Value::as_object).into_iter().flatten() {
                if self.matches(pattern, key) {
                    return Some(p);
                }
            }
        }
        facets.iter().find_map(|f| f.get("additionalProperties").filter(|a| a.is_object()))
    }

    /// Whether maps under `schema` reject keys they do not list.
    fn closed(&self, facets: &[&'s Value]) -> bool {
        facets.iter().any(|f| f.get("additionalProperties") == Some(&Value::Bool(false)))
    }

    /// The keys an object schema lists, with their schemas (`false` ones included).
    pub fn known_keys(&self, schema: &'s Value) -> Vec<(&'s str, &'s Value)> {
        self.facets(schema)
            .into_iter()
            .filter_map(|f| f.get("properties").and_then(Value::as_object))
            .flat_map(|p| p.iter().map(|(k, v)| (k.as_str(), v)))
            .collect()
    }

    fn matches(&self, pattern: &'s str, text: &str) -> bool {
        let mut cache = self.patterns.borrow_mut();
        let re = cache.entry(pattern).or_insert_with(|| Regex::new(pattern).ok());
        // A pattern Rust cannot compile is not held against the value.
        re.as_ref().is_none_or(|re| re.is_match(text))
    }

    /// Checks `node` against `schema`, appending what is wrong to `out`.
    pub fn check<'a>(&self, node: &'a Node, schema: &'s Value, path: &str, out: &mut Vec<Found<'a>>)
    where
        's: 'a,
    {
        self.walk(node, schema, path, None, out);
    }

    /// Like `check`, but skips every subtree equal to the same place in `valid`, data
    /// known to meet the schema (a chart's own defaults): a subtree's validity depends on
    /// nothing outside it, so only what differs needs checking.
    pub fn check_changes<'a>(
        &self,
        node: &'a Node,
        schema: &'s Value,
        valid: &serde_json::Value,
        out: &mut Vec<Found<'a>>,
    ) where
        's: 'a,
    {
        self.walk(node, schema, "", Some(valid), out);
    }

    fn walk<'a>(&self, node: &'a Node, schema: &'s Value, path: &str, valid: Option<&Value>, out: &mut Vec<Found<'a>>)
    where
        's: 'a,
    {
        if schema == &Value::Bool(false) {
            return; // reported by the parent as an unknown key
        }
        if valid.is_some_and(|v| same(node, v)) {
            return;
        }
        let facets = self.facets(schema);
        let names = type_names(node);

        // Types first: with the wrong type, the other keywords say nothing useful.
        let mut expected: Option<Vec<String>> = None;
        for f in &facets {
            let allowed: Vec<&str> = match f.get("type") {
                Some(Value::String(t)) => vec![t.as_str()],
                Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
                _ => continue,
            };
            if !allowed.iter().any(|t| names.contains(t)) {
                expected = Some(allowed.iter().map(|t| (*t).to_owned()).collect());
            }
        }
        if let Some(expected) = expected {
            out.push(Found { path: path.to_owned(), violation: Violation::Type { node, expected } });
            return;
        }

        for f in &facets {
            if let Some(allowed) = f.get("enum").and_then(Value::as_array) {
                if !allowed.contains(&node.to_json()) {
                    out.push(Found { path: path.to_owned(), violation: Violation::Enum { node, allowed } });
                }
            }
            if let Some(branches) = f.get("anyOf").and_then(Value::as_array) {
                let fits = branches.iter().any(|b| {
                    let mut scratch = Vec::new();
                    self.check(node, b, path, &mut scratch);
                    scratch.is_empty()
                });
                if !fits {
                    let description = f.get("description").and_then(Value::as_str);
                    out.push(Found { path: path.to_owned(), violation: Violation::NoBranch { node, description } });
                }
            }
            self.check_scalar(node, f, path, out);
        }

        match &node.kind {
            Kind::Map(entries) => self.check_map(node, entries, &facets, schema, path, valid, out),
            Kind::Seq(items) => {
                if let Some(items_schema) = facets.iter().find_map(|f| f.get("items")) {
                    for (i, item) in items.iter().enumerate() {
                        let valid_item = valid.and_then(|v| v.get(i));
                        self.walk(item, items_schema, &format!("{path}[{i}]"), valid_item, out);
                    }
                }
            }
            Kind::Scalar(_) => {}
        }
    }

    fn check_scalar<'a>(&self, node: &'a Node, f: &'s Value, path: &str, out: &mut Vec<Found<'a>>)
    where
        's: 'a,
    {
        let Kind::Scalar(scalar) = &node.kind else { return };
        let title = f.get("title").and_then(Value::as_str);
        if scalar.value == ScalarValue::Str {
            let text = scalar.text.as_str();
            let chars = text.chars().count() as u64;
            let mut problems = Vec::new();
            if let Some(pattern) = f.get("pattern").and_then(Value::as_str) {
                if !self.matches(pattern, text) {
                    problems.push(format!("does not match the pattern {pattern}"));
                }
            }
            if let Some(max) = f.get("maxLength").and_then(Value::as_u64).filter(|&m| chars > m) {
                problems.push(format!("is {chars} characters long; at most {max} are allowed"));
            }
            if let Some(min) = f.get("minLength").and_then(Value::as_u64).filter(|&m| chars < m) {
                problems.push(format!("is shorter than {min} characters"));
            }
            if !problems.is_empty() {
                let detail = problems.join(" and ");
                out.push(Found { path: path.to_owned(), violation: Violation::Grammar { node, title, detail } });
            }
        }
        let number = match scalar.value {
            ScalarValue::Int(i) => Some(i as f64),
            ScalarValue::Float(x) => Some(x),
            _ => None,
        };
        if let Some(x) = number {
            if let Some(min) = f.get("minimum").and_then(Value::as_f64).filter(|&m| x < m) {
                out.push(Found {
                    path: path.to_owned(),
                    violation: Violation::Range { node, detail: format!("must be at least {min}") },
                });
            }
            if let Some(max) = f.get("maximum").and_then(Value::as_f64).filter(|&m| x > m) {
                out.push(Found {
                    path: path.to_owned(),
                    violation: Violation::Range { node, detail: format!("must be at most {max}") },
                });
            }
        }
    }

    fn check_map<'a>(
        &self,
        node: &'a Node,
        entries: &'a [Entry],
        facets: &[&'s Value],
        schema: &'s Value,
        path: &str,
        valid: Option<&Value>,
        out: &mut Vec<Found<'a>>,
    ) where
        's: 'a,
    {
        for f in facets {
            for key in f.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
                if !entries.iter().any(|e| e.key.key_text() == key) {
                    out.push(Found { path: path.to_owned(), violation: Violation::Required { node, key } });
                }
            }
        }
        let closed = self.closed(facets);
        // `global` is open only so that a parent chart's globals can land there: its unknown
        // keys are still reported (as open). Other open objects, such as raw Kubernetes
        // objects, take any key.
        let lists_keys = path == GLOBAL;
        for entry in entries {
            let key = entry.key.key_text();
            if key == "<<" {
                continue; // a YAML merge key: its map was merged into this one
            }
            let child_path = join_path(path, &key);
            match self.property(schema, &key) {
                Some(Value::Bool(false)) => {
                    out.push(Found { path: child_path, violation: Violation::UnknownKey { entry, open: false } })
                }
                Some(child) => {
                    if matches!(&entry.value.kind, Kind::Scalar(s) if s.value == ScalarValue::Null)
                        && !self.allows_null(child)
                    {
                        out.push(Found { path: child_path, violation: Violation::NullDeletes { entry } });
                    } else {
                        self.walk(&entry.value, child, &child_path, valid.and_then(|v| v.get(&key)), out);
                    }
                }
                None if closed => {
                    out.push(Found { path: child_path, violation: Violation::UnknownKey { entry, open: false } })
                }
                None if lists_keys => {
                    out.push(Found { path: child_path, violation: Violation::UnknownKey { entry, open: true } })
                }
                None => {} // a free-form object
            }
        }
    }

    /// Whether `null` is a valid value of `schema`.
    fn allows_null(&self, schema: &'s Value) -> bool {
        let null = Node {
            kind: Kind::Scalar(crate::yaml::Scalar {
                text: String::new(),
                style: crate::yaml::Style::Plain,
                tag: None,
                value: ScalarValue::Null,
            }),
            span: Default::default(),
        };
        let mut scratch = Vec::new();
        self.check(&null, schema, "", &mut scratch);
        scratch.is_empty()
    }
}

/// Whether a tree holds exactly the JSON data `value`.
fn same(node: &Node, value: &Value) -> bool {
    match (&node.kind, value) {
        (Kind::Map(entries), Value::Object(map)) => {
            entries.len() == map.len()
                && entries.iter().all(|e| {
                    // A scalar key is its text: looked up without copying it.
                    let found = match &e.key.kind {
                        Kind::Scalar(key) => map.get(key.text.as_str()),
                        _ => map.get(&e.key.key_text()),
                    };
                    found.is_some_and(|v| same(&e.value, v))
                })
        }
        (Kind::Seq(items), Value::Array(values)) => {
            items.len() == values.len() && items.iter().zip(values).all(|(n, v)| same(n, v))
        }
        // A string scalar's JSON is its text.
        (Kind::Scalar(s), Value::String(v)) if s.value == crate::yaml::ScalarValue::Str => &s.text == v,
        (Kind::Scalar(_), v) => !v.is_object() && !v.is_array() && &node.to_json() == v,
        _ => false,
    }
}

impl Violation<'_> {
    /// The node the violation is about (for an unknown key, the key).
    pub fn node(&self) -> &Node {
        match self {
            Violation::UnknownKey { entry, .. } | Violation::NullDeletes { entry } => &entry.key,
            Violation::Type { node, .. }
            | Violation::Enum { node, .. }
            | Violation::Grammar { node, .. }
            | Violation::Range { node, .. }
            | Violation::Required { node, .. }
            | Violation::NoBranch { node, .. } => node,
        }
    }

    /// What is wrong, in a sentence without hints about values files.
    pub fn plain_message(&self) -> String {
        let shown = |node: &Node| match &node.kind {
            Kind::Scalar(s) => format!("{:?}", s.text),
            Kind::Seq(_) => "a list".to_owned(),
            Kind::Map(_) => "a map".to_owned(),
        };
        match self {
            Violation::UnknownKey { entry, .. } => format!("unknown field `{}`", entry.key.key_text()),
            Violation::NullDeletes { entry } => format!("`{}` is null", entry.key.key_text()),
            Violation::Type { node, expected } => format!("expected {}, found {}", expected.join(" or "), shown(node)),
            Violation::Enum { node, allowed } => {
                let choices: Vec<String> =
                    allowed.iter().map(|v| v.as_str().map_or(v.to_string(), str::to_owned)).collect();
                format!("{} is not one of {}", shown(node), choices.join(", "))
            }
            Violation::Grammar { node, title, detail } => match title {
                Some(title) => format!("{} is not a valid {title}", shown(node)),
                None => format!("{} {detail}", shown(node)),
            },
            Violation::Range { node, detail } => format!("{} {detail}", shown(node)),
            Violation::Required { key, .. } => format!("required field `{key}` is missing"),
            Violation::NoBranch { node, description } => match description {
                Some(d) if d.contains("quantity") => {
                    format!("{} is not a Kubernetes quantity (e.g. 512Mi, 1Gi, 500m)", shown(node))
                }
                _ => format!("{} has none of the allowed types", shown(node)),
            },
        }
    }
}
