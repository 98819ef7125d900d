//! Builds schema/kubernetes.schema.json: one draft-07 document whose `definitions` hold
//! every type the listed kinds use and whose `kinds` map `apiVersion/kind` to them.
//! Objects are closed (an unknown field is an error, as `kubeconform -strict` has it),
//! quantities follow their grammar, and descriptions are dropped to keep it small.

use serde_json::{json, Map, Value};

use crate::schema::{for_each_schema, type_kubernetes_scalars, DRAFT_07};

/// Where the generated file lives, relative to the repository root.
pub const KUBERNETES_SCHEMA_PATH: &str = "schema/kubernetes.schema.json";
/// The hand-written PodMonitor schema (a CRD, which k8s-openapi does not have).
pub const PODMONITOR_SCHEMA: &str = include_str!("../../schema/podmonitor.schema.json");
/// The PodMonitor's `apiVersion/kind`.
pub const PODMONITOR: &str = "monitoring.coreos.com/v1/PodMonitor";

/// Adds `$ref`s for each listed type to the generator and names them by apiVersion/kind.
macro_rules! kinds {
    ($generator:ident, $kinds:ident; $($ty:path),* $(,)?) => {
        $(
            let reference = $generator.subschema_for::<$ty>();
            let key = format!(
                "{}/{}",
                <$ty as k8s_openapi::Resource>::API_VERSION,
                <$ty as k8s_openapi::Resource>::KIND
            );
            $kinds.insert(key, reference.to_value());
        )*
    };
}

/// The kinds whose objects `check` validates field by field.
pub fn kubernetes_schema() -> Value {
    use k8s_openapi::api::{apps, batch, core, networking, rbac, scheduling};
    let mut generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut kinds = Map::new();
    kinds!(generator, kinds;
        core::v1::ConfigMap, core::v1::Secret, core::v1::ServiceAccount, core::v1::Service, core::v1::Pod,
        apps::v1::Deployment, apps::v1::DaemonSet, apps::v1::StatefulSet,
        batch::v1::Job, batch::v1::CronJob,
        rbac::v1::Role, rbac::v1::RoleBinding, rbac::v1::ClusterRole, rbac::v1::ClusterRoleBinding,
        scheduling::v1::PriorityClass, networking::v1::NetworkPolicy,
    );
    let mut definitions: Map<String, Value> =
        generator.definitions().iter().map(|(name, schema)| (name.clone(), schema.clone())).collect();
    type_kubernetes_scalars(&mut definitions);
    let podmonitor: Value = serde_json::from_str(PODMONITOR_SCHEMA).expect("schema/podmonitor.schema.json is JSON");
    definitions.insert("com.coreos.monitoring.v1.PodMonitor".into(), podmonitor);
    kinds.insert(PODMONITOR.into(), json!({"$ref": "#/definitions/com.coreos.monitoring.v1.PodMonitor"}));
    definitions.sort_keys();
    kinds.sort_keys();

    let mut schema = json!({
        "$schema": DRAFT_07,
        "title": "Kubernetes kinds checked by osmo-chart",
        "definitions": definitions,
        "kinds": kinds,
    });
    for_each_schema(&mut schema, &mut |node| {
        node.remove("description");
        if node.contains_key("properties") && !node.contains_key("additionalProperties") {
            node.insert("additionalProperties".into(), false.into());
        }
    });
    schema
}

/// The file's contents: compact-ish JSON (one definition per line would not diff better).
pub fn render() -> String {
    let mut text = serde_json::to_string_pretty(&kubernetes_schema()).expect("schemas serialize");
    text.push('\n');
    text
}
