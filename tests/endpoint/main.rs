//! Conformance of the local endpoint, through the real `aws-sdk-bedrock`
//! client over loopback HTTP.

mod common;
mod list;
mod ops;
mod options;
mod stats;
mod wire;
