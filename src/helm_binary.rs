//! Renders a chart with a real `helm` binary (the one named by OSMO_HELM, else `helm` on
//! PATH): how `check` and `golden-diff` render until the native renderer lands.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

/// What to render.
pub struct Request<'a> {
    pub chart: &'a Path,
    pub release_name: &'a str,
    pub values: &'a [&'a Path],
    pub set: &'a [String],
    pub set_string: &'a [String],
}

/// Why rendering did not produce manifests.
#[derive(Debug)]
pub enum Error {
    /// No helm binary could be started.
    NoHelm(String),
    /// Helm ran and refused; its first error line.
    Refused(String),
}

pub fn helm_program() -> OsString {
    std::env::var_os("OSMO_HELM").unwrap_or_else(|| "helm".into())
}

/// `helm template` of the request; the manifests on success.
pub fn template(request: &Request) -> Result<String, Error> {
    let helm = helm_program();
    let mut command = Command::new(&helm);
    command.arg("template").arg(request.release_name).arg(request.chart);
    for file in request.values {
        command.arg("-f").arg(file);
    }
    for set in request.set {
        command.arg("--set").arg(set);
    }
    for set in request.set_string {
        command.arg("--set-string").arg(set);
    }
    let out = command.output().map_err(|e| {
        Error::NoHelm(format!(
            "cannot run {} to render the chart ({e}); set OSMO_HELM to a helm binary",
            helm.to_string_lossy()
        ))
    })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        Err(Error::Refused(stderr.lines().find(|l| l.starts_with("Error")).unwrap_or(stderr.trim()).to_owned()))
    }
}
