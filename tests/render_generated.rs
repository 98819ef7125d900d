//! The native renderer against the real `helm template` (Helm 3 and Helm 4) on generated
//! values files: stdout byte for byte, success or failure, and the error message.
//!
//! The files come from `osmo_chart::values::generate` (seeded; every option toggled, strings
//! full of YAML-special values, Unicode, long and multi-line text, numbers of every form).
//! Every file under tests/fixtures/render-generated/ (inputs that once differed) runs first.
//!
//! CI: 2,000 files, seed 1, helm run on 2 threads. A bigger run:
//!
//! ```sh
//! OSMO_DIFF_CASES=20000 OSMO_DIFF_SEED=7 cargo test --release --test render_generated
//! ```
//!
//! A failing case is written to $TMPDIR/osmo-chart-generated-failures/ and reproduced with
//! `osmo-chart generate-values --seed S --start N --count 1 --out DIR`.

mod support;

use osmo_chart::helm::{self, HelmMajor, Options, ValueSources};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use support::text;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// What one renderer did with one input.
#[derive(Debug, PartialEq)]
enum Outcome {
    Manifests(String),
    Error(String),
}

/// `helm template osmo-operator chart -f FILE --namespace osmo-ns`.
fn helm_outcome(version: &str, file: &Path) -> Outcome {
    let out = support::helm(version)
        .args(["template", "osmo-operator"])
        .arg(support::chart_dir())
        .arg("-f")
        .arg(file)
        .args(["--namespace", "osmo-ns"])
        .output()
        .expect("helm runs");
    if out.status.success() {
        return Outcome::Manifests(text(&out.stdout));
    }
    // Helm prints warnings, then `Error: MESSAGE`, then perhaps its --debug hint.
    let stderr = text(&out.stderr);
    let message = stderr.split_once("Error: ").map_or(stderr.as_str(), |(_, m)| m);
    let message = message.split("\n\nUse --debug flag").next().unwrap_or(message);
    Outcome::Error(message.trim_end().to_string())
}

fn native_outcome(chart: &helm::Chart, name: &str, values: &str, major: HelmMajor) -> Outcome {
    let sources = ValueSources { files: vec![(name.to_string(), values.to_string())], ..Default::default() };
    let opts = Options {
        release_name: "osmo-operator".into(),
        namespace: "osmo-ns".into(),
        helm: major,
        ..Default::default()
    };
    match helm::render(chart, &sources, &opts) {
        Ok(rendered) => Outcome::Manifests(rendered.manifests),
        Err(e) => Outcome::Error(e.message),
    }
}

/// Error messages that may differ in wording (README.md, Compatibility with Helm): YAML syntax
/// errors come from another parser. The part before the parser's message must match.
fn same_error(helm: &str, ours: &str) -> bool {
    if helm == ours {
        return true;
    }
    const YAML: &str = "error converting YAML to JSON: yaml: ";
    match (helm.find(YAML), ours.find(YAML)) {
        (Some(h), Some(o)) => helm[..h] == ours[..o],
        _ => false,
    }
}

/// Why the outcomes differ, or None.
fn difference(helm: &Outcome, ours: &Outcome) -> Option<String> {
    match (helm, ours) {
        (Outcome::Manifests(h), Outcome::Manifests(o)) if h == o => None,
        (Outcome::Manifests(h), Outcome::Manifests(o)) => {
            let (hl, ol): (Vec<&str>, Vec<&str>) = (h.lines().collect(), o.lines().collect());
            let at = hl.iter().zip(&ol).position(|(a, b)| a != b).unwrap_or(hl.len().min(ol.len()));
            let from = at.saturating_sub(3);
            Some(format!(
                "stdout differs at line {}:\n  helm:\n{}\n  osmo-chart:\n{}",
                at + 1,
                hl[from..hl.len().min(at + 3)].iter().map(|l| format!("    |{l}")).collect::<Vec<_>>().join("\n"),
                ol[from..ol.len().min(at + 3)].iter().map(|l| format!("    |{l}")).collect::<Vec<_>>().join("\n"),
            ))
        }
        (Outcome::Error(h), Outcome::Error(o)) if same_error(h, o) => None,
        (Outcome::Error(h), Outcome::Error(o)) => Some(format!("errors differ:\n  helm:       {h}\n  osmo-chart: {o}")),
        (Outcome::Error(h), Outcome::Manifests(_)) => Some(format!("helm failed, osmo-chart rendered:\n  helm: {h}")),
        (Outcome::Manifests(_), Outcome::Error(o)) => {
            Some(format!("osmo-chart failed, helm rendered:\n  osmo-chart: {o}"))
        }
    }
}

/// One input: a name and the values file's text.
struct Case {
    name: String,
    text: String,
}

/// Runs every case on `threads` threads; returns (cases, helm failures seen, mismatches).
fn run(cases: Vec<Case>, threads: usize, work_dir: &Path) -> (usize, usize, Vec<(String, String, String)>) {
    let next = AtomicUsize::new(0);
    let mismatches = Mutex::new(Vec::new());
    let helm_errors = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            std::thread::Builder::new()
                .stack_size(256 << 20)
                .spawn_scoped(scope, || {
                    let chart = helm::Chart::from_files(&helm::embedded_chart_files()).expect("the chart loads");
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(case) = cases.get(i) else { break };
                        let file = work_dir.join(format!("{}.yaml", case.name));
                        std::fs::write(&file, &case.text).unwrap();
                        for (version, major) in [("helm4", HelmMajor::V4), ("helm3", HelmMajor::V3)] {
                            let theirs = helm_outcome(version, &file);
                            if let Outcome::Error(e) = &theirs {
                                assert!(
                                    !e.contains("values don't meet the specifications of the schema"),
                                    "the generator wrote a file that breaks the chart's schema ({}):\n{e}\n--- file ---\n{}",
                                    case.name,
                                    case.text
                                );
                                helm_errors.fetch_add(1, Ordering::Relaxed);
                            }
                            let ours = native_outcome(&chart, &file.display().to_string(), &case.text, major);
                            if let Some(d) = difference(&theirs, &ours) {
                                mismatches.lock().unwrap().push((case.name.clone(), version.to_string(), d));
                            }
                        }
                        let _ = std::fs::remove_file(&file);
                    }
                })
                .expect("thread starts");
        }
    });
    let mut m = mismatches.into_inner().unwrap();
    m.sort();
    (cases.len(), helm_errors.into_inner(), m)
}

fn fixtures() -> Vec<Case> {
    let dir = support::root().join("tests/fixtures/render-generated");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "yaml")).collect())
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .map(|p| Case {
            name: p.file_stem().unwrap().to_string_lossy().into_owned(),
            text: std::fs::read_to_string(&p).unwrap(),
        })
        .collect()
}

fn report(what: &str, failures: &[(String, String, String)], inputs: &[Case]) -> String {
    let dir = std::env::temp_dir().join("osmo-chart-generated-failures");
    let _ = std::fs::create_dir_all(&dir);
    let mut out = format!("{} mismatches on {what}; inputs kept in {}\n", failures.len(), dir.display());
    for (name, version, d) in failures.iter().take(400) {
        if let Some(case) = inputs.iter().find(|c| &c.name == name) {
            let _ = std::fs::write(dir.join(format!("{name}.yaml")), &case.text);
        }
        out.push_str(&format!("\n== {name} with {version}\n{d}\n"));
    }
    out
}

#[test]
fn fixtures_and_generated_values_match_helm_3_and_4() {
    let count = env_number("OSMO_DIFF_CASES", 2000);
    let seed = env_number("OSMO_DIFF_SEED", 1);
    let threads = env_number("OSMO_DIFF_THREADS", 2).max(1) as usize;
    let work = support::temp_dir("generated");

    // Fixtures named known-* are documented differences (README.md, Compatibility with Helm):
    // they must still differ; the test says when one starts to match.
    let (n, errors, failures) = run(fixtures(), threads, &work);
    let known: Vec<String> = fixtures().into_iter().map(|c| c.name).filter(|n| n.starts_with("known-")).collect();
    for name in &known {
        if !failures.iter().any(|f| &f.0 == name) {
            eprintln!("{name} now matches helm: rename it (drop known-) and update README.md, Compatibility with Helm");
        }
    }
    let fixture_failures: Vec<_> = failures.into_iter().filter(|f| !f.0.starts_with("known-")).collect();
    eprintln!(
        "fixtures: {n} files ({} known differences), {errors} helm errors, {} mismatches",
        known.len(),
        fixture_failures.len()
    );

    let started = std::time::Instant::now();
    let cases: Vec<Case> = (0..count)
        .map(|i| Case { name: format!("seed{seed}-{i:05}"), text: osmo_chart::values::generate::values_file(seed, i) })
        .collect();
    let (n, errors, failures) =
        run(cases.iter().map(|c| Case { name: c.name.clone(), text: c.text.clone() }).collect(), threads, &work);
    eprintln!(
        "generated: {n} files (seed {seed}), each with Helm 3 and Helm 4: {errors} helm errors (compared too), {} mismatches, {:.0?}",
        failures.len(),
        started.elapsed()
    );
    let mut message = String::new();
    if !fixture_failures.is_empty() {
        message.push_str(&report("fixtures", &fixture_failures, &fixtures()));
    }
    if !failures.is_empty() {
        message.push_str(&report(&format!("generated files (seed {seed})"), &failures, &cases));
    }
    assert!(message.is_empty(), "{message}");
}
