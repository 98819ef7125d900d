//! Owns `osmo-chart golden-diff`: renders the two sides (two values files, a git ref
//! against the working tree, or golden files against the working tree), compares them
//! with `osmo_chart::golden`, prints the report, and maps it to the exit status. Both
//! sides are rendered natively, as `helm template` would.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::Command;

use osmo_chart::golden::{self, report, Options, Section};
use osmo_chart::helm;

use super::{ExitStatus, Failure};

/// Arguments of `osmo-chart golden-diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The values file of the base side (with --head-values).
    #[arg(long, value_name = "FILE", requires = "head_values")]
    pub base_values: Option<PathBuf>,
    /// The values file of the head side (with --base-values).
    #[arg(long, value_name = "FILE", requires = "base_values")]
    pub head_values: Option<PathBuf>,
    /// Compare the chart and values as committed at this git ref with the working tree.
    #[arg(long, value_name = "GITREF", conflicts_with_all = ["base_values", "golden"])]
    pub base_ref: Option<String>,
    /// Compare against golden renders kept in DIR, one per values file.
    #[arg(long, value_name = "DIR", conflicts_with = "base_values")]
    pub golden: Option<PathBuf>,
    /// With --golden: rewrite the golden files instead of comparing.
    #[arg(long, requires = "golden")]
    pub update: bool,
    /// Values files for --base-ref and --golden (default: examples/*.yaml and chart/ci/*-values.yaml).
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<PathBuf>,
    /// The chart directory (for --base-ref, inside the git repository).
    #[arg(long, value_name = "DIR", default_value = "chart")]
    pub chart: PathBuf,
    /// Release name, as for helm template.
    #[arg(long, value_name = "NAME", default_value = "osmo-operator")]
    pub release_name: String,
    /// Lines of context around each change.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub context: usize,
    /// Leave a path out of the comparison: dotted with [key] for keys holding dots
    /// (metadata.labels[team]), or a JSON pointer; `*` matches any key.
    #[arg(long = "ignore", value_name = "PATH")]
    pub ignore: Vec<String>,
    /// Compare the helm.sh/chart and app.kubernetes.io/version labels too.
    #[arg(long)]
    pub include_chart_version: bool,
    /// Show values of Secrets and credential-looking ConfigMap entries.
    #[arg(long)]
    pub show_secrets: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: report::Format,
    /// Colour the terminal format: auto, always or never.
    #[arg(long, value_enum, default_value_t)]
    pub color: osmo_chart::diagnostics::ColorChoice,
}

pub fn run(args: &Args) -> Result<ExitStatus, Failure> {
    let options = Options {
        context: args.context,
        ignore: args.ignore.clone(),
        ignore_chart_version: !args.include_chart_version,
        show_secrets: args.show_secrets,
    };
    let sections = if let (Some(base), Some(head)) = (&args.base_values, &args.head_values) {
        let title = format!("{} -> {}", base.display(), head.display());
        let chart = chart_files(&args.chart)?;
        vec![compare(&title, &render(args, &chart, Some(base))?, &render(args, &chart, Some(head))?, &options)?]
    } else if let Some(reference) = &args.base_ref {
        base_ref(args, reference, &options)?
    } else if let Some(dir) = &args.golden {
        let sections = golden_files(args, dir, &options)?;
        if args.update {
            println!("wrote the golden files in {}", dir.display());
            return Ok(ExitStatus::Success);
        }
        sections
    } else {
        return Err(Failure(
            "say what to compare: --base-values A --head-values B, --base-ref GITREF, or --golden DIR".into(),
        ));
    };
    let color = match args.color {
        osmo_chart::diagnostics::ColorChoice::Always => true,
        osmo_chart::diagnostics::ColorChoice::Never => false,
        osmo_chart::diagnostics::ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    print!("{}", report::render(args.format, &sections, color));
    let differs = sections.iter().any(|s| !s.objects.is_empty());
    Ok(if differs { ExitStatus::Findings } else { ExitStatus::Success })
}

fn compare(title: &str, base: &str, head: &str, options: &Options) -> Result<Section, Failure> {
    golden::compare(title, base, head, options).map_err(Failure)
}

fn chart_files(dir: &Path) -> Result<helm::chart::Files, Failure> {
    helm::chart::read_dir_files(dir).map_err(Failure)
}

/// Renders the chart (its files) with one values file, natively.
fn render(args: &Args, chart: &[(String, helm::chart::Text)], values: Option<&Path>) -> Result<String, Failure> {
    let mut files = Vec::new();
    if let Some(path) = values {
        let text = std::fs::read_to_string(path).map_err(|e| Failure::io("read", path, e))?;
        files.push((path.display().to_string(), text));
    }
    render_text(args, chart, files)
}

fn render_text(
    args: &Args,
    chart: &[(String, helm::chart::Text)],
    values: Vec<(String, String)>,
) -> Result<String, Failure> {
    let name = values.first().map_or("the chart's defaults".to_owned(), |(n, _)| n.clone());
    let request = helm::Template {
        chart_files: Some(chart.to_vec()),
        release_name: &args.release_name,
        values,
        set: &[],
        set_string: &[],
        values_validated: false,
    };
    helm::template(request).map_err(|e| Failure(format!("rendering with {name}: {}", e.message)))
}

/// The values files to compare by default.
fn default_values(args: &Args) -> Result<Vec<PathBuf>, Failure> {
    if !args.values.is_empty() {
        return Ok(args.values.clone());
    }
    let mut files = Vec::new();
    for (dir, suffix) in [("examples", ".yaml"), ("chart/ci", "-values.yaml")] {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.to_str().is_some_and(|p| p.ends_with(suffix)) {
                files.push(path);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Failure("no values files: pass -f FILE (examples/ and chart/ci/ hold none here)".into()));
    }
    Ok(files)
}

fn git(args: &[&str]) -> Result<Vec<u8>, Failure> {
    let out = Command::new("git").args(args).output().map_err(|e| Failure(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(Failure(format!("git {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim())));
    }
    Ok(out.stdout)
}

/// The chart and values at `reference`, read with git (no checkout), against the working tree.
fn base_ref(args: &Args, reference: &str, options: &Options) -> Result<Vec<Section>, Failure> {
    let top = String::from_utf8_lossy(&git(&["rev-parse", "--show-toplevel"])?).trim().to_owned();
    let relative = |p: &Path| -> Result<String, Failure> {
        let absolute = std::fs::canonicalize(p).map_err(|e| Failure::io("read", p, e))?;
        Ok(absolute
            .strip_prefix(&top)
            .map_err(|_| Failure(format!("{} is outside the git repository", p.display())))?
            .to_string_lossy()
            .into_owned())
    };
    let chart_rel = relative(&args.chart)?;
    let mut base_chart = Vec::new();
    let listing = git(&["ls-tree", "-r", "--name-only", reference, "--", &chart_rel])?;
    for file in String::from_utf8_lossy(&listing).lines() {
        let bytes = git(&["show", &format!("{reference}:{file}")])?;
        let inside = file.strip_prefix(&chart_rel).unwrap_or(file).trim_start_matches('/').to_owned();
        base_chart.push((inside, bytes));
    }
    let base_chart = helm::chart::files_from_bytes(base_chart).map_err(Failure)?;
    if base_chart.is_empty() {
        return Err(Failure(format!("{reference} has no chart at {chart_rel}")));
    }
    let head_chart = chart_files(&args.chart)?;
    let mut sections = Vec::new();
    for values in default_values(args)? {
        let rel = relative(&values)?;
        let base = match git(&["show", &format!("{reference}:{rel}")]) {
            Ok(bytes) => {
                render_text(args, &base_chart, vec![(rel.clone(), String::from_utf8_lossy(&bytes).into_owned())])?
            }
            Err(_) => String::new(), // not in the base: every object is added
        };
        let head = render(args, &head_chart, Some(&values))?;
        sections.push(compare(&values.display().to_string(), &base, &head, options)?);
    }
    Ok(sections)
}

/// The golden file of a values file: `<folder>__<name>.yaml` in DIR.
fn golden_path(dir: &Path, values: &Path) -> PathBuf {
    let folder =
        values.parent().and_then(Path::file_name).map_or("values".into(), |f| f.to_string_lossy().into_owned());
    let stem = values.file_stem().map_or("values".into(), |s| s.to_string_lossy().into_owned());
    dir.join(format!("{folder}__{stem}.yaml"))
}

fn golden_files(args: &Args, dir: &Path, options: &Options) -> Result<Vec<Section>, Failure> {
    let chart = chart_files(&args.chart)?;
    let mut sections = Vec::new();
    for values in default_values(args)? {
        let head = render(args, &chart, Some(&values))?;
        let path = golden_path(dir, &values);
        if args.update {
            std::fs::create_dir_all(dir).map_err(|e| Failure::io("create", dir, e))?;
            std::fs::write(&path, &head).map_err(|e| Failure::io("write", &path, e))?;
            continue;
        }
        let base = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Failure::io("read", &path, e)),
        };
        sections.push(compare(&values.display().to_string(), &base, &head, options)?);
    }
    Ok(sections)
}
