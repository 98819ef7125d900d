//! Broken values files that both Helm versions must reject, naming the key. Those in
//! tests/fixtures/helm-rejects break values.schema.json, so `helm lint --strict` and
//! `helm template` both fail; those in tests/fixtures/helm-install-rejects trip the
//! chart's required/fail checks, which fail `helm template` and `helm install` (Helm's
//! lint only reports them as INFO). Each file starts with `# names: KEY`, what the
//! error must mention (Helm 3 writes paths with dots, Helm 4 with slashes).

mod support;

use support::*;

fn expected_name(path: &std::path::Path) -> String {
    let src = std::fs::read_to_string(path).unwrap();
    src.lines()
        .next()
        .and_then(|line| line.strip_prefix("# names: "))
        .unwrap_or_else(|| panic!("{} must start with `# names: KEY`", path.display()))
        .trim()
        .to_owned()
}

/// Runs each file of a fixture folder through the given Helm commands of both versions.
fn assert_rejected(dir: &str, with_lint: bool) {
    let files = yaml_files(dir);
    let mut failures = Vec::new();
    for file in &files {
        let key = expected_name(file);
        for version in HELM_VERSIONS {
            let mut runs = vec![("template", helm_template(version, &[file], &[]))];
            if with_lint {
                runs.push(("lint --strict", helm_lint(version, file)));
            }
            for (what, out) in runs {
                let stderr = format!("{}{}", text(&out.stderr), text(&out.stdout));
                let named = stderr.replace('/', ".").contains(&key);
                if out.status.success() || !named {
                    failures.push(format!(
                        "{version} {what} {}: exit {:?}, expected an error naming {key}:\n{stderr}",
                        file.display(),
                        out.status.code()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}

#[test]
fn both_helm_versions_reject_schema_violations_and_name_the_key() {
    assert_rejected("tests/fixtures/helm-rejects", true);
}

#[test]
fn both_helm_versions_refuse_to_install_without_the_login_settings() {
    assert_rejected("tests/fixtures/helm-install-rejects", false);
}

/// The same files with the mistake fixed are accepted, so each rejection is for the named key.
#[test]
fn the_broken_files_are_otherwise_valid() {
    let fixed = temp_dir("helm-rejects-fixed");
    let file = fixed.join("fixed.yaml");
    std::fs::write(&file, "global:\n  serviceUrl: https://osmo.corp.acme.dev\n  loginMethod: token\n").unwrap();
    for version in HELM_VERSIONS {
        let out = helm_lint(version, &file);
        assert!(out.status.success(), "{version}: {}{}", text(&out.stdout), text(&out.stderr));
    }
}

/// `osmo-chart render` validates values against the chart's schema before rendering, as
/// Helm does: every schema-breaking file fails, naming the key (as a JSON pointer, like
/// Helm 4), and exits 1.
#[test]
fn render_rejects_what_the_schema_rejects() {
    for file in yaml_files("tests/fixtures/helm-rejects") {
        let key = expected_name(&file);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_osmo-chart"))
            .args(["render", "osmo-operator", "-f"])
            .arg(&file)
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}", file.display());
        assert!(
            stderr.starts_with("Error: values don't meet the specifications of the schema(s)"),
            "{}: {stderr}",
            file.display()
        );
        assert!(stderr.replace('/', ".").contains(&key), "{}: {key} not named in {stderr}", file.display());
    }
}
