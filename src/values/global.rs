//! Owns `global`: the settings shared by the listener, the worker and the test runner.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Toleration;
use k8s_openapi::api::networking::v1::NetworkPolicyEgressRule;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::enums::{LogFormat, LogLevel, LoginMethod};
use super::grammar::{known, BackendName, Cidr, DnsLabel, DnsSubdomain, HttpUrlOrEmpty, ImageTag};
use super::k8s_defaults::ops_tolerations;

/// Settings shared by the listener, the worker and the test runner.
///
/// Unlike every other values struct this one does not deny unknown keys: when this chart is
/// a subchart, Helm copies the parent chart's globals in here, so the schema says
/// `additionalProperties: true` and deserializing ignores keys it does not know. Only the
/// chart's own top-level keys (services, ...) are forbidden here by the schema, to catch a
/// block indented one level too deep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
#[schemars(extend("additionalProperties" = true))]
pub struct Global {
    /// Prefix for every object name the chart builds; the Helm release name when null.
    pub name: Option<DnsLabel>,
    /// Registry and path the OSMO images are pulled from.
    pub osmo_image_location: String,
    /// Image tag of the listener, the worker and (unless set there) the test runner.
    pub osmo_image_tag: ImageTag,
    /// Name of a docker-registry Secret in the agent namespace used to pull images; none when null.
    pub image_pull_secret: Option<DnsSubdomain>,
    /// Node labels every pod of the chart must match; merged under each service's own nodeSelector.
    pub node_selector: BTreeMap<String, String>,
    /// URL of the OSMO service the operator registers with, e.g. https://osmo.example.com. Required.
    pub service_url: HttpUrlOrEmpty,
    /// User the operator logs in as when loginMethod is password.
    pub account_username: String,
    /// Secret in the agent namespace holding the password (loginMethod password).
    pub account_password_secret: DnsSubdomain,
    /// Key of the password inside accountPasswordSecret.
    pub account_password_secret_key: String,
    /// Secret in the agent namespace holding the access token (loginMethod token).
    pub account_token_secret: DnsSubdomain,
    /// Key of the token inside accountTokenSecret.
    pub account_token_secret_key: String,
    /// How the operator logs in to the OSMO service: password or token.
    pub login_method: LoginMethod,
    /// Namespace of the operator's own objects (Deployments, ServiceAccounts, ConfigMaps).
    pub agent_namespace: DnsLabel,
    /// Name this backend is registered under in OSMO.
    pub backend_name: BackendName,
    /// Namespace where workflow pods run.
    pub backend_namespace: DnsLabel,
    /// Namespace for cluster validation tests; turns on the test runner's RBAC when set.
    pub backend_test_namespace: Option<DnsLabel>,
    /// Prefix of the node condition labels the operator reads and writes.
    pub node_condition_prefix: String,
    /// Logging of the operator processes.
    pub logs: Logs,
    /// Comma-separated namespaces whose resource usage the listener reports.
    pub include_namespace_usage: String,
    /// Render the ServiceAccounts and all RBAC objects.
    pub enable_cluster_roles: bool,
    /// Render the listener and worker Deployments.
    pub enable_non_cluster_roles: bool,
    /// Tolerations of every pod; the test runner uses them unless it sets its own.
    pub tolerations: Vec<Toleration>,
    /// Egress NetworkPolicy for workflow pods in the backend namespace.
    pub network_policy: NetworkPolicy,
    /// Cluster-wide PriorityClasses for workflow pods.
    pub priority_classes: PriorityClasses,
}

impl Default for Global {
    fn default() -> Self {
        Self {
            name: None,
            osmo_image_location: "nvcr.io/nvidia/osmo".to_owned(),
            osmo_image_tag: known("latest"),
            image_pull_secret: None,
            node_selector: BTreeMap::new(),
            service_url: known(""),
            account_username: String::new(),
            account_password_secret: known("svc-osmo-admin"),
            account_password_secret_key: "password".to_owned(),
            account_token_secret: known("agent-token"),
            account_token_secret_key: "token".to_owned(),
            login_method: LoginMethod::Password,
            agent_namespace: known("osmo"),
            backend_name: known("default"),
            backend_namespace: known("osmo-namespace"),
            backend_test_namespace: None,
            node_condition_prefix: String::new(),
            logs: Logs::default(),
            include_namespace_usage: "osmo-staging,osmo-prod".to_owned(),
            enable_cluster_roles: true,
            enable_non_cluster_roles: true,
            tolerations: ops_tolerations(),
            network_policy: NetworkPolicy::default(),
            priority_classes: PriorityClasses::default(),
        }
    }
}

/// Logging of the operator processes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Logs {
    /// Log level of the operator: DEBUG, INFO, WARNING, ERROR or CRITICAL.
    pub log_level: LogLevel,
    /// Log level of the Kubernetes client library: DEBUG, INFO, WARNING, ERROR or CRITICAL.
    pub k8s_log_level: LogLevel,
    /// Log line format: text or json.
    pub log_format: LogFormat,
}

impl Default for Logs {
    fn default() -> Self {
        Self { log_level: LogLevel::Debug, k8s_log_level: LogLevel::Warning, log_format: LogFormat::Text }
    }
}

/// Egress NetworkPolicy for workflow pods in the backend namespace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct NetworkPolicy {
    /// Render the NetworkPolicy.
    pub enabled: bool,
    /// Cluster-internal CIDRs (pods, services) excluded from the 0.0.0.0/0 egress rule.
    #[serde(rename = "clusterCIDRs")]
    pub cluster_cidrs: Vec<Cidr>,
    /// Namespace of the cluster DNS; port 53 over TCP and UDP is allowed there.
    pub dns_namespace: DnsLabel,
    /// Extra namespaces workflow pods may reach.
    pub allowed_namespaces: Vec<DnsLabel>,
    /// NetworkPolicyEgressRule entries appended verbatim.
    pub additional_egress_rules: Vec<NetworkPolicyEgressRule>,
}

impl Default for NetworkPolicy {
    fn default() -> Self {
        Self {
            enabled: false,
            cluster_cidrs: Vec::new(),
            dns_namespace: known("kube-system"),
            allowed_namespaces: Vec::new(),
            additional_egress_rules: Vec::new(),
        }
    }
}

/// Cluster-wide PriorityClasses for workflow pods.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct PriorityClasses {
    /// Render the PriorityClasses.
    pub enabled: bool,
    /// One PriorityClass each; none is the global default.
    pub classes: Vec<PriorityClass>,
}

impl Default for PriorityClasses {
    fn default() -> Self {
        let class = |name: &str, value, description: &str| PriorityClass {
            name: known(name),
            value,
            description: description.to_owned(),
        };
        Self {
            enabled: true,
            classes: vec![
                class("osmo-high", 125, "High priority OSMO workflow pods."),
                class("osmo-normal", 100, "Normal priority OSMO workflow pods."),
                class("osmo-low", 50, "Low priority OSMO workflow pods."),
            ],
        }
    }
}

/// One PriorityClass. `name` and `value` are required; there is no sensible default for them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PriorityClass {
    /// Name of the PriorityClass.
    pub name: DnsSubdomain,
    /// Priority of pods in this class (user classes may go up to one billion).
    #[schemars(range(max = 1_000_000_000))]
    pub value: i32,
    /// Human description of the class.
    #[serde(default)]
    pub description: String,
}
