//! Owns `services`: the listener and worker Deployments' values.
//!
//! Both services take the same common keys (image, names, pod extras, volumes, resources,
//! probe timing, security contexts) plus a few of their own. The common keys are written once,
//! in [`service_values!`], which stamps out one flat struct per service. A shared struct
//! embedded with `#[serde(flatten)]` was rejected: serde does not support `flatten` together
//! with `deny_unknown_fields`, a flattened struct's `#[serde(default)]` cannot know which
//! service it belongs to (the defaults differ), and the descriptions name the service.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Container, EnvVar, HostAlias, PodSecurityContext, ResourceRequirements, SecurityContext, Volume, VolumeMount,
};
use k8s_openapi::api::rbac::v1::PolicyRule;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::enums::PullPolicy;
use super::grammar::{known, DnsLabel, GoDuration};
use super::k8s_defaults::{
    progress_volume_mounts, progress_volumes, resources, restricted_container_security_context,
    restricted_pod_security_context, OSMO_UID,
};

/// The two operator processes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Services {
    /// The listener streams pod, node and event changes from the cluster to OSMO.
    pub backend_listener: BackendListener,
    /// The worker creates and deletes workflow pods, group objects and test jobs.
    pub backend_worker: BackendWorker,
}

/// Startup probe timing; the probe itself checks the progress files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct StartupProbe {
    /// Failed checks tolerated before the container is restarted.
    #[schemars(range(min = 1))]
    pub failure_threshold: u32,
    /// Seconds between checks.
    #[schemars(range(min = 1))]
    pub period_seconds: u32,
    /// Seconds one check may take.
    #[schemars(range(min = 1))]
    pub timeout_seconds: u32,
    /// Seconds before the first check.
    pub initial_delay_seconds: u32,
}

impl Default for StartupProbe {
    fn default() -> Self {
        Self { failure_threshold: 30, period_seconds: 5, timeout_seconds: 60, initial_delay_seconds: 10 }
    }
}

/// Defines the values struct of one service: the common keys, documented for `$role`, with
/// defaults from `$defaults`, followed by the service's own keys and their defaults.
macro_rules! service_values {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident for $role:literal {
            image_name: $image:literal,
            service_name: $service:literal,
            service_account: $account:literal,
            memory: $memory:literal,
        }
        own keys {
            $( $(#[$meta:meta])* pub $field:ident: $ty:ty = $default:expr, )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(default, deny_unknown_fields, rename_all = "camelCase")]
        pub struct $name {
            /// Image name under global.osmoImageLocation.
            pub image_name: String,
            /// When the kubelet pulls the image: Always, IfNotPresent or Never.
            pub image_pull_policy: PullPolicy,
            /// Suffix of the Deployment name and of the `app` selector label.
            pub service_name: DnsLabel,
            /// Suffix of the ServiceAccount name.
            pub service_account: DnsLabel,
            #[doc = concat!("Init containers run before the ", $role, ".")]
            pub init_containers: Vec<Container>,
            /// Arguments appended after the chart's own.
            pub extra_args: Vec<String>,
            #[doc = concat!("Environment variables of the ", $role, " container.")]
            pub extra_envs: Vec<EnvVar>,
            #[doc = concat!("Annotations added to the ", $role, " pod.")]
            pub extra_pod_annotations: BTreeMap<String, String>,
            #[doc = concat!("Labels added to the ", $role, " pod (the `app` label is the chart's).")]
            pub extra_pod_labels: BTreeMap<String, String>,
            #[doc = concat!("Containers run beside the ", $role, ".")]
            pub extra_sidecar_containers: Vec<Container>,
            #[doc = concat!("Node labels the ", $role, " pod must match, over global.nodeSelector.")]
            pub node_selector: BTreeMap<String, String>,
            #[doc = concat!("Extra /etc/hosts entries of the ", $role, " pod.")]
            pub host_aliases: Vec<HostAlias>,
            #[doc = concat!("Volumes of the ", $role, " pod; the operator writes its progress files to progress-files.")]
            pub volumes: Vec<Volume>,
            #[doc = concat!("Mounts of the ", $role, " container; the liveness probe reads /var/run/osmo.")]
            pub volume_mounts: Vec<VolumeMount>,
            #[doc = concat!("CPU and memory of the ", $role, " container.")]
            pub resources: ResourceRequirements,
            /// Startup probe timing; the probe itself checks the progress files.
            pub startup_probe: StartupProbe,
            #[doc = concat!("Security context of the ", $role, " pod (restricted Pod Security Standard).")]
            pub pod_security_context: PodSecurityContext,
            #[doc = concat!("Security context of the ", $role, " container (restricted Pod Security Standard).")]
            pub container_security_context: SecurityContext,
            $( $(#[$meta])* pub $field: $ty, )*
        }

        impl Default for $name {
            fn default() -> Self {
                Self {
                    image_name: $image.to_owned(),
                    image_pull_policy: PullPolicy::Always,
                    service_name: known($service),
                    service_account: known($account),
                    init_containers: Vec::new(),
                    extra_args: Vec::new(),
                    extra_envs: Vec::new(),
                    extra_pod_annotations: BTreeMap::new(),
                    extra_pod_labels: BTreeMap::new(),
                    extra_sidecar_containers: Vec::new(),
                    node_selector: BTreeMap::new(),
                    host_aliases: Vec::new(),
                    volumes: progress_volumes(),
                    volume_mounts: progress_volume_mounts(),
                    resources: resources(&[("cpu", "1"), ("memory", $memory)], &[("memory", $memory)]),
                    startup_probe: StartupProbe::default(),
                    pod_security_context: restricted_pod_security_context(OSMO_UID),
                    container_security_context: restricted_container_security_context(Some(OSMO_UID)),
                    $( $field: $default, )*
                }
            }
        }
    };
}

service_values! {
    /// The listener streams pod, node and event changes from the cluster to OSMO.
    pub struct BackendListener for "listener" {
        image_name: "backend-listener",
        service_name: "osmo-backend-listener",
        service_account: "backend-listener",
        memory: "2Gi",
    }
    own keys {
        /// Let the listener patch node labels (grants nodes patch cluster-wide).
        pub enable_node_label_update: bool = false,
        /// Messages the listener may send before OSMO acknowledges them.
        #[serde(rename = "max_unacked_messages")]
        #[schemars(range(min = 1))]
        pub max_unacked_messages: u32 = 100,
        /// Seconds a pod event stays in the listener's de-duplication cache.
        pub pod_cache_ttl: u32 = 15,
        /// Queries per second to the Kubernetes API.
        #[schemars(range(min = 1))]
        pub api_qps: u32 = 20,
        /// Burst of queries to the Kubernetes API.
        #[schemars(range(min = 1))]
        pub api_burst: u32 = 30,
    }
}

service_values! {
    /// The worker creates and deletes workflow pods, group objects and test jobs.
    pub struct BackendWorker for "worker" {
        image_name: "backend-worker",
        service_name: "osmo-backend-worker",
        service_account: "backend-worker",
        memory: "1Gi",
    }
    own keys {
        /// How often the worker reports job progress, as a duration such as 15s.
        pub progress_iter_frequency: GoDuration = known("15s"),
        /// PolicyRules added to the worker's Role in the backend namespace: one per kind
        /// that a group template creates (create, delete, list, patch at least).
        #[serde(rename = "extraRBACRules")]
        pub extra_rbac_rules: Vec<PolicyRule> = Vec::new(),
    }
}
