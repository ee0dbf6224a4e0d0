//! copyjobs: a terminal dashboard for Amazon Bedrock model copy jobs, and the
//! local Bedrock endpoint it is developed and tested against.
//!
//! The layers, from the bottom (each uses only those below it):
//! - `domain`: a job, filters as applied and as typed, columns and their
//!   cells, copy requests, failure groups, the service's constraints;
//! - `aws` (the SDK client, the calls, errors as advice) and `output`
//!   (formats, sanitizing); `emulator`, the local endpoint, is the
//!   `copyjobs-endpoint` crate, which shares only the service's constraints
//!   (`copyjobs-contract`);
//! - `watch`: the watching engine (sources, the merge, paging that survives
//!   the service's open questions, incremental refresh, retries, parallel
//!   windows, notifications);
//! - `config`: the file, keys, themes, remembered views, the dashboard's
//!   settings;
//! - `history`: what the engine observed, kept in SQLite across sessions
//!   (durations, ETAs);
//! - `cli`: flags, their layering over the config, the headless verbs;
//! - `app`: the dashboard's model (state, messages, the table's behaviours);
//! - `ui`: drawing the base view; `panes`: the panes, each a component;
//! - `dashboard`: the router (`update`), the event loop and the effects
//!   runner.

pub mod app;
pub mod aws;
pub mod cli;
pub mod config;
pub mod dashboard;
pub mod domain;
/// The local endpoint, a crate of its own; under this name the tests, benches
/// and `serve` reach it as before.
pub use copyjobs_endpoint as emulator;
pub mod history;
pub mod output;
pub mod panes;
pub mod ui;
pub mod watch;
