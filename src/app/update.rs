//! `update(state, msg) -> effects`: every behaviour of the dashboard, without
//! a terminal, a network or a clock.

use super::msg::{Effect, FetchKind, Msg};
use super::state::{
    FilterPane, HIGHLIGHT_FOR, LogEntry, Mode, NOTICE_FOR, Notice, REFRESH_STEPS, Row, State,
};
use crate::aws::{FetchError, Page};
use crate::domain::job::CopyJob;
use crate::domain::query::{Field, Filter, FilterDraft, Sort};
use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::collections::HashMap;
use tui_input::{Input, InputRequest};

/// Largest page the service serves.
const MAX_PAGE: usize = 1000;

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Start(now) => {
            state.now = now;
            start_query(state)
        }
        Msg::Tick(now) => tick(state, now),
        Msg::Key(key) => key_pressed(state, key),
        Msg::Viewport(h) => {
            state.viewport = h.max(1);
            state.clamp_selection();
            maybe_next_page(state)
        }
        Msg::Loaded {
            generation,
            kind,
            result,
            at,
        } => loaded(state, generation, kind, result, at),
        Msg::Exported(result) => {
            match result {
                Ok((path, n)) => notice(state, format!("Wrote {n} jobs to {}", path.display())),
                Err(e) => {
                    state.notice = Some(Notice {
                        text: format!("Export failed: {e}"),
                        is_error: true,
                        until: Some(state.now + NOTICE_FOR),
                    });
                }
            }
            Vec::new()
        }
        Msg::Connected { region } => {
            state.region = Some(region.clone());
            state.settings.context = state.settings.target.describe(&region);
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
    }
}

/// A new query: new generation, no rows, the first page asked for.
fn start_query(state: &mut State) -> Vec<Effect> {
    state.generation += 1;
    state.rows.clear();
    state.next_token = None;
    state.first_done = false;
    state.selected = 0;
    state.offset = 0;
    state.refresh_pending = false;
    state.refresh.next_at = None;
    state.highlight.clear();
    state.rebuild_view();
    let mut effects = Vec::new();
    if state.in_flight.take().is_some() {
        effects.push(Effect::CancelFetches);
    }
    effects.push(fetch(state, FetchKind::First));
    effects
}

fn fetch(state: &mut State, kind: FetchKind) -> Effect {
    state.in_flight = Some(kind);
    let (token, min_rows, until, page_size) = match kind {
        FetchKind::First => (None, 0, None, state.settings.page_size),
        FetchKind::Next => (state.next_token.clone(), 0, None, state.settings.page_size),
        FetchKind::Refresh => {
            let until = state
                .rows
                .last()
                .map(|r| (r.job.created, r.job.job_arn.clone()));
            // Up to a full page at a time until the loaded count is re-read,
            // then small pages to the old end (see effects::TAIL_PAGES).
            (None, state.rows.len().max(1), until, MAX_PAGE)
        }
    };
    Effect::Fetch {
        generation: state.generation,
        kind,
        filter: state.filter.clone(),
        page_size,
        token,
        min_rows,
        until,
    }
}

fn tick(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    state.now = now;
    state.highlight.retain(|_, until| *until > now);
    if state
        .notice
        .as_ref()
        .and_then(|n| n.until)
        .is_some_and(|u| u <= now)
    {
        state.notice = None;
    }
    let due = state.refresh.next_at.is_some_and(|t| t <= now) && !state.refresh.paused;
    if due { refresh_now(state) } else { Vec::new() }
}

/// Re-read what is loaded (or retry the first page), unless a fetch is
/// running: then it runs right after.
fn refresh_now(state: &mut State) -> Vec<Effect> {
    state.refresh.next_at = None;
    if state.in_flight.is_some() {
        state.refresh_pending = true;
        return Vec::new();
    }
    let kind = if state.rows.is_empty() {
        FetchKind::First
    } else {
        FetchKind::Refresh
    };
    vec![fetch(state, kind)]
}

fn schedule_refresh(state: &mut State) {
    state.refresh.next_at = Some(state.now + state.refresh.every);
}

fn loaded(
    state: &mut State,
    generation: u64,
    kind: FetchKind,
    result: Result<Page, FetchError>,
    at: DateTime<Utc>,
) -> Vec<Effect> {
    if generation != state.generation {
        // An answer to a query the user has left: never shown.
        return Vec::new();
    }
    state.now = state.now.max(at);
    state.in_flight = None;
    match result {
        Ok(page) => {
            state.error = None;
            state.refresh.last_ok = Some(at);
            match kind {
                FetchKind::First => {
                    state.first_done = true;
                    let arn = state.selected_arn();
                    state.rows = page
                        .jobs
                        .into_iter()
                        .map(|job| Row { job, since: None })
                        .collect();
                    state.next_token = page.next_token;
                    state.rebuild_view();
                    if let Some(a) = arn {
                        state.select_arn(&a);
                    }
                    schedule_refresh(state);
                }
                FetchKind::Next => {
                    append(state, page);
                }
                FetchKind::Refresh => {
                    merge(state, page, at);
                    schedule_refresh(state);
                }
            }
        }
        Err(e) => {
            if kind == FetchKind::First {
                state.first_done = true;
            }
            let retry = state.now + state.refresh.every;
            state.error = Some(Notice {
                text: e.to_string(),
                is_error: true,
                until: None,
            });
            state.refresh.next_at = Some(retry);
        }
    }
    let mut effects = Vec::new();
    if state.refresh_pending {
        state.refresh_pending = false;
        effects.extend(refresh_now(state));
    }
    if effects.is_empty() {
        effects.extend(maybe_next_page(state));
    }
    effects
}

/// Appends a page, skipping any job already loaded: a row never shows twice.
fn append(state: &mut State, page: Page) {
    let known: std::collections::HashSet<&str> =
        state.rows.iter().map(|r| r.job.job_arn.as_str()).collect();
    let fresh: Vec<Row> = page
        .jobs
        .into_iter()
        .filter(|j| !known.contains(j.job_arn.as_str()))
        .map(|job| Row { job, since: None })
        .collect();
    state.rows.extend(fresh);
    state.next_token = page.next_token;
    state.rebuild_view();
}

/// Merges a re-read of the loaded range: rows in the service's order, status
/// changes logged and highlighted, the selection kept on the same job.
fn merge(state: &mut State, page: Page, at: DateTime<Utc>) {
    let arn = state.selected_arn();
    let selected_pos = state.selected;
    let sort = state.filter.sort;
    let old_end = state
        .rows
        .last()
        .map(|r| (r.job.created, r.job.job_arn.clone()));
    let old: HashMap<String, Row> = state
        .rows
        .drain(..)
        .map(|r| (r.job.job_arn.clone(), r))
        .collect();
    let mut rows = Vec::with_capacity(page.jobs.len());
    for job in page.jobs {
        // A job not seen before is news only inside the range that was
        // loaded; past its end it is just an older row read along the way.
        let inside = old_end.as_ref().is_some_and(|(t, arn)| {
            let key = (job.created, job.job_arn.as_str());
            match sort {
                Sort::NewestFirst => key > (*t, arn.as_str()),
                Sort::OldestFirst => key < (*t, arn.as_str()),
            }
        });
        let since = match old.get(&job.job_arn) {
            Some(prev) if prev.job.status != job.status => {
                log_change(state, &job, Some(prev.job.status.clone()), at);
                Some(at)
            }
            Some(prev) => prev.since,
            None if inside => {
                log_change(state, &job, None, at);
                Some(at)
            }
            None => None,
        };
        rows.push(Row { job, since });
    }
    state.rows = rows;
    state.next_token = page.next_token;
    state.rebuild_view();
    if !arn.is_some_and(|a| state.select_arn(&a)) {
        state.selected = selected_pos;
        state.clamp_selection();
    }
}

fn log_change(
    state: &mut State,
    job: &CopyJob,
    from: Option<crate::domain::job::Status>,
    at: DateTime<Utc>,
) {
    state
        .highlight
        .insert(job.job_arn.clone(), at + HIGHLIGHT_FOR);
    state.events.push(LogEntry {
        at,
        job_arn: job.job_arn.clone(),
        name: job.display_name().to_string(),
        from,
        to: job.status.clone(),
    });
}

/// Asks for the next page when the selection is within a screen of the end.
/// Not while a local search narrows the view: that would page through
/// everything looking for matches; End still asks explicitly.
fn maybe_next_page(state: &mut State) -> Vec<Effect> {
    let near_end = state.search.is_empty() && state.selected + state.viewport >= state.view.len();
    if state.first_done && state.in_flight.is_none() && state.next_token.is_some() && near_end {
        vec![fetch(state, FetchKind::Next)]
    } else {
        Vec::new()
    }
}

fn notice(state: &mut State, text: impl Into<String>) {
    state.notice = Some(Notice {
        text: text.into(),
        is_error: false,
        until: Some(state.now + NOTICE_FOR),
    });
}

/// Applies a new filter: a new query, unless nothing changed.
fn apply_filter(state: &mut State, filter: Filter) -> Vec<Effect> {
    if filter == state.filter {
        return Vec::new();
    }
    state.filter = filter;
    start_query(state)
}

fn key_pressed(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        state.quit = true;
        return Vec::new();
    }
    match &mut state.mode {
        Mode::Help => {
            state.mode = Mode::Table;
            Vec::new()
        }
        Mode::Search(_) => search_key(state, key),
        Mode::Export(_) => export_key(state, key),
        Mode::Filters(_) => filter_key(state, key),
        Mode::Table => table_key(state, key),
    }
}

fn move_selection(state: &mut State, to: usize) -> Vec<Effect> {
    if to != state.selected {
        state.detail_scroll = 0;
    }
    state.selected = to;
    state.clamp_selection();
    maybe_next_page(state)
}

fn open_filters(state: &mut State, focus: Field) {
    let draft = FilterDraft::from_filter(&state.filter, &state.settings.tz);
    let input = Input::new(draft.text(focus));
    state.mode = Mode::Filters(Box::new(FilterPane {
        draft,
        focus,
        input,
        tried: false,
    }));
}

fn table_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let last = state.view.len().saturating_sub(1);
    let page = state.viewport.max(1);
    match key.code {
        KeyCode::Char('q') => {
            state.quit = true;
            Vec::new()
        }
        KeyCode::Down | KeyCode::Char('j') => move_selection(state, (state.selected + 1).min(last)),
        KeyCode::Up | KeyCode::Char('k') => move_selection(state, state.selected.saturating_sub(1)),
        KeyCode::PageDown => move_selection(state, (state.selected + page).min(last)),
        KeyCode::PageUp => move_selection(state, state.selected.saturating_sub(page)),
        KeyCode::Home | KeyCode::Char('g') => move_selection(state, 0),
        KeyCode::End | KeyCode::Char('G') => {
            let mut effects = move_selection(state, last);
            if effects.is_empty() && state.in_flight.is_none() && state.next_token.is_some() {
                effects.push(fetch(state, FetchKind::Next));
            }
            effects
        }
        KeyCode::Enter => {
            state.detail_open = !state.detail_open;
            Vec::new()
        }
        KeyCode::Esc => {
            if state.detail_open {
                state.detail_open = false;
            } else if !state.search.is_empty() {
                let arn = state.selected_arn();
                state.search.clear();
                state.rebuild_view();
                if let Some(a) = arn {
                    state.select_arn(&a);
                }
            }
            Vec::new()
        }
        KeyCode::Char('f') => {
            open_filters(state, Field::Status);
            Vec::new()
        }
        KeyCode::Char('t') => {
            open_filters(state, Field::CreatedAfter);
            Vec::new()
        }
        KeyCode::Char('n') => {
            open_filters(state, Field::Name);
            Vec::new()
        }
        KeyCode::Char('s') => {
            let f = state.filter.next_status();
            apply_filter(state, f)
        }
        KeyCode::Char('x') => {
            let f = Filter {
                sort: state.filter.sort,
                ..Filter::default()
            };
            let effects = apply_filter(state, f);
            notice(state, "Filters cleared");
            effects
        }
        KeyCode::Char('o') => {
            let mut f = state.filter.clone();
            f.sort = f.sort.toggled();
            apply_filter(state, f)
        }
        KeyCode::Char('/') => {
            state.mode = Mode::Search(Input::new(state.search.clone()));
            Vec::new()
        }
        KeyCode::Char('r') => {
            notice(state, "Refreshing…");
            refresh_now(state)
        }
        KeyCode::Char('p') => {
            state.refresh.paused = !state.refresh.paused;
            if state.refresh.paused {
                notice(state, "Live refresh paused (p resumes)");
                Vec::new()
            } else {
                notice(state, "Live refresh resumed");
                if state.refresh.next_at.is_none_or(|t| t <= state.now) {
                    refresh_now(state)
                } else {
                    Vec::new()
                }
            }
        }
        KeyCode::Char('+') | KeyCode::Char('=') | KeyCode::Char('-') => {
            let secs = state.refresh.every.num_seconds();
            let up = key.code != KeyCode::Char('-');
            let next = if up {
                REFRESH_STEPS
                    .iter()
                    .copied()
                    .find(|s| *s > secs)
                    .unwrap_or(secs)
            } else {
                REFRESH_STEPS
                    .iter()
                    .rev()
                    .copied()
                    .find(|s| *s < secs)
                    .unwrap_or(secs)
            };
            state.refresh.every = Duration::seconds(next);
            if let Some(t) = state.refresh.next_at {
                state.refresh.next_at = Some(t.min(state.now + state.refresh.every));
            }
            notice(state, format!("Refresh every {next}s"));
            Vec::new()
        }
        KeyCode::Char('l') => {
            state.show_log = !state.show_log;
            Vec::new()
        }
        KeyCode::Char('J') if state.detail_open => {
            state.detail_scroll = state.detail_scroll.saturating_add(1);
            Vec::new()
        }
        KeyCode::Char('K') if state.detail_open => {
            state.detail_scroll = state.detail_scroll.saturating_sub(1);
            Vec::new()
        }
        KeyCode::Char('?') => {
            state.mode = Mode::Help;
            Vec::new()
        }
        KeyCode::Char('y') | KeyCode::Char('Y') => {
            let Some(job) = state.selected_row().map(|r| r.job.clone()) else {
                notice(state, "No job selected");
                return Vec::new();
            };
            let (text, what) = if key.code == KeyCode::Char('y') {
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
        KeyCode::Char('c') => {
            let t = &state.settings.target;
            let region = state.region.clone().or_else(|| t.region.clone());
            let cmd = crate::output::export::aws_cli_command(
                &state.filter,
                region.as_deref(),
                t.profile.as_deref(),
                t.endpoint_url.as_deref(),
            );
            notice(
                state,
                "Copied the AWS CLI command for these filters (OSC 52)",
            );
            vec![Effect::Copy(cmd)]
        }
        KeyCode::Char('e') => {
            let ext = "csv";
            let name = format!(
                "copyjobs-{}.{ext}",
                state
                    .now
                    .with_timezone(&state.settings.tz)
                    .format("%Y%m%d-%H%M%S")
            );
            state.mode = Mode::Export(Input::new(name));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Line editing shared by the search box and the filter fields.
fn edit(input: &mut Input, key: KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let req = match key.code {
        KeyCode::Char('u') if ctrl => Some(InputRequest::DeleteLine),
        KeyCode::Char('w') if ctrl => Some(InputRequest::DeletePrevWord),
        KeyCode::Char('a') if ctrl => Some(InputRequest::GoToStart),
        KeyCode::Char('e') if ctrl => Some(InputRequest::GoToEnd),
        KeyCode::Char(c) if !ctrl => Some(InputRequest::InsertChar(c)),
        KeyCode::Backspace => Some(InputRequest::DeletePrevChar),
        KeyCode::Delete => Some(InputRequest::DeleteNextChar),
        KeyCode::Left => Some(InputRequest::GoToPrevChar),
        KeyCode::Right => Some(InputRequest::GoToNextChar),
        KeyCode::Home => Some(InputRequest::GoToStart),
        KeyCode::End => Some(InputRequest::GoToEnd),
        _ => None,
    };
    req.is_some_and(|r| input.handle(r).is_some())
}

/// The export prompt: Enter writes the current view (filters and local
/// search applied, in display order), Esc cancels.
fn export_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Mode::Export(input) = &mut state.mode else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => state.mode = Mode::Table,
        KeyCode::Enter => {
            let path = std::path::PathBuf::from(input.value().trim());
            if path.as_os_str().is_empty() {
                return Vec::new();
            }
            state.mode = Mode::Table;
            let jobs = state
                .view
                .iter()
                .map(|&i| state.rows[i].job.clone())
                .collect();
            notice(state, format!("Exporting to {}…", path.display()));
            return vec![Effect::Export { path, jobs }];
        }
        _ => {
            edit(input, key);
        }
    }
    Vec::new()
}

fn search_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Mode::Search(input) = &mut state.mode else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Enter => {
            state.mode = Mode::Table;
            return maybe_next_page(state);
        }
        KeyCode::Esc => {
            state.mode = Mode::Table;
            let arn = state.selected_arn();
            state.search.clear();
            state.rebuild_view();
            if let Some(a) = arn {
                state.select_arn(&a);
            }
            return Vec::new();
        }
        _ => {
            if edit(input, key) {
                let text = input.value().to_string();
                let arn = state.selected_arn();
                state.search = text;
                state.rebuild_view();
                if !arn.is_some_and(|a| state.select_arn(&a)) {
                    state.selected = 0;
                    state.clamp_selection();
                }
            }
        }
    }
    Vec::new()
}

fn filter_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let (now, tz) = (state.now, state.settings.tz);
    let Mode::Filters(pane) = &mut state.mode else {
        return Vec::new();
    };
    let focus_step = |pane: &mut FilterPane, forward: bool| {
        let i = Field::ALL
            .iter()
            .position(|f| *f == pane.focus)
            .unwrap_or(0);
        let n = Field::ALL.len();
        pane.focus = Field::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
        pane.input = Input::new(pane.draft.text(pane.focus));
    };
    match key.code {
        KeyCode::Esc => {
            // The previous query stays exactly as it was.
            state.mode = Mode::Table;
        }
        KeyCode::Enter => match pane.draft.validate(now, &tz) {
            Ok(filter) => {
                state.mode = Mode::Table;
                return apply_filter(state, filter);
            }
            Err(_) => pane.tried = true,
        },
        KeyCode::Tab | KeyCode::Down => focus_step(pane, true),
        KeyCode::BackTab | KeyCode::Up => focus_step(pane, false),
        KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
            if matches!(pane.focus, Field::Status | Field::Sort) =>
        {
            pane.draft.cycle(pane.focus, key.code != KeyCode::Left);
            pane.input = Input::new(pane.draft.text(pane.focus));
        }
        _ => {
            if let Some(text) = pane.draft.text_mut(pane.focus)
                && edit(&mut pane.input, key)
            {
                *text = pane.input.value().to_string();
            }
        }
    }
    Vec::new()
}
