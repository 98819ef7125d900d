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
}

pub fn run(args: &Args) -> ExitStatus {
    match render(args) {
        Ok(out) => {
            if args.helm_version == "4" {
                for w in &out.warnings {
                    eprintln!("level=INFO msg={}", osmo_chart::template::value::go_quote(w));
                }
            }
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(out.manifests.as_bytes()).and_then(|_| stdout.flush()).is_err() {
                return ExitStatus::Error;
            }
            ExitStatus::Success
        }
        Err(e) => {
            if e.from_rendering() {
                eprintln!("Error: {}\n\nUse --debug flag to render out invalid YAML", e.0);
            } else {
                eprintln!("Error: {}", e.0);
            }
            // helm exits 1 on every render failure.
            ExitStatus::Findings
        }
    }
}

fn render(args: &Args) -> Result<helm::render::Rendered, RenderError> {
    let chart_files = match &args.chart {
        Some(dir) => helm::chart::read_dir_files(dir).map_err(RenderError)?,
        None => helm::embedded_chart_files(),
    };
    let mut sources = ValueSources { set: args.set.clone(), set_string: args.set_string.clone(), ..Default::default() };
    for path in &args.values {
        let text =
            std::fs::read_to_string(path).map_err(|e| RenderError(format!("cannot load {}: {e}", path.display())))?;
        sources.files.push((path.display().to_string(), text));
    }
    let opts = Options {
        release_name: args.name.clone(),
        namespace: args.namespace.clone(),
        kube_version: args.kube_version.clone(),
        api_versions: args.api_versions.clone(),
        show_only: args.show_only.clone(),
        helm: if args.helm_version == "3" { HelmMajor::V3 } else { HelmMajor::V4 },
        ..Default::default()
    };
    helm::render::render_on_big_stack(chart_files, sources, opts)
}
