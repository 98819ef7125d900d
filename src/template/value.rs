//! The dynamic value templates compute with, modelled on the Go values Helm hands to
//! text/template: `interface{}` holding nil, bool, int, float64, string, `[]interface{}`
//! or `map[string]interface{}`, plus a few Go structs with fields and methods (`.Chart`,
//! `.Capabilities`, `.Files`). Maps are shared and mutable, as Go maps are (`set` and
//! `merge` change them in place); lists are shared and never mutated.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// A map's entries, in sorted key order (the order Go's template, JSON and YAML code use).
pub type Map = BTreeMap<String, Value>;

/// A Go struct-like object: named fields and methods.
pub trait Object: fmt::Debug {
    /// Go's name of the type, for error messages and `%T` (e.g. `*chart.Metadata`).
    fn type_name(&self) -> &str;
    /// An exported field, or `None` when the type has no such field.
    fn field(&self, name: &str) -> Option<Value>;
    /// Calls a method; `None` when the type has no such method.
    fn call(&self, _name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        None
    }
    /// Whether the type has a method of that name.
    fn has_method(&self, _name: &str) -> bool {
        false
    }
    /// What `fmt.Sprint` prints for it.
    fn display(&self) -> String;
    /// The value as plain data, for `toYaml`/`toJson`.
    fn to_data(&self) -> Value {
        Value::Str(self.display().into())
    }
    /// Go's reflect kind, as `kindOf` prints it: most objects are pointers to structs.
    fn kind(&self) -> &'static str {
        "ptr"
    }
    /// The concrete object, for functions that take one type of object (`time.Time`).
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        None
    }
}

#[derive(Clone, Debug)]
pub enum Value {
    /// Go's untyped nil (also a missing map entry).
    Nil,
    Bool(bool),
    /// Go's int and int64.
    Int(i64),
    /// Go's float64: every number that comes from YAML or JSON.
    Float(f64),
    Str(Rc<str>),
    List(Rc<Vec<Value>>),
    Map(Rc<RefCell<Map>>),
    Object(Rc<dyn Object>),
}

impl Value {
    pub fn str(s: impl Into<Rc<str>>) -> Value {
        Value::Str(s.into())
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(items))
    }

    pub fn map(map: Map) -> Value {
        Value::Map(Rc::new(RefCell::new(map)))
    }

    pub fn empty_map() -> Value {
        Value::map(Map::new())
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Go's type name, as `%T` prints it.
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float64".into(),
            Value::Str(_) => "string".into(),
            Value::List(_) => "[]interface {}".into(),
            Value::Map(_) => "map[string]interface {}".into(),
            Value::Object(o) => o.type_name().into(),
        }
    }

    /// Go's reflect kind name, as Sprig's `kindOf` prints it.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::List(_) => "slice",
            Value::Map(_) => "map",
            Value::Object(o) => o.kind(),
        }
    }

    /// Go's truth: false, 0, nil, and empty strings, lists and maps are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.borrow().is_empty(),
            Value::Object(_) => true,
        }
    }

    /// A deep copy: maps are copied, so changing the copy leaves the original alone.
    /// Data nested deeper than [`MAX_NESTING`] (only a map that holds itself) is shared.
    pub fn deep_copy(&self) -> Value {
        self.deep_copy_at(0)
    }

    fn deep_copy_at(&self, depth: usize) -> Value {
        if depth > MAX_NESTING {
            return self.clone();
        }
        match self {
            Value::List(l) => Value::list(l.iter().map(|v| v.deep_copy_at(depth + 1)).collect()),
            Value::Map(m) => {
                Value::map(m.borrow().iter().map(|(k, v)| (k.clone(), v.deep_copy_at(depth + 1))).collect())
            }
            other => other.clone(),
        }
    }

    /// Go's `reflect.DeepEqual` for template data.
    pub fn deep_equal(&self, other: &Value) -> bool {
        self.deep_equal_at(other, 0)
    }

    fn deep_equal_at(&self, other: &Value, depth: usize) -> bool {
        if depth > MAX_NESTING {
            return false;
        }
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.deep_equal_at(y, depth + 1))
            }
            (Value::Map(a), Value::Map(b)) => {
                if Rc::ptr_eq(a, b) {
                    return true;
                }
                let (a, b) = (a.borrow(), b.borrow());
                a.len() == b.len()
                    && a.iter().zip(b.iter()).all(|((ka, va), (kb, vb))| ka == kb && va.deep_equal_at(vb, depth + 1))
            }
            (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// Converts JSON data (as the YAML loader produces it) into template data. Numbers
    /// become float64, as they do when Helm reads YAML through JSON.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::str(s.as_str()),
            serde_json::Value::Array(items) => Value::list(items.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(fields) => {
                Value::map(fields.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect())
            }
        }
    }

    /// Plain data for the encoders: objects become what they encode as.
    pub fn to_data(&self) -> Value {
        match self {
            Value::Object(o) => o.to_data(),
            other => other.clone(),
        }
    }
}

/// How deep data may nest before printing, copying and comparing stop descending:
/// only a map that contains itself gets there.
pub const MAX_NESTING: usize = 10_000;

/// What `fmt.Sprint(v)` (the `%v` verb) prints.
pub fn format_v(v: &Value) -> String {
    let mut out = String::new();
    write_v(&mut out, v, 0);
    out
}

fn write_v(out: &mut String, v: &Value, depth: usize) {
    if depth > MAX_NESTING {
        out.push_str("...");
        return;
    }
    match v {
        Value::Nil => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&format_float_g(*f)),
        Value::Str(s) => out.push_str(s),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_v(out, item, depth + 1);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push_str("map[");
            for (i, (k, item)) in m.borrow().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_v(out, item, depth + 1);
            }
            out.push(']');
        }
        Value::Object(o) => out.push_str(&o.display()),
    }
}

/// The shortest decimal digits of a finite, non-zero `f` and its decimal exponent:
/// `f = 0.d1d2d3... × 10^exp`.
fn shortest_digits(f: f64) -> (String, i32) {
    let s = format!("{:e}", f.abs());
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp + 1)
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which is also what `%v` prints.
pub fn format_float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let (digits, dp) = shortest_digits(f);
    let sign = if f < 0.0 { "-" } else { "" };
    let exp = dp - 1;
    if exp < -4 || exp >= 6 {
        // %e with the shortest digits.
        let mut out = String::from(sign);
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        out.push_str(&e.to_string());
        return out;
    }
    format!("{sign}{}", fixed_from_digits(&digits, dp))
}

/// Decimal notation of digits `0.d1d2... × 10^dp`.
fn fixed_from_digits(digits: &str, dp: i32) -> String {
    if dp <= 0 {
        format!("0.{}{}", "0".repeat((-dp) as usize), digits)
    } else if dp as usize >= digits.len() {
        format!("{}{}", digits, "0".repeat(dp as usize - digits.len()))
    } else {
        format!("{}.{}", &digits[..dp as usize], &digits[dp as usize..])
    }
}

/// Go's `encoding/json` number text for a float64 (`None` for NaN and infinities,
/// which JSON cannot hold).
pub fn format_float_json(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        return Some(if f.is_sign_negative() { "-0".into() } else { "0".into() });
    }
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        let (digits, dp) = shortest_digits(f);
        let exp = dp - 1;
        let mut out = String::from(if f < 0.0 { "-" } else { "" });
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&exp.unsigned_abs().to_string());
        return Some(out);
    }
    let (digits, dp) = shortest_digits(f);
    Some(format!("{}{}", if f < 0.0 { "-" } else { "" }, fixed_from_digits(&digits, dp)))
}

/// Go's `strconv.FormatFloat(f, 'e' or 'f', prec, 64)` for an explicit precision.
pub fn format_float_prec(f: f64, verb: char, prec: usize) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    match verb {
        'e' | 'E' => {
            let s = format!("{:.*e}", prec, f);
            let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
            let e: i32 = e.parse().unwrap_or(0);
            let out = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.unsigned_abs());
            if verb == 'E' {
                out.to_uppercase()
            } else {
                out
            }
        }
        _ => format!("{:.*}", prec, f),
    }
}

/// Go's `%g` with an explicit precision.
pub fn format_float_g_prec(f: f64, prec: usize) -> String {
    if !f.is_finite() || f == 0.0 {
        return format_float_g(f);
    }
    let prec = prec.max(1);
    let s = format!("{:.*e}", prec - 1, f);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = e.parse().unwrap_or(0);
    let digits: String = m.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let sign = if f < 0.0 { "-" } else { "" };
    if exp < -4 || exp >= prec as i32 {
        let mut out = String::from(sign);
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push_str(&format!("e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs()));
        out
    } else {
        format!("{sign}{}", fixed_from_digits(digits, exp + 1))
    }
}

/// Go's `strconv.Quote`: a double-quoted Go string literal.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if go_is_print(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and ASCII space.
pub fn go_is_print(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    if c == ' ' {
        return true;
    }
    !matches!(
        get_general_category(c),
        G::Control
            | G::Format
            | G::Surrogate
            | G::PrivateUse
            | G::Unassigned
            | G::SpaceSeparator
            | G::LineSeparator
            | G::ParagraphSeparator
    )
}

/// Go's `unicode.IsLetter`.
pub fn go_is_letter(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(
        get_general_category(c),
        G::UppercaseLetter | G::LowercaseLetter | G::TitlecaseLetter | G::ModifierLetter | G::OtherLetter
    )
}

/// Go's `unicode.IsDigit`.
pub fn go_is_digit(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    get_general_category(c) == G::DecimalNumber
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_go_does() {
        assert_eq!(format_float_g(1000000.0), "1e+06");
        assert_eq!(format_float_g(100000.0), "100000");
        assert_eq!(format_float_g(1234567.0), "1.234567e+06");
        assert_eq!(format_float_g(1.5), "1.5");
        assert_eq!(format_float_g(0.0001), "0.0001");
        assert_eq!(format_float_g(0.00001), "1e-05");
        assert_eq!(format_float_g(-2.0), "-2");
        assert_eq!(format_float_g(125.0), "125");
        assert_eq!(format_float_json(1e21).unwrap(), "1e+21");
        assert_eq!(format_float_json(1e20).unwrap(), "100000000000000000000");
        assert_eq!(format_float_json(1.5e-7).unwrap(), "1.5e-7");
        assert_eq!(format_float_json(0.000001).unwrap(), "0.000001");
        assert_eq!(format_float_g_prec(3.14159, 3), "3.14");
        assert_eq!(format_float_prec(1.0, 'e', 2), "1.00e+00");
    }

    #[test]
    fn quote_matches_go() {
        assert_eq!(go_quote("a\"b\n\té"), "\"a\\\"b\\n\\té\"");
        assert_eq!(go_quote("\u{1}"), "\"\\x01\"");
        assert_eq!(go_quote("😀"), "\"😀\"");
    }
}
