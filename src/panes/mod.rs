//! The panes: each one a component (`app::state::Pane`) that holds its own
//! state, takes the keys while it is on top of the stack of open panes, and
//! draws itself from the state it is given. A pane reads the shared state
//! only: what it asks of it comes back as `app::change::Change`s and
//! effects in its `Outcome`. `dashboard::keys` opens them.

pub mod activity;
pub mod columns;
pub mod command;
pub mod copy;
pub mod export;
pub mod failures;
pub mod filters;
pub mod help;
pub mod log;
pub mod models;
pub mod plan;
pub mod retry;
pub mod search;
pub mod sources;
