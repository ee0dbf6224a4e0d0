//! What the table does for a person: moving the selection (asking for the
//! next page near the end), the local search, column sorts, pins, the
//! status line's messages. Each takes the state and gives effects; no I/O.

use super::msg::Effect;
use super::state::{NOTICE_FOR, Notice, State};
use crate::watch::Request;

/// The engine's requests as effects, each with its source's spec for the
/// runner's client.
pub fn fetch(state: &State, requests: Vec<Request>) -> Vec<Effect> {
    requests
        .into_iter()
        .filter_map(|request| {
            let spec = state.engine.source(request.source)?.spec.clone();
            Some(Effect::Fetch { spec, request })
        })
        .collect()
}

pub fn notice(state: &mut State, text: impl Into<String>) {
    state.notice = Some(Notice {
        text: text.into(),
        is_error: false,
        until: Some(state.now + NOTICE_FOR),
    });
}

pub fn error_notice(state: &mut State, text: impl Into<String>) {
    state.notice = Some(Notice {
        text: text.into(),
        is_error: true,
        until: Some(state.now + NOTICE_FOR),
    });
}

pub fn move_selection(state: &mut State, to: usize) -> Vec<Effect> {
    if to != state.selected {
        state.detail_scroll = 0;
    }
    state.selected = to;
    state.clamp_selection();
    let mut effects = asked_next_page(state);
    effects.extend(ask_took(state));
    effects
}

/// A person moved near the end: the next page is asked for at once, even
/// of a source waiting out a failure (asking beats the backoff).
pub fn asked_next_page(state: &mut State) -> Vec<Effect> {
    let near_end = state.search.is_empty() && state.selected + state.viewport >= state.view.len();
    if near_end && state.engine.can_ask() {
        let requests = state.engine.ask_more(state.now);
        fetch(state, requests)
    } else {
        Vec::new()
    }
}

/// Asks for the next page when the selection is within a screen of the end.
/// Not while a local search narrows the view: that would page through
/// everything looking for matches; End still asks explicitly.
pub fn maybe_next_page(state: &mut State) -> Vec<Effect> {
    let near_end = state.search.is_empty() && state.selected + state.viewport >= state.view.len();
    if near_end && state.engine.can_page() {
        let requests = state.engine.more(state.now);
        fetch(state, requests)
    } else {
        Vec::new()
    }
}

/// Drops the local search, keeping the selected job selected.
pub fn clear_search(state: &mut State) {
    let arn = state.selected_arn();
    state.search.clear();
    state.rebuild_view();
    if let Some(a) = arn {
        state.select_arn(&a);
    }
}

/// Shows only the rows of `region` (None: every region), the selection
/// kept on its job when it is still shown.
pub fn only_region(state: &mut State, region: Option<String>) {
    let arn = state.selected_arn();
    if region.is_none() {
        state.account_only = None;
    }
    state.region_only = region;
    state.rebuild_view();
    if !arn.is_some_and(|a| state.select_arn(&a)) {
        state.clamp_selection();
    }
}

/// Shows only the rows of account `id` (None: every account), as
/// [`only_region`] does.
pub fn only_account(state: &mut State, id: Option<String>) {
    let arn = state.selected_arn();
    state.account_only = id;
    state.rebuild_view();
    if !arn.is_some_and(|a| state.select_arn(&a)) {
        state.clamp_selection();
    }
}

/// The table follows the search as it is typed, the selected job kept
/// selected while it is shown.
pub fn search_as_typed(state: &mut State, text: String) {
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
pub fn show_failed_job(state: &mut State, arn: &str) {
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

/// The table's columns, in order; a column sort by a column no longer
/// shown would be invisible, so it goes.
pub fn set_columns(state: &mut State, columns: Vec<crate::domain::column::Column>) {
    if state
        .column_sort
        .is_some_and(|(c, _)| !columns.contains(&c))
    {
        sort_by(state, None);
    }
    state.settings.columns = columns;
}

/// Selects `arn` in the table (the local search dropped if it hides it),
/// or says it is not loaded.
pub fn show_job(state: &mut State, arn: &str) -> Vec<Effect> {
    if !state.search.is_empty() {
        clear_search(state);
    }
    if state.select_arn(arn) {
        state.detail_scroll = 0;
        maybe_next_page(state)
    } else {
        notice(
            state,
            "That job is not among the loaded rows (End loads more; the filters may hide it)",
        );
        Vec::new()
    }
}

/// Sorts the loaded rows by a column (None: the service's order again) and
/// shows the top of them: a new order is read from its start, and the old
/// selection's place in it means nothing.
pub fn sort_by(state: &mut State, sort: Option<(crate::domain::column::Column, bool)>) {
    state.column_sort = sort;
    state.rebuild_view();
    state.selected = 0;
    state.offset = 0;
    state.detail_scroll = 0;
    state.clamp_selection();
    let text = match sort {
        Some((c, desc)) => format!(
            "Sorted by {} {}{}",
            c.header(),
            if desc { "▼" } else { "▲" },
            if state.engine.has_more() {
                format!(" within the {} loaded rows", state.engine.rows().len())
            } else {
                String::new()
            }
        ),
        None => format!("The service's order: {}", state.filter().sort.label()),
    };
    notice(state, text);
}

/// What a key that would send something says under --read-only.
pub const READ_ONLY: &str =
    "Read-only session: nothing that changes anything is sent (--read-only)";

/// Under --read-only, says so and refuses: what R and C would send changes
/// something.
pub fn refused_read_only(state: &mut State) -> bool {
    if state.settings.read_only {
        notice(state, READ_ONLY);
    }
    state.settings.read_only
}

/// How long the selected job took, asked of the history once, when the
/// detail pane shows a finished job.
pub fn ask_took(state: &mut State) -> Vec<Effect> {
    if !state.history.on || !state.detail_open {
        return Vec::new();
    }
    let Some(job) = state.selected_row().map(|r| &r.job) else {
        return Vec::new();
    };
    if !job.status.is_final() || state.history.took.contains_key(&job.job_arn) {
        return Vec::new();
    }
    let arn = job.job_arn.clone();
    state.history.took.insert(arn.clone(), None);
    vec![Effect::ReadTook(arn)]
}
