//! Kubernetes and OSMO rules that need the merged values (the chart's defaults, then
//! every file and --set): requests within limits, memory limits, built name lengths,
//! login coherence, the service URL, pinned images and well-formed extra RBAC rules.

use super::quantity;
use super::rules;
use crate::diagnostics::Severity;
use serde_json::Value;

/// A finding on the merged values, located later at the first of `paths` some input sets.
#[derive(Debug, Clone)]
pub struct Finding {
    pub paths: Vec<String>,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
}

fn finding(paths: &[&str], rule: &'static str, severity: Severity, message: String) -> Finding {
    Finding { paths: paths.iter().map(|p| (*p).to_owned()).collect(), rule, severity, message }
}

fn get<'v>(v: &'v Value, path: &str) -> &'v Value {
    path.split('.').fold(v, |v, key| &v[key])
}

fn text<'v>(v: &'v Value, path: &str) -> &'v str {
    get(v, path).as_str().unwrap_or("")
}

fn on(v: &Value, path: &str) -> bool {
    get(v, path) == &Value::Bool(true)
}

pub fn check(values: &Value, release_name: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let deployments = on(values, "global.enableNonClusterRoles");
    let test_runner = on(values, "backendTestRunner.enabled");

    if deployments && text(values, "global.serviceUrl").is_empty() {
        out.push(finding(
            &["global.serviceUrl", "global"],
            rules::MISSING_SERVICE_URL,
            Severity::Error,
            "global.serviceUrl is not set: set it to the URL of your OSMO service, e.g. `serviceUrl: https://osmo.acme.dev` under global".into(),
        ));
    }
    let login = text(values, "global.loginMethod");
    let username = text(values, "global.accountUsername");
    if deployments && login == "password" && username.is_empty() {
        out.push(finding(
            &["global.accountUsername", "global.loginMethod", "global"],
            rules::LOGIN,
            Severity::Error,
            "loginMethod password needs global.accountUsername, the OSMO user to log in as; or set `loginMethod: token` and accountTokenSecret".into(),
        ));
    }
    if login == "token" && !username.is_empty() {
        out.push(finding(
            &["global.accountUsername"],
            rules::LOGIN,
            Severity::Warning,
            "accountUsername is ignored with loginMethod token; remove it, or use `loginMethod: password`".into(),
        ));
    }
    if deployments && text(values, "global.osmoImageTag") == "latest" {
        let always: Vec<&str> = ["backendListener", "backendWorker"]
            .into_iter()
            .filter(|s| text(values, &format!("services.{s}.imagePullPolicy")) == "Always")
            .collect();
        if !always.is_empty() {
            out.push(finding(
                &["global.osmoImageTag", "global"],
                rules::LATEST_ALWAYS,
                Severity::Warning,
                format!(
                    "osmoImageTag latest with imagePullPolicy Always ({}) runs whatever was pushed last; pin a release, e.g. `osmoImageTag: \"6.4.0\"`",
                    always.join(", ")
                ),
            ));
        }
    }
    resources(values, deployments, test_runner, &mut out);
    name_lengths(values, release_name, &mut out);
    for (i, rule) in get(values, "services.backendWorker.extraRBACRules").as_array().into_iter().flatten().enumerate() {
        policy_rule(rule, &format!("services.backendWorker.extraRBACRules[{i}]"), &mut out);
    }
    out
}

/// A container's resources block: its values path, the container's path (to point at
/// when the block is missing), and whether it must set a memory limit.
struct ResourceBlock {
    path: String,
    container: String,
    needs_memory_limit: bool,
}

/// Every container resources block in the values. The operator containers (when
/// rendered), their sidecars and the test container need memory limits; init containers,
/// which run to completion first, do not.
fn resource_blocks(values: &Value, deployments: bool, test_runner: bool) -> Vec<ResourceBlock> {
    let block = |container: String, needs_memory_limit: bool| ResourceBlock {
        path: format!("{container}.resources"),
        container,
        needs_memory_limit,
    };
    let mut blocks = Vec::new();
    for svc in ["backendListener", "backendWorker"] {
        let path = format!("services.{svc}");
        blocks.push(block(path.clone(), deployments));
        for (list, needs) in [("initContainers", false), ("extraSidecarContainers", deployments)] {
            let list_path = format!("{path}.{list}");
            for i in 0..get(values, &list_path).as_array().map_or(0, Vec::len) {
                blocks.push(block(format!("{list_path}[{i}]"), needs));
            }
        }
    }
    blocks.push(block("backendTestRunner.podTemplate.initContainer".into(), false));
    blocks.push(block("backendTestRunner.podTemplate.container".into(), test_runner));
    blocks
}

/// Resolves `a.b[2].c` in JSON values.
pub fn lookup<'v>(values: &'v Value, path: &str) -> &'v Value {
    let mut v = values;
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        v = &v[key];
        if let Some(i) = index {
            v = &v[i];
        }
    }
    v
}

fn resources(values: &Value, deployments: bool, test_runner: bool, out: &mut Vec<Finding>) {
    for ResourceBlock { path, container, needs_memory_limit } in resource_blocks(values, deployments, test_runner) {
        let block = lookup(values, &path);
        let (requests, limits) = (&block["requests"], &block["limits"]);
        for (resource, request) in requests.as_object().into_iter().flatten() {
            let (Some(req), Some(lim)) = (quantity::parse(request), limits.get(resource).and_then(quantity::parse))
            else {
                continue;
            };
            if req > lim {
                let shown = |v: &Value| v.as_str().map_or(v.to_string(), str::to_owned);
                out.push(finding(
                    &[&format!("{path}.requests.{resource}"), &path],
                    rules::REQUEST_OVER_LIMIT,
                    Severity::Error,
                    format!(
                        "the {resource} request {} is above its limit {}; lower the request or raise limits.{resource}",
                        shown(request),
                        shown(&limits[resource])
                    ),
                ));
            }
        }
        if needs_memory_limit && limits.get("memory").is_none() {
            out.push(finding(
                &[&format!("{path}.limits"), &path, &container],
                rules::MEMORY_LIMIT,
                Severity::Warning,
                format!("no memory limit at {path}; add `limits: {{memory: 1Gi}}` (the install guide's figure)"),
            ));
        }
    }
}

/// The names the chart builds from `<name>-<suffix>`, each with the value path of its suffix.
fn name_lengths(values: &Value, release_name: &str, out: &mut Vec<Finding>) {
    let set_name = get(values, "global.name").as_str().filter(|n| !n.is_empty());
    let name = set_name.unwrap_or(release_name);
    let mut built: Vec<(String, String)> = Vec::new();
    for svc in ["backendListener", "backendWorker"] {
        for key in ["serviceName", "serviceAccount"] {
            let path = format!("services.{svc}.{key}");
            built.push((text(values, &path).to_owned(), path));
        }
    }
    let runner = "backendTestRunner.podTemplate.serviceAccount";
    built.push((text(values, runner).to_owned(), runner.to_owned()));
    for fixed in ["listener-events", "worker", "test-runner", "backend-test-runner-template", "otel-monitor"] {
        built.push((fixed.to_owned(), String::new()));
    }
    for key in get(values, "extraConfigMaps").as_object().into_iter().flatten().map(|(k, _)| k) {
        built.push((key.clone(), format!("extraConfigMaps.{key}")));
    }
    // One finding per value to shorten, naming the longest name it makes.
    let mut too_long: Vec<(String, String, usize)> = Vec::new();
    for (suffix, suffix_path) in built {
        let full = format!("{name}-{suffix}");
        let len = full.chars().count();
        if len <= 63 {
            continue;
        }
        let blame = if set_name.is_some() || suffix_path.is_empty() { "global.name".to_owned() } else { suffix_path };
        match too_long.iter_mut().find(|(b, _, _)| *b == blame) {
            Some(entry) if entry.2 < len => *entry = (blame, full, len),
            Some(_) => {}
            None => too_long.push((blame, full, len)),
        }
    }
    for (blame, full, len) in too_long {
        let how = match (set_name, blame.as_str()) {
            (Some(_), "global.name") => "shorten global.name".to_owned(),
            (None, "global.name") => {
                format!("set a shorter global.name (the release name {release_name:?} is used now)")
            }
            _ => format!("shorten {blame}"),
        };
        out.push(finding(
            &[&blame, "global"],
            rules::NAME_TOO_LONG,
            Severity::Error,
            format!("the chart builds the name {full:?}, {len} characters; Kubernetes allows 63 in names and label values: {how}"),
        ));
    }
}

const VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "*",
    "use",
    "bind",
    "escalate",
    "impersonate",
    "approve",
    "sign",
    "attest",
];

fn policy_rule(rule: &Value, path: &str, out: &mut Vec<Finding>) {
    let mut problem = |at: &str, message: String| {
        out.push(finding(&[&format!("{path}.{at}"), path], rules::RBAC_RULE, Severity::Error, message));
    };
    let list = |key: &str| -> Option<Vec<&str>> {
        rule.get(key)?.as_array().map(|a| a.iter().filter_map(Value::as_str).collect())
    };
    if rule.get("nonResourceURLs").is_some() {
        problem(
            "nonResourceURLs",
            "nonResourceURLs can only be granted by a ClusterRole; this rule goes into the worker's Role, remove it"
                .into(),
        );
    }
    match list("apiGroups") {
        None => problem("apiGroups", "apiGroups is missing: use [\"\"] for core kinds (ConfigMap, Secret) or the kind's group, e.g. [\"resource.nvidia.com\"]".into()),
        Some(groups) if groups.is_empty() => problem("apiGroups", "apiGroups is empty, so the rule grants nothing: use [\"\"] for core kinds or the kind's group".into()),
        Some(_) => {}
    }
    match list("resources") {
        None => {
            problem("resources", "resources is missing: name the plural resource, e.g. [\"computedomains\"]".into())
        }
        Some(resources) if resources.is_empty() => {
            problem("resources", "resources is empty, so the rule grants nothing".into())
        }
        Some(resources) => {
            for r in
                resources.iter().filter(|r| **r != "*" && (r.chars().any(|c| c.is_ascii_uppercase()) || r.is_empty()))
            {
                problem(
                    "resources",
                    format!(
                        "resource {r:?} must be the lower-case plural name, e.g. {:?}",
                        r.to_lowercase() + if r.ends_with('s') { "" } else { "s" }
                    ),
                );
            }
        }
    }
    match list("verbs") {
        Some(verbs) if verbs.is_empty() => problem(
            "verbs",
            "verbs is empty, so the rule grants nothing: group templates need create, delete, list and patch".into(),
        ),
        Some(verbs) => {
            for v in verbs.iter().filter(|v| !VERBS.contains(v)) {
                let hint = super::keys::nearest(v, VERBS.iter().copied())
                    .map_or(String::new(), |n| format!("; did you mean {n:?}?"));
                problem("verbs", format!("{v:?} is not a Kubernetes verb{hint}"));
            }
        }
        None => {} // required by the schema, reported there
    }
}
