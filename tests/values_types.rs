//! The typed values against the chart: defaults equal chart/values.yaml, the generated schema
//! accepts the chart's files and rejects broken ones, every typed key is commented in
//! values.yaml, and the committed schema and README table are up to date.

use std::path::PathBuf;

use osmo_chart::values::Values;
use osmo_chart::{docs, schema};
use serde_json::{json, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn load_yaml(relative: &str) -> Value {
    osmo_chart::yaml::to_json(&read(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn validator() -> jsonschema::Validator {
    // The `regex` engine has RE2's syntax limits (no lookaround, no backreferences), so this
    // also proves the patterns work with the Go regexps Helm uses.
    jsonschema::draft7::options()
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .build(&schema::values_schema())
        .expect("the generated schema compiles as draft-07")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator.iter_errors(instance).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

#[test]
fn defaults_equal_values_yaml() {
    let from_yaml = load_yaml("chart/values.yaml");
    let from_types = serde_json::to_value(Values::default()).unwrap();
    assert_eq!(from_types, from_yaml);
    let parsed: Values = serde_json::from_value(from_yaml).expect("values.yaml deserializes");
    assert_eq!(parsed, Values::default());
}

#[test]
fn schema_is_valid_draft_07() {
    let schema = schema::values_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::meta::validate(&schema).expect("schema conforms to the draft-07 meta-schema");
    assert_eq!(schema::newer_keyword_uses(&schema), Vec::<String>::new());
}

#[test]
fn chart_values_files_validate() {
    let validator = validator();
    let mut files = vec![PathBuf::from("chart/values.yaml")];
    for dir in ["chart/ci", "examples"] {
        let Ok(entries) = std::fs::read_dir(root().join(dir)) else { continue };
        let mut found: Vec<PathBuf> = entries.map(|e| PathBuf::from(dir).join(e.unwrap().file_name())).collect();
        found.retain(|p| p.extension().is_some_and(|x| x == "yaml"));
        found.sort();
        files.extend(found);
    }
    let failures: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let errs = errors(&validator, &load_yaml(file.to_str().unwrap()));
            (!errs.is_empty()).then(|| format!("{}:\n  {}", file.display(), errs.join("\n  ")))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn install_guide_values_validate_once_filled_in() {
    let validator = validator();
    let guide = json!({
        "global": {
            "osmoImageTag": "<insert-osmo-image-tag>",
            "serviceUrl": "https://osmo.example.com",
            "agentNamespace": "osmo-operator",
            "backendNamespace": "osmo-workflows",
            "backendName": "default",
            "accountTokenSecret": "osmo-operator-token",
            "loginMethod": "token",
        },
        "services": {
            "backendListener": {"resources": {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"memory": "1Gi"}}},
            "backendWorker": {"resources": {"requests": {"cpu": 1, "memory": "1Gi"}, "limits": {"memory": "1Gi"}}},
        },
    });
    let errs = errors(&validator, &guide);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with("/global/osmoImageTag"), "{errs:?}");

    let mut filled = guide;
    filled["global"]["osmoImageTag"] = json!("6.4.0");
    assert_eq!(errors(&validator, &filled), Vec::<String>::new());
}

#[test]
fn broken_fragments_are_rejected() {
    let validator = validator();
    let cases = [
        ("unknown key", json!({"services": {"backendWorker": {"replicas": 2}}}), "/services/backendWorker"),
        (
            "bad quantity",
            json!({"services": {"backendWorker": {"resources": {"limits": {"memory": "1Gb"}}}}}),
            "/services/backendWorker/resources/limits/memory",
        ),
        ("bad enum", json!({"global": {"logs": {"logLevel": "VERBOSE"}}}), "/global/logs/logLevel"),
        ("placeholder tag", json!({"global": {"osmoImageTag": "<insert-osmo-image-tag>"}}), "/global/osmoImageTag"),
        ("bad namespace", json!({"global": {"backendNamespace": "Osmo_NS"}}), "/global/backendNamespace"),
        ("URL without scheme", json!({"global": {"serviceUrl": "osmo.example.com"}}), "/global/serviceUrl"),
        (
            "unknown key in a Kubernetes type",
            json!({"global": {"tolerations": [{"kee": "ops"}]}}),
            "/global/tolerations/0",
        ),
        ("wrong type", json!({"global": {"enableClusterRoles": "yes"}}), "/global/enableClusterRoles"),
        ("unknown top-level key", json!({"backendListener": {}}), ""),
    ];
    for (what, fragment, path) in &cases {
        let errs = errors(&validator, fragment);
        assert!(
            errs.iter().any(|e| e.starts_with(&format!("{path}: "))),
            "{what}: expected an error at {path:?}, got {errs:?}"
        );
        // k8s-openapi's Deserialize impls accept any Quantity string and ignore unknown keys, so
        // only the schema catches those two; serde catches the rest as well.
        if !what.starts_with("bad quantity") && !what.ends_with("in a Kubernetes type") {
            assert!(serde_json::from_value::<Values>(fragment.clone()).is_err(), "{what}: serde accepted it");
        }
    }
}

#[test]
fn valid_fragments_are_accepted() {
    let validator = validator();
    let cases = [
        json!({"global": {"parentChartSetting": {"anything": true}}}),
        json!({"global": {"name": "osmo", "imagePullSecret": "nvcr-pull", "backendTestNamespace": "osmo-test"}}),
        json!({"services": {"backendListener": {"resources": {"requests": {"cpu": 0.5, "memory": "512Mi"}, "limits": {"cpu": "1500m", "nvidia.com/gpu": 1}}}}}),
        json!({"services": {"backendWorker": {"progressIterFrequency": "1m30s", "extraRBACRules": [
            {"apiGroups": ["resource.nvidia.com"], "resources": ["computedomains"], "verbs": ["create", "delete", "list", "patch"]}
        ]}}}),
        json!({"services": {"backendWorker": {"extraSidecarContainers": [
            {"name": "proxy", "image": "envoy:1", "ports": [{"containerPort": 80}], "livenessProbe": {"httpGet": {"port": "http"}}}
        ]}}}),
        json!({"backendTestRunner": {"cronJob": {"schedule": "@daily", "timezone": "Europe/Berlin"}, "extraRoles": [
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "x"}, "rules": []}
        ]}}),
        json!({"extraConfigMaps": {"settings": {"labels": {"a": "b"}, "data": {"config.yaml": "x: 1"}}}}),
        json!({"global": {"networkPolicy": {"clusterCIDRs": ["10.0.0.0/8", "fd00::/8"], "allowedNamespaces": ["kube-system"]}}}),
    ];
    for fragment in &cases {
        assert_eq!(errors(&validator, fragment), Vec::<String>::new(), "{fragment}");
        serde_json::from_value::<Values>(fragment.clone()).unwrap_or_else(|e| panic!("{fragment}: {e}"));
    }
}

/// `(dotted key path, line index)` of every mapping key in a block-style YAML file, from
/// indentation alone. Keys inside list items get paths too, but no typed path points there.
fn yaml_key_lines(text: &str) -> Vec<(String, usize)> {
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut keys = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        stack.retain(|(level, _)| *level < indent);
        let Some((key, _)) = trimmed.split_once(':') else { continue };
        if trimmed.starts_with("- ") || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        stack.push((indent, key.to_owned()));
        let path: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).collect();
        keys.push((path.join("."), index));
    }
    keys
}

#[test]
fn every_typed_key_is_commented_in_values_yaml() {
    let text = read("chart/values.yaml");
    let lines: Vec<&str> = text.lines().collect();
    let keys = yaml_key_lines(&text);
    let mut problems = Vec::new();
    for path in docs::typed_key_paths(&schema::values_schema()) {
        match keys.iter().find(|(p, _)| *p == path) {
            None => problems.push(format!("{path}: not in values.yaml")),
            Some((_, index)) => {
                let above = if *index == 0 { "" } else { lines[index - 1].trim_start() };
                if !above.starts_with("# ") {
                    problems.push(format!("{path}: line {} has no `# ` comment above it", index + 1));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn committed_schema_and_readme_are_up_to_date() {
    assert!(
        read(schema::SCHEMA_PATH) == schema::render(),
        "{} is stale: run `cargo run -- schema`",
        schema::SCHEMA_PATH
    );
    let readme = read(docs::README_PATH);
    assert!(
        docs::splice(&readme, &docs::values_table()).unwrap() == readme,
        "the values table in {} is stale: run `cargo run -- docs`",
        docs::README_PATH
    );
}
