//! `update` without a terminal or a network: every behaviour as a message in,
//! effects and state out.

use super::update;
use crate::app::msg::{Effect, Msg};
use crate::app::{Settings, State};
use crate::aws::{ErrorKind, FetchError, Page, Target};
use crate::domain::job::{CopyJob, Status, Tag};
use crate::domain::query::{Field, Filter, Sort};
use crate::watch::{Busy, Call, Outcome, SourceId};
use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The open pane, named as these tests name it.
#[derive(Debug)]
enum Mode<'a> {
    Table,
    Filters(&'a crate::panes::filters::FilterPane),
    Help(u16),
    Export(()),
    ConfirmOverwrite {},
    Sources(&'a crate::panes::sources::SourcePicker),
    Failures(&'a crate::panes::failures::FailuresPane),
    Confirm(()),
    CopyTo(&'a crate::panes::copy::CopyPane),
    Log,
    Other,
}

fn mode(s: &State) -> Mode<'_> {
    use crate::panes::*;
    if s.panes.is_empty() {
        return Mode::Table;
    }
    if let Some(p) = s.pane_as::<filters::FilterPane>() {
        Mode::Filters(p)
    } else if let Some(h) = s.pane_as::<help::Help>() {
        Mode::Help(h.scroll)
    } else if s.pane_as::<export::Export>().is_some() {
        Mode::Export(())
    } else if s.pane_as::<export::Overwrite>().is_some() {
        Mode::ConfirmOverwrite {}
    } else if let Some(p) = s.pane_as::<sources::SourcePicker>() {
        Mode::Sources(p)
    } else if let Some(p) = s.pane_as::<failures::FailuresPane>() {
        Mode::Failures(p)
    } else if s.pane_as::<retry::ConfirmPane>().is_some() {
        Mode::Confirm(())
    } else if let Some(p) = s.pane_as::<copy::CopyPane>() {
        Mode::CopyTo(p)
    } else if s.pane_as::<log::LogFocus>().is_some() {
        Mode::Log
    } else {
        Mode::Other
    }
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
}

/// Job `i`: newer jobs have smaller `i`.
fn job(i: usize, status: Status) -> CopyJob {
    let id = format!("{i:012}");
    CopyJob {
        job_arn: format!("arn:aws:bedrock:us-east-1:111122223333:model-copy-job/{id}"),
        status,
        created: t0() - Duration::minutes(i as i64),
        target_model_arn: format!(
            "arn:aws:bedrock:us-east-1:111122223333:custom-model/imported/{id}"
        ),
        target_model_name: Some(format!("model-{i}")),
        source_account_id: "111122223333".into(),
        source_model_arn: format!(
            "arn:aws:bedrock:us-west-2:111122223333:custom-model/imported/{id}"
        )
        .into(),
        source_model_name: None,
        kms_key_arn: None,
        tags: vec![Tag {
            key: "team".into(),
            value: format!("team-{}", i % 3).into(),
        }],
        failure_message: None,
    }
}

fn jobs(range: std::ops::Range<usize>) -> Vec<CopyJob> {
    range.map(|i| job(i, Status::Completed)).collect()
}

fn page(jobs: Vec<CopyJob>, token: Option<&str>) -> Page {
    Page {
        jobs,
        next_token: token.map(str::to_string),
        ..Page::default()
    }
}

fn new_state() -> State {
    let settings = Settings::new("test", Target::default(), FixedOffset::east_opt(0).unwrap());
    State::new(settings, Filter::default(), t0())
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn typed(state: &mut State, text: &str) {
    for c in text.chars() {
        update(state, ch(c));
    }
}

/// The one source of these tests.
const SRC: SourceId = SourceId(0);

/// What a request was for, as these tests name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FetchKind {
    First,
    Next,
    Refresh,
    Reread,
}

fn generation(state: &State) -> u64 {
    state.engine.source(SRC).map_or(0, |s| s.generation)
}

fn busy(state: &State) -> Option<Busy> {
    state.engine.source(SRC).and_then(|s| s.busy)
}

fn next_token(state: &State) -> Option<String> {
    state.engine.source(SRC).and_then(|s| s.next_token.clone())
}

/// Answers the source's request with `p`, shaped as that request's outcome.
fn load(state: &mut State, kind: FetchKind, p: Page) -> Vec<Effect> {
    let generation = generation(state);
    let at = state.now;
    let outcome = match kind {
        FetchKind::First => Outcome::First {
            page: p,
            inflight: Vec::new(),
            newest: None,
        },
        FetchKind::Next => Outcome::Next(p),
        FetchKind::Refresh => Outcome::Refresh {
            head_newest: p.jobs.iter().map(|j| j.created).max(),
            seen: p.jobs,
            gone: Vec::new(),
            unkept: Default::default(),
            unanswered: None,
        },
        FetchKind::Reread => Outcome::Reread(p),
    };
    update(
        state,
        Msg::Loaded {
            source: SRC,
            generation,
            result: Ok(outcome),
            at,
        },
    )
}

fn fetches(effects: &[Effect]) -> Vec<(u64, FetchKind, Option<String>)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { request, .. } => Some(match &request.call {
                Call::First { .. } | Call::Windows { .. } => {
                    (request.generation, FetchKind::First, None)
                }
                Call::Next { token, .. } => {
                    (request.generation, FetchKind::Next, Some(token.clone()))
                }
                Call::Refresh { .. } => (request.generation, FetchKind::Refresh, None),
                Call::Reread { .. } => (request.generation, FetchKind::Reread, None),
                Call::Models { .. } => unreachable!("the engine never asks for models"),
            }),
            _ => None,
        })
        .collect()
}

/// A dashboard with the first page (100 jobs, more available) on screen.
fn loaded_state() -> State {
    let mut s = new_state();
    update(&mut s, Msg::Start(t0()));
    update(&mut s, Msg::Viewport(10));
    load(&mut s, FetchKind::First, page(jobs(0..100), Some("t1")));
    s
}

#[test]
fn start_asks_for_the_first_page_of_generation_one() {
    let mut s = new_state();
    let fx = update(&mut s, Msg::Start(t0()));
    assert_eq!(fetches(&fx), vec![(1, FetchKind::First, None)]);
    assert!(s.engine.shown().is_empty() && !s.engine.sources()[0].first_done);
    assert_eq!(busy(&s), Some(Busy::First));
}

#[test]
fn the_first_page_shows_and_schedules_the_refresh() {
    let s = loaded_state();
    // The page's last instant waits for the next page: the service may list
    // another job of that instant there, and it may belong above this one.
    assert_eq!(s.engine.rows().len(), 100);
    assert_eq!(s.engine.shown().len(), 99);
    assert_eq!(s.view.len(), 99);
    assert_eq!(next_token(&s).as_deref(), Some("t1"));
    assert_eq!(s.engine.next_refresh(), Some(t0() + Duration::seconds(10)));
    // The countdown in the header changes in a second: that is the next wake-up.
    assert_eq!(s.countdown(), Some(10));
    assert_eq!(s.next_deadline(), Some(t0() + Duration::seconds(1)));
    let mut later = s.clone();
    update(&mut later, Msg::Tick(t0() + Duration::milliseconds(9_400)));
    assert_eq!(later.countdown(), Some(1));
    // The loop is woken when the refresh is due...
    assert_eq!(later.next_deadline(), Some(t0() + Duration::seconds(10)));
    // ...but refreshes are taken in batches (a second apart at a 10 s
    // interval), each taking those due within half a second of it: one
    // woken at 9.5 s for another source takes this one too.
    let fx = update(&mut later, Msg::Tick(t0() + Duration::milliseconds(9_500)));
    assert_eq!(fetches(&fx), vec![(1, FetchKind::Refresh, None)]);
    assert_eq!(s.counts, [0, 100, 0, 0]);
}

#[test]
fn the_next_page_is_asked_for_only_within_a_screen_of_the_end() {
    let mut s = loaded_state();
    // A screen is 10 rows: row 89 is the first within a screen of row 98
    // (the 100th job waits for the next page).
    for _ in 0..88 {
        assert!(fetches(&update(&mut s, key(KeyCode::Down))).is_empty());
    }
    assert_eq!(s.selected, 88);
    assert!(
        s.offset + 10 > s.selected && s.offset <= s.selected,
        "selection on screen"
    );
    let fx = update(&mut s, key(KeyCode::Down));
    assert_eq!(fetches(&fx), vec![(1, FetchKind::Next, Some("t1".into()))]);
    // One page request at a time.
    assert!(fetches(&update(&mut s, key(KeyCode::Down))).is_empty());
    load(&mut s, FetchKind::Next, page(jobs(100..200), None));
    assert_eq!(s.engine.shown().len(), 200);
    assert_eq!(next_token(&s), None);
    assert!(
        fetches(&update(&mut s, key(KeyCode::End))).is_empty(),
        "no token, no request"
    );
}

#[test]
fn end_goes_to_the_last_row_and_asks_for_more() {
    let mut s = loaded_state();
    update(&mut s, Msg::Viewport(200));
    let mut s2 = loaded_state();
    let fx = update(&mut s2, key(KeyCode::End));
    assert_eq!(s2.selected, 98);
    assert_eq!(fetches(&fx), vec![(1, FetchKind::Next, Some("t1".into()))]);
    // g/Home back to the top.
    update(&mut s2, ch('g'));
    assert_eq!((s2.selected, s2.offset), (0, 0));
}

#[test]
fn overlapping_pages_never_duplicate_a_row() {
    let mut s = loaded_state();
    update(&mut s, key(KeyCode::End));
    load(&mut s, FetchKind::Next, page(jobs(95..150), None));
    let mut arns: Vec<&str> = s
        .engine
        .shown()
        .iter()
        .map(|r| r.job.job_arn.as_str())
        .collect();
    assert_eq!(arns.len(), 150);
    arns.dedup();
    assert_eq!(arns.len(), 150);
}

#[test]
fn a_new_filter_starts_a_new_generation_and_old_answers_are_dropped() {
    let mut s = loaded_state();
    update(&mut s, key(KeyCode::End));
    assert_eq!(busy(&s), Some(Busy::Next));
    let fx = update(&mut s, ch('s'));
    // A new request of the same source replaces (aborts) the one in flight.
    assert_eq!(fetches(&fx), vec![(2, FetchKind::First, None)]);
    assert_eq!(s.filter().status, Some(Status::InProgress));
    assert!(
        s.engine.shown().is_empty(),
        "no row of the old query under the new filter"
    );
    // The old query's page arrives late: dropped.
    let late = update(
        &mut s,
        Msg::Loaded {
            source: SRC,
            generation: 1,
            result: Ok(Outcome::Next(page(jobs(100..200), None))),
            at: t0(),
        },
    );
    assert!(late.is_empty());
    assert!(s.engine.shown().is_empty());
    assert_eq!(busy(&s), Some(Busy::First));
    load(
        &mut s,
        FetchKind::First,
        page(vec![job(3, Status::InProgress)], None),
    );
    assert_eq!(s.engine.shown().len(), 1);
}

#[test]
fn r_rereads_merges_by_arn_logs_changes_and_keeps_the_selection() {
    let mut s = loaded_state();
    for _ in 0..5 {
        update(&mut s, key(KeyCode::Down));
    }
    let chosen = s.selected_arn().unwrap();
    let fx = update(&mut s, ch('r'));
    let f = fetches(&fx);
    assert_eq!(f, vec![(1, FetchKind::Reread, None)]);
    let Effect::Fetch { request, .. } = &fx[0] else {
        unreachable!()
    };
    let Call::Reread {
        min_rows, until, ..
    } = &request.call
    else {
        unreachable!()
    };
    assert_eq!(*min_rows, 100);
    // Until past the last instant read (that of the 100th job).
    assert_eq!(
        until.as_ref().map(|u| u.created),
        Some(s.engine.rows()[99].job.created)
    );
    // The re-read: a new job on top, job 2 failed.
    let mut fresh = vec![job(100_000, Status::InProgress)];
    fresh[0].created = t0() + Duration::seconds(5);
    let mut rest = jobs(0..100);
    rest[2].status = Status::Failed;
    fresh.extend(rest);
    s.now = t0() + Duration::seconds(10);
    load(&mut s, FetchKind::Reread, page(fresh, Some("t2")));
    assert_eq!(s.engine.shown().len(), 100);
    assert_eq!(
        s.selected_arn(),
        Some(chosen),
        "the selection stays on the same job"
    );
    assert_eq!(s.selected, 6);
    let changed = &s.engine.shown()[3];
    assert_eq!(changed.job.status, Status::Failed);
    assert_eq!(changed.since, Some(s.now));
    assert!(s.is_highlighted(&changed.job.job_arn));
    assert_eq!(s.events.len(), 2);
    assert_eq!(s.events[0].from, None, "the new job");
    assert_eq!(
        (s.events[1].from.clone(), s.events[1].to.clone()),
        (Some(Status::Completed), Status::Failed)
    );
    assert_eq!(s.counts, [1, 99, 1, 0]);
    // Highlights fade.
    let later = s.now + Duration::seconds(31);
    update(&mut s, Msg::Tick(later));
    assert!(!s.is_highlighted(&s.engine.shown()[3].job.job_arn.clone()));
}

#[test]
fn rows_read_past_the_loaded_range_are_not_news() {
    let mut s = loaded_state();
    update(&mut s, ch('r'));
    load(&mut s, FetchKind::Reread, page(jobs(0..150), Some("t3")));
    assert_eq!(s.engine.shown().len(), 149);
    assert!(s.events.is_empty());
    assert_eq!(next_token(&s).as_deref(), Some("t3"));
}

#[test]
fn a_failed_refresh_keeps_the_rows_and_says_when_it_retries() {
    let mut s = loaded_state();
    let t = t0() + Duration::seconds(10);
    update(&mut s, Msg::Tick(t));
    let err = FetchError::new(
        ErrorKind::Throttled,
        "ThrottlingException: Rate exceeded",
        None,
    );
    update(
        &mut s,
        Msg::Loaded {
            source: SRC,
            generation: 1,
            result: Err(err),
            at: t,
        },
    );
    // The rows stay as they were (the page's last instant still waits).
    assert_eq!(s.engine.shown().len(), 99);
    let failing = |s: &State| s.engine.sources()[0].error.clone();
    assert!(failing(&s).unwrap().error.message.contains("Rate exceeded"));
    // The retry is due within the interval (full jitter: drawn in [0, 10 s]).
    let retry = s.engine.next_refresh().expect("a retry is set");
    assert!(t <= retry && retry <= t + Duration::seconds(10), "{retry}");
    // The retry succeeds and clears the error.
    update(&mut s, Msg::Tick(t + Duration::seconds(10)));
    load(&mut s, FetchKind::Refresh, page(jobs(0..3), None));
    assert!(failing(&s).is_none());
    assert_eq!(s.engine.rows().len(), 100);
}

#[test]
fn a_refresh_due_during_a_page_load_runs_after_it() {
    let mut s = loaded_state();
    update(&mut s, key(KeyCode::End));
    let fx = update(&mut s, Msg::Tick(t0() + Duration::seconds(11)));
    assert!(fetches(&fx).is_empty());
    assert_eq!(s.engine.sources()[0].pending, Some(Busy::Refresh));
    let fx = load(&mut s, FetchKind::Next, page(jobs(100..200), Some("t9")));
    assert_eq!(fetches(&fx), vec![(1, FetchKind::Refresh, None)]);
}

#[test]
fn pause_stops_refreshes_and_interval_keys_step() {
    let mut s = loaded_state();
    update(&mut s, ch('p'));
    assert!(s.engine.paused);
    assert!(fetches(&update(&mut s, Msg::Tick(t0() + Duration::seconds(60)))).is_empty());
    assert_eq!(
        s.next_deadline(),
        s.notice.as_ref().and_then(|n| n.until),
        "only the notice wants a wake-up"
    );
    let fx = update(&mut s, ch('p'));
    assert_eq!(fetches(&fx).len(), 1, "resuming past due refreshes at once");
    // `+` refreshes more often (help says so): a shorter interval.
    update(&mut s, ch('+'));
    assert_eq!(s.engine.every, Duration::seconds(5));
    assert_eq!(s.notice.as_ref().unwrap().text, "Refresh every 5s");
    for _ in 0..3 {
        update(&mut s, ch('+'));
    }
    // The config's and --refresh's range: 1 s to 1 h (README).
    assert_eq!(s.engine.every, Duration::seconds(1), "1 s is the floor");
    for _ in 0..3 {
        update(&mut s, ch('-'));
    }
    assert_eq!(s.engine.every, Duration::seconds(10));
    for _ in 0..20 {
        update(&mut s, ch('-'));
    }
    assert_eq!(
        s.engine.every,
        Duration::seconds(3600),
        "1 h is the ceiling"
    );
    assert_eq!(s.notice.as_ref().unwrap().text, "Refresh every 1h");
    update(&mut s, ch('='));
    assert_eq!(s.engine.every, Duration::seconds(1800), "= is + unshifted");
    update(&mut s, ch('+'));
    update(&mut s, ch('+'));
    assert_eq!(s.notice.as_ref().unwrap().text, "Refresh every 5m");
}

#[test]
fn r_refreshes_now() {
    let mut s = loaded_state();
    assert_eq!(
        fetches(&update(&mut s, ch('r'))),
        vec![(1, FetchKind::Reread, None)]
    );
}

#[test]
fn status_clear_and_order_keys_apply_at_once() {
    let mut s = loaded_state();
    update(&mut s, ch('s'));
    update(&mut s, ch('s'));
    assert_eq!(s.filter().status, Some(Status::Completed));
    let fx = update(&mut s, ch('o'));
    assert_eq!(s.filter().sort, Sort::OldestFirst);
    assert_eq!(fetches(&fx)[0].0, 4);
    update(&mut s, ch('x'));
    assert_eq!(
        *s.filter(),
        Filter {
            sort: Sort::OldestFirst,
            ..Filter::default()
        }
    );
    assert!(
        fetches(&update(&mut s, ch('x'))).is_empty(),
        "nothing to clear, nothing sent"
    );
}

#[test]
fn the_filter_pane_refuses_invalid_input_and_esc_changes_nothing() {
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    let Mode::Filters(pane) = mode(&s) else {
        panic!("filter panes open")
    };
    assert_eq!(pane.focus, Field::Name);
    typed(&mut s, "bad--name");
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(fx.is_empty(), "nothing is sent");
    let Mode::Filters(pane) = mode(&s) else {
        panic!("still open")
    };
    assert!(pane.tried);
    assert!(
        pane.draft
            .field_error(Field::Name, s.now, &s.settings.tz)
            .is_some()
    );
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(mode(&s), Mode::Table));
    assert_eq!(*s.filter(), Filter::default());
    assert_eq!(generation(&s), 1);
    assert_eq!(
        s.engine.rows().len(),
        100,
        "the previous query is untouched"
    );
}

#[test]
fn the_filter_pane_applies_valid_fields() {
    let mut s = loaded_state();
    update(&mut s, ch('t'));
    typed(&mut s, "2h");
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    typed(&mut s, "model-1");
    update(&mut s, key(KeyCode::BackTab));
    update(&mut s, key(KeyCode::BackTab));
    update(&mut s, key(KeyCode::BackTab));
    update(&mut s, key(KeyCode::Right)); // Status: Any -> InProgress
    update(&mut s, key(KeyCode::Right)); // -> Completed
    let fx = update(&mut s, key(KeyCode::Enter));
    assert_eq!(fetches(&fx), vec![(2, FetchKind::First, None)]);
    assert_eq!(s.filter().created_after, Some(t0() - Duration::hours(2)));
    assert_eq!(s.filter().name_contains.as_deref(), Some("model-1"));
    assert_eq!(s.filter().status, Some(Status::Completed));
    assert!(matches!(mode(&s), Mode::Table));
}

#[test]
fn local_search_narrows_the_view_and_never_pages_by_itself() {
    let mut s = loaded_state();
    update(&mut s, ch('/'));
    typed(&mut s, "TEAM-1");
    assert_eq!(s.view.len(), 33);
    assert!(
        s.view
            .iter()
            .all(|&i| &*s.row(i).unwrap().job.tags[0].value == "team-1")
    );
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(fetches(&fx).is_empty());
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.view.len(), 99);
    assert!(s.search.is_empty());
}

#[test]
fn help_log_detail_and_quit_keys() {
    let mut s = loaded_state();
    update(&mut s, ch('?'));
    assert!(matches!(mode(&s), Mode::Help(0)));
    update(&mut s, ch('j'));
    assert!(matches!(mode(&s), Mode::Help(1)), "j scrolls the help");
    update(&mut s, ch('x'));
    assert!(matches!(mode(&s), Mode::Table), "any other key closes help");
    assert_eq!(s.selected, 0, "and does nothing else");
    update(&mut s, key(KeyCode::Enter));
    assert!(s.detail_open);
    update(&mut s, key(KeyCode::Esc));
    assert!(!s.detail_open);
    update(&mut s, ch('l'));
    assert!(s.show_log);
    update(&mut s, ch('f'));
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    assert!(s.quit, "Ctrl-C quits from any mode");
    let mut s = loaded_state();
    update(&mut s, ch('q'));
    assert!(s.quit);
}

#[test]
fn a_failed_first_page_retries_on_the_refresh_clock() {
    let mut s = new_state();
    update(&mut s, Msg::Start(t0()));
    let err = FetchError::new(
        ErrorKind::Credentials,
        "No usable AWS credentials",
        Some("run aws sso login"),
    );
    update(
        &mut s,
        Msg::Loaded {
            source: SRC,
            generation: 1,
            result: Err(err),
            at: t0(),
        },
    );
    assert!(s.engine.shown().is_empty() && !s.engine.loading());
    let e = s.engine.sources()[0].error.clone().unwrap();
    assert_eq!(e.error.hint.as_deref(), Some("run aws sso login"));
    let fx = update(&mut s, Msg::Tick(t0() + Duration::seconds(10)));
    assert_eq!(fetches(&fx), vec![(1, FetchKind::First, None)]);
}

#[test]
fn copy_keys_put_the_arn_the_json_or_the_cli_command_on_the_clipboard() {
    let mut s = loaded_state();
    update(
        &mut s,
        Msg::Connected {
            source: SRC,
            region: "us-east-1".into(),
        },
    );
    let arn = s.engine.shown()[0].job.job_arn.clone();
    assert_eq!(update(&mut s, ch('y')), vec![Effect::Copy(arn.clone())]);
    let fx = update(&mut s, ch('Y'));
    let Effect::Copy(json) = &fx[0] else {
        panic!("{fx:?}")
    };
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["jobArn"], arn);
    update(&mut s, ch('s'));
    let fx = update(&mut s, ch('c'));
    assert_eq!(
        fx,
        vec![Effect::Copy(
            "aws bedrock list-model-copy-jobs --region us-east-1 --status-equals InProgress".into()
        )]
    );
    assert!(s.notice.as_ref().unwrap().text.contains("AWS CLI command"));
    // An endpoint from the environment (the SDK follows it unasked) is
    // written out, as are the profile and region.
    s.settings.cli_endpoint = Some("http://127.0.0.1:4704".into());
    s.settings.target.profile = Some("dev".into());
    let fx = update(&mut s, ch('c'));
    assert_eq!(
        fx,
        vec![Effect::Copy(
            "aws bedrock list-model-copy-jobs --region us-east-1 --profile dev --endpoint-url http://127.0.0.1:4704 --status-equals InProgress".into()
        )]
    );
}

#[test]
fn export_writes_the_view_in_display_order() {
    let mut s = loaded_state();
    update(&mut s, ch('/'));
    typed(&mut s, "team-2");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('e'));
    assert!(matches!(mode(&s), Mode::Export(_)));
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut s, "/tmp/out.json");
    let fx = update(&mut s, key(KeyCode::Enter));
    let [Effect::Export { path, jobs, .. }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(path, &std::path::PathBuf::from("/tmp/out.json"));
    assert_eq!(jobs.len(), s.view.len());
    assert!(
        jobs.iter()
            .zip(&s.view)
            .all(|(j, &i)| j.job_arn == s.row(i).unwrap().job.job_arn)
    );
    update(&mut s, Msg::Exported(Ok((path.clone(), jobs.len()))));
    assert_eq!(
        s.notice.as_ref().unwrap().text,
        format!("Wrote {} jobs to /tmp/out.json", jobs.len())
    );
    // Esc cancels without writing anything.
    update(&mut s, ch('e'));
    assert!(update(&mut s, key(KeyCode::Esc)).is_empty());
    // A file already there is asked about: n keeps it, y replaces it.
    let jobs = jobs.clone();
    update(
        &mut s,
        Msg::ExportExists {
            path: path.clone(),
            jobs: jobs.clone(),
        },
    );
    assert!(matches!(mode(&s), Mode::ConfirmOverwrite { .. }));
    assert!(update(&mut s, ch('n')).is_empty());
    assert!(s.notice.as_ref().unwrap().text.starts_with("Not exported"));
    update(
        &mut s,
        Msg::ExportExists {
            path: path.clone(),
            jobs: jobs.clone(),
        },
    );
    let fx = update(&mut s, ch('y'));
    assert!(
        matches!(&fx[..], [Effect::Export { overwrite: true, path: p, .. }] if p == path),
        "{fx:?}"
    );
}

#[test]
fn the_question_of_a_file_already_there_is_asked_over_the_pane_open_meanwhile() {
    let mut s = loaded_state();
    update(&mut s, ch('e'));
    let fx = update(&mut s, key(KeyCode::Enter));
    let Some(Effect::Export { path, jobs, .. }) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    // The S picker opened while the export runs, a region typed in it.
    update(&mut s, ch('S'));
    typed(&mut s, "eu-we");
    update(&mut s, Msg::ExportExists { path, jobs });
    assert!(matches!(mode(&s), Mode::ConfirmOverwrite { .. }));
    update(&mut s, ch('n'));
    let Mode::Sources(p) = mode(&s) else {
        panic!("back in S: {:?}", mode(&s))
    };
    assert_eq!(p.input.value(), "eu-we", "as it was");
}

#[test]
fn the_source_picker_adds_and_removes_sources_and_keeps_the_rest() {
    let mut state = loaded_state();
    let before = state.view.len();
    assert!(before > 0);
    // Open: the picker asks for the config files' profiles.
    assert_eq!(update(&mut state, ch('S')), vec![Effect::LoadProfiles]);
    update(&mut state, Msg::KnownProfiles(vec!["ml".into()]));
    // The default source has no region of its own: type one and check it.
    typed(&mut state, "eu-west-3");
    update(&mut state, key(KeyCode::Enter));
    let effects = update(&mut state, key(KeyCode::Enter));
    assert!(matches!(mode(&state), Mode::Table));
    // One new source, asking for its first page; the old one untouched.
    let asked: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { spec, request } => Some((spec.region.clone(), request.source)),
            _ => None,
        })
        .collect();
    assert_eq!(asked.len(), 1, "{effects:?}");
    assert_eq!(asked[0].0.as_deref(), Some("eu-west-3"));
    assert_ne!(asked[0].1, SRC);
    assert_eq!(state.engine.sources().len(), 2);
    assert!(state.multi_region());
    assert!(
        state
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("1 added, 0 removed")
    );

    // Uncheck the first region (the original source): it is dropped, its
    // rows go, and whatever it had in flight is aborted.
    update(&mut state, ch('S'));
    update(&mut state, key(KeyCode::Char(' ')));
    let effects = update(&mut state, key(KeyCode::Enter));
    assert!(effects.contains(&Effect::Forget(SRC)), "{effects:?}");
    assert_eq!(state.engine.sources().len(), 1);
    assert!(state.engine.source(SRC).is_none());
    assert!(
        state.view.is_empty(),
        "the remaining source has not answered yet"
    );
    assert_eq!(state.settings.sources.len(), 1);
}

#[test]
fn the_source_picker_refuses_a_bad_region_and_esc_changes_nothing() {
    let mut state = loaded_state();
    let rows = state.view.len();
    update(&mut state, ch('S'));
    typed(&mut state, "moon-1");
    update(&mut state, key(KeyCode::Enter));
    let Mode::Sources(p) = mode(&state) else {
        panic!("the picker stays open on an error")
    };
    assert_eq!(
        p.error.as_deref(),
        Some("'moon-1' is not a region name like us-east-1")
    );
    update(&mut state, key(KeyCode::Esc));
    assert!(update(&mut state, key(KeyCode::Esc)).is_empty());
    assert!(matches!(mode(&state), Mode::Table));
    assert_eq!(state.engine.sources().len(), 1);
    assert_eq!(state.view.len(), rows);
}

#[test]
fn rebound_keys_act_and_the_old_ones_do_not() {
    use crate::config::keys::{Action, Key, KeyBindings, Keys};
    let mut s = loaded_state();
    let overrides = std::collections::BTreeMap::from([(
        Action::Down,
        Keys(vec![Key::parse("ctrl-n").unwrap()]),
    )]);
    s.settings.keys = KeyBindings::new(&overrides).unwrap();
    update(&mut s, ch('j'));
    assert_eq!(s.selected, 0, "j no longer moves");
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL)),
    );
    assert_eq!(s.selected, 1);
    // A key nobody rebound keeps its action.
    update(&mut s, ch('k'));
    assert_eq!(s.selected, 0);
}

fn command(state: &mut State, line: &str) -> Vec<Effect> {
    update(state, ch(':'));
    typed(state, line);
    update(state, key(KeyCode::Enter))
}

#[test]
fn views_are_saved_opened_and_deleted_by_name() {
    let mut s = loaded_state();
    s.settings.views_path = Some(std::path::PathBuf::from("/state/views.json"));
    // A filter with a relative time, typed in the panes.
    update(&mut s, ch('t'));
    typed(&mut s, "7d");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('s'));
    let effects = command(&mut s, "save week");
    let Some(Effect::SaveViews { path, views }) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(path.to_str(), Some("/state/views.json"));
    let saved = &views.named["week"];
    assert_eq!(
        (saved.since.as_str(), saved.status.as_str()),
        ("7d", "InProgress")
    );

    update(&mut s, ch('x'));
    assert_eq!(s.filter().status, None);
    let effects = command(&mut s, "view week");
    assert!(!fetches(&effects).is_empty(), "a new query");
    assert_eq!(s.filter().status, Some(Status::InProgress));
    assert_eq!(s.filter().created_after, Some(t0() - Duration::days(7)));
    assert_eq!(s.typed_times.0, "7d", "still relative");

    command(&mut s, "view nope");
    assert!(
        s.notice
            .as_ref()
            .unwrap()
            .text
            .contains("No view 'nope'; saved views: week")
    );
    command(&mut s, "frobnicate");
    assert!(
        s.notice
            .as_ref()
            .unwrap()
            .text
            .starts_with("Unknown command ':frobnicate'")
    );
    assert!(matches!(
        command(&mut s, "delete week").first(),
        Some(Effect::SaveViews { .. })
    ));
    assert!(s.settings.views.named.is_empty());
}

#[test]
fn the_current_view_is_what_a_restart_needs() {
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    typed(&mut s, "nova");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('o'));
    update(&mut s, ch('l'));
    // The log has the focus: Esc gives it back to the table, the log open.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('v'));
    update(&mut s, key(KeyCode::Char(' ')));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.settings.columns[0],
        crate::domain::column::Column::Name,
        "Status hidden"
    );
    update(&mut s, ch('>'));
    let v = s.current_view();
    assert_eq!(v.columns, s.settings.columns);
    assert_eq!(v.sort_column, Some(crate::domain::column::Column::Name));
    assert_eq!(v.name, "nova");
    assert_eq!(v.sort, "oldest");
    assert_eq!(v.status, "any");
    assert!(v.show_log && !v.detail_open);
}

#[test]
fn mouse_clicks_select_and_the_wheel_scrolls() {
    let mut s = loaded_state();
    update(&mut s, Msg::ClickRow(4));
    assert_eq!(s.selected, 4);
    update(&mut s, Msg::Scroll(3));
    assert_eq!(s.selected, 7);
    update(&mut s, Msg::Scroll(-30));
    assert_eq!(s.selected, 0);
    update(&mut s, Msg::ClickRow(10_000));
    assert_eq!(s.selected, 0, "a click past the rows does nothing");
    update(&mut s, ch('f'));
    update(&mut s, Msg::ClickRow(3));
    assert_eq!(s.selected, 0, "not under a pane");
}

#[test]
fn a_column_sort_is_stable_starts_at_the_top_and_o_undoes_it() {
    use crate::domain::column::Column;
    let mut s = new_state();
    update(&mut s, Msg::Start(t0()));
    update(&mut s, Msg::Viewport(10));
    // Tags: job i has i % 3 + 1 tags... here every job has one tag, so a
    // sort by tags keeps the service's order: stable.
    load(&mut s, FetchKind::First, page(jobs(0..30), Some("t1")));
    let before: Vec<String> = s
        .view
        .iter()
        .map(|&v| s.row(v).unwrap().job.job_arn.clone())
        .collect();
    update(&mut s, Msg::SortBy(Column::Tags));
    let after: Vec<String> = s
        .view
        .iter()
        .map(|&v| s.row(v).unwrap().job.job_arn.clone())
        .collect();
    assert_eq!(before, after, "equal keys keep the service's order");
    assert!(
        s.notice
            .as_ref()
            .unwrap()
            .text
            .contains("within the 30 loaded rows")
    );

    // By name: model-0, model-1, model-10… as text, shown from the top
    // wherever the selection was.
    for _ in 0..25 {
        update(&mut s, key(KeyCode::Down));
    }
    assert!(s.offset > 0);
    update(&mut s, Msg::SortBy(Column::Name));
    let names: Vec<String> = s
        .view
        .iter()
        .map(|&v| s.row(v).unwrap().job.display_name().to_string())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!((s.selected, s.offset), (0, 0), "the top of the sorted rows");
    assert_eq!(s.selected_row().unwrap().job.display_name(), "model-0");
    // The same header again: descending.
    update(&mut s, Msg::SortBy(Column::Name));
    assert_eq!(s.column_sort, Some((Column::Name, true)));
    assert_eq!(s.row(s.view[0]).unwrap().job.display_name(), "model-9");
    // o: the service's order, and only then does o flip the order.
    let effects = update(&mut s, ch('o'));
    assert!(effects.is_empty() && s.column_sort.is_none());
    let restored: Vec<String> = s
        .view
        .iter()
        .map(|&v| s.row(v).unwrap().job.job_arn.clone())
        .collect();
    assert_eq!(restored, before);
    assert!(
        !fetches(&update(&mut s, ch('o'))).is_empty(),
        "now a new query"
    );
    // > walks the configured columns.
    for _ in 0..25 {
        update(&mut s, key(KeyCode::Down));
    }
    update(&mut s, ch('>'));
    assert_eq!(s.column_sort, Some((Column::Status, false)));
    assert_eq!((s.selected, s.offset), (0, 0), "> shows the top too");
    update(&mut s, key(KeyCode::End));
    update(&mut s, ch('<'));
    assert_eq!(s.column_sort, Some((Column::Status, true)));
    assert_eq!((s.selected, s.offset), (0, 0), "and <");
}

#[test]
fn a_message_belongs_to_the_action_that_made_it() {
    let mut s = loaded_state();
    update(&mut s, ch('s'));
    update(&mut s, ch('x'));
    assert_eq!(s.notice.as_ref().unwrap().text, "Filters cleared");
    // s makes no message of its own: "Filters cleared" must not stay.
    update(&mut s, ch('s'));
    assert_eq!(s.notice, None);
    let running = (0..20).map(|i| job(i, Status::InProgress)).collect();
    load(&mut s, FetchKind::First, page(running, None));
    update(&mut s, ch('w'));
    assert!(s.notice.as_ref().unwrap().text.starts_with("Pinned"));
    update(&mut s, key(KeyCode::Down));
    assert_eq!(s.notice, None, "moving is an action too");
}

#[test]
fn f_reads_the_failed_jobs_of_the_window_and_groups_them_by_cause() {
    let mut s = loaded_state();
    let effects = update(&mut s, ch('F'));
    let Some(Effect::ReadWindow {
        purpose: crate::app::msg::Purpose::Failures,
        generation,
        filter,
        ..
    }) = effects.first().cloned()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        filter.status,
        Some(Status::Failed),
        "the window's failed jobs"
    );
    let failed = |i: usize, msg: &str| {
        let mut j = job(i, Status::Failed);
        j.failure_message = Some(msg.to_string());
        j
    };
    let jobs = vec![
        failed(
            3,
            "The source model arn:aws:bedrock:us-west-2:111122223333:custom-model/x/aaaa was not found.",
        ),
        failed(
            5,
            "The source model arn:aws:bedrock:us-west-2:111122223333:custom-model/x/bbbb was not found.",
        ),
        failed(7, "Quota of 100 custom models reached."),
    ];
    // An answer to an older read is dropped.
    update(
        &mut s,
        Msg::WindowRead {
            generation: generation - 1,
            result: Ok(Vec::new()),
        },
    );
    let Mode::Failures(p) = mode(&s) else {
        panic!()
    };
    assert!(p.groups.is_none());
    update(
        &mut s,
        Msg::WindowProgress {
            generation,
            read: 2,
        },
    );
    update(
        &mut s,
        Msg::WindowRead {
            generation,
            result: Ok(jobs),
        },
    );
    let Mode::Failures(p) = mode(&s) else {
        panic!()
    };
    let groups = p.groups.as_ref().unwrap();
    assert_eq!(groups.iter().map(|g| g.count).collect::<Vec<_>>(), [2, 1]);
    // Enter opens the top cause's jobs; Enter on one shows it in the table.
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Enter));
    assert!(matches!(mode(&s), Mode::Table));
    assert_eq!(s.selected_arn(), Some(job(5, Status::Failed).job_arn));
    assert!(s.detail_open);
    // Esc closes without a trace.
    update(&mut s, ch('F'));
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(mode(&s), Mode::Table));
}

#[test]
fn help_opened_over_f_returns_to_f_as_it_was_and_f_s_read_reaches_it_meanwhile() {
    let mut s = loaded_state();
    let Some(Effect::ReadWindow { generation, .. }) = update(&mut s, ch('F')).first().cloned()
    else {
        panic!("F reads the window")
    };
    // `?` while F still reads: its keys, over it.
    update(&mut s, ch('?'));
    assert!(s.pane_as::<crate::panes::help::PaneHelp>().is_some());
    assert_eq!(s.panes.len(), 2, "the help is over F");
    let failed = |i: usize, msg: &str| {
        let mut j = job(i, Status::Failed);
        j.failure_message = Some(msg.to_string());
        j
    };
    update(
        &mut s,
        Msg::WindowRead {
            generation,
            result: Ok(vec![
                failed(3, "Quota of 100 custom models reached."),
                failed(5, "KMS key not found."),
            ]),
        },
    );
    // Esc: F again, with what was read while the help was on top.
    update(&mut s, key(KeyCode::Esc));
    let Mode::Failures(p) = mode(&s) else {
        panic!("back in F: {:?}", mode(&s))
    };
    assert_eq!(p.groups.as_ref().map(Vec::len), Some(2));
    // F's cursor is kept under the help too.
    update(&mut s, key(KeyCode::Down));
    update(&mut s, ch('?'));
    update(&mut s, key(KeyCode::Esc));
    let Mode::Failures(p) = mode(&s) else {
        panic!("back in F: {:?}", mode(&s))
    };
    assert_eq!(p.selected, 1);
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(mode(&s), Mode::Table), "nothing was under F");
}

#[test]
fn r_shows_the_retry_then_sends_it_and_pins_the_new_job() {
    let mut s = new_state();
    update(&mut s, Msg::Start(t0()));
    update(&mut s, Msg::Viewport(10));
    let mut failed = job(1, Status::Failed);
    failed.failure_message = Some("KMS".into());
    load(
        &mut s,
        FetchKind::First,
        page(vec![job(0, Status::Completed), failed.clone()], None),
    );
    // Not on a completed job.
    update(&mut s, ch('R'));
    assert!(matches!(mode(&s), Mode::Table));
    assert_eq!(
        s.notice.as_ref().unwrap().text,
        "Only a failed copy can be retried"
    );
    update(&mut s, key(KeyCode::Down));
    update(&mut s, ch('R'));
    assert!(matches!(mode(&s), Mode::Confirm(_)));
    assert!(
        update(&mut s, key(KeyCode::Esc)).is_empty(),
        "Esc sends nothing"
    );
    update(&mut s, ch('R'));
    typed(&mut s, "-b");
    let fx = update(&mut s, key(KeyCode::Enter));
    let [
        Effect::Create {
            request, origin, ..
        },
    ] = fx.as_slice()
    else {
        panic!("{fx:?}")
    };
    assert_eq!(request.target_model_name, "model-1-b", "the name as edited");
    assert_eq!(request.source_model_arn, &*failed.source_model_arn);
    assert_eq!(request.region, "us-east-1");
    assert_eq!(origin.as_deref(), Some(failed.job_arn.as_str()));
    // The new job comes back: pinned at the top, selected, logged.
    let mut new = job(0, Status::InProgress);
    new.job_arn = "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/newjob000001".into();
    update(
        &mut s,
        Msg::Created {
            source: Some(SRC),
            origin: Some(failed.job_arn.clone()),
            region: "us-east-1".into(),
            result: Ok(new.clone()),
        },
    );
    assert_eq!(s.view[0], crate::app::state::Slot::Pinned(0));
    assert_eq!(s.selected_arn(), Some(new.job_arn.clone()));
    assert!(
        s.events
            .last()
            .unwrap()
            .name
            .contains("retry of …/000000000001")
    );
    // A refusal is said, nothing else changes.
    update(
        &mut s,
        Msg::Created {
            source: Some(SRC),
            origin: Some(failed.job_arn.clone()),
            region: "us-east-1".into(),
            result: Err("AccessDeniedException: no".into()),
        },
    );
    assert!(
        s.notice
            .as_ref()
            .unwrap()
            .text
            .starts_with("Retry refused in us-east-1")
    );
}

#[test]
fn read_only_sends_nothing() {
    let mut s = loaded_state();
    s.settings.read_only = true;
    assert!(update(&mut s, ch('R')).is_empty());
    assert!(matches!(mode(&s), Mode::Table));
    assert!(
        s.notice
            .as_ref()
            .unwrap()
            .text
            .starts_with("Read-only session")
    );
}

#[test]
fn c_copies_the_model_to_the_checked_regions_at_once() {
    let mut s = loaded_state();
    update(&mut s, ch('C'));
    let Mode::CopyTo(p) = mode(&s) else { panic!() };
    assert_eq!(p.regions[0].0, "us-east-1");
    assert!(
        p.regions[0].2,
        "a copy of this model is loaded in us-east-1"
    );
    // Enter with nothing checked is refused.
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    // Check us-east-2 and us-west-1 (the second and third; the model lives
    // in us-west-2), rename, send; j and k move as in the table.
    update(&mut s, ch('j'));
    update(&mut s, ch('j'));
    update(&mut s, ch('k'));
    update(&mut s, key(KeyCode::Char(' ')));
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Char(' ')));
    let Mode::CopyTo(p) = mode(&s) else { panic!() };
    assert_eq!(
        p.focus,
        crate::panes::copy::Focus::Regions,
        "k did not open the KMS field"
    );
    // A KMS key for us-west-1 only: K.
    update(&mut s, ch('K'));
    typed(&mut s, "alias/dr-key");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Tab));
    typed(&mut s, "-dr");
    let fx = update(&mut s, key(KeyCode::Enter));
    let sent: Vec<(String, String, Option<String>)> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::Create {
                request,
                origin: None,
                ..
            } => Some((
                request.region.clone(),
                request.target_model_name.clone(),
                request.kms_key_id.clone(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        sent,
        [
            ("us-east-2".to_string(), "model-0-dr".to_string(), None),
            (
                "us-west-1".to_string(),
                "model-0-dr".to_string(),
                Some("alias/dr-key".to_string())
            ),
        ]
    );
    s.settings.read_only = true;
    assert!(update(&mut s, ch('C')).is_empty());
    assert!(matches!(mode(&s), Mode::Table));
}

#[test]
fn the_event_log_takes_the_keys_and_enter_shows_its_job_in_the_table() {
    let mut s = loaded_state();
    let t = t0() + Duration::seconds(10);
    update(&mut s, Msg::Tick(t));
    // Twenty jobs finish in one refresh.
    let mut finished = jobs(0..20);
    for j in &mut finished {
        j.status = Status::Failed;
        j.failure_message = Some("ServiceQuotaExceededException: limit reached".into());
    }
    load(&mut s, FetchKind::Reread, page(finished, Some("t1")));
    assert_eq!(s.events.len(), 20);
    assert_eq!(s.events[0].region, "us-east-1");
    assert_eq!(
        s.events[0].failure.as_deref(),
        Some("ServiceQuotaExceededException: limit reached")
    );
    update(&mut s, ch('l'));
    assert!(
        s.show_log && matches!(mode(&s), Mode::Log),
        "l opens and focuses it"
    );
    let selected = s.selected;
    for _ in 0..3 {
        update(&mut s, ch('j'));
    }
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(
        s.selected, selected,
        "j and PgDn move the log, not the table"
    );
    let at = s.log.at(s.events.len()).unwrap();
    assert_eq!(at, 20 - 1 - 13, "newest first: down is older");
    let arn = s.events[at].job_arn.clone();
    update(&mut s, key(KeyCode::Enter));
    assert!(matches!(mode(&s), Mode::Table) && s.show_log);
    assert_eq!(s.selected_arn(), Some(arn), "Enter selects that job");
    // Tab goes back to the log, l there closes it.
    update(&mut s, key(KeyCode::Tab));
    assert!(matches!(mode(&s), Mode::Log));
    update(&mut s, ch('l'));
    assert!(matches!(mode(&s), Mode::Table) && !s.show_log);
}

#[test]
fn table_keys_pressed_in_the_focused_log_are_done_not_swallowed() {
    let mut s = loaded_state();
    update(&mut s, ch('l'));
    assert!(matches!(mode(&s), Mode::Log));
    // `>` sorts by the next column, as in the table.
    update(&mut s, ch('>'));
    assert!(s.column_sort.is_some(), "> sorted the table");
    assert!(s.show_log, "the log stays open");
    update(&mut s, key(KeyCode::Tab));
    assert!(matches!(mode(&s), Mode::Log));
    // `:` opens the command line.
    update(&mut s, ch(':'));
    assert!(
        s.pane_as::<crate::panes::command::Command>().is_some(),
        ": opened the command line"
    );
    // `?` lists the log's keys; any key returns to the focused log.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, ch('?'));
    assert!(s.pane_as::<crate::panes::help::PaneHelp>().is_some());
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(mode(&s), Mode::Log));
    // A key bound to nothing is said.
    update(&mut s, ch('Z'));
    assert!(matches!(mode(&s), Mode::Log));
    assert_eq!(
        s.notice.as_ref().map(|n| n.text.as_str()),
        Some("Z does nothing in the event log: ? shows its keys, Esc closes it")
    );
}

#[test]
fn a_source_that_stops_answering_is_logged_with_its_whole_message() {
    let mut s = loaded_state();
    let t = t0() + Duration::seconds(10);
    update(&mut s, Msg::Tick(t));
    let long = format!("AccessDeniedException: {}", "x".repeat(300));
    let err = FetchError::new(ErrorKind::Service, long.clone(), None);
    update(
        &mut s,
        Msg::Loaded {
            source: SRC,
            generation: 1,
            result: Err(err.clone()),
            at: t,
        },
    );
    assert_eq!(s.events.len(), 1);
    let line = &s.events[0];
    assert_eq!(line.failure.as_deref(), Some(long.as_str()), "not cut");
    assert!(line.source.is_some() && line.job_arn.is_empty());
    // Failing again the same way is not news.
    update(&mut s, Msg::Tick(t + Duration::seconds(10)));
    update(
        &mut s,
        Msg::Loaded {
            source: SRC,
            generation: 1,
            result: Err(err),
            at: t + Duration::seconds(10),
        },
    );
    assert_eq!(s.events.len(), 1);
    update(&mut s, Msg::Tick(t + Duration::seconds(30)));
    load(&mut s, FetchKind::Refresh, page(Vec::new(), None));
    assert_eq!(s.events.len(), 2, "answering again is");
    assert_eq!(s.events[1].failure, None);
}

/// `n` jobs newer than any of `jobs(..)`, the newest first.
fn arrivals(n: usize) -> Vec<CopyJob> {
    (0..n)
        .map(|k| {
            let mut j = job(10_000 + k, Status::InProgress);
            j.created = t0() + Duration::seconds((n - k) as i64);
            j
        })
        .collect()
}

#[test]
fn on_the_first_row_the_table_follows_the_head() {
    let mut s = loaded_state();
    update(&mut s, Msg::Tick(t0() + Duration::seconds(10)));
    let fresh = arrivals(10);
    let newest = fresh[0].job_arn.clone();
    load(&mut s, FetchKind::Refresh, page(fresh, None));
    assert_eq!((s.selected, s.offset), (0, 0), "still on top");
    assert_eq!(s.selected_arn(), Some(newest), "on the newest job");
    assert_eq!(s.arrivals.above, 0);
    assert_eq!(s.notice.as_ref().unwrap().text, "Refresh: +10 new");
    // Every arrival of that refresh is highlighted.
    assert!(
        s.engine.shown()[..10]
            .iter()
            .all(|r| s.is_highlighted(&r.job.job_arn))
    );
}

#[test]
fn scrolled_away_the_selection_stays_and_the_new_rows_above_are_counted() {
    let mut s = new_state();
    update(&mut s, Msg::Start(t0()));
    update(&mut s, Msg::Viewport(10));
    // Jobs 40 and 41 are running when loaded.
    let mut first = jobs(0..100);
    first[40].status = Status::InProgress;
    first[41].status = Status::InProgress;
    load(&mut s, FetchKind::First, page(first, Some("t1")));
    for _ in 0..30 {
        update(&mut s, key(KeyCode::Down));
    }
    let chosen = s.selected_arn();
    assert!(s.offset > 0);
    update(&mut s, Msg::Tick(t0() + Duration::seconds(10)));
    // Twelve new jobs; job 40 finished, job 41 failed.
    let mut seen = arrivals(12);
    seen.push(job(40, Status::Completed));
    let mut failed = job(41, Status::Failed);
    failed.failure_message = Some("quota".into());
    seen.push(failed);
    load(&mut s, FetchKind::Refresh, page(seen, None));
    assert_eq!(s.selected_arn(), chosen, "the selection stays on its job");
    assert_eq!(s.selected, 30 + 12);
    assert_eq!(s.arrivals.above, 12, "↑ 12 new");
    assert_eq!(
        s.notice.as_ref().unwrap().text,
        "Refresh: +12 new, 1 finished, 1 failed"
    );
    // Scrolling up to them counts them seen as they come on screen.
    while s.offset > 5 {
        update(&mut s, key(KeyCode::Up));
    }
    assert_eq!(s.arrivals.above, 5, "rows 5 to 11 are on screen now");
    for _ in 0..30 {
        update(&mut s, key(KeyCode::Down));
    }
    assert!(s.offset > 12);
    assert_eq!(s.arrivals.above, 5, "the ones seen stay seen");
    update(&mut s, ch('g'));
    assert_eq!(
        (s.selected, s.offset, s.arrivals.above),
        (0, 0, 0),
        "g goes there"
    );
}

#[test]
fn pins_are_kept_with_the_view_and_read_back_at_the_next_start() {
    let mut s = loaded_state();
    update(&mut s, key(KeyCode::Down));
    update(&mut s, ch('w'));
    let pinned = s.selected_arn().unwrap();
    assert_eq!(s.current_view().pinned, vec![pinned.clone()]);

    // The next start: the source's region comes from the default chain.
    let mut settings = s.settings.clone();
    let west = job(7, Status::Failed)
        .job_arn
        .replace("us-east-1", "us-west-2");
    let gone = job(8, Status::Failed).job_arn;
    settings.pinned = vec![pinned.clone(), west.clone(), gone.clone()];
    let mut next = State::new(settings, Filter::default(), t0());
    let fx = update(&mut next, Msg::Start(t0()));
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::RestorePins { .. })),
        "no region known yet"
    );
    let fx = update(
        &mut next,
        Msg::Connected {
            source: SRC,
            region: "us-east-1".into(),
        },
    );
    let asked: Vec<&Effect> = fx
        .iter()
        .filter(|e| matches!(e, Effect::RestorePins { .. }))
        .collect();
    assert_eq!(
        asked,
        [&Effect::RestorePins {
            spec: next.settings.sources[0].clone(),
            source: SRC,
            arns: vec![pinned.clone(), gone.clone()],
        }],
        "each pin asked for in its own region"
    );
    assert_eq!(
        next.current_view().pinned.len(),
        3,
        "pins on their way back are not forgotten"
    );
    update(
        &mut next,
        Msg::PinsRestored {
            source: SRC,
            jobs: vec![job(1, Status::Completed)],
            missing: vec![crate::app::pins::Missing {
                arn: gone.clone(),
                error: "ResourceNotFoundException".into(),
                gone: true,
            }],
        },
    );
    assert_eq!(next.engine.pinned()[0].job.job_arn, pinned);
    assert!(matches!(next.view[0], crate::app::state::Slot::Pinned(0)));
    assert_eq!(
        next.current_view().pinned,
        vec![pinned, west],
        "the one gone is dropped, the one still waiting kept"
    );
    assert!(
        next.notice
            .as_ref()
            .unwrap()
            .text
            .contains("no longer exist")
    );
}

#[test]
fn with_the_history_kept_answers_are_recorded_and_durations_read_as_copies_finish() {
    let mut s = new_state();
    s.history.on = true;
    let fx = update(&mut s, Msg::Start(t0()));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::ReadDurations)),
        "the durations are asked for at start: {fx:?}"
    );
    assert!(s.engine.report_seen, "the engine reports what it sees");
    update(&mut s, Msg::Viewport(10));
    let mut first = jobs(0..10);
    first[0].status = Status::InProgress;
    let fx = load(&mut s, FetchKind::First, page(first.clone(), None));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Record(_))),
        "a page is recorded: {fx:?}"
    );
    // A minute on, the running job has finished: recorded, and the
    // durations read again.
    let later = t0() + Duration::minutes(2);
    update(&mut s, Msg::Tick(later));
    first[0].status = Status::Completed;
    let fx = load(
        &mut s,
        FetchKind::Refresh,
        page(vec![first[0].clone()], None),
    );
    assert!(fx.iter().any(|e| matches!(e, Effect::Record(_))), "{fx:?}");
    assert!(
        fx.iter().any(|e| matches!(e, Effect::ReadDurations)),
        "{fx:?}"
    );
    // Without the history, nothing of it.
    let mut off = new_state();
    let fx = update(&mut off, Msg::Start(t0()));
    assert!(
        !fx.iter()
            .any(|e| matches!(e, Effect::ReadDurations | Effect::Record(_)))
    );
}

#[path = "overview_tests.rs"]
mod overview;

#[path = "org_tests.rs"]
mod org;

/// An organisation's unchanged refreshes must draw nothing: an answer that
/// changes no row leaves the revision the event loop draws on, one that
/// brings a job moves it, and so does the tick that ends its highlight; a
/// tick that only moves the clock leaves it, while what moves with the clock
/// and the requests (the refresh label) is told apart by `ui::Moving`.
#[test]
fn only_what_a_frame_shows_moves_the_revision() {
    use crate::ui::Moving;
    let mut s = loaded_state();
    let t = t0() + Duration::seconds(10);
    let idle = Moving::of(&s);
    let revision = s.revision;
    update(&mut s, Msg::Tick(t));
    assert_eq!(busy(&s), Some(Busy::Refresh));
    assert_eq!(s.revision, revision, "a refresh asked for is no new row");
    assert_ne!(Moving::of(&s), idle, "the header says it refreshes");
    load(&mut s, FetchKind::Refresh, page(jobs(0..3), None));
    assert_eq!(s.revision, revision, "an unchanged answer");
    // The next answer brings a job newer than any.
    update(&mut s, Msg::Tick(t + Duration::seconds(10)));
    let mut fresh = job(0, Status::InProgress);
    fresh.job_arn.push_str("-new");
    fresh.created = t0() + Duration::seconds(15);
    let mut listed = vec![fresh];
    listed.extend(jobs(0..3));
    load(&mut s, FetchKind::Refresh, page(listed, None));
    assert_eq!(s.revision, revision + 1, "a new job");
    assert_eq!(s.highlight.len(), 1);
    // Half a second later nothing ended; past the highlight, it ends.
    let revision = s.revision;
    update(&mut s, Msg::Tick(t + Duration::milliseconds(10_500)));
    assert_eq!(s.revision, revision, "only the clock moved");
    let highlight_for = crate::app::state::HIGHLIGHT_FOR;
    update(&mut s, Msg::Tick(t + Duration::seconds(10) + highlight_for));
    assert!(s.highlight.is_empty());
    assert!(s.revision > revision, "the highlight ended");
    // A key is always drawn.
    let revision = s.revision;
    update(&mut s, key(KeyCode::Down));
    assert!(s.revision > revision);
}
