//! Parse trees and values as bytes. build.rs parses the embedded chart's templates and
//! reads its values.yaml when the binary is built, and stores them this way; a render
//! decodes them instead of lexing, parsing and reading the same texts again (a third of
//! a render's work). The format is private to one build: the encoders and decoders below
//! are its only definition.
//!
//! A template entry is used only when its name and text are exactly what the render
//! would parse (each entry keeps the text it was made from), and every function it calls
//! exists in the render's function table; the values only for the same values.yaml
//! text. Otherwise the text is parsed, so a stale or foreign digest costs time, never
//! output.

use super::ast::{Arg, Branch, Command, List, Node, Number, Pipe};
use super::parse::Parsed;
use super::value::{Map, Value};
use std::rc::Rc;

/// Encodes one parsed file with the names of the functions it calls.
pub fn encode_entry(out: &mut Vec<u8>, name: &str, text: &str, funcs: &[String], parsed: &Parsed) {
    let mut w = Writer(out);
    w.str(name);
    w.str(text);
    w.usize(funcs.len());
    for f in funcs {
        w.str(f);
    }
    w.usize(parsed.defines.len());
    for (name, list) in &parsed.defines {
        w.str(name);
        w.list(list);
    }
    w.list(&parsed.root);
}

/// The parse of `name` with text `text` from a digest, if the digest holds it and
/// `is_func` knows every function it calls.
pub fn lookup(digest: &[u8], name: &str, text: &str, is_func: &dyn Fn(&str) -> bool) -> Option<Parsed> {
    let mut r = Reader { bytes: digest, at: 0 };
    while r.at < digest.len() {
        let entry_len = r.usize()?;
        let entry = digest.get(r.at..r.at.checked_add(entry_len)?)?;
        r.at += entry_len;
        let mut e = Reader { bytes: entry, at: 0 };
        if !e.same_text(name)? || !e.same_text(text)? {
            continue;
        }
        for _ in 0..e.usize()? {
            if !is_func(&e.str()?) {
                return None;
            }
        }
        let mut defines = Vec::new();
        for _ in 0..e.usize()? {
            let name = e.str()?;
            defines.push((name, e.list()?));
        }
        let root = e.list()?;
        return (e.at == entry.len()).then_some(Parsed { root, defines });
    }
    None
}

/// Frames entries: each is preceded by its length, so a lookup skips the others.
pub fn push_framed(digest: &mut Vec<u8>, entry: &[u8]) {
    Writer(digest).usize(entry.len());
    digest.extend_from_slice(entry);
}

/// Encodes values read from `text`; false if they hold something the format cannot
/// (only data read from YAML can be stored).
pub fn encode_values(out: &mut Vec<u8>, text: &str, values: &Map) -> bool {
    let mut w = Writer(out);
    w.str(text);
    w.map(values)
}

/// The values read from `text`, if the digest was made from the same text.
pub fn lookup_values(digest: &[u8], text: &str) -> Option<Map> {
    let mut r = Reader { bytes: digest, at: 0 };
    if !r.same_text(text)? {
        return None;
    }
    let map = r.map()?;
    (r.at == digest.len()).then_some(map)
}

struct Writer<'a>(&'a mut Vec<u8>);

impl Writer<'_> {
    fn usize(&mut self, mut v: usize) {
        while v >= 0x80 {
            self.0.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn bool(&mut self, v: bool) {
        self.0.push(v as u8);
    }

    fn str(&mut self, s: &str) {
        self.usize(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn strs(&mut self, items: &[String]) {
        self.usize(items.len());
        for s in items {
            self.str(s);
        }
    }

    fn map(&mut self, map: &Map) -> bool {
        self.usize(map.len());
        map.iter().all(|(k, v)| {
            self.str(k);
            self.value(v)
        })
    }

    fn value(&mut self, value: &Value) -> bool {
        match value {
            Value::Nil => self.0.push(0),
            Value::Bool(b) => self.0.push(1 + *b as u8),
            Value::Int(i) => {
                self.0.push(3);
                self.u64(*i as u64);
            }
            Value::Float(f) => {
                self.0.push(4);
                self.u64(f.to_bits());
            }
            Value::Str(s) => {
                self.0.push(5);
                self.str(s);
            }
            Value::List(items) => {
                self.0.push(6);
                self.usize(items.len());
                return items.iter().all(|v| self.value(v));
            }
            Value::Map(map) => {
                self.0.push(7);
                return self.map(&map.borrow());
            }
            Value::Object(_) => return false,
        }
        true
    }

    fn list(&mut self, list: &List) {
        self.usize(list.pos);
        self.usize(list.nodes.len());
        for node in &list.nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Text { pos, text } => {
                self.0.push(0);
                self.usize(*pos);
                self.str(text);
            }
            Node::Action { pos, pipe } => {
                self.0.push(1);
                self.usize(*pos);
                self.pipe(pipe);
            }
            Node::If(b) => {
                self.0.push(2);
                self.branch(b);
            }
            Node::Range(b) => {
                self.0.push(3);
                self.branch(b);
            }
            Node::With(b) => {
                self.0.push(4);
                self.branch(b);
            }
            Node::Template { pos, name, pipe } => {
                self.0.push(5);
                self.usize(*pos);
                self.str(name);
                self.bool(pipe.is_some());
                if let Some(p) = pipe {
                    self.pipe(p);
                }
            }
            Node::Break { pos } => {
                self.0.push(6);
                self.usize(*pos);
            }
            Node::Continue { pos } => {
                self.0.push(7);
                self.usize(*pos);
            }
        }
    }

    fn branch(&mut self, b: &Branch) {
        self.usize(b.pos);
        self.pipe(&b.pipe);
        self.list(&b.list);
        self.bool(b.else_list.is_some());
        if let Some(e) = &b.else_list {
            self.list(e);
        }
    }

    fn pipe(&mut self, p: &Pipe) {
        self.usize(p.pos);
        self.bool(p.is_assign);
        self.strs(&p.decl);
        self.usize(p.cmds.len());
        for c in &p.cmds {
            self.usize(c.pos);
            self.usize(c.args.len());
            for a in &c.args {
                self.arg(a);
            }
        }
    }

    fn arg(&mut self, arg: &Arg) {
        match arg {
            Arg::Field { pos, idents } => {
                self.0.push(0);
                self.usize(*pos);
                self.strs(idents);
            }
            Arg::Chain { pos, node, fields } => {
                self.0.push(1);
                self.usize(*pos);
                self.arg(node);
                self.strs(fields);
            }
            Arg::Identifier { pos, name } => {
                self.0.push(2);
                self.usize(*pos);
                self.str(name);
            }
            Arg::Variable { pos, idents } => {
                self.0.push(3);
                self.usize(*pos);
                self.strs(idents);
            }
            Arg::Dot { pos } => {
                self.0.push(4);
                self.usize(*pos);
            }
            Arg::Nil { pos } => {
                self.0.push(5);
                self.usize(*pos);
            }
            Arg::Bool { pos, val } => {
                self.0.push(6);
                self.usize(*pos);
                self.bool(*val);
            }
            Arg::Number { pos, num } => {
                self.0.push(7);
                self.usize(*pos);
                self.str(&num.text);
                self.bool(num.int.is_some());
                self.u64(num.int.unwrap_or(0) as u64);
                self.bool(num.float.is_some());
                self.u64(num.float.unwrap_or(0.0).to_bits());
                self.bool(num.is_uint);
                self.bool(num.is_complex);
            }
            Arg::String { pos, quoted, text } => {
                self.0.push(8);
                self.usize(*pos);
                self.str(quoted);
                self.str(text);
            }
            Arg::Pipe(p) => {
                self.0.push(9);
                self.pipe(p);
            }
        }
    }
}

/// Reads what `Writer` wrote; `None` on anything else.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn usize(&mut self) -> Option<usize> {
        let mut v: usize = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7f) as usize).checked_shl(shift)?;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    /// A count of items still to read: never more than the bytes left, so a bad count
    /// cannot ask for a huge allocation.
    fn count(&mut self) -> Option<usize> {
        let n = self.usize()?;
        (n <= self.bytes.len() - self.at).then_some(n)
    }

    fn u64(&mut self) -> Option<u64> {
        let end = self.at.checked_add(8)?;
        let v = u64::from_le_bytes(self.bytes.get(self.at..end)?.try_into().ok()?);
        self.at = end;
        Some(v)
    }

    fn bool(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    /// Whether the next string is `text`, byte for byte.
    fn same_text(&mut self, text: &str) -> Option<bool> {
        let n = self.count()?;
        let stored = &self.bytes[self.at..self.at + n];
        self.at += n;
        Some(stored == text.as_bytes())
    }

    fn text(&mut self) -> Option<&str> {
        let n = self.count()?;
        let s = std::str::from_utf8(&self.bytes[self.at..self.at + n]).ok()?;
        self.at += n;
        Some(s)
    }

    fn str(&mut self) -> Option<String> {
        self.text().map(str::to_owned)
    }

    fn strs(&mut self) -> Option<Vec<String>> {
        (0..self.count()?).map(|_| self.str()).collect()
    }

    fn map(&mut self) -> Option<Map> {
        (0..self.count()?).map(|_| Some((self.str()?, self.value()?))).collect()
    }

    fn value(&mut self) -> Option<Value> {
        Some(match self.byte()? {
            0 => Value::Nil,
            1 => Value::Bool(false),
            2 => Value::Bool(true),
            3 => Value::Int(self.u64()? as i64),
            4 => Value::Float(f64::from_bits(self.u64()?)),
            5 => Value::str(self.text()?),
            6 => Value::list((0..self.count()?).map(|_| self.value()).collect::<Option<Vec<_>>>()?),
            7 => Value::map(self.map()?),
            _ => return None,
        })
    }

    fn list(&mut self) -> Option<List> {
        let pos = self.usize()?;
        let nodes = (0..self.count()?).map(|_| self.node()).collect::<Option<Vec<_>>>()?;
        Some(List { pos, nodes })
    }

    fn node(&mut self) -> Option<Node> {
        Some(match self.byte()? {
            0 => Node::Text { pos: self.usize()?, text: Rc::from(self.text()?) },
            1 => Node::Action { pos: self.usize()?, pipe: self.pipe()? },
            2 => Node::If(self.branch()?),
            3 => Node::Range(self.branch()?),
            4 => Node::With(self.branch()?),
            5 => {
                let (pos, name) = (self.usize()?, self.str()?);
                let pipe = if self.bool()? { Some(self.pipe()?) } else { None };
                Node::Template { pos, name, pipe }
            }
            6 => Node::Break { pos: self.usize()? },
            7 => Node::Continue { pos: self.usize()? },
            _ => return None,
        })
    }

    fn branch(&mut self) -> Option<Branch> {
        let (pos, pipe, list) = (self.usize()?, self.pipe()?, self.list()?);
        let else_list = if self.bool()? { Some(self.list()?) } else { None };
        Some(Branch { pos, pipe, list, else_list })
    }

    fn pipe(&mut self) -> Option<Pipe> {
        let (pos, is_assign, decl) = (self.usize()?, self.bool()?, self.strs()?);
        let mut cmds = Vec::new();
        for _ in 0..self.count()? {
            let pos = self.usize()?;
            let args = (0..self.count()?).map(|_| self.arg()).collect::<Option<Vec<_>>>()?;
            cmds.push(Command { pos, args });
        }
        Some(Pipe { pos, is_assign, decl, cmds })
    }

    fn arg(&mut self) -> Option<Arg> {
        Some(match self.byte()? {
            0 => Arg::Field { pos: self.usize()?, idents: self.strs()? },
            1 => Arg::Chain { pos: self.usize()?, node: Box::new(self.arg()?), fields: self.strs()? },
            2 => Arg::Identifier { pos: self.usize()?, name: self.str()? },
            3 => Arg::Variable { pos: self.usize()?, idents: self.strs()? },
            4 => Arg::Dot { pos: self.usize()? },
            5 => Arg::Nil { pos: self.usize()? },
            6 => Arg::Bool { pos: self.usize()?, val: self.bool()? },
            7 => {
                let (pos, text) = (self.usize()?, self.str()?);
                let int = (self.bool()?, self.u64()? as i64);
                let float = (self.bool()?, f64::from_bits(self.u64()?));
                let num = Number {
                    text,
                    int: int.0.then_some(int.1),
                    float: float.0.then_some(float.1),
                    is_uint: self.bool()?,
                    is_complex: self.bool()?,
                };
                Arg::Number { pos, num }
            }
            8 => Arg::String { pos: self.usize()?, quoted: self.str()?, text: Rc::from(self.text()?) },
            9 => Arg::Pipe(Box::new(self.pipe()?)),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_noting_funcs(name: &str, src: &str) -> (Parsed, Vec<String>) {
        let seen = std::cell::RefCell::new(Vec::new());
        let parsed = super::super::parse::parse(name, src, &|f| {
            seen.borrow_mut().push(f.to_string());
            true
        })
        .expect("parses");
        (parsed, seen.into_inner())
    }

    fn digest_of(files: &[(&str, &str)]) -> Vec<u8> {
        let mut digest = Vec::new();
        for (name, src) in files {
            let (parsed, funcs) = parse_noting_funcs(name, src);
            let mut entry = Vec::new();
            encode_entry(&mut entry, name, src, &funcs, &parsed);
            push_framed(&mut digest, &entry);
        }
        digest
    }

    /// Every template of the embedded chart comes back from the digest as the parser
    /// builds it, node for node.
    #[test]
    fn decodes_what_the_parser_builds() {
        let chart = crate::helm::embedded_chart_files();
        let files: Vec<(String, &str)> = chart
            .iter()
            .filter(|(p, _)| p.starts_with("templates/"))
            .map(|(p, t)| (p.clone(), t.as_ref()))
            .collect();
        assert!(files.len() > 10);
        let named: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
        let mut extra = named.clone();
        let odd = "{{/* c */}}{{- define \"x\" -}}{{ $a := 1.5e3 }}{{ 0x1F | printf \"%v\" }}{{ (list 1 -2 'c' 1i nil true).x }}{{ end }}\
                   {{ range $i, $v := .a }}{{ if eq $i 2 }}{{ break }}{{ else if $v }}{{ continue }}{{ end }}{{ end }}\
                   {{ with $x := \"é\\n\" }}{{ $x = 2 }}{{ template \"x\" . }}{{ else }}{{ block \"b\" . }}b{{ end }}{{ end }}";
        extra.push(("odd.tpl", odd));
        let digest = digest_of(&extra);
        for (name, src) in &extra {
            let expected = parse_noting_funcs(name, src).0;
            let decoded = lookup(&digest, name, src, &|_| true).expect("in the digest");
            assert_eq!(format!("{decoded:?}"), format!("{expected:?}"), "{name}");
        }
    }

    #[test]
    fn values_come_back_as_read() {
        let text = "a: 1\nb: [yes, null, \"x\", 1e3, -0.5, \"\\u00e9\", {c: {}}]\nd: {e: []}\nf: ~\n";
        let values = crate::helm::values::parse_values(text, "values.yaml", true).unwrap();
        let mut digest = Vec::new();
        assert!(encode_values(&mut digest, text, &values));
        let back = lookup_values(&digest, text).expect("same text");
        assert_eq!(format!("{back:?}"), format!("{values:?}"));
        assert!(lookup_values(&digest, "a: 2\n").is_none());
        for cut in 0..digest.len() {
            assert!(lookup_values(&digest[..cut], text).is_none(), "truncated at {cut}");
        }
    }

    #[test]
    fn falls_back_when_anything_differs() {
        let digest = digest_of(&[("a", "{{ upper .x }}")]);
        assert!(lookup(&digest, "a", "{{ upper .x }}", &|_| true).is_some());
        assert!(lookup(&digest, "a", "{{ upper .y }}", &|_| true).is_none(), "other text of the same length");
        assert!(lookup(&digest, "b", "{{ upper .x }}", &|_| true).is_none(), "other name");
        assert!(lookup(&digest, "a", "{{ upper .x }}", &|f| f != "upper").is_none(), "unknown function");
        for cut in 0..digest.len() {
            assert!(lookup(&digest[..cut], "a", "{{ upper .x }}", &|_| true).is_none(), "truncated at {cut}");
        }
    }
}
