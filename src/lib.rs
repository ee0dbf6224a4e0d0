//! copyjobs: a terminal dashboard for Amazon Bedrock model copy jobs, and the
//! local Bedrock endpoint it is developed and tested against.

pub mod app;
pub mod bedrock;
pub mod cli;
pub mod constraints;
pub mod emulator;
pub mod export;
pub mod filter_args;
pub mod headless;
pub mod jobs;
pub mod query;
pub mod sanitize;
pub mod ui;
