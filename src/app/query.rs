//! What is asked of the service: a new filter, the sources shown, `r`, and
//! the named views (`:view`, `:save`, `:delete`) that hold a filter.

use super::msg::Effect;
use super::refresh::forget_arrivals;
use super::state::State;
use super::table::{error_notice, fetch, maybe_next_page, notice};
use crate::domain::query::Filter;
use crate::watch::SourceId;

/// A new query: every source starts over, the table empties.
pub fn start_query(state: &mut State) -> Vec<Effect> {
    let requests = state.engine.start(state.now);
    start_over(state, requests)
}

/// The table empties and the engine's first requests go out.
fn start_over(state: &mut State, requests: Vec<crate::watch::Request>) -> Vec<Effect> {
    state.selected = 0;
    state.offset = 0;
    state.highlight.clear();
    forget_arrivals(state);
    state.rebuild_view();
    fetch(state, requests)
}

/// Applies a new filter: a new query, unless nothing changed.
pub fn apply_filter(state: &mut State, filter: Filter) -> Vec<Effect> {
    if filter == *state.filter() {
        return Vec::new();
    }
    let requests = state.engine.set_filter(filter, state.now);
    start_over(state, requests)
}

/// `r`: every source re-reads what it has loaded.
pub fn reread(state: &mut State) -> Vec<Effect> {
    state.arrivals.round += 1;
    let requests = state.engine.reread_all(state.now);
    fetch(state, requests)
}

/// Makes the sources `specs`: the ones that stay keep their rows and
/// schedule, the others are dropped (their requests aborted), the new ones
/// start reading.
pub fn apply_sources(state: &mut State, specs: &[crate::watch::SourceSpec]) -> Vec<Effect> {
    let arn = state.selected_arn();
    let gone: Vec<SourceId> = state
        .engine
        .sources()
        .iter()
        .filter(|s| !specs.contains(&s.effective_spec()))
        .map(|s| s.id)
        .collect();
    let mut effects = Vec::new();
    for id in &gone {
        state.engine.remove_source(*id);
        effects.push(Effect::Forget(*id));
    }
    let mut added = 0;
    for spec in specs {
        if !state
            .engine
            .sources()
            .iter()
            .any(|s| s.effective_spec() == *spec)
        {
            let requests = state.engine.add_source(spec.clone(), state.now);
            effects.extend(fetch(state, requests));
            added += 1;
        }
    }
    state.settings.sources = state
        .engine
        .sources()
        .iter()
        .map(|s| s.spec.clone())
        .collect();
    crate::app::state::known_accounts(&mut state.accounts, specs);
    state.rebuild_view();
    if !arn.is_some_and(|a| state.select_arn(&a)) {
        state.selected = 0;
        state.clamp_selection();
    }
    let text = match (added, gone.len()) {
        (0, 0) => "Sources unchanged".to_string(),
        (a, r) => format!(
            "Sources: {} ({a} added, {r} removed)",
            state.engine.sources().len()
        ),
    };
    notice(state, text);
    effects.extend(maybe_next_page(state));
    effects
}

/// `view NAME` opens a saved view, `save NAME` saves this one, `delete NAME`
/// forgets one; a bad command changes nothing and says what works.
pub fn run_command(state: &mut State, line: &str) -> Vec<Effect> {
    use crate::config::views::check_name;
    let (verb, arg) = line.split_once(' ').unwrap_or((line, ""));
    let names = |state: &State| {
        let n: Vec<&str> = state
            .settings
            .views
            .named
            .keys()
            .map(String::as_str)
            .collect();
        if n.is_empty() {
            "none saved yet (:save NAME)".to_string()
        } else {
            n.join(", ")
        }
    };
    match (verb, check_name(arg)) {
        ("", _) => Vec::new(),
        ("view" | "v", Ok(name)) => {
            let Some(view) = state.settings.views.named.get(name).cloned() else {
                let known = names(state);
                error_notice(state, format!("No view '{name}'; saved views: {known}"));
                return Vec::new();
            };
            open_view(state, name, &view)
        }
        ("save" | "w", Ok(name)) => {
            let name = name.to_string();
            // A named view is filters and layout; pins belong to the sources.
            let view = crate::config::views::SavedView {
                pinned: Vec::new(),
                ..state.current_view()
            };
            state.settings.views.named.insert(name.clone(), view);
            notice(
                state,
                format!("Saved this view as '{name}' (:view {name} opens it)"),
            );
            save_views(state)
        }
        ("delete", Ok(name)) => {
            if state.settings.views.named.remove(name).is_none() {
                let known = names(state);
                error_notice(state, format!("No view '{name}'; saved views: {known}"));
                return Vec::new();
            }
            notice(state, format!("Deleted the view '{name}'"));
            save_views(state)
        }
        ("view" | "v" | "save" | "w" | "delete", Err(e)) => {
            error_notice(state, e);
            Vec::new()
        }
        _ => {
            error_notice(
                state,
                format!("Unknown command ':{verb}': use :view NAME, :save NAME or :delete NAME"),
            );
            Vec::new()
        }
    }
}

/// Applies a saved view: its filters (checked as the panes check them) and
/// its panes.
pub fn open_view(
    state: &mut State,
    name: &str,
    view: &crate::config::views::SavedView,
) -> Vec<Effect> {
    let text = view.filter_text();
    let tz = state.settings.tz;
    let read = text.resolve(state.now, &tz).map_err(|problems| {
        problems
            .iter()
            .map(|p| p.describe(&text, &tz, crate::config::views::SavedView::field_name))
            .collect::<Vec<_>>()
            .join("; ")
    });
    match read {
        Ok(filter) => {
            state.typed_times = (view.since.clone(), view.until.clone());
            state.detail_open = view.detail_open;
            state.show_log = view.show_log;
            if !view.columns.is_empty() {
                state.settings.columns = view.columns.clone();
            }
            state.column_sort = view.sort_column.map(|c| (c, view.sort_descending));
            state.rebuild_view();
            let effects = apply_filter(state, filter);
            notice(state, format!("View '{name}'"));
            effects
        }
        Err(e) => {
            error_notice(state, format!("View '{name}' no longer applies: {e}"));
            Vec::new()
        }
    }
}

pub fn save_views(state: &State) -> Vec<Effect> {
    match &state.settings.views_path {
        Some(path) => vec![Effect::SaveViews {
            path: path.clone(),
            views: state.settings.views.clone(),
        }],
        None => Vec::new(),
    }
}

/// Starts reading the whole window for `M` and `T` unless what is held is
/// of the window and sources shown now (or `again`: asked for afresh).
pub fn read_overview(state: &mut State, again: bool) -> Vec<Effect> {
    let failed = state.overview.as_ref().is_some_and(|o| o.error.is_some());
    if !again && !failed && state.overview_current() {
        return Vec::new();
    }
    let (filter, specs) = (state.overview_window(), state.source_specs());
    state.reads += 1;
    let generation = state.reads;
    state.overview = Some(super::overview::Overview::new(
        generation,
        filter.clone(),
        specs.clone(),
    ));
    vec![Effect::ReadWindow {
        purpose: super::msg::Purpose::Overview,
        generation,
        filter,
        specs,
    }]
}
