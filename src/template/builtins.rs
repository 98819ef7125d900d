//! Go's built-in template functions, as one static table: `and`, `or`, `not`, `len`,
//! `index`, `slice`, `print`, `printf`, `println`, `html`, `js`, `urlquery`, `call`
//! and the comparisons, with Go's semantics and messages.

use super::exec::Exec;
use super::fmt::{sprint, sprintf, sprintln};
use super::value::{format_v, Value};
use super::{FnResult, Func, Ty};

const ANY: Option<Ty> = Some(Ty::Any);

pub static BUILTINS: &[Func] = &[
    // `and` and `or` are evaluated lazily by the executor; these bodies only run when
    // they are given no arguments to decide on.
    Func {
        name: "and",
        params: &[Ty::Any],
        variadic: ANY,
        call: |_, a| Ok(a.into_iter().last().unwrap_or(Value::Nil)),
    },
    Func { name: "or", params: &[Ty::Any], variadic: ANY, call: |_, a| Ok(a.into_iter().last().unwrap_or(Value::Nil)) },
    Func { name: "not", params: &[Ty::Any], variadic: None, call: |_, a| Ok(Value::Bool(!a[0].truthy())) },
    Func { name: "len", params: &[Ty::Any], variadic: None, call: len },
    Func { name: "index", params: &[Ty::Any], variadic: ANY, call: index },
    Func { name: "slice", params: &[Ty::Any], variadic: ANY, call: slice },
    Func { name: "print", params: &[], variadic: ANY, call: |_, a| Ok(Value::str(sprint(&a))) },
    Func { name: "printf", params: &[Ty::Str], variadic: ANY, call: printf },
    Func { name: "println", params: &[], variadic: ANY, call: |_, a| Ok(Value::str(sprintln(&a))) },
    Func { name: "html", params: &[], variadic: ANY, call: |_, a| Ok(Value::str(html_escape(&eval_args(&a)))) },
    Func { name: "js", params: &[], variadic: ANY, call: |_, a| Ok(Value::str(js_escape(&eval_args(&a)))) },
    Func { name: "urlquery", params: &[], variadic: ANY, call: |_, a| Ok(Value::str(query_escape(&eval_args(&a)))) },
    Func {
        name: "call",
        params: &[Ty::Any],
        variadic: ANY,
        call: |_, a| Err(format!("non-function {} of type {}", format_v(&a[0]), a[0].type_name()).into()),
    },
    Func { name: "eq", params: &[Ty::Any], variadic: ANY, call: eq },
    Func {
        name: "ne",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        call: |_, a| Ok(Value::Bool(!equal(&a[0], &a[1])?)),
    },
    Func { name: "lt", params: &[Ty::Any, Ty::Any], variadic: None, call: |_, a| Ok(Value::Bool(less(&a[0], &a[1])?)) },
    Func {
        name: "le",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        call: |_, a| Ok(Value::Bool(less(&a[0], &a[1])? || equal(&a[0], &a[1])?)),
    },
    Func {
        name: "gt",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        call: |_, a| Ok(Value::Bool(!less(&a[0], &a[1])? && !equal(&a[0], &a[1])?)),
    },
    Func {
        name: "ge",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        call: |_, a| Ok(Value::Bool(!less(&a[0], &a[1])?)),
    },
];

fn printf(_: &mut Exec, a: Vec<Value>) -> FnResult {
    let format = a[0].as_str().unwrap_or_default().to_string();
    Ok(Value::str(sprintf(&format, &a[1..])))
}

/// Go's `evalArgs`: one string argument as it is, anything else through `fmt.Sprint`.
fn eval_args(a: &[Value]) -> String {
    if let [Value::Str(s)] = a {
        return s.to_string();
    }
    sprint(a)
}

fn len(_: &mut Exec, a: Vec<Value>) -> FnResult {
    match &a[0] {
        Value::Str(s) => Ok(Value::Int(s.len() as i64)),
        Value::List(l) => Ok(Value::Int(l.len() as i64)),
        Value::Map(m) => Ok(Value::Int(m.borrow().len() as i64)),
        Value::Nil => Err("len of nil pointer".into()),
        v => Err(format!("len of type {}", v.type_name()).into()),
    }
}

fn index_of(v: &Value, len: usize) -> Result<usize, String> {
    let i = match v {
        Value::Int(i) => *i,
        Value::Nil => return Err("cannot index slice/array with nil".into()),
        v => return Err(format!("cannot index slice/array with type {}", v.type_name())),
    };
    if i < 0 || i as usize >= len {
        return Err(format!("index out of range: {i}"));
    }
    Ok(i as usize)
}

fn index(_: &mut Exec, a: Vec<Value>) -> FnResult {
    let mut item = a[0].clone();
    for key in &a[1..] {
        item = match &item {
            Value::List(l) => l[index_of(key, l.len())?].clone(),
            Value::Str(s) => {
                let i = index_of(key, s.len())?;
                Value::Int(s.as_bytes()[i] as i64)
            }
            Value::Map(m) => match key {
                Value::Str(k) => m.borrow().get(k.as_ref()).cloned().unwrap_or(Value::Nil),
                Value::Nil => Value::Nil,
                k => return Err(format!("value has type {}; should be string", k.type_name()).into()),
            },
            Value::Nil => return Err("index of untyped nil".into()),
            v => return Err(format!("can't index item of type {}", v.type_name()).into()),
        };
    }
    Ok(item)
}

fn slice(_: &mut Exec, a: Vec<Value>) -> FnResult {
    let item = &a[0];
    let len = match item {
        Value::List(l) => l.len(),
        Value::Str(s) => s.len(),
        Value::Nil => return Err("slice of untyped nil".into()),
        v => return Err(format!("can't slice item of type {}", v.type_name()).into()),
    };
    if a.len() > 4 || (matches!(item, Value::Str(_)) && a.len() > 3) {
        return Err(format!("too many slice indexes: {}", a.len() - 1).into());
    }
    let mut idx = [0usize, len, len];
    for (i, v) in a[1..].iter().enumerate() {
        let n = match v {
            Value::Int(n) => *n,
            v => return Err(format!("cannot index slice/array with type {}", v.type_name()).into()),
        };
        if n < 0 || n as usize > len {
            return Err(format!("index out of range: {n}").into());
        }
        idx[i] = n as usize;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]).into());
    }
    match item {
        Value::List(l) => Ok(Value::list(l[idx[0]..idx[1]].to_vec())),
        Value::Str(s) => match s.get(idx[0]..idx[1]) {
            Some(sub) => Ok(Value::str(sub)),
            None => Ok(Value::str(String::from_utf8_lossy(&s.as_bytes()[idx[0]..idx[1]]).as_ref())),
        },
        _ => unreachable!(),
    }
}

#[derive(PartialEq, Clone, Copy, Debug)]
enum BasicKind {
    Bool,
    Int,
    Float,
    Str,
    Other,
    Invalid,
}

fn basic_kind(v: &Value) -> BasicKind {
    match v {
        Value::Nil => BasicKind::Invalid,
        Value::Bool(_) => BasicKind::Bool,
        Value::Int(_) => BasicKind::Int,
        Value::Float(_) => BasicKind::Float,
        Value::Str(_) => BasicKind::Str,
        _ => BasicKind::Other,
    }
}

/// Go's `eq` for two values.
pub fn equal(a: &Value, b: &Value) -> Result<bool, String> {
    let (ka, kb) = (basic_kind(a), basic_kind(b));
    if ka != kb {
        if ka != BasicKind::Invalid && kb != BasicKind::Invalid {
            return Err(format!("incompatible types for comparison: {} and {}", a.type_name(), b.type_name()));
        }
        return Ok(false);
    }
    Ok(match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Nil, Value::Nil) => true,
        (Value::List(_), _) | (Value::Map(_), _) => {
            return Err(format!("non-comparable type {}: {}", format_v(a), a.type_name()))
        }
        (Value::Object(x), Value::Object(y)) => std::rc::Rc::ptr_eq(x, y),
        _ => false,
    })
}

fn eq(_: &mut Exec, a: Vec<Value>) -> FnResult {
    if a.len() < 2 {
        return Err("missing argument for comparison".into());
    }
    for b in &a[1..] {
        if equal(&a[0], b)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

/// Go's `lt`.
pub fn less(a: &Value, b: &Value) -> Result<bool, String> {
    let (ka, kb) = (basic_kind(a), basic_kind(b));
    if matches!(ka, BasicKind::Other | BasicKind::Bool | BasicKind::Invalid)
        || matches!(kb, BasicKind::Other | BasicKind::Bool | BasicKind::Invalid)
    {
        return Err("invalid type for comparison".into());
    }
    if ka != kb {
        return Err(format!("incompatible types for comparison: {} and {}", a.type_name(), b.type_name()));
    }
    Ok(match (a, b) {
        (Value::Int(x), Value::Int(y)) => x < y,
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::Str(x), Value::Str(y)) => x < y,
        _ => false,
    })
}

/// Go's `template.HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if !c.is_ascii() && !super::value::go_is_print(c) => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{:04X}", u));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
