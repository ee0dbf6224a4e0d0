//! What a pane asks of the dashboard's shared state. A pane reads the state
//! and changes only its own fields; where a key must change what every
//! part of the dashboard sees (the filter, the columns, the sources, the
//! search, a message in the status bar), the pane says so with a `Change`
//! in its `Outcome`, and `apply` makes it: one place where a pane's key
//! touches the state, and a value a test can read.

use super::msg::Effect;
use super::query::{apply_filter, apply_sources, read_overview, run_command};
use super::state::State;
use super::table::{clear_search, maybe_next_page, notice, only_region, show_job, sort_by};
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

/// Makes `change`, and gives the effects it starts.
pub fn apply(state: &mut State, change: Change) -> Vec<Effect> {
    match change {
        Change::Notice(text) => notice(state, text),
        Change::TypedTimes(after, before) => state.typed_times = (after, before),
        Change::Filter(filter) => return apply_filter(state, filter),
        Change::OnlyRegion(region) => only_region(state, region),
        Change::ReadOverview { again } => return read_overview(state, again),
        Change::Search(text) => search(state, text),
        Change::ClearSearch => clear_search(state),
        Change::MaybeNextPage => return maybe_next_page(state),
        Change::Columns(columns) => {
            // A column sort by a column no longer shown would be invisible.
            if state
                .column_sort
                .is_some_and(|(c, _)| !columns.contains(&c))
            {
                sort_by(state, None);
            }
            state.settings.columns = columns;
        }
        Change::Sources(specs) => return apply_sources(state, &specs),
        Change::Command(line) => return run_command(state, &line),
        Change::ShowJob(arn) => return show_job(state, &arn),
        Change::ShowFailedJob(arn) => show_failed_job(state, &arn),
        Change::LogCursor(cursor) => state.log = cursor,
        Change::ShowLog(on) => state.show_log = on,
        Change::Quit => state.quit = true,
    }
    Vec::new()
}

/// The table follows the search as it is typed, the selected job kept
/// selected while it is shown.
fn search(state: &mut State, text: String) {
    let arn = state.selected_arn();
    state.search = text;
    state.rebuild_view();
    if !arn.is_some_and(|a| state.select_arn(&a)) {
        state.selected = 0;
        state.clamp_selection();
    }
}

/// F's Enter on a job: it selected in the table (the local search dropped)
/// with its detail open, or said not to be loaded.
fn show_failed_job(state: &mut State, arn: &str) {
    if !state.search.is_empty() {
        clear_search(state);
    }
    if state.select_arn(arn) {
        state.detail_open = true;
        state.detail_scroll = 0;
    } else {
        notice(
            state,
            "That job is not among the loaded rows (End loads more; y in F copies its ARN)",
        );
    }
}
