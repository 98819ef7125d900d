//! TOML as Helm's `toToml` writes it with the BurntSushi/toml encoder: plain keys first
//! and tables after them, keys in byte order, two-space indentation per table level,
//! floats always with a decimal point or exponent, and the encoder's error texts.

use super::dates::{rfc3339_nano, time_arg};
use crate::template::value::{format_float_g, Value};

/// Why encoding failed: the encoder's own errors become `toToml`'s output, a Go runtime
/// panic becomes a template error.
pub enum TomlError {
    Encoder(String),
    Panic(String),
}

const NIL_ELEMENT: &str = "toml: cannot encode array with nil element";
const NO_KEY: &str = "toml: top-level values must be Go maps or structs";

/// What the encoder makes of a value.
#[derive(PartialEq)]
enum Kind {
    Nil,
    Table,
    TableArray,
    Other,
}

fn kind(v: &Value) -> Result<Kind, TomlError> {
    Ok(match v {
        Value::Nil => Kind::Nil,
        Value::Map(_) => Kind::Table,
        Value::List(items) => {
            // Every element is classified (a nil one is an error), then it is an array of
            // tables when all are tables.
            let mut all_tables = !items.is_empty();
            for item in items.iter() {
                match kind(item)? {
                    Kind::Nil => return Err(TomlError::Encoder(NIL_ELEMENT.into())),
                    Kind::Table => {}
                    _ => all_tables = false,
                }
            }
            if all_tables {
                Kind::TableArray
            } else {
                Kind::Other
            }
        }
        Value::Object(_) if time_arg(v).is_some() => Kind::Other,
        Value::Object(o) => kind(&o.to_data())?,
        _ => Kind::Other,
    })
}

/// `toToml`'s text for a value. `fixed_floats`: Helm 3's version of the encoder writes
/// floats without exponents (`1000000.0`, not `1e+06`).
pub fn to_toml(v: &Value, fixed_floats: bool) -> Result<String, TomlError> {
    if v.is_nil() {
        return Err(TomlError::Panic("reflect: call of reflect.Value.Type on zero Value".into()));
    }
    let mut e = Encoder { out: String::new(), fixed_floats };
    e.encode(&[], v)?;
    Ok(e.out)
}

struct Encoder {
    out: String,
    fixed_floats: bool,
}

fn bare_key(k: &str) -> bool {
    !k.is_empty() && k.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key_part(k: &str) -> String {
    if bare_key(k) {
        k.to_string()
    } else {
        quoted(k)
    }
}

fn float(f: f64, fixed: bool) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-nan" } else { "nan" }.into();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.into();
    }
    // Rust's Display is Go's 'f' format with the shortest digits.
    let s = if fixed { f.to_string() } else { format_float_g(f) };
    if s.contains(['.', 'e']) {
        s
    } else {
        s + ".0"
    }
}

impl Encoder {
    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn indent(&mut self, key: &[String]) {
        for _ in 1..key.len() {
            self.out.push_str("  ");
        }
    }

    fn header(key: &[String]) -> String {
        key.iter().map(|k| key_part(k)).collect::<Vec<_>>().join(".")
    }

    fn encode(&mut self, key: &[String], v: &Value) -> Result<(), TomlError> {
        if time_arg(v).is_some() {
            return self.key_value(key, v, false);
        }
        match v {
            Value::Nil => Ok(()),
            Value::Map(_) => self.table(key, v),
            Value::List(_) => {
                if kind(v)? == Kind::TableArray {
                    self.table_array(key, v)
                } else {
                    self.key_value(key, v, false)
                }
            }
            Value::Object(o) => self.encode(key, &o.to_data()),
            _ => self.key_value(key, v, false),
        }
    }

    fn key_value(&mut self, key: &[String], v: &Value, inline: bool) -> Result<(), TomlError> {
        if key.is_empty() {
            return self.element(v);
        }
        self.indent(key);
        let last = key_part(&key[key.len() - 1]);
        self.out.push_str(&last);
        self.out.push_str(" = ");
        self.element(v)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    fn table(&mut self, key: &[String], v: &Value) -> Result<(), TomlError> {
        if key.len() == 1 {
            self.newline();
        }
        if !key.is_empty() {
            self.indent(key);
            let h = Self::header(key);
            self.out.push('[');
            self.out.push_str(&h);
            self.out.push(']');
            self.newline();
        }
        self.map(key, v, false)
    }

    fn table_array(&mut self, key: &[String], v: &Value) -> Result<(), TomlError> {
        if key.is_empty() {
            return Err(TomlError::Encoder(NO_KEY.into()));
        }
        let Value::List(items) = v else { return Ok(()) };
        for item in items.iter() {
            self.newline();
            self.indent(key);
            let h = Self::header(key);
            self.out.push_str("[[");
            self.out.push_str(&h);
            self.out.push_str("]]");
            self.newline();
            self.map(key, item, false)?;
        }
        Ok(())
    }

    fn map(&mut self, key: &[String], v: &Value, inline: bool) -> Result<(), TomlError> {
        let Value::Map(m) = v else { return Ok(()) };
        let entries: Vec<(String, Value)> = m.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, v) in entries {
            if matches!(kind(&v)?, Kind::Table | Kind::TableArray) {
                sub.push((k, v));
            } else {
                direct.push((k, v));
            }
        }
        if inline {
            self.out.push('{');
        }
        let trail = !sub.is_empty();
        for (group, trailing) in [(direct, trail), (sub, false)] {
            let n = group.len();
            for (i, (k, v)) in group.into_iter().enumerate() {
                if v.is_nil() {
                    continue;
                }
                if inline {
                    self.key_value(std::slice::from_ref(&k), &v, true)?;
                    if trailing || i != n - 1 {
                        self.out.push_str(", ");
                    }
                } else {
                    let mut child = key.to_vec();
                    child.push(k);
                    self.encode(&child, &v)?;
                }
            }
        }
        if inline {
            self.out.push('}');
        }
        Ok(())
    }

    fn element(&mut self, v: &Value) -> Result<(), TomlError> {
        if let Some(t) = time_arg(v) {
            self.out.push_str(&rfc3339_nano(&t));
            return Ok(());
        }
        match v {
            Value::Str(s) => self.out.push_str(&quoted(s)),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => self.out.push_str(&i.to_string()),
            Value::Float(f) => self.out.push_str(&float(*f, self.fixed_floats)),
            Value::List(items) => {
                // Classifying the array checks it for nil elements.
                kind(v)?;
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    self.element(item)?;
                    if i != items.len() - 1 {
                        self.out.push_str(", ");
                    }
                }
                self.out.push(']');
            }
            Value::Map(_) => self.map(&[], v, true)?,
            Value::Object(o) => self.element(&o.to_data())?,
            Value::Nil => return Err(TomlError::Panic("reflect: call of reflect.Value.Type on zero Value".into())),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Map;

    fn map(entries: &[(&str, Value)]) -> Value {
        Value::map(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<Map>())
    }

    fn toml(v: &Value) -> String {
        match to_toml(v, false) {
            Ok(s) | Err(TomlError::Encoder(s)) | Err(TomlError::Panic(s)) => s,
        }
    }

    #[test]
    fn tables_follow_plain_keys() {
        let v = map(&[
            ("z", Value::Float(3.0)),
            ("t", map(&[("a b", Value::str("x\u{1}")), ("n", map(&[]))])),
            ("l", Value::list(vec![map(&[("k", Value::Int(1))]), map(&[])])),
        ]);
        assert_eq!(toml(&v), "z = 3.0\n\n[[l]]\n  k = 1\n\n[[l]]\n\n[t]\n  \"a b\" = \"x\\u0001\"\n  [t.n]\n");
    }

    #[test]
    fn inline_tables_and_errors() {
        let v = map(&[("a", Value::list(vec![Value::Int(1), map(&[("b", Value::Nil), ("c", Value::Float(1e21))])]))]);
        assert_eq!(toml(&v), "a = [1, {c = 1e+21}]\n");
        assert_eq!(toml(&Value::list(vec![map(&[])])), NO_KEY);
        assert_eq!(toml(&map(&[("a", Value::list(vec![Value::Nil]))])), NIL_ELEMENT);
        assert_eq!(float(1e21, true), "1000000000000000000000.0");
        assert_eq!(float(-0.0, true), "-0.0");
        assert_eq!(float(1e21, false), "1e+21");
    }
}
