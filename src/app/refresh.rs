//! The service's answers and the clock: pages and refreshes merged into the
//! table (the selection kept on its job, or following the head), changes
//! highlighted, logged and announced; the rows that arrived above the
//! screen counted; last session's pins read back; creates reported.

use super::follow::Summary;
use super::log::{LogEntry, LogLine};
use super::msg::{Effect, Msg};
use super::pins::Missing;
use super::state::{HIGHLIGHT_FOR, NOTICE_FOR, Notice, Slot, State};
use super::table::{error_notice, fetch, maybe_next_page, notice};
use crate::domain::job::{CopyJob, Status};
use crate::watch::{Event, Outcome, SourceId};
use chrono::{DateTime, Utc};
use std::collections::HashSet;

pub fn tick(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    state.now = now;
    let highlighted = state.highlight.len();
    state.highlight.retain(|_, until| *until > now);
    if state
        .notice
        .as_ref()
        .and_then(|n| n.until)
        .is_some_and(|u| u <= now)
    {
        state.notice = None;
        state.revision += 1;
    }
    if state.highlight.len() != highlighted {
        state.revision += 1;
    }
    let requests = state.engine.tick(now);
    if !requests.is_empty() {
        state.arrivals.round += 1;
    }
    fetch(state, requests)
}

pub fn loaded(
    state: &mut State,
    source: SourceId,
    generation: u64,
    result: Result<Outcome, crate::aws::FetchError>,
    at: DateTime<Utc>,
) -> Vec<Effect> {
    state.now = state.now.max(at);
    let arn = state.selected_arn();
    let selected_pos = state.selected;
    let followed = at_head(state);
    let failing = |state: &State| {
        state
            .engine
            .source(source)
            .map(|s| s.error.as_ref().map(|e| e.error.to_string()))
    };
    let was_failing = failing(state);
    let was_shared = shared_credentials(state, source);
    let applied = state.engine.apply(source, generation, result, at);
    let mut history = Vec::new();
    if state.history.on {
        if let Some(o) = crate::history::Observed::of(&state.engine, source, &applied) {
            history.push(Effect::Record(Box::new(o)));
        }
        let finished = applied
            .events
            .iter()
            .any(|e| e.from.is_some() && e.job.status.is_final());
        if finished
            && state
                .history
                .asked
                .is_none_or(|t| at - t >= chrono::Duration::minutes(1))
        {
            state.history.asked = Some(at);
            history.push(Effect::ReadDurations);
        }
    }
    let now_failing = failing(state);
    // Nothing a frame shows changed (the loop compares the refresh label and
    // the clock itself): no rows, no news, no failure, no pane to tell.
    let quiet = was_failing.as_ref().is_none_or(Option::is_none)
        && now_failing.as_ref().is_none_or(Option::is_none)
        && !applied.rows_changed
        && applied.events.is_empty()
        && !applied.unkept.any()
        && state.panes.is_empty();
    if !quiet {
        state.revision += 1;
    }
    let failing_changed =
        now_failing.as_ref().map(Option::is_some) != was_failing.as_ref().map(Option::is_some);
    let now_shared = shared_credentials(state, source);
    if now_failing != was_failing
        && let Some(s) = state.engine.source(source)
    {
        // Credentials every source of a profile shares (an Identity Center
        // session, a profile's keys) are told once for them all: when the
        // first of them fails, and when the last is back.
        let shared = now_shared
            .or(was_shared)
            .filter(|_| state.engine.sources().len() > 1);
        let others = |state: &State| {
            shared.is_some()
                && state
                    .engine
                    .sources()
                    .iter()
                    .any(|o| o.id != source && shared_credentials(state, o.id) == shared)
        };
        if !others(state) {
            let (label, region, account) = match &shared {
                Some(p) => (credentials_of(p.as_deref()), String::new(), None),
                None => (
                    s.label(),
                    s.region.clone().unwrap_or_default(),
                    s.spec.account_label(),
                ),
            };
            // The whole message, readable in the log (the status bar cuts it).
            let line = super::log::LogLine {
                account,
                ..super::log::LogLine::source(at, label, region, now_failing.flatten())
            };
            state.events.push(line);
        }
    }
    if applied.unkept.any()
        && let Some(s) = state.engine.source(source)
    {
        let sentence = applied.unkept.sentence();
        let line = LogLine {
            account: s.spec.account_label(),
            ..LogLine::unkept(
                at,
                s.label(),
                s.region.clone().unwrap_or_default(),
                sentence.clone(),
            )
        };
        state.events.push(line);
        super::table::notice(state, format!("{}: {sentence}", s.label()));
    }
    // A source that starts or stops failing changes what the others may
    // show (a failing one holds nothing back), rows or not.
    if applied.rows_changed || !applied.events.is_empty() || failing_changed {
        state.rebuild_view();
        if !followed && !arn.is_some_and(|a| state.select_arn(&a)) {
            state.selected = selected_pos;
            state.clamp_selection();
        }
        rows_arrived(state, &applied.events, followed);
    }
    summarize(state, &applied.events, at);
    // Asked only with something to observe: it compares every source's
    // spec, 300 of them in an organisation, on each answer.
    if !applied.events.is_empty()
        && state.overview_current()
        && let Some(o) = state.overview.as_mut()
    {
        o.observe(applied.events.iter().map(|e| &e.job));
    }
    let mut effects = fetch(state, applied.requests);
    for ev in applied.events {
        effects.extend(announce(state, ev, at));
    }
    effects.extend(maybe_next_page(state));
    effects.extend(history);
    effects
}

/// The profile (None: the default chain) whose credentials `source` fails
/// for lack of: they ran out or there are none. None when it answers, or
/// fails otherwise (a role refused it is its account's alone).
fn shared_credentials(state: &State, source: SourceId) -> Option<Option<String>> {
    let s = state.engine.source(source)?;
    let e = &s.error.as_ref()?.error;
    (e.kind == crate::aws::ErrorKind::Credentials && !crate::aws::error::is_role_refused(e))
        .then(|| s.spec.profile.clone())
}

/// How the log names credentials shared by several sources.
fn credentials_of(profile: Option<&str>) -> String {
    match profile {
        Some(p) => format!("profile {p}"),
        None => "default credentials".to_string(),
    }
}

/// A job seen changing: highlighted, logged, and announced as the user
/// asked. With any job pinned, only pinned jobs are announced.
pub fn announce(state: &mut State, ev: Event, at: DateTime<Utc>) -> Option<Effect> {
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

/// A create answered with the job an identical request made: shown and
/// pinned as before, but not logged as a new job, and said so.
pub fn created_again(
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

/// The view index of the first row that is not pinned: "the top".
pub fn top(state: &State) -> usize {
    state
        .view
        .iter()
        .take_while(|s| matches!(s, Slot::Pinned(_)))
        .count()
}

/// Whether the table follows the head: the selection is on the top row and
/// the detail pane is not open on it (someone reading a job keeps it).
pub fn at_head(state: &State) -> bool {
    state.selected == top(state) && !state.detail_open
}

/// After the rows changed: the selection back on top when it followed the
/// head, and the rows that arrived above the screen counted.
pub fn rows_arrived(state: &mut State, events: &[Event], followed: bool) {
    if followed {
        state.selected = top(state);
        state.offset = 0;
        state.clamp_selection();
        return;
    }
    let fresh: HashSet<&str> = events
        .iter()
        .filter(|e| e.from.is_none())
        .map(|e| e.job.job_arn.as_str())
        .collect();
    if fresh.is_empty() {
        return;
    }
    let mut found = 0;
    for &slot in &state.view[..state.offset.min(state.view.len())] {
        if found == fresh.len() {
            break;
        }
        if let Some(r) = state.row(slot)
            && fresh.contains(r.job.job_arn.as_str())
        {
            state.arrivals.unseen.insert(r.job.job_arn.clone());
            found += 1;
        }
    }
}

/// Forgets the new rows that came on screen (or left the table) and counts
/// the rest: after every message, and only while there are any.
pub fn settle(state: &mut State) {
    if state.arrivals.unseen.is_empty() {
        state.arrivals.above = 0;
        return;
    }
    let mut still = HashSet::with_capacity(state.arrivals.unseen.len());
    for &slot in &state.view[..state.offset.min(state.view.len())] {
        if still.len() == state.arrivals.unseen.len() {
            break;
        }
        if let Some(r) = state.row(slot)
            && state.arrivals.unseen.contains(&r.job.job_arn)
        {
            still.insert(r.job.job_arn.clone());
        }
    }
    state.arrivals.above = still.len();
    state.arrivals.unseen = still;
}

/// Forgets every new row: a new query starts over.
pub fn forget_arrivals(state: &mut State) {
    state.arrivals.unseen.clear();
    state.arrivals.above = 0;
}

/// Adds one source's changes to this refresh's summary and says it in the
/// status bar until the next refresh (or the next action).
pub fn summarize(state: &mut State, events: &[Event], at: DateTime<Utc>) {
    if events.is_empty() {
        return;
    }
    let round = state.arrivals.round;
    let s = &mut state.arrivals.summary;
    if s.round != round {
        *s = Summary {
            round,
            ..Summary::default()
        };
    }
    for e in events {
        match (&e.from, &e.job.status) {
            (None, _) => s.new += 1,
            (Some(_), Status::Completed) => s.finished += 1,
            (Some(_), Status::Failed) => s.failed += 1,
            (Some(_), _) => s.other += 1,
        }
    }
    let text = s.text();
    state.notice = Some(Notice {
        text,
        is_error: false,
        until: Some(at + state.engine.every),
    });
}

/// At start: last session's pins, asked for where their region is known.
pub fn start_pins(state: &mut State) -> Vec<Effect> {
    state.pins.waiting = state.settings.pinned.clone();
    ask_pins(state)
}

/// Asks each source for the waiting pins of its region (after start, and
/// when a source's region becomes known).
pub fn ask_pins(state: &mut State) -> Vec<Effect> {
    let mut effects = Vec::new();
    for s in state.engine.sources() {
        let spec = s.effective_spec();
        let Some(region) = spec.region.as_deref() else {
            continue;
        };
        let (mine, rest): (Vec<String>, Vec<String>) = std::mem::take(&mut state.pins.waiting)
            .into_iter()
            .partition(|arn| arn.split(':').nth(3) == Some(region));
        state.pins.waiting = rest;
        if !mine.is_empty() {
            state.pins.asked.extend(mine.iter().cloned());
            effects.push(Effect::RestorePins {
                spec: s.spec.clone(),
                source: s.id,
                arns: mine,
            });
        }
    }
    effects
}

/// The answer: the jobs pinned again (in their old order, on top), the ones
/// gone dropped and said, the ones that could not be read kept for later.
pub fn restored_pins(
    state: &mut State,
    source: SourceId,
    jobs: Vec<CopyJob>,
    missing: Vec<Missing>,
) {
    let answered: Vec<&str> = jobs
        .iter()
        .map(|j| j.job_arn.as_str())
        .chain(missing.iter().filter(|m| m.gone).map(|m| m.arn.as_str()))
        .collect();
    let order = state.settings.pinned.clone();
    state.pins.asked.retain(|a| !answered.contains(&a.as_str()));
    let arn = state.selected_arn();
    // pin_new puts a job on top: the last of the old order first.
    let mut jobs = jobs;
    jobs.sort_by_key(|j| std::cmp::Reverse(order.iter().position(|a| *a == j.job_arn)));
    for job in jobs {
        state.engine.pin_new(source, job);
    }
    state.rebuild_view();
    if let Some(a) = arn {
        state.select_arn(&a);
    }
    if let Some(m) = missing.first() {
        let gone = missing.iter().filter(|m| m.gone).count();
        let text = if gone == missing.len() {
            match gone {
                1 => "A pinned job no longer exists: unpinned".to_string(),
                n => format!("{n} pinned jobs no longer exist: unpinned"),
            }
        } else {
            format!(
                "A pinned job could not be read back ({}); kept pinned for the next start",
                m.error
            )
        };
        state.notice = Some(Notice {
            text,
            is_error: true,
            until: Some(state.now + NOTICE_FOR),
        });
    }
}

/// The message the runner sends back for `source`.
pub fn pins_answer(
    source: SourceId,
    results: Vec<(String, Result<CopyJob, crate::aws::FetchError>)>,
) -> Msg {
    let mut jobs = Vec::new();
    let mut missing = Vec::new();
    for (arn, r) in results {
        match r {
            Ok(job) => jobs.push(job),
            Err(e) => missing.push(Missing {
                arn,
                gone: e.kind == crate::aws::ErrorKind::NotFound,
                error: e.to_string(),
            }),
        }
    }
    Msg::PinsRestored {
        source,
        jobs,
        missing,
    }
}

/// A create answered: the new job logged, pinned under its region's source
/// (when one is shown) and selected; a refusal said with the service's words.
pub fn created(
    state: &mut State,
    source: Option<SourceId>,
    origin: Option<String>,
    region: &str,
    result: Result<CopyJob, String>,
) {
    let what = if origin.is_some() { "Retry" } else { "Copy" };
    match result {
        // Pinned already: made by this session's identical request.
        Ok(job) if state.engine.is_pinned(&job.job_arn) => {
            created_again(state, what, source, region, job);
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
                from: origin.as_ref().map(|_| Status::Failed),
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
}

/// At start (after the first frame: effects run beside the loop): the
/// history's durations, when it is kept.
pub fn start_history(state: &mut State) -> Vec<Effect> {
    if !state.history.on {
        return Vec::new();
    }
    state.engine.report_seen = true;
    state.history.asked = Some(state.now);
    vec![Effect::ReadDurations]
}

/// The history cannot be read or written (a full disk, a locked or damaged
/// file, a read-only state directory): one line in the status bar and the
/// log, and everything else goes on.
pub fn history_problem(state: &mut State, text: &str) {
    state.events.push(LogLine::source(
        state.now,
        "history".to_string(),
        String::new(),
        Some(text.to_string()),
    ));
    error_notice(state, text.to_string());
}

/// An answer to the read of the whole window for `M` and `T`; false when
/// it is not that read's (it is then a pane's).
pub fn overview_answer(state: &mut State, msg: &Msg) -> bool {
    // The matrix's columns: the sources' regions, in their order.
    let regions: Vec<String> = state
        .engine
        .sources()
        .iter()
        .filter_map(|s| s.region.clone().or_else(|| s.spec.region.clone()))
        .collect();
    let (table, tz) = (&state.settings.copy_regions, state.settings.tz);
    let names: Vec<(String, String)> = state
        .accounts
        .iter()
        .filter_map(|(_, r)| Some((r.account.id.clone(), r.account.name.clone()?)))
        .collect();
    let Some(o) = state.overview.as_mut() else {
        return false;
    };
    let answered = o.answer(msg, &regions, table, tz);
    if answered && let Some(d) = o.data.as_mut() {
        d.matrix.name_accounts(names);
    }
    answered
}
