//! What flows into `update` and what comes out of it.

use crate::aws::{FetchError, Page};
use crate::domain::query::Filter;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

/// Everything that can happen to the dashboard. Time arrives in messages:
/// `update` never reads a clock.
#[derive(Debug, Clone)]
pub enum Msg {
    /// The first message: asks for the first page.
    Start(DateTime<Utc>),
    /// Time has passed; timers that are due fire (refresh, highlight expiry).
    Tick(DateTime<Utc>),
    Key(KeyEvent),
    /// The table's body height changed (the terminal was resized, a pane opened).
    Viewport(usize),
    /// A fetch finished. `generation` names the query it answers.
    Loaded {
        generation: u64,
        kind: FetchKind,
        result: Result<Page, FetchError>,
        at: DateTime<Utc>,
    },
    /// The client is configured: the region it signs for, for the header.
    Connected {
        region: String,
    },
    /// An export finished: where, how many rows, or why not.
    Exported(Result<(std::path::PathBuf, usize), String>),
    /// Reading the terminal failed; shown, and the loop goes on.
    InputError(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchKind {
    /// The first page of a query.
    First,
    /// The page after the last loaded row.
    Next,
    /// Re-reading the loaded range from the top.
    Refresh,
}

/// Work for the effects runner: all I/O happens there. A few exist per
/// keypress at most, so the size of the `Fetch` variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Fetch for `generation`. For a refresh, keep reading pages until at
    /// least `min_rows` rows are in and `until` (the last loaded row's sort
    /// key) is reached or passed, so the re-read covers what is loaded.
    Fetch {
        generation: u64,
        kind: FetchKind,
        filter: Filter,
        page_size: usize,
        token: Option<String>,
        min_rows: usize,
        until: Option<(DateTime<Utc>, String)>,
    },
    /// Abort any fetch in flight: its query is gone.
    CancelFetches,
    /// Put text on the clipboard through the terminal (OSC 52).
    Copy(String),
    /// Write jobs to a file (CSV, or JSON for a `.json` path).
    Export {
        path: std::path::PathBuf,
        jobs: Vec<crate::domain::job::CopyJob>,
    },
}
