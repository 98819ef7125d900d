//! Helm's template functions: Sprig's (strings, lists, dicts, defaults, math, regex,
//! encodings, semver, type conversion) and Helm's own (`toYaml`, `fromYaml`, `toJson`,
//! ..., `include`, `tpl`, `required`, `fail`, `lookup`), as static tables. The functions
//! that depend on the render (`include`, `tpl`) reach the render through the executor.

use super::encoding;
use super::json;
use super::semver;
use super::to_yaml::to_yaml;
use crate::template::exec::Exec;
use crate::template::fmt::sprintf;
use crate::template::value::{format_v, go_quote, Map, Value};
use crate::template::{FnError, FnResult, Func, Templates, Ty};

const ANY: Option<Ty> = Some(Ty::Any);
type A = Vec<Value>;

fn s(v: impl Into<std::rc::Rc<str>>) -> FnResult {
    Ok(Value::Str(v.into()))
}

fn b(v: bool) -> FnResult {
    Ok(Value::Bool(v))
}

fn i(v: i64) -> FnResult {
    Ok(Value::Int(v))
}

fn f(v: f64) -> FnResult {
    Ok(Value::Float(v))
}

fn string_list(items: Vec<String>) -> Value {
    Value::list(items.into_iter().map(Value::str).collect())
}

/// The string argument at `n` (already type-checked by the executor).
fn arg_str(a: &A, n: usize) -> &str {
    a[n].as_str().unwrap_or_default()
}

fn arg_int(a: &A, n: usize) -> i64 {
    match a[n] {
        Value::Int(i) => i,
        _ => 0,
    }
}

/// Sprig's `strval`: how a value becomes a string.
pub fn strval(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        v => format_v(v),
    }
}

/// Sprig's `strslice`: a list as strings, nils dropped; anything else as one string.
fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(items) => items.iter().filter(|x| !x.is_nil()).map(strval).collect(),
        Value::Nil => Vec::new(),
        v => vec![strval(v)],
    }
}

/// cast.ToInt64E, ignoring errors as Sprig does.
pub fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Float(f) => {
            if f.is_nan() {
                i64::MIN
            } else {
                *f as i64
            }
        }
        Value::Bool(b) => i64::from(*b),
        Value::Str(s) => {
            let t = trim_zero_decimal(s);
            crate::template::parse::parse_go_int(&t).unwrap_or(0)
        }
        _ => 0,
    }
}

fn trim_zero_decimal(s: &str) -> String {
    if let Some((int, frac)) = s.split_once('.') {
        if !int.is_empty() && !frac.is_empty() && frac.bytes().all(|b| b == b'0') {
            return int.to_string();
        }
    }
    s.to_string()
}

/// cast.ToFloat64E, ignoring errors.
pub fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Str(s) => s.parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

fn list_of(v: &Value, what: &str) -> Result<std::rc::Rc<Vec<Value>>, FnError> {
    match v {
        Value::List(l) => Ok(l.clone()),
        Value::Nil => Err(FnError::Msg("runtime error: invalid memory address or nil pointer dereference".into())),
        v => Err(FnError::Msg(format!("Cannot {what} on type {}", v.kind_name()))),
    }
}

fn map_of(v: &Value) -> Result<std::rc::Rc<std::cell::RefCell<Map>>, FnError> {
    match v {
        Value::Map(m) => Ok(m.clone()),
        _ => Err(FnError::Msg("assignment to entry in nil map".into())),
    }
}

fn regex(pattern: &str) -> Result<regex::Regex, FnError> {
    regex::Regex::new(pattern).map_err(|e| FnError::Msg(format!("error parsing regexp: {e}")))
}

/// Go's `strings.Title`: upper-cases the first letter of each word.
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_sep = true;
    for c in s.chars() {
        if prev_sep && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_sep = !(c.is_alphanumeric() || c == '_' || c == '\'');
    }
    out
}

fn untitle(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_space = true;
    for c in s.chars() {
        if prev_space && c.is_alphabetic() {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
        prev_space = c.is_whitespace();
    }
    out
}

/// Splits words the way xstrings does for case conversions.
fn words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev_lower = chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit();
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev_lower || (chars[i - 1].is_uppercase() && next_lower) {
                words.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// mergo's "empty" for map values: nil, false, 0, "" and empty collections.
fn is_empty(v: &Value) -> bool {
    !v.truthy() && !matches!(v, Value::Object(_))
}

/// mergo.Merge of maps: fills what `dst` lacks (or holds empty) from `src`, merging
/// nested maps in place; with `overwrite`, `src` wins.
fn merge_into(dst: &std::cell::RefCell<Map>, src: &Map, overwrite: bool, depth: usize) {
    if depth > 1000 {
        return;
    }
    for (k, sv) in src {
        if sv.is_nil() {
            if overwrite {
                dst.borrow_mut().insert(k.clone(), Value::Nil);
            }
            continue;
        }
        let dv = dst.borrow().get(k).cloned();
        if let (Some(Value::Map(dm)), Value::Map(sm)) = (&dv, sv) {
            if !std::rc::Rc::ptr_eq(dm, sm) {
                let sm = sm.borrow().clone();
                merge_into(dm, &sm, overwrite, depth + 1);
            }
            if !dm.borrow().is_empty() {
                continue;
            }
        }
        let set = match &dv {
            None => true,
            Some(d) => overwrite || is_empty(d),
        };
        if set {
            dst.borrow_mut().insert(k.clone(), sv.clone());
        }
    }
}

fn merge(_: &mut Exec, a: A, overwrite: bool) -> FnResult {
    let dst = match &a[0] {
        Value::Map(m) => m.clone(),
        Value::Nil => std::rc::Rc::new(std::cell::RefCell::new(Map::new())),
        _ => unreachable!(),
    };
    for src in &a[1..] {
        if let Value::Map(sm) = src {
            if std::rc::Rc::ptr_eq(sm, &dst) {
                continue;
            }
            let sm = sm.borrow().clone();
            merge_into(&dst, &sm, overwrite, 0);
        }
    }
    Ok(Value::Map(dst))
}

fn yaml_text_to_value(src: &str) -> Result<Value, String> {
    super::values::yaml_to_value(src)
}

fn from_yaml(_: &mut Exec, a: A) -> FnResult {
    let mut m = Map::new();
    match yaml_text_to_value(arg_str(&a, 0)) {
        Ok(Value::Map(v)) => return Ok(Value::Map(v)),
        Ok(Value::Nil) => {}
        Ok(other) => {
            let what = if matches!(other, Value::List(_)) { "array" } else { "string" };
            m.insert(
                "Error".into(),
                Value::str(format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {what} into Go value of type map[string]interface {{}}"
                )),
            );
        }
        Err(e) => {
            m.insert("Error".into(), Value::str(e));
        }
    }
    Ok(Value::map(m))
}

fn from_yaml_array(_: &mut Exec, a: A) -> FnResult {
    match yaml_text_to_value(arg_str(&a, 0)) {
        Ok(Value::List(l)) => Ok(Value::List(l)),
        Ok(Value::Nil) => Ok(Value::list(vec![])),
        Ok(other) => {
            let what = if matches!(other, Value::Map(_)) { "object" } else { "string" };
            Ok(Value::list(vec![Value::str(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {what} into Go value of type []interface {{}}"
            ))]))
        }
        Err(e) => Ok(Value::list(vec![Value::str(e)])),
    }
}

/// Go's JSON name of a value's type, for unmarshal errors.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::List(_) => "array",
        Value::Map(_) => "object",
        Value::Str(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    }
}

fn from_json_fn(_: &mut Exec, a: A) -> FnResult {
    match json::from_json(arg_str(&a, 0)) {
        Ok(Value::Map(m)) => Ok(Value::Map(m)),
        Ok(Value::Nil) => Ok(Value::empty_map()),
        Ok(other) => {
            let mut m = Map::new();
            m.insert(
                "Error".into(),
                Value::str(format!(
                    "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                    json_kind(&other)
                )),
            );
            Ok(Value::map(m))
        }
        Err(e) => {
            let mut m = Map::new();
            m.insert("Error".into(), Value::str(e));
            Ok(Value::map(m))
        }
    }
}

fn from_json_array(_: &mut Exec, a: A) -> FnResult {
    match json::from_json(arg_str(&a, 0)) {
        Ok(Value::List(l)) => Ok(Value::List(l)),
        Ok(Value::Nil) => Ok(Value::list(vec![])),
        Ok(other) => Ok(Value::list(vec![Value::str(format!(
            "json: cannot unmarshal {} into Go value of type []interface {{}}",
            json_kind(&other)
        ))])),
        Err(e) => Ok(Value::list(vec![Value::str(e)])),
    }
}

fn required(_: &mut Exec, a: A) -> FnResult {
    let empty = match &a[1] {
        Value::Nil => true,
        Value::Str(s) => s.is_empty(),
        _ => false,
    };
    if empty {
        // Helm passes the message through errors.Errorf: `%` verbs are formatted.
        return Err(FnError::User(sprintf(arg_str(&a, 0), &[])));
    }
    Ok(a[1].clone())
}

/// The Helm version a render imitates, which the render keeps in the executor's host.
fn helm_major(e: &Exec) -> super::HelmMajor {
    e.host.as_ref().and_then(|h| h.downcast_ref::<super::HelmMajor>()).copied().unwrap_or_default()
}

fn include(e: &mut Exec, a: A) -> FnResult {
    let name = arg_str(&a, 0).to_string();
    let count = e.include_counts.get(&name).copied().unwrap_or(0);
    if count > 1000 {
        return Err(FnError::Msg(format!(
            "rendering template has a nested reference name: {name}: unable to execute template"
        )));
    }
    if !e.templates.contains(&name) {
        return Err(FnError::Msg(format!(
            "template: no template {} associated with template \"gotpl\"",
            go_quote(&name)
        )));
    }
    e.include_counts.insert(name.clone(), count + 1);
    let result = e.execute(&name, a[1].clone());
    if let Some(c) = e.include_counts.get_mut(&name) {
        *c -= 1;
    }
    match result {
        Ok(out) => s(out),
        Err(err) => Err(FnError::Template(None, Box::new(err))),
    }
}

fn tpl(e: &mut Exec, a: A) -> FnResult {
    let text = arg_str(&a, 0).to_string();
    let mut set: Templates = e.templates.clone();
    if let Err(err) = set.add_file("gotpl", &text, e.funcs) {
        return Err(FnError::Msg(format!("cannot parse template {}: {err}", go_quote(&text))));
    }
    let mut sub = Exec::new(&set, e.funcs, e.limits);
    sub.include_counts = std::mem::take(&mut e.include_counts);
    sub.host = e.host.clone();
    sub.range_over_int = e.range_over_int;
    let result = sub.execute("gotpl", a[1].clone());
    e.include_counts = std::mem::take(&mut sub.include_counts);
    match result {
        Ok(out) => s(out.replace("<no value>", "")),
        Err(err) => Err(FnError::Template(
            Some(format!("error during tpl function execution for {}", go_quote(&text))),
            Box::new(err),
        )),
    }
}

fn until_step(start: i64, stop: i64, step: i64) -> Vec<Value> {
    let mut v = Vec::new();
    if step == 0 {
        return v;
    }
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        v.push(Value::Int(i));
        i += step;
        if v.len() >= 1_000_000 {
            break;
        }
    }
    v
}

fn dig(a: A) -> FnResult {
    let n = a.len();
    if n < 3 {
        return Err(FnError::Msg(format!("dig needs at least three arguments")));
    }
    let dict = a[n - 1].clone();
    let default = a[n - 2].clone();
    let mut cur = dict;
    for key in &a[..n - 2] {
        let k = strval(key);
        let next = match &cur {
            Value::Map(m) => m.borrow().get(&k).cloned(),
            _ => None,
        };
        match next {
            Some(v) => cur = v,
            None => return Ok(default),
        }
    }
    Ok(cur)
}

fn round(v: f64, places: i64) -> f64 {
    let p = 10f64.powi(places as i32);
    let x = v * p;
    let r = if x >= 0.0 { (x + 0.5).floor() } else { (x - 0.5).ceil() };
    r / p
}

fn semver_compare(a: A) -> FnResult {
    let v = semver::Version::parse(arg_str(&a, 1)).map_err(FnError::Msg)?;
    semver::satisfies(arg_str(&a, 0), &v).map(Value::Bool).map_err(FnError::Msg)
}

fn rand_string(n: i64, alphabet: &[u8]) -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let mut x = SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64) | 1;
    (0..n.clamp(0, 1 << 20))
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            alphabet[(x % alphabet.len() as u64) as usize] as char
        })
        .collect()
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn kind_is(kind: &str, v: &Value) -> bool {
    v.kind_name() == kind
}

pub static SPRIG: &[Func] = &[
    // Strings.
    Func { name: "upper", params: &[Ty::Str], variadic: None, call: |_, a| s(arg_str(&a, 0).to_uppercase()) },
    Func { name: "lower", params: &[Ty::Str], variadic: None, call: |_, a| s(arg_str(&a, 0).to_lowercase()) },
    Func { name: "title", params: &[Ty::Str], variadic: None, call: |_, a| s(title(arg_str(&a, 0))) },
    Func { name: "untitle", params: &[Ty::Str], variadic: None, call: |_, a| s(untitle(arg_str(&a, 0))) },
    Func { name: "trim", params: &[Ty::Str], variadic: None, call: |_, a| s(arg_str(&a, 0).trim()) },
    Func {
        name: "trimAll",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| {
            let cut: Vec<char> = arg_str(&a, 0).chars().collect();
            s(arg_str(&a, 1).trim_matches(|c| cut.contains(&c)))
        },
    },
    Func {
        name: "trimall",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| {
            let cut: Vec<char> = arg_str(&a, 0).chars().collect();
            s(arg_str(&a, 1).trim_matches(|c| cut.contains(&c)))
        },
    },
    Func {
        name: "trimPrefix",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| s(arg_str(&a, 1).strip_prefix(arg_str(&a, 0)).unwrap_or(arg_str(&a, 1))),
    },
    Func {
        name: "trimSuffix",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| s(arg_str(&a, 1).strip_suffix(arg_str(&a, 0)).unwrap_or(arg_str(&a, 1))),
    },
    Func {
        name: "trunc",
        params: &[Ty::Int, Ty::Str],
        variadic: None,
        call: |_, a| {
            let (c, st) = (arg_int(&a, 0), arg_str(&a, 1));
            let bytes = st.as_bytes();
            let out = if c < 0 && (bytes.len() as i64) + c > 0 {
                &bytes[(bytes.len() as i64 + c) as usize..]
            } else if c >= 0 && bytes.len() as i64 > c {
                &bytes[..c as usize]
            } else {
                bytes
            };
            s(String::from_utf8_lossy(out).as_ref())
        },
    },
    Func {
        name: "substr",
        params: &[Ty::Int, Ty::Int, Ty::Str],
        variadic: None,
        call: |_, a| {
            let (start, end, st) = (arg_int(&a, 0), arg_int(&a, 1), arg_str(&a, 2).as_bytes());
            let len = st.len() as i64;
            let (lo, hi) = if start < 0 {
                (0, end)
            } else if end < 0 || end > len {
                (start, len)
            } else {
                (start, end)
            };
            if lo < 0 || hi < lo || hi > len {
                return Err(format!("runtime error: slice bounds out of range [{lo}:{hi}]").into());
            }
            s(String::from_utf8_lossy(&st[lo as usize..hi as usize]).as_ref())
        },
    },
    Func {
        name: "repeat",
        params: &[Ty::Int, Ty::Str],
        variadic: None,
        call: |_, a| {
            let n = arg_int(&a, 0);
            if n < 0 {
                return Err("strings: negative Repeat count".into());
            }
            if (n as u128) * (arg_str(&a, 1).len() as u128) > (64 << 20) {
                return Err("strings: Repeat output length overflow".into());
            }
            s(arg_str(&a, 1).repeat(n as usize))
        },
    },
    Func {
        name: "replace",
        params: &[Ty::Str, Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| s(arg_str(&a, 2).replace(arg_str(&a, 0), arg_str(&a, 1))),
    },
    Func {
        name: "contains",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| b(arg_str(&a, 1).contains(arg_str(&a, 0))),
    },
    Func {
        name: "hasPrefix",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| b(arg_str(&a, 1).starts_with(arg_str(&a, 0))),
    },
    Func {
        name: "hasSuffix",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| b(arg_str(&a, 1).ends_with(arg_str(&a, 0))),
    },
    Func {
        name: "quote",
        params: &[],
        variadic: ANY,
        call: |_, a| {
            let parts: Vec<String> = a.iter().filter(|v| !v.is_nil()).map(|v| go_quote(&strval(v))).collect();
            s(parts.join(" "))
        },
    },
    Func {
        name: "squote",
        params: &[],
        variadic: ANY,
        call: |_, a| {
            let parts: Vec<String> = a.iter().filter(|v| !v.is_nil()).map(|v| format!("'{}'", strval(v))).collect();
            s(parts.join(" "))
        },
    },
    Func {
        name: "cat",
        params: &[],
        variadic: ANY,
        call: |_, a| {
            let parts: Vec<String> = a.iter().filter(|v| !v.is_nil()).map(format_v).collect();
            s(parts.join(" "))
        },
    },
    Func {
        name: "indent",
        params: &[Ty::Int, Ty::Str],
        variadic: None,
        call: |_, a| {
            let pad = " ".repeat(arg_int(&a, 0).clamp(0, 1 << 16) as usize);
            s(format!("{pad}{}", arg_str(&a, 1).replace('\n', &format!("\n{pad}"))))
        },
    },
    Func {
        name: "nindent",
        params: &[Ty::Int, Ty::Str],
        variadic: None,
        call: |_, a| {
            let pad = " ".repeat(arg_int(&a, 0).clamp(0, 1 << 16) as usize);
            s(format!("\n{pad}{}", arg_str(&a, 1).replace('\n', &format!("\n{pad}"))))
        },
    },
    Func {
        name: "nospace",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| s(arg_str(&a, 0).chars().filter(|c| !c.is_whitespace()).collect::<String>()),
    },
    Func {
        name: "abbrev",
        params: &[Ty::Int, Ty::Str],
        variadic: None,
        call: |_, a| {
            let (w, st) = (arg_int(&a, 0), arg_str(&a, 1));
            if w < 4 || st.chars().count() as i64 <= w {
                return s(st);
            }
            s(format!("{}...", st.chars().take((w - 3) as usize).collect::<String>()))
        },
    },
    Func {
        name: "initials",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| s(arg_str(&a, 0).split_whitespace().filter_map(|w| w.chars().next()).collect::<String>()),
    },
    Func {
        name: "camelcase",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| s(arg_str(&a, 0).split('_').map(|w| title(&w.to_lowercase())).collect::<String>()),
    },
    Func {
        name: "snakecase",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| s(words(arg_str(&a, 0)).iter().map(|w| w.to_lowercase()).collect::<Vec<_>>().join("_")),
    },
    Func {
        name: "kebabcase",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| s(words(arg_str(&a, 0)).iter().map(|w| w.to_lowercase()).collect::<Vec<_>>().join("-")),
    },
    Func {
        name: "swapcase",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| {
            s(arg_str(&a, 0)
                .chars()
                .flat_map(|c| {
                    if c.is_uppercase() {
                        c.to_lowercase().collect::<Vec<_>>()
                    } else {
                        c.to_uppercase().collect()
                    }
                })
                .collect::<String>())
        },
    },
    Func {
        name: "plural",
        params: &[Ty::Str, Ty::Str, Ty::Int],
        variadic: None,
        call: |_, a| s(if arg_int(&a, 2) == 1 { arg_str(&a, 0) } else { arg_str(&a, 1) }),
    },
    Func {
        name: "split",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| {
            let m: Map = arg_str(&a, 1)
                .split(arg_str(&a, 0))
                .enumerate()
                .map(|(i, p)| (format!("_{i}"), Value::str(p)))
                .collect();
            Ok(Value::map(m))
        },
    },
    Func {
        name: "splitn",
        params: &[Ty::Str, Ty::Int, Ty::Str],
        variadic: None,
        call: |_, a| {
            let n = arg_int(&a, 1);
            let parts: Vec<&str> = if n < 0 {
                arg_str(&a, 2).split(arg_str(&a, 0)).collect()
            } else {
                arg_str(&a, 2).splitn(n as usize, arg_str(&a, 0)).collect()
            };
            Ok(Value::map(parts.iter().enumerate().map(|(i, p)| (format!("_{i}"), Value::str(*p))).collect()))
        },
    },
    Func {
        name: "splitList",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| Ok(string_list(arg_str(&a, 1).split(arg_str(&a, 0)).map(String::from).collect())),
    },
    Func {
        name: "join",
        params: &[Ty::Str, Ty::Any],
        variadic: None,
        call: |_, a| s(strslice(&a[1]).join(arg_str(&a, 0))),
    },
    Func { name: "toString", params: &[Ty::Any], variadic: None, call: |_, a| s(strval(&a[0])) },
    Func { name: "toStrings", params: &[Ty::Any], variadic: None, call: |_, a| Ok(string_list(strslice(&a[0]))) },
    Func {
        name: "sortAlpha",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| {
            let mut l = match &a[0] {
                Value::List(_) => strslice(&a[0]),
                v => vec![strval(v)],
            };
            l.sort();
            Ok(string_list(l))
        },
    },
    Func {
        name: "wrap",
        params: &[Ty::Int, Ty::Str],
        variadic: None,
        call: |_, a| s(wrap(arg_str(&a, 1), arg_int(&a, 0), "\n")),
    },
    Func {
        name: "wrapWith",
        params: &[Ty::Int, Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| s(wrap(arg_str(&a, 2), arg_int(&a, 0), arg_str(&a, 1))),
    },
    // Regular expressions.
    Func {
        name: "regexMatch",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| b(regex::Regex::new(arg_str(&a, 0)).is_ok_and(|r| r.is_match(arg_str(&a, 1)))),
    },
    Func {
        name: "mustRegexMatch",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| b(regex(arg_str(&a, 0))?.is_match(arg_str(&a, 1))),
    },
    Func {
        name: "regexFind",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| s(regex(arg_str(&a, 0))?.find(arg_str(&a, 1)).map_or("", |m| m.as_str())),
    },
    Func {
        name: "regexFindAll",
        params: &[Ty::Str, Ty::Str, Ty::Int],
        variadic: None,
        call: |_, a| {
            let n = arg_int(&a, 2);
            let r = regex(arg_str(&a, 0))?;
            let it = r.find_iter(arg_str(&a, 1)).map(|m| m.as_str().to_string());
            Ok(string_list(if n < 0 { it.collect() } else { it.take(n as usize).collect() }))
        },
    },
    Func {
        name: "regexReplaceAll",
        params: &[Ty::Str, Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| s(regex(arg_str(&a, 0))?.replace_all(arg_str(&a, 1), arg_str(&a, 2)).as_ref()),
    },
    Func {
        name: "regexReplaceAllLiteral",
        params: &[Ty::Str, Ty::Str, Ty::Str],
        variadic: None,
        call: |_, a| s(regex(arg_str(&a, 0))?.replace_all(arg_str(&a, 1), regex::NoExpand(arg_str(&a, 2))).as_ref()),
    },
    Func {
        name: "regexSplit",
        params: &[Ty::Str, Ty::Str, Ty::Int],
        variadic: None,
        call: |_, a| {
            let n = arg_int(&a, 2);
            let r = regex(arg_str(&a, 0))?;
            let parts: Vec<String> = if n < 0 {
                r.split(arg_str(&a, 1)).map(String::from).collect()
            } else {
                r.splitn(arg_str(&a, 1), n as usize).map(String::from).collect()
            };
            Ok(string_list(parts))
        },
    },
    Func { name: "regexQuoteMeta", params: &[Ty::Str], variadic: None, call: |_, a| s(regex::escape(arg_str(&a, 0))) },
    // Encodings and digests.
    Func {
        name: "b64enc",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| s(encoding::b64_encode(arg_str(&a, 0).as_bytes())),
    },
    Func {
        name: "b64dec",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| match encoding::b64_decode(arg_str(&a, 0)) {
            Ok(bytes) => s(String::from_utf8_lossy(&bytes).as_ref()),
            Err(e) => s(e),
        },
    },
    Func {
        name: "b32enc",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| s(encoding::b32_encode(arg_str(&a, 0).as_bytes())),
    },
    Func {
        name: "b32dec",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| match encoding::b32_decode(arg_str(&a, 0)) {
            Ok(bytes) => s(String::from_utf8_lossy(&bytes).as_ref()),
            Err(e) => s(e),
        },
    },
    Func {
        name: "sha256sum",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| s(encoding::sha256_hex(arg_str(&a, 0).as_bytes())),
    },
    Func {
        name: "sha1sum",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| s(encoding::sha1_hex(arg_str(&a, 0).as_bytes())),
    },
    Func {
        name: "adler32sum",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| s(encoding::adler32(arg_str(&a, 0).as_bytes()).to_string()),
    },
    // Defaults and flow.
    Func {
        name: "default",
        params: &[Ty::Any],
        variadic: ANY,
        call: |_, a| {
            Ok(match a.get(1) {
                Some(g) if g.truthy() => g.clone(),
                _ => a[0].clone(),
            })
        },
    },
    Func { name: "empty", params: &[Ty::Any], variadic: None, call: |_, a| b(is_empty(&a[0])) },
    Func {
        name: "coalesce",
        params: &[],
        variadic: ANY,
        call: |_, a| Ok(a.into_iter().find(|v| !is_empty(v)).unwrap_or(Value::Nil)),
    },
    Func { name: "all", params: &[], variadic: ANY, call: |_, a| b(a.iter().all(|v| !is_empty(v))) },
    Func { name: "any", params: &[], variadic: ANY, call: |_, a| b(a.iter().any(|v| !is_empty(v))) },
    Func {
        name: "ternary",
        params: &[Ty::Any, Ty::Any, Ty::Bool],
        variadic: None,
        call: |_, a| Ok(if matches!(a[2], Value::Bool(true)) { a[0].clone() } else { a[1].clone() }),
    },
    Func {
        name: "fail",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| Err(FnError::User(arg_str(&a, 0).to_string())),
    },
    // Lists.
    Func { name: "list", params: &[], variadic: ANY, call: |_, a| Ok(Value::list(a)) },
    Func { name: "tuple", params: &[], variadic: ANY, call: |_, a| Ok(Value::list(a)) },
    Func {
        name: "first",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| Ok(list_of(&a[0], "find first")?.first().cloned().unwrap_or(Value::Nil)),
    },
    Func {
        name: "mustFirst",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| Ok(list_of(&a[0], "find first")?.first().cloned().unwrap_or(Value::Nil)),
    },
    Func {
        name: "last",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| Ok(list_of(&a[0], "find last")?.last().cloned().unwrap_or(Value::Nil)),
    },
    Func {
        name: "mustLast",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| Ok(list_of(&a[0], "find last")?.last().cloned().unwrap_or(Value::Nil)),
    },
    Func {
        name: "rest",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| {
            let l = list_of(&a[0], "find rest")?;
            Ok(Value::list(l.get(1..).unwrap_or_default().to_vec()))
        },
    },
    Func {
        name: "initial",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| {
            let l = list_of(&a[0], "find initial")?;
            Ok(Value::list(l.get(..l.len().saturating_sub(1)).unwrap_or_default().to_vec()))
        },
    },
    Func {
        name: "append",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        call: |_, a| {
            let mut l = list_of(&a[0], "push")?.as_ref().clone();
            l.push(a[1].clone());
            Ok(Value::list(l))
        },
    },
    Func {
        name: "push",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        call: |_, a| {
            let mut l = list_of(&a[0], "push")?.as_ref().clone();
            l.push(a[1].clone());
            Ok(Value::list(l))
        },
    },
    Func {
        name: "mustAppend",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        call: |_, a| {
            let mut l = list_of(&a[0], "push")?.as_ref().clone();
            l.push(a[1].clone());
            Ok(Value::list(l))
        },
    },
    Func {
        name: "prepend",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        call: |_, a| {
            let mut l = vec![a[1].clone()];
            l.extend(list_of(&a[0], "prepend")?.iter().cloned());
            Ok(Value::list(l))
        },
    },
    Func {
        name: "concat",
        params: &[],
        variadic: ANY,
        call: |_, a| {
            let mut out = Vec::new();
            for l in &a {
                out.extend(list_of(l, "concat type")?.iter().cloned());
            }
            Ok(Value::list(out))
        },
    },
    Func {
        name: "reverse",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| {
            let mut l = list_of(&a[0], "find reverse")?.as_ref().clone();
            l.reverse();
            Ok(Value::list(l))
        },
    },
    Func {
        name: "uniq",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| {
            let mut out: Vec<Value> = Vec::new();
            for v in list_of(&a[0], "find uniq")?.iter() {
                if !out.iter().any(|x| x.deep_equal(v)) {
                    out.push(v.clone());
                }
            }
            Ok(Value::list(out))
        },
    },
    Func {
        name: "without",
        params: &[Ty::Any],
        variadic: ANY,
        call: |_, a| {
            let l = list_of(&a[0], "find without")?;
            Ok(Value::list(l.iter().filter(|v| !a[1..].iter().any(|o| o.deep_equal(v))).cloned().collect()))
        },
    },
    Func {
        name: "has",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        call: |_, a| match &a[1] {
            Value::Nil => b(false),
            Value::List(l) => b(l.iter().any(|v| v.deep_equal(&a[0]))),
            v => Err(format!("Cannot find has on type {}", v.kind_name()).into()),
        },
    },
    Func {
        name: "compact",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| Ok(Value::list(list_of(&a[0], "compact")?.iter().filter(|v| !is_empty(v)).cloned().collect())),
    },
    Func {
        name: "slice",
        params: &[Ty::Any],
        variadic: ANY,
        call: |_, a| {
            let l = list_of(&a[0], "slice")?;
            let lo = a.get(1).map_or(0, to_int64).max(0) as usize;
            let hi = a.get(2).map_or(l.len() as i64, to_int64).max(0) as usize;
            if lo > hi || hi > l.len() {
                return Err(format!("runtime error: slice bounds out of range [{lo}:{hi}]").into());
            }
            Ok(Value::list(l[lo..hi].to_vec()))
        },
    },
    Func {
        name: "until",
        params: &[Ty::Int],
        variadic: None,
        call: |_, a| {
            let n = arg_int(&a, 0);
            Ok(Value::list(until_step(0, n, if n < 0 { -1 } else { 1 })))
        },
    },
    Func {
        name: "untilStep",
        params: &[Ty::Int, Ty::Int, Ty::Int],
        variadic: None,
        call: |_, a| Ok(Value::list(until_step(arg_int(&a, 0), arg_int(&a, 1), arg_int(&a, 2)))),
    },
    Func {
        name: "seq",
        params: &[],
        variadic: Some(Ty::Int),
        call: |_, a| {
            let n: Vec<i64> = a.iter().map(to_int64).collect();
            let (start, end, step) = match n.as_slice() {
                [] => return s(""),
                [e] => (1, *e, if *e >= 1 { 1 } else { -1 }),
                [st, e] => (*st, *e, if e >= st { 1 } else { -1 }),
                [st, stp, e] => (*st, *e, *stp),
                _ => return Err("seq: too many arguments".into()),
            };
            let stop = if step > 0 { end + 1 } else { end - 1 };
            let items: Vec<String> = until_step(start, stop, step).iter().map(format_v).collect();
            s(items.join(" "))
        },
    },
    Func {
        name: "chunk",
        params: &[Ty::Int, Ty::Any],
        variadic: None,
        call: |_, a| {
            let size = arg_int(&a, 0).max(1) as usize;
            let l = list_of(&a[1], "chunk")?;
            Ok(Value::list(l.chunks(size).map(|c| Value::list(c.to_vec())).collect()))
        },
    },
    // Dicts.
    Func {
        name: "dict",
        params: &[],
        variadic: ANY,
        call: |_, a| {
            let mut m = Map::new();
            for pair in a.chunks(2) {
                m.insert(strval(&pair[0]), pair.get(1).cloned().unwrap_or_else(|| Value::str("")));
            }
            Ok(Value::map(m))
        },
    },
    Func {
        name: "get",
        params: &[Ty::Map, Ty::Str],
        variadic: None,
        call: |_, a| match &a[0] {
            Value::Map(m) => Ok(m.borrow().get(arg_str(&a, 1)).cloned().unwrap_or_else(|| Value::str(""))),
            _ => s(""),
        },
    },
    Func {
        name: "set",
        params: &[Ty::Map, Ty::Str, Ty::Any],
        variadic: None,
        call: |_, a| {
            let m = map_of(&a[0])?;
            m.borrow_mut().insert(arg_str(&a, 1).to_string(), a[2].clone());
            Ok(Value::Map(m))
        },
    },
    Func {
        name: "unset",
        params: &[Ty::Map, Ty::Str],
        variadic: None,
        call: |_, a| {
            if let Value::Map(m) = &a[0] {
                m.borrow_mut().remove(arg_str(&a, 1));
            }
            Ok(a[0].clone())
        },
    },
    Func {
        name: "hasKey",
        params: &[Ty::Map, Ty::Str],
        variadic: None,
        call: |_, a| match &a[0] {
            Value::Map(m) => b(m.borrow().contains_key(arg_str(&a, 1))),
            _ => b(false),
        },
    },
    Func {
        name: "keys",
        params: &[],
        variadic: Some(Ty::Map),
        call: |_, a| {
            let mut keys = Vec::new();
            for d in &a {
                if let Value::Map(m) = d {
                    keys.extend(m.borrow().keys().cloned());
                }
            }
            Ok(string_list(keys))
        },
    },
    Func {
        name: "values",
        params: &[Ty::Map],
        variadic: None,
        call: |_, a| match &a[0] {
            Value::Map(m) => Ok(Value::list(m.borrow().values().cloned().collect())),
            _ => Ok(Value::list(vec![])),
        },
    },
    Func {
        name: "pick",
        params: &[Ty::Map],
        variadic: Some(Ty::Str),
        call: |_, a| {
            let mut out = Map::new();
            if let Value::Map(m) = &a[0] {
                for k in &a[1..] {
                    if let Some(v) = m.borrow().get(k.as_str().unwrap_or_default()) {
                        out.insert(strval(k), v.clone());
                    }
                }
            }
            Ok(Value::map(out))
        },
    },
    Func {
        name: "omit",
        params: &[Ty::Map],
        variadic: Some(Ty::Str),
        call: |_, a| {
            let mut out = Map::new();
            if let Value::Map(m) = &a[0] {
                for (k, v) in m.borrow().iter() {
                    if !a[1..].iter().any(|o| o.as_str() == Some(k)) {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            Ok(Value::map(out))
        },
    },
    Func {
        name: "pluck",
        params: &[Ty::Str],
        variadic: Some(Ty::Map),
        call: |_, a| {
            let mut out = Vec::new();
            for d in &a[1..] {
                if let Value::Map(m) = d {
                    if let Some(v) = m.borrow().get(arg_str(&a, 0)) {
                        out.push(v.clone());
                    }
                }
            }
            Ok(Value::list(out))
        },
    },
    Func { name: "dig", params: &[], variadic: ANY, call: |_, a| dig(a) },
    Func { name: "merge", params: &[Ty::Map], variadic: Some(Ty::Map), call: |e, a| merge(e, a, false) },
    Func { name: "mustMerge", params: &[Ty::Map], variadic: Some(Ty::Map), call: |e, a| merge(e, a, false) },
    Func { name: "mergeOverwrite", params: &[Ty::Map], variadic: Some(Ty::Map), call: |e, a| merge(e, a, true) },
    Func { name: "mustMergeOverwrite", params: &[Ty::Map], variadic: Some(Ty::Map), call: |e, a| merge(e, a, true) },
    Func { name: "deepCopy", params: &[Ty::Any], variadic: None, call: |_, a| Ok(a[0].deep_copy()) },
    Func { name: "mustDeepCopy", params: &[Ty::Any], variadic: None, call: |_, a| Ok(a[0].deep_copy()) },
    // Math.
    Func {
        name: "add",
        params: &[],
        variadic: ANY,
        call: |_, a| i(a.iter().map(to_int64).fold(0i64, i64::wrapping_add)),
    },
    Func { name: "add1", params: &[Ty::Any], variadic: None, call: |_, a| i(to_int64(&a[0]).wrapping_add(1)) },
    Func {
        name: "sub",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        call: |_, a| i(to_int64(&a[0]).wrapping_sub(to_int64(&a[1]))),
    },
    Func {
        name: "mul",
        params: &[Ty::Any],
        variadic: ANY,
        call: |_, a| i(a.iter().map(to_int64).fold(1i64, i64::wrapping_mul)),
    },
    Func {
        name: "div",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        call: |_, a| {
            let d = to_int64(&a[1]);
            if d == 0 {
                return Err("runtime error: integer divide by zero".into());
            }
            i(to_int64(&a[0]).wrapping_div(d))
        },
    },
    Func {
        name: "mod",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        call: |_, a| {
            let d = to_int64(&a[1]);
            if d == 0 {
                return Err("runtime error: integer divide by zero".into());
            }
            i(to_int64(&a[0]).wrapping_rem(d))
        },
    },
    Func { name: "max", params: &[Ty::Any], variadic: ANY, call: |_, a| i(a.iter().map(to_int64).max().unwrap_or(0)) },
    Func {
        name: "biggest",
        params: &[Ty::Any],
        variadic: ANY,
        call: |_, a| i(a.iter().map(to_int64).max().unwrap_or(0)),
    },
    Func { name: "min", params: &[Ty::Any], variadic: ANY, call: |_, a| i(a.iter().map(to_int64).min().unwrap_or(0)) },
    Func { name: "floor", params: &[Ty::Any], variadic: None, call: |_, a| f(to_float64(&a[0]).floor()) },
    Func { name: "ceil", params: &[Ty::Any], variadic: None, call: |_, a| f(to_float64(&a[0]).ceil()) },
    Func {
        name: "round",
        params: &[Ty::Any, Ty::Int],
        variadic: Some(Ty::Float),
        call: |_, a| f(round(to_float64(&a[0]), arg_int(&a, 1))),
    },
    Func { name: "addf", params: &[], variadic: ANY, call: |_, a| f(a.iter().map(to_float64).sum()) },
    Func { name: "add1f", params: &[Ty::Any], variadic: None, call: |_, a| f(to_float64(&a[0]) + 1.0) },
    Func {
        name: "subf",
        params: &[Ty::Any],
        variadic: ANY,
        call: |_, a| f(a[1..].iter().fold(to_float64(&a[0]), |x, y| x - to_float64(y))),
    },
    Func { name: "mulf", params: &[Ty::Any], variadic: ANY, call: |_, a| f(a.iter().map(to_float64).product()) },
    Func {
        name: "divf",
        params: &[Ty::Any],
        variadic: ANY,
        call: |_, a| f(a[1..].iter().fold(to_float64(&a[0]), |x, y| x / to_float64(y))),
    },
    Func {
        name: "maxf",
        params: &[Ty::Any],
        variadic: ANY,
        call: |_, a| f(a.iter().map(to_float64).fold(f64::NEG_INFINITY, f64::max)),
    },
    Func {
        name: "minf",
        params: &[Ty::Any],
        variadic: ANY,
        call: |_, a| f(a.iter().map(to_float64).fold(f64::INFINITY, f64::min)),
    },
    // Type conversion and inspection.
    Func { name: "int", params: &[Ty::Any], variadic: None, call: |_, a| i(to_int64(&a[0])) },
    Func { name: "int64", params: &[Ty::Any], variadic: None, call: |_, a| i(to_int64(&a[0])) },
    Func { name: "float64", params: &[Ty::Any], variadic: None, call: |_, a| f(to_float64(&a[0])) },
    Func {
        name: "atoi",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| i(arg_str(&a, 0).parse::<i64>().unwrap_or(0)),
    },
    Func {
        name: "toDecimal",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| i(i64::from_str_radix(&format_v(&a[0]), 8).unwrap_or(0)),
    },
    Func { name: "typeOf", params: &[Ty::Any], variadic: None, call: |_, a| s(a[0].type_name()) },
    Func {
        name: "typeIs",
        params: &[Ty::Str, Ty::Any],
        variadic: None,
        call: |_, a| b(a[1].type_name() == arg_str(&a, 0)),
    },
    Func {
        name: "typeIsLike",
        params: &[Ty::Str, Ty::Any],
        variadic: None,
        call: |_, a| {
            let t = a[1].type_name();
            b(t == arg_str(&a, 0) || format!("*{t}") == arg_str(&a, 0))
        },
    },
    Func { name: "kindOf", params: &[Ty::Any], variadic: None, call: |_, a| s(a[0].kind_name()) },
    Func {
        name: "kindIs",
        params: &[Ty::Str, Ty::Any],
        variadic: None,
        call: |_, a| b(kind_is(arg_str(&a, 0), &a[1])),
    },
    Func { name: "deepEqual", params: &[Ty::Any, Ty::Any], variadic: None, call: |_, a| b(a[0].deep_equal(&a[1])) },
    // Semantic versions.
    Func { name: "semverCompare", params: &[Ty::Str, Ty::Str], variadic: None, call: |_, a| semver_compare(a) },
    Func {
        name: "semver",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| {
            let v = semver::Version::parse(arg_str(&a, 0)).map_err(FnError::Msg)?;
            let mut m = Map::new();
            m.insert("Major".into(), Value::Int(v.major as i64));
            m.insert("Minor".into(), Value::Int(v.minor as i64));
            m.insert("Patch".into(), Value::Int(v.patch as i64));
            m.insert("Prerelease".into(), Value::str(v.pre.as_str()));
            m.insert("Metadata".into(), Value::str(v.meta.as_str()));
            m.insert("Original".into(), Value::str(v.original.as_str()));
            Ok(Value::map(m))
        },
    },
    // Paths.
    Func { name: "base", params: &[Ty::Str], variadic: None, call: |_, a| s(path_base(arg_str(&a, 0))) },
    Func { name: "dir", params: &[Ty::Str], variadic: None, call: |_, a| s(path_dir(arg_str(&a, 0))) },
    Func {
        name: "ext",
        params: &[Ty::Str],
        variadic: None,
        call: |_, a| {
            let base = path_base(arg_str(&a, 0));
            s(base.rfind('.').map_or(String::new(), |i| base[i..].to_string()))
        },
    },
    Func { name: "clean", params: &[Ty::Str], variadic: None, call: |_, a| s(path_clean(arg_str(&a, 0))) },
    Func { name: "isAbs", params: &[Ty::Str], variadic: None, call: |_, a| b(arg_str(&a, 0).starts_with('/')) },
    // Random values (need not match Helm's).
    Func {
        name: "randAlphaNum",
        params: &[Ty::Int],
        variadic: None,
        call: |_, a| s(rand_string(arg_int(&a, 0), ALNUM)),
    },
    Func {
        name: "randAlpha",
        params: &[Ty::Int],
        variadic: None,
        call: |_, a| s(rand_string(arg_int(&a, 0), &ALNUM[..52])),
    },
    Func {
        name: "randNumeric",
        params: &[Ty::Int],
        variadic: None,
        call: |_, a| s(rand_string(arg_int(&a, 0), &ALNUM[52..])),
    },
    Func { name: "randAscii", params: &[Ty::Int], variadic: None, call: |_, a| s(rand_string(arg_int(&a, 0), ALNUM)) },
    Func {
        name: "uuidv4",
        params: &[],
        variadic: None,
        call: |_, _| {
            let h = rand_string(32, b"0123456789abcdef");
            s(format!("{}-{}-4{}-a{}-{}", &h[..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32]))
        },
    },
];

fn wrap(text: &str, width: i64, sep: &str) -> String {
    let width = width.max(1) as usize;
    let mut out = String::new();
    let mut line = 0usize;
    for (n, word) in text.split(' ').enumerate() {
        if n > 0 {
            if line + 1 + word.chars().count() > width && line > 0 {
                out.push_str(sep);
                line = 0;
            } else {
                out.push(' ');
                line += 1;
            }
        }
        out.push_str(word);
        line += word.chars().count();
    }
    out
}

fn path_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

fn path_base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

fn path_dir(p: &str) -> String {
    let dir = match p.rfind('/') {
        Some(i) => &p[..=i],
        None => "",
    };
    path_clean(dir)
}

/// Helm's own functions, over Sprig's.
pub static HELM: &[Func] = &[
    Func {
        name: "toYaml",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| s(to_yaml(&a[0]).map(|y| y.strip_suffix('\n').unwrap_or(&y).to_string()).unwrap_or_default()),
    },
    Func {
        name: "mustToYaml",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| to_yaml(&a[0]).map(|y| Value::str(y.strip_suffix('\n').unwrap_or(&y))).map_err(FnError::Msg),
    },
    Func {
        name: "toYamlPretty",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| {
            let y = super::to_yaml::to_yaml_pretty(&a[0]);
            s(y.strip_suffix('\n').unwrap_or(&y))
        },
    },
    Func {
        name: "toToml",
        params: &[Ty::Any],
        variadic: None,
        // Helm 3 bundles the older encoder, which writes floats differently.
        call: |e, a| match super::toml::to_toml(&a[0], helm_major(e) == super::HelmMajor::V3) {
            Ok(t) | Err(super::toml::TomlError::Encoder(t)) => s(t),
            Err(super::toml::TomlError::Panic(m)) => Err(FnError::Msg(m)),
        },
    },
    Func { name: "fromYaml", params: &[Ty::Str], variadic: None, call: from_yaml },
    Func { name: "fromYamlArray", params: &[Ty::Str], variadic: None, call: from_yaml_array },
    Func {
        name: "toJson",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| s(json::to_json(&a[0], true, None).unwrap_or_default()),
    },
    Func {
        name: "mustToJson",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| json::to_json(&a[0], true, None).map(Value::str).map_err(FnError::Msg),
    },
    Func {
        name: "toPrettyJson",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| s(json::to_json(&a[0], true, Some("  ")).unwrap_or_default()),
    },
    Func {
        name: "toRawJson",
        params: &[Ty::Any],
        variadic: None,
        call: |_, a| s(json::to_json(&a[0], false, None).unwrap_or_default()),
    },
    Func { name: "fromJson", params: &[Ty::Str], variadic: None, call: from_json_fn },
    Func { name: "fromJsonArray", params: &[Ty::Str], variadic: None, call: from_json_array },
    Func { name: "include", params: &[Ty::Str, Ty::Any], variadic: None, call: include },
    Func { name: "tpl", params: &[Ty::Str, Ty::Map], variadic: None, call: tpl },
    Func { name: "required", params: &[Ty::Str, Ty::Any], variadic: None, call: required },
    Func {
        name: "lookup",
        params: &[Ty::Str, Ty::Str, Ty::Str, Ty::Str],
        variadic: None,
        call: |_, _| Ok(Value::empty_map()),
    },
];

/// Every function a chart can call: Go's builtins, Sprig's, then Helm's.
pub fn table() -> crate::template::FuncTable {
    crate::template::FuncTable::new(&[crate::template::builtins::BUILTINS, SPRIG, super::dates::DATES, HELM])
}
