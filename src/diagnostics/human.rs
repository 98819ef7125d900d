//! The human format: rustc-style, with the source line and a caret, in colour on a terminal.

use super::{count, Diagnostic, Severity};
use std::io::IsTerminal;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and NO_COLOR is unset.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

struct Paint(bool);

impl Paint {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

pub fn render(diagnostics: &[Diagnostic], color: ColorChoice) -> String {
    let p = Paint(color.enabled());
    let mut out = String::new();
    for d in diagnostics {
        let (label, code) = match d.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        out.push_str(&format!(
            "{}{} {}\n",
            p.paint(code, &format!("{label}[{}]", d.rule)),
            p.paint("1", ":"),
            p.paint("1", &d.message)
        ));
        let gutter = d.line.to_string().len();
        let pad = " ".repeat(gutter);
        out.push_str(&format!("{pad}{} {}:{}:{}\n", p.paint("1;34", "-->"), d.file, d.line, d.column));
        if let Some(line) = &d.source_line {
            out.push_str(&format!("{pad} {}\n", p.paint("1;34", "|")));
            out.push_str(&format!(
                "{} {} {}\n",
                p.paint("1;34", &d.line.to_string()),
                p.paint("1;34", "|"),
                line.replace('\t', "    ")
            ));
            let before: String =
                line.chars().take(d.column.saturating_sub(1)).map(|c| if c == '\t' { "    " } else { " " }).collect();
            let caret = "^".repeat(d.width);
            out.push_str(&format!("{pad} {} {before}{}\n", p.paint("1;34", "|"), p.paint(code, &caret)));
        }
        if !d.path.is_empty() {
            out.push_str(&format!("{pad} {} {} {}\n", p.paint("1;34", "="), p.paint("1", "path:"), d.path));
        }
        out.push('\n');
    }
    let (errors, warnings) = (count(diagnostics, Severity::Error), count(diagnostics, Severity::Warning));
    if errors + warnings == 0 {
        out.push_str("no problems found\n");
    } else {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        out.push_str(&format!("{}, {}\n", plural(errors, "error"), plural(warnings, "warning")));
    }
    out
}
