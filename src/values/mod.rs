//! Owns the typed values of the chart: the root [`Values`] struct and its submodules.
//!
//! Every struct derives serde and schemars; `Values::default()` equals chart/values.yaml, and
//! the JSON Schema generated from these types is chart/values.schema.json (see `crate::schema`).
//! Kubernetes pass-through keys use k8s-openapi types.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub mod enums;
pub mod generate;
pub mod global;
pub mod grammar;
mod k8s_defaults;
pub mod services;
pub mod test_runner;

pub use global::Global;
pub use services::{BackendListener, BackendWorker, Services};
pub use test_runner::BackendTestRunner;

use grammar::DnsLabel;

/// Values of the OSMO backend operator chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Values {
    /// Settings shared by the listener, the worker and the test runner. When this chart is
    /// a subchart, Helm also copies the parent chart's globals in here, so unknown keys
    /// directly under `global` are allowed by the schema.
    pub global: Global,
    /// Prometheus Operator scraping of both operator pods.
    pub pod_monitor: PodMonitor,
    /// The two operator processes.
    pub services: Services,
    /// Scheduled cluster validation tests, run as a CronJob the worker creates from a Jinja template.
    pub backend_test_runner: BackendTestRunner,
    /// Extra ConfigMaps in the agent namespace, one `<name>-<key>` per entry.
    pub extra_config_maps: BTreeMap<DnsLabel, ExtraConfigMap>,
}

/// Prometheus Operator scraping of both operator pods.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct PodMonitor {
    /// Render a PodMonitor (needs the monitoring.coreos.com/v1 CRD in the cluster).
    pub enabled: bool,
}

/// One extra ConfigMap.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct ExtraConfigMap {
    /// Labels of the ConfigMap.
    pub labels: BTreeMap<String, String>,
    /// Annotations of the ConfigMap.
    pub annotations: BTreeMap<String, String>,
    /// File name to file content.
    pub data: BTreeMap<String, String>,
}
