//! `osmo-chart render`: what `helm template` prints, without helm.

use super::ExitStatus;
use osmo_chart::helm::{self, HelmMajor, Options, RenderError, ValueSources};
use std::io::Write;
use std::path::PathBuf;

/// Render the chart's manifests exactly as `helm template` does.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Release name.
    #[arg(default_value = "release-name")]
    pub name: String,
    /// Values files, applied in order.
    #[arg(short = 'f', long = "values")]
    pub values: Vec<PathBuf>,
    /// Values in Helm's `--set` syntax (a.b=c,d=e).
    #[arg(long = "set")]
    pub set: Vec<String>,
    /// Values in Helm's `--set` syntax, always strings.
    #[arg(long = "set-string")]
    pub set_string: Vec<String>,
    /// Release namespace.
    #[arg(short = 'n', long = "namespace", default_value = "default")]
    pub namespace: String,
    /// Kubernetes version for .Capabilities (default: Helm's).
    #[arg(long = "kube-version")]
    pub kube_version: Option<String>,
    /// Extra API versions for .Capabilities.APIVersions.
    #[arg(short = 'a', long = "api-versions")]
    pub api_versions: Vec<String>,
    /// Only print the manifests from these templates (globs allowed).
    #[arg(short = 's', long = "show-only")]
    pub show_only: Vec<String>,
    /// Render this chart directory instead of the embedded chart.
    #[arg(long = "chart")]
    pub chart: Option<PathBuf>,
    /// Which Helm major version to imitate where 3 and 4 differ.
    #[arg(long = "helm-version", default_value = "4", value_parser = ["3", "4"])]
    pub helm_version: String,
    /// Render once per *.yaml file in DIR (each applied after any -f), parsing the chart once.
    #[arg(long = "batch", value_name = "DIR")]
    pub batch: Option<PathBuf>,
    /// With --batch: write each file's manifests to DIR/NAME.yaml (its error to
    /// DIR/NAME.error) instead of printing a summary line per file.
    #[arg(long = "out", value_name = "DIR", requires = "batch")]
    pub out: Option<PathBuf>,
}

pub fn run(args: &Args) -> ExitStatus {
    if args.batch.is_some() {
        return run_batch(args);
    }
    match render(args) {
        Ok(out) => {
            let helm = options(args).helm;
            for w in &out.warnings {
                eprintln!("{}", w.log_line(helm));
            }
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(out.manifests.as_bytes()).and_then(|_| stdout.flush()).is_err() {
                return ExitStatus::Error;
            }
            ExitStatus::Success
        }
        Err(e) => {
            if e.from_rendering() {
                eprintln!("Error: {}\n\nUse --debug flag to render out invalid YAML", e.message);
            } else {
                eprintln!("Error: {}", e.message);
            }
            // helm exits 1 on every render failure.
            ExitStatus::Findings
        }
    }
}

fn chart_files(args: &Args) -> Result<helm::chart::Files, RenderError> {
    match &args.chart {
        Some(dir) => helm::chart::read_dir_files(dir).map_err(RenderError::input),
        None => Ok(helm::embedded_chart_files()),
    }
}

fn sources(args: &Args) -> Result<ValueSources, RenderError> {
    let mut sources = ValueSources { set: args.set.clone(), set_string: args.set_string.clone(), ..Default::default() };
    for path in &args.values {
        let text = std::fs::read_to_string(path)
            .map_err(|e| RenderError::input(format!("cannot load {}: {e}", path.display())))?;
        sources.files.push((path.display().to_string(), text));
    }
    Ok(sources)
}

fn options(args: &Args) -> Options {
    Options {
        release_name: args.name.clone(),
        namespace: args.namespace.clone(),
        kube_version: args.kube_version.clone(),
        api_versions: args.api_versions.clone(),
        show_only: args.show_only.clone(),
        helm: if args.helm_version == "3" { HelmMajor::V3 } else { HelmMajor::V4 },
        ..Default::default()
    }
}

fn render(args: &Args) -> Result<helm::render::Rendered, RenderError> {
    let (files, sources, opts) = (chart_files(args)?, sources(args)?, options(args));
    helm::render::on_big_stack(move || helm::render::render_files_once(&files, &sources, &opts))
}

/// `--batch DIR`: every values file in DIR rendered by one prepared chart.
fn run_batch(args: &Args) -> ExitStatus {
    let dir = args.batch.as_ref().expect("batch mode");
    let mut inputs: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml") && p.is_file())
            .collect(),
        Err(e) => {
            eprintln!("Error: cannot read {}: {e}", dir.display());
            return ExitStatus::Error;
        }
    };
    inputs.sort();
    if let Some(out) = &args.out {
        if let Err(e) = std::fs::create_dir_all(out) {
            eprintln!("Error: cannot create {}: {e}", out.display());
            return ExitStatus::Error;
        }
    }
    let (files, base, opts) = match (chart_files(args), sources(args)) {
        (Ok(files), Ok(base)) => (files, base, options(args)),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("Error: {}", e.message);
            return ExitStatus::Findings;
        }
    };
    let out_dir = args.out.clone();
    let started = std::time::Instant::now();
    let outcome = helm::render::on_big_stack(move || -> Result<(usize, usize), RenderError> {
        let chart = helm::Chart::load(&files, opts.helm).map_err(RenderError::input)?;
        let prepared = helm::Prepared::new(&chart);
        let (mut ok, mut failed) = (0, 0);
        let mut summary = String::new();
        for input in &inputs {
            let text = std::fs::read_to_string(input)
                .map_err(|e| RenderError::input(format!("cannot load {}: {e}", input.display())));
            let result = text.and_then(|text| {
                let mut sources = base.clone();
                sources.files.push((input.display().to_string(), text));
                prepared.render(&sources, &opts)
            });
            let stem = input.file_stem().unwrap_or_default().to_string_lossy();
            match (&result, &out_dir) {
                (Ok(r), Some(out)) => write_file(&out.join(format!("{stem}.yaml")), &r.manifests)?,
                (Err(e), Some(out)) => {
                    write_file(&out.join(format!("{stem}.error")), &format!("Error: {}\n", e.message))?
                }
                (Ok(r), None) => summary.push_str(&format!(
                    "{}: ok, {} documents, {} bytes\n",
                    input.display(),
                    r.manifests.matches("\n# Source: ").count() + usize::from(r.manifests.starts_with("# Source: ")),
                    r.manifests.len()
                )),
                (Err(e), None) => {
                    let first = e.message.lines().next().unwrap_or_default();
                    summary.push_str(&format!("{}: error: {first}\n", input.display()))
                }
            }
            if result.is_ok() {
                ok += 1;
            } else {
                failed += 1;
            }
        }
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(summary.as_bytes())
            .and_then(|_| stdout.flush())
            .map_err(|e| RenderError::input(e.to_string()))?;
        Ok((ok, failed))
    });
    match outcome {
        Ok((ok, failed)) => {
            eprintln!("rendered {} values files in {:.1?}: {ok} ok, {failed} failed", ok + failed, started.elapsed());
            if failed > 0 {
                ExitStatus::Findings
            } else {
                ExitStatus::Success
            }
        }
        Err(e) => {
            eprintln!("Error: {}", e.message);
            ExitStatus::Error
        }
    }
}

fn write_file(path: &std::path::Path, text: &str) -> Result<(), RenderError> {
    std::fs::write(path, text).map_err(|e| RenderError::input(format!("cannot write {}: {e}", path.display())))
}
