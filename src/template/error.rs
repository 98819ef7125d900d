//! The one error type of the template engine. It keeps the pieces Go's text/template
//! puts into its messages (file, line, column, template, node text, message) as fields,
//! so callers format them as they need (Helm 3 and Helm 4 print them differently)
//! without re-parsing strings. Line and column are computed from the byte offset only
//! when an error is made.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The template text is not valid: reported with a line only.
    Parse,
    /// Executing failed: reported with line, column, template and node.
    Exec,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub kind: ErrorKind,
    /// The file the offending text is in (Go's ParseName).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// Byte column as Go reports it: 0-based from the start of the line.
    pub col: usize,
    /// The template being executed (a file or a `define` name).
    pub template: String,
    /// The node being executed, as Go prints it.
    pub context: String,
    /// What went wrong at this level.
    pub message: String,
    /// The error of a template that a function (`include`, `tpl`) executed.
    pub cause: Option<Box<Error>>,
    /// The message given to `fail` or `required`, which Helm shows on its own.
    pub user_message: Option<String>,
}

/// Go's line and column of a byte offset in `src`.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src.as_bytes()[..offset];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let col = match before.iter().rposition(|&b| b == b'\n') {
        Some(nl) => offset - (nl + 1),
        None => offset,
    };
    (line, col)
}

impl Error {
    /// A parse error at `offset` of `src`.
    pub fn parse(file: &str, src: &str, offset: usize, message: impl Into<String>) -> Error {
        let (line, _) = line_col(src, offset);
        Error {
            kind: ErrorKind::Parse,
            file: file.into(),
            line,
            col: 0,
            template: String::new(),
            context: String::new(),
            message: message.into(),
            cause: None,
            user_message: None,
        }
    }

    /// An execution error at node text `context`, found at `offset` of `src`.
    pub fn exec(file: &str, src: &str, offset: usize, template: &str, context: &str, message: String) -> Error {
        let (line, col) = line_col(src, offset);
        Error {
            kind: ErrorKind::Exec,
            file: file.into(),
            line,
            col,
            template: template.into(),
            context: context.into(),
            message,
            cause: None,
            user_message: None,
        }
    }

    /// `file:line:col` (or `file:line` for parse errors), as Go prints locations.
    pub fn location(&self) -> String {
        match self.kind {
            ErrorKind::Parse => format!("{}:{}", self.file, self.line),
            ErrorKind::Exec => format!("{}:{}:{}", self.file, self.line, self.col),
        }
    }

    /// The innermost error of the chain.
    pub fn innermost(&self) -> &Error {
        let mut e = self;
        while let Some(cause) = &e.cause {
            e = cause;
        }
        e
    }

    /// The `fail`/`required` message anywhere in the chain.
    pub fn user_message(&self) -> Option<&str> {
        self.innermost().user_message.as_deref().or(self.user_message.as_deref())
    }
}

impl fmt::Display for Error {
    /// Go's own text: `template: file:line:col: executing "name" at <node>: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::Parse => write!(f, "template: {}: {}", self.location(), self.message)?,
            ErrorKind::Exec => write!(
                f,
                "template: {}: executing {} at <{}>: {}",
                self.location(),
                super::value::go_quote(&self.template),
                self.context,
                self.message
            )?,
        }
        if let Some(cause) = &self.cause {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_go_byte_columns() {
        assert_eq!(line_col("abc", 2), (1, 2));
        assert_eq!(line_col("a\nbcd", 4), (2, 2));
        let e = Error::exec("f.yaml", "a: {{ .x.y }}", 6, "f.yaml", ".x.y", "boom".into());
        assert_eq!(e.to_string(), "template: f.yaml:1:6: executing \"f.yaml\" at <.x.y>: boom");
    }
}
