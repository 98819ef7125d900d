//! The JSON format: `{"diagnostics":[...],"errors":N,"warnings":N}`.

use super::{count, Diagnostic, Severity};

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let report = serde_json::json!({
        "diagnostics": diagnostics,
        "errors": count(diagnostics, Severity::Error),
        "warnings": count(diagnostics, Severity::Warning),
    });
    format!("{}\n", serde_json::to_string_pretty(&report).expect("diagnostics serialize"))
}
