//! copyjobs: a terminal dashboard for Amazon Bedrock model copy jobs, and the
//! local Bedrock endpoint it is developed and tested against.
//!
//! The layers, from the bottom: `domain` (jobs, filters, columns, copy
//! requests, failure groups, constraints), `aws` (the SDK client and calls),
//! `watch` (sources, merge, paging, incremental refresh, retries, parallel
//! windows, notifications), `output` (formats), `config` (the file, keys,
//! themes, views), `cli` (flags and headless verbs), `app` (state, update,
//! effects, loop), `ui` (panes), and `emulator` (the local endpoint: the
//! `copyjobs-endpoint` crate, which shares only the service's constraints).

pub mod app;
pub mod aws;
pub mod cli;
pub mod config;
pub mod dashboard;
pub mod domain;
/// The local endpoint, a crate of its own; under this name the tests, benches
/// and `serve` reach it as before.
pub use copyjobs_endpoint as emulator;
pub mod output;
pub mod panes;
pub mod ui;
pub mod watch;
