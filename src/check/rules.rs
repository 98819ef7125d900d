//! Every rule `osmo-chart check` adds to values-lint's: what it checks and why.

use crate::diagnostics::{declare_rules, RuleDoc};

declare_rules! {
    RENDER = "render", Error, "The chart does not render with these values.",
        "Helm's template step failed (a required value, a fail, a template error) or printed \
         something that is not YAML; nothing can be deployed.";
    K8S_SCHEMA = "k8s-schema", Error, "An object that does not fit its Kubernetes API type.",
        "Every rendered object is validated against its kind's API type, strictly: unknown \
         fields (a misspelled valueFrom), missing required fields (a sidecar without a name) \
         and wrong types are what the API server rejects or silently drops.";
    UNKNOWN_KIND = "unknown-kind", Warning, "An object of a kind with no schema here.",
        "The object is not validated field by field; the kinds the chart renders all have one.";
    K8S_NAME = "k8s-name", Error, "An invalid object name, namespace, label or annotation.",
        "Names must be DNS-1123 subdomains (labels for namespaces and Services), label keys an \
         optional DNS prefix and a 63-character name, label values 63 characters of \
         [A-Za-z0-9-_.]; the API server rejects anything else.";
    SELECTOR = "selector", Error, "A selector that does not match the labels it must select.",
        "A Deployment whose selector does not match its pod template's labels is rejected; a \
         PodMonitor that selects no pod of the release scrapes nothing.";
    REFERENCE = "reference", Error, "A reference to something the release does not render.",
        "A binding to a Role or ServiceAccount that does not exist, a volumeMount without its \
         volume, or a configMap volume naming a ConfigMap the chart does not render: the pod or \
         the grant fails on the cluster.";
    DUPLICATE = "duplicate", Error, "Two entries with the same name where names must be unique.",
        "Two volumes, containers or ports with one name, or two mounts at one path in a \
         container: the API server rejects the pod. A user volume mounted at /tmp collides \
         with the chart's own writable /tmp.";
    POD_SECURITY = "pod-security", Error, "A pod that breaks the restricted Pod Security Standard.",
        "Namespaces labelled pod-security.kubernetes.io/enforce=restricted reject such pods: \
         privilege escalation, added capabilities, root users, missing seccomp profiles, host \
         namespaces, host ports and hostPath volumes.";
    RBAC_WILDCARD = "rbac-wildcard", Warning, "A grant with a wildcard.",
        "`*` in apiGroups, resources or verbs grants whatever exists now and whatever is added \
         later; name what is needed.";
    RBAC_ESCALATION = "rbac-escalation", Error, "A grant of escalate, bind or impersonate.",
        "These verbs let a ServiceAccount give itself or others more rights than it holds.";
    RBAC_SECRETS = "rbac-secrets", Warning, "Cluster-wide read access to Secrets.",
        "A ClusterRole that reads Secrets reads every credential in the cluster; grant it in a \
         Role in the namespace that needs it.";
    TEST_RUNNER_TEMPLATE = "test-runner-template", Error, "The worker cannot fill the test CronJob template.",
        "The worker renders the template with Jinja2, strict undefined variables and exactly \
         backend_name, test_name, resource_name, configmap_name, cron_schedule and \
         node_condition_prefix; any other variable without `| default(...)` fails on the \
         cluster, and the result must be a valid batch/v1 CronJob.";
}

/// The documentation of a rule id.
pub fn find(id: &str) -> Option<&'static RuleDoc> {
    ALL.iter().find(|r| r.id == id)
}
