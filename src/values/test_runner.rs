//! Owns `backendTestRunner`: the scheduled cluster validation tests, a CronJob the worker
//! creates from the Jinja template the chart renders.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Affinity, HostAlias, PodSecurityContext, ResourceRequirements, SecurityContext, Toleration,
};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

use super::enums::{CompletionMode, ConcurrencyPolicy, PullPolicy, RestartPolicy};
use super::grammar::{known, CronSchedule, DnsLabel, ImageTagOrEmpty, TimeZone};
use super::k8s_defaults::{resources, restricted_container_security_context, restricted_pod_security_context};

/// The uid and gid the test runner image runs as.
const TEST_RUNNER_UID: i64 = 1000;

/// Scheduled cluster validation tests, run as a CronJob the worker creates from a Jinja template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct BackendTestRunner {
    /// Render the CronJob template ConfigMap and pass it to the worker.
    pub enabled: bool,
    /// Schedule and history of the CronJob.
    pub cron_job: CronJob,
    /// The Job each run creates.
    pub job_template: JobTemplate,
    /// The test pod.
    pub pod_template: PodTemplate,
    /// The per-test ConfigMap the worker creates and the test pod mounts.
    pub config_map: TestConfigMap,
    /// Environment of the test container.
    pub env: TestEnv,
    /// Where the test configuration is mounted.
    pub volumes: TestVolumes,
    /// Labels added to the CronJob, its Jobs and pods.
    pub labels: BTreeMap<String, String>,
    /// Annotations of the CronJob.
    pub annotations: TestAnnotations,
    /// Raw RBAC objects (Role, RoleBinding, ...) rendered as they are.
    pub extra_roles: Vec<RawObject>,
}

impl Default for BackendTestRunner {
    fn default() -> Self {
        Self {
            enabled: true,
            cron_job: CronJob::default(),
            job_template: JobTemplate::default(),
            pod_template: PodTemplate::default(),
            config_map: TestConfigMap::default(),
            env: TestEnv::default(),
            volumes: TestVolumes::default(),
            labels: BTreeMap::from([("managed-by".to_owned(), "backend-operator".to_owned())]),
            annotations: TestAnnotations::default(),
            extra_roles: Vec::new(),
        }
    }
}

/// Schedule and history of the CronJob.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct CronJob {
    /// Cron schedule of the tests.
    pub schedule: CronSchedule,
    /// Time zone the schedule is read in.
    pub timezone: TimeZone,
    /// Seconds a missed run may still start late.
    pub starting_deadline_seconds: u64,
    /// What to do when a run is still going: Allow, Forbid or Replace.
    pub concurrency_policy: ConcurrencyPolicy,
    /// Pause the schedule.
    pub suspend: bool,
    /// Finished successful Jobs kept.
    pub successful_jobs_history_limit: u32,
    /// Finished failed Jobs kept.
    pub failed_jobs_history_limit: u32,
}

impl Default for CronJob {
    fn default() -> Self {
        Self {
            schedule: known("0 2 * * *"),
            timezone: known("UTC"),
            starting_deadline_seconds: 300,
            concurrency_policy: ConcurrencyPolicy::Forbid,
            suspend: false,
            successful_jobs_history_limit: 1,
            failed_jobs_history_limit: 3,
        }
    }
}

/// The Job each run creates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct JobTemplate {
    /// Pods run at once.
    pub parallelism: u32,
    /// Successful pods needed.
    #[schemars(range(min = 1))]
    pub completions: u32,
    /// Retries before the Job fails.
    pub backoff_limit: u32,
    /// Seconds the Job may run.
    #[schemars(range(min = 1))]
    pub active_deadline_seconds: u64,
    /// Seconds a finished Job is kept.
    pub ttl_seconds_after_finished: u32,
    /// NonIndexed or Indexed.
    pub completion_mode: CompletionMode,
    /// Create the Job suspended.
    pub suspend: bool,
}

impl Default for JobTemplate {
    fn default() -> Self {
        Self {
            parallelism: 1,
            completions: 1,
            backoff_limit: 2,
            active_deadline_seconds: 3600,
            ttl_seconds_after_finished: 86400,
            completion_mode: CompletionMode::NonIndexed,
            suspend: false,
        }
    }
}

/// The test pod.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct PodTemplate {
    /// Image of the test container.
    pub image: TestImage,
    /// Init container that prepares the shared test directory.
    pub init_container: InitContainer,
    /// The test container.
    pub container: TestContainer,
    /// Security context of the test pod (restricted Pod Security Standard).
    pub security_context: PodSecurityContext,
    /// Security context of both test containers (restricted Pod Security Standard).
    pub container_security_context: SecurityContext,
    /// Suffix of the test pod's ServiceAccount name.
    pub service_account: DnsLabel,
    /// Mount the ServiceAccount token into the test pod.
    pub automount_service_account_token: bool,
    /// Restart policy of the test pod: Never or OnFailure.
    pub restart_policy: RestartPolicy,
    /// Seconds the test pod gets to stop.
    pub termination_grace_period_seconds: u64,
    /// Labels added to the test pod.
    pub labels: BTreeMap<String, String>,
    /// Annotations added to the test pod.
    pub annotations: BTreeMap<String, String>,
    /// Node labels the test pod must match.
    pub node_selector: BTreeMap<String, String>,
    /// Tolerations of the test pod; global.tolerations when empty.
    pub tolerations: Vec<Toleration>,
    /// Affinity of the test pod.
    pub affinity: Affinity,
    /// Extra /etc/hosts entries of the test pod.
    pub host_aliases: Vec<HostAlias>,
}

impl Default for PodTemplate {
    fn default() -> Self {
        Self {
            image: TestImage::default(),
            init_container: InitContainer::default(),
            container: TestContainer::default(),
            security_context: restricted_pod_security_context(TEST_RUNNER_UID),
            container_security_context: restricted_container_security_context(None),
            service_account: known("test-runner"),
            automount_service_account_token: true,
            restart_policy: RestartPolicy::Never,
            termination_grace_period_seconds: 30,
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
            node_selector: BTreeMap::new(),
            tolerations: Vec::new(),
            affinity: Affinity::default(),
            host_aliases: Vec::new(),
        }
    }
}

/// Image of the test container.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct TestImage {
    /// Repository of the test runner image.
    pub repository: String,
    /// Tag of the test runner image; global.osmoImageTag when empty.
    pub tag: ImageTagOrEmpty,
    /// When the kubelet pulls the image: Always, IfNotPresent or Never.
    pub pull_policy: PullPolicy,
}

impl Default for TestImage {
    fn default() -> Self {
        Self {
            repository: "nvcr.io/nvidia/osmo/backend-test-runner".to_owned(),
            tag: known(""),
            pull_policy: PullPolicy::Always,
        }
    }
}

/// Init container that prepares the shared test directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct InitContainer {
    /// Image of the init container.
    pub image: String,
    /// When the kubelet pulls the init image.
    pub image_pull_policy: PullPolicy,
    /// CPU and memory of the init container.
    pub resources: ResourceRequirements,
}

impl Default for InitContainer {
    fn default() -> Self {
        Self {
            image: "ubuntu:22.04".to_owned(),
            image_pull_policy: PullPolicy::IfNotPresent,
            resources: resources(&[("cpu", "50m"), ("memory", "64Mi")], &[("cpu", "100m"), ("memory", "128Mi")]),
        }
    }
}

/// The test container.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct TestContainer {
    /// Arguments of the test container.
    pub args: Vec<String>,
    /// CPU and memory of the test container.
    pub resources: ResourceRequirements,
}

impl Default for TestContainer {
    fn default() -> Self {
        let args =
            ["--read_from_osmo", "false", "--read_from_file", "/test-config/test_config.json", "--prefix", "osmo"];
        Self {
            args: args.map(str::to_owned).to_vec(),
            resources: resources(&[("cpu", "100m"), ("memory", "512Mi")], &[("cpu", "500m"), ("memory", "1Gi")]),
        }
    }
}

/// The per-test ConfigMap the worker creates and the test pod mounts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct TestConfigMap {
    /// Name of the ConfigMap; {{.TestName}} and {{.BackendName}} are replaced by the worker.
    pub name_template: String,
    /// File mode of the mounted files, in decimal (420 is 0644).
    #[schemars(range(max = 0o777))]
    pub default_mode: u32,
    /// Start the pod even when the ConfigMap is missing.
    pub optional: bool,
}

impl Default for TestConfigMap {
    fn default() -> Self {
        Self { name_template: "{{.TestName}}-config".to_owned(), default_mode: 0o644, optional: false }
    }
}

/// Environment of the test container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct TestEnv {
    /// Extra variables, name to value.
    pub additional: BTreeMap<String, String>,
}

/// Where the test configuration is mounted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct TestVolumes {
    /// Name of the volume holding the test ConfigMap.
    pub test_config_name: DnsLabel,
    /// Directory the test ConfigMap is mounted at.
    pub test_config_mount_path: String,
}

impl Default for TestVolumes {
    fn default() -> Self {
        Self { test_config_name: known("test-config"), test_config_mount_path: "/test-config".to_owned() }
    }
}

/// Annotations of the CronJob.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct TestAnnotations {
    /// Human description of the tests; {{.TestName}} and {{.BackendName}} are replaced by the worker.
    pub description: String,
    /// Value of the CronJob's `scheduler` annotation.
    pub scheduler: String,
}

impl Default for TestAnnotations {
    fn default() -> Self {
        Self {
            description: "Automated test runner for {{.BackendName}} - {{.TestName}}".to_owned(),
            scheduler: "backend-test-scheduler".to_owned(),
        }
    }
}

/// A Kubernetes object kept as raw JSON: any object with `apiVersion`, `kind` and `metadata`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "serde_json::Map<String, serde_json::Value>")]
pub struct RawObject(pub serde_json::Map<String, serde_json::Value>);

impl RawObject {
    /// The keys every Kubernetes object needs.
    pub const REQUIRED: [&'static str; 3] = ["apiVersion", "kind", "metadata"];
}

impl TryFrom<serde_json::Map<String, serde_json::Value>> for RawObject {
    type Error = String;
    fn try_from(object: serde_json::Map<String, serde_json::Value>) -> Result<Self, String> {
        match Self::REQUIRED.iter().find(|key| !object.contains_key(**key)) {
            Some(key) => Err(format!("a Kubernetes object needs `{key}`")),
            None => Ok(Self(object)),
        }
    }
}

impl JsonSchema for RawObject {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RawObject".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A Kubernetes object rendered as it is.",
            "type": "object",
            "required": Self::REQUIRED,
            "properties": {
                "apiVersion": {"type": "string", "minLength": 1},
                "kind": {"type": "string", "minLength": 1},
                "metadata": {"type": "object"},
            },
            "additionalProperties": true,
        })
    }
}
