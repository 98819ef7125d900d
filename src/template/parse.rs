//! The parser: tokens to a tree, following Go's text/template parser rule by rule
//! (including which errors it reports and where). Function names are checked here, as
//! Go does, against the caller's function table.

use super::ast::{is_empty_list, Arg, Branch, Command, List, Node, Number, Pipe};
use super::error::Error;
use super::lex::{lex, Kind, Token};
use super::value::go_quote;
use std::rc::Rc;

/// Deepest nesting of parentheses and control structures. Go allows 10000 parentheses
/// and unbounded control nesting; this bound keeps the recursion within the stack.
pub const MAX_NESTING: usize = 100;

/// A parsed file: its top-level list and the templates it defines, in order.
#[derive(Debug)]
pub struct Parsed {
    pub root: List,
    pub defines: Vec<(String, List)>,
}

/// Parses `src`, the text of `file`. `is_func` says which function names exist.
pub fn parse(file: &str, src: &str, is_func: &dyn Fn(&str) -> bool) -> Result<Parsed, Error> {
    let mut p = Parser {
        toks: lex(src),
        i: 0,
        src,
        file,
        is_func,
        vars: vec!["$".into()],
        range_depth: 0,
        depth: 0,
        action_pos: None,
        defines: Vec::new(),
    };
    let root = p.parse_top()?;
    // Go adds the file's own tree last, under the same rules as a define.
    let mut defines: Vec<(String, List)> = Vec::new();
    for (name, list) in p.defines {
        add_tree(&mut defines, name, list, file, src, 0)?;
    }
    if let Some((_, list)) = defines.iter().find(|(n, _)| n == file) {
        if !is_empty_list(list) && !is_empty_list(&root) {
            let pos = src.len();
            return Err(Error::parse(
                file,
                src,
                pos,
                format!("template: multiple definition of template {}", go_quote(file)),
            ));
        }
    }
    Ok(Parsed { root, defines })
}

/// Go's `Tree.add`: a second non-empty definition of a name in one parse is an error;
/// an empty one never replaces a non-empty one.
fn add_tree(
    trees: &mut Vec<(String, List)>,
    name: String,
    list: List,
    file: &str,
    src: &str,
    pos: usize,
) -> Result<(), Error> {
    if let Some(existing) = trees.iter_mut().find(|(n, _)| *n == name) {
        if is_empty_list(&existing.1) {
            existing.1 = list;
            return Ok(());
        }
        if !is_empty_list(&list) {
            return Err(Error::parse(
                file,
                src,
                pos,
                format!("template: multiple definition of template {}", go_quote(&name)),
            ));
        }
        return Ok(());
    }
    trees.push((name, list));
    Ok(())
}

/// What an item list ended on.
enum Stop {
    End(usize),
    Else(usize),
}

impl Stop {
    fn describe(&self) -> &'static str {
        match self {
            Stop::End(_) => "{{end}}",
            Stop::Else(_) => "{{else}}",
        }
    }
}

/// One thing inside a list: a node, or the `{{end}}`/`{{else}}` that closes it.
enum Item {
    Node(Node),
    Stop(Stop),
}

struct Parser<'a> {
    toks: Vec<Token<'a>>,
    i: usize,
    src: &'a str,
    file: &'a str,
    is_func: &'a dyn Fn(&str) -> bool,
    vars: Vec<String>,
    range_depth: usize,
    depth: usize,
    /// Where the action being parsed started.
    action_pos: Option<usize>,
    defines: Vec<(String, List)>,
}

type R<T> = Result<T, Error>;

impl<'a> Parser<'a> {
    fn next(&mut self) -> Token<'a> {
        let t = self.toks[self.i.min(self.toks.len() - 1)].clone();
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        } else {
            self.i = self.toks.len();
        }
        t
    }

    fn backup(&mut self) {
        self.i = self.i.saturating_sub(1);
    }

    fn peek(&self) -> &Token<'a> {
        &self.toks[self.i.min(self.toks.len() - 1)]
    }

    fn skip_spaces(&mut self) {
        while self.i < self.toks.len() && self.toks[self.i].kind == Kind::Space {
            self.i += 1;
        }
    }

    fn next_non_space(&mut self) -> Token<'a> {
        self.skip_spaces();
        self.next()
    }

    fn peek_non_space(&mut self) -> &Token<'a> {
        self.skip_spaces();
        self.peek()
    }

    fn err<T>(&self, pos: usize, message: impl Into<String>) -> R<T> {
        Err(Error::parse(self.file, self.src, pos, message))
    }

    fn line(&self, pos: usize) -> usize {
        super::error::line_col(self.src, pos).0
    }

    fn unexpected<T>(&self, token: &Token, context: &str) -> R<T> {
        if token.kind == Kind::Error {
            let mut extra = String::new();
            if let Some(start) = self.action_pos {
                let start_line = self.line(start);
                if start_line != self.line(token.pos) {
                    extra = format!(" in action started at {}:{}", self.file, start_line);
                    if token.val.ends_with(" action") {
                        extra = extra[" in action".len()..].to_string();
                    }
                }
            }
            return self.err(token.pos, format!("{}{}", token.val, extra));
        }
        self.err(token.pos, format!("unexpected {} in {}", token.describe(), context))
    }

    fn expect(&mut self, kind: Kind, context: &str) -> R<Token<'a>> {
        let t = self.next_non_space();
        if t.kind != kind {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    fn enter(&mut self, pos: usize) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return self.err(pos, "max expression depth exceeded");
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn parse_top(&mut self) -> R<List> {
        let mut root = List { pos: 0, nodes: Vec::new() };
        while self.peek().kind != Kind::Eof {
            if self.peek().kind == Kind::LeftDelim {
                let save = self.i;
                self.next();
                if self.next_non_space().kind == Kind::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.i = save;
            }
            match self.text_or_action()? {
                Item::Node(n) => root.nodes.push(n),
                Item::Stop(s) => {
                    let pos = match s {
                        Stop::End(p) | Stop::Else(p) => p,
                    };
                    return self.err(pos, format!("unexpected {}", s.describe()));
                }
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> R<()> {
        const CONTEXT: &str = "define clause";
        let tok = self.next_non_space();
        if tok.kind != Kind::String && tok.kind != Kind::RawString {
            return self.unexpected(&tok, CONTEXT);
        }
        let Some(name) = unquote(&tok.val) else {
            return self.err(tok.pos, "invalid syntax");
        };
        self.expect(Kind::RightDelim, CONTEXT)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let (list, stop) = self.item_list()?;
        self.vars = saved_vars;
        self.range_depth = saved_range;
        if let Stop::Else(pos) = stop {
            return self.err(pos, format!("unexpected {} in {}", stop.describe(), CONTEXT));
        }
        add_tree(&mut self.defines, name, list, self.file, self.src, tok.pos)
    }

    fn item_list(&mut self) -> R<(List, Stop)> {
        let pos = self.peek_non_space().pos;
        let mut list = List { pos, nodes: Vec::new() };
        while self.peek_non_space().kind != Kind::Eof {
            match self.text_or_action()? {
                Item::Node(n) => list.nodes.push(n),
                Item::Stop(s) => return Ok((list, s)),
            }
        }
        let pos = self.peek().pos;
        self.err(pos, "unexpected EOF")
    }

    fn text_or_action(&mut self) -> R<Item> {
        let tok = self.next_non_space();
        match tok.kind {
            Kind::Text => Ok(Item::Node(Node::Text { pos: tok.pos, text: tok.val.into() })),
            Kind::LeftDelim => {
                let saved = self.action_pos.replace(tok.pos);
                let item = self.action();
                self.action_pos = saved;
                item
            }
            _ => self.unexpected(&tok, "input"),
        }
    }

    fn action(&mut self) -> R<Item> {
        let tok = self.next_non_space();
        match tok.kind {
            Kind::Block => return self.block_control().map(Item::Node),
            Kind::Break | Kind::Continue => {
                let what = if tok.kind == Kind::Break { "break" } else { "continue" };
                let t = self.next_non_space();
                if t.kind != Kind::RightDelim {
                    return self.unexpected(&t, &format!("{{{{{what}}}}}"));
                }
                if self.range_depth == 0 {
                    return self.err(tok.pos, format!("{{{{{what}}}}} outside {{{{range}}}}"));
                }
                return Ok(Item::Node(if tok.kind == Kind::Break {
                    Node::Break { pos: tok.pos }
                } else {
                    Node::Continue { pos: tok.pos }
                }));
            }
            Kind::Else => return self.else_control(),
            Kind::End => {
                let t = self.expect(Kind::RightDelim, "end")?;
                return Ok(Item::Stop(Stop::End(t.pos)));
            }
            Kind::If => return self.if_control().map(Item::Node),
            Kind::Range => return self.range_control().map(Item::Node),
            Kind::Template => return self.template_control().map(Item::Node),
            Kind::With => return self.with_control().map(Item::Node),
            _ => {}
        }
        self.backup();
        let pos = self.peek().pos;
        let pipe = self.pipeline("command", Kind::RightDelim)?;
        Ok(Item::Node(Node::Action { pos, pipe }))
    }

    fn else_control(&mut self) -> R<Item> {
        let peek = self.peek_non_space().clone();
        if peek.kind == Kind::If || peek.kind == Kind::With {
            return Ok(Item::Stop(Stop::Else(peek.pos)));
        }
        let t = self.expect(Kind::RightDelim, "else")?;
        Ok(Item::Stop(Stop::Else(t.pos)))
    }

    fn parse_control(&mut self, context: &str) -> R<Branch> {
        let saved_vars = self.vars.len();
        let result = self.parse_control_inner(context);
        self.vars.truncate(saved_vars);
        result
    }

    fn parse_control_inner(&mut self, context: &str) -> R<Branch> {
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        self.enter(pipe.pos)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, stop) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let mut else_list = None;
        if let Stop::Else(else_pos) = stop {
            if context == "if" && self.peek().kind == Kind::If {
                self.next();
                let node = self.if_control()?;
                else_list = Some(List { pos: else_pos, nodes: vec![node] });
            } else if context == "with" && self.peek().kind == Kind::With {
                self.next();
                let node = self.with_control()?;
                else_list = Some(List { pos: else_pos, nodes: vec![node] });
            } else {
                let (l, stop) = self.item_list()?;
                if let Stop::Else(pos) = stop {
                    return self.err(pos, format!("expected end; found {}", stop.describe()));
                }
                else_list = Some(l);
            }
        }
        self.leave();
        Ok(Branch { pos: pipe.pos, pipe, list, else_list })
    }

    fn if_control(&mut self) -> R<Node> {
        self.parse_control("if").map(Node::If)
    }

    fn range_control(&mut self) -> R<Node> {
        self.parse_control("range").map(Node::Range)
    }

    fn with_control(&mut self) -> R<Node> {
        self.parse_control("with").map(Node::With)
    }

    fn template_name(&self, tok: &Token, context: &str) -> R<String> {
        match tok.kind {
            Kind::String | Kind::RawString => match unquote(&tok.val) {
                Some(s) => Ok(s),
                None => self.err(tok.pos, "invalid syntax"),
            },
            _ => self.unexpected(tok, context),
        }
    }

    fn template_control(&mut self) -> R<Node> {
        const CONTEXT: &str = "template clause";
        let tok = self.next_non_space();
        let name = self.template_name(&tok, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().kind != Kind::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, Kind::RightDelim)?);
        }
        Ok(Node::Template { pos: tok.pos, name, pipe })
    }

    fn block_control(&mut self) -> R<Node> {
        const CONTEXT: &str = "block clause";
        let tok = self.next_non_space();
        let name = self.template_name(&tok, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, Kind::RightDelim)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        self.enter(tok.pos)?;
        let (list, stop) = self.item_list()?;
        self.leave();
        self.vars = saved_vars;
        self.range_depth = saved_range;
        if let Stop::Else(pos) = stop {
            return self.err(pos, format!("unexpected {} in {}", stop.describe(), CONTEXT));
        }
        add_tree(&mut self.defines, name.clone(), list, self.file, self.src, tok.pos)?;
        Ok(Node::Template { pos: tok.pos, name, pipe: Some(pipe) })
    }

    fn pipeline(&mut self, context: &str, end: Kind) -> R<Pipe> {
        let pos = self.peek_non_space().pos;
        let mut pipe = Pipe { pos, is_assign: false, decl: Vec::new(), cmds: Vec::new() };
        // Declarations or assignments.
        loop {
            let save = self.i;
            let v = self.peek_non_space().clone();
            if v.kind != Kind::Variable {
                self.i = save;
                break;
            }
            self.next();
            let next = self.peek_non_space().clone();
            match next.kind {
                Kind::Assign | Kind::Declare => {
                    pipe.is_assign = next.kind == Kind::Assign;
                    self.next_non_space();
                    pipe.decl.push(v.val.to_string());
                    self.vars.push(v.val.into_owned());
                    break;
                }
                Kind::Char if next.val == "," => {
                    self.next_non_space();
                    pipe.decl.push(v.val.to_string());
                    self.vars.push(v.val.into_owned());
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().kind {
                            Kind::Variable | Kind::RightDelim | Kind::RightParen => continue,
                            _ => return self.err(next.pos, "range can only initialize variables"),
                        }
                    }
                    return self.err(next.pos, format!("too many declarations in {context}"));
                }
                _ => {
                    self.i = save;
                    break;
                }
            }
        }
        loop {
            let tok = self.next_non_space();
            match tok.kind {
                k if k == end => {
                    self.check_pipeline(&pipe, context, tok.pos)?;
                    return Ok(pipe);
                }
                Kind::Bool
                | Kind::CharConstant
                | Kind::Complex
                | Kind::Dot
                | Kind::Field
                | Kind::Identifier
                | Kind::Number
                | Kind::Nil
                | Kind::RawString
                | Kind::String
                | Kind::Variable
                | Kind::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return self.unexpected(&tok, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str, pos: usize) -> R<()> {
        if pipe.cmds.is_empty() {
            return self.err(pos, format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args.first(),
                Some(Arg::Bool { .. } | Arg::Dot { .. } | Arg::Nil { .. } | Arg::Number { .. } | Arg::String { .. })
            ) {
                return self.err(pos, format!("non executable command in pipeline stage {}", i + 1));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> R<Command> {
        let pos = self.peek_non_space().pos;
        let mut cmd = Command { pos, args: Vec::new() };
        loop {
            self.skip_spaces();
            if let Some(operand) = self.operand()? {
                cmd.args.push(operand);
            }
            let tok = self.next();
            match tok.kind {
                Kind::Space => continue,
                Kind::RightDelim | Kind::RightParen => self.backup(),
                Kind::Pipe => {}
                _ => return self.unexpected(&tok, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.err(pos, "empty command");
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> R<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().kind != Kind::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().kind == Kind::Field {
            fields.push(self.next().val[1..].to_string());
        }
        Ok(Some(match node {
            Arg::Field { mut idents, .. } => {
                idents.extend(fields);
                Arg::Field { pos: chain_pos, idents }
            }
            Arg::Variable { mut idents, .. } => {
                idents.extend(fields);
                Arg::Variable { pos: chain_pos, idents }
            }
            Arg::Bool { .. } | Arg::String { .. } | Arg::Number { .. } | Arg::Nil { .. } | Arg::Dot { .. } => {
                return self.err(chain_pos, format!("unexpected . after term {}", go_quote(&node.to_string())));
            }
            node => Arg::Chain { pos: chain_pos, node: Box::new(node), fields },
        }))
    }

    fn term(&mut self) -> R<Option<Arg>> {
        let tok = self.next_non_space();
        Ok(Some(match tok.kind {
            Kind::Identifier => {
                if !(self.is_func)(&tok.val) {
                    return self.err(tok.pos, format!("function {} not defined", go_quote(&tok.val)));
                }
                Arg::Identifier { pos: tok.pos, name: tok.val.into_owned() }
            }
            Kind::Dot => Arg::Dot { pos: tok.pos },
            Kind::Nil => Arg::Nil { pos: tok.pos },
            Kind::Variable => {
                if !self.vars.iter().any(|v| *v == tok.val) {
                    return self.err(tok.pos, format!("undefined variable {}", go_quote(&tok.val)));
                }
                Arg::Variable { pos: tok.pos, idents: vec![tok.val.into_owned()] }
            }
            Kind::Field => Arg::Field { pos: tok.pos, idents: vec![tok.val[1..].to_string()] },
            Kind::Bool => Arg::Bool { pos: tok.pos, val: tok.val == "true" },
            Kind::CharConstant | Kind::Complex | Kind::Number => match parse_number(&tok.val, tok.kind) {
                Ok(num) => Arg::Number { pos: tok.pos, num },
                Err(message) => return self.err(tok.pos, message),
            },
            Kind::LeftParen => {
                self.enter(tok.pos)?;
                let pipe = self.pipeline("parenthesized pipeline", Kind::RightParen)?;
                self.leave();
                Arg::Pipe(Box::new(pipe))
            }
            Kind::String | Kind::RawString => match unquote(&tok.val) {
                Some(text) => Arg::String { pos: tok.pos, quoted: tok.val.into_owned(), text: Rc::from(text) },
                None => return self.err(tok.pos, "invalid syntax"),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)`: sign, 0x/0o/0b prefixes, leading-0 octal and
/// underscores between digits.
pub fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = parse_go_uint(body)?;
    if neg {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)`.
pub fn parse_go_uint(s: &str) -> Option<u64> {
    let lower = s.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(r) = lower.strip_prefix("0x") {
        (16, r, true)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (8, r, true)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (2, r, true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..], true)
    } else {
        (10, lower.as_str(), false)
    };
    // Underscores may only separate digits (or follow a base prefix).
    if digits.contains('_') {
        let b = digits.as_bytes();
        let mut prev_digit = prefixed;
        for &c in b {
            if c == b'_' {
                if !prev_digit {
                    return None;
                }
                prev_digit = false;
            } else {
                prev_digit = true;
            }
        }
        if !prev_digit {
            return None;
        }
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() {
        return None;
    }
    u64::from_str_radix(&clean, radix).ok()
}

fn parse_number(text: &str, kind: Kind) -> Result<Number, String> {
    let mut n = Number { text: text.into(), int: None, float: None, is_uint: false, is_complex: false };
    if kind == Kind::CharConstant {
        let inner = &text[1..text.len().saturating_sub(1).max(1)];
        let (c, rest) = unquote_char(inner, '\'').ok_or_else(|| "invalid syntax".to_string())?;
        if !rest.is_empty() {
            return Err(format!("malformed character constant: {text}"));
        }
        n.int = Some(c as i64);
        n.float = Some(c as u32 as f64);
        return Ok(n);
    }
    if kind == Kind::Complex || text.ends_with('i') {
        n.is_complex = true;
        return Ok(n);
    }
    let u = parse_go_uint(text.trim_start_matches('+'));
    if let Some(i) = parse_go_int(text) {
        n.int = Some(i);
        n.float = Some(i as f64);
    } else if let Some(u) = u.filter(|_| !text.starts_with('-')) {
        n.is_uint = true;
        n.float = Some(u as f64);
    } else {
        let clean: String = text.chars().filter(|&c| c != '_').collect();
        let lower = clean.to_ascii_lowercase();
        let f = if lower.contains("0x") { None } else { clean.parse::<f64>().ok() };
        if let Some(f) = f {
            if !text.contains(['.', 'e', 'E', 'p', 'P']) {
                return Err(format!("integer overflow: {}", go_quote(text)));
            }
            n.float = Some(f);
            if f.fract() == 0.0 && f.abs() < 9.2e18 {
                n.int = Some(f as i64);
            }
        }
    }
    if n.int.is_none() && n.float.is_none() && !n.is_uint {
        return Err(format!("illegal number syntax: {}", go_quote(text)));
    }
    Ok(n)
}

/// Go's `strconv.Unquote` for "...", `...` and '...' literals.
pub fn unquote(s: &str) -> Option<String> {
    let first = s.chars().next()?;
    if s.len() < 2 || !s.ends_with(first) {
        return None;
    }
    let inner = &s[1..s.len() - 1];
    match first {
        '`' => {
            if inner.contains('`') {
                return None;
            }
            Some(inner.replace('\r', ""))
        }
        '"' | '\'' => {
            let mut out = String::new();
            let mut rest = inner;
            while !rest.is_empty() {
                let (c, tail) = unquote_char(rest, first)?;
                out.push(c);
                rest = tail;
            }
            if first == '\'' && out.chars().count() != 1 {
                return None;
            }
            Some(out)
        }
        _ => None,
    }
}

/// Go's `strconv.UnquoteChar`: the first character of a quoted literal's body.
fn unquote_char(s: &str, quote: char) -> Option<(char, &str)> {
    let mut chars = s.chars();
    let c = chars.next()?;
    if c == quote && (quote == '\'' || quote == '"') {
        return None;
    }
    if c != '\\' {
        if c == '\n' {
            return None;
        }
        return Some((c, chars.as_str()));
    }
    let e = chars.next()?;
    let rest = chars.as_str();
    let simple = match e {
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        '\\' => Some('\\'),
        '\'' | '"' => {
            if e != quote {
                return None;
            }
            Some(e)
        }
        _ => None,
    };
    if let Some(c) = simple {
        return Some((c, rest));
    }
    let hex = |n: usize| -> Option<(u32, &str)> {
        if rest.len() < n || !rest.is_char_boundary(n) {
            return None;
        }
        Some((u32::from_str_radix(&rest[..n], 16).ok()?, &rest[n..]))
    };
    match e {
        'x' => {
            let (v, tail) = hex(2)?;
            // A byte escape: only ASCII values make a valid char here.
            Some((char::from_u32(v)?, tail))
        }
        'u' => {
            let (v, tail) = hex(4)?;
            Some((char::from_u32(v)?, tail))
        }
        'U' => {
            let (v, tail) = hex(8)?;
            Some((char::from_u32(v)?, tail))
        }
        '0'..='7' => {
            if rest.len() < 2 || !rest.is_char_boundary(2) {
                return None;
            }
            let v = u32::from_str_radix(&format!("{e}{}", &rest[..2]), 8).ok()?;
            if v > 255 {
                return None;
            }
            Some((char::from_u32(v)?, &rest[2..]))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(src: &str) -> Result<Parsed, Error> {
        parse("t", src, &|name| matches!(name, "printf" | "include" | "eq"))
    }

    #[test]
    fn parses_and_prints_back() {
        let parsed = p("a{{ $x := printf \"%d\" 1 | printf \"%s\" }}{{if eq $x .a.b}}y{{else if .c}}z{{end}}").unwrap();
        assert_eq!(
            parsed.root.to_string(),
            "a{{$x := printf \"%d\" 1 | printf \"%s\"}}{{if eq $x .a.b}}y{{else}}{{if .c}}z{{end}}{{end}}"
        );
    }

    #[test]
    fn go_parse_errors() {
        assert_eq!(p("{{ nope }}").unwrap_err().to_string(), "template: t:1: function \"nope\" not defined");
        assert_eq!(p("x\n{{ $y }}").unwrap_err().to_string(), "template: t:2: undefined variable \"$y\"");
        assert_eq!(p("{{ end }}").unwrap_err().to_string(), "template: t:1: unexpected {{end}}");
        assert_eq!(p("{{ if 1 }}").unwrap_err().to_string(), "template: t:1: unexpected EOF");
        assert_eq!(p("{{ break }}").unwrap_err().to_string(), "template: t:1: {{break}} outside {{range}}");
        assert!(p(&format!("{{{{{}1{}}}}}", "(".repeat(200), ")".repeat(200)))
            .unwrap_err()
            .message
            .contains("max expression depth"));
    }

    #[test]
    fn defines_are_collected() {
        let parsed = p("{{define \"a\"}}A{{end}}{{block \"b\" .}}B{{end}}").unwrap();
        let names: Vec<_> = parsed.defines.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert!(p("{{define \"a\"}}A{{end}}{{define \"a\"}}B{{end}}").is_err());
    }
}
