//! A values file read as Helm reads it (sigs.k8s.io/yaml): YAML 1.1 through JSON, so
//! numbers are float64 and map keys are strings; with Helm's error wording. build.rs
//! compiles this file too, to store the embedded chart's defaults already read, so it
//! uses only `crate::yaml` and `crate::template::value`.

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
    // Byte by byte while the text is ASCII (rendered manifests mostly are); from the
    // first other byte, a char boundary since all before it are ASCII, char by char.
    let ascii_ok = |b: &u8| matches!(b, b'\t' | b'\n' | b'\r' | b' '..=b'~');
    // Whole text first, without an early exit, which the compiler vectorizes.
    if src.bytes().fold(true, |ok, b| ok & ascii_ok(&b)) {
        return false;
    }
    match src.bytes().position(|b| !ascii_ok(&b)) {
        None => false,
        Some(i) if src.as_bytes()[i] < 0x80 => true,
        Some(i) => src[i..].chars().any(|c| {
            !(matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
                || c >= '\u{10000}')
        }),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The ASCII fast path answers as the plain check over chars, wherever the first
    /// non-ASCII character and the offending one sit.
    #[test]
    fn control_characters_as_go_yaml_refuses_them() {
        let by_chars = |s: &str| {
            s.chars().any(|c| {
                !(matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
                    || c >= '\u{10000}')
            })
        };
        let pieces = ["a", " ", "\t", "\n", "\r", "\u{7f}", "\u{1}", "é", "\u{85}", "\u{9f}", "\u{a0}", "\u{feff}", "\u{fffe}", "😀", "\u{2028}"];
        let mut rng = crate::values::generate::Rng::new(11);
        for _ in 0..5000 {
            let s: String = (0..rng.below(6)).map(|_| pieces[rng.below(pieces.len())]).collect();
            assert_eq!(has_control_characters(&s), by_chars(&s), "{s:?}");
        }
        assert!(has_control_characters("a\u{7f}") && !has_control_characters("a: é\n"));
    }
}
