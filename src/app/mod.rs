//! The interactive dashboard: state, messages, the pure update, the loop.

pub mod effects;
pub mod msg;
pub mod run;
pub mod state;
pub mod update;

pub use msg::{Effect, FetchKind, Msg};
pub use state::{Settings, State};
pub use update::update;

#[cfg(test)]
mod update_tests;
