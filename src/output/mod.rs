//! What leaves the program as text: the machine and human formats, and the
//! sanitizing every service string goes through before a terminal sees it;
//! the replication matrix and the activity's numbers as text; and a drawn
//! frame as an SVG picture (the README's screenshot).

pub mod aws_cli;
pub mod csv;
pub mod cut;
pub mod export;
pub mod failures;
pub mod json;
pub mod jsonl;
pub mod layout;
pub mod matrix;
pub mod osc52;
pub mod plan;
pub mod progress;
pub mod sanitize;
pub mod stats;
pub mod table;
#[cfg(test)]
pub(crate) mod test_jobs;
pub mod text;
