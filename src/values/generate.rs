//! A seeded generator of values files for the chart, for differential tests of the native
//! renderer against `helm template` and for benchmarks.
//!
//! Each file toggles the chart's options at random and fills its free-form strings with
//! values that are hard to carry through YAML and `toYaml`: YAML 1.1 words and numbers
//! (`yes`, `~`, `012`, `0x1F`, `6.10`), indicators (`- `, `: `, `#`), quotes and
//! backslashes, leading and trailing spaces, Unicode and emoji, long strings with and
//! without spaces (toYaml wraps at column 80) and multi-line text. Numbers are written in
//! every form YAML 1.1 reads (`+5`, `0x1F`, `017`, `1_000`, `5.0`, `1e3`). The YAML text is
//! written directly, so every way of writing a scalar (plain, quoted, block, tagged) and a
//! collection (block, flow, anchors and merge keys) is exercised.
//!
//! Files stay valid against `chart/values.schema.json`: a string the schema wants is always
//! written so that YAML reads it as a string, and patterned keys get matching values.
//! Same seed and index, same file.

use std::fmt::Write;

/// SplitMix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut rng = Rng(seed);
        rng.next_u64();
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with the given probability in percent.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % ((hi - lo) as u64 + 1)) as i64
    }
}

/// The values file number `index` of the run seeded with `seed`.
pub fn values_file(seed: u64, index: u64) -> String {
    let mut rng = Rng::new(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let style = Style {
        step: if rng.chance(80) { 2 } else { 4 },
        indent_lists: rng.chance(50),
        flow: rng.between(0, 25) as u64,
        comments: rng.chance(30),
    };
    let mut g = Gen { rng, anchors: 0 };
    let root = g.root();
    let mut out = String::new();
    if g.rng.chance(10) {
        out.push_str("---\n");
    }
    if g.rng.chance(30) {
        let _ = writeln!(out, "# generated values file {index} (seed {seed})");
    }
    let mut emitter = Emitter { out, style, rng: &mut g.rng };
    if let Node::Map(entries) = &root {
        emitter.map(entries, 0, true);
    }
    emitter.out
}

// ---------------------------------------------------------------------------------------
// The tree and how it is written.

/// How a string is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StrStyle {
    Plain,
    Double,
    Single,
    Literal,
    Folded,
    /// `!!str` before a plain scalar.
    Tagged,
}

#[derive(Debug, Clone)]
enum Node {
    Map(Vec<(String, Node)>),
    List(Vec<Node>),
    /// A scalar's YAML text as it is written (numbers, booleans, nulls, aliases).
    Raw(String),
    /// A string, and how to write it; the emitter falls back to double quotes where the
    /// style cannot carry the text.
    Str(String, StrStyle),
    /// `&name` before the node.
    Anchor(String, Box<Node>),
}

struct Style {
    step: usize,
    indent_lists: bool,
    /// Percent of small collections written in flow style.
    flow: u64,
    comments: bool,
}

struct Emitter<'r> {
    out: String,
    style: Style,
    rng: &'r mut Rng,
}

const COMMENTS: &[&str] = &["# a comment", "#", "# key: value", "# - item", "# 'quoted' \"text\" é 🚀"];

impl Emitter<'_> {
    fn indent(&mut self, n: usize) {
        for _ in 0..n {
            self.out.push(' ');
        }
    }

    fn maybe_comment_line(&mut self, indent: usize) {
        if self.style.comments && self.rng.chance(8) {
            self.indent(indent);
            let c = *self.rng.pick(COMMENTS);
            self.out.push_str(c);
            self.out.push('\n');
        }
    }

    fn end_line(&mut self) {
        if self.style.comments && self.rng.chance(5) {
            self.out.push_str(" # trailing");
        }
        self.out.push('\n');
    }

    fn map(&mut self, entries: &[(String, Node)], indent: usize, comments_first: bool) {
        for (i, (key, value)) in entries.iter().enumerate() {
            if i > 0 || comments_first {
                self.maybe_comment_line(indent);
            }
            self.indent(indent);
            self.out.push_str(key);
            self.out.push(':');
            self.after_key(value, indent);
        }
    }

    /// Writes a value after `key:`.
    fn after_key(&mut self, value: &Node, indent: usize) {
        let step = self.style.step;
        match value {
            Node::Raw(text) => {
                if !text.is_empty() {
                    self.out.push(' ');
                    self.out.push_str(text);
                }
                self.end_line();
            }
            Node::Str(text, style) => {
                let style = usable(text, *style, Context::Value);
                self.out.push(' ');
                self.string(text, style, indent + step, Context::Value);
            }
            Node::Map(e) if e.is_empty() => self.out.push_str(" {}\n"),
            Node::List(e) if e.is_empty() => self.out.push_str(" []\n"),
            node if flowable(node) && self.rng.chance(self.style.flow) => {
                self.out.push(' ');
                self.flow(node);
                self.end_line();
            }
            Node::Map(e) => {
                self.end_line();
                self.map(e, indent + step, true);
            }
            Node::List(items) => {
                self.end_line();
                let at = if self.style.indent_lists { indent + step } else { indent };
                self.list(items, at);
            }
            Node::Anchor(name, inner) => {
                let _ = write!(self.out, " &{name}");
                match &**inner {
                    Node::Map(e) if !e.is_empty() => {
                        self.out.push('\n');
                        self.map(e, indent + step, false);
                    }
                    Node::List(items) if !items.is_empty() => {
                        self.out.push('\n');
                        let at = if self.style.indent_lists { indent + step } else { indent };
                        self.list(items, at);
                    }
                    other => {
                        self.out.push(' ');
                        self.flow(other);
                        self.out.push('\n');
                    }
                }
            }
        }
    }

    fn list(&mut self, items: &[Node], indent: usize) {
        for item in items {
            self.maybe_comment_line(indent);
            match item {
                Node::Map(e) if !e.is_empty() && !(flowable(item) && self.rng.chance(self.style.flow)) => {
                    // The item's entries at indent+2, the first one after the dash.
                    let start = self.out.len();
                    self.map(e, indent + 2, false);
                    self.out.replace_range(start..start + indent + 2, &format!("{}- ", " ".repeat(indent)));
                }
                Node::List(e) if !e.is_empty() && !(flowable(item) && self.rng.chance(self.style.flow)) => {
                    let start = self.out.len();
                    self.list(e, indent + 2);
                    self.out.replace_range(start..start + indent + 2, &format!("{}- ", " ".repeat(indent)));
                }
                Node::Str(text, style) => {
                    self.indent(indent);
                    self.out.push_str("- ");
                    let style = usable(text, *style, Context::Item);
                    self.string(text, style, indent + 2, Context::Item);
                }
                Node::Raw(text) if text.is_empty() => {
                    self.indent(indent);
                    self.out.push_str("-\n");
                }
                other => {
                    self.indent(indent);
                    self.out.push_str("- ");
                    self.flow(other);
                    self.end_line();
                }
            }
        }
    }

    /// A node in flow style, on one line.
    fn flow(&mut self, node: &Node) {
        match node {
            Node::Raw(text) if text.is_empty() => self.out.push_str("null"),
            Node::Raw(text) => self.out.push_str(text),
            Node::Str(text, style) => {
                let style = usable(text, *style, Context::Flow);
                self.string(text, style, 0, Context::Flow);
            }
            Node::Map(entries) => {
                self.out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.out.push_str(k);
                    self.out.push_str(": ");
                    self.flow(v);
                }
                self.out.push('}');
            }
            Node::List(items) => {
                self.out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(if self.rng.chance(50) { ", " } else { "," });
                    }
                    self.flow(v);
                }
                self.out.push(']');
            }
            Node::Anchor(name, inner) => {
                let _ = write!(self.out, "&{name} ");
                self.flow(inner);
            }
        }
    }

    /// A string in `style` (one the text allows there). Block styles end their own line;
    /// the others end it only outside flow.
    fn string(&mut self, text: &str, style: StrStyle, content_indent: usize, ctx: Context) {
        match style {
            StrStyle::Plain => self.out.push_str(text),
            StrStyle::Tagged => {
                self.out.push_str("!!str ");
                self.out.push_str(text);
            }
            StrStyle::Single => {
                self.out.push('\'');
                self.out.push_str(&text.replace('\'', "''"));
                self.out.push('\'');
            }
            StrStyle::Double => {
                let quoted = double_quoted(text, self.rng);
                self.out.push_str(&quoted);
            }
            StrStyle::Literal => {
                let body = text.trim_end_matches('\n');
                let trailing = text.len() - body.len();
                let chomp = match trailing {
                    0 => "-",
                    1 => "",
                    _ => "+",
                };
                let _ = write!(self.out, "|{chomp}");
                self.out.push('\n');
                for line in body.split('\n') {
                    if !line.is_empty() {
                        self.indent(content_indent);
                        self.out.push_str(line);
                    }
                    self.out.push('\n');
                }
                for _ in 1..trailing {
                    self.out.push('\n');
                }
                return;
            }
            StrStyle::Folded => {
                self.out.push_str(">-\n");
                let mut line_len = 0;
                self.indent(content_indent);
                for (i, word) in text.split(' ').enumerate() {
                    if i > 0 {
                        if line_len > 0 && self.rng.chance(35) {
                            self.out.push('\n');
                            self.indent(content_indent);
                            line_len = 0;
                        } else {
                            self.out.push(' ');
                        }
                    }
                    self.out.push_str(word);
                    line_len += word.len();
                }
                self.out.push('\n');
                return;
            }
        }
        if ctx != Context::Flow {
            self.end_line();
        }
    }
}

/// Where a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// After `key:` in a block map.
    Value,
    /// After `- ` in a block list.
    Item,
    /// Inside `{...}` or `[...]`.
    Flow,
}

fn flowable(node: &Node) -> bool {
    match node {
        Node::Map(e) => e.len() <= 4 && e.iter().all(|(_, v)| flow_leaf(v)),
        Node::List(e) => e.len() <= 6 && e.iter().all(flow_leaf),
        _ => false,
    }
}

fn flow_leaf(node: &Node) -> bool {
    match node {
        Node::Raw(_) => true,
        Node::Str(text, _) => !text.contains('\n') || text.len() < 200,
        Node::Map(e) => e.is_empty(),
        Node::List(e) => e.is_empty(),
        Node::Anchor(..) => false,
    }
}

/// `style` if it can carry `text` in `ctx`, else double quotes (which carry anything).
fn usable(text: &str, style: StrStyle, ctx: Context) -> StrStyle {
    let ok = match style {
        StrStyle::Double => true,
        // In flow collections: go-yaml v2 rejects `:` inside plain scalars, and the parser
        // here rejects ` -` before a flow indicator (tests/fixtures/render-generated/known-*).
        StrStyle::Plain => plain_ok(text) && reads_as_string(text) && (ctx != Context::Flow || flow_plain_ok(text)),
        StrStyle::Tagged => tagged_ok(text) && (ctx != Context::Flow || flow_plain_ok(text)),
        StrStyle::Single => !text.contains('\n') && text.chars().all(printable),
        StrStyle::Literal => ctx != Context::Flow && literal_ok(text),
        StrStyle::Folded => ctx != Context::Flow && folded_ok(text),
    };
    if ok {
        style
    } else {
        StrStyle::Double
    }
}

/// Characters YAML allows unescaped (and this generator trusts every parser with).
fn printable(c: char) -> bool {
    !(c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{a0}'))
}

/// Plain-scalar syntax (conservative): no indicators where they would start or end
/// something, no surrounding spaces, one line.
fn plain_ok(text: &str) -> bool {
    let Some(first) = text.chars().next() else { return false };
    (first.is_alphabetic() || first == '/' || first == '_')
        && !text.ends_with(|c: char| c.is_whitespace() || c == ':')
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains(['\t', ',', '[', ']', '{', '}', '\n', '\r'])
        && !text.contains("  ")
        && text.chars().all(printable)
}

fn flow_plain_ok(text: &str) -> bool {
    !text.contains(':') && !text.contains(" -")
}

/// What may follow `!!str `: plain syntax, starting with anything but an indicator.
fn tagged_ok(text: &str) -> bool {
    let Some(first) = text.chars().next() else { return false };
    (first.is_alphanumeric() || matches!(first, '.' | '+' | '/' | '_' | '~'))
        && plain_ok(&format!("x{}", &text[first.len_utf8()..]))
}

/// False for the words YAML 1.1 reads as booleans or null (any case).
fn reads_as_string(text: &str) -> bool {
    !matches!(text.to_ascii_lowercase().as_str(), "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null")
}

fn literal_ok(text: &str) -> bool {
    let body = text.trim_end_matches('\n');
    let first = body.split('\n').find(|l| !l.is_empty()).unwrap_or("");
    !body.is_empty()
        && !body.starts_with('\n')
        && !first.starts_with([' ', '\t'])
        && body.chars().all(|c| c == '\n' || c == '\t' || printable(c))
        && !body.contains(" \n")
        && !body.ends_with([' ', '\t'])
        && !body.split('\n').any(|l| !l.is_empty() && l.trim().is_empty())
}

fn folded_ok(text: &str) -> bool {
    !text.is_empty()
        && !text.contains("  ")
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && text.chars().all(|c| c != '\t' && c != '\n' && printable(c))
}

/// The text in double quotes, escaping what must be and, at random, more.
fn double_quoted(text: &str, rng: &mut Rng) -> String {
    let escape_unicode = rng.chance(20);
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' if rng.chance(50) => out.push_str("\\t"),
            '\t' => out.push('\t'),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{1b}' => out.push_str("\\e"),
            '\u{85}' => out.push_str("\\N"),
            '\u{a0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if !printable(c) || (escape_unicode && !c.is_ascii()) => {
                if (c as u32) > 0xffff {
                    let _ = write!(out, "\\U{:08X}", c as u32);
                } else {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------
// Values.

const SPECIAL: &[&str] = &[
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Y",
    "N",
    "Yes",
    "NO",
    "true",
    "False",
    "TRUE",
    "~",
    "null",
    "Null",
    "NULL",
    "",
    "012",
    "0x1F",
    "0o17",
    "0b1010",
    "1e3",
    "6.10",
    "1_000",
    "+12",
    "-0",
    "0",
    "-1",
    ".5",
    "1.",
    "1.0",
    "1e+06",
    "0.000001",
    ".inf",
    "-.Inf",
    ".NaN",
    "1:20",
    "2001-12-14",
    "2001-12-14T21:59:43.10-05:00",
    "-",
    "- x",
    "--",
    "---",
    "...",
    ": ",
    ":",
    "a: b",
    "key:",
    "#",
    "a #b",
    "a#b",
    "?",
    "? x",
    "|",
    ">",
    "!",
    "!!str",
    "&a",
    "*a",
    "%",
    "@",
    "`",
    "{",
    "}",
    "[",
    "]",
    "{}",
    "[]",
    ",",
    "<<",
    "=",
    "0777",
    "09",
    "1,000",
    "12e",
    "0x",
    "True ",
    " yes",
    "\"quoted\"",
    "'single'",
    "it's",
    "C:\\path\\to",
    "back\\slash",
    "\\n",
    "\\",
    "\"",
    "'",
    "a\"b'c",
    "{{ x }}",
    "{{.TestName}}",
    "${HOME}",
    "%s %d",
    "<b>html</b>",
    "a & b",
    "x=1&y=2",
    "null\u{0}byte",
];

const UNICODE: &[&str] = &[
    "héllo wörld",
    "日本語のテキスト",
    "Ωμέγα",
    "Привет, мир",
    "שלום עולם",
    "مرحبا",
    "e\u{301}",
    "\u{a0}nbsp\u{a0}",
    "zero\u{200b}width",
    "tab\there",
    "line\u{2028}separator",
    "nel\u{85}x",
    "bom\u{feff}",
    "bell\u{7}",
    "esc\u{1b}[0m",
    "ﬁ ligature",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "Ⅻ",
    "ß",
    "İstanbul",
];

const EMOJI: &[&str] = &["🚀", "👩‍💻", "🇺🇸", "😀 smile", "✔️", "🏳️‍🌈", "👍🏽", "🔥🔥🔥"];

const WORDS: &[&str] = &[
    "the",
    "operator",
    "registers",
    "a",
    "GPU",
    "cluster",
    "with",
    "OSMO",
    "and",
    "streams",
    "pod",
    "events",
    "to",
    "service",
    "backend",
    "worker",
    "listener",
    "is",
    "of",
    "for",
    "yes",
    "no",
    "on",
    "null",
    "~",
    "012",
    "6.10",
    "-",
    "#",
    "key:",
    "'",
    "\"",
    "\\",
    "é",
    "日本",
    "🚀",
    "x",
    "lorem",
    "ipsum",
    "dolor",
];

const LINES: &[&str] = &[
    "first line",
    "  indented line",
    "# not a comment",
    "- not a list",
    "key: value",
    "",
    "trailing spaces  ",
    "\ttab first",
    "yes",
    "{{ jinja }}",
    "\"quoted\"",
    "emoji 🚀",
    "back\\slash",
    "long line that goes on and on and on well past the eighty column limit of the YAML emitter",
];

struct Gen {
    rng: Rng,
    anchors: usize,
}

impl Gen {
    fn chance(&mut self, percent: u64) -> bool {
        self.rng.chance(percent)
    }

    fn below(&mut self, n: usize) -> usize {
        self.rng.below(n)
    }

    // -- strings ----------------------------------------------------------------------

    /// A free-form string: any text at all.
    fn free_text(&mut self) -> String {
        match self.below(11) {
            0 | 1 => self.rng.pick(SPECIAL).to_string(),
            2 => self.rng.pick(UNICODE).to_string(),
            3 => self.rng.pick(EMOJI).to_string(),
            4 => self.long_words(),
            5 => self.long_token(),
            6 => self.multi_line(),
            7 => self.number_text(),
            8 => {
                let pad = [" ", "  ", "\t", " \u{3000}"][self.below(4)];
                let core = self.short_text();
                match self.below(3) {
                    0 => format!("{pad}{core}"),
                    1 => format!("{core}{pad}"),
                    _ => format!("{pad}{core}{pad}"),
                }
            }
            9 => {
                let sep = [" ", "", ": ", " # ", "\n", "\\", "'", "\""][self.below(8)];
                format!("{}{sep}{}", self.short_text(), self.short_text())
            }
            _ => self.short_text(),
        }
    }

    fn short_text(&mut self) -> String {
        match self.below(5) {
            0 => self.rng.pick(SPECIAL).to_string(),
            1 => self.rng.pick(UNICODE).to_string(),
            2 => self.rng.pick(EMOJI).to_string(),
            _ => {
                let n = self.rng.between(1, 4) as usize;
                (0..n).map(|_| *self.rng.pick(WORDS)).collect::<Vec<_>>().join(" ")
            }
        }
    }

    /// Over 80 characters, with spaces (toYaml folds these).
    fn long_words(&mut self) -> String {
        let target = self.rng.between(70, 260) as usize;
        let mut s = String::new();
        while s.chars().count() < target {
            if !s.is_empty() {
                s.push(if self.chance(5) { '\t' } else { ' ' });
                if self.chance(4) {
                    s.push(' ');
                }
            }
            if self.chance(10) {
                let n = self.rng.between(20, 90) as usize;
                s.push_str(&self.long_token_of(n));
            } else {
                s.push_str(*self.rng.pick(WORDS));
            }
        }
        s
    }

    /// Over 80 characters, no spaces.
    fn long_token(&mut self) -> String {
        let n = self.rng.between(78, 200) as usize;
        self.long_token_of(n)
    }

    fn long_token_of(&mut self, n: usize) -> String {
        const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=+";
        let mut s: String = (0..n).map(|_| CHARS[self.below(CHARS.len())] as char).collect();
        if self.chance(20) {
            s.push_str(*self.rng.pick(EMOJI));
        }
        s
    }

    fn multi_line(&mut self) -> String {
        let n = self.rng.between(2, 6) as usize;
        let mut lines: Vec<String> = Vec::new();
        for _ in 0..n {
            let line = match self.below(4) {
                0 => self.short_text().replace('\n', " "),
                _ => self.rng.pick(LINES).to_string(),
            };
            lines.push(line);
        }
        let mut s = lines.join("\n");
        for _ in 0..self.below(3) {
            s.push('\n');
        }
        s
    }

    /// A number, as text (for string fields).
    fn number_text(&mut self) -> String {
        match self.below(8) {
            0 => self.rng.between(-1000, 100_000).to_string(),
            1 => format!("{}.{}", self.rng.between(0, 99), self.rng.between(0, 99)),
            2 => format!("{}e{}", self.rng.between(1, 9), self.rng.between(-10, 25)),
            3 => format!("0x{:X}", self.rng.between(0, 65535)),
            4 => format!("0{:o}", self.rng.between(1, 4095)),
            5 => "123456789012345678901234567890".into(),
            6 => format!("{}_{:03}", self.rng.between(1, 999), self.rng.between(0, 999)),
            _ => format!("+{}", self.rng.between(0, 999)),
        }
    }

    /// A string node for free-form text, in a random style.
    fn string_node(&mut self, text: String) -> Node {
        let style = match self.below(12) {
            0..=2 => StrStyle::Double,
            3..=4 => StrStyle::Single,
            5..=7 => StrStyle::Plain,
            8 | 9 => StrStyle::Literal,
            10 => StrStyle::Folded,
            _ => StrStyle::Tagged,
        };
        Node::Str(text, style)
    }

    fn free(&mut self) -> Node {
        let text = self.free_text();
        self.string_node(text)
    }

    /// A string that must read as a string and satisfy no pattern: `plain` where safe.
    fn word(&mut self, text: &str) -> Node {
        let style = match self.below(6) {
            0 => StrStyle::Double,
            1 => StrStyle::Single,
            _ => StrStyle::Plain,
        };
        Node::Str(text.to_string(), style)
    }

    /// A DNS-1123 label.
    fn label(&mut self, stem: &str) -> String {
        match self.below(6) {
            0 => stem.to_string(),
            1 => format!("{stem}-{}", self.below(100)),
            2 => "a".to_string(),
            3 => "0".repeat(1) + &self.below(10).to_string(),
            4 => {
                let n = self.rng.between(40, 63) as usize;
                let mut s: String =
                    (0..n).map(|i| if i % 7 == 3 { '-' } else { (b'a' + (i % 26) as u8) as char }).collect();
                s.pop();
                s.push('z');
                s
            }
            _ => format!("{stem}{}", self.below(1000)),
        }
    }

    /// A label value that reads as a string in any style: digits-only labels are quoted.
    fn label_node(&mut self, stem: &str) -> Node {
        let l = self.label(stem);
        self.word(&l)
    }

    // -- numbers ----------------------------------------------------------------------

    /// An integer, written in one of the forms YAML 1.1 reads as that integer.
    fn int(&mut self, v: i64) -> Node {
        let text = match self.below(14) {
            0 if v >= 0 => format!("+{v}"),
            1 if v > 0 => format!("0x{v:X}"),
            2 if v > 0 => format!("0x{v:x}"),
            3 if v > 0 => format!("0{v:o}"),
            4 if v > 0 => format!("0b{v:b}"),
            5 if v >= 1000 => {
                let s = v.to_string();
                let (a, b) = s.split_at(s.len() - 3);
                format!("{a}_{b}")
            }
            6 => format!("{v}.0"),
            7 if v != 0 && v % 1000 == 0 => format!("{}e3", v / 1000),
            8 if v != 0 && v % 100 == 0 => format!("{}.{}E+2", v / 100, 0),
            9 => format!("{v}e0"),
            10 if v < 0 => format!("-0x{:x}", -v),
            _ => v.to_string(),
        };
        Node::Raw(text)
    }

    /// An integer in `lo..=hi`, often at the edges or round.
    fn int_in(&mut self, lo: i64, hi: i64) -> Node {
        let v = match self.below(6) {
            0 => lo,
            1 => hi,
            2 => {
                let r = self.rng.between(lo, hi);
                let round = [10, 100, 1000, 1_000_000][self.below(4)];
                (r / round * round).clamp(lo, hi)
            }
            _ => self.rng.between(lo, hi),
        };
        self.int(v)
    }

    /// Any number, for fields without a type (raw objects).
    fn any_number(&mut self) -> Node {
        let text: String = match self.below(16) {
            0 => "3.14159".into(),
            1 => "-0.0".into(),
            2 => format!("{}e{}", self.rng.between(1, 9), self.rng.between(-12, 30)),
            3 => "1000000".into(),
            4 => "12345678901234567890".into(),
            5 => "9007199254740993".into(),
            6 => "0.1".into(),
            7 => "1.5e-7".into(),
            8 => "123456789.123".into(),
            9 => "-9223372036854775808".into(),
            10 => ".5".into(),
            11 => "1e21".into(),
            12 => "100000".into(),
            13 => return self.int_in(-100_000, 10_000_000),
            14 => "4294967296".into(),
            _ => format!("{}", self.rng.between(-50, 50)),
        };
        Node::Raw(text)
    }

    fn boolean(&mut self, v: bool) -> Node {
        const T: &[&str] = &["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"];
        const F: &[&str] = &["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"];
        let text = if self.chance(50) {
            if v {
                "true"
            } else {
                "false"
            }
        } else if v {
            self.rng.pick(T)
        } else {
            self.rng.pick(F)
        };
        Node::Raw(text.to_string())
    }

    fn any_bool(&mut self) -> Node {
        let v = self.chance(50);
        self.boolean(v)
    }

    fn null(&mut self) -> Node {
        Node::Raw(["null", "~", "", "Null", "NULL"][self.below(5)].to_string())
    }

    /// Any scalar or small collection, for untyped places.
    fn any(&mut self, depth: usize) -> Node {
        match self.below(if depth > 2 { 5 } else { 8 }) {
            0 => self.any_number(),
            1 => self.any_bool(),
            2 => self.null(),
            3 | 4 => self.free(),
            5 => {
                let n = self.below(4);
                Node::List((0..n).map(|_| self.any(depth + 1)).collect())
            }
            _ => {
                let n = self.below(4);
                let mut entries = Vec::new();
                for i in 0..n {
                    entries.push((self.key_text(i), self.any(depth + 1)));
                }
                Node::Map(entries)
            }
        }
    }

    /// A key for free-form maps: mostly names, sometimes odd; distinct by `i`.
    fn key_text(&mut self, i: usize) -> String {
        match self.below(10) {
            0 => format!("\"odd key {i}: #\""),
            1 => format!("'é-{i}'"),
            2 => format!("example.com/key-{i}"),
            3 => format!("\"🚀{i}\""),
            4 => format!("k{i}.with.dots"),
            _ => format!("key{i}"),
        }
    }

    /// A string-to-string map with free-form values (annotations, labels, data).
    fn string_map(&mut self, max: usize, key_style: KeyStyle) -> Node {
        let n = self.below(max + 1);
        let mut entries = Vec::new();
        let mut special_used = false;
        for i in 0..n {
            let key = match key_style {
                KeyStyle::Label => {
                    if self.chance(20) {
                        format!("example.com/label-{i}")
                    } else {
                        format!("label{i}")
                    }
                }
                KeyStyle::Free => {
                    if !special_used && self.chance(10) {
                        special_used = true;
                        // Keys YAML 1.1 reads as something else; Helm turns them into strings.
                        ["yes", "on", "1", "012", "0x1F", "1.50", "true", "1e3", "~", "-1"][self.below(10)].to_string()
                    } else {
                        self.key_text(i)
                    }
                }
                KeyStyle::Env => match self.below(6) {
                    0 => format!("lower_{i}"),
                    1 => format!("_UNDERSCORE{i}"),
                    _ => format!("VAR_{i}"),
                },
                KeyStyle::File => match self.below(5) {
                    0 => format!("config-{i}.yaml"),
                    1 => format!("\"file {i}.txt\""),
                    2 => format!("script{i}.sh"),
                    _ => format!("key{i}"),
                },
            };
            let value = self.free();
            entries.push((key, value));
        }
        Node::Map(entries)
    }
}

#[derive(Clone, Copy)]
enum KeyStyle {
    Label,
    Free,
    Env,
    File,
}

// ---------------------------------------------------------------------------------------
// The chart's values.

/// Adds `key: value` with the given probability.
fn maybe(
    entries: &mut Vec<(String, Node)>,
    g: &mut Gen,
    percent: u64,
    key: &str,
    value: impl FnOnce(&mut Gen) -> Node,
) {
    if g.chance(percent) {
        let v = value(g);
        entries.push((key.to_string(), v));
    }
}

fn map_or_skip(entries: Vec<(String, Node)>, g: &mut Gen) -> Option<Node> {
    if entries.is_empty() && g.chance(70) {
        None
    } else {
        Some(Node::Map(entries))
    }
}

impl Gen {
    fn root(&mut self) -> Node {
        let mut top: Vec<(String, Node)> = Vec::new();
        let global = self.global();
        top.push((if self.chance(5) { "\"global\"".into() } else { "global".into() }, global));
        if self.chance(40) {
            let v = self.any_bool();
            top.push(("podMonitor".into(), Node::Map(vec![("enabled".into(), v)])));
        }
        if self.chance(85) {
            let s = self.services();
            if let Some(s) = s {
                top.push(("services".into(), s));
            }
        }
        if self.chance(60) {
            if let Some(r) = self.test_runner() {
                top.push(("backendTestRunner".into(), r));
            }
        }
        if self.chance(35) {
            let n = self.below(4);
            let mut cms = Vec::new();
            for i in 0..n {
                let mut cm = Vec::new();
                maybe(&mut cm, self, 40, "labels", |g| g.string_map(3, KeyStyle::Label));
                maybe(&mut cm, self, 40, "annotations", |g| g.string_map(3, KeyStyle::Free));
                maybe(&mut cm, self, 80, "data", |g| g.string_map(4, KeyStyle::File));
                let name = ["app-config", "extra", "cm", "x1", "scripts"][i % 5];
                cms.push((format!("{name}{}", if i >= 5 { i.to_string() } else { String::new() }), Node::Map(cm)));
            }
            top.push(("extraConfigMaps".into(), Node::Map(cms)));
        }
        if self.chance(15) {
            let i = self.below(top.len());
            let j = self.below(top.len());
            top.swap(i, j);
        }
        Node::Map(top)
    }

    fn global(&mut self) -> Node {
        let mut e: Vec<(String, Node)> = Vec::new();
        maybe(&mut e, self, 25, "name", |g| if g.chance(30) { g.null() } else { g.label_node("osmo") });
        maybe(&mut e, self, 30, "osmoImageLocation", |g| {
            if g.chance(50) {
                g.word("registry.example.com/osmo")
            } else {
                g.free()
            }
        });
        maybe(&mut e, self, 40, "osmoImageTag", |g| {
            let tag = ["6.4.0", "latest", "v1.2.3-rc.1", "012", "6.10", "1e3", "0x1F", "yes", "_tag", "A.b-c_d"];
            let t = *g.rng.pick(&tag);
            // A tag that YAML would read as a number or boolean is quoted.
            let style = if t.starts_with(|c: char| c.is_ascii_digit()) || !reads_as_string(t) {
                [StrStyle::Double, StrStyle::Single, StrStyle::Tagged][g.below(3)]
            } else {
                StrStyle::Plain
            };
            Node::Str(t.into(), style)
        });
        maybe(
            &mut e,
            self,
            20,
            "imagePullSecret",
            |g| {
                if g.chance(30) {
                    g.null()
                } else {
                    g.word("regcred.example.com")
                }
            },
        );
        maybe(&mut e, self, 25, "nodeSelector", |g| g.string_map(3, KeyStyle::Label));
        // serviceUrl is required: leave it unset (an error) rarely.
        if !self.chance(3) {
            let url =
                ["https://osmo.example.com", "http://10.0.0.1:8080/api", "https://[::1]:443", "https://a.b.c/p?q=1"];
            let u = *self.rng.pick(&url);
            let v = self.word(u);
            e.push(("serviceUrl".into(), v));
        }
        let login_password = self.chance(50);
        if login_password {
            maybe(&mut e, self, 40, "loginMethod", |_| Node::Str("password".into(), StrStyle::Plain));
            // Password login needs a user: leave it out rarely.
            if !self.chance(3) {
                let v = if self.chance(60) { self.free_nonempty() } else { self.word("admin") };
                e.push(("accountUsername".into(), v));
            }
        } else {
            e.push(("loginMethod".into(), self.word("token")));
            maybe(&mut e, self, 30, "accountUsername", |g| g.free());
        }
        maybe(&mut e, self, 30, "accountPasswordSecret", |g| g.label_node("secret"));
        maybe(&mut e, self, 30, "accountPasswordSecretKey", |g| g.word("pass.word"));
        maybe(&mut e, self, 30, "accountTokenSecret", |g| g.label_node("token"));
        maybe(&mut e, self, 30, "accountTokenSecretKey", |g| g.word("tok_en"));
        maybe(&mut e, self, 30, "agentNamespace", |g| g.label_node("agent"));
        maybe(&mut e, self, 40, "backendName", |g| {
            let b = ["default", "gpu-cluster_1", "A.b", "x", "Backend-01"];
            let b = *g.rng.pick(&b);
            g.word(b)
        });
        maybe(&mut e, self, 30, "backendNamespace", |g| g.label_node("backend"));
        maybe(&mut e, self, 35, "backendTestNamespace", |g| {
            if g.chance(25) {
                g.null()
            } else if g.chance(20) {
                Node::Str("osmo-namespace".into(), StrStyle::Plain)
            } else {
                g.label_node("tests")
            }
        });
        maybe(&mut e, self, 50, "nodeConditionPrefix", |g| g.free());
        maybe(&mut e, self, 40, "logs", |g| {
            let levels = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];
            let mut l = Vec::new();
            maybe(&mut l, g, 50, "logLevel", |g| {
                let v = *g.rng.pick(&levels);
                g.word(v)
            });
            maybe(&mut l, g, 50, "k8sLogLevel", |g| {
                let v = *g.rng.pick(&levels);
                g.word(v)
            });
            maybe(&mut l, g, 50, "logFormat", |g| {
                let v = *g.rng.pick(&["text", "json"]);
                g.word(v)
            });
            Node::Map(l)
        });
        maybe(&mut e, self, 50, "includeNamespaceUsage", |g| g.free());
        maybe(&mut e, self, 20, "enableClusterRoles", |g| g.any_bool());
        maybe(&mut e, self, 20, "enableNonClusterRoles", |g| g.any_bool());
        maybe(&mut e, self, 30, "tolerations", |g| {
            let n = g.below(3);
            Node::List((0..n).map(|_| g.toleration()).collect())
        });
        maybe(&mut e, self, 30, "networkPolicy", |g| g.network_policy());
        maybe(&mut e, self, 30, "priorityClasses", |g| {
            let mut p = Vec::new();
            maybe(&mut p, g, 60, "enabled", |g| g.any_bool());
            maybe(&mut p, g, 60, "classes", |g| {
                let n = g.below(4);
                Node::List(
                    (0..n)
                        .map(|i| {
                            let mut c = vec![
                                ("name".to_string(), Node::Str(format!("prio-{i}"), StrStyle::Plain)),
                                ("value".to_string(), g.int_in(-1_000_000_000, 1_000_000_000)),
                            ];
                            maybe(&mut c, g, 70, "description", |g| g.free());
                            Node::Map(c)
                        })
                        .collect(),
                )
            });
            Node::Map(p)
        });
        // The schema lets unknown keys through under global (a parent chart's globals).
        maybe(&mut e, self, 10, "parentSetting", |g| g.any(0));
        Node::Map(e)
    }

    fn free_nonempty(&mut self) -> Node {
        let mut t = self.free_text();
        if t.is_empty() {
            t.push('x');
        }
        self.string_node(t)
    }

    fn toleration(&mut self) -> Node {
        let mut t = Vec::new();
        maybe(&mut t, self, 80, "key", |g| g.word("example.com/gpu"));
        maybe(&mut t, self, 80, "operator", |g| {
            let v = *g.rng.pick(&["Exists", "Equal"]);
            g.word(v)
        });
        maybe(&mut t, self, 40, "value", |g| g.free());
        maybe(&mut t, self, 60, "effect", |g| {
            let v = *g.rng.pick(&["NoSchedule", "NoExecute", "PreferNoSchedule"]);
            g.word(v)
        });
        maybe(&mut t, self, 30, "tolerationSeconds", |g| g.int_in(-10, 1_000_000));
        Node::Map(t)
    }

    fn network_policy(&mut self) -> Node {
        let mut n = Vec::new();
        maybe(&mut n, self, 70, "enabled", |g| g.any_bool());
        maybe(&mut n, self, 50, "clusterCIDRs", |g| {
            let c = ["10.0.0.0/8", "172.16.0.0/12", "192.168.1.0/24", "fd00::/8", "0.0.0.0/0"];
            let k = g.below(4);
            Node::List(
                (0..k)
                    .map(|_| {
                        let v = *g.rng.pick(&c);
                        g.word(v)
                    })
                    .collect(),
            )
        });
        maybe(&mut n, self, 30, "dnsNamespace", |g| g.label_node("dns"));
        maybe(&mut n, self, 50, "allowedNamespaces", |g| {
            let k = g.below(4);
            Node::List((0..k).map(|_| g.label_node("ns")).collect())
        });
        maybe(&mut n, self, 40, "additionalEgressRules", |g| {
            let k = g.below(3);
            Node::List(
                (0..k)
                    .map(|_| {
                        let mut r = Vec::new();
                        maybe(&mut r, g, 70, "ports", |g| {
                            let k = g.rng.between(1, 3) as usize;
                            Node::List(
                                (0..k)
                                    .map(|_| {
                                        let mut p = Vec::new();
                                        maybe(&mut p, g, 60, "protocol", |g| {
                                            let v = *g.rng.pick(&["TCP", "UDP", "SCTP"]);
                                            g.word(v)
                                        });
                                        maybe(&mut p, g, 80, "port", |g| {
                                            if g.chance(30) {
                                                g.word("https")
                                            } else if g.chance(10) {
                                                Node::Str("8080".into(), StrStyle::Double)
                                            } else {
                                                g.int_in(1, 65535)
                                            }
                                        });
                                        maybe(&mut p, g, 20, "endPort", |g| g.int_in(1, 65535));
                                        Node::Map(p)
                                    })
                                    .collect(),
                            )
                        });
                        maybe(&mut r, g, 70, "to", |g| {
                            let mut peer = Vec::new();
                            if g.chance(50) {
                                let mut ip = vec![("cidr".to_string(), g.word("10.1.0.0/16"))];
                                maybe(&mut ip, g, 40, "except", |g| Node::List(vec![g.word("10.1.2.0/24")]));
                                peer.push(("ipBlock".to_string(), Node::Map(ip)));
                            } else {
                                let labels = g.string_map(2, KeyStyle::Label);
                                peer.push((
                                    "namespaceSelector".to_string(),
                                    Node::Map(vec![("matchLabels".into(), labels)]),
                                ));
                            }
                            Node::List(vec![Node::Map(peer)])
                        });
                        Node::Map(r)
                    })
                    .collect(),
            )
        });
        Node::Map(n)
    }

    fn services(&mut self) -> Option<Node> {
        let mut s = Vec::new();
        let mut shared: Option<String> = None;
        for (name, listener) in [("backendListener", true), ("backendWorker", false)] {
            if self.chance(80) {
                let svc = self.service(listener, &mut shared);
                s.push((name.to_string(), svc));
            }
        }
        map_or_skip(s, self)
    }

    fn service(&mut self, listener: bool, shared: &mut Option<String>) -> Node {
        let mut e = Vec::new();
        maybe(&mut e, self, 20, "imageName", |g| g.free_nonempty());
        maybe(&mut e, self, 20, "imagePullPolicy", |g| {
            let v = *g.rng.pick(&["Always", "IfNotPresent", "Never"]);
            g.word(v)
        });
        maybe(&mut e, self, 15, "serviceName", |g| g.label_node("svc"));
        maybe(&mut e, self, 15, "serviceAccount", |g| g.label_node("sa"));
        maybe(&mut e, self, 15, "initContainers", |g| {
            let n = g.below(3);
            Node::List((0..n).map(|i| g.container(&format!("init-{i}"))).collect())
        });
        maybe(&mut e, self, 45, "extraArgs", |g| {
            let n = g.below(5);
            Node::List((0..n).map(|_| g.free()).collect())
        });
        maybe(&mut e, self, 45, "extraEnvs", |g| {
            let n = g.below(5);
            Node::List((0..n).map(|i| g.env_var(i)).collect())
        });
        maybe(&mut e, self, 45, "extraPodAnnotations", |g| g.string_map(4, KeyStyle::Free));
        maybe(&mut e, self, 45, "extraPodLabels", |g| {
            let mut m = g.string_map(3, KeyStyle::Label);
            // Keys the chart also sets: the chart's values win.
            if g.chance(20) {
                if let Node::Map(entries) = &mut m {
                    let k = *g.rng.pick(&["app", "app.kubernetes.io/name", "app.kubernetes.io/component"]);
                    let v = g.free();
                    entries.push((k.to_string(), v));
                }
            }
            m
        });
        maybe(&mut e, self, 15, "extraSidecarContainers", |g| {
            let n = g.below(3);
            Node::List((0..n).map(|i| g.container(&format!("sidecar-{i}"))).collect())
        });
        maybe(&mut e, self, 25, "nodeSelector", |g| g.string_map(3, KeyStyle::Label));
        maybe(&mut e, self, 20, "hostAliases", |g| {
            let n = g.below(3);
            Node::List(
                (0..n)
                    .map(|i| {
                        let mut h = vec![("ip".to_string(), g.word(&format!("10.0.0.{i}")))];
                        maybe(&mut h, g, 70, "hostnames", |g| {
                            let k = g.below(3);
                            Node::List((0..k).map(|_| g.free()).collect())
                        });
                        Node::Map(h)
                    })
                    .collect(),
            )
        });
        maybe(&mut e, self, 20, "volumes", |g| {
            let n = g.below(3);
            Node::List((0..n).map(|i| g.volume(i)).collect())
        });
        maybe(&mut e, self, 20, "volumeMounts", |g| {
            let n = g.below(3);
            Node::List(
                (0..n)
                    .map(|i| {
                        let mut m = vec![
                            ("name".to_string(), Node::Str(format!("vol-{i}"), StrStyle::Plain)),
                            ("mountPath".to_string(), g.word(&format!("/mnt/v{i}"))),
                        ];
                        maybe(&mut m, g, 40, "readOnly", |g| g.any_bool());
                        maybe(&mut m, g, 20, "subPath", |g| g.free());
                        Node::Map(m)
                    })
                    .collect(),
            )
        });
        // Resources, sometimes shared between the two services through an anchor.
        if let Some(name) = shared.as_ref().filter(|_| self.chance(50)) {
            e.push(("resources".into(), Node::Raw(format!("*{name}"))));
        } else if self.chance(35) {
            let r = self.resources();
            if shared.is_none() && self.chance(30) {
                self.anchors += 1;
                let name = format!("res{}", self.anchors);
                *shared = Some(name.clone());
                e.push(("resources".into(), Node::Anchor(name, Box::new(r))));
            } else {
                e.push(("resources".into(), r));
            }
        } else if self.chance(5) {
            e.push(("resources".into(), self.null()));
        }
        maybe(&mut e, self, 25, "startupProbe", |g| {
            let mut p = Vec::new();
            maybe(&mut p, g, 50, "failureThreshold", |g| g.int_in(1, 100));
            maybe(&mut p, g, 50, "periodSeconds", |g| g.int_in(1, 3600));
            maybe(&mut p, g, 50, "timeoutSeconds", |g| g.int_in(1, 1_000_000));
            maybe(&mut p, g, 50, "initialDelaySeconds", |g| g.int_in(0, 4_000_000_000));
            Node::Map(p)
        });
        maybe(
            &mut e,
            self,
            25,
            "podSecurityContext",
            |g| {
                if g.chance(15) {
                    g.null()
                } else {
                    g.pod_security_context()
                }
            },
        );
        maybe(&mut e, self, 25, "containerSecurityContext", |g| {
            if g.chance(15) {
                g.null()
            } else {
                g.container_security_context()
            }
        });
        if listener {
            maybe(&mut e, self, 30, "enableNodeLabelUpdate", |g| g.any_bool());
            maybe(&mut e, self, 30, "max_unacked_messages", |g| g.int_in(1, 4_294_967_295));
            maybe(&mut e, self, 30, "podCacheTtl", |g| g.int_in(0, 100_000));
            maybe(&mut e, self, 30, "apiQps", |g| g.int_in(1, 10_000_000));
            maybe(&mut e, self, 30, "apiBurst", |g| g.int_in(1, 1_000_000));
        } else {
            maybe(&mut e, self, 30, "progressIterFrequency", |g| {
                let v = *g.rng.pick(&["15s", "1m30s", "500ms", "2h", "1.5s", "10us", "3µs"]);
                g.word(v)
            });
            maybe(&mut e, self, 40, "extraRBACRules", |g| {
                let n = g.below(4);
                Node::List((0..n).map(|_| g.policy_rule()).collect())
            });
        }
        Node::Map(e)
    }

    fn env_var(&mut self, i: usize) -> Node {
        let mut v = vec![("name".to_string(), Node::Str(format!("ENV_{i}"), StrStyle::Plain))];
        if self.chance(80) {
            v.push(("value".to_string(), self.free()));
        } else {
            let field = *self.rng.pick(&["metadata.name", "spec.nodeName", "status.podIP"]);
            let f = self.word(field);
            v.push((
                "valueFrom".to_string(),
                Node::Map(vec![("fieldRef".to_string(), Node::Map(vec![("fieldPath".to_string(), f)]))]),
            ));
        }
        Node::Map(v)
    }

    fn container(&mut self, name: &str) -> Node {
        let mut c = vec![("name".to_string(), Node::Str(name.to_string(), StrStyle::Plain))];
        maybe(&mut c, self, 80, "image", |g| g.word("busybox:1.36"));
        maybe(&mut c, self, 50, "command", |g| {
            let n = g.rng.between(1, 3) as usize;
            Node::List((0..n).map(|_| g.free()).collect())
        });
        maybe(&mut c, self, 40, "args", |g| {
            let n = g.below(3);
            Node::List((0..n).map(|_| g.free()).collect())
        });
        maybe(&mut c, self, 30, "env", |g| {
            let n = g.below(3);
            Node::List((0..n).map(|i| g.env_var(i)).collect())
        });
        maybe(&mut c, self, 30, "ports", |g| {
            let mut p = vec![("containerPort".to_string(), g.int_in(1, 65535))];
            maybe(&mut p, g, 50, "name", |g| g.word("http"));
            maybe(&mut p, g, 50, "protocol", |g| g.word("TCP"));
            Node::List(vec![Node::Map(p)])
        });
        maybe(&mut c, self, 30, "resources", |g| g.resources());
        maybe(&mut c, self, 30, "securityContext", |g| g.container_security_context());
        maybe(&mut c, self, 15, "tty", |g| g.any_bool());
        maybe(&mut c, self, 15, "workingDir", |g| g.free());
        Node::Map(c)
    }

    fn volume(&mut self, i: usize) -> Node {
        let mut v = vec![("name".to_string(), Node::Str(format!("vol-{i}"), StrStyle::Plain))];
        match self.below(4) {
            0 => {
                let mut ed = Vec::new();
                maybe(&mut ed, self, 40, "medium", |g| g.word("Memory"));
                maybe(&mut ed, self, 50, "sizeLimit", |g| g.quantity());
                v.push(("emptyDir".into(), Node::Map(ed)));
            }
            1 => {
                let mut cm = vec![("name".to_string(), self.label_node("cm"))];
                maybe(&mut cm, self, 50, "defaultMode", |g| g.int_in(0, 511));
                maybe(&mut cm, self, 30, "optional", |g| g.any_bool());
                maybe(&mut cm, self, 30, "items", |g| {
                    let key = g.free();
                    Node::List(vec![Node::Map(vec![("key".into(), key), ("path".into(), g.word("file.txt"))])])
                });
                v.push(("configMap".into(), Node::Map(cm)));
            }
            2 => {
                let mut s = vec![("secretName".to_string(), self.label_node("sec"))];
                maybe(&mut s, self, 50, "defaultMode", |g| g.int_in(0, 511));
                v.push(("secret".into(), Node::Map(s)));
            }
            _ => {
                let mut h = vec![("path".to_string(), self.word("/var/lib/data"))];
                maybe(&mut h, self, 50, "type", |g| g.word("DirectoryOrCreate"));
                v.push(("hostPath".into(), Node::Map(h)));
            }
        }
        Node::Map(v)
    }

    /// A Kubernetes quantity: a number, or a string in the quantity grammar.
    fn quantity(&mut self) -> Node {
        match self.below(10) {
            0 => self.int_in(0, 64),
            1 => Node::Raw(["0.5", ".5", "1.0", "1e3", "1000000", "2.5e9", "0.001", "1e+06"][self.below(8)].into()),
            2 => Node::Str(["1", "0.5", "1e3", "1000000"][self.below(4)].into(), StrStyle::Double),
            3 => Node::Str(["012", "1.50", "+1"][self.below(3)].into(), StrStyle::Single),
            _ => {
                let units = ["", "m", "Ki", "Mi", "Gi", "Ti", "k", "M", "G", "E", "n", "u"];
                let u = *self.rng.pick(&units);
                let n = self.rng.between(1, 4096);
                let text = format!("{n}{u}");
                if u.is_empty() || u == "E" {
                    // 12E would be ambiguous in no YAML, but a bare number must stay a string.
                    Node::Str(text, StrStyle::Double)
                } else {
                    self.word(&text)
                }
            }
        }
    }

    fn resources(&mut self) -> Node {
        let mut r = Vec::new();
        for part in ["requests", "limits"] {
            if self.chance(70) {
                let mut m = Vec::new();
                maybe(&mut m, self, 70, "cpu", |g| g.quantity());
                maybe(&mut m, self, 70, "memory", |g| g.quantity());
                maybe(&mut m, self, 15, "nvidia.com/gpu", |g| g.quantity());
                maybe(&mut m, self, 10, "ephemeral-storage", |g| g.quantity());
                r.push((part.to_string(), Node::Map(m)));
            }
        }
        Node::Map(r)
    }

    fn pod_security_context(&mut self) -> Node {
        let mut p = Vec::new();
        maybe(&mut p, self, 50, "runAsNonRoot", |g| g.any_bool());
        maybe(&mut p, self, 50, "runAsUser", |g| g.int_in(0, 2_000_000_000));
        maybe(&mut p, self, 40, "runAsGroup", |g| g.int_in(0, 100_000_000));
        maybe(&mut p, self, 40, "fsGroup", |g| g.int_in(0, 1_000_000));
        maybe(&mut p, self, 20, "supplementalGroups", |g| {
            let n = g.below(4);
            Node::List((0..n).map(|_| g.int_in(0, 10_000_000)).collect())
        });
        maybe(&mut p, self, 30, "seccompProfile", |g| {
            let v = *g.rng.pick(&["RuntimeDefault", "Unconfined"]);
            Node::Map(vec![("type".into(), g.word(v))])
        });
        maybe(&mut p, self, 15, "sysctls", |g| {
            let v = g.free();
            Node::List(vec![Node::Map(vec![("name".into(), g.word("net.core.somaxconn")), ("value".into(), v)])])
        });
        Node::Map(p)
    }

    fn container_security_context(&mut self) -> Node {
        let mut c = Vec::new();
        maybe(&mut c, self, 50, "allowPrivilegeEscalation", |g| g.any_bool());
        maybe(&mut c, self, 40, "readOnlyRootFilesystem", |g| g.any_bool());
        maybe(&mut c, self, 30, "privileged", |g| g.any_bool());
        maybe(&mut c, self, 40, "runAsUser", |g| g.int_in(0, 1_000_000_000));
        maybe(&mut c, self, 30, "capabilities", |g| {
            let mut caps = Vec::new();
            maybe(&mut caps, g, 70, "drop", |g| Node::List(vec![g.word("ALL")]));
            maybe(&mut caps, g, 40, "add", |g| {
                let n = g.below(3);
                Node::List((0..n).map(|_| g.word("NET_BIND_SERVICE")).collect())
            });
            Node::Map(caps)
        });
        Node::Map(c)
    }

    fn policy_rule(&mut self) -> Node {
        let mut r = Vec::new();
        maybe(&mut r, self, 80, "apiGroups", |g| {
            let n = g.below(3);
            Node::List(
                (0..n)
                    .map(|_| {
                        let v = *g.rng.pick(&["", "apps", "resource.nvidia.com", "*"]);
                        g.word(v)
                    })
                    .collect(),
            )
        });
        maybe(&mut r, self, 80, "resources", |g| {
            let n = g.below(3);
            Node::List(
                (0..n)
                    .map(|_| {
                        let v = *g.rng.pick(&["pods", "computedomains", "configmaps", "*", "pods/log"]);
                        g.word(v)
                    })
                    .collect(),
            )
        });
        maybe(&mut r, self, 20, "resourceNames", |g| Node::List(vec![g.free()]));
        let n = self.rng.between(0, 4) as usize;
        let verbs = Node::List(
            (0..n)
                .map(|_| {
                    let v = *self.rng.pick(&["create", "delete", "list", "patch", "get", "watch", "*"]);
                    self.word(v)
                })
                .collect(),
        );
        r.push(("verbs".into(), verbs));
        Node::Map(r)
    }

    fn test_runner(&mut self) -> Option<Node> {
        let mut e = Vec::new();
        maybe(&mut e, self, 40, "enabled", |g| {
            let on = g.chance(75);
            g.boolean(on)
        });
        maybe(&mut e, self, 30, "cronJob", |g| {
            let mut c = Vec::new();
            maybe(&mut c, g, 50, "schedule", |g| {
                let v = *g.rng.pick(&["0 2 * * *", "*/5 * * * *", "@daily", "@every 1h30m", "0 0 1,15 * MON-FRI"]);
                let style = [StrStyle::Double, StrStyle::Single, StrStyle::Plain][g.below(3)];
                // `*/5 ...` and `@...` cannot be plain.
                Node::Str(v.into(), if v.starts_with(['*', '@']) { StrStyle::Double } else { style })
            });
            maybe(&mut c, g, 40, "timezone", |g| {
                let v = *g.rng.pick(&["UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5"]);
                g.word(v)
            });
            maybe(&mut c, g, 40, "startingDeadlineSeconds", |g| g.int_in(0, 9_000_000_000));
            maybe(&mut c, g, 30, "concurrencyPolicy", |g| {
                let v = *g.rng.pick(&["Allow", "Forbid", "Replace"]);
                g.word(v)
            });
            maybe(&mut c, g, 30, "suspend", |g| g.any_bool());
            maybe(&mut c, g, 30, "successfulJobsHistoryLimit", |g| g.int_in(0, 100));
            maybe(&mut c, g, 30, "failedJobsHistoryLimit", |g| g.int_in(0, 100));
            Node::Map(c)
        });
        maybe(&mut e, self, 30, "jobTemplate", |g| {
            let mut j = Vec::new();
            maybe(&mut j, g, 40, "parallelism", |g| g.int_in(0, 1000));
            maybe(&mut j, g, 40, "completions", |g| g.int_in(1, 1000));
            maybe(&mut j, g, 40, "backoffLimit", |g| g.int_in(0, 1000));
            maybe(&mut j, g, 40, "activeDeadlineSeconds", |g| g.int_in(1, 100_000_000));
            maybe(&mut j, g, 40, "ttlSecondsAfterFinished", |g| g.int_in(0, 10_000_000));
            maybe(&mut j, g, 30, "completionMode", |g| {
                let v = *g.rng.pick(&["NonIndexed", "Indexed"]);
                g.word(v)
            });
            maybe(&mut j, g, 30, "suspend", |g| g.any_bool());
            Node::Map(j)
        });
        maybe(&mut e, self, 50, "podTemplate", |g| g.pod_template());
        maybe(&mut e, self, 30, "configMap", |g| {
            let mut c = Vec::new();
            maybe(&mut c, g, 50, "nameTemplate", |g| {
                if g.chance(50) {
                    Node::Str(format!("{{{{.TestName}}}}-{}", g.free_text().replace('\n', " ")), StrStyle::Double)
                } else {
                    g.free()
                }
            });
            maybe(&mut c, g, 40, "defaultMode", |g| g.int_in(0, 511));
            maybe(&mut c, g, 40, "optional", |g| g.any_bool());
            Node::Map(c)
        });
        maybe(&mut e, self, 40, "env", |g| Node::Map(vec![("additional".into(), g.string_map(4, KeyStyle::Env))]));
        maybe(&mut e, self, 25, "volumes", |g| {
            let mut v = Vec::new();
            maybe(&mut v, g, 50, "testConfigName", |g| g.label_node("cfg"));
            maybe(&mut v, g, 50, "testConfigMountPath", |g| g.free());
            Node::Map(v)
        });
        maybe(&mut e, self, 30, "labels", |g| g.string_map(3, KeyStyle::Label));
        maybe(&mut e, self, 50, "annotations", |g| {
            let mut a = Vec::new();
            maybe(&mut a, g, 80, "description", |g| {
                if g.chance(30) {
                    let t = format!("{} {{{{.BackendName}}}} {} {{{{.TestName}}}}", g.free_text(), g.free_text());
                    g.string_node(t)
                } else {
                    g.free()
                }
            });
            maybe(&mut a, g, 40, "scheduler", |g| g.free());
            Node::Map(a)
        });
        maybe(&mut e, self, 30, "extraRoles", |g| {
            let n = g.below(3);
            Node::List((0..n).map(|i| g.raw_object(i)).collect())
        });
        map_or_skip(e, self)
    }

    fn pod_template(&mut self) -> Node {
        let mut p = Vec::new();
        maybe(&mut p, self, 30, "image", |g| {
            let mut i = Vec::new();
            maybe(&mut i, g, 50, "repository", |g| g.free());
            maybe(&mut i, g, 50, "tag", |g| {
                let v = *g.rng.pick(&["", "6.4.0", "v2", "0x1F", "012"]);
                Node::Str(v.into(), if v.is_empty() || v.starts_with('0') { StrStyle::Double } else { StrStyle::Plain })
            });
            maybe(&mut i, g, 30, "pullPolicy", |g| {
                let v = *g.rng.pick(&["Always", "IfNotPresent", "Never"]);
                g.word(v)
            });
            Node::Map(i)
        });
        maybe(&mut p, self, 20, "initContainer", |g| {
            let mut i = Vec::new();
            maybe(&mut i, g, 50, "image", |g| g.free());
            maybe(&mut i, g, 30, "imagePullPolicy", |g| g.word("Never"));
            maybe(&mut i, g, 40, "resources", |g| g.resources());
            Node::Map(i)
        });
        maybe(&mut p, self, 30, "container", |g| {
            let mut c = Vec::new();
            maybe(&mut c, g, 60, "args", |g| {
                let n = g.below(5);
                Node::List((0..n).map(|_| g.free()).collect())
            });
            maybe(&mut c, g, 40, "resources", |g| g.resources());
            Node::Map(c)
        });
        maybe(&mut p, self, 20, "securityContext", |g| g.pod_security_context());
        maybe(&mut p, self, 20, "containerSecurityContext", |g| g.container_security_context());
        maybe(&mut p, self, 15, "serviceAccount", |g| g.label_node("runner"));
        maybe(&mut p, self, 20, "automountServiceAccountToken", |g| g.any_bool());
        maybe(&mut p, self, 20, "restartPolicy", |g| {
            let v = *g.rng.pick(&["Never", "OnFailure"]);
            g.word(v)
        });
        maybe(&mut p, self, 20, "terminationGracePeriodSeconds", |g| g.int_in(0, 10_000_000_000));
        maybe(&mut p, self, 30, "labels", |g| g.string_map(3, KeyStyle::Label));
        maybe(&mut p, self, 30, "annotations", |g| g.string_map(3, KeyStyle::Free));
        maybe(&mut p, self, 20, "nodeSelector", |g| g.string_map(2, KeyStyle::Label));
        maybe(&mut p, self, 25, "tolerations", |g| {
            let n = g.below(3);
            Node::List((0..n).map(|_| g.toleration()).collect())
        });
        maybe(&mut p, self, 15, "affinity", |g| {
            let key = g.word("kubernetes.io/arch");
            let values = Node::List(vec![g.free()]);
            let expr =
                Node::Map(vec![("key".into(), key), ("operator".into(), g.word("In")), ("values".into(), values)]);
            let term = Node::Map(vec![("matchExpressions".into(), Node::List(vec![expr]))]);
            let sel = Node::Map(vec![("nodeSelectorTerms".into(), Node::List(vec![term]))]);
            Node::Map(vec![(
                "nodeAffinity".into(),
                Node::Map(vec![("requiredDuringSchedulingIgnoredDuringExecution".into(), sel)]),
            )])
        });
        maybe(&mut p, self, 15, "hostAliases", |g| {
            Node::List(vec![Node::Map(vec![
                ("ip".into(), g.word("127.0.0.1")),
                ("hostnames".into(), Node::List(vec![g.free()])),
            ])])
        });
        Node::Map(p)
    }

    /// A raw object (extraRoles): any YAML under a kind, apiVersion and metadata.
    fn raw_object(&mut self, i: usize) -> Node {
        let kind = *self.rng.pick(&["Role", "RoleBinding", "ClusterRole", "ConfigMap", "CustomThing", "Secret"]);
        let api = *self.rng.pick(&["rbac.authorization.k8s.io/v1", "v1", "example.com/v1alpha1"]);
        let mut meta = vec![("name".to_string(), Node::Str(format!("extra-{i}"), StrStyle::Plain))];
        maybe(&mut meta, self, 40, "namespace", |g| g.label_node("ns"));
        maybe(&mut meta, self, 40, "labels", |g| g.string_map(3, KeyStyle::Label));
        maybe(&mut meta, self, 40, "annotations", |g| g.string_map(3, KeyStyle::Free));
        let mut o = vec![
            ("apiVersion".to_string(), self.word(api)),
            ("kind".to_string(), self.word(kind)),
            ("metadata".to_string(), Node::Map(meta)),
        ];
        maybe(&mut o, self, 50, "rules", |g| {
            let n = g.below(3);
            Node::List((0..n).map(|_| g.policy_rule()).collect())
        });
        maybe(&mut o, self, 40, "data", |g| g.string_map(3, KeyStyle::File));
        maybe(&mut o, self, 50, "spec", |g| {
            let n = g.rng.between(1, 5) as usize;
            Node::Map((0..n).map(|k| (g.key_text(k), g.any(0))).collect())
        });
        if self.chance(10) {
            // A merge key over an anchored map.
            self.anchors += 1;
            let name = format!("base{}", self.anchors);
            let base = Node::Map(vec![("shared".into(), self.any(2)), ("count".into(), self.any_number())]);
            o.push(("template".into(), Node::Anchor(name.clone(), Box::new(base))));
            o.push((
                "derived".into(),
                Node::Map(vec![("<<".into(), Node::Raw(format!("*{name}"))), ("own".into(), self.free())]),
            ));
        }
        Node::Map(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_file() {
        assert_eq!(values_file(7, 3), values_file(7, 3));
        assert_ne!(values_file(7, 3), values_file(7, 4));
    }

    #[test]
    fn every_file_parses_as_a_map() {
        for i in 0..300 {
            let text = values_file(1, i);
            let json = crate::yaml::to_json(&text).unwrap_or_else(|e| panic!("file {i}: {e}\n{text}"));
            assert!(json.is_object(), "file {i}:\n{text}");
        }
    }
}
