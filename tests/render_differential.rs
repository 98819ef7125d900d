//! `osmo-chart render` against the real `helm template`, byte for byte: stdout, stderr
//! and exit status. Every example and CI values file is rendered with Helm 3 and Helm 4;
//! every conformance chart under tests/conformance/ (one per language feature and
//! function family) is rendered with Helm 4, and with Helm 3 against
//! `--helm-version 3`. Cases listed in
//! tests/conformance/KNOWN_DIFFERENCES are kept as fixtures of documented gaps: they
//! must still run, and the test reports whether they now match.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::{text, HELM_VERSIONS};

fn osmo_chart() -> Command {
    Command::new(env!("CARGO_BIN_EXE_osmo-chart"))
}

/// What a run printed and how it ended.
fn outcome(out: &Output) -> (String, String, Option<i32>) {
    (text(&out.stdout), text(&out.stderr), out.status.code())
}

/// A readable account of how two outcomes differ.
fn difference(helm: &(String, String, Option<i32>), ours: &(String, String, Option<i32>)) -> Option<String> {
    if helm == ours {
        return None;
    }
    let mut report = String::new();
    if helm.2 != ours.2 {
        report.push_str(&format!("exit status: helm {:?}, osmo-chart {:?}\n", helm.2, ours.2));
    }
    for (what, h, o) in [("stdout", &helm.0, &ours.0), ("stderr", &helm.1, &ours.1)] {
        if h != o {
            let (hl, ol): (Vec<&str>, Vec<&str>) = (h.lines().collect(), o.lines().collect());
            let line = hl.iter().zip(ol.iter()).position(|(a, b)| a != b).unwrap_or(hl.len().min(ol.len()));
            report.push_str(&format!(
                "{what} differs at line {}:\n  helm:       {:?}\n  osmo-chart: {:?}\n",
                line + 1,
                hl.get(line).unwrap_or(&"<end>"),
                ol.get(line).unwrap_or(&"<end>")
            ));
        }
    }
    Some(report)
}

fn values_inputs() -> Vec<PathBuf> {
    let mut inputs = support::examples();
    let ci = support::chart_dir().join("ci");
    let mut ci_files: Vec<PathBuf> = std::fs::read_dir(&ci)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with("-values.yaml"))
        .collect();
    ci_files.sort();
    inputs.extend(ci_files);
    inputs
}

#[test]
fn examples_and_ci_values_match_helm_3_and_4() {
    let mut compared = 0;
    let mut failures = Vec::new();
    for input in values_inputs() {
        for version in HELM_VERSIONS {
            let helm = support::helm(version)
                .args(["template", "osmo-operator"])
                .arg(support::chart_dir())
                .arg("-f")
                .arg(&input)
                .args(["--namespace", "osmo-ns"])
                .output()
                .expect("helm runs");
            // The embedded chart: no --chart.
            let ours = osmo_chart()
                .args(["render", "osmo-operator", "-f"])
                .arg(&input)
                .args(["--namespace", "osmo-ns", "--helm-version", &version[4..]])
                .output()
                .expect("osmo-chart runs");
            compared += 1;
            if let Some(d) = difference(&outcome(&helm), &outcome(&ours)) {
                failures.push(format!("{} with {version}:\n{d}", input.display()));
            }
        }
    }
    eprintln!("{} of {compared} renders byte-identical", compared - failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Extra command-line arguments of a conformance chart, one per line.
fn chart_args(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("args")).map(|t| t.lines().map(String::from).collect()).unwrap_or_default()
}

fn known_differences() -> Vec<String> {
    let path = support::root().join("tests/conformance/KNOWN_DIFFERENCES");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn conformance_charts_match_helm_3_and_4() {
    let root = support::root().join("tests/conformance");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Chart.yaml").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 20, "expected the conformance charts in {}", root.display());
    let known = known_differences();
    let mut failures = Vec::new();
    let mut still_known = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let args = chart_args(dir);
        let mut diffs = Vec::new();
        for (helm_binary, version) in [("helm4", "4"), ("helm3", "3")] {
            let helm = support::helm(helm_binary)
                .current_dir(dir)
                .args(["template", "conf", "."])
                .args(&args)
                .output()
                .expect("helm runs");
            let ours = osmo_chart()
                .current_dir(dir)
                .args(["render", "conf", "--chart", ".", "--helm-version", version])
                .args(&args)
                .output()
                .expect("osmo-chart runs");
            if let Some(d) = difference(&outcome(&helm), &outcome(&ours)) {
                diffs.push(format!("{name} (Helm {version}):\n{d}"));
            }
        }
        match (diffs.is_empty(), known.contains(&name)) {
            (false, false) => failures.extend(diffs),
            (false, true) => still_known.push(name),
            (true, true) => eprintln!("{name} now matches helm: remove it from KNOWN_DIFFERENCES"),
            (true, false) => {}
        }
    }
    eprintln!(
        "conformance: {} charts, {} byte-identical with Helm 3 and 4, {} known differences",
        dirs.len(),
        dirs.len() - failures.len() - still_known.len(),
        still_known.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
