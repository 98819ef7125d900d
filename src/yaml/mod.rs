//! YAML loading with source positions. Owns the tree that every other module reads
//! values files and manifests through, and the YAML 1.1 scalar rules Helm applies
//! (`yes` is true, `012` is 10). The parser is saphyr-parser's event stream; this
//! module builds the tree, expands aliases and merge keys, and bounds the work.

mod head;
mod resolve;
mod tree;

pub use head::scan_head;
pub use resolve::{is_yaml_float, resolve_plain, ScalarValue};
pub use tree::{Entry, Kind, Node, Scalar, Style};

use saphyr_parser::{Event, Parser, ScalarStyle, Span as ParserSpan};
use std::collections::HashMap;
use std::fmt;

/// Deepest nesting of maps and lists a document may have.
pub const MAX_DEPTH: usize = 1000;
/// Most nodes a document may expand to, aliases included: stops "billion laughs".
pub const MAX_NODES: usize = 1_000_000;

/// A byte range in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// Why a YAML text could not be loaded, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub message: String,
    /// Byte offset of the problem in the source.
    pub offset: usize,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// 1-based line and column (in characters) of a byte offset, computed only when a
/// position is reported.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..floor_char_boundary(src, offset)];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(src: &str, mut offset: usize) -> usize {
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Parses every document of a YAML stream. Empty documents become `None`.
pub fn load_all(src: &str) -> Result<Vec<Option<Node>>, Error> {
    Builder::new(src).run()
}

/// Parses a stream that must hold at most one document; `None` when it is empty.
pub fn load_one(src: &str) -> Result<Option<Node>, Error> {
    let mut docs = load_all(src)?;
    match docs.len() {
        0 => Ok(None),
        1 => Ok(docs.pop().flatten()),
        _ => Err(Error { message: "expected one YAML document, found several (separated by ---)".into(), offset: 0 }),
    }
}

/// A YAML document as JSON data, the way Helm reads a values file: later duplicate keys
/// win, merge keys are applied, and an empty document is null.
pub fn to_json(src: &str) -> Result<serde_json::Value, Error> {
    Ok(load_one(src)?.map_or(serde_json::Value::Null, |node| node.to_json()))
}

/// Converts saphyr's character indexes to byte offsets.
struct Offsets {
    /// Byte offset of each character; empty when the text is ASCII (index == offset).
    table: Vec<usize>,
    len: usize,
}

impl Offsets {
    fn new(src: &str) -> Self {
        let table = if src.is_ascii() { Vec::new() } else { src.char_indices().map(|(i, _)| i).collect() };
        Offsets { table, len: src.len() }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.table.is_empty() {
            char_index.min(self.len)
        } else {
            self.table.get(char_index).copied().unwrap_or(self.len)
        }
    }

    fn span(&self, span: &ParserSpan) -> Span {
        Span { start: self.byte(span.start.index()), end: self.byte(span.end.index()) }
    }
}

/// A map or list being built, with the anchor it will be registered under.
struct Frame {
    node: Node,
    anchor: usize,
    /// A map's key waiting for its value.
    pending_key: Option<Node>,
}

struct Builder<'a> {
    src: &'a str,
    offsets: Offsets,
    anchors: HashMap<usize, Node>,
    stack: Vec<Frame>,
    nodes: usize,
}

impl<'a> Builder<'a> {
    fn new(src: &'a str) -> Self {
        Builder { src, offsets: Offsets::new(src), anchors: HashMap::new(), stack: Vec::new(), nodes: 0 }
    }

    fn run(mut self) -> Result<Vec<Option<Node>>, Error> {
        let mut docs = Vec::new();
        let mut current: Option<Node> = None;
        let mut parser = Parser::new_from_str(self.src);
        while let Some(next) = parser.next_event() {
            let (event, span) = next.map_err(|e| Error {
                message: format!("YAML syntax error: {}", e.info()),
                offset: self.offsets.byte(e.marker().index()),
            })?;
            let span = self.offsets.span(&span);
            match event {
                Event::DocumentStart(_) => {
                    current = None;
                    self.anchors.clear();
                }
                Event::DocumentEnd => docs.push(current.take()),
                Event::Scalar(text, style, anchor, tag) => {
                    let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                    let node = Node::scalar(text.into_owned(), style.into(), tag, span)
                        .map_err(|message| Error { message, offset: span.start })?;
                    self.finish(node, anchor, &mut current)?;
                }
                Event::SequenceStart(anchor, _) => self.open(Node::seq(span), anchor)?,
                Event::MappingStart(anchor, _) => self.open(Node::map(span), anchor)?,
                Event::SequenceEnd | Event::MappingEnd => {
                    let frame = self.stack.pop().expect("parser balances start and end events");
                    let mut node = frame.node;
                    node.span.end = span.end.max(node.span.start);
                    self.finish(node, frame.anchor, &mut current)?;
                }
                Event::Alias(id) => {
                    let node = self.anchors.get(&id).cloned().ok_or_else(|| Error {
                        message: "alias refers to an anchor that is not defined before it".into(),
                        offset: span.start,
                    })?;
                    self.count(node.size(), span.start)?;
                    let node = node.with_span(span);
                    self.finish(node, 0, &mut current)?;
                }
                Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            }
        }
        Ok(docs)
    }

    fn count(&mut self, added: usize, offset: usize) -> Result<(), Error> {
        self.nodes += added;
        if self.nodes > MAX_NODES {
            return Err(Error {
                message: format!("document expands to more than {MAX_NODES} values (aliases repeated too often?)"),
                offset,
            });
        }
        Ok(())
    }

    fn open(&mut self, node: Node, anchor: usize) -> Result<(), Error> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(Error {
                message: format!("nesting is deeper than {MAX_DEPTH} levels"),
                offset: node.span.start,
            });
        }
        self.count(1, node.span.start)?;
        self.stack.push(Frame { node, anchor, pending_key: None });
        Ok(())
    }

    /// Places a finished node into its parent, or makes it the document.
    fn finish(&mut self, node: Node, anchor: usize, current: &mut Option<Node>) -> Result<(), Error> {
        if !matches!(node.kind, Kind::Seq(_) | Kind::Map(_)) {
            self.count(1, node.span.start)?;
        }
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let Some(frame) = self.stack.last_mut() else {
            *current = Some(node);
            return Ok(());
        };
        match &mut frame.node.kind {
            Kind::Seq(items) => items.push(node),
            Kind::Map(entries) => match frame.pending_key.take() {
                None => frame.pending_key = Some(node),
                Some(key) => entries.push(Entry { key, value: node }),
            },
            Kind::Scalar(_) => unreachable!("only collections are pushed on the stack"),
        }
        Ok(())
    }
}

impl From<ScalarStyle> for Style {
    fn from(style: ScalarStyle) -> Self {
        match style {
            ScalarStyle::Plain => Style::Plain,
            ScalarStyle::SingleQuoted => Style::SingleQuoted,
            ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
            ScalarStyle::Literal => Style::Literal,
            ScalarStyle::Folded => Style::Folded,
        }
    }
}

#[cfg(test)]
mod tests;
