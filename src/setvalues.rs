//! Helm's `--set` and `--set-string` syntax (`a.b=c,list={x,y},arr[0].k=v`, `\` escapes),
//! parsed into the same spanned YAML tree as a values file, with spans into the argument,
//! so every check runs on command-line values too. `--set` types values as Helm does:
//! true/false are booleans, null is null, an integer without a leading zero is an
//! integer, everything else a string; `--set-string` keeps everything a string.

use crate::yaml::{Entry, Kind, Node, Scalar, ScalarValue, Span, Style};

/// Why an argument does not parse, at a byte offset of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SetError {
    pub message: String,
    pub offset: usize,
}

enum Segment {
    Key(String, Span),
    Index(usize, Span),
}

/// One `--set` argument as a map tree.
pub fn parse(arg: &str, strings: bool) -> Result<Node, SetError> {
    let mut root = Node { kind: Kind::Map(Vec::new()), span: Span { start: 0, end: arg.len() } };
    let bytes = arg.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        let (path, after_key) = parse_key(arg, pos)?;
        let (value, after_value) = parse_value(arg, after_key + 1, strings)?;
        insert(&mut root, &path, value, arg)?;
        pos = after_value;
        match bytes.get(pos) {
            None => {}
            Some(b',') => pos += 1,
            Some(_) => return Err(SetError { message: "expected `,` after the value".into(), offset: pos }),
        }
    }
    Ok(root)
}

/// Reads `a.b[0].c` up to `=`; returns the segments and the offset of `=`.
fn parse_key(arg: &str, start: usize) -> Result<(Vec<Segment>, usize), SetError> {
    let bytes = arg.as_bytes();
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut seg_start = start;
    let mut i = start;
    loop {
        let Some(&b) = bytes.get(i) else {
            return Err(SetError {
                message: format!("key {:?} has no value: write key=value", &arg[start..]),
                offset: start,
            });
        };
        match b {
            b'\\' if i + 1 < bytes.len() => {
                let c = arg[i + 1..].chars().next().unwrap();
                current.push(c);
                i += 1 + c.len_utf8();
            }
            b'.' | b'=' | b'[' => {
                if !current.is_empty() {
                    segments.push(Segment::Key(std::mem::take(&mut current), Span { start: seg_start, end: i }));
                } else if b != b'[' && !matches!(segments.last(), Some(Segment::Index(..))) {
                    return Err(SetError { message: "empty key name".into(), offset: i });
                }
                if b == b'=' {
                    if segments.is_empty() {
                        return Err(SetError { message: "empty key name".into(), offset: i });
                    }
                    return Ok((segments, i));
                }
                if b == b'[' {
                    let close = arg[i..]
                        .find(']')
                        .map(|c| i + c)
                        .ok_or(SetError { message: "unclosed [".into(), offset: i })?;
                    let index: usize = arg[i + 1..close].parse().map_err(|_| SetError {
                        message: format!("list index {:?} is not a number", &arg[i + 1..close]),
                        offset: i + 1,
                    })?;
                    if index > 65_536 {
                        return Err(SetError { message: format!("list index {index} is too large"), offset: i + 1 });
                    }
                    segments.push(Segment::Index(index, Span { start: i, end: close + 1 }));
                    i = close + 1;
                    if bytes.get(i) == Some(&b'.') {
                        i += 1;
                    }
                } else {
                    i += 1;
                }
                seg_start = i;
            }
            b',' => return Err(SetError { message: "key has no value: write key=value".into(), offset: i }),
            _ => {
                let c = arg[i..].chars().next().unwrap();
                current.push(c);
                i += c.len_utf8();
            }
        }
    }
}

fn scalar(text: String, span: Span, strings: bool) -> Node {
    let value = if strings {
        ScalarValue::Str
    } else {
        match text.as_str() {
            "true" => ScalarValue::Bool(true),
            "false" => ScalarValue::Bool(false),
            "null" => ScalarValue::Null,
            t if !(t.len() > 1 && t.starts_with('0')) && !t.starts_with('+') => {
                t.parse::<i64>().map_or(ScalarValue::Str, ScalarValue::Int)
            }
            _ => ScalarValue::Str,
        }
    };
    let style = if strings { Style::DoubleQuoted } else { Style::Plain };
    Node { kind: Kind::Scalar(Scalar { text, style, tag: None, value }), span }
}

/// Reads a value from `start` to the next unescaped `,` (or a `{a,b}` list).
fn parse_value(arg: &str, start: usize, strings: bool) -> Result<(Node, usize), SetError> {
    let bytes = arg.as_bytes();
    if bytes.get(start) == Some(&b'{') {
        let mut items = Vec::new();
        let mut i = start + 1;
        let mut current = String::new();
        let mut item_start = i;
        loop {
            match bytes.get(i) {
                None => return Err(SetError { message: "list value has no closing }".into(), offset: start }),
                Some(b'\\') if i + 1 < bytes.len() => {
                    let c = arg[i + 1..].chars().next().unwrap();
                    current.push(c);
                    i += 1 + c.len_utf8();
                }
                Some(b @ (b',' | b'}')) => {
                    if !(current.is_empty() && *b == b'}' && items.is_empty()) {
                        items.push(scalar(std::mem::take(&mut current), Span { start: item_start, end: i }, strings));
                    }
                    i += 1;
                    item_start = i;
                    if *b == b'}' {
                        let node = Node { kind: Kind::Seq(items), span: Span { start, end: i } };
                        return Ok((node, i));
                    }
                }
                Some(_) => {
                    let c = arg[i..].chars().next().unwrap();
                    current.push(c);
                    i += c.len_utf8();
                }
            }
        }
    }
    let mut i = start;
    let mut text = String::new();
    while let Some(&b) = bytes.get(i) {
        match b {
            b',' => break,
            b'\\' if i + 1 < bytes.len() => {
                let c = arg[i + 1..].chars().next().unwrap();
                text.push(c);
                i += 1 + c.len_utf8();
            }
            _ => {
                let c = arg[i..].chars().next().unwrap();
                text.push(c);
                i += c.len_utf8();
            }
        }
    }
    Ok((scalar(text, Span { start, end: i }, strings), i))
}

fn key_node(key: &str, span: Span) -> Node {
    Node {
        kind: Kind::Scalar(Scalar { text: key.to_owned(), style: Style::Plain, tag: None, value: ScalarValue::Str }),
        span,
    }
}

fn empty_like(next: Option<&Segment>, span: Span) -> Node {
    match next {
        Some(Segment::Index(..)) => Node { kind: Kind::Seq(Vec::new()), span },
        _ => Node { kind: Kind::Map(Vec::new()), span },
    }
}

fn insert(node: &mut Node, path: &[Segment], value: Node, arg: &str) -> Result<(), SetError> {
    let (first, rest) = path.split_first().expect("a key has at least one segment");
    let child: &mut Node = match (first, &mut node.kind) {
        (Segment::Key(key, span), Kind::Map(entries)) => {
            let index = match entries.iter().position(|e| e.key.key_text() == *key) {
                Some(index) => index,
                None => {
                    entries.push(Entry { key: key_node(key, *span), value: empty_like(rest.first(), *span) });
                    entries.len() - 1
                }
            };
            if rest.is_empty() {
                entries[index].value = value;
                return Ok(());
            }
            &mut entries[index].value
        }
        (Segment::Index(index, span), Kind::Seq(items)) => {
            while items.len() <= *index {
                items.push(scalar("null".into(), *span, false));
            }
            if rest.is_empty() {
                items[*index] = value;
                return Ok(());
            }
            if !matches!(items[*index].kind, Kind::Map(_) | Kind::Seq(_)) {
                items[*index] = empty_like(rest.first(), *span);
            }
            &mut items[*index]
        }
        (Segment::Key(_, span) | Segment::Index(_, span), _) => {
            return Err(SetError {
                message: format!("{:?} is set both as a value and as a map or list", &arg[..span.end]),
                offset: span.start,
            });
        }
    };
    if !matches!(child.kind, Kind::Map(_) | Kind::Seq(_)) {
        *child = empty_like(rest.first(), child.span);
    }
    insert(child, rest, value, arg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(arg: &str) -> serde_json::Value {
        parse(arg, false).unwrap().to_json()
    }

    #[test]
    fn helm_set_syntax() {
        assert_eq!(set("a.b=c,d=1"), json!({"a": {"b": "c"}, "d": 1}));
        assert_eq!(set("a={x,y}"), json!({"a": ["x", "y"]}));
        assert_eq!(set("a[1].b=true"), json!({"a": [null, {"b": true}]}));
        assert_eq!(set("a\\.b=c\\,d"), json!({"a.b": "c,d"}));
        assert_eq!(set("tag=012,f=1.5,n=null"), json!({"tag": "012", "f": "1.5", "n": null}));
        assert_eq!(parse("a=1", true).unwrap().to_json(), json!({"a": "1"}));
        assert!(parse("a", false).is_err());
        assert!(parse("=x", false).is_err());
        assert!(parse("a[x]=1", false).is_err());
        // Found by the fuzzer: text straight after a {list} used to split a character.
        assert!(parse("a={x,y}\u{fffd}d=1", false).is_err());
    }

    #[test]
    fn spans_point_into_the_argument() {
        let arg = "global.osmoImageTag=<insert>";
        let root = parse(arg, false).unwrap();
        let tag = root.get("global").unwrap().get("osmoImageTag").unwrap();
        assert_eq!(&arg[tag.span.start..tag.span.end], "<insert>");
    }
}
