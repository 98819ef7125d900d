//! The OSMO backend-operator Helm chart's typed values, JSON Schema, docs and linters.

pub mod archive;
pub mod arena_alloc;
pub mod check;
pub mod diagnostics;
pub mod docs;
pub mod embedded_schema;
pub mod golden;
pub mod helm;
pub mod jinja;
pub mod kube;
pub mod lint;
pub mod rbac;
pub mod schema;
pub mod setvalues;
pub mod template;
pub mod values;
pub mod yaml;
