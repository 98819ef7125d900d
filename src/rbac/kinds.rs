//! Maps a manifest's apiVersion and kind to what RBAC needs: the API group, the plural
//! resource name and whether the kind is namespaced. Built-in kinds come from
//! k8s-openapi's `Resource` constants; custom resources from their
//! CustomResourceDefinitions (`--crd FILE`).

use k8s_openapi::{NamespaceResourceScope, Resource};
use serde_json::Value;
use std::any::TypeId;
use std::collections::HashMap;

/// What RBAC needs to know about a kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindInfo {
    /// The API group; empty for the core group.
    pub group: String,
    pub kind: String,
    /// The plural resource name RBAC rules use, e.g. `computedomains`.
    pub plural: String,
    pub namespaced: bool,
    /// Versions the kind is known in.
    pub versions: Vec<String>,
    /// The CRD file it came from; None for a built-in kind.
    pub crd_file: Option<String>,
}

/// The answer of a lookup.
#[derive(Debug)]
pub enum Lookup<'a> {
    Found(&'a KindInfo),
    /// The group and kind are known, but not in this version.
    UnknownVersion(&'a KindInfo),
    Unknown,
}

/// Known kinds, by (group, kind).
#[derive(Clone, Debug)]
pub struct Kinds {
    by_kind: HashMap<(String, String), KindInfo>,
}

/// `group/version` or just `version` for the core group.
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

fn info<T: Resource>() -> KindInfo
where
    T::Scope: 'static,
{
    KindInfo {
        group: T::GROUP.to_owned(),
        kind: T::KIND.to_owned(),
        plural: T::URL_PATH_SEGMENT.to_owned(),
        namespaced: TypeId::of::<T::Scope>() == TypeId::of::<NamespaceResourceScope>(),
        versions: vec![T::VERSION.to_owned()],
        crd_file: None,
    }
}

macro_rules! builtin_kinds {
    ($($path:path,)*) => {
        fn builtin_infos() -> Vec<KindInfo> {
            use k8s_openapi::*;
            vec![$(info::<$path>(),)*]
        }
    };
}

// Every listable (creatable) kind of the Kubernetes version k8s-openapi's `latest` is.
builtin_kinds! {
        api::admissionregistration::v1::MutatingAdmissionPolicy,
        api::admissionregistration::v1::MutatingAdmissionPolicyBinding,
        api::admissionregistration::v1::MutatingWebhookConfiguration,
        api::admissionregistration::v1::ValidatingAdmissionPolicy,
        api::admissionregistration::v1::ValidatingAdmissionPolicyBinding,
        api::admissionregistration::v1::ValidatingWebhookConfiguration,
        api::admissionregistration::v1alpha1::MutatingAdmissionPolicy,
        api::admissionregistration::v1alpha1::MutatingAdmissionPolicyBinding,
        api::admissionregistration::v1beta1::MutatingAdmissionPolicy,
        api::admissionregistration::v1beta1::MutatingAdmissionPolicyBinding,
        api::apiserverinternal::v1alpha1::StorageVersion,
        api::apps::v1::ControllerRevision,
        api::apps::v1::DaemonSet,
        api::apps::v1::Deployment,
        api::apps::v1::ReplicaSet,
        api::apps::v1::StatefulSet,
        api::autoscaling::v1::HorizontalPodAutoscaler,
        api::autoscaling::v2::HorizontalPodAutoscaler,
        api::batch::v1::CronJob,
        api::batch::v1::Job,
        api::certificates::v1::CertificateSigningRequest,
        api::certificates::v1::ClusterTrustBundle,
        api::certificates::v1::PodCertificateRequest,
        api::certificates::v1beta1::ClusterTrustBundle,
        api::certificates::v1beta1::PodCertificateRequest,
        api::coordination::v1::Lease,
        api::coordination::v1alpha2::LeaseCandidate,
        api::coordination::v1beta1::LeaseCandidate,
        api::core::v1::ComponentStatus,
        api::core::v1::ConfigMap,
        api::core::v1::Endpoints,
        api::core::v1::Event,
        api::core::v1::LimitRange,
        api::core::v1::Namespace,
        api::core::v1::Node,
        api::core::v1::PersistentVolume,
        api::core::v1::PersistentVolumeClaim,
        api::core::v1::Pod,
        api::core::v1::PodTemplate,
        api::core::v1::ReplicationController,
        api::core::v1::ResourceQuota,
        api::core::v1::Secret,
        api::core::v1::Service,
        api::core::v1::ServiceAccount,
        api::discovery::v1::EndpointSlice,
        api::events::v1::Event,
        api::flowcontrol::v1::FlowSchema,
        api::flowcontrol::v1::PriorityLevelConfiguration,
        api::lifecycle::v1alpha1::Eviction,
        api::lifecycle::v1alpha1::EvictionRequest,
        api::networking::v1::IPAddress,
        api::networking::v1::Ingress,
        api::networking::v1::IngressClass,
        api::networking::v1::NetworkPolicy,
        api::networking::v1::ServiceCIDR,
        api::node::v1::RuntimeClass,
        api::policy::v1::PodDisruptionBudget,
        api::rbac::v1::ClusterRole,
        api::rbac::v1::ClusterRoleBinding,
        api::rbac::v1::Role,
        api::rbac::v1::RoleBinding,
        api::resource::v1::DeviceClass,
        api::resource::v1::DeviceTaintRule,
        api::resource::v1::ResourceClaim,
        api::resource::v1::ResourceClaimTemplate,
        api::resource::v1::ResourceSlice,
        api::resource::v1alpha3::DeviceTaintRule,
        api::resource::v1alpha3::ResourcePoolStatusRequest,
        api::resource::v1beta1::DeviceClass,
        api::resource::v1beta1::ResourceClaim,
        api::resource::v1beta1::ResourceClaimTemplate,
        api::resource::v1beta1::ResourceSlice,
        api::resource::v1beta2::DeviceClass,
        api::resource::v1beta2::DeviceTaintRule,
        api::resource::v1beta2::ResourceClaim,
        api::resource::v1beta2::ResourceClaimTemplate,
        api::resource::v1beta2::ResourceSlice,
        api::scheduling::v1::PriorityClass,
        api::scheduling::v1alpha3::CompositePodGroup,
        api::scheduling::v1alpha3::PodGroup,
        api::scheduling::v1alpha3::Workload,
        api::scheduling::v1beta1::PodGroup,
        api::scheduling::v1beta1::Workload,
        api::storage::v1::CSIDriver,
        api::storage::v1::CSINode,
        api::storage::v1::CSIStorageCapacity,
        api::storage::v1::StorageClass,
        api::storage::v1::VolumeAttachment,
        api::storage::v1::VolumeAttributesClass,
        api::storagemigration::v1::StorageVersionMigration,
        api::storagemigration::v1beta1::StorageVersionMigration,
        apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition,
        kube_aggregator::pkg::apis::apiregistration::v1::APIService,
}

impl Kinds {
    /// The built-in kinds.
    pub fn builtin() -> Kinds {
        let mut kinds = Kinds { by_kind: HashMap::new() };
        for info in builtin_infos() {
            kinds.add(info);
        }
        kinds
    }

    fn add(&mut self, info: KindInfo) {
        let key = (info.group.clone(), info.kind.clone());
        match self.by_kind.get_mut(&key) {
            Some(known) if known.crd_file.is_none() && info.crd_file.is_none() => {
                for v in info.versions {
                    if !known.versions.contains(&v) {
                        known.versions.push(v);
                    }
                }
            }
            _ => {
                self.by_kind.insert(key, info);
            }
        }
    }

    /// Adds a CustomResourceDefinition (as JSON); a later CRD for the same kind replaces
    /// an earlier one. Fails with a sentence saying what is missing.
    pub fn add_crd(&mut self, crd: &Value, file: &str) -> Result<(), String> {
        if crd["kind"] != "CustomResourceDefinition" {
            return Err(format!(
                "expected a CustomResourceDefinition, found kind {}",
                crd["kind"].as_str().map_or_else(|| "(none)".to_owned(), |k| format!("`{k}`"))
            ));
        }
        let spec = &crd["spec"];
        let text = |v: &Value, what: &str| -> Result<String, String> {
            v.as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| format!("the CustomResourceDefinition has no {what}"))
        };
        let group = text(&spec["group"], "spec.group")?;
        let kind = text(&spec["names"]["kind"], "spec.names.kind")?;
        let plural = text(&spec["names"]["plural"], "spec.names.plural")?;
        let namespaced = match spec["scope"].as_str() {
            Some("Namespaced") => true,
            Some("Cluster") => false,
            _ => return Err("the CustomResourceDefinition's spec.scope is neither Namespaced nor Cluster".into()),
        };
        let versions = spec["versions"]
            .as_array()
            .map(|vs| vs.iter().filter_map(|v| v["name"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        self.add(KindInfo { group, kind, plural, namespaced, versions, crd_file: Some(file.to_owned()) });
        Ok(())
    }

    pub fn lookup(&self, api_version: &str, kind: &str) -> Lookup<'_> {
        let (group, version) = split_api_version(api_version);
        match self.by_kind.get(&(group.to_owned(), kind.to_owned())) {
            Some(info) if info.versions.is_empty() || info.versions.iter().any(|v| v == version) => Lookup::Found(info),
            Some(info) => Lookup::UnknownVersion(info),
            None => Lookup::Unknown,
        }
    }

    /// A known kind whose name differs only in case, for a hint.
    pub fn similar(&self, api_version: &str, kind: &str) -> Option<&KindInfo> {
        let (group, _) = split_api_version(api_version);
        self.by_kind.values().find(|i| i.group == group && i.kind.eq_ignore_ascii_case(kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_kinds_come_from_k8s_openapi() {
        let kinds = Kinds::builtin();
        let Lookup::Found(cm) = kinds.lookup("v1", "ConfigMap") else { panic!() };
        assert_eq!((cm.group.as_str(), cm.plural.as_str(), cm.namespaced), ("", "configmaps", true));
        let Lookup::Found(ns) = kinds.lookup("v1", "Namespace") else { panic!() };
        assert!(!ns.namespaced);
        let Lookup::Found(rct) = kinds.lookup("resource.k8s.io/v1", "ResourceClaimTemplate") else { panic!() };
        assert_eq!((rct.group.as_str(), rct.plural.as_str()), ("resource.k8s.io", "resourceclaimtemplates"));
        assert!(matches!(kinds.lookup("autoscaling/v2", "HorizontalPodAutoscaler"), Lookup::Found(_)));
        assert!(matches!(kinds.lookup("apps/v9", "Deployment"), Lookup::UnknownVersion(_)));
        assert!(matches!(kinds.lookup("resource.nvidia.com/v1beta1", "ComputeDomain"), Lookup::Unknown));
    }

    #[test]
    fn crds_give_group_plural_and_scope() {
        let mut kinds = Kinds::builtin();
        let crd = serde_json::json!({
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "spec": {"group": "resource.nvidia.com", "scope": "Namespaced",
                     "names": {"kind": "ComputeDomain", "plural": "computedomains"},
                     "versions": [{"name": "v1beta1"}]}
        });
        kinds.add_crd(&crd, "cd.yaml").unwrap();
        let Lookup::Found(cd) = kinds.lookup("resource.nvidia.com/v1beta1", "ComputeDomain") else { panic!() };
        assert_eq!(cd.plural, "computedomains");
        assert!(kinds.add_crd(&serde_json::json!({"kind": "ConfigMap"}), "x").is_err());
    }
}
