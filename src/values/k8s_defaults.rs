//! Owns the Kubernetes-typed default values that several values structs share
//! (resources, restricted security contexts, the progress-files volume).

use k8s_openapi::api::core::v1::{
    Capabilities, EmptyDirVolumeSource, PodSecurityContext, ResourceRequirements, SeccompProfile, SecurityContext,
    Toleration, Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

/// The uid and gid the OSMO operator images run as.
pub(crate) const OSMO_UID: i64 = 1001;

/// Resource requests and limits, each a list of (resource, quantity).
pub(crate) fn resources(requests: &[(&str, &str)], limits: &[(&str, &str)]) -> ResourceRequirements {
    let map = |pairs: &[(&str, &str)]| {
        pairs.iter().map(|(name, quantity)| ((*name).to_owned(), Quantity((*quantity).to_owned()))).collect()
    };
    ResourceRequirements { requests: Some(map(requests)), limits: Some(map(limits)), ..Default::default() }
}

/// A pod security context meeting the restricted Pod Security Standard, running as `uid`
/// (which is also the group and fsGroup).
pub(crate) fn restricted_pod_security_context(uid: i64) -> PodSecurityContext {
    PodSecurityContext {
        run_as_non_root: Some(true),
        run_as_user: Some(uid),
        run_as_group: Some(uid),
        fs_group: Some(uid),
        seccomp_profile: Some(SeccompProfile { type_: "RuntimeDefault".to_owned(), ..Default::default() }),
        ..Default::default()
    }
}

/// A container security context meeting the restricted Pod Security Standard, with `uid`
/// when given (else the pod's applies).
pub(crate) fn restricted_container_security_context(uid: Option<i64>) -> SecurityContext {
    SecurityContext {
        allow_privilege_escalation: Some(false),
        read_only_root_filesystem: Some(true),
        run_as_non_root: Some(true),
        run_as_user: uid,
        capabilities: Some(Capabilities { drop: Some(vec!["ALL".to_owned()]), ..Default::default() }),
        ..Default::default()
    }
}

/// Name of the emptyDir volume the operator writes its progress files to.
const PROGRESS_VOLUME: &str = "progress-files";

/// The emptyDir volume holding the operator's progress files.
pub(crate) fn progress_volumes() -> Vec<Volume> {
    vec![Volume {
        name: PROGRESS_VOLUME.to_owned(),
        empty_dir: Some(EmptyDirVolumeSource::default()),
        ..Default::default()
    }]
}

/// The mount of the progress-files volume at /var/run/osmo, where the liveness probe reads.
pub(crate) fn progress_volume_mounts() -> Vec<VolumeMount> {
    vec![VolumeMount { name: PROGRESS_VOLUME.to_owned(), mount_path: "/var/run/osmo".to_owned(), ..Default::default() }]
}

/// The toleration of the dedicated `ops` nodes.
pub(crate) fn ops_tolerations() -> Vec<Toleration> {
    vec![Toleration {
        key: Some("ops".to_owned()),
        operator: Some("Exists".to_owned()),
        effect: Some("NoSchedule".to_owned()),
        ..Default::default()
    }]
}
