//! The OSMO backend-operator Helm chart's typed values, JSON Schema, docs and linters.

pub mod docs;
pub mod helm;
pub mod schema;
pub mod template;
pub mod values;
pub mod yaml;
