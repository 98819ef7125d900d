//! What the integration tests share: the real tools installed by scripts/tools.sh
//! (Helm 3 and 4, kubernetes-validate, Python Jinja2), the examples, Helm-style
//! values merging, and manifests parsed with the crate's own YAML loader.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn chart_dir() -> PathBuf {
    root().join("chart")
}

/// A tool from .cache/tools; fails the test with the command that installs it.
pub fn tool(relative: &str) -> PathBuf {
    let path = root().join(".cache/tools").join(relative);
    assert!(path.exists(), "{} is missing: run `bash scripts/tools.sh` (the test command does)", path.display());
    path
}

/// The two Helm major versions the chart must work with.
pub const HELM_VERSIONS: [&str; 2] = ["helm3", "helm4"];

pub fn helm(version: &str) -> Command {
    Command::new(tool(&format!("{version}/helm")))
}

/// `helm template osmo-operator chart -f FILE...` with extra arguments.
pub fn helm_template(version: &str, values: &[&Path], extra: &[&str]) -> Output {
    let mut cmd = helm(version);
    cmd.arg("template").arg("osmo-operator").arg(chart_dir());
    for file in values {
        cmd.arg("-f").arg(file);
    }
    cmd.args(extra).output().expect("helm runs")
}

/// `helm lint --strict chart -f FILE`.
pub fn helm_lint(version: &str, values: &Path) -> Output {
    helm(version).arg("lint").arg("--strict").arg(chart_dir()).arg("-f").arg(values).output().expect("helm runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every YAML file directly in a folder of the repo, sorted.
pub fn yaml_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no YAML files in {dir}");
    files
}

pub fn examples() -> Vec<PathBuf> {
    yaml_files("examples")
}

/// Non-empty documents of a manifest stream, as JSON.
pub fn documents(manifest: &str) -> Vec<Value> {
    osmo_chart::yaml::load_all(manifest)
        .unwrap_or_else(|e| panic!("rendered YAML does not parse: {e}"))
        .into_iter()
        .flatten()
        .map(|node| node.to_json())
        .collect()
}

pub fn load_yaml(path: &Path) -> Value {
    let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    osmo_chart::yaml::to_json(&src).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Helm's coalescing of a values file over the chart's defaults: maps merge key by
/// key, anything else replaces, and null deletes the key.
pub fn merge_values(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                if value.is_null() {
                    base.remove(key);
                } else if let Some(existing) = base.get_mut(key).filter(|v| v.is_object() && value.is_object()) {
                    merge_values(existing, value);
                } else {
                    base.insert(key.clone(), value.clone());
                }
            }
        }
        (base, over) => *base = over.clone(),
    }
}

/// The chart's defaults with one values file over them.
pub fn effective_values(values_file: &Path) -> Value {
    let mut values = load_yaml(&chart_dir().join("values.yaml"));
    merge_values(&mut values, &load_yaml(values_file));
    values
}

/// Runs kubernetes-validate --strict on files for one Kubernetes version; returns
/// (passed, output).
pub fn kubernetes_validate(version: &str, files: &[PathBuf]) -> (bool, String) {
    let out = Command::new(tool("venv/bin/kubernetes-validate"))
        .args(["--strict", "--quiet", "-k", version])
        .args(files)
        .output()
        .expect("kubernetes-validate runs");
    (out.status.success(), format!("{}{}", text(&out.stdout), text(&out.stderr)))
}

pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("osmo-chart-tests-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `line:col path rule` of each finding of a JSON report, as corpus files write them in
/// their `# expect:` lines (`-` for an empty path).
pub fn findings(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .expect("a JSON report has diagnostics")
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap();
            format!(
                "{}:{} {} {}",
                d["line"],
                d["column"],
                if path.is_empty() { "-" } else { path },
                d["rule"].as_str().unwrap()
            )
        })
        .collect()
}

/// The `# expect:` lines of a corpus file.
pub fn expectations(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(str::to_owned)
        .collect()
}

/// Renders a Jinja2 template with real Python Jinja2 as the OSMO worker does (sandboxed,
/// strict undefined; tests/support/render_jinja.py); the output, or Jinja2's error.
pub fn python_jinja(template: &str, variables: &Value) -> Result<String, String> {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(tool("venv/bin/python"))
        .arg(root().join("tests/support/render_jinja.py"))
        .arg(variables.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    child.stdin.take().unwrap().write_all(template.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        Ok(text(&out.stdout))
    } else {
        Err(text(&out.stderr))
    }
}
