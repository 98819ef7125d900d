//! The OSMO backend-operator Helm chart's typed values, JSON Schema, docs and linters.

pub mod diagnostics;
pub mod docs;
pub mod lint;
pub mod rbac;
pub mod schema;
pub mod setvalues;
pub mod values;
pub mod yaml;
