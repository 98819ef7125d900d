//! values-lint agrees with Helm and with an independent JSON Schema validator:
//! every file values-lint passes, Helm 3 and 4 render; every file Helm rejects,
//! values-lint rejects; and the linter's own schema walk finds a violation exactly when
//! the jsonschema crate (draft-07) rejects the same data.

mod support;

use osmo_chart::lint::schema_walk::{SchemaWalker, Violation};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use support::*;

fn inputs() -> Vec<PathBuf> {
    let mut files = examples();
    for dir in
        ["chart/ci", "tests/fixtures/values-lint", "tests/fixtures/helm-rejects", "tests/fixtures/helm-install-rejects"]
    {
        files.extend(yaml_files(dir));
    }
    files
}

fn lint_passes(file: &PathBuf) -> bool {
    let out =
        Command::new(env!("CARGO_BIN_EXE_osmo-chart")).args(["values-lint", "--subchart"]).arg(file).output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}: {}", file.display(), text(&out.stderr));
    out.status.success()
}

#[test]
fn helm_accepts_what_values_lint_passes_and_values_lint_rejects_what_helm_rejects() {
    let files = inputs();
    // Two workers: Helm runs are the slow part.
    let chunks: Vec<Vec<PathBuf>> = files.chunks(files.len().div_ceil(2)).map(<[PathBuf]>::to_vec).collect();
    let (mut disagreements, mut counts) = (Vec::new(), [0usize; 2]);
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    let mut bad = Vec::new();
                    let mut passed = 0;
                    for file in &chunk {
                        let lint_ok = lint_passes(file);
                        passed += usize::from(lint_ok);
                        for version in HELM_VERSIONS {
                            let helm = helm_template(version, &[file], &[]);
                            if lint_ok && !helm.status.success() {
                                bad.push(format!(
                                    "{}: values-lint passes, {version} rejects:\n{}",
                                    file.display(),
                                    text(&helm.stderr)
                                ));
                            }
                        }
                    }
                    (bad, passed, chunk.len())
                })
            })
            .collect();
        for handle in handles {
            let (bad, passed, total) = handle.join().unwrap();
            disagreements.extend(bad);
            counts[0] += passed;
            counts[1] += total;
        }
    });
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    // Both sides must be exercised: files that pass and files that fail.
    assert!(counts[0] >= 10 && counts[1] - counts[0] >= 40, "passed {} of {}", counts[0], counts[1]);
}

/// Helm deletes keys whose value is null before validating; so does this comparison.
fn drop_null_keys(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_null_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_keys),
        _ => {}
    }
}

#[test]
fn schema_walk_agrees_with_the_jsonschema_crate() {
    // The jsonschema crate reads the whole schema; the walker reads the split one, with
    // definitions parsed on demand, as values-lint and render do.
    let embedded = &*osmo_chart::lint::SCHEMA;
    let validator = jsonschema::draft7::new(embedded.whole()).expect("the schema compiles");
    let walker = SchemaWalker::embedded(embedded);
    let schema = walker.root();
    let mut compared = 0;
    for file in inputs() {
        let Ok(src) = std::fs::read_to_string(&file) else { continue };
        let Ok(Some(root)) = osmo_chart::yaml::load_one(&src) else { continue };
        let mut found = Vec::new();
        walker.check(&root, schema, "", &mut found);
        // Unknown keys directly under global are the schema's business only for the linter.
        found.retain(|f| {
            !matches!(f.violation, Violation::UnknownKey { open: true, .. } | Violation::NullDeletes { .. })
        });
        let mut data = root.to_json();
        drop_null_keys(&mut data);
        let crate_errors: Vec<String> =
            validator.iter_errors(&data).map(|e| format!("{} {}", e.instance_path(), e)).collect();
        assert_eq!(
            found.is_empty(),
            crate_errors.is_empty(),
            "{}:\n walker: {found:#?}\n jsonschema: {crate_errors:#?}",
            file.display()
        );
        compared += 1;
    }
    assert!(compared >= 60, "only {compared} files compared");
}
