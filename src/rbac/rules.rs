//! Every rbac-lint rule: its id, default severity, and what it checks and why.
//! `osmo-chart rbac-lint --list-rules` prints this table; SARIF carries it too.

use crate::diagnostics::{declare_rules, RuleDoc};

declare_rules! {
    INPUT = "input", Error, "A file cannot be read.",
        "Checks that each file is UTF-8 text without NUL bytes and at most 10 MiB.";
    YAML_SYNTAX = "yaml-syntax", Error, "A file is not valid YAML (or JSON).",
        "Reports the syntax error at its position; nothing else in that file can be checked.";
    INVALID_TEMPLATE = "invalid-template", Error, "A group template that is not a usable manifest.",
        "A group template is a whole Kubernetes object: a map with apiVersion, kind and \
         metadata.name. A group-template file must be service chart values \
         (services.configs.groupTemplates), the JSON map `osmo config show GROUP_TEMPLATE` \
         prints, or plain manifests.";
    UNKNOWN_TEMPLATE = "unknown-template", Warning, "A pool names a group template that does not exist.",
        "OSMO skips a name in common_group_templates that no template has, so the pool's groups \
         silently go without that object. Fix the name or define the template.";
    UNKNOWN_BACKEND = "unknown-backend", Warning, "No pool in the group-template files uses this backend.",
        "Only the templates of pools whose `backend` is this chart's global.backendName (or \
         --backend) are checked; when no pool names it, nothing is checked, which is usually a \
         misspelt backend name.";
    TEMPLATE_SYNTAX = "template-syntax", Error, "A template string that Jinja cannot render.",
        "OSMO renders every string of a group template with Jinja2; a syntax error or a failing \
         expression fails the task group's creation on the cluster.";
    UNKNOWN_VARIABLE = "unknown-variable", Error, "A template uses a variable that group templates do not get.",
        "Group templates are rendered once per task group with strict undefined variables and \
         only the group-level variables WF_ID, WF_UUID, WF_GROUP_NAME, WF_GROUP_UUID, \
         WF_SUBMITTED_BY, WF_POOL and WF_PRIORITY. Task-level ones such as WF_TASK_NAME fail \
         unless they go through `| default(...)`.";
    UNKNOWN_KIND = "unknown-kind", Error, "A kind that is neither built in nor in a --crd file.",
        "The check needs the kind's API group, plural resource name and scope. Built-in kinds come \
         from the Kubernetes API metadata; pass a custom resource's CustomResourceDefinition with \
         --crd FILE.";
    CLUSTER_SCOPED = "cluster-scoped", Error, "A group template of a cluster-scoped kind.",
        "The worker creates group objects in the workflow namespace with a Role; a cluster-scoped \
         kind cannot be created there, and a Role cannot grant it.";
    NAMESPACE_SET = "namespace-set", Error, "A group template sets metadata.namespace.",
        "OSMO creates every group object in the backend's workflow namespace and drops \
         metadata.namespace; a namespace in the template misleads whoever reads it. Remove it.";
    NAME_WITHOUT_UUID = "name-without-group-uuid", Warning, "A template's name does not depend on WF_GROUP_UUID.",
        "Every task group creates its own copy of the object; without {{WF_GROUP_UUID}} in the \
         name, two groups running at once try to create the same object and the second fails.";
    MISSING_VERBS = "missing-verbs", Error, "The worker's Role lacks a verb the worker uses on a template's kind.",
        "The worker creates, lists, patches and deletes group objects with its own \
         ServiceAccount, so its Role in the workflow namespace (the chart's rules plus \
         services.backendWorker.extraRBACRules) must allow create, delete, list and patch on the \
         kind's resource. `--fix` prints the rules to add.";
    API_GROUP = "api-group", Error, "A rule names a template's resource under another API group.",
        "RBAC compares apiGroups with the kind's group exactly: `resource.nvidia.com`, not \
         `resource.nvidia.com/v1beta1` (the apiVersion) or a parent domain; the core group is \"\".";
    WILDCARD = "wildcard-grant", Warning, "An extraRBACRules entry uses a wildcard.",
        "`*` in apiGroups, resources or verbs grants the worker everything of that kind, now and \
         in every future API. Name the groups, resources and verbs the templates need.";
    UNNEEDED = "unneeded-rule", Warning, "An extraRBACRules entry that no group template needs.",
        "The rule allows nothing the worker does for this backend's group templates. Remove it, \
         in the name of least privilege, or fix it if it was meant for one of them.";
}

/// The documentation of a rule id.
pub fn find(id: &str) -> Option<&'static RuleDoc> {
    ALL.iter().find(|r| r.id == id)
}
