//! The YAML tree: scalars keep their text, style and tag beside their resolved value,
//! maps keep every entry (duplicates too, for the linter), and every node its span.

use super::resolve::{resolve_plain, ScalarValue};
use super::Span;
use serde_json::{Map, Number, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The scalar's content after YAML unescaping and folding.
    pub text: String,
    pub style: Style,
    /// The tag as written, e.g. `!!str`.
    pub tag: Option<String>,
    pub value: ScalarValue,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// Entries in source order, duplicates kept.
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub span: Span,
}

impl Node {
    pub(super) fn seq(span: Span) -> Node {
        Node { kind: Kind::Seq(Vec::new()), span }
    }

    pub(super) fn map(span: Span) -> Node {
        Node { kind: Kind::Map(Vec::new()), span }
    }

    /// A scalar, resolved by its style and tag. Fails on a tag its text cannot satisfy.
    pub(super) fn scalar(text: String, style: Style, tag: Option<String>, span: Span) -> Result<Node, String> {
        let value = match (tag.as_deref(), style) {
            (Some("tag:yaml.org,2002:str" | "!!str"), _) => ScalarValue::Str,
            (_, Style::Plain) => resolve_plain(&text),
            _ => ScalarValue::Str,
        };
        let wanted = match tag.as_deref() {
            Some("tag:yaml.org,2002:int" | "!!int") => Some("an integer"),
            Some("tag:yaml.org,2002:float" | "!!float") => Some("a number"),
            Some("tag:yaml.org,2002:bool" | "!!bool") => Some("a boolean"),
            Some("tag:yaml.org,2002:null" | "!!null") => Some("null"),
            _ => None,
        };
        let value = match (wanted, resolve_plain(&text)) {
            (None, _) => value,
            (Some("an integer"), v @ ScalarValue::Int(_)) => v,
            (Some("a number"), ScalarValue::Int(i)) => ScalarValue::Float(i as f64),
            (Some("a number"), v @ ScalarValue::Float(_)) => v,
            (Some("a boolean"), v @ ScalarValue::Bool(_)) => v,
            (Some("null"), v @ ScalarValue::Null) => v,
            (Some(what), _) => {
                return Err(format!("{:?} is tagged {} but is not {what}", text, tag.unwrap_or_default()))
            }
        };
        Ok(Node { kind: Kind::Scalar(Scalar { text, style, tag, value }), span })
    }

    /// The same node reported at another place (an alias's).
    pub(super) fn with_span(mut self, span: Span) -> Node {
        self.span = span;
        self
    }

    /// Number of nodes in this subtree, itself included.
    pub fn size(&self) -> usize {
        1 + match &self.kind {
            Kind::Scalar(_) => 0,
            Kind::Seq(items) => items.iter().map(Node::size).sum(),
            Kind::Map(entries) => entries.iter().map(|e| e.key.size() + e.value.size()).sum(),
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar key; a map's keys are read as strings, as Helm does.
    pub fn key_text(&self) -> String {
        match &self.kind {
            Kind::Scalar(s) => s.text.clone(),
            _ => self.to_json().to_string(),
        }
    }

    /// Is this the YAML 1.1 merge key `<<`?
    fn is_merge_key(&self) -> bool {
        matches!(&self.kind, Kind::Scalar(s) if s.style == Style::Plain && s.text == "<<")
    }

    /// The value of `key` in a map: the last one, as Helm keeps the last duplicate.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(entries) => entries.iter().rev().find(|e| e.key.key_text() == key).map(|e| &e.value),
            _ => None,
        }
    }

    /// A scalar of data that came from no text: double-quoted style, no tag, no span.
    pub fn data_scalar(text: String, value: ScalarValue) -> Node {
        Node { kind: Kind::Scalar(Scalar { text, style: Style::DoubleQuoted, tag: None, value }), span: Span::default() }
    }

    /// A tree holding JSON data, for checking data that came from no text (merged
    /// values); every span is empty.
    pub fn from_json(value: &Value) -> Node {
        let span = Span::default();
        let scalar = Node::data_scalar;
        match value {
            Value::Null => scalar(String::new(), ScalarValue::Null),
            Value::Bool(b) => scalar(b.to_string(), ScalarValue::Bool(*b)),
            Value::Number(n) => match n.as_i64() {
                Some(i) => scalar(n.to_string(), ScalarValue::Int(i)),
                None => scalar(n.to_string(), ScalarValue::Float(n.as_f64().unwrap_or(f64::NAN))),
            },
            Value::String(s) => scalar(s.clone(), ScalarValue::Str),
            Value::Array(items) => Node { kind: Kind::Seq(items.iter().map(Node::from_json).collect()), span },
            Value::Object(map) => Node {
                kind: Kind::Map(
                    map.iter()
                        .map(|(k, v)| Entry { key: scalar(k.clone(), ScalarValue::Str), value: Node::from_json(v) })
                        .collect(),
                ),
                span,
            },
        }
    }

    /// JSON data as Helm sees it. NaN and infinities, which JSON cannot hold, become null.
    pub fn to_json(&self) -> Value {
        match &self.kind {
            Kind::Scalar(s) => match &s.value {
                ScalarValue::Null => Value::Null,
                ScalarValue::Bool(b) => Value::Bool(*b),
                ScalarValue::Int(i) => Value::Number((*i).into()),
                ScalarValue::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
                ScalarValue::Str => Value::String(s.text.clone()),
            },
            Kind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Kind::Map(entries) => {
                let mut map = Map::new();
                let mut merged = Vec::new();
                for entry in entries {
                    if entry.key.is_merge_key() {
                        merged.push(&entry.value);
                    } else {
                        map.insert(entry.key.key_text(), entry.value.to_json());
                    }
                }
                // Merged maps never override explicit keys; earlier merged maps win.
                for source in merged {
                    let sources: Vec<&Node> = match &source.kind {
                        Kind::Seq(items) => items.iter().collect(),
                        _ => vec![source],
                    };
                    for source in sources {
                        if let Value::Object(fields) = source.to_json() {
                            for (k, v) in fields {
                                map.entry(k).or_insert(v);
                            }
                        }
                    }
                }
                Value::Object(map)
            }
        }
    }
}
