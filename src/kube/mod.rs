//! Kubernetes API types as strict JSON Schemas: the kinds the chart renders and the
//! worker creates, generated from k8s-openapi (plus the hand-written PodMonitor schema
//! in schema/), so rendered manifests are checked field by field, unknown fields included.

pub mod schema;
pub mod validate;
