//! `update(state, msg) -> effects`: every behaviour of the dashboard, without
//! a terminal, a network or a clock.

use super::columns::{Chosen, ColumnPicker};
use super::failures::{FailuresPane, Step};
use super::line::edit;
use super::msg::{Effect, Msg};
use super::picker::{Picked, SourcePicker, effective};
use super::state::{
    FilterPane, HIGHLIGHT_FOR, LogEntry, Mode, NOTICE_FOR, Notice, REFRESH_STEPS, State,
};
use crate::config::keys::Action;
use crate::domain::filter_draft::FilterDraft;
use crate::domain::query::{Field, Filter};
use crate::watch::{Event, Outcome, Request, SourceId};
use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::Input;

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let effects = dispatch(state, msg);
    // Whatever moved the rows or the screen: the new rows still above it.
    super::follow::settle(state);
    effects
}

fn dispatch(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Start(now) => {
            state.now = now;
            let mut effects = start_query(state);
            effects.extend(super::pins::start(state));
            effects
        }
        Msg::Tick(now) => tick(state, now),
        Msg::Key(key) => key_pressed(state, key),
        Msg::Viewport(h) => {
            state.viewport = h.max(1);
            state.clamp_selection();
            maybe_next_page(state)
        }
        Msg::ClickRow(i) => {
            if i < state.view.len() && matches!(state.mode, Mode::Table) {
                move_selection(state, i)
            } else {
                Vec::new()
            }
        }
        Msg::Scroll(n) => {
            if !matches!(state.mode, Mode::Table) {
                return Vec::new();
            }
            let last = state.view.len().saturating_sub(1);
            let to = if n >= 0 {
                (state.selected + n as usize).min(last)
            } else {
                state.selected.saturating_sub(n.unsigned_abs() as usize)
            };
            move_selection(state, to)
        }
        Msg::SortBy(column) => {
            if matches!(state.mode, Mode::Table) {
                let desc = matches!(state.column_sort, Some((c, d)) if c == column && !d);
                sort_by(state, Some((column, desc)));
            }
            Vec::new()
        }
        Msg::Loaded {
            source,
            generation,
            result,
            at,
        } => loaded(state, source, generation, result, at),
        Msg::ExportExists { path, jobs } => {
            state.mode = Mode::ConfirmOverwrite { path, jobs };
            state.notice = None;
            Vec::new()
        }
        Msg::Exported(result) => {
            match result {
                Ok((path, n)) => notice(state, format!("Wrote {n} jobs to {}", path.display())),
                Err(e) => error_notice(state, format!("Export failed: {e}")),
            }
            Vec::new()
        }
        Msg::KnownProfiles(names) => {
            if let Mode::Sources(p) = &mut state.mode {
                p.add_known_profiles(names);
            }
            Vec::new()
        }
        Msg::ViewsNotSaved(e) => {
            error_notice(state, format!("Could not save the views: {e}"));
            Vec::new()
        }
        Msg::Created {
            source,
            origin,
            region,
            result,
        } => {
            let what = if origin.is_some() { "Retry" } else { "Copy" };
            match result {
                // Pinned already: made by this session's identical request.
                Ok(job) if state.engine.is_pinned(&job.job_arn) => {
                    created_again(state, what, source, &region, job);
                }
                Ok(job) => {
                    let arn = job.job_arn.clone();
                    let why = match &origin {
                        Some(o) => format!("retry of …/{}", o.rsplit('/').next().unwrap_or("")),
                        None => format!("copy into {region}"),
                    };
                    state.events.push(LogEntry {
                        at: state.now,
                        job_arn: arn.clone(),
                        name: format!("{} ({why})", job.display_name()),
                        from: origin.as_ref().map(|_| crate::domain::job::Status::Failed),
                        to: job.status.clone(),
                    });
                    match source {
                        Some(id) => {
                            state.engine.pin_new(id, job);
                            state.rebuild_view();
                            state.select_arn(&arn);
                            notice(state, format!("{what} sent: {arn} (pinned, watched)"));
                        }
                        None => notice(
                            state,
                            format!("{what} sent: {arn} ({region} is not shown: S adds it)"),
                        ),
                    }
                }
                Err(e) => error_notice(state, format!("{what} refused in {region}: {e}")),
            }
            Vec::new()
        }
        Msg::CreatedAgain {
            source,
            origin,
            region,
            job,
        } => {
            let what = if origin.is_some() { "Retry" } else { "Copy" };
            created_again(state, what, source, &region, job);
            Vec::new()
        }
        Msg::FailuresProgress { generation, read } => {
            if let Mode::Failures(p) = &mut state.mode
                && p.generation == generation
            {
                p.read = read;
            }
            Vec::new()
        }
        Msg::FailuresRefused {
            generation,
            refused,
        } => {
            if let Mode::Failures(p) = &mut state.mode
                && p.generation == generation
            {
                p.refused = refused;
            }
            Vec::new()
        }
        Msg::FailuresRead { generation, result } => {
            if let Mode::Failures(p) = &mut state.mode
                && p.generation == generation
            {
                match result {
                    Ok(jobs) => p.loaded(&jobs),
                    Err(e) => p.error = Some(e),
                }
            }
            Vec::new()
        }
        Msg::HookFailed(e) => {
            error_notice(state, format!("Notification hook: {e}"));
            Vec::new()
        }
        Msg::Connected { source, region } => {
            state.engine.set_region(source, region);
            super::pins::ask(state)
        }
        Msg::PinsRestored {
            source,
            jobs,
            missing,
        } => {
            super::pins::restored(state, source, jobs, missing);
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

/// The engine's requests as effects, each with its source's spec for the
/// runner's client.
fn watch(state: &State, requests: Vec<Request>) -> Vec<Effect> {
    requests
        .into_iter()
        .filter_map(|request| {
            let spec = state.engine.source(request.source)?.spec.clone();
            Some(Effect::Watch { spec, request })
        })
        .collect()
}

/// A new query: every source starts over, the table empties.
fn start_query(state: &mut State) -> Vec<Effect> {
    let requests = state.engine.start(state.now);
    state.selected = 0;
    state.offset = 0;
    state.highlight.clear();
    super::follow::forget(state);
    state.rebuild_view();
    watch(state, requests)
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
    let requests = state.engine.tick(now);
    if !requests.is_empty() {
        state.arrivals.round += 1;
    }
    watch(state, requests)
}

fn loaded(
    state: &mut State,
    source: SourceId,
    generation: u64,
    result: Result<Outcome, crate::aws::FetchError>,
    at: DateTime<Utc>,
) -> Vec<Effect> {
    state.now = state.now.max(at);
    let arn = state.selected_arn();
    let selected_pos = state.selected;
    let followed = super::follow::at_head(state);
    let failing = |state: &State| {
        state
            .engine
            .source(source)
            .map(|s| s.error.as_ref().map(|e| e.error.to_string()))
    };
    let was_failing = failing(state);
    let applied = state.engine.apply(source, generation, result, at);
    let now_failing = failing(state);
    let failing_changed =
        now_failing.as_ref().map(Option::is_some) != was_failing.as_ref().map(Option::is_some);
    if now_failing != was_failing
        && let Some(s) = state.engine.source(source)
    {
        // The whole message, readable in the log (the status bar cuts it).
        let line = super::log::LogLine::source(
            at,
            s.label(),
            s.region.clone().unwrap_or_default(),
            now_failing.flatten(),
        );
        state.events.push(line);
    }
    // A source that starts or stops failing changes what the others may
    // show (a failing one holds nothing back), rows or not.
    if applied.rows_changed || !applied.events.is_empty() || failing_changed {
        state.rebuild_view();
        if !followed && !arn.is_some_and(|a| state.select_arn(&a)) {
            state.selected = selected_pos;
            state.clamp_selection();
        }
        super::follow::rows_arrived(state, &applied.events, followed);
    }
    super::follow::summarize(state, &applied.events, at);
    let mut effects = watch(state, applied.requests);
    for ev in applied.events {
        effects.extend(announce(state, ev, at));
    }
    effects.extend(maybe_next_page(state));
    effects
}

/// A job seen changing: highlighted, logged, and announced as the user
/// asked. With any job pinned, only pinned jobs are announced.
fn announce(state: &mut State, ev: Event, at: DateTime<Utc>) -> Option<Effect> {
    state
        .highlight
        .insert(ev.job.job_arn.clone(), at + HIGHLIGHT_FOR);
    state
        .events
        .push(super::log::LogLine::job(at, &ev.job, ev.from.clone()));
    let how = &state.settings.notify;
    let wanted = how.any() && (ev.pinned || state.engine.pinned().is_empty());
    wanted.then(|| Effect::Notify {
        event: ev,
        how: how.clone(),
    })
}

/// Asks for the next page when the selection is within a screen of the end.
/// Not while a local search narrows the view: that would page through
/// everything looking for matches; End still asks explicitly.
fn maybe_next_page(state: &mut State) -> Vec<Effect> {
    let near_end = state.search.is_empty() && state.selected + state.viewport >= state.view.len();
    if near_end && state.engine.can_page() {
        let requests = state.engine.more(state.now);
        watch(state, requests)
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

fn error_notice(state: &mut State, text: impl Into<String>) {
    state.notice = Some(Notice {
        text: text.into(),
        is_error: true,
        until: Some(state.now + NOTICE_FOR),
    });
}

/// Applies a new filter: a new query, unless nothing changed.
fn apply_filter(state: &mut State, filter: Filter) -> Vec<Effect> {
    if filter == *state.filter() {
        return Vec::new();
    }
    let requests = state.engine.set_filter(filter, state.now);
    state.selected = 0;
    state.offset = 0;
    state.highlight.clear();
    super::follow::forget(state);
    state.rebuild_view();
    watch(state, requests)
}

/// `r`: every source re-reads what it has loaded.
fn reread(state: &mut State) -> Vec<Effect> {
    state.arrivals.round += 1;
    let requests = state.engine.reread_all(state.now);
    watch(state, requests)
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
        Mode::Help(scroll) => {
            // No further than the overlay has lines.
            let most = (crate::config::keys::Action::ALL.len() + 2) as u16;
            match key.code {
                KeyCode::End | KeyCode::Char('G') => *scroll = most,
                KeyCode::Home | KeyCode::Char('g') => *scroll = 0,
                KeyCode::Down | KeyCode::Char('j') | KeyCode::PageDown => {
                    let step = if key.code == KeyCode::PageDown { 10 } else { 1 };
                    *scroll = scroll.saturating_add(step).min(most);
                }
                KeyCode::Up | KeyCode::Char('k') | KeyCode::PageUp => {
                    *scroll =
                        scroll.saturating_sub(if key.code == KeyCode::PageUp { 10 } else { 1 });
                }
                _ => state.mode = Mode::Table,
            }
            Vec::new()
        }
        Mode::Search(_) => search_key(state, key),
        Mode::Export(_) => export_key(state, key),
        Mode::Command(_) => command_key(state, key),
        Mode::ConfirmOverwrite { .. } => {
            let Mode::ConfirmOverwrite { path, jobs } =
                std::mem::replace(&mut state.mode, Mode::Table)
            else {
                return Vec::new();
            };
            if key.code == KeyCode::Char('y') {
                notice(state, format!("Exporting to {}…", path.display()));
                vec![Effect::Export {
                    path,
                    jobs,
                    overwrite: true,
                }]
            } else {
                notice(
                    state,
                    format!("Not exported: {} kept as it was", path.display()),
                );
                Vec::new()
            }
        }
        Mode::Filters(_) => filter_key(state, key),
        Mode::Sources(_) => sources_key(state, key),
        Mode::Failures(_) => failures_key(state, key),
        Mode::Columns(_) => columns_key(state, key),
        Mode::Confirm(_) => confirm_key(state, key),
        Mode::CopyTo(_) => copy_key(state, key),
        Mode::Log => log_key(state, key),
        Mode::Table => table_key(state, key),
    }
}

fn move_selection(state: &mut State, to: usize) -> Vec<Effect> {
    if to != state.selected {
        state.detail_scroll = 0;
    }
    state.selected = to;
    state.clamp_selection();
    asked_next_page(state)
}

/// A person moved near the end: the next page is asked for at once, even
/// of a source waiting out a failure (asking beats the backoff).
fn asked_next_page(state: &mut State) -> Vec<Effect> {
    let near_end = state.search.is_empty() && state.selected + state.viewport >= state.view.len();
    if near_end && state.engine.can_ask() {
        let requests = state.engine.ask_more(state.now);
        watch(state, requests)
    } else {
        Vec::new()
    }
}

fn open_filters(state: &mut State, focus: Field) {
    let draft = FilterDraft::from_filter(state.filter(), &state.settings.tz);
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
    // Tab moves to the event log when it is open.
    if key.code == KeyCode::Tab && state.show_log {
        state.mode = Mode::Log;
        return Vec::new();
    }
    // Esc is not rebindable: it always backs out.
    if key.code == KeyCode::Esc {
        if state.detail_open {
            state.detail_open = false;
        } else if !state.search.is_empty() {
            clear_search(state);
        }
        return Vec::new();
    }
    let Some(action) = state.settings.keys.action(&key) else {
        return Vec::new();
    };
    // A message belongs to the action that made it: the next one replaces
    // or clears it.
    state.notice = None;
    match action {
        Action::Quit => {
            state.quit = true;
            Vec::new()
        }
        Action::Down => move_selection(state, (state.selected + 1).min(last)),
        Action::Up => move_selection(state, state.selected.saturating_sub(1)),
        Action::PageDown => move_selection(state, (state.selected + page).min(last)),
        Action::PageUp => move_selection(state, state.selected.saturating_sub(page)),
        Action::First => move_selection(state, 0),
        Action::Last => {
            let mut effects = move_selection(state, last);
            if effects.is_empty() && state.engine.can_ask() {
                let requests = state.engine.ask_more(state.now);
                effects = watch(state, requests);
            }
            effects
        }
        Action::Detail => {
            state.detail_open = !state.detail_open;
            Vec::new()
        }
        Action::Filters => {
            open_filters(state, Field::Status);
            Vec::new()
        }
        Action::TimeFilter => {
            open_filters(state, Field::CreatedAfter);
            Vec::new()
        }
        Action::NameFilter => {
            open_filters(state, Field::Name);
            Vec::new()
        }
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
        Action::Search => {
            state.mode = Mode::Search(Input::new(state.search.clone()));
            Vec::new()
        }
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
                watch(state, requests)
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
            notice(state, format!("Refresh every {next}s"));
            Vec::new()
        }
        Action::Log => {
            // Open, or focus when open: `l` in the log closes it.
            state.show_log = true;
            state.mode = Mode::Log;
            Vec::new()
        }
        Action::Pin => {
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
        Action::Retry => retry_selected(state),
        Action::CopyTo => copy_selected(state),
        Action::Columns => {
            let picker = ColumnPicker::open(&state.settings.columns);
            state.mode = Mode::Columns(Box::new(picker));
            Vec::new()
        }
        Action::Failures => {
            state.failures_read += 1;
            let generation = state.failures_read;
            state.mode = Mode::Failures(Box::new(FailuresPane::new(generation)));
            let filter = Filter {
                status: Some(crate::domain::job::Status::Failed),
                ..state.filter().clone()
            };
            let specs = state.engine.sources().iter().map(effective).collect();
            vec![Effect::ReadFailures {
                generation,
                filter,
                specs,
            }]
        }
        Action::Sources => {
            let picker = SourcePicker::open(state.engine.sources());
            state.mode = Mode::Sources(Box::new(picker));
            vec![Effect::LoadProfiles]
        }
        Action::Command => {
            state.mode = Mode::Command(Input::default());
            Vec::new()
        }
        Action::Help => {
            state.mode = Mode::Help(0);
            Vec::new()
        }
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
            let t = &state.settings.target;
            // The selected job's source, or the first: one command is one
            // region and one profile.
            let source = state
                .selected_row()
                .and_then(|r| state.engine.source(r.source))
                .or_else(|| state.engine.sources().first());
            let region = source.and_then(|s| s.region.clone());
            let profile = source.and_then(|s| s.spec.profile.clone());
            let cmd = crate::output::export::aws_cli_command(
                state.filter(),
                region.as_deref(),
                profile.as_deref(),
                t.endpoint_url.as_deref(),
            );
            notice(
                state,
                "Copied the AWS CLI command for these filters (OSC 52)",
            );
            vec![Effect::Copy(cmd)]
        }
        Action::Export => {
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
    }
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
                .filter_map(|&slot| state.row(slot).map(|r| r.job.clone()))
                .collect();
            notice(state, format!("Exporting to {}…", path.display()));
            return vec![Effect::Export {
                path,
                jobs,
                overwrite: false,
            }];
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
            clear_search(state);
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
                state.typed_times = (
                    pane.draft.created_after.trim().to_string(),
                    pane.draft.created_before.trim().to_string(),
                );
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

fn sources_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Mode::Sources(picker) = &mut state.mode else {
        return Vec::new();
    };
    match picker.key(key, &state.settings.keys) {
        Picked::Stay => Vec::new(),
        Picked::Cancel => {
            state.mode = Mode::Table;
            Vec::new()
        }
        Picked::Apply(specs) => {
            state.mode = Mode::Table;
            apply_sources(state, &specs)
        }
    }
}

/// Makes the sources `specs`: the ones that stay keep their rows and
/// schedule, the others are dropped (their requests aborted), the new ones
/// start reading.
fn apply_sources(state: &mut State, specs: &[crate::watch::SourceSpec]) -> Vec<Effect> {
    let arn = state.selected_arn();
    let gone: Vec<SourceId> = state
        .engine
        .sources()
        .iter()
        .filter(|s| !specs.contains(&effective(s)))
        .map(|s| s.id)
        .collect();
    let mut effects = Vec::new();
    for id in &gone {
        state.engine.remove_source(*id);
        effects.push(Effect::Forget(*id));
    }
    let mut added = 0;
    for spec in specs {
        if !state.engine.sources().iter().any(|s| effective(s) == *spec) {
            let requests = state.engine.add_source(spec.clone(), state.now);
            effects.extend(watch(state, requests));
            added += 1;
        }
    }
    state.settings.sources = state
        .engine
        .sources()
        .iter()
        .map(|s| s.spec.clone())
        .collect();
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

/// Drops the local search, keeping the selected job selected.
fn clear_search(state: &mut State) {
    let arn = state.selected_arn();
    state.search.clear();
    state.rebuild_view();
    if let Some(a) = arn {
        state.select_arn(&a);
    }
}

/// The `:` prompt: Enter runs the command, Esc cancels.
fn command_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Mode::Command(input) = &mut state.mode else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => state.mode = Mode::Table,
        KeyCode::Enter => {
            let line = input.value().trim().to_string();
            state.mode = Mode::Table;
            return run_command(state, &line);
        }
        _ => {
            edit(input, key);
        }
    }
    Vec::new()
}

/// `view NAME` opens a saved view, `save NAME` saves this one, `delete NAME`
/// forgets one; a bad command changes nothing and says what works.
fn run_command(state: &mut State, line: &str) -> Vec<Effect> {
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
            let view = crate::config::views::View {
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
fn open_view(state: &mut State, name: &str, view: &crate::config::views::View) -> Vec<Effect> {
    let text = view.filter_text();
    let tz = state.settings.tz;
    let read = text.resolve(state.now, &tz).map_err(|problems| {
        problems
            .iter()
            .map(|p| p.describe(&text, &tz, crate::config::views::View::field_name))
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

fn save_views(state: &State) -> Vec<Effect> {
    match &state.settings.views_path {
        Some(path) => vec![Effect::SaveViews {
            path: path.clone(),
            views: state.settings.views.clone(),
        }],
        None => Vec::new(),
    }
}

/// Sorts the loaded rows by a column (None: the service's order again) and
/// shows the top of them: a new order is read from its start, and the old
/// selection's place in it means nothing.
fn sort_by(state: &mut State, sort: Option<(crate::domain::column::Column, bool)>) {
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

fn failures_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Mode::Failures(pane) = &mut state.mode else {
        return Vec::new();
    };
    match pane.key(key) {
        Step::Stay => Vec::new(),
        Step::Close => {
            state.mode = Mode::Table;
            Vec::new()
        }
        Step::Copy(arn) => {
            notice(state, "Copied the job ARN to the clipboard (OSC 52)");
            vec![Effect::Copy(arn)]
        }
        Step::Show(arn) => {
            state.mode = Mode::Table;
            if !state.search.is_empty() {
                clear_search(state);
            }
            if state.select_arn(&arn) {
                state.detail_open = true;
                state.detail_scroll = 0;
            } else {
                notice(
                    state,
                    "That job is not among the loaded rows (End loads more; y in F copies its ARN)",
                );
            }
            Vec::new()
        }
    }
}

/// The focused event log: its keys move in it; Enter shows the entry's job
/// in the table.
fn log_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    use super::log::LogStep;
    match state.log.key(key, &state.settings.keys, &state.events) {
        LogStep::Stay => {}
        LogStep::Table => state.mode = Mode::Table,
        LogStep::Close => {
            state.mode = Mode::Table;
            state.show_log = false;
        }
        LogStep::Quit => state.quit = true,
        LogStep::Show(arn) => {
            state.mode = Mode::Table;
            return show_job(state, &arn);
        }
    }
    Vec::new()
}

/// Selects `arn` in the table (the local search dropped if it hides it),
/// or says it is not loaded.
fn show_job(state: &mut State, arn: &str) -> Vec<Effect> {
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

fn columns_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Mode::Columns(picker) = &mut state.mode else {
        return Vec::new();
    };
    match picker.key(key) {
        Chosen::Stay => {}
        Chosen::Cancel => state.mode = Mode::Table,
        Chosen::Apply(columns) => {
            state.mode = Mode::Table;
            // A column sort by a column no longer shown would be invisible.
            if state
                .column_sort
                .is_some_and(|(c, _)| !columns.contains(&c))
            {
                sort_by(state, None);
            }
            state.settings.columns = columns;
            notice(
                state,
                "Columns changed (kept for these sources; the config file sets the default)",
            );
        }
    }
    Vec::new()
}

/// `R`: the selected failed job's request again, shown before it is sent.
fn retry_selected(state: &mut State) -> Vec<Effect> {
    if refused_read_only(state) {
        return Vec::new();
    }
    let Some(row) = state.selected_row().cloned() else {
        notice(state, "No job selected");
        return Vec::new();
    };
    let job = &row.job;
    if job.status != crate::domain::job::Status::Failed {
        notice(state, "Only a failed copy can be retried");
        return Vec::new();
    }
    let request = crate::domain::copy::CopyRequest::retry_of(job);
    let mut pane = super::confirm::ConfirmPane::new(request, row.source, job.job_arn.clone());
    pane.failure = job.failure_message.clone();
    state.mode = Mode::Confirm(Box::new(pane));
    Vec::new()
}

fn confirm_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Mode::Confirm(pane) = &mut state.mode else {
        return Vec::new();
    };
    match pane.key(key) {
        super::confirm::Answer::Stay => Vec::new(),
        super::confirm::Answer::Cancel => {
            state.mode = Mode::Table;
            notice(state, "Nothing sent");
            Vec::new()
        }
        super::confirm::Answer::Send(request) => {
            let (source, origin) = (pane.source, pane.origin.clone());
            state.mode = Mode::Table;
            notice(state, format!("Sending the retry to {}…", request.region));
            vec![Effect::Create {
                request,
                source: Some(source),
                origin: Some(origin),
            }]
        }
    }
}

/// `C`: the copy pane for the selected job's model.
fn copy_selected(state: &mut State) -> Vec<Effect> {
    if refused_read_only(state) {
        return Vec::new();
    }
    let Some(job) = state.selected_row().map(|r| r.job.clone()) else {
        notice(state, "No job selected");
        return Vec::new();
    };
    let pane = super::copy_pane::CopyPane::open(&job, state.engine.rows().iter().map(|r| &r.job));
    state.mode = Mode::CopyTo(Box::new(pane));
    Vec::new()
}

fn copy_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Mode::CopyTo(pane) = &mut state.mode else {
        return Vec::new();
    };
    match pane.key(key, &state.settings.keys) {
        super::copy_pane::Chosen::Stay => Vec::new(),
        super::copy_pane::Chosen::Cancel => {
            state.mode = Mode::Table;
            notice(state, "Nothing sent");
            Vec::new()
        }
        super::copy_pane::Chosen::Send(requests) => {
            state.mode = Mode::Table;
            notice(state, format!("Sending {} copies…", requests.len()));
            requests
                .into_iter()
                .map(|request| {
                    // Pinned under a source of that region, if one is shown.
                    let source = state
                        .engine
                        .sources()
                        .iter()
                        .find(|s| s.region.as_deref() == Some(request.region.as_str()))
                        .map(|s| s.id);
                    Effect::Create {
                        request,
                        source,
                        origin: None,
                    }
                })
                .collect()
        }
    }
}

/// A create answered with the job an identical request made: shown and
/// pinned as before, but not logged as a new job, and said so.
fn created_again(
    state: &mut State,
    what: &str,
    source: Option<crate::watch::SourceId>,
    region: &str,
    job: crate::domain::job::CopyJob,
) {
    let arn = job.job_arn.clone();
    let shown = match source {
        Some(id) => {
            state.engine.pin_new(id, job);
            state.rebuild_view();
            state.select_arn(&arn);
            "pinned, watched".to_string()
        }
        None => format!("{region} is not shown: S adds it"),
    };
    notice(
        state,
        format!("{what}: already created by an identical request: {arn} ({shown})"),
    );
}

/// Under --read-only, says so and refuses: what R and C would send changes
/// something.
fn refused_read_only(state: &mut State) -> bool {
    if state.settings.read_only {
        notice(
            state,
            "Read-only session: nothing that changes anything is sent (--read-only)",
        );
    }
    state.settings.read_only
}
