//! The lexer: Go text/template's state machine, one function per state. It does all of
//! the `{{-`/`-}}` whitespace trimming and drops comments, so the parser never sees
//! either. Tokens keep their byte offset in the source.

use std::borrow::Cow;

/// Token kinds, as Go's lexer names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Define,
    Dot,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl Kind {
    pub fn is_keyword(self) -> bool {
        matches!(
            self,
            Kind::Block
                | Kind::Break
                | Kind::Continue
                | Kind::Define
                | Kind::Dot
                | Kind::Else
                | Kind::End
                | Kind::If
                | Kind::Nil
                | Kind::Range
                | Kind::Template
                | Kind::With
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token<'a> {
    pub kind: Kind,
    /// Byte offset of the token in the source.
    pub pos: usize,
    /// The token's text (borrowed from the source), or the message of an `Error` token.
    pub val: Cow<'a, str>,
}

impl Token<'_> {
    /// How Go's parser names a token in its messages.
    pub fn describe(&self) -> String {
        match self.kind {
            Kind::Eof => "EOF".into(),
            Kind::Error => self.val.to_string(),
            k if k.is_keyword() => format!("<{}>", self.val),
            _ if self.val.chars().count() > 10 => {
                let short: String = self.val.chars().take(10).collect();
                format!("{}...", super::value::go_quote(&short))
            }
            _ => super::value::go_quote(&self.val),
        }
    }
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";

/// A state of the machine: what to do next.
struct State(fn(&mut Lexer) -> Option<State>);

pub struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    paren_depth: usize,
    tokens: Vec<Token<'a>>,
}

/// Splits `input` into tokens; the last one is `Eof` or `Error`.
pub fn lex(input: &str) -> Vec<Token<'_>> {
    let mut l = Lexer { input, pos: 0, start: 0, paren_depth: 0, tokens: Vec::new() };
    let mut state = Some(State(lex_text));
    while let Some(State(f)) = state {
        state = f(&mut l);
    }
    l.tokens
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Go's `isAlphaNumeric`: letters, digits and the underscore.
fn is_alnum(c: char) -> bool {
    c == '_' || super::value::go_is_letter(c) || super::value::go_is_digit(c)
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn next(&mut self) -> Option<char> {
        let c = self.rest().chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn backup(&mut self, c: Option<char>) {
        if let Some(c) = c {
            self.pos -= c.len_utf8();
        }
    }

    fn emit(&mut self, kind: Kind) {
        self.tokens.push(Token { kind, pos: self.start, val: Cow::Borrowed(&self.input[self.start..self.pos]) });
        self.start = self.pos;
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.peek() {
            Some(c) if valid.contains(c) => {
                self.pos += c.len_utf8();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn error(&mut self, message: String) -> Option<State> {
        self.tokens.push(Token { kind: Kind::Error, pos: self.start, val: Cow::Owned(message) });
        None
    }

    /// Is the input at a right delimiter, and is it trimmed (` -}}`)?
    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest();
        if has_right_trim(rest) && rest[2..].starts_with(RIGHT) {
            return (true, true);
        }
        (rest.starts_with(RIGHT), false)
    }

    /// Can the current word end here?
    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) => is_space(c) || matches!(c, '.' | ',' | '|' | ':' | ')' | '(' | '}'),
        }
    }
}

fn has_left_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

fn trailing_space_len(s: &str) -> usize {
    s.len() - s.trim_end_matches(is_space).len()
}

fn leading_space_len(s: &str) -> usize {
    s.len() - s.trim_start_matches(is_space).len()
}

fn lex_text(l: &mut Lexer) -> Option<State> {
    match l.rest().find(LEFT) {
        Some(x) => {
            l.pos += x;
            let mut trim = 0;
            if has_left_trim(&l.input[l.pos + LEFT.len()..]) {
                trim = trailing_space_len(&l.input[l.start..l.pos]);
            }
            l.pos -= trim;
            if l.pos > l.start {
                l.emit(Kind::Text);
            }
            l.pos += trim;
            l.ignore();
            Some(State(lex_left_delim))
        }
        None => {
            l.pos = l.input.len();
            if l.pos > l.start {
                l.emit(Kind::Text);
            }
            l.emit(Kind::Eof);
            None
        }
    }
}

fn lex_left_delim(l: &mut Lexer) -> Option<State> {
    l.pos += LEFT.len();
    let trim = has_left_trim(l.rest());
    let after = if trim { 2 } else { 0 };
    if l.rest()[after..].starts_with(LEFT_COMMENT) {
        l.pos += after;
        l.ignore();
        return Some(State(lex_comment));
    }
    l.emit(Kind::LeftDelim);
    l.pos += after;
    l.ignore();
    l.paren_depth = 0;
    Some(State(lex_inside_action))
}

fn lex_comment(l: &mut Lexer) -> Option<State> {
    l.pos += LEFT_COMMENT.len();
    let Some(x) = l.rest().find(RIGHT_COMMENT) else {
        return l.error("unclosed comment".into());
    };
    l.pos += x + RIGHT_COMMENT.len();
    let (delim, trim) = l.at_right_delim();
    if !delim {
        return l.error("comment ends before closing delimiter".into());
    }
    if trim {
        l.pos += 2;
    }
    l.pos += RIGHT.len();
    if trim {
        l.pos += leading_space_len(l.rest());
    }
    l.ignore();
    Some(State(lex_text))
}

fn lex_right_delim(l: &mut Lexer) -> Option<State> {
    let trim = has_right_trim(l.rest());
    if trim {
        l.pos += 2;
        l.ignore();
    }
    l.pos += RIGHT.len();
    l.emit(Kind::RightDelim);
    if trim {
        l.pos += leading_space_len(l.rest());
        l.ignore();
    }
    Some(State(lex_text))
}

fn lex_inside_action(l: &mut Lexer) -> Option<State> {
    let (delim, _) = l.at_right_delim();
    if delim {
        if l.paren_depth == 0 {
            return Some(State(lex_right_delim));
        }
        return l.error("unclosed left paren".into());
    }
    let c = l.next();
    match c {
        None => l.error("unclosed action".into()),
        Some(c) if is_space(c) => {
            l.backup(Some(c));
            Some(State(lex_space))
        }
        Some('=') => {
            l.emit(Kind::Assign);
            Some(State(lex_inside_action))
        }
        Some(':') => {
            if l.next() != Some('=') {
                return l.error("expected :=".into());
            }
            l.emit(Kind::Declare);
            Some(State(lex_inside_action))
        }
        Some('|') => {
            l.emit(Kind::Pipe);
            Some(State(lex_inside_action))
        }
        Some('"') => Some(State(lex_quote)),
        Some('`') => Some(State(lex_raw_quote)),
        Some('$') => Some(State(lex_variable)),
        Some('\'') => Some(State(lex_char)),
        Some('.') => {
            if l.peek().is_some_and(|c| c.is_ascii_digit()) {
                l.backup(Some('.'));
                return Some(State(lex_number));
            }
            Some(State(lex_field))
        }
        Some(c @ ('+' | '-' | '0'..='9')) => {
            l.backup(Some(c));
            Some(State(lex_number))
        }
        Some(c) if is_alnum(c) => {
            l.backup(Some(c));
            Some(State(lex_identifier))
        }
        Some('(') => {
            l.emit(Kind::LeftParen);
            l.paren_depth += 1;
            Some(State(lex_inside_action))
        }
        Some(')') => {
            l.emit(Kind::RightParen);
            if l.paren_depth == 0 {
                return l.error("unexpected right paren".into());
            }
            l.paren_depth -= 1;
            Some(State(lex_inside_action))
        }
        Some(c) if c.is_ascii() && !c.is_ascii_control() => {
            l.emit(Kind::Char);
            Some(State(lex_inside_action))
        }
        Some(c) => l.error(format!("unrecognized character in action: {}", go_rune(c))),
    }
}

/// Go's `%#U` of a rune: `U+0041 'A'`.
fn go_rune(c: char) -> String {
    if super::value::go_is_print(c) {
        format!("U+{:04X} '{}'", c as u32, c)
    } else {
        format!("U+{:04X}", c as u32)
    }
}

fn lex_space(l: &mut Lexer) -> Option<State> {
    let mut count = 0;
    while l.peek().is_some_and(is_space) {
        l.next();
        count += 1;
    }
    // A space before `-}}` belongs to the trim marker.
    if has_right_trim(&l.input[l.pos - 1..]) && l.input[l.pos - 1 + 2..].starts_with(RIGHT) {
        l.pos -= 1;
        if count == 1 {
            return Some(State(lex_right_delim));
        }
    }
    l.emit(Kind::Space);
    Some(State(lex_inside_action))
}

fn lex_identifier(l: &mut Lexer) -> Option<State> {
    loop {
        match l.next() {
            Some(c) if is_alnum(c) => {}
            c => {
                l.backup(c);
                break;
            }
        }
    }
    if !l.at_terminator() {
        let c = l.peek().unwrap_or('\0');
        return l.error(format!("bad character {}", go_rune(c)));
    }
    let word = &l.input[l.start..l.pos];
    let kind = match word {
        "block" => Kind::Block,
        "break" => Kind::Break,
        "continue" => Kind::Continue,
        "define" => Kind::Define,
        "else" => Kind::Else,
        "end" => Kind::End,
        "if" => Kind::If,
        "range" => Kind::Range,
        "nil" => Kind::Nil,
        "template" => Kind::Template,
        "with" => Kind::With,
        "true" | "false" => Kind::Bool,
        _ => Kind::Identifier,
    };
    l.emit(kind);
    Some(State(lex_inside_action))
}

fn lex_field(l: &mut Lexer) -> Option<State> {
    lex_field_or_variable(l, Kind::Field)
}

fn lex_variable(l: &mut Lexer) -> Option<State> {
    lex_field_or_variable(l, Kind::Variable)
}

fn lex_field_or_variable(l: &mut Lexer, kind: Kind) -> Option<State> {
    if l.at_terminator() {
        l.emit(if kind == Kind::Variable { Kind::Variable } else { Kind::Dot });
        return Some(State(lex_inside_action));
    }
    let mut last;
    loop {
        last = l.next();
        match last {
            Some(c) if is_alnum(c) => {}
            c => {
                l.backup(c);
                break;
            }
        }
    }
    if !l.at_terminator() {
        let c = l.peek().unwrap_or('\0');
        return l.error(format!("bad character {}", go_rune(c)));
    }
    l.emit(kind);
    Some(State(lex_inside_action))
}

fn lex_char(l: &mut Lexer) -> Option<State> {
    loop {
        match l.next() {
            Some('\\') => match l.next() {
                Some('\n') | None => return l.error("unterminated character constant".into()),
                _ => {}
            },
            Some('\n') | None => return l.error("unterminated character constant".into()),
            Some('\'') => break,
            _ => {}
        }
    }
    l.emit(Kind::CharConstant);
    Some(State(lex_inside_action))
}

fn lex_number(l: &mut Lexer) -> Option<State> {
    if !scan_number(l) {
        let text = l.input[l.start..l.pos].to_string();
        return l.error(format!("bad number syntax: {}", super::value::go_quote(&text)));
    }
    if matches!(l.peek(), Some('+' | '-')) {
        if !scan_number(l) || !l.input[..l.pos].ends_with('i') {
            let text = l.input[l.start..l.pos].to_string();
            return l.error(format!("bad number syntax: {}", super::value::go_quote(&text)));
        }
        l.emit(Kind::Complex);
    } else {
        l.emit(Kind::Number);
    }
    Some(State(lex_inside_action))
}

fn scan_number(l: &mut Lexer) -> bool {
    l.accept("+-");
    let mut digits = "0123456789_";
    if l.accept("0") {
        if l.accept("xX") {
            digits = "0123456789abcdefABCDEF_";
        } else if l.accept("oO") {
            digits = "01234567_";
        } else if l.accept("bB") {
            digits = "01_";
        }
    }
    l.accept_run(digits);
    if l.accept(".") {
        l.accept_run(digits);
    }
    if digits.len() == 11 && l.accept("eE") {
        l.accept("+-");
        l.accept_run("0123456789_");
    }
    if digits.len() == 23 && l.accept("pP") {
        l.accept("+-");
        l.accept_run("0123456789_");
    }
    l.accept("i");
    if l.peek().is_some_and(is_alnum) {
        l.next();
        return false;
    }
    true
}

fn lex_quote(l: &mut Lexer) -> Option<State> {
    loop {
        match l.next() {
            Some('\\') => match l.next() {
                Some('\n') | None => return l.error("unterminated quoted string".into()),
                _ => {}
            },
            Some('\n') | None => return l.error("unterminated quoted string".into()),
            Some('"') => break,
            _ => {}
        }
    }
    l.emit(Kind::String);
    Some(State(lex_inside_action))
}

fn lex_raw_quote(l: &mut Lexer) -> Option<State> {
    loop {
        match l.next() {
            None => return l.error("unterminated raw quoted string".into()),
            Some('`') => break,
            _ => {}
        }
    }
    l.emit(Kind::RawString);
    Some(State(lex_inside_action))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Kind, String)> {
        lex(src).into_iter().map(|t| (t.kind, t.val.into_owned())).collect()
    }

    #[test]
    fn trims_and_drops_comments() {
        let toks = kinds("a  {{- .x -}}  b{{/* c */}} d {{- /* e */ -}} f");
        assert_eq!(
            toks,
            vec![
                (Kind::Text, "a".into()),
                (Kind::LeftDelim, "{{".into()),
                (Kind::Field, ".x".into()),
                (Kind::RightDelim, "}}".into()),
                (Kind::Text, "b".into()),
                (Kind::Text, " d".into()),
                (Kind::Text, "f".into()),
                (Kind::Eof, "".into()),
            ]
        );
    }

    #[test]
    fn numbers_and_errors() {
        assert_eq!(kinds("{{-3}}")[1], (Kind::Number, "-3".into()));
        assert_eq!(kinds("{{ 1.5e3 }}")[2], (Kind::Number, "1.5e3".into()));
        assert_eq!(kinds("{{ \"x }}").last().unwrap().0, Kind::Error);
        assert_eq!(kinds("{{ .a.b }}")[2..4], [(Kind::Field, ".a".into()), (Kind::Field, ".b".into())]);
    }
}
