//! Values as Helm builds them: each `-f` file merged over the previous ones, then
//! `--set` and `--set-string` in Helm's syntax, then the result coalesced over the
//! chart's defaults (maps merge key by key, a null deletes the key), subcharts and
//! globals included.

use super::chart::Chart;
use crate::template::value::{Map, Value};

/// YAML as Helm reads it (sigs.k8s.io/yaml): through JSON, so numbers are float64 and
/// map keys become strings the way that library spells them (`yes:` is `"true"`).
pub fn yaml_to_value(src: &str) -> Result<Value, String> {
    if has_control_characters(src) {
        return Err("error converting YAML to JSON: yaml: control characters are not allowed".into());
    }
    let (node, src) = load_go_yaml(src)?;
    match node {
        None => Ok(Value::Nil),
        Some(mut n) => {
            check_escapes(&n, &src)?;
            if src.contains(['\u{2028}', '\u{2029}']) {
                go_breaks(&mut n, &src);
            }
            node_value(&n, 0)
        }
    }
}

/// Characters go-yaml's reader refuses anywhere in a stream: C0 and C1 controls other
/// than tab, LF, CR and NEL, DEL, U+FFFE and U+FFFF.
pub fn has_control_characters(src: &str) -> bool {
    src.chars().any(|c| {
        !(matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
            || c >= '\u{10000}')
    })
}

/// go-yaml reads LS and PS (U+2028, U+2029) as line breaks that stay in the text: in a
/// plain or quoted scalar the blanks around one are dropped (as around a folded line
/// break), and in a block scalar the line after one loses its indentation. The parser
/// here reads them as ordinary characters; this makes the scalars' text what go-yaml
/// reads.
fn go_breaks(node: &mut crate::yaml::Node, src: &str) {
    use crate::yaml::{Kind, Style};
    let span = node.span;
    match &mut node.kind {
        Kind::Scalar(sc) => {
            let raw = src.get(span.start..span.end).unwrap_or("");
            if !raw.contains(['\u{2028}', '\u{2029}']) {
                return;
            }
            let is_break = |c: char| c == '\u{2028}' || c == '\u{2029}';
            let mut out = String::with_capacity(sc.text.len());
            match sc.style {
                Style::Literal | Style::Folded => {
                    let indent = raw
                        .lines()
                        .skip(1)
                        .find(|l| !l.trim().is_empty())
                        .map_or(0, |l| l.len() - l.trim_start_matches(' ').len());
                    let mut strip = 0;
                    for c in sc.text.chars() {
                        if strip > 0 && c == ' ' {
                            strip -= 1;
                            continue;
                        }
                        strip = if is_break(c) { indent } else { 0 };
                        out.push(c);
                    }
                }
                _ => {
                    let mut skipping = false;
                    for c in sc.text.chars() {
                        if is_break(c) {
                            while out.ends_with([' ', '\t']) {
                                out.pop();
                            }
                            skipping = true;
                        } else if skipping && (c == ' ' || c == '\t') {
                            continue;
                        } else {
                            skipping = false;
                        }
                        out.push(c);
                    }
                }
            }
            sc.text = out;
        }
        Kind::Seq(items) => items.iter_mut().for_each(|i| go_breaks(i, src)),
        Kind::Map(entries) => entries.iter_mut().for_each(|e| {
            go_breaks(&mut e.key, src);
            go_breaks(&mut e.value, src);
        }),
    }
}

/// Parses YAML with go-yaml v2's escapes: `\'` is an escape there (not in YAML 1.2, so
/// the parser rejects it: each one it stops at is rewritten as `\x27` and the text
/// parsed again). Returns the tree and the text it was parsed from.
fn load_go_yaml(src: &str) -> Result<(Option<crate::yaml::Node>, std::borrow::Cow<'_, str>), String> {
    let mut text = std::borrow::Cow::Borrowed(src);
    for _ in 0..10_000 {
        match crate::yaml::load_one(&text) {
            Ok(node) => return Ok((node, text)),
            Err(e) => {
                // The error points at the scalar's opening quote: find its `\'`.
                let at = e.offset.min(text.len());
                let quote =
                    e.message.contains("unknown escape character").then(|| escaped_quote(&text[at..])).flatten();
                let Some(i) = quote.map(|i| at + i) else {
                    return Err(format!("error converting YAML to JSON: yaml: {e}"));
                };
                let mut owned = text.into_owned();
                owned.replace_range(i..i + 2, "\\x27");
                text = std::borrow::Cow::Owned(owned);
            }
        }
    }
    Err("error converting YAML to JSON: yaml: too many escapes".into())
}

/// The offset of the first `\\'` in the double-quoted scalar `text` starts with.
fn escaped_quote(text: &str) -> Option<usize> {
    let mut chars = text.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => match chars.next() {
                Some((_, '\'')) => return Some(i),
                Some(_) => {}
                None => return None,
            },
            _ => {}
        }
    }
    None
}

/// go-yaml v2 has no `\/` escape (YAML 1.2 added it): a double-quoted scalar with one
/// fails to load.
fn check_escapes(node: &crate::yaml::Node, src: &str) -> Result<(), String> {
    use crate::yaml::{Kind, Style};
    match &node.kind {
        Kind::Scalar(sc) if sc.style == Style::DoubleQuoted => {
            let raw = src.get(node.span.start..node.span.end).unwrap_or("");
            let mut chars = raw.char_indices();
            while let Some((i, c)) = chars.next() {
                if c == '\\' {
                    if let Some((_, '/')) = chars.next() {
                        let line = src[..node.span.start + i].matches('\n').count();
                        let at = if line == 0 { String::new() } else { format!("line {}: ", line + 1) };
                        return Err(format!("error converting YAML to JSON: yaml: {at}found unknown escape character"));
                    }
                }
            }
            Ok(())
        }
        Kind::Scalar(_) => Ok(()),
        Kind::Seq(items) => items.iter().try_for_each(|i| check_escapes(i, src)),
        Kind::Map(entries) => entries.iter().try_for_each(|e| {
            check_escapes(&e.key, src)?;
            check_escapes(&e.value, src)
        }),
    }
}

fn node_value(node: &crate::yaml::Node, depth: usize) -> Result<Value, String> {
    use crate::yaml::{Kind, ScalarValue};
    if depth > crate::yaml::MAX_DEPTH {
        return Err("error converting YAML to JSON: yaml: exceeded max depth".into());
    }
    Ok(match &node.kind {
        Kind::Scalar(sc) => match &sc.value {
            ScalarValue::Null => Value::Nil,
            ScalarValue::Bool(b) => Value::Bool(*b),
            ScalarValue::Int(i) => Value::Float(*i as f64),
            ScalarValue::Float(f) if f.is_finite() => Value::Float(*f),
            ScalarValue::Float(f) => {
                return Err(format!(
                    "error converting YAML to JSON: json: unsupported value: {}",
                    crate::template::value::format_float_g(*f)
                ))
            }
            ScalarValue::Str => Value::str(sc.text.as_str()),
        },
        Kind::Seq(items) => Value::list(items.iter().map(|i| node_value(i, depth + 1)).collect::<Result<_, _>>()?),
        Kind::Map(entries) => {
            let mut map = Map::new();
            let mut merged = Vec::new();
            for e in entries {
                if matches!(&e.key.kind, Kind::Scalar(k) if k.text == "<<" && k.style == crate::yaml::Style::Plain) {
                    merged.push(&e.value);
                    continue;
                }
                let value = node_value(&e.value, depth + 1)?;
                map.insert(key_string(&e.key, &value)?, value);
            }
            for source in merged {
                let sources: Vec<&crate::yaml::Node> = match &source.kind {
                    Kind::Seq(items) => items.iter().collect(),
                    _ => vec![source],
                };
                for src in sources {
                    if let Value::Map(m) = node_value(src, depth + 1)? {
                        for (k, v) in m.borrow().iter() {
                            map.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                    }
                }
            }
            Value::map(map)
        }
    })
}

/// How sigs.k8s.io/yaml turns a YAML map key into a JSON key.
fn key_string(key: &crate::yaml::Node, value: &Value) -> Result<String, String> {
    use crate::yaml::{Kind, ScalarValue};
    let Kind::Scalar(sc) = &key.kind else {
        return Err(format!("error converting YAML to JSON: unsupported map key: {}", key.key_text()));
    };
    Ok(match &sc.value {
        ScalarValue::Str => sc.text.clone(),
        ScalarValue::Bool(b) => b.to_string(),
        ScalarValue::Int(i) => i.to_string(),
        ScalarValue::Float(f) => {
            let s = format_float32_g(*f as f32);
            match s.as_str() {
                "+Inf" => ".inf".into(),
                "-Inf" => "-.inf".into(),
                "NaN" => ".nan".into(),
                _ => s,
            }
        }
        ScalarValue::Null => {
            let shown = match value {
                Value::Str(s) => crate::template::value::go_quote(s),
                v => crate::template::value::format_v(v),
            };
            return Err(format!(
                "error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: {shown}"
            ));
        }
    })
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`.
fn format_float32_g(f: f32) -> String {
    if !f.is_finite() {
        return crate::template::value::format_float_g(f as f64);
    }
    // The shortest float32 digits, read back as a float64 with the same digits.
    let short: f64 = format!("{f:e}").parse().unwrap_or(f as f64);
    crate::template::value::format_float_g(short)
}

/// Reads a values file: a YAML map (or nothing), numbers as float64.
pub fn parse_values(src: &str, name: &str, helm4: bool) -> Result<Map, String> {
    parse_values_file(src, name, helm4)
}

/// Reads a `-f` values file; Helm 4 (`helm4`) words the failures with one more step.
pub fn parse_values_file(src: &str, name: &str, helm4: bool) -> Result<Map, String> {
    let step = if helm4 { "cannot unmarshal yaml document: " } else { "" };
    let value = yaml_to_value(src).map_err(|e| {
        if name == "values.yaml" {
            format!("cannot load values.yaml: {step}{e}")
        } else {
            format!("failed to parse {name}: {step}{e}")
        }
    })?;
    let json_type = match value {
        Value::Nil => return Ok(Map::new()),
        Value::Map(m) => return Ok(m.borrow().clone()),
        Value::List(_) => "array",
        Value::Str(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    };
    Err(format!(
        "failed to parse {name}: {step}error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {json_type} into Go value of type map[string]interface {{}}"
    ))
}

/// Helm's `mergeMaps`: `b` over `a`, maps merged recursively.
pub fn merge_maps(a: &Map, b: &Map) -> Map {
    let mut out = a.clone();
    for (k, v) in b {
        if let (Value::Map(bm), Some(Value::Map(am))) = (v, out.get(k)) {
            let merged = merge_maps(&am.borrow(), &bm.borrow());
            out.insert(k.clone(), Value::map(merged));
            continue;
        }
        out.insert(k.clone(), v.clone());
    }
    out
}

/// Helm's `typedVal` for `--set`: booleans, null, and integers without a leading zero
/// are typed; everything else is a string.
fn typed(val: &str, string: bool) -> Value {
    if string {
        return Value::str(val);
    }
    if val.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if val.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if val.eq_ignore_ascii_case("null") {
        return Value::Nil;
    }
    if val == "0" {
        return Value::Int(0);
    }
    if !val.is_empty() && !val.starts_with('0') {
        let digits = val.strip_prefix(['-', '+']).unwrap_or(val);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(i) = val.parse::<i64>() {
                return Value::Int(i);
            }
        }
    }
    Value::str(val)
}

/// Splits at unescaped `sep` (outside `{...}` when `braces`), keeping escapes.
fn split_unescaped(s: &str, sep: char, braces: bool) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut depth = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '{' if braces => {
                depth += 1;
                cur.push(c);
            }
            '}' if braces && depth > 0 => {
                depth -= 1;
                cur.push(c);
            }
            c if c == sep && depth == 0 => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    parts.push(cur);
    parts
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One step of a `--set` key: a map key, or a list index.
enum Step {
    Key(String),
    Index(usize),
}

fn parse_path(key: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for seg in split_unescaped(key, '.', false) {
        let mut rest = seg.as_str();
        let name_end = rest.find('[').unwrap_or(rest.len());
        let name = unescape(&rest[..name_end]);
        if name.is_empty() && name_end == rest.len() {
            return Err(format!("key {key:?} has no value"));
        }
        if !name.is_empty() {
            steps.push(Step::Key(name));
        }
        rest = &rest[name_end..];
        while let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']').ok_or_else(|| format!("key {key:?} has an unterminated index"))?;
            let idx: usize = r[..close].parse().map_err(|_| format!("failed to parse key: {key}"))?;
            if idx > 65536 {
                return Err(format!("index of {idx} is greater than maximum supported index value of 65536"));
            }
            steps.push(Step::Index(idx));
            rest = &r[close + 1..];
        }
    }
    Ok(steps)
}

fn set_path(target: &mut Value, steps: &[Step], value: Value) {
    let Some((first, rest)) = steps.split_first() else {
        *target = value;
        return;
    };
    match first {
        Step::Key(k) => {
            if !matches!(target, Value::Map(_)) {
                *target = Value::empty_map();
            }
            if let Value::Map(m) = target {
                let mut child = m.borrow().get(k).cloned().unwrap_or(Value::Nil);
                if rest.is_empty() {
                    child = value;
                } else {
                    // Helm's maps are shared with their parent; rebuild then store.
                    if let Value::Map(cm) = &child {
                        let copy = cm.borrow().clone();
                        child = Value::map(copy);
                    }
                    set_path(&mut child, rest, value);
                }
                m.borrow_mut().insert(k.clone(), child);
            }
        }
        Step::Index(i) => {
            let mut list: Vec<Value> = match target {
                Value::List(l) => l.as_ref().clone(),
                _ => Vec::new(),
            };
            while list.len() <= *i {
                list.push(Value::Nil);
            }
            if rest.is_empty() {
                list[*i] = value;
            } else {
                set_path(&mut list[*i], rest, value);
            }
            *target = Value::list(list);
        }
    }
}

/// Applies one `--set` (or `--set-string`) argument to `base`.
pub fn apply_set(base: &mut Map, arg: &str, string: bool) -> Result<(), String> {
    let mut root = Value::map(base.clone());
    for assignment in split_unescaped(arg, ',', true) {
        if assignment.is_empty() {
            continue;
        }
        let parts = split_unescaped(&assignment, '=', true);
        if parts.len() < 2 {
            return Err(format!("failed parsing --set data: key {:?} has no value", unescape(&parts[0])));
        }
        let key = &parts[0];
        let raw = parts[1..].join("=");
        let value = if raw.starts_with('{') && raw.ends_with('}') && !string {
            let inner = &raw[1..raw.len() - 1];
            if inner.is_empty() {
                Value::list(vec![])
            } else {
                Value::list(split_unescaped(inner, ',', false).iter().map(|v| typed(&unescape(v), false)).collect())
            }
        } else {
            typed(&unescape(&raw), string)
        };
        let steps = parse_path(key).map_err(|e| format!("failed parsing --set data: {e}"))?;
        set_path(&mut root, &steps, value);
    }
    if let Value::Map(m) = root {
        *base = m.borrow().clone();
    }
    Ok(())
}

/// A warning Helm logs while preparing values (a map where a scalar was, or the other
/// way round; a table `import-values` names that is not there); the render goes on.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub kind: WarningKind,
    /// Helm's text, `warning: ...`.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WarningKind {
    SkippedNotTable,
    CannotOverwriteTable,
    DestinationIsTable,
    /// `import-values: [NAME]` without the child's `exports.NAME` table.
    ImportMissingExports,
    /// `import-values: [{child: PATH, ...}]` without that table in the named chart.
    ImportMissingTable {
        chart: String,
    },
}

/// A value as slog's text handler writes it: bare unless it needs quoting.
fn slog_value(v: &str) -> String {
    if v.is_empty() || v.contains(|c: char| c.is_whitespace() || c == '"' || c == '=') {
        crate::template::value::go_quote(v)
    } else {
        v.to_owned()
    }
}

impl Warning {
    /// The line as Helm prints it on stderr: Helm 4 through slog, Helm 3 through Go's
    /// log package with the caller's place in pkg/chartutil (Helm 3.17.3).
    pub fn log_line(&self, helm: super::HelmMajor) -> String {
        use crate::template::value::go_quote;
        let message = &self.message;
        match (helm, &self.kind) {
            (super::HelmMajor::V4, WarningKind::ImportMissingExports) => {
                format!("level=WARN msg=\"ImportValues missing table\" error={}", go_quote(message))
            }
            (super::HelmMajor::V4, WarningKind::ImportMissingTable { chart }) => format!(
                "level=WARN msg=\"ImportValues missing table from chart\" chart={} error={}",
                slog_value(chart),
                go_quote(message)
            ),
            (super::HelmMajor::V4, _) => format!("level=INFO msg={}", go_quote(message)),
            (super::HelmMajor::V3, WarningKind::ImportMissingExports) => {
                format!("dependencies.go:286: Warning: ImportValues missing table: {message}")
            }
            (super::HelmMajor::V3, WarningKind::ImportMissingTable { chart }) => {
                format!("dependencies.go:269: Warning: ImportValues missing table from chart {chart}: {message}")
            }
            (super::HelmMajor::V3, kind) => {
                let line = match kind {
                    WarningKind::SkippedNotTable => 237,
                    WarningKind::CannotOverwriteTable => 298,
                    _ => 301,
                };
                format!("coalesce.go:{line}: {message}")
            }
        }
    }
}

/// Helm's `coalesceTablesFullKey`: `src` (the chart's, lower precedence) under
/// `dst` (the user's). Warnings are Helm's, for keys where a map meets a scalar.
fn coalesce_tables(dst: &mut Map, src: &Map, prefix: &str, merge: bool, warnings: &mut Vec<Warning>) {
    for (k, sv) in src {
        let full = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match dst.get(k) {
            Some(Value::Nil) if !merge => {
                dst.remove(k);
            }
            None => {
                dst.insert(k.clone(), sv.deep_copy());
            }
            Some(Value::Map(dm)) => {
                if let Value::Map(sm) = sv {
                    let mut inner = dm.borrow().clone();
                    coalesce_tables(&mut inner, &sm.borrow(), &full, merge, warnings);
                    dst.insert(k.clone(), Value::map(inner));
                } else if !sv.is_nil() {
                    warnings.push(Warning {
                        kind: WarningKind::DestinationIsTable,
                        message: format!(
                            "warning: destination for {full} is a table. Ignoring non-table value ({})",
                            crate::template::value::format_v(sv)
                        ),
                    });
                }
            }
            Some(_) => {
                if matches!(sv, Value::Map(_)) {
                    warnings.push(Warning {
                        kind: WarningKind::CannotOverwriteTable,
                        message: format!(
                            "warning: cannot overwrite table with non table for {full} ({})",
                            crate::template::value::format_v(sv)
                        ),
                    });
                }
            }
        }
    }
}

/// The values a chart renders with: `user` coalesced over the chart's defaults, and
/// each subchart's section over the subchart's defaults, with globals copied down.
/// Helm's warnings go to `warnings`.
pub fn coalesce(chart: &Chart, user: &Map, warnings: &mut Vec<Warning>) -> Map {
    let mut v = user.clone();
    coalesce_values(chart, &mut v, "", false, warnings);
    coalesce_deps(chart, &mut v, "", false, warnings);
    v
}

/// Helm's `MergeValues(chart, nil)`: the chart's defaults with its subcharts' under
/// their names, as `coalesce` builds them, except that nulls stay (a null there still
/// has to delete a subchart default later).
pub fn merge_defaults(chart: &Chart, warnings: &mut Vec<Warning>) -> Map {
    let mut v = Map::new();
    coalesce_values(chart, &mut v, "", true, warnings);
    coalesce_deps(chart, &mut v, "", true, warnings);
    v
}

fn coalesce_values(chart: &Chart, v: &mut Map, prefix: &str, merge: bool, warnings: &mut Vec<Warning>) {
    let sub_prefix = if prefix.is_empty() { chart.name.clone() } else { format!("{prefix}.{}", chart.name) };
    for (k, cv) in &chart.values {
        match v.get(k) {
            Some(Value::Nil) if !merge => {
                v.remove(k);
            }
            Some(Value::Nil) => {}
            Some(Value::Map(dm)) => {
                if let Value::Map(sm) = cv {
                    let mut inner = dm.borrow().clone();
                    let merge = merge || chart.subcharts.iter().any(|s| s.name == *k);
                    coalesce_tables(&mut inner, &sm.borrow(), &format!("{sub_prefix}.{k}"), merge, warnings);
                    v.insert(k.clone(), Value::map(inner));
                } else if !cv.is_nil() {
                    warnings.push(Warning {
                        kind: WarningKind::SkippedNotTable,
                        message: format!("warning: skipped value for {sub_prefix}.{k}: Not a table."),
                    });
                }
            }
            Some(_) => {}
            None => {
                v.insert(k.clone(), cv.deep_copy());
            }
        }
    }
}

fn coalesce_deps(chart: &Chart, v: &mut Map, prefix: &str, merge: bool, warnings: &mut Vec<Warning>) {
    let sub_prefix = if prefix.is_empty() { chart.name.clone() } else { format!("{prefix}.{}", chart.name) };
    for sub in &chart.subcharts {
        let mut section = match v.get(&sub.name) {
            Some(Value::Map(m)) => m.borrow().clone(),
            _ => Map::new(),
        };
        coalesce_globals(&mut section, v, merge, warnings);
        coalesce_values(sub, &mut section, &sub_prefix, merge, warnings);
        coalesce_deps(sub, &mut section, &sub_prefix, merge, warnings);
        v.insert(sub.name.clone(), Value::map(section));
    }
}

fn coalesce_globals(dest: &mut Map, src: &Map, merge: bool, warnings: &mut Vec<Warning>) {
    let src_globals = match src.get("global") {
        Some(Value::Map(m)) => m.borrow().clone(),
        _ => Map::new(),
    };
    let mut dest_globals = match dest.get("global") {
        Some(Value::Map(m)) => m.borrow().clone(),
        _ => Map::new(),
    };
    for (k, sv) in &src_globals {
        match (dest_globals.get(k), sv) {
            (Some(Value::Map(dm)), Value::Map(sm)) => {
                let mut inner = dm.borrow().clone();
                coalesce_tables(&mut inner, &sm.borrow(), &format!("global.{k}"), merge, warnings);
                dest_globals.insert(k.clone(), Value::map(inner));
            }
            (Some(_), _) => {}
            (None, sv) => {
                dest_globals.insert(k.clone(), sv.deep_copy());
            }
        }
    }
    dest.insert("global".into(), Value::map(dest_globals));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::value::format_v;

    #[test]
    fn set_syntax() {
        let mut m = Map::new();
        apply_set(&mut m, "a.b=1,c=true,d=0012,e={x,2},f[1].g=null,h=a\\,b", false).unwrap();
        assert_eq!(format_v(&Value::map(m)), "map[a:map[b:1] c:true d:0012 e:[x 2] f:[<nil> map[g:<nil>]] h:a,b]");
        let mut m = Map::new();
        apply_set(&mut m, "a=1", true).unwrap();
        assert_eq!(format_v(&m["a"]), "1");
        assert!(matches!(m["a"], Value::Str(_)));
    }
}
