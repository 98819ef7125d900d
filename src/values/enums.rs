//! Owns the closed string choices of the values file (login method, log levels, pull policy, ...).
//!
//! Each enum serializes to exactly the strings the chart and Kubernetes expect, and its schema
//! is inlined as `{type: string, enum: [...]}` at each use.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How the operator logs in to the OSMO service.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline)]
pub enum LoginMethod {
    #[default]
    Password,
    Token,
}

/// A Python logging level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
#[schemars(inline)]
pub enum LogLevel {
    Debug,
    Info,
    Warning,
    Error,
    Critical,
}

/// The format of log lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// When the kubelet pulls an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(inline)]
pub enum PullPolicy {
    Always,
    IfNotPresent,
    Never,
}

/// What a CronJob does when a run is due while the previous one is still going.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(inline)]
pub enum ConcurrencyPolicy {
    Allow,
    #[default]
    Forbid,
    Replace,
}

/// How a Job counts completions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(inline)]
pub enum CompletionMode {
    #[default]
    NonIndexed,
    Indexed,
}

/// Restart policy of a Job's pod.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(inline)]
pub enum RestartPolicy {
    #[default]
    Never,
    OnFailure,
}
