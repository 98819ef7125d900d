//! Values as Helm builds them: each `-f` file merged over the previous ones, then
//! `--set` and `--set-string` in Helm's syntax, then the result coalesced over the
//! chart's defaults (maps merge key by key, a null deletes the key), subcharts and
//! globals included.

use super::chart::Chart;
use crate::template::value::{Map, Value};

pub use super::values_file::{has_control_characters, parse_values, parse_values_file, yaml_to_value};

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
