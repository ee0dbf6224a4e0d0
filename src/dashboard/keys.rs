//! The table's keys, as bound: moving, paging, filters, sorts, pins,
//! copying, and the panes they open. Opening a pane is one line here: the
//! panes' registration.

use crate::app::msg::Effect;
use crate::app::query::{apply_filter, reread};
use crate::app::state::{Pane, REFRESH_STEPS, State};
use crate::app::table::{clear_search, fetch, move_selection, notice, sort_by};
use crate::config::keys::Action;
use crate::domain::query::{Field, Filter};
use crate::panes;
use chrono::Duration;
use crossterm::event::{KeyCode, KeyEvent};

/// Opens `pane` over what is open: it has the keys until it closes.
fn open(state: &mut State, pane: Box<dyn Pane>) -> Vec<Effect> {
    state.panes.push(pane);
    Vec::new()
}

pub fn table_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    // Tab moves to the event log when it is open.
    if key.code == KeyCode::Tab && state.show_log {
        let pane = panes::log::open(state);
        return open(state, pane);
    }
    // Esc is not rebindable: it always backs out.
    if key.code == KeyCode::Esc {
        if state.detail_open {
            state.detail_open = false;
        } else if !state.search.is_empty() {
            clear_search(state);
        } else if state.region_only.is_some() || state.account_only.is_some() {
            let text = if state.account_only.is_some() {
                "Every account and region again"
            } else {
                "Every region again"
            };
            crate::app::table::only_region(state, None);
            notice(state, text);
        }
        return Vec::new();
    }
    let Some(action) = state.settings.keys.action(&key) else {
        return Vec::new();
    };
    // A message belongs to the action that made it: the next one replaces
    // or clears it.
    state.notice = None;
    run(state, action)
}

/// What a table action does: a key's, or one a pane hands back as it
/// closes (`Outcome::Then`).
pub fn run(state: &mut State, action: Action) -> Vec<Effect> {
    use Action::*;
    match action {
        Quit => {
            state.quit = true;
            Vec::new()
        }
        Down | Up | PageDown | PageUp | First | Last => motion(state, action),
        Detail | DetailDown | DetailUp => detail(state, action),
        CycleStatus | ClearFilters | Order | SortColumn | SortReverse => order(state, action),
        Refresh | Pause | Faster | Slower => refreshing(state, action),
        Pin => pin(state),
        CopyArn | CopyJson | CopyCommand => copy(state, action),
        Filters | TimeFilter | NameFilter | Search | Log | Retry | CopyTo | Columns | Failures
        | Models | Plan | Activity | Sources | Command | Help | Export => open_pane(state, action),
    }
}

/// Moving the selection; past the end, asking for more.
fn motion(state: &mut State, action: Action) -> Vec<Effect> {
    let last = state.view.len().saturating_sub(1);
    let page = state.viewport.max(1);
    match action {
        Action::Down => move_selection(state, (state.selected + 1).min(last)),
        Action::Up => move_selection(state, state.selected.saturating_sub(1)),
        Action::PageDown => move_selection(state, (state.selected + page).min(last)),
        Action::PageUp => move_selection(state, state.selected.saturating_sub(page)),
        Action::First => move_selection(state, 0),
        Action::Last => {
            let mut effects = move_selection(state, last);
            if effects.is_empty() && state.engine.can_ask() {
                let requests = state.engine.ask_more(state.now);
                effects = fetch(state, requests);
            }
            effects
        }
        _ => Vec::new(),
    }
}

/// The detail pane: shown or hidden, and scrolled.
fn detail(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Detail => {
            state.detail_open = !state.detail_open;
            crate::app::table::ask_took(state)
        }
        Action::DetailDown | Action::DetailUp => {
            if state.detail_open {
                state.detail_scroll = if action == Action::DetailDown {
                    state.detail_scroll.saturating_add(1)
                } else {
                    state.detail_scroll.saturating_sub(1)
                };
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// What the table holds and in which order: filters and sorts.
fn order(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::CycleStatus => {
            let f = state.filter().next_status();
            apply_filter(state, f)
        }
        Action::ClearFilters => {
            let f = Filter {
                sort: state.filter().sort,
                ..Filter::default()
            };
            state.typed_times = Default::default();
            crate::app::table::only_region(state, None);
            let effects = apply_filter(state, f);
            notice(state, "Filters cleared");
            effects
        }
        Action::Order if state.column_sort.is_some() => {
            sort_by(state, None);
            Vec::new()
        }
        Action::SortColumn => {
            let columns = state.settings.columns.clone();
            let next = match state.column_sort {
                Some((c, _)) => columns
                    .iter()
                    .position(|x| *x == c)
                    .and_then(|i| columns.get(i + 1)),
                None => columns.first(),
            };
            sort_by(state, next.map(|c| (*c, false)));
            Vec::new()
        }
        Action::SortReverse => {
            if let Some((c, d)) = state.column_sort {
                sort_by(state, Some((c, !d)));
            }
            Vec::new()
        }
        Action::Order => {
            let mut f = state.filter().clone();
            f.sort = f.sort.toggled();
            apply_filter(state, f)
        }
        _ => Vec::new(),
    }
}

/// When the table is refreshed: now, paused, faster or slower.
fn refreshing(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Refresh => {
            notice(state, "Refreshing…");
            reread(state)
        }
        Action::Pause => {
            state.engine.paused = !state.engine.paused;
            if state.engine.paused {
                notice(state, "Live refresh paused (p resumes)");
                Vec::new()
            } else {
                notice(state, "Live refresh resumed");
                let requests = state.engine.tick(state.now);
                fetch(state, requests)
            }
        }
        Action::Faster | Action::Slower => {
            let secs = state.engine.every.num_seconds();
            // More often is a shorter interval.
            let next = if action == Action::Faster {
                REFRESH_STEPS
                    .iter()
                    .rev()
                    .copied()
                    .find(|s| *s < secs)
                    .unwrap_or(secs)
            } else {
                REFRESH_STEPS
                    .iter()
                    .copied()
                    .find(|s| *s > secs)
                    .unwrap_or(secs)
            };
            state.engine.set_every(Duration::seconds(next), state.now);
            notice(
                state,
                format!(
                    "Refresh every {}",
                    crate::domain::query::measured_duration(Duration::seconds(next))
                ),
            );
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Pins the selected job or unpins it.
fn pin(state: &mut State) -> Vec<Effect> {
    let Some(arn) = state.selected_arn() else {
        notice(state, "No job selected");
        return Vec::new();
    };
    let pinned = state.engine.toggle_pin(&arn);
    state.rebuild_view();
    state.select_arn(&arn);
    notice(
        state,
        if pinned {
            "Pinned: kept at the top and watched whatever the filter (w unpins)"
        } else {
            "Unpinned"
        },
    );
    Vec::new()
}

/// The selected job, or the command for these filters, to the clipboard.
fn copy(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::CopyArn | Action::CopyJson => {
            let Some(job) = state.selected_row().map(|r| r.job.clone()) else {
                notice(state, "No job selected");
                return Vec::new();
            };
            let (text, what) = if action == Action::CopyArn {
                (job.job_arn.clone(), "the job ARN")
            } else {
                (
                    serde_json::to_string_pretty(&crate::output::export::job_json(&job))
                        .unwrap_or_default(),
                    "the job as JSON",
                )
            };
            notice(state, format!("Copied {what} to the clipboard (OSC 52)"));
            vec![Effect::Copy(text)]
        }
        Action::CopyCommand => {
            // The selected job's source, or the first: one command is one
            // region and one profile.
            let source = state
                .selected_row()
                .map(|r| r.source)
                .or_else(|| state.engine.sources().first().map(|s| s.id));
            let cmd =
                crate::output::export::aws_cli_command(state.filter(), state.cli_target(source));
            notice(
                state,
                "Copied the AWS CLI command for these filters (OSC 52)",
            );
            vec![Effect::Copy(cmd)]
        }
        _ => Vec::new(),
    }
}

/// The panes a table key opens: each has the keys until it closes.
fn open_pane(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Filters => {
            let pane = panes::filters::open(state, Field::Status);
            open(state, pane)
        }
        Action::TimeFilter => {
            let pane = panes::filters::open(state, Field::CreatedAfter);
            open(state, pane)
        }
        Action::NameFilter => {
            let pane = panes::filters::open(state, Field::Name);
            open(state, pane)
        }
        Action::Search => {
            let pane = panes::search::open(state);
            open(state, pane)
        }
        // Open, or focus when open: `l` in the log closes it.
        Action::Log => {
            let pane = panes::log::open(state);
            open(state, pane)
        }
        Action::Retry => match panes::retry::open(state) {
            Some(pane) => open(state, pane),
            None => Vec::new(),
        },
        Action::CopyTo => match panes::copy::open(state) {
            Some(pane) => open(state, pane),
            None => Vec::new(),
        },
        Action::Columns => {
            let pane = panes::columns::open(state);
            open(state, pane)
        }
        Action::Failures => {
            let (pane, effects) = panes::failures::open(state);
            state.panes.push(pane);
            effects
        }
        Action::Models => {
            let (pane, effects) = panes::models::open(state);
            state.panes.push(pane);
            effects
        }
        Action::Plan => match panes::plan::open(state) {
            Some((pane, effects)) => {
                state.panes.push(pane);
                effects
            }
            None => Vec::new(),
        },
        Action::Activity => {
            let (pane, effects) = panes::activity::open(state);
            state.panes.push(pane);
            effects
        }
        Action::Sources => {
            let (pane, effects) = panes::sources::open(state);
            state.panes.push(pane);
            effects
        }
        Action::Command => open(state, panes::command::open()),
        Action::Help => open(state, panes::help::open()),
        Action::Export => {
            let pane = panes::export::open(state);
            open(state, pane)
        }
        _ => Vec::new(),
    }
}
