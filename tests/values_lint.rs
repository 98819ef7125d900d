//! values-lint, as a user runs it: a corpus of broken values files, one rule each, with
//! the exact line, column, path and rule asserted from the JSON output and the human
//! output held in insta snapshots; every rule covered; --set values; bad inputs; the
//! other output formats; and the exit statuses.

mod support;

use serde_json::Value;
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use support::*;

fn lint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_osmo-chart")).arg("values-lint").args(args).output().expect("osmo-chart runs")
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", text(&out.stdout), text(&out.stderr)))
}

fn corpus() -> Vec<std::path::PathBuf> {
    yaml_files("tests/fixtures/values-lint")
}

#[test]
fn corpus_findings_are_exact() {
    let files = corpus();
    assert!(files.len() >= 30, "the corpus needs at least 30 files, has {}", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let out = lint(&["--format", "json", file.to_str().unwrap()]);
        let report = json_of(&out);
        let want = expectations(file);
        assert!(!want.is_empty(), "{} has no `# expect:` line", file.display());
        if findings(&report) != want {
            failures.push(format!("{}:\n  expected {want:?}\n  found    {:?}", file.display(), findings(&report)));
        }
        let errors = report["errors"].as_u64().unwrap();
        let status = out.status.code().unwrap();
        if status != i32::from(errors > 0) {
            failures.push(format!("{}: exit {status} with {errors} errors", file.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_human_output_snapshots() {
    for file in corpus() {
        let relative = file.strip_prefix(root()).unwrap().to_str().unwrap().to_owned();
        let out = Command::new(env!("CARGO_BIN_EXE_osmo-chart"))
            .current_dir(root())
            .args(["values-lint", "--color", "never", &relative])
            .output()
            .unwrap();
        let name = file.file_stem().unwrap().to_str().unwrap().to_owned();
        insta::with_settings!({snapshot_path => "../snapshots/values-lint", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(name, text(&out.stdout));
        });
    }
}

/// Rules proven by tests other than the corpus.
const COVERED_ELSEWHERE: &[&str] = &["input"];

#[test]
fn every_rule_is_exercised_by_the_corpus() {
    let mut seen: Vec<String> =
        corpus().iter().flat_map(|f| expectations(f)).map(|e| e.rsplit(' ').next().unwrap().to_owned()).collect();
    seen.extend(COVERED_ELSEWHERE.iter().map(|s| (*s).to_owned()));
    let missing: Vec<&str> =
        osmo_chart::lint::rules::ALL.iter().map(|r| r.id).filter(|id| !seen.iter().any(|s| s == id)).collect();
    assert!(missing.is_empty(), "rules without a corpus file: {missing:?}");
}

#[test]
fn examples_lint_clean() {
    for example in examples() {
        let out = lint(&["--deny-warnings", example.to_str().unwrap()]);
        assert!(out.status.success(), "{}:\n{}", example.display(), text(&out.stdout));
    }
}

#[test]
fn set_values_are_checked_and_located_in_the_argument() {
    let base = root().join("examples/token-login.yaml");
    let base = base.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["--set", "services.backendWorker.resources.limits.memory=1Gb"],
            "1:48 services.backendWorker.resources.limits.memory invalid-quantity",
        ),
        (&["--set", "global.osmoImageTag=6.10"], ""),
        (&["--set", "global.osmoImageTag=12"], "1:21 global.osmoImageTag wrong-type"),
        (&["--set-string", "global.enableClusterRoles=true"], "1:27 global.enableClusterRoles wrong-type"),
        (&["--set", "global.backendNam=x"], "1:8 global.backendNam unknown-global-key"),
        (&["--set", "global.loginMethod=password"], "1:20 global.accountUsername login"),
    ];
    for (args, want) in cases {
        let mut all = vec!["--format", "json", base];
        all.extend_from_slice(args);
        let report = json_of(&lint(&all));
        if want.is_empty() {
            // --set types only integers, booleans and null: 6.10 stays the string "6.10".
            assert_eq!(findings(&report), Vec::<String>::new(), "{args:?}");
            continue;
        }
        assert_eq!(findings(&report), vec![(*want).to_owned()], "{args:?}");
        assert!(report["diagnostics"][0]["file"].as_str().unwrap().starts_with("--set"), "{args:?}");
    }
}

#[test]
fn files_merge_in_order_like_helm() {
    let dir = temp_dir("merge");
    let first = dir.join("a.yaml");
    let second = dir.join("b.yaml");
    std::fs::write(&first, "global:\n  osmoImageTag: \"6.4.0\"\n  loginMethod: password\n").unwrap();
    std::fs::write(&second, "global:\n  serviceUrl: https://osmo.corp.acme.dev\n  accountUsername: ops\n").unwrap();
    let out = lint(&["--format", "json", first.to_str().unwrap(), second.to_str().unwrap()]);
    assert_eq!(findings(&json_of(&out)), Vec::<String>::new());
    // The other order of the same rule: b's username, then a file that sets token login.
    std::fs::write(&second, "global:\n  serviceUrl: https://osmo.corp.acme.dev\n").unwrap();
    let report = json_of(&lint(&["--format", "json", first.to_str().unwrap(), second.to_str().unwrap()]));
    assert_eq!(findings(&report), vec!["3:16 global.accountUsername login".to_owned()]);
    assert!(report["diagnostics"][0]["file"].as_str().unwrap().ends_with("a.yaml"));
}

/// Each bad input gets one clear finding and exit 1, quickly.
#[test]
fn bad_inputs_get_one_finding_and_never_hang() {
    let dir = temp_dir("bad-inputs");
    let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 9].join(", ")));
    }
    let deep = format!("global:\n  x: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let deep_block = format!("global:\n  x: {}y\n", "- ".repeat(10_000));
    let huge = format!("global:\n  backendName: dgx\n{}", "# padding\n".repeat(1_100_000));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("latin1.yaml", b"global:\n  backendName: caf\xe9\n".to_vec(), "input"),
        ("binary.yaml", vec![0x7f, b'E', b'L', b'F', 0, 1, 2, 3], "input"),
        ("huge.yaml", huge.into_bytes(), "input"),
        ("bomb.yaml", bomb.into_bytes(), "yaml-syntax"),
        ("deep-flow.yaml", deep.into_bytes(), "yaml-syntax"),
        ("deep-block.yaml", deep_block.into_bytes(), "yaml-syntax"),
        ("empty.yaml", Vec::new(), "empty-file"),
        ("list.yaml", b"- a\n- b\n".to_vec(), "not-a-map"),
    ];
    for (name, bytes, rule) in cases {
        let file = dir.join(name);
        std::fs::write(&file, bytes).unwrap();
        let start = Instant::now();
        let out = lint(&["--format", "json", file.to_str().unwrap()]);
        assert!(start.elapsed() < Duration::from_secs(10), "{name} took {:?}", start.elapsed());
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out.stderr));
        let report = json_of(&out);
        let rules: Vec<&str> =
            report["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
        assert_eq!(rules, vec![rule], "{name}: {}", text(&out.stdout));
    }
}

#[test]
fn could_not_run_exits_2() {
    let out = lint(&["/nonexistent/values.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent/values.yaml"));
    let out = lint(&["--allow", "no-such-rule", "examples/token-login.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = lint(&["--format", "xml", "examples/token-login.yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn allow_and_deny_warnings() {
    let file = root().join("tests/fixtures/values-lint/example-domain.yaml");
    let file = file.to_str().unwrap();
    assert_eq!(lint(&[file]).status.code(), Some(0), "a warning alone passes");
    assert_eq!(lint(&["--deny-warnings", file]).status.code(), Some(1));
    let out = lint(&["--format", "json", "--allow", "example-domain", "--deny-warnings", file]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json_of(&out)["warnings"], 0);
}

#[test]
fn machine_formats() {
    let file = root().join("tests/fixtures/values-lint/unknown-key.yaml");
    let file = file.to_str().unwrap();
    let sarif: Value = serde_json::from_slice(&lint(&["--format", "sarif", file]).stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "unknown-key");
    assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 9);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], "unknown-key");
    let github = text(&lint(&["--format", "github", file]).stdout);
    assert!(github.starts_with("::error file="), "{github}");
    assert!(github.contains(",line=9,col=5,"), "{github}");
}

#[test]
fn list_rules_documents_every_rule() {
    let out = lint(&["--list-rules"]);
    assert!(out.status.success());
    let listing = text(&out.stdout);
    for rule in osmo_chart::lint::rules::ALL {
        assert!(listing.contains(&format!("{} ({})", rule.id, rule.severity)), "{} missing", rule.id);
        assert!(rule.doc.len() > 60, "{}'s doc says too little", rule.id);
    }
}
