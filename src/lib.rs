//! copyjobs: a terminal dashboard for Amazon Bedrock model copy jobs, and the
//! local Bedrock endpoint it is developed and tested against.
//!
//! The layers, from the bottom: `domain` (jobs, filters, columns, copy
//! requests, failure groups, constraints), `aws` (the SDK client and calls),
//! `watch` (sources, merge, paging, incremental refresh, retries, parallel
//! windows, notifications), `history` (what the engine saw, kept in SQLite:
//! durations and estimates), `output` (formats), `config` (the file, keys,
//! themes, views), `cli` (flags and headless verbs), `app` (state, update,
//! effects, loop), `ui` (panes), and `emulator` (the local endpoint, which
//! only shares `domain`).

pub mod app;
pub mod aws;
pub mod cli;
pub mod config;
pub mod domain;
pub mod emulator;
pub mod history;
pub mod output;
pub mod ui;
pub mod watch;
