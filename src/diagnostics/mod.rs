//! Findings as plain data, shared by every checking subcommand, and their output
//! formats: one renderer per format (human, json, sarif, github), none of which
//! knows how the findings were made.

mod github;
mod human;
mod json;
mod sarif;

use std::fmt;

pub use human::ColorChoice;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One finding: where it is, what rule found it, and how to fix it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Diagnostic {
    /// The file as the user named it (`--set` for command-line values).
    pub file: String,
    /// 1-based line and column, in characters.
    pub line: usize,
    pub column: usize,
    /// The values path, e.g. `services.backendWorker.resources.requests.memory`; empty
    /// for a finding about the whole file.
    pub path: String,
    pub severity: Severity,
    pub rule: &'static str,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The offending source line, for the human format's excerpt.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// How many characters the caret underlines.
    #[serde(skip)]
    pub width: usize,
}

/// Where a finding points inside a text.
#[derive(Clone, Copy, Debug, Default)]
pub struct Location {
    pub offset: usize,
    pub len: usize,
}

impl Location {
    /// The bytes a YAML node spans.
    pub fn of(span: crate::yaml::Span) -> Location {
        Location { offset: span.start, len: span.end.saturating_sub(span.start) }
    }
}

impl Diagnostic {
    /// A finding at a byte range of `src`, with line and column computed now.
    pub fn at(
        file: &str,
        src: &str,
        location: Location,
        path: impl Into<String>,
        severity: Severity,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = crate::yaml::line_col(src, location.offset);
        let source_line = src.lines().nth(line - 1).map(str::to_owned);
        let width = src
            .get(location.offset..location.offset + location.len)
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count().max(1));
        Diagnostic {
            file: file.to_owned(),
            line,
            column,
            path: path.into(),
            severity,
            rule,
            message: message.into(),
            source_line,
            width,
        }
    }
}

impl Diagnostic {
    /// The same finding about another values path.
    pub fn with_path(mut self, path: &str) -> Diagnostic {
        self.path = path.to_owned();
        self
    }
}

/// Sorts findings by file, line, column, then rule, and drops exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule, &a.path, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.rule, &b.path, &b.message))
    });
    diagnostics.dedup_by(|a, b| {
        a.file == b.file && a.line == b.line && a.column == b.column && a.rule == b.rule && a.message == b.message
    });
}

/// The output formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: the source line with a caret, in colour on a terminal.
    #[default]
    Human,
    /// `{"diagnostics": [...], "errors": N, "warnings": N}`, for other tools.
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions workflow commands, which annotate the pull request.
    Github,
}

/// Declares a checker's rules: one `pub const ID: &str` each, and `ALL`, their docs in
/// the order `--list-rules` shows them.
macro_rules! declare_rules {
    ($($konst:ident = $id:literal, $sev:ident, $summary:literal, $doc:literal;)*) => {
        $(pub const $konst: &str = $id;)*
        /// All rules, in the order `--list-rules` shows them.
        pub const ALL: &[$crate::diagnostics::RuleDoc] = &[
            $($crate::diagnostics::RuleDoc {
                id: $id,
                severity: $crate::diagnostics::Severity::$sev,
                summary: $summary,
                doc: $doc,
            },)*
        ];
    };
}
pub(crate) use declare_rules;

/// A rule's identity and documentation, for SARIF and `--list-rules`.
#[derive(Clone, Copy, Debug)]
pub struct RuleDoc {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub doc: &'static str,
}

pub fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics.iter().filter(|d| d.severity == severity).count()
}

/// Renders findings in a format. `tool` names the program for SARIF.
pub fn render(format: Format, diagnostics: &[Diagnostic], rules: &[RuleDoc], color: ColorChoice) -> String {
    match format {
        Format::Human => human::render(diagnostics, color),
        Format::Json => json::render(diagnostics),
        Format::Sarif => sarif::render(diagnostics, rules),
        Format::Github => github::render(diagnostics),
    }
}
