//! What a pane asks of the dashboard's shared state. A pane reads the state
//! and changes only its own fields; where a key must change what every
//! part of the dashboard sees (the filter, the columns, the sources, the
//! search, a message in the status bar), the pane says so with a `Change`
//! in its `Outcome`, and `dashboard::update` makes it: one place where a
//! pane's key touches the state, and a value a test can read.

use crate::domain::column::Column;
use crate::domain::query::Filter;
use crate::watch::SourceSpec;

/// A change to the shared state a pane's key asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A passing message in the status bar.
    Notice(String),
    /// The time filters as typed, kept to be saved in their words.
    TypedTimes(String, String),
    /// A new query (nothing asked when it is the same).
    Filter(Filter),
    /// Only the rows of this region (None: every region).
    OnlyRegion(Option<String>),
    /// Only the rows of this account, by id (None: every account).
    OnlyAccount(Option<String>),
    /// Read the window for `M` and `T` (afresh when `again`).
    ReadOverview {
        again: bool,
    },
    /// The local search as typed so far: the table follows it.
    Search(String),
    /// The local search dropped.
    ClearSearch,
    /// The next page, when the selection is near the end.
    MaybeNextPage,
    /// The table's columns, in order.
    Columns(Vec<Column>),
    /// The sources shown.
    Sources(Vec<SourceSpec>),
    /// A `:` command line.
    Command(String),
    /// Select this job in the table.
    ShowJob(String),
    /// Select this failed job (F) in the table, its detail open.
    ShowFailedJob(String),
    /// The event log's cursor.
    LogCursor(super::log::LogPane),
    /// The event log shown or hidden.
    ShowLog(bool),
    Quit,
}

impl Change {
    /// What the status bar says of a key the open pane does not take, so
    /// the key is not lost in silence.
    pub fn not_taken(key: &crossterm::event::KeyEvent, pane: &str) -> Option<Change> {
        crate::config::keys::Key::of(key).map(|k| {
            Change::Notice(format!(
                "{k} does nothing in {pane}: ? shows its keys, Esc closes it"
            ))
        })
    }
}
