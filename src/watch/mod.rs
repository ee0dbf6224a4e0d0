//! The watching engine: sources (profile × region), the k-way merge of their
//! listings, lazy paging, the incremental refresh with its in-flight set, and
//! notifications. The dashboard's effects runner and the headless `list`,
//! `watch` and `wait` all drive the same [`Engine`].

pub mod api;
pub mod backoff;
pub mod call;
pub mod driver;
pub mod engine;
pub mod exec;
pub mod notify;
pub mod order;
pub mod pager;
pub mod retry;
pub mod source;
pub mod windows;

pub use call::{Call, Outcome, Request};
pub use engine::{Applied, Engine, Event, Row, Threshold};
pub use source::{Busy, Source, SourceId, SourceSpec, Tracked};
