//! Each object against the strict schema of its apiVersion and kind.

use super::manifest::{Finding, Manifests};
use super::rules;
use crate::diagnostics::Severity;
use crate::kube::validate::{validate, walker, Outcome};

pub fn check(manifests: &Manifests, out: &mut Vec<Finding>) {
    let walker = walker();
    for object in &manifests.objects {
        match validate(&object.node, &walker) {
            Outcome::Checked(found) => {
                for f in found {
                    let node = f.violation.node();
                    out.push(manifests.diag(
                        object,
                        node,
                        &f.path,
                        Severity::Error,
                        rules::K8S_SCHEMA,
                        f.violation.plain_message(),
                    ));
                }
            }
            Outcome::UnknownKind { api_version, kind } => out.push(manifests.diag(
                object,
                &object.node,
                "",
                Severity::Warning,
                rules::UNKNOWN_KIND,
                format!("no schema for {api_version} {kind}; its fields are not checked"),
            )),
        }
    }
}
