//! `update(state, msg) -> effects`: every behaviour of the dashboard,
//! without a terminal, a network or a clock. A router: a key goes to the
//! open pane, or to the table (`keys`); an answer to the engine (`app::refresh`);
//! a message meant for a pane to the open one.

use super::keys::table_key;
use crate::app::change::Change;
use crate::app::msg::{Effect, Msg};
use crate::app::refresh::{self, created_again, loaded, tick};
use crate::app::state::{Focus, Next, Notice, State};
use crate::app::table::{error_notice, maybe_next_page, move_selection, notice, sort_by};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    // An answer and a tick say themselves whether they changed what a frame
    // shows (most change nothing); anything else does.
    if !matches!(msg, Msg::Loaded { .. } | Msg::Tick(_)) {
        state.revision += 1;
    }
    let effects = dispatch(state, msg);
    // Whatever moved the rows or the screen: the new rows still above it.
    refresh::settle(state);
    effects
}

fn dispatch(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Start(now) => {
            state.now = now;
            let mut effects = crate::app::query::start_query(state);
            effects.extend(refresh::start_pins(state));
            effects.extend(refresh::start_history(state));
            effects
        }
        Msg::Tick(now) => tick(state, now),
        Msg::Key(key) => key_pressed(state, key),
        Msg::Viewport(_) | Msg::ClickRow(_) | Msg::Scroll(_) | Msg::SortBy(_) => screen(state, msg),
        Msg::Loaded {
            source,
            generation,
            result,
            at,
        } => loaded(state, source, generation, result, at),
        Msg::ExportExists { path, jobs } => {
            // Asked over whatever is open now: answered, that is back.
            state.panes.push(crate::panes::export::ask(path, jobs));
            state.notice = None;
            Vec::new()
        }
        Msg::Exported(_)
        | Msg::ViewsNotSaved(_)
        | Msg::Durations(_)
        | Msg::Took { .. }
        | Msg::HistoryProblem(_)
        | Msg::HookFailed(_)
        | Msg::InputError(_) => told(state, msg),
        Msg::Created {
            source,
            origin,
            region,
            result,
        } => {
            // M and P count the new copy at once, not at the next read.
            if let Ok(job) = &result {
                observe(state, job);
            }
            refresh::created(state, source, origin, &region, result);
            Vec::new()
        }
        Msg::CreatedAgain {
            source,
            origin,
            region,
            job,
        } => {
            let what = if origin.is_some() { "Retry" } else { "Copy" };
            observe(state, &job);
            created_again(state, what, source, &region, job);
            Vec::new()
        }
        Msg::WindowProgress { .. }
        | Msg::WindowRefused { .. }
        | Msg::WindowModels { .. }
        | Msg::WindowRead { .. }
            if refresh::overview_answer(state, &msg) =>
        {
            Vec::new()
        }
        Msg::KnownProfiles(_)
        | Msg::WindowProgress { .. }
        | Msg::WindowRefused { .. }
        | Msg::WindowModels { .. }
        | Msg::WindowRead { .. } => to_pane(state, &msg),
        Msg::Connected { source, region } => {
            state.engine.set_region(source, region);
            refresh::ask_pins(state)
        }
        Msg::PinsRestored {
            source,
            jobs,
            missing,
        } => {
            refresh::restored_pins(state, source, jobs, missing);
            Vec::new()
        }
    }
}

/// The screen and the pointer: its size, clicks, the wheel, a header click.
fn screen(state: &mut State, msg: Msg) -> Vec<Effect> {
    let table = state.focus() == Focus::Table;
    match msg {
        Msg::Viewport(h) => {
            state.viewport = h.max(1);
            state.clamp_selection();
            maybe_next_page(state)
        }
        Msg::ClickRow(i) if table && i < state.view.len() => move_selection(state, i),
        Msg::ClickRow(_) => Vec::new(),
        Msg::Scroll(n) if table => {
            let last = state.view.len().saturating_sub(1);
            let to = if n >= 0 {
                (state.selected + n as usize).min(last)
            } else {
                state.selected.saturating_sub(n.unsigned_abs() as usize)
            };
            move_selection(state, to)
        }
        Msg::Scroll(_) => Vec::new(),
        Msg::SortBy(column) => {
            if table {
                let desc = matches!(state.column_sort, Some((c, d)) if c == column && !d);
                sort_by(state, Some((column, desc)));
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// What the dashboard is told of work done elsewhere (an export, the
/// history, a hook, the terminal): noted, never asked further.
fn told(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Exported(result) => {
            match result {
                Ok((path, n)) => notice(
                    state,
                    format!(
                        "Wrote {} jobs to {}",
                        crate::output::failures::thousands(n),
                        crate::output::sanitize::clean(&path.display().to_string())
                    ),
                ),
                Err(e) => error_notice(state, format!("Export failed: {e}")),
            }
            Vec::new()
        }
        Msg::ViewsNotSaved(e) => {
            error_notice(state, format!("Could not save the views: {e}"));
            Vec::new()
        }
        Msg::Durations(groups) => {
            state.history.groups = Some(groups);
            Vec::new()
        }
        Msg::Took { arn, took } => {
            state.history.took.insert(arn, took);
            Vec::new()
        }
        Msg::HistoryProblem(text) => {
            refresh::history_problem(state, &text);
            Vec::new()
        }
        Msg::HookFailed(e) => {
            error_notice(state, format!("Notification hook: {e}"));
            Vec::new()
        }
        Msg::InputError(e) => {
            state.error = Some(Notice {
                text: format!("Reading the terminal failed: {e}"),
                is_error: true,
                until: None,
            });
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A message for the open panes (a read one started): each takes its own,
/// the one on top or one under it (`?` over F while F's read finishes);
/// none open, dropped.
fn to_pane(state: &mut State, msg: &Msg) -> Vec<Effect> {
    let mut panes = std::mem::take(&mut state.panes);
    let effects = panes
        .iter_mut()
        .flat_map(|p| p.receive(msg, state))
        .collect();
    state.panes = panes;
    effects
}

fn key_pressed(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        state.quit = true;
        return Vec::new();
    }
    let Some(mut pane) = state.panes.pop() else {
        return table_key(state, key);
    };
    // `?` over a pane lists that pane's keys, opened over it.
    if state.settings.keys.action(&key) == Some(crate::config::keys::Action::Help)
        && let Some(keys) = pane.help(state)
    {
        state.panes.push(pane);
        state.panes.push(crate::panes::help::over(keys));
        return Vec::new();
    }
    let outcome = pane.key(key, state);
    // The pane's changes are made with it off the stack, as it was while
    // it took the key; then it goes back, under a pane it opened, or not.
    let mut effects: Vec<Effect> = outcome
        .changes
        .into_iter()
        .flat_map(|c| apply(state, c))
        .collect();
    effects.extend(outcome.effects);
    match outcome.next {
        Next::Stay => state.panes.push(pane),
        Next::Close => {}
        Next::Open(next) => {
            state.panes.push(pane);
            state.panes.push(next);
        }
        Next::Then(action) => effects.extend(super::keys::run(state, action)),
    }
    effects
}

/// Makes a change a pane asked for, and gives the effects it starts.
fn apply(state: &mut State, change: Change) -> Vec<Effect> {
    use crate::app::query::{apply_filter, apply_sources, read_overview, run_command};
    use crate::app::table::{clear_search, only_region, show_job};
    match change {
        Change::Notice(text) => notice(state, text),
        Change::TypedTimes(after, before) => state.typed_times = (after, before),
        Change::Filter(filter) => return apply_filter(state, filter),
        Change::OnlyRegion(region) => only_region(state, region),
        Change::OnlyAccount(id) => crate::app::table::only_account(state, id),
        Change::ReadOverview { again } => return read_overview(state, again),
        Change::Search(text) => crate::app::table::search_as_typed(state, text),
        Change::ClearSearch => clear_search(state),
        Change::MaybeNextPage => return maybe_next_page(state),
        Change::Columns(columns) => crate::app::table::set_columns(state, columns),
        Change::Sources(specs) => return apply_sources(state, &specs),
        Change::Command(line) => return run_command(state, &line),
        Change::ShowJob(arn) => return show_job(state, &arn),
        Change::ShowFailedJob(arn) => crate::app::table::show_failed_job(state, &arn),
        Change::LogCursor(cursor) => state.log = cursor,
        Change::ShowLog(on) => state.show_log = on,
        Change::Quit => state.quit = true,
    }
    Vec::new()
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;

/// A job this session created, into the matrix of the window held (if it
/// is the one shown): its cell turns as the live refresh would turn it.
fn observe(state: &mut State, job: &crate::domain::job::CopyJob) {
    if state.overview_current()
        && let Some(o) = state.overview.as_mut()
    {
        o.observe(std::iter::once(job));
    }
}
