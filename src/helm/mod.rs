//! Helm's layer over the template engine: Sprig's and Helm's functions, `toYaml`,
//! values (files, `--set`, coalescing), chart loading, and `helm template`'s output.

pub mod chart;
pub mod encoding;
pub mod funcs;
pub mod json;
pub mod render;
pub mod semver;
pub mod to_yaml;
pub mod values;

pub use chart::Chart;
pub use render::{render, HelmMajor, Options, RenderError, ValueSources};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/chart_files.rs"));
}

/// The repository's chart, as embedded in the binary at build time.
pub fn embedded_chart_files() -> Vec<(String, String)> {
    embedded::CHART_FILES.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
}
