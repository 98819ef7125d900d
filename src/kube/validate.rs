//! Validates one Kubernetes object (a spanned YAML tree) against the strict schema of
//! its apiVersion and kind, with the same schema walk values-lint uses, so every
//! violation keeps its position in the manifest.

use std::sync::LazyLock;

use crate::embedded_schema::EmbeddedSchema;
use crate::lint::schema_walk::{Found, SchemaWalker};
use crate::yaml::Node;

mod kubernetes_schema {
    include!(concat!(env!("OUT_DIR"), "/kubernetes_schema_split.rs"));
}

/// The generated schemas, as built into the binary (split by build.rs into kinds and
/// definitions, each parsed when a run first meets it).
pub static KUBERNETES_SCHEMA: LazyLock<EmbeddedSchema> =
    LazyLock::new(|| EmbeddedSchema::new(kubernetes_schema::ROOT, kubernetes_schema::TABLES));

/// What validating one object found.
pub enum Outcome<'a> {
    /// Checked against its kind's schema; empty when valid.
    Checked(Vec<Found<'a>>),
    /// No schema for this apiVersion/kind.
    UnknownKind { api_version: String, kind: String },
}

/// Validates `object` against its kind's schema.
pub fn validate<'a>(object: &'a Node, walker: &SchemaWalker<'static>) -> Outcome<'a> {
    let text = |key: &str| object.get(key).and_then(Node::as_scalar).map_or(String::new(), |s| s.text.clone());
    let (api_version, kind) = (text("apiVersion"), text("kind"));
    match KUBERNETES_SCHEMA.entry("kinds", &format!("{api_version}/{kind}")) {
        Some(schema) => {
            let mut found = Vec::new();
            walker.check(object, schema, "", &mut found);
            Outcome::Checked(found)
        }
        None => Outcome::UnknownKind { api_version, kind },
    }
}

/// A schema walker over the Kubernetes schemas.
pub fn walker() -> SchemaWalker<'static> {
    SchemaWalker::embedded(&KUBERNETES_SCHEMA)
}
