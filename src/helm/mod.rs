//! Helm's layer over the template engine: Sprig's and Helm's functions, `toYaml`,
//! values (files, `--set`, coalescing), chart loading, and `helm template`'s output.

pub mod chart;
pub mod dates;
pub mod dependencies;
pub mod encoding;
pub mod funcs;
pub mod json;
pub mod render;
pub mod semver;
pub mod to_yaml;
pub mod toml;
pub mod validate;
pub mod values;
pub mod values_file;

pub use chart::Chart;
pub use render::{render, HelmMajor, Options, Prepared, RenderError, ValueSources};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/chart_files.rs"));
    /// The chart's templates, parsed by build.rs (src/template/digest.rs).
    pub static TEMPLATE_DIGEST: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/chart_templates.digest"));
    /// The chart's values.yaml, read by build.rs.
    pub static VALUES_DIGEST: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/chart_values.digest"));
}

/// The repository's chart, as embedded in the binary at build time.
pub fn embedded_chart_files() -> chart::Files {
    embedded::CHART_FILES.iter().map(|(p, t)| (p.to_string(), chart::Text::Borrowed(t))).collect()
}

/// What the checking subcommands render: a chart's files (the embedded chart when None),
/// the release name, values files (name and text) and --set arguments.
pub struct Template<'a> {
    pub chart_files: Option<chart::Files>,
    pub release_name: &'a str,
    pub values: Vec<(String, String)>,
    pub set: &'a [String],
    pub set_string: &'a [String],
    /// The values were already checked against the schema (check runs values-lint first).
    pub values_validated: bool,
}

/// The manifests `helm template` (Helm 4) prints for the request, or its error as Helm
/// words it. Renders on a large stack, like `osmo-chart render`.
pub fn template(request: Template) -> Result<String, RenderError> {
    let sources =
        ValueSources { files: request.values, set: request.set.to_vec(), set_string: request.set_string.to_vec() };
    let options = Options {
        release_name: request.release_name.to_owned(),
        values_validated: request.values_validated,
        ..Default::default()
    };
    let files = request.chart_files.unwrap_or_else(embedded_chart_files);
    render::render_on_big_stack(files, sources, options).map(|rendered| rendered.manifests)
}
