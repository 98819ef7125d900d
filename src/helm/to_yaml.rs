//! YAML exactly as Helm's `toYaml` writes it. Helm marshals with sigs.k8s.io/yaml: the
//! value goes to JSON (so every map key is a string and every number takes its JSON
//! spelling), the JSON is read back by go-yaml v2 (so `1000000` becomes an int and
//! `1.5` a float), and go-yaml v2's emitter writes it. This module reproduces those
//! steps: the emitter's key order, scalar styles and quoting, indentation (sequences
//! are not indented under their key), and the folding of long lines at column 80.
//!
//! It also writes `toYamlPretty`, which Helm encodes with go-yaml v3 directly (no JSON
//! step): sequences indented under their key, no folding, v3's key order, and numbers
//! and times as the Go values they are.

use crate::template::parse::{parse_go_int, parse_go_uint};
use crate::template::value::{format_float_g, format_float_json, go_is_digit, go_is_letter, Value};
use std::cmp::Ordering;

/// JSON-shaped data, as go-yaml reads it back: numbers already resolved.
enum Node {
    Null,
    /// A plain scalar that is not a string (bool or number), as go-yaml writes it.
    Plain(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// `toYaml`: the YAML text with its final newline, or an error (Helm swallows it and
/// prints nothing).
pub fn to_yaml(v: &Value) -> Result<String, String> {
    let node = to_node(v, 0)?;
    Ok(emit(&node, BEST_WIDTH, false))
}

/// `toYamlPretty`: go-yaml v3's encoder with an indent of 2, with its final newline.
pub fn to_yaml_pretty(v: &Value) -> String {
    emit(&to_node_v3(v, 0), usize::MAX, true)
}

fn emit(node: &Node, width: usize, indent_sequences: bool) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
        indent: -1,
        width,
        indent_sequences,
    };
    e.node(node, Ctx { mapping: false, simple_key: false });
    e.write_indent();
    e.out
}

/// The value as go-yaml v3 sees the Go value: strings as they are, ints and floats
/// formatted by Go, times as RFC 3339 timestamps.
fn to_node_v3(v: &Value, depth: usize) -> Node {
    if depth > crate::template::value::MAX_NESTING {
        return Node::Null;
    }
    match v {
        Value::Nil => Node::Null,
        Value::Bool(b) => Node::Plain(b.to_string()),
        Value::Int(i) => Node::Plain(i.to_string()),
        Value::Float(f) => Node::Plain(match format_float_g(*f).as_str() {
            "+Inf" => ".inf".into(),
            "-Inf" => "-.inf".into(),
            "NaN" => ".nan".into(),
            s => s.to_string(),
        }),
        Value::Str(s) => Node::Str(s.to_string()),
        Value::List(items) => Node::Seq(items.iter().map(|i| to_node_v3(i, depth + 1)).collect()),
        Value::Map(m) => {
            let mut entries: Vec<(String, Node)> =
                m.borrow().iter().map(|(k, v)| (k.clone(), to_node_v3(v, depth + 1))).collect();
            entries.sort_by(|a, b| key_order_v3(&a.0, &b.0));
            Node::Map(entries)
        }
        Value::Object(_) => match super::dates::time_arg(v) {
            Some(t) => Node::Plain(super::dates::rfc3339_nano(&t)),
            None => match v.to_data() {
                Value::Object(_) => Node::Null,
                data => to_node_v3(&data, depth + 1),
            },
        },
    }
}

fn to_node(v: &Value, depth: usize) -> Result<Node, String> {
    if depth > 10_000 {
        return Err("json: unsupported value: encountered a cycle".into());
    }
    Ok(match v {
        Value::Nil => Node::Null,
        Value::Bool(b) => Node::Plain(b.to_string()),
        Value::Int(i) => Node::Plain(i.to_string()),
        Value::Float(f) => {
            let json =
                format_float_json(*f).ok_or_else(|| format!("json: unsupported value: {}", format_float_g(*f)))?;
            Node::Plain(resolve_number(&json))
        }
        Value::Str(s) => Node::Str(through_json(s)?),
        Value::List(items) => Node::Seq(items.iter().map(|i| to_node(i, depth + 1)).collect::<Result<_, _>>()?),
        Value::Map(m) => {
            let mut entries: Vec<(String, Node)> = m
                .borrow()
                .iter()
                .map(|(k, v)| Ok((through_json(k)?, to_node(v, depth + 1)?)))
                .collect::<Result<_, String>>()?;
            entries.sort_by(|a, b| key_order(&a.0, &b.0));
            Node::Map(entries)
        }
        Value::Object(o) => to_node(&o.to_data(), depth + 1)?,
    })
}

/// A string as it comes back from JSON through go-yaml: JSON leaves NEL (U+0085) raw,
/// and go-yaml reads it inside a double-quoted scalar as a line break, which folds:
/// the blanks around it go, and a lone break becomes a space (more breaks, newlines).
/// Every other character JSON either escapes or go-yaml keeps.
fn through_json(s: &str) -> Result<String, String> {
    if !s.contains('\u{85}') {
        return Ok(s.to_string());
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != ' ' && chars[i] != '\u{85}' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\u{85}') {
            i += 1;
        }
        let run = &chars[start..i];
        let breaks = run.iter().filter(|&&c| c == '\u{85}').count();
        if breaks == 0 {
            out.extend(run);
            continue;
        }
        // A line that starts right after a break with `---` or `...` and a blank is a
        // document marker: go-yaml fails, and toYaml prints nothing.
        if run.last() == Some(&'\u{85}') {
            let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
            let marker = rest.starts_with("---") || rest.starts_with("...");
            if marker && matches!(rest.chars().nth(3), Some(' ' | '\u{85}')) {
                return Err("yaml: found unexpected document indicator".into());
            }
        }
        if breaks == 1 {
            out.push(' ');
        } else {
            out.extend(std::iter::repeat_n('\n', breaks - 1));
        }
    }
    Ok(out)
}

/// How go-yaml v2 writes back a JSON number: ints as they are, everything else as a
/// float in Go's shortest `%g` form.
fn resolve_number(json: &str) -> String {
    if let Some(i) = parse_go_int(json) {
        return i.to_string();
    }
    if let Some(u) = parse_go_uint(json) {
        return u.to_string();
    }
    match json.parse::<f64>() {
        Ok(f) if f.is_infinite() => if f > 0.0 { ".inf" } else { "-.inf" }.into(),
        Ok(f) => format_float_g(f),
        Err(_) => json.into(),
    }
}

/// go-yaml v2's order of map keys: digit runs compare as numbers, and non-letters sort
/// before letters.
pub fn key_order(a: &str, b: &str) -> Ordering {
    key_order_with(a, b, false)
}

/// go-yaml v3's order: as v2's, except that after a digit a letter sorts before a
/// non-letter.
pub fn key_order_v3(a: &str, b: &str) -> Ordering {
    key_order_with(a, b, true)
}

fn key_order_with(a: &str, b: &str, v3: bool) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let n = ar.len().min(br.len());
    let mut digits = false;
    for i in 0..n {
        if ar[i] == br[i] {
            digits = go_is_digit(ar[i]);
            continue;
        }
        let al = go_is_letter(ar[i]);
        let bl = go_is_letter(br[i]);
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            let a_first = if v3 && digits { al } else { bl };
            return if a_first { Ordering::Less } else { Ordering::Greater };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && go_is_digit(ar[j - 1]) {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && go_is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add(ar[ai].to_digit(10).unwrap_or(0) as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && go_is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi].to_digit(10).unwrap_or(0) as i64);
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

/// Does go-yaml v2 read this plain text as something other than a string? Such
/// strings must be quoted.
pub fn resolves_to_non_string(s: &str) -> bool {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return true,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" | "n" | "N" | "no" | "No"
        | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => return true,
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf"
        | "-.INF" => return true,
        _ => {}
    }
    let first = s.as_bytes()[0];
    match first {
        b'.' => s.parse::<f64>().is_ok() && go_parse_float_ok(s),
        b'+' | b'-' | b'0'..=b'9' => {
            if is_timestamp(s) {
                return true;
            }
            let plain = s.replace('_', "");
            if parse_go_int(&plain).is_some() || parse_go_uint(&plain).is_some() {
                return true;
            }
            if crate::yaml::is_yaml_float(&plain) && go_parse_float_ok(&plain) {
                return true;
            }
            if let Some(rest) = plain.strip_prefix("0b").or_else(|| plain.strip_prefix("-0b")) {
                return !rest.is_empty() && rest.bytes().all(|c| c == b'0' || c == b'1');
            }
            false
        }
        _ => false,
    }
}

/// Would Go's `strconv.ParseFloat` accept it (no inf/nan words, no hex here)?
fn go_parse_float_ok(s: &str) -> bool {
    let t = s.trim_start_matches(['+', '-']);
    !t.is_empty()
        && t.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
        && s.parse::<f64>().is_ok()
}

/// go-yaml v2's timestamp forms: `2006-1-2`, optionally with a time.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let year = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if year != 4 || b.get(4) != Some(&b'-') {
        return false;
    }
    let num = |i: &mut usize, max: usize| -> Option<u32> {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max {
            *i += 1;
        }
        if *i == start {
            return None;
        }
        s[start..*i].parse().ok()
    };
    let mut i = 5;
    let Some(month) = num(&mut i, 2) else { return false };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(day) = num(&mut i, 2) else { return false };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    // A time part: [Tt ] then H:M:S[.frac][Z|±hh:mm]
    if !matches!(b[i], b'T' | b't' | b' ') {
        return false;
    }
    i += 1;
    let (Some(h), true) = (num(&mut i, 2), b.get(i) == Some(&b':')) else { return false };
    i += 1;
    let (Some(m), true) = (num(&mut i, 2), b.get(i) == Some(&b':')) else { return false };
    i += 1;
    let Some(sec) = num(&mut i, 2) else { return false };
    if h > 23 || m > 59 || sec > 59 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if i == b.len() {
        return true;
    }
    if b[i] == b'Z' && i + 1 == b.len() {
        return true;
    }
    if matches!(b[i], b'+' | b'-') {
        i += 1;
        let Some(_) = num(&mut i, 2) else { return false };
        if b.get(i) == Some(&b':') {
            i += 1;
            if num(&mut i, 2).is_none() {
                return false;
            }
        }
        return i == b.len();
    }
    false
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`: quoted for YAML 1.1 readers.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    if !b.get(i).is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 2 {
            i += 1;
        }
        let len = i - start;
        if len == 0 || (len == 2 && b[start] > b'5') {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

#[derive(Clone, Copy)]
struct Ctx {
    mapping: bool,
    simple_key: bool,
}

/// What the emitter's scalar analysis finds in a text.
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

/// go-yaml's `is_printable`: what may appear unescaped.
fn is_printable(c: char) -> bool {
    let v = c as u32;
    v == 0x0A
        || (0x20..=0x7E).contains(&v)
        || (0xA0..=0xD7FF).contains(&v)
        || ((0xE000..=0xFFFD).contains(&v) && v != 0xFEFF)
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn analyze(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let (mut flow_ind, mut block_ind) = (false, false);
    if value.starts_with("---") || value.starts_with("...") {
        flow_ind = true;
        block_ind = true;
    }
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) = (false, false, false, false);
    let (mut break_space, mut space_break, mut previous_space, mut previous_break) = (false, false, false, false);
    let (mut line_breaks, mut special) = (false, false);
    let mut preceded_by_ws = true;
    let mut chars = value.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let last = chars.peek().is_none();
        let followed_by_ws = chars.peek().is_none_or(|&next| is_blank(next));
        if first {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                    flow_ind = true;
                    block_ind = true;
                }
                '?' | ':' => {
                    flow_ind = true;
                    if followed_by_ws {
                        block_ind = true;
                    }
                }
                '-' => {
                    if followed_by_ws {
                        flow_ind = true;
                        block_ind = true;
                    }
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_ind = true,
                ':' => {
                    flow_ind = true;
                    if followed_by_ws {
                        block_ind = true;
                    }
                }
                '#' => {
                    if preceded_by_ws {
                        flow_ind = true;
                        block_ind = true;
                    }
                }
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            if first {
                leading_space = true;
            }
            if last {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if first {
                leading_break = true;
            }
            if last {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_ws = is_blank(c) || is_break(c);
        first = false;
    }
    let _ = flow_ind;
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks {
        a.block_plain_allowed = false;
    }
    if block_ind {
        a.block_plain_allowed = false;
    }
    a
}

const BEST_WIDTH: usize = 80;
const BEST_INDENT: i32 = 2;

struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    indent: i32,
    /// Where long lines fold (go-yaml v3 does not fold).
    width: usize,
    /// go-yaml v3 indents a sequence under its mapping key; v2 does not.
    indent_sequences: bool,
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        for c in ind.chars() {
            self.put(c);
        }
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn node(&mut self, node: &Node, ctx: Ctx) {
        match node {
            Node::Null => self.scalar("null", Style::Plain, ctx),
            Node::Plain(s) => self.scalar(s, Style::Plain, ctx),
            Node::Str(s) => {
                let style = if s.contains('\n') {
                    Style::Literal
                } else if !resolves_to_non_string(s) && !is_base60_float(s) {
                    Style::Plain
                } else {
                    Style::Double
                };
                self.scalar(s, style, ctx)
            }
            Node::Seq(items) if items.is_empty() => {
                self.write_indicator("[", true, true, false);
                self.write_indicator("]", false, false, false);
            }
            Node::Map(entries) if entries.is_empty() => {
                self.write_indicator("{", true, true, false);
                self.write_indicator("}", false, false, false);
            }
            Node::Seq(items) => {
                let saved = self.indent;
                self.increase_indent(false, ctx.mapping && !self.indention && !self.indent_sequences);
                for item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(item, Ctx { mapping: false, simple_key: false });
                }
                self.indent = saved;
            }
            Node::Map(entries) => {
                let saved = self.indent;
                self.increase_indent(false, false);
                for (key, value) in entries {
                    self.write_indent();
                    let simple = key.len() <= 128 && !analyze(key).multiline;
                    let key_node = Node::Str(key.clone());
                    if simple {
                        self.node(&key_node, Ctx { mapping: true, simple_key: true });
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.node(&key_node, Ctx { mapping: true, simple_key: false });
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.node(value, Ctx { mapping: true, simple_key: false });
                }
                self.indent = saved;
            }
        }
    }

    fn scalar(&mut self, value: &str, requested: Style, ctx: Ctx) {
        let a = analyze(value);
        let mut style = requested;
        if ctx.simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            if !a.block_plain_allowed {
                style = Style::Single;
            }
            if value.is_empty() && ctx.simple_key {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || ctx.simple_key) {
            style = Style::Double;
        }
        let saved = self.indent;
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(value, allow_breaks),
            Style::Single => self.write_single(value, allow_breaks),
            Style::Double => self.write_double(value, allow_breaks),
            Style::Literal => self.write_literal(value),
        }
        self.indent = saved;
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        // Only a space can fold a plain scalar.
        if !value.contains(' ') {
            self.out.push_str(value);
            self.column += value.chars().count();
            self.whitespace = false;
            self.indention = false;
            return;
        }
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks && !spaces && self.column > self.width && chars.get(i + 1) != Some(&' ') {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                self.indention = false;
                spaces = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    /// A line break inside a single-quoted or literal scalar: `\n` as a break; LS and
    /// PS written as they are (go-yaml does), and the next line indented either way.
    fn put_scalar_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
        self.indention = true;
    }

    fn write_single(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let n = chars.len();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.width
                    && i > 0
                    && i + 1 < n
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                // LS and PS (the only breaks that reach here) are written as they are,
                // and the next line is indented.
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.put_scalar_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                    breaks = false;
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let n = chars.len();
        let mut spaces = false;
        // go-yaml's BOM test looks at the start of the value, not at the character: a
        // value that starts with a BOM has every character escaped.
        let bom = value.starts_with('\u{FEFF}');
        for (i, &c) in chars.iter().enumerate() {
            if bom || !is_printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    c => {
                        let v = c as u32;
                        let hex = if v <= 0xFF {
                            format!("x{v:02X}")
                        } else if v <= 0xFFFF {
                            format!("u{v:04X}")
                        } else {
                            format!("U{v:08X}")
                        };
                        for h in hex.chars() {
                            self.put(h);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                // Byte positions decide "first" and "last" in go-yaml; for the last
                // character they agree with char positions.
                if allow_breaks && !spaces && self.column > self.width && i != 0 && i + 1 != n {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        if chars.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let chomp = match chars.len() {
            0 => Some("-"),
            n if !is_break(chars[n - 1]) => Some("-"),
            1 => Some("+"),
            n if is_break(chars[n - 2]) => Some("+"),
            _ => None,
        };
        if let Some(ch) = chomp {
            self.write_indicator(ch, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in &chars {
            if is_break(c) {
                self.put_scalar_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                    breaks = false;
                }
                self.put(c);
                self.indention = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Map;

    fn y(v: Value) -> String {
        to_yaml(&v).unwrap()
    }

    fn m(entries: &[(&str, Value)]) -> Value {
        Value::map(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<Map>())
    }

    #[test]
    fn shapes() {
        let v = m(&[
            ("b", Value::list(vec![Value::str("x"), m(&[("k", Value::Float(1e6)), ("a", Value::Nil)])])),
            ("a", Value::str("true")),
            ("c", m(&[])),
            ("d", Value::list(vec![])),
            ("e", Value::str("line1\nline2\n")),
            ("f", Value::Float(1.5)),
        ]);
        assert_eq!(
            y(v),
            "a: \"true\"\nb:\n- x\n- a: null\n  k: 1000000\nc: {}\nd: []\ne: |\n  line1\n  line2\nf: 1.5\n"
        );
    }

    #[test]
    fn quoting() {
        assert_eq!(y(Value::str("")), "\"\"\n");
        assert_eq!(y(Value::str("- a")), "'- a'\n");
        assert_eq!(y(Value::str("a: b")), "'a: b'\n");
        assert_eq!(y(Value::str("1.0")), "\"1.0\"\n");
        assert_eq!(y(Value::str("2024-01-01")), "\"2024-01-01\"\n");
        assert_eq!(y(Value::str("1:20")), "\"1:20\"\n");
        assert_eq!(y(Value::str("tab\there")), "\"tab\\there\"\n");
        assert_eq!(y(Value::str("😀")), "\"\\U0001F600\"\n");
        assert_eq!(y(Value::str("x\n")), "|\n  x\n");
        assert_eq!(y(Value::str("x")), "x\n");
    }

    #[test]
    fn natural_key_order() {
        let mut keys = vec!["b", "a10", "a9", "A", "_x", "1"];
        keys.sort_by(|a, b| key_order(a, b));
        assert_eq!(keys, ["_x", "1", "A", "a9", "a10", "b"]);
    }
}
