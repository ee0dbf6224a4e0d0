//! The interactive dashboard: state, messages, the pure update, the loop.

pub mod change;
pub mod follow;
pub mod line;
pub mod log;
pub mod motion;
pub mod msg;
pub mod overview;
pub mod pins;
pub mod query;
pub mod refresh;
pub mod state;
pub mod table;

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
/// The settings the dashboard starts with (made by `cli::layered`).
pub use crate::config::Settings;
pub use state::State;
