//! The command line: clap definitions, the filter and source flags every verb
//! shares, and the headless verbs.

pub mod accounts;
pub mod actions;
pub mod args;
pub mod candidates;
pub mod completions;
pub mod durations;
pub mod env_values;
pub mod failures;
pub mod filter_args;
pub mod follow;
pub mod headless;
pub mod interrupt;
pub mod layered;
pub mod logfile;
pub mod models;
pub mod plan;
pub mod reading;
pub mod serve;
pub mod stats;
pub mod verbs;

pub use args::*;
