//! Conformance of the local endpoint, through the real `aws-sdk-bedrock`
//! client over loopback HTTP.

mod common;
mod list;
mod model;
mod models;
mod ops;
mod options;
mod org;
mod org_model;
mod regions;
mod shapes;
mod stats;
mod wire;
