//! The worker's Role as the chart renders it. rbac-lint keeps no copy of the chart's
//! rules: it reads them from rendered manifests (the native renderer's, or a file of
//! `helm template` output); [`worker_role`] only needs the manifests' text.

use super::authorize::PolicyRule;

/// Where the worker's Role is: its name and namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleRef {
    pub name: String,
    pub namespace: String,
}

/// The rules of the Role `role.name` in `role.namespace` among rendered manifests.
pub fn worker_role(manifests: &str, role: &RoleRef) -> Result<Vec<PolicyRule>, String> {
    let docs = crate::yaml::load_all(manifests).map_err(|e| {
        let (line, col) = crate::yaml::line_col(manifests, e.offset);
        format!("the rendered manifests are not YAML ({line}:{col}: {e})")
    })?;
    for doc in docs.into_iter().flatten() {
        let value = doc.to_json();
        if value["kind"] == "Role"
            && value["metadata"]["name"] == role.name.as_str()
            && value["metadata"]["namespace"] == role.namespace.as_str()
        {
            return Ok(value["rules"]
                .as_array()
                .map(|r| r.iter().map(PolicyRule::from_json).collect())
                .unwrap_or_default());
        }
    }
    Err(format!(
        "the rendered chart has no Role `{}` in namespace `{}`: with global.enableClusterRoles false the worker's RBAC \
         is managed outside the chart and cannot be checked here",
        role.name, role.namespace
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_role_by_name_and_namespace() {
        let manifests = "kind: Role\nmetadata: {name: r-worker, namespace: other}\nrules: []\n---\n\
                         kind: Role\nmetadata: {name: r-worker, namespace: wf}\n\
                         rules:\n  - apiGroups: [\"\"]\n    resources: [pods]\n    verbs: [create]\n";
        let role = RoleRef { name: "r-worker".into(), namespace: "wf".into() };
        let rules = worker_role(manifests, &role).unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].resources, vec!["pods"]);
        let missing = RoleRef { name: "x-worker".into(), namespace: "wf".into() };
        assert!(worker_role(manifests, &missing).unwrap_err().contains("enableClusterRoles"));
    }
}
