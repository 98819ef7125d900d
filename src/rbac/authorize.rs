//! RBAC evaluation with Kubernetes' own matching rules: a request is allowed when one
//! rule matches its verb, API group, resource (with subresource) and object name.
//!
//! - verbs, apiGroups: an exact entry or `*`;
//! - resources: `*`, the exact `resource` or `resource/subresource`, or `*/subresource`
//!   for a subresource request (`pods` does not cover `pods/log`);
//! - resourceNames: empty allows every name; otherwise the request's name must be listed.
//!   Requests without a name (create, list) therefore never match a rule with
//!   resourceNames.

use serde_json::Value;

/// One PolicyRule, as the API server reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyRule {
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub verbs: Vec<String>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
}

impl PolicyRule {
    /// Reads a rule from JSON; fields that are missing or not lists of strings are empty.
    pub fn from_json(value: &Value) -> PolicyRule {
        let list = |key: &str| -> Vec<String> {
            value[key]
                .as_array()
                .map(|items| items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                .unwrap_or_default()
        };
        PolicyRule {
            api_groups: list("apiGroups"),
            resources: list("resources"),
            verbs: list("verbs"),
            resource_names: list("resourceNames"),
            non_resource_urls: list("nonResourceURLs"),
        }
    }
}

/// A resource request: what the worker asks the API server to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request<'a> {
    pub verb: &'a str,
    pub group: &'a str,
    pub resource: &'a str,
    /// Empty for the resource itself.
    pub subresource: &'a str,
    /// Empty for requests without a name (create, list).
    pub name: &'a str,
}

/// Does any rule allow the request?
pub fn allows(rules: &[PolicyRule], request: &Request) -> bool {
    rules.iter().any(|rule| rule_allows(rule, request))
}

/// Does this one rule allow the request?
pub fn rule_allows(rule: &PolicyRule, request: &Request) -> bool {
    verb_matches(rule, request.verb)
        && api_group_matches(rule, request.group)
        && resource_matches(rule, request.resource, request.subresource)
        && resource_name_matches(rule, request.name)
}

pub fn verb_matches(rule: &PolicyRule, verb: &str) -> bool {
    rule.verbs.iter().any(|v| v == "*" || v == verb)
}

pub fn api_group_matches(rule: &PolicyRule, group: &str) -> bool {
    rule.api_groups.iter().any(|g| g == "*" || g == group)
}

pub fn resource_matches(rule: &PolicyRule, resource: &str, subresource: &str) -> bool {
    let combined = if subresource.is_empty() { resource.to_owned() } else { format!("{resource}/{subresource}") };
    rule.resources.iter().any(|r| {
        r == "*"
            || *r == combined
            || (!subresource.is_empty() && r.strip_prefix("*/").is_some_and(|sub| sub == subresource))
    })
}

pub fn resource_name_matches(rule: &PolicyRule, name: &str) -> bool {
    rule.resource_names.is_empty() || rule.resource_names.iter().any(|n| n == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(groups: &[&str], resources: &[&str], verbs: &[&str], names: &[&str]) -> PolicyRule {
        let own = |xs: &[&str]| xs.iter().map(|s| (*s).to_owned()).collect();
        PolicyRule {
            api_groups: own(groups),
            resources: own(resources),
            verbs: own(verbs),
            resource_names: own(names),
            non_resource_urls: Vec::new(),
        }
    }

    fn req<'a>(verb: &'a str, group: &'a str, resource: &'a str, sub: &'a str, name: &'a str) -> Request<'a> {
        Request { verb, group, resource, subresource: sub, name }
    }

    #[test]
    fn exact_and_wildcards() {
        let r = rule(&["resource.nvidia.com"], &["computedomains"], &["create", "list"], &[]);
        assert!(rule_allows(&r, &req("create", "resource.nvidia.com", "computedomains", "", "")));
        assert!(!rule_allows(&r, &req("delete", "resource.nvidia.com", "computedomains", "", "x")));
        assert!(!rule_allows(&r, &req("create", "", "computedomains", "", "")));
        assert!(!rule_allows(&r, &req("create", "resource.nvidia.com", "computedomain", "", "")));
        let all = rule(&["*"], &["*"], &["*"], &[]);
        assert!(rule_allows(&all, &req("patch", "x.io", "things", "status", "n")));
    }

    #[test]
    fn apigroups_are_groups_not_api_versions() {
        let r = rule(&["resource.nvidia.com/v1beta1"], &["computedomains"], &["*"], &[]);
        assert!(!rule_allows(&r, &req("create", "resource.nvidia.com", "computedomains", "", "")));
    }

    #[test]
    fn subresources() {
        let log = rule(&[""], &["pods/log"], &["get"], &[]);
        assert!(rule_allows(&log, &req("get", "", "pods", "log", "p")));
        assert!(!rule_allows(&log, &req("get", "", "pods", "", "p")));
        let pods = rule(&[""], &["pods"], &["get"], &[]);
        assert!(!rule_allows(&pods, &req("get", "", "pods", "log", "p")));
        let any_status = rule(&[""], &["*/status"], &["get"], &[]);
        assert!(rule_allows(&any_status, &req("get", "", "pods", "status", "p")));
        assert!(!rule_allows(&any_status, &req("get", "", "pods", "", "p")));
        assert!(!rule_allows(&any_status, &req("get", "", "pods", "log", "p")));
    }

    #[test]
    fn resource_names_cannot_authorize_create_or_list() {
        let r = rule(&[""], &["configmaps"], &["create", "list", "delete", "patch"], &["cfg"]);
        assert!(!rule_allows(&r, &req("create", "", "configmaps", "", "")));
        assert!(!rule_allows(&r, &req("list", "", "configmaps", "", "")));
        assert!(rule_allows(&r, &req("delete", "", "configmaps", "", "cfg")));
        assert!(!rule_allows(&r, &req("patch", "", "configmaps", "", "other")));
    }

    #[test]
    fn reads_json() {
        let r =
            PolicyRule::from_json(&serde_json::json!({"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}));
        assert_eq!(r, rule(&[""], &["secrets"], &["get"], &[]));
    }
}
