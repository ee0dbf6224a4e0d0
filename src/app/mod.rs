//! The interactive dashboard: state, messages, the pure update, the loop.

pub mod columns;
pub mod confirm;
pub mod copy_pane;
pub mod effects;
pub mod failures;
pub mod follow;
pub mod line;
pub mod log;
pub mod motion;
pub mod msg;
pub mod picker;
pub mod pins;
pub mod run;
pub mod state;
pub mod update;

pub use msg::{Effect, Msg};

use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Where the dashboard's time comes from: the system clock against AWS, the
/// local endpoint's clock in `demo` (so a pinned or frozen demo agrees with
/// its jobs' ages).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}
pub use state::{Settings, State};
pub use update::update;

#[cfg(test)]
mod update_tests;
