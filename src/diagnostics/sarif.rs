//! SARIF 2.1.0, the format code-scanning services read.

use super::{Diagnostic, RuleDoc, Severity};
use serde_json::json;

pub fn render(diagnostics: &[Diagnostic], rules: &[RuleDoc]) -> String {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let results: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            json!({
                "ruleId": d.rule,
                "ruleIndex": rules.iter().position(|r| r.id == d.rule),
                "level": level(d.severity),
                "message": {"text": if d.path.is_empty() { d.message.clone() } else { format!("{}: {}", d.path, d.message) }},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": d.file},
                    "region": {"startLine": d.line, "startColumn": d.column},
                }}],
            })
        })
        .collect();
    let rules: Vec<_> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.doc},
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "osmo-chart",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/NVIDIA/OSMO",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    format!("{}\n", serde_json::to_string_pretty(&log).expect("sarif serializes"))
}
