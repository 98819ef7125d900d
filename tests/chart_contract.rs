//! The spec's contract (shared/spec/backend-operator.md), checked on what Helm renders
//! for every example and every chart/ci scenario. Expectations are computed here from
//! the values file and the spec's rules, independently of the templates.

mod support;

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use support::*;

fn scenarios() -> Vec<PathBuf> {
    let mut files = examples();
    files.extend(yaml_files("chart/ci"));
    files
}

fn s<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, key| &v[key])
}

fn string(v: &Value, path: &str) -> String {
    match s(v, path) {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The objects of one render, with lookups by kind and name.
struct Render {
    docs: Vec<Value>,
}

impl Render {
    fn of(values_file: &Path) -> Render {
        let out = helm_template("helm4", &[values_file], &[]);
        assert!(out.status.success(), "{}: {}", values_file.display(), text(&out.stderr));
        Render { docs: documents(&text(&out.stdout)) }
    }

    fn keys(&self) -> BTreeSet<(String, String, String)> {
        self.docs
            .iter()
            .map(|d| (string(d, "kind"), string(d, "metadata.namespace"), string(d, "metadata.name")))
            .collect()
    }

    fn get(&self, kind: &str, namespace: &str, name: &str) -> &Value {
        self.docs
            .iter()
            .find(|d| {
                string(d, "kind") == kind
                    && string(d, "metadata.name") == name
                    && string(d, "metadata.namespace") == namespace
            })
            .unwrap_or_else(|| panic!("no {kind} {namespace}/{name}"))
    }
}

/// The spec's "Objects rendered" table, for one set of values.
fn expected_objects(v: &Value) -> BTreeSet<(String, String, String)> {
    let name = match s(v, "global.name") {
        Value::String(n) => n.clone(),
        _ => "osmo-operator".to_owned(),
    };
    let agent = string(v, "global.agentNamespace");
    let backend = string(v, "global.backendNamespace");
    let test_ns = string(v, "global.backendTestNamespace");
    let mut out = BTreeSet::new();
    let mut add = |kind: &str, ns: &str, n: String| out.insert((kind.to_owned(), ns.to_owned(), n));
    let listener = &v["services"]["backendListener"];
    let worker = &v["services"]["backendWorker"];
    if v["global"]["enableNonClusterRoles"] == json!(true) {
        add("Deployment", &agent, format!("{name}-{}", string(listener, "serviceName")));
        add("Deployment", &agent, format!("{name}-{}", string(worker, "serviceName")));
    }
    if v["global"]["enableClusterRoles"] == json!(true) {
        add("ServiceAccount", &agent, format!("{name}-{}", string(listener, "serviceAccount")));
        add("ServiceAccount", &agent, format!("{name}-{}", string(worker, "serviceAccount")));
        for kind in ["ClusterRole", "ClusterRoleBinding"] {
            add(kind, "", format!("{name}-listener"));
            add(kind, "", format!("{name}-worker"));
        }
        for kind in ["Role", "RoleBinding"] {
            add(kind, &backend, format!("{name}-listener-events"));
            add(kind, &backend, format!("{name}-worker"));
        }
        if !test_ns.is_empty() {
            for kind in ["Role", "RoleBinding"] {
                add(kind, &test_ns, format!("{name}-worker"));
                add(kind, &test_ns, format!("{name}-test-runner"));
            }
            for kind in ["ClusterRole", "ClusterRoleBinding"] {
                add(kind, "", format!("{name}-test-runner"));
            }
            add(
                "ServiceAccount",
                &test_ns,
                format!("{name}-{}", string(v, "backendTestRunner.podTemplate.serviceAccount")),
            );
        }
        for role in s(v, "backendTestRunner.extraRoles").as_array().into_iter().flatten() {
            add(&string(role, "kind"), &string(role, "metadata.namespace"), string(role, "metadata.name"));
        }
    }
    if v["backendTestRunner"]["enabled"] == json!(true) {
        add("ConfigMap", &agent, format!("{name}-backend-test-runner-template"));
    }
    if s(v, "global.priorityClasses.enabled") == &json!(true) {
        for class in s(v, "global.priorityClasses.classes").as_array().unwrap() {
            add("PriorityClass", "", string(class, "name"));
        }
    }
    if s(v, "global.networkPolicy.enabled") == &json!(true) {
        add("NetworkPolicy", &backend, "osmo-workflow-network-policy".into());
    }
    if s(v, "podMonitor.enabled") == &json!(true) {
        add("PodMonitor", &agent, format!("{name}-otel-monitor"));
    }
    for key in v["extraConfigMaps"].as_object().into_iter().flatten().map(|(k, _)| k) {
        add("ConfigMap", &agent, format!("{name}-{key}"));
    }
    out
}

fn release_name(v: &Value) -> String {
    s(v, "global.name").as_str().unwrap_or("osmo-operator").to_owned()
}

/// The spec's argument lists, in order.
fn expected_args(v: &Value, listener: bool) -> Vec<String> {
    let g = &v["global"];
    let svc = if listener { &v["services"]["backendListener"] } else { &v["services"]["backendWorker"] };
    let mut args = vec!["--host".to_owned(), string(g, "serviceUrl")];
    if string(g, "loginMethod") == "password" {
        args.extend([
            "--username".into(),
            string(g, "accountUsername"),
            "--password_file".into(),
            "/opt/osmo/secrets/password.txt".into(),
        ]);
    } else {
        args.extend(["--token_file".into(), "/opt/osmo/secrets/token.txt".into()]);
    }
    let mut pairs = vec![
        ("--login_method", string(g, "loginMethod")),
        ("--backend", string(g, "backendName")),
        ("--namespace", string(g, "backendNamespace")),
        ("--log_level", string(g, "logs.logLevel")),
        ("--k8s_log_level", string(g, "logs.k8sLogLevel")),
        ("--log_format", string(g, "logs.logFormat")),
        ("--metrics_otel_collector_component", format!("{}-{}", release_name(v), string(svc, "serviceName"))),
        ("--metrics_otel_enable", "true".into()),
    ];
    if listener {
        pairs.extend([
            ("--enable_node_label_update", string(svc, "enableNodeLabelUpdate")),
            ("--node_condition_prefix", string(g, "nodeConditionPrefix")),
            ("--max_unacked_messages", string(svc, "max_unacked_messages")),
            ("--pod_event_cache_ttl", string(svc, "podCacheTtl")),
            ("--include_namespace_usage", string(g, "includeNamespaceUsage")),
            ("--api_qps", string(svc, "apiQps")),
            ("--api_burst", string(svc, "apiBurst")),
        ]);
    } else {
        pairs.extend([
            ("--node_condition_prefix", string(g, "nodeConditionPrefix")),
            ("--progress_iter_frequency", string(svc, "progressIterFrequency")),
        ]);
        let test_ns = string(g, "backendTestNamespace");
        if !test_ns.is_empty() {
            pairs.push(("--test_runner_namespace", test_ns));
        }
        if v["backendTestRunner"]["enabled"] == json!(true) {
            pairs.push(("--test_runner_cronjob_spec_file", "/tmp/backend-test-runner/spec.yaml".into()));
        }
    }
    for (flag, value) in pairs {
        args.extend([flag.to_owned(), value]);
    }
    args.extend(svc["extraArgs"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()));
    args
}

/// RBAC rules flattened to (apiGroup, resource, verb) triples.
fn grants(rules: &Value) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for rule in rules.as_array().into_iter().flatten() {
        for group in rule["apiGroups"].as_array().into_iter().flatten() {
            for resource in rule["resources"].as_array().into_iter().flatten() {
                for verb in rule["verbs"].as_array().into_iter().flatten() {
                    out.insert((
                        group.as_str().unwrap().into(),
                        resource.as_str().unwrap().into(),
                        verb.as_str().unwrap().into(),
                    ));
                }
            }
        }
    }
    out
}

fn triples(list: &[(&str, &[&str], &[&str])]) -> BTreeSet<(String, String, String)> {
    let rules: Vec<Value> = list
        .iter()
        .map(|(group, resources, verbs)| json!({"apiGroups": [group], "resources": resources, "verbs": verbs}))
        .collect();
    grants(&Value::Array(rules))
}

#[test]
fn every_scenario_renders_exactly_the_spec_objects() {
    for file in scenarios() {
        let values = effective_values(&file);
        let render = Render::of(&file);
        assert_eq!(render.keys(), expected_objects(&values), "{}", file.display());
    }
}

#[test]
fn deployments_follow_the_spec() {
    for file in scenarios() {
        let v = effective_values(&file);
        if v["global"]["enableNonClusterRoles"] != json!(true) {
            continue;
        }
        let render = Render::of(&file);
        let name = release_name(&v);
        let agent = string(&v, "global.agentNamespace");
        for (listener, key, command) in
            [(true, "backendListener", "backend_listener"), (false, "backendWorker", "backend_worker")]
        {
            let svc = &v["services"][key];
            let app = format!("{name}-{}", string(svc, "serviceName"));
            let d = render.get("Deployment", &agent, &app);
            let ctx = format!("{} {app}", file.display());
            assert_eq!(s(d, "spec.selector"), &json!({"matchLabels": {"app": app}}), "{ctx}");
            assert_eq!(s(d, "spec.template.metadata.labels.app"), &json!(app), "{ctx}");
            let pod = s(d, "spec.template.spec");
            assert_eq!(pod["serviceAccountName"], json!(format!("{name}-{}", string(svc, "serviceAccount"))), "{ctx}");
            let c = &pod["containers"][0];
            let image = format!(
                "{}/{}:{}",
                string(&v, "global.osmoImageLocation"),
                string(svc, "imageName"),
                string(&v, "global.osmoImageTag")
            );
            assert_eq!(c["image"], json!(image), "{ctx}");
            assert_eq!(c["command"], json!([command]), "{ctx}");
            assert_eq!(c["args"], json!(expected_args(&v, listener)), "{ctx}");
            assert_eq!(c["ports"], json!([{"name": "metrics", "containerPort": 9464, "protocol": "TCP"}]), "{ctx}");
            assert_eq!(c["resources"], svc["resources"], "{ctx}");

            // The login Secret: a read-only directory mount with one file in it.
            let password = string(&v, "global.loginMethod") == "password";
            let (secret, secret_key, file_name) = if password {
                (
                    string(&v, "global.accountPasswordSecret"),
                    string(&v, "global.accountPasswordSecretKey"),
                    "password.txt",
                )
            } else {
                (string(&v, "global.accountTokenSecret"), string(&v, "global.accountTokenSecretKey"), "token.txt")
            };
            let volumes = pod["volumes"].as_array().unwrap();
            let secret_volume = volumes.iter().find(|vol| vol["name"] == "osmo-secret").expect("osmo-secret volume");
            assert_eq!(secret_volume["secret"]["secretName"], json!(secret), "{ctx}");
            assert_eq!(secret_volume["secret"]["items"], json!([{"key": secret_key, "path": file_name}]), "{ctx}");
            let mounts = c["volumeMounts"].as_array().unwrap();
            assert!(
                mounts.contains(&json!({"name": "osmo-secret", "mountPath": "/opt/osmo/secrets", "readOnly": true})),
                "{ctx}"
            );
            for mount in svc["volumeMounts"].as_array().unwrap() {
                assert!(mounts.contains(mount), "{ctx}: user mount {mount} missing");
            }
            for volume in svc["volumes"].as_array().unwrap() {
                assert!(volumes.contains(volume), "{ctx}: user volume {volume} missing");
            }
            for mount in mounts {
                assert!(volumes.iter().any(|vol| vol["name"] == mount["name"]), "{ctx}: mount {mount} has no volume");
            }
            let test_runner = v["backendTestRunner"]["enabled"] == json!(true) && !listener;
            let template_mount = json!({"name": "backend-test-runner-template", "mountPath": "/tmp/backend-test-runner", "readOnly": true});
            assert_eq!(mounts.contains(&template_mount), test_runner, "{ctx}");

            // Probes check the progress files.
            let (interval, files) = if listener {
                (
                    "300:300:300:300",
                    ["websocket", "pod", "node", "event"].map(|f| format!("/var/run/osmo/last_progress_{f}")).join(":"),
                )
            } else {
                (
                    "300:300",
                    ["worker_job", "worker_heartbeat"].map(|f| format!("/var/run/osmo/last_progress_{f}")).join(":"),
                )
            };
            let probe = json!(["progress_check", "--progress_interval", interval, "--progress_file", files]);
            assert_eq!(
                c["livenessProbe"],
                json!({"exec": {"command": probe}, "periodSeconds": 30, "timeoutSeconds": 15, "failureThreshold": 1}),
                "{ctx}"
            );
            let startup = &svc["startupProbe"];
            assert_eq!(
                c["startupProbe"],
                json!({"exec": {"command": probe}, "initialDelaySeconds": startup["initialDelaySeconds"], "periodSeconds": startup["periodSeconds"],
                       "timeoutSeconds": startup["timeoutSeconds"], "failureThreshold": startup["failureThreshold"]}),
                "{ctx}"
            );
        }
    }
}

#[test]
fn rbac_rules_follow_the_spec() {
    for file in scenarios() {
        let v = effective_values(&file);
        if v["global"]["enableClusterRoles"] != json!(true) {
            continue;
        }
        let render = Render::of(&file);
        let name = release_name(&v);
        let backend = string(&v, "global.backendNamespace");
        let ctx = file.display().to_string();
        let all: &[&str] = &["list", "delete", "create", "update", "get"];

        let mut listener =
            triples(&[("", &["pods", "nodes"], &["list", "watch", "get"]), ("", &["namespaces"], &["get"])]);
        if s(&v, "services.backendListener.enableNodeLabelUpdate") == &json!(true) {
            listener.extend(triples(&[("", &["nodes"], &["patch"])]));
        }
        assert_eq!(grants(&render.get("ClusterRole", "", &format!("{name}-listener"))["rules"]), listener, "{ctx}");
        assert_eq!(
            grants(&render.get("Role", &backend, &format!("{name}-listener-events"))["rules"]),
            triples(&[("", &["events"], &["list", "watch", "get"])]),
            "{ctx}"
        );
        assert_eq!(
            grants(&render.get("ClusterRole", "", &format!("{name}-worker"))["rules"]),
            triples(&[
                ("", &["namespaces"], &["get"]),
                ("scheduling.run.ai", &["queues"], all),
                ("kai.scheduler", &["topologies"], all)
            ]),
            "{ctx}"
        );
        let mut worker = triples(&[
            ("", &["secrets", "pods", "services"], &["list", "delete", "create", "patch"]),
            ("", &["pods/log"], &["get"]),
            ("scheduling.run.ai", &["podgroups"], &["list", "delete", "create"]),
        ]);
        worker.extend(grants(s(&v, "services.backendWorker.extraRBACRules")));
        let test_ns = string(&v, "global.backendTestNamespace");
        let test_rules = triples(&[
            ("", &["configmaps"], &["list", "delete", "create", "patch"]),
            ("batch", &["cronjobs"], &["list", "delete", "create", "patch"]),
        ]);
        if test_ns == backend {
            worker.extend(test_rules.clone());
        }
        assert_eq!(grants(&render.get("Role", &backend, &format!("{name}-worker"))["rules"]), worker, "{ctx}");

        // Every binding names its own role and the right ServiceAccount.
        let agent = string(&v, "global.agentNamespace");
        for (binding_ns, binding, sa_ns, sa) in [
            ("", format!("{name}-listener"), agent.clone(), string(&v, "services.backendListener.serviceAccount")),
            (
                backend.as_str(),
                format!("{name}-listener-events"),
                agent.clone(),
                string(&v, "services.backendListener.serviceAccount"),
            ),
            ("", format!("{name}-worker"), agent.clone(), string(&v, "services.backendWorker.serviceAccount")),
            (
                backend.as_str(),
                format!("{name}-worker"),
                agent.clone(),
                string(&v, "services.backendWorker.serviceAccount"),
            ),
        ] {
            let kind = if binding_ns.is_empty() { "ClusterRoleBinding" } else { "RoleBinding" };
            let b = render.get(kind, binding_ns, &binding);
            assert_eq!(b["roleRef"]["name"], json!(binding), "{ctx}");
            assert_eq!(
                b["subjects"],
                json!([{"kind": "ServiceAccount", "name": format!("{name}-{sa}"), "namespace": sa_ns}]),
                "{ctx}"
            );
        }

        if test_ns.is_empty() {
            continue;
        }
        if test_ns != backend {
            assert_eq!(grants(&render.get("Role", &test_ns, &format!("{name}-worker"))["rules"]), test_rules, "{ctx}");
        }
        assert_eq!(
            grants(&render.get("Role", &test_ns, &format!("{name}-test-runner"))["rules"]),
            triples(&[
                ("", &["pods"], &["list", "delete", "create", "get", "watch"]),
                ("", &["pods/exec"], &["get", "list", "watch", "create"]),
                ("apps", &["daemonsets"], &["get", "list", "watch", "create", "update", "patch", "delete"]),
            ]),
            "{ctx}"
        );
        assert_eq!(
            grants(&render.get("ClusterRole", "", &format!("{name}-test-runner"))["rules"]),
            triples(&[("", &["nodes"], &["patch", "get", "list"]), ("", &["nodes/status"], &["patch", "update"])]),
            "{ctx}"
        );
    }
}

/// Every pod the chart renders meets the restricted Pod Security Standard when the
/// values keep the chart's security defaults.
#[test]
fn pods_meet_the_restricted_profile_by_default() {
    for file in scenarios() {
        let render = Render::of(&file);
        for d in render.docs.iter().filter(|d| d["kind"] == "Deployment") {
            let ctx = format!("{} {}", file.display(), d["metadata"]["name"]);
            let pod = s(d, "spec.template.spec");
            assert_eq!(pod["securityContext"]["runAsNonRoot"], json!(true), "{ctx}");
            assert_eq!(pod["securityContext"]["seccompProfile"]["type"], json!("RuntimeDefault"), "{ctx}");
            let c = &pod["containers"][0];
            let sc = &c["securityContext"];
            assert_eq!(sc["allowPrivilegeEscalation"], json!(false), "{ctx}");
            assert_eq!(sc["readOnlyRootFilesystem"], json!(true), "{ctx}");
            assert_eq!(sc["capabilities"]["drop"], json!(["ALL"]), "{ctx}");
            assert!(sc["privileged"] != json!(true), "{ctx}");
            // Where the program writes, an emptyDir is mounted.
            let mounts = c["volumeMounts"].as_array().unwrap();
            for path in ["/tmp", "/var/run/osmo"] {
                assert!(mounts.iter().any(|m| m["mountPath"] == path), "{ctx}: nothing writable at {path}");
            }
        }
    }
}

/// No key renders as null or as an empty map or list, except the two places where the
/// empty value is the meaning (emptyDir: {}, podSelector: {}).
#[test]
fn nothing_renders_null_or_empty() {
    fn walk(v: &Value, path: &str, problems: &mut Vec<String>) {
        match v {
            Value::Null => problems.push(format!("{path} is null")),
            Value::Object(map) => {
                let allowed = path.ends_with(".emptyDir") || path.ends_with(".podSelector");
                if map.is_empty() && !allowed {
                    problems.push(format!("{path} is an empty map"));
                }
                for (k, child) in map {
                    walk(child, &format!("{path}.{k}"), problems);
                }
            }
            Value::Array(items) => {
                if items.is_empty() {
                    problems.push(format!("{path} is an empty list"));
                }
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{path}[{i}]"), problems);
                }
            }
            _ => {}
        }
    }
    for file in scenarios() {
        let render = Render::of(&file);
        let mut problems = Vec::new();
        for d in &render.docs {
            walk(
                d,
                &format!("{}/{}", d["kind"].as_str().unwrap(), d["metadata"]["name"].as_str().unwrap()),
                &mut problems,
            );
        }
        assert!(problems.is_empty(), "{}:\n{}", file.display(), problems.join("\n"));
    }
}

/// Every object carries the standard labels; the `app` selector stays as the spec gives it.
#[test]
fn every_object_has_the_standard_labels() {
    for file in scenarios() {
        let render = Render::of(&file);
        // extraRoles are rendered exactly as the user wrote them.
        let extra_roles = effective_values(&file)["backendTestRunner"]["extraRoles"].clone();
        for d in &render.docs {
            if extra_roles.as_array().unwrap().contains(d) {
                continue;
            }
            let labels = &d["metadata"]["labels"];
            for key in [
                "helm.sh/chart",
                "app.kubernetes.io/name",
                "app.kubernetes.io/instance",
                "app.kubernetes.io/version",
                "app.kubernetes.io/managed-by",
            ] {
                assert!(
                    labels[key].is_string(),
                    "{} {} {}: no {key} label",
                    file.display(),
                    d["kind"],
                    d["metadata"]["name"]
                );
            }
        }
    }
}

/// Changing the login Secret's name or key changes the pod template, so the Deployments roll.
#[test]
fn a_new_login_secret_rolls_the_deployments() {
    let example = root().join("examples/token-login.yaml");
    let annotation = |extra: &[&str]| {
        let out = helm_template("helm4", &[&example], extra);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let docs = documents(&text(&out.stdout));
        let d = docs.iter().find(|d| d["kind"] == "Deployment").unwrap().clone();
        s(&d, "spec.template.metadata.annotations").clone()
    };
    let base = annotation(&[]);
    assert_ne!(base, annotation(&["--set", "global.accountTokenSecret=osmo-token-2027"]));
    assert_ne!(base, annotation(&["--set", "global.accountTokenSecretKey=token2"]));
    assert_eq!(base, annotation(&["--set", "global.backendName=other"]));
}
