//! GitHub Actions workflow commands: one `::error` or `::warning` line per finding.

use super::{Diagnostic, Severity};

/// Workflow-command properties and messages escape %, CR and LF (and , and : in properties).
fn escape(text: &str, property: bool) -> String {
    let mut out = text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let title = if d.path.is_empty() { d.rule.to_owned() } else { format!("{} ({})", d.rule, d.path) };
        out.push_str(&format!(
            "::{level} file={},line={},col={},title={}::{}\n",
            escape(&d.file, true),
            d.line,
            d.column,
            escape(&title, true),
            escape(&d.message, false)
        ));
    }
    out
}
