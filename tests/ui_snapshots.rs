//! Whole frames, rendered by the real UI into ratatui's `TestBackend` at
//! 80×24 and 160×48. Times are fixed and the zone is UTC, so the frames are
//! the same on every machine.

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use copyjobs::app::msg::Msg;
use copyjobs::app::{Settings, State};
use copyjobs::aws::{ErrorKind, FetchError, Page, Target};
use copyjobs::dashboard::update;
use copyjobs::domain::job::{CopyJob, Status, Tag};
use copyjobs::domain::query::Filter;
use copyjobs::watch::{Outcome, SourceId};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
}

const ACCOUNT: &str = "111122223333";

fn job(id: &str, name: &str, status: Status, minutes_ago: i64) -> CopyJob {
    CopyJob {
        job_arn: format!("arn:aws:bedrock:us-east-1:{ACCOUNT}:model-copy-job/{id}"),
        status,
        created: t0() - Duration::minutes(minutes_ago),
        target_model_arn: format!(
            "arn:aws:bedrock:us-east-1:{ACCOUNT}:custom-model/amazon.nova-lite-v1:0:300k/{id}"
        ),
        target_model_name: Some(name.to_string()),
        source_account_id: "444455556666".into(),
        source_model_arn: format!(
            "arn:aws:bedrock:us-west-2:444455556666:custom-model/amazon.nova-lite-v1:0:300k/src{}",
            &id[3..]
        )
        .into(),
        source_model_name: Some(format!("{name}-src").into()),
        kms_key_arn: None,
        tags: vec![],
        failure_message: None,
    }
}

fn data() -> Vec<CopyJob> {
    let mut failed = job(
        "f00000000001",
        "fraud-sft-nova-lite-v3-use1",
        Status::Failed,
        42,
    );
    failed.kms_key_arn = Some(format!(
        "arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    ));
    failed.failure_message = Some(format!(
        "Bedrock could not use the KMS key arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab: AccessDeniedException when calling kms:CreateGrant. Grant the Bedrock service kms:CreateGrant, kms:DescribeKey, kms:GenerateDataKey and kms:Decrypt in the key policy, then retry the copy."
    ));
    failed.tags = vec![
        Tag {
            key: "team".into(),
            value: "fraud".into(),
        },
        Tag {
            key: "env".into(),
            value: "prod".into(),
        },
        Tag {
            key: "owner".into(),
            value: "priya@example.com".into(),
        },
    ];
    let mut evil = job(
        "e00000000002",
        "support-chat-nova-lite-v1",
        Status::Completed,
        300,
    );
    evil.tags = vec![Tag {
        key: "note".into(),
        value: "\u{1b}[2Jcleared?\u{7}".into(),
    }];
    let mut foundation = job(
        "d00000000003",
        "claims-nova-micro-use1",
        Status::InProgress,
        7,
    );
    foundation.source_model_arn =
        "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0".into();
    foundation.source_model_name = None;
    foundation.source_account_id = ACCOUNT.into();
    let mut rows = vec![
        job(
            "a00000000004",
            "search-ranker-llama31-8b-v2-use1",
            Status::InProgress,
            3,
        ),
        foundation,
        failed,
        job(
            "b00000000005",
            "legal-summarizer-titan-express-v7-copy",
            Status::Completed,
            95,
        ),
        evil,
        job(
            "c00000000006",
            "recsys-dpo-claude-haiku-v4-use1-prod",
            Status::Unknown("Paused".into()),
            1440,
        ),
    ];
    for i in 0..30 {
        rows.push(job(
            &format!("z{i:011}"),
            &format!("analytics-qa-nova-pro-v{i}-use1"),
            Status::Completed,
            2000 + i * 37,
        ));
    }
    rows
}

fn state() -> State {
    state_at(
        "demo · http://127.0.0.1:4566",
        Target {
            region: Some("us-east-1".into()),
            ..Target::default()
        },
    )
}

/// The fixture's jobs, read through `target` (`context` heads the screen).
fn state_at(context: &str, target: Target) -> State {
    let settings = Settings::new(context, target, FixedOffset::east_opt(0).unwrap());
    let mut s = State::new(settings, Filter::default(), t0());
    update(&mut s, Msg::Start(t0()));
    update(&mut s, Msg::Viewport(20));
    update(
        &mut s,
        Msg::Loaded {
            source: SourceId(0),
            generation: 1,
            result: Ok(Outcome::First {
                page: Page {
                    jobs: data(),
                    next_token: Some("t".into()),
                    ..Page::default()
                },
                inflight: Vec::new(),
                newest: None,
            }),
            at: t0(),
        },
    );
    s
}

fn key(s: &mut State, code: KeyCode) {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, KeyCode::Char(c));
    }
}

fn render(s: &mut State, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    // Draw, tell `update` the table's height, draw again: as the loop does.
    let mut height = 0;
    terminal
        .draw(|f| height = copyjobs::ui::draw(f, s))
        .unwrap();
    update(s, Msg::Viewport(height));
    terminal
        .draw(|f| height = copyjobs::ui::draw(f, s))
        .unwrap();
    terminal
}

#[test]
fn table_80x24() {
    insta::assert_snapshot!(render(&mut state(), 80, 24).backend());
}

#[test]
fn the_header_says_a_long_refresh_in_minutes_and_hours() {
    let mut s = state();
    for (presses, want) in [(5, "↻ 5m"), (3, "↻ 1h")] {
        for _ in 0..presses {
            key(&mut s, KeyCode::Char('-'));
        }
        let out = render(&mut s, 80, 24).backend().to_string();
        let second = out.lines().nth(1).unwrap_or("");
        assert!(second.contains(want), "{want}: {second}");
    }
}

#[test]
fn a_new_status_filter_is_no_new_connection() {
    let mut s = state();
    key(&mut s, KeyCode::Char('s'));
    let out = render(&mut s, 80, 24).backend().to_string();
    let last = out.lines().last().unwrap_or("");
    assert!(!last.contains("connecting"), "{last}");
    assert!(last.contains("last refresh 12:00:00"), "{last}");
}

#[test]
fn counts_past_a_thousand_have_separators_in_the_header_and_m() {
    let mut s = state();
    let jobs: Vec<CopyJob> = (0..1234)
        .map(|i| {
            job(
                &format!("kkk{i:09}"),
                &format!("m-{i}"),
                Status::Completed,
                600 + i,
            )
        })
        .collect();
    update(
        &mut s,
        Msg::Loaded {
            source: SourceId(0),
            generation: 1,
            result: Ok(Outcome::Next(Page {
                jobs,
                next_token: Some("t2".into()),
                ..Page::default()
            })),
            at: t0(),
        },
    );
    // 36 jobs of `data()` and 1,234 more: 1,266 of them completed.
    let out = render(&mut s, 80, 24).backend().to_string();
    let first = out.lines().next().unwrap_or("");
    assert!(
        first.contains("✔ 1,266") && first.contains("of 1,270 loaded"),
        "{first}"
    );
}

#[test]
fn table_160x48() {
    insta::assert_snapshot!(render(&mut state(), 160, 48).backend());
}

#[test]
fn a_status_change_seen_by_a_refresh() {
    let mut s = state();
    update(&mut s, Msg::Tick(t0() + Duration::seconds(10)));
    let mut fresh = data();
    fresh[0].status = Status::Failed;
    fresh[0].failure_message = Some("Service quota exceeded.".into());
    update(
        &mut s,
        Msg::Loaded {
            source: SourceId(0),
            generation: 1,
            result: Ok(Outcome::Reread(Page {
                jobs: fresh,
                next_token: Some("t".into()),
                ..Page::default()
            })),
            at: t0() + Duration::seconds(10),
        },
    );
    key(&mut s, KeyCode::Char('l'));
    insta::assert_snapshot!(render(&mut s, 80, 24).backend());
}

#[test]
fn detail_with_tags_and_failure_80x24() {
    let mut s = state();
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Enter);
    insta::assert_snapshot!(render(&mut s, 80, 24).backend());
}

#[test]
fn detail_with_tags_and_failure_160x48() {
    let mut s = state();
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Enter);
    insta::assert_snapshot!(render(&mut s, 160, 48).backend());
}

#[test]
fn escape_sequences_from_the_service_are_shown_not_obeyed() {
    let mut s = state();
    for _ in 0..4 {
        key(&mut s, KeyCode::Down);
    }
    key(&mut s, KeyCode::Enter);
    let t = render(&mut s, 160, 48);
    let text = format!("{}", t.backend());
    assert!(text.contains("\\u{1b}[2Jcleared?\\u{7}"), "{text}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn filter_panes_with_an_invalid_field() {
    let mut s = state();
    key(&mut s, KeyCode::Char('t'));
    typed(&mut s, "2h");
    key(&mut s, KeyCode::Tab);
    typed(&mut s, "last tuesday");
    key(&mut s, KeyCode::Tab);
    typed(&mut s, "fraud--x");
    key(&mut s, KeyCode::Enter);
    insta::assert_snapshot!(render(&mut s, 80, 24).backend());
}

#[test]
fn help_overlay() {
    let mut s = state();
    key(&mut s, KeyCode::Char('?'));
    insta::assert_snapshot!(render(&mut s, 80, 24).backend());
}

#[test]
fn empty_result() {
    let mut s = state();
    key(&mut s, KeyCode::Char('s'));
    update(
        &mut s,
        Msg::Loaded {
            source: SourceId(0),
            generation: 2,
            result: Ok(Outcome::First {
                page: Page::default(),
                inflight: Vec::new(),
                newest: None,
            }),
            at: t0(),
        },
    );
    insta::assert_snapshot!(render(&mut s, 80, 24).backend());
}

#[test]
fn an_error_in_the_status_bar_keeps_the_rows() {
    let mut s = state();
    update(&mut s, Msg::Tick(t0() + Duration::seconds(10)));
    let err = FetchError::new(
        ErrorKind::Throttled,
        "ThrottlingException: Rate exceeded",
        Some("the service is throttling; copyjobs backs off and retries"),
    );
    update(
        &mut s,
        Msg::Loaded {
            source: SourceId(0),
            generation: 1,
            result: Err(err),
            at: t0() + Duration::seconds(10),
        },
    );
    insta::assert_snapshot!(render(&mut s, 80, 24).backend());
}

#[test]
fn missing_credentials_say_what_to_do() {
    let mut s = State::new(state().settings, Filter::default(), t0());
    update(&mut s, Msg::Start(t0()));
    let err = FetchError {
        expired: true,
        ..FetchError::new(
            ErrorKind::Credentials,
            "No usable AWS credentials: the SSO session has expired",
            Some(
                "run `aws sso login --profile <profile>` or `aws configure`, pass --profile, or try `copyjobs demo`",
            ),
        )
    };
    update(
        &mut s,
        Msg::Loaded {
            source: SourceId(0),
            generation: 1,
            result: Err(err),
            at: t0(),
        },
    );
    insta::assert_snapshot!(render(&mut s, 80, 24).backend());
}

#[test]
fn local_search() {
    let mut s = state();
    key(&mut s, KeyCode::Char('/'));
    typed(&mut s, "kms:CreateGrant");
    insta::assert_snapshot!(render(&mut s, 80, 24).backend());
}

#[test]
fn tiny_terminals_degrade_without_panicking() {
    for (w, h) in [(10, 3), (30, 8), (40, 12), (60, 16)] {
        let mut s = state();
        key(&mut s, KeyCode::Enter);
        key(&mut s, KeyCode::Char('l'));
        render(&mut s, w, h);
        key(&mut s, KeyCode::Char('f'));
        render(&mut s, w, h);
    }
    insta::assert_snapshot!(render(&mut state(), 40, 12).backend());
}

#[test]
fn the_detail_pane_scrolls_to_its_last_line() {
    let mut s = state();
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Enter);
    for _ in 0..40 {
        key(&mut s, KeyCode::Char('J'));
    }
    let t = render(&mut s, 80, 24);
    let text = format!("{}", t.backend());
    assert!(text.contains("owner = priya@example.com"), "{text}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn the_source_picker_with_a_typed_region_refused() {
    let mut s = state();
    key(&mut s, KeyCode::Char('S'));
    update(
        &mut s,
        Msg::KnownProfiles(vec!["ml-prod".into(), "ml-staging".into()]),
    );
    // Check us-west-1 (the second region offered), then try a bad name.
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Char(' '));
    typed(&mut s, "mars-1");
    key(&mut s, KeyCode::Enter);
    insta::assert_snapshot!(render(&mut s, 80, 24).backend());
}

/// Each shipped theme, and NO_COLOR, with their styles: the buffer's debug
/// form lists every cell's colours and modifiers beside the text.
fn themed(theme: copyjobs::ui::theme::Theme) -> String {
    let mut s = state();
    s.settings.theme = theme;
    // A changed row and the selection, so every row style shows.
    key(&mut s, KeyCode::Down);
    format!("{:?}", render(&mut s, 80, 12).backend().buffer())
}

#[test]
fn theme_dark() {
    insta::assert_snapshot!(themed(copyjobs::ui::theme::Theme::builtin("dark").unwrap()));
}

#[test]
fn theme_light() {
    insta::assert_snapshot!(themed(
        copyjobs::ui::theme::Theme::builtin("light").unwrap()
    ));
}

#[test]
fn theme_high_contrast() {
    insta::assert_snapshot!(themed(
        copyjobs::ui::theme::Theme::builtin("high-contrast").unwrap()
    ));
}

#[test]
fn theme_no_color_keeps_symbols_words_and_emphasis() {
    let out = themed(copyjobs::ui::theme::Theme::default().without_color());
    // Nothing but the terminal's own colours anywhere.
    let styles = out.split("styles: [").nth(1).unwrap();
    for run in styles.lines().filter(|l| l.contains("x: ")) {
        assert!(run.contains("fg: Reset, bg: Reset"), "{run}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn help_shows_the_bindings_in_force_scrolled_to_the_end() {
    use copyjobs::config::keys::{Action, Key, KeyBindings, Keys};
    let mut s = state();
    let o = std::collections::BTreeMap::from([(
        Action::Refresh,
        Keys(vec![
            Key::parse("ctrl-r").unwrap(),
            Key::parse("f5").unwrap(),
        ]),
    )]);
    s.settings.keys = KeyBindings::new(&o).unwrap();
    key(&mut s, KeyCode::Char('?'));
    key(&mut s, KeyCode::End);
    let out = render(&mut s, 80, 24).backend().to_string();
    assert!(
        out.lines()
            .any(|l| l.contains("Ctrl-r F5") && l.contains("refresh now")),
        "{out}"
    );
    assert!(
        out.contains("quit, always"),
        "scrolled to the last line: {out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn a_header_click_sorts_and_the_header_says_so() {
    use copyjobs::domain::column::Column;
    use copyjobs::ui::{Hit, hit};
    let mut s = state();
    let area = ratatui::layout::Rect::new(0, 0, 120, 30);
    let out = render(&mut s, 120, 30).backend().to_string();
    // The header row is the third line; find where "Target model" is drawn.
    let header = out.lines().nth(2).unwrap();
    let x = header.trim_start_matches('"').find("Target model").unwrap() as u16;
    assert_eq!(hit(area, &s, x + 3, 2), Some(Hit::Header(Column::Name)));
    assert_eq!(hit(area, &s, 2, 4), Some(Hit::Row(1)), "the second row");
    assert_eq!(
        hit(area, &s, 2, 0),
        None,
        "the header line is not the table"
    );
    update(&mut s, Msg::SortBy(Column::Name));
    insta::assert_snapshot!(render(&mut s, 120, 30).backend());
}

#[test]
fn failure_groups_by_cause() {
    let mut s = state();
    key(&mut s, KeyCode::Char('F'));
    let mut jobs = Vec::new();
    for (i, account) in ["111111111111", "222222222222", "333333333333"]
        .iter()
        .enumerate()
    {
        let mut j = job(
            &format!("g{i:011}"),
            "fraud-sft",
            Status::Failed,
            10 + i as i64 * 90,
        );
        j.failure_message = Some(format!(
            "Access denied to the source model in account {account}. The source account must share the model with account {ACCOUNT} through AWS RAM before it can be copied."
        ));
        j.source_account_id = (*account).into();
        jobs.push(j);
    }
    let mut quota = job("q00000000001", "risk-dpo", Status::Failed, 600);
    quota.failure_message = Some(
        "ServiceQuotaExceededException: account 111122223333 has reached the limit of 100 custom models in us-east-1.".into(),
    );
    jobs.push(quota);
    update(
        &mut s,
        Msg::WindowRead {
            generation: 1,
            result: Ok(jobs),
        },
    );
    insta::assert_snapshot!(render(&mut s, 100, 30).backend());
}

#[test]
fn the_column_picker() {
    let mut s = state();
    key(&mut s, KeyCode::Char('v'));
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Char('K'));
    insta::assert_snapshot!(render(&mut s, 80, 24).backend());
}

#[test]
fn the_retry_confirmation_shows_what_is_sent() {
    let mut s = state();
    // The failed job of the fixture, then R.
    let arn = s
        .engine
        .shown()
        .iter()
        .find(|r| r.job.status == Status::Failed)
        .unwrap()
        .job
        .job_arn
        .clone();
    s.select_arn(&arn);
    key(&mut s, KeyCode::Char('R'));
    insta::assert_snapshot!(render(&mut s, 120, 30).backend());
}

/// Against an endpoint with a profile, the retry's AWS CLI command names
/// both (and the region): pasted, it reaches what the dashboard reads, not
/// the real service or the shell's default account.
#[test]
fn the_retry_command_names_the_endpoint_profile_and_region() {
    let mut s = state_at(
        "http://127.0.0.1:4704",
        Target {
            region: Some("us-east-1".into()),
            profile: Some("dev".into()),
            endpoint_url: Some("http://127.0.0.1:4704".into()),
            ..Target::default()
        },
    );
    let failed = s
        .engine
        .shown()
        .iter()
        .find(|r| r.job.status == Status::Failed);
    let arn = failed.unwrap().job.job_arn.clone();
    s.select_arn(&arn);
    key(&mut s, KeyCode::Char('R'));
    let out = render(&mut s, 200, 40).backend().to_string();
    // The pane's text, its wrapped lines joined: what is between its borders.
    let inside: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split('│').nth(1).map(str::trim))
        .collect();
    let inside = inside.join(" ");
    let at = inside.find("aws bedrock create-model-copy-job");
    let command = &inside[at.unwrap_or_else(|| panic!("no command: {out}"))..];
    for part in [
        "--region us-east-1",
        "--profile dev",
        "--endpoint-url http://127.0.0.1:4704",
    ] {
        assert!(command.contains(part), "{part} missing: {command}");
    }
    // Sent as shown: with the same profile.
    let fx = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let [copyjobs::app::msg::Effect::Create { profile, .. }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(profile.as_deref(), Some("dev"));
}

#[test]
fn copy_to_more_regions() {
    let mut s = state();
    key(&mut s, KeyCode::Char('C'));
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Char(' '));
    insta::assert_snapshot!(render(&mut s, 100, 34).backend());
}

/// The model's own region is no box: Space on it says why, and Enter
/// then sends nothing (a copy job copies a model to another region).
#[test]
fn the_copy_pane_refuses_the_models_own_region() {
    let mut s = state();
    key(&mut s, KeyCode::Char('C'));
    // The selected job's model lives in us-west-2, third in the list (the
    // regions a copy can go to come first).
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Char(' '));
    let out = render(&mut s, 100, 34).backend().to_string();
    assert!(
        out.contains("●   us-west-2       the model lives here"),
        "{out}"
    );
    assert!(!out.contains("[x] us-west-2"), "{out}");
    assert!(
        out.contains("✘ The model lives in us-west-2: a copy goes to another region"),
        "{out}"
    );
    let fx = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert!(fx.is_empty(), "nothing sent: {fx:?}");
    insta::assert_snapshot!(render(&mut s, 100, 34).backend());
}

/// Three regions merged; eu-central-1 refuses (an explicit deny), the
/// others answer with `data()` split between them.
fn three_regions_one_refused() -> State {
    use copyjobs::watch::SourceSpec;
    let mut settings = state().settings;
    settings.sources = ["us-east-1", "us-west-2", "eu-central-1"]
        .iter()
        .map(|r| SourceSpec {
            profile: None,
            region: Some((*r).to_string()),
            account: None,
        })
        .collect();
    let mut s = State::new(settings, Filter::default(), t0());
    update(&mut s, Msg::Start(t0()));
    let (mut east, mut west) = (Vec::new(), Vec::new());
    for (i, mut j) in data().into_iter().enumerate() {
        if i % 2 == 0 {
            east.push(j);
        } else {
            j.job_arn = j.job_arn.replace("us-east-1", "us-west-2");
            west.push(j);
        }
    }
    let generation = |s: &State, id| s.engine.source(SourceId(id)).unwrap().generation;
    for (id, jobs) in [(0, east), (1, west)] {
        let generation = generation(&s, id);
        update(
            &mut s,
            Msg::Loaded {
                source: SourceId(id),
                generation,
                result: Ok(Outcome::First {
                    page: Page {
                        jobs,
                        next_token: None,
                        ..Page::default()
                    },
                    inflight: Vec::new(),
                    newest: None,
                }),
                at: t0(),
            },
        );
    }
    let denied = FetchError::new(
        ErrorKind::Service,
        "AccessDeniedException: User: arn:aws:iam::111122223333:user/demo is not authorized to perform: bedrock:ListModelCopyJobs on resource: arn:aws:bedrock:eu-central-1:111122223333:model-copy-job/* with an explicit deny in a service control policy",
        Some(copyjobs::aws::error::access_denied_hint(
            "with an explicit deny in a service control policy",
        )),
    );
    let generation = generation(&s, 2);
    update(
        &mut s,
        Msg::Loaded {
            source: SourceId(2),
            generation,
            result: Err(denied),
            at: t0(),
        },
    );
    update(&mut s, Msg::Tick(t0() + Duration::seconds(3)));
    s
}

#[test]
fn a_refused_region_stays_in_the_header_at_80x24() {
    let mut s = three_regions_one_refused();
    let out = render(&mut s, 80, 24).backend().to_string();
    let header = out.lines().next().unwrap();
    // The wait is drawn in [0, 10 s] (full jitter) and 3 s have passed: the
    // header counts down whatever is left, in whole seconds rounded up.
    let source = s.engine.source(SourceId(2)).expect("eu-central-1");
    let left =
        (source.next_refresh.expect("a retry") - (t0() + Duration::seconds(3))).num_milliseconds();
    assert!((0..=7_000).contains(&left), "{left}");
    let said = format!("✘ eu-central-1 · retry in {}s", (left + 999) / 1000);
    assert!(header.contains(&said), "{header}");
    assert!(header.contains("of 36 loaded"), "{header}");
    insta::assert_snapshot!(out);
}

#[test]
fn a_long_message_takes_the_status_bar_from_the_hints() {
    let mut s = state();
    // A message the hints used to run into.
    update(
        &mut s,
        Msg::Exported(Err(
            "/home/someone/exports/copy-jobs-of-the-whole-quarter.csv: permission denied".into(),
        )),
    );
    let out = render(&mut s, 160, 48).backend().to_string();
    let bar = out.lines().last().unwrap();
    assert!(
        bar.contains("csv: permission denied  ") && bar.contains("q quit"),
        "whole, then the hints: {bar}"
    );
    let out = render(&mut s, 80, 24).backend().to_string();
    let bar = out.lines().last().unwrap();
    assert!(!bar.contains("help"), "no hint beside a cut message: {bar}");
    assert!(bar.contains("Export failed: /home/someone/"), "{bar}");
    assert!(bar.trim_end_matches([' ', '"']).ends_with('…'), "{bar}");
    update(&mut s, Msg::Exported(Ok(("x.csv".into(), 3))));
    let out = render(&mut s, 80, 24).backend().to_string();
    let bar = out.lines().last().unwrap();
    assert!(
        bar.contains("Wrote 3 jobs to x.csv  "),
        "room between: {bar}"
    );
    insta::assert_snapshot!(out);
}

/// Names that differ only at their end, an old job and a second region:
/// what a 100-column table must still tell apart.
fn lookalikes(columns: &[copyjobs::domain::column::Column]) -> State {
    use copyjobs::watch::SourceSpec;
    let mut settings = state().settings;
    settings.columns = columns.to_vec();
    settings.sources = ["us-east-1", "us-west-2"]
        .iter()
        .map(|r| SourceSpec {
            profile: None,
            region: Some((*r).to_string()),
            account: None,
        })
        .collect();
    let mut s = State::new(settings, Filter::default(), t0());
    update(&mut s, Msg::Start(t0()));
    let mut east = vec![
        job(
            "v00000000033",
            "voice-chat-nova-micro-v11-copy-33",
            Status::InProgress,
            2,
        ),
        job(
            "v00000000036",
            "voice-chat-nova-micro-v11-use1-36",
            Status::Completed,
            4,
        ),
        job(
            "v00000000002",
            "voice-chat-nova-micro-v11-copy-2",
            Status::Failed,
            6,
        ),
    ];
    // 181 days and 22 hours old.
    east.push(job(
        "o00000000001",
        "claims-rlhf-nova-micro-v13-copy",
        Status::Completed,
        181 * 1440 + 22 * 60,
    ));
    let mut west = job(
        "w00000000001",
        "voice-chat-nova-micro-v11-usw2-prod-9",
        Status::InProgress,
        3,
    );
    west.job_arn = west.job_arn.replace("us-east-1", "us-west-2");
    for (id, jobs) in [(0, east), (1, vec![west])] {
        let generation = s.engine.source(SourceId(id)).unwrap().generation;
        update(
            &mut s,
            Msg::Loaded {
                source: SourceId(id),
                generation,
                result: Ok(Outcome::First {
                    page: Page {
                        jobs,
                        next_token: None,
                        ..Page::default()
                    },
                    inflight: Vec::new(),
                    newest: None,
                }),
                at: t0(),
            },
        );
    }
    s
}

#[test]
fn columns_share_the_width_by_what_they_hold_100x30() {
    use copyjobs::domain::column::Column;
    let mut s = lookalikes(Column::DEFAULT);
    let out = render(&mut s, 100, 30).backend().to_string();
    for name in [
        "voice-chat-nova-micro-v11-copy-33",
        "voice-chat-nova-micro-v11-use1-36",
        "voice-chat-nova-micro-v11-copy-2 ",
        "voice-chat-nova-micro-v11-usw2-prod-9",
    ] {
        assert!(out.contains(name), "{name} whole: {out}");
    }
    assert!(out.contains("181d 22h"), "the Age keeps its unit: {out}");
    assert!(out.contains("us-east-1 "), "{out}");
    assert!(
        !out.contains("us-east-1      "),
        "Region is as wide as its text: {out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn the_job_arn_column_keeps_the_job_id_160x48() {
    use copyjobs::domain::column::Column;
    let mut s = lookalikes(&[
        Column::Status,
        Column::Name,
        Column::JobArn,
        Column::Created,
        Column::Age,
        Column::SourceModel,
        Column::SourceAccount,
        Column::TargetModelArn,
    ]);
    let out = render(&mut s, 160, 48).backend().to_string();
    for id in [
        "v00000000033",
        "v00000000036",
        "v00000000002",
        "w00000000001",
    ] {
        assert!(out.contains(&format!("copy-job/{id} ")), "{id}: {out}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn the_event_log_scrolls_and_names_region_job_and_failure_160x45() {
    let mut s = state();
    update(&mut s, Msg::Tick(t0() + Duration::seconds(10)));
    let mut fresh = data();
    for (i, j) in fresh.iter_mut().enumerate().skip(3).take(20) {
        j.status = Status::Failed;
        j.failure_message = Some(format!(
            "ValidationException: the source model of copy {i} is no longer shared with account {ACCOUNT}"
        ));
    }
    update(
        &mut s,
        Msg::Loaded {
            source: SourceId(0),
            generation: 1,
            result: Ok(Outcome::Reread(Page {
                jobs: fresh,
                next_token: Some("t".into()),
                ..Page::default()
            })),
            at: t0() + Duration::seconds(10),
        },
    );
    key(&mut s, KeyCode::Char('l'));
    // Down to the oldest entry, past what the pane holds.
    for _ in 0..19 {
        key(&mut s, KeyCode::Char('j'));
    }
    let out = render(&mut s, 160, 45).backend().to_string();
    assert!(
        out.contains(
            "us-east-1  ✔ → ✘ Failed     legal-summarizer-titan-express-v7-copy b00000000005  Valid"
        ),
        "region, change, whole name and id: {out}"
    );
    assert!(
        out.contains("copy 3 is no longer shared"),
        "the failure: {out}"
    );
    insta::assert_snapshot!(out);
}

/// `n` jobs newer than the fixture's, the newest first.
fn arrivals(n: usize) -> Vec<CopyJob> {
    (0..n)
        .map(|k| {
            let mut j = job(
                &format!("n{k:011}"),
                &format!("new-arrival-{k}"),
                Status::InProgress,
                0,
            );
            j.created = t0() + Duration::seconds((n - k) as i64);
            j
        })
        .collect()
}

fn refresh_with(s: &mut State, jobs: Vec<CopyJob>) {
    let at = t0() + Duration::seconds(10);
    update(s, Msg::Tick(at));
    update(
        s,
        Msg::Loaded {
            source: SourceId(0),
            generation: 1,
            result: Ok(Outcome::Refresh {
                head_newest: jobs.iter().map(|j| j.created).max(),
                seen: jobs,
                gone: Vec::new(),
                unkept: Default::default(),
                unanswered: None,
            }),
            at,
        },
    );
}

#[test]
fn every_arrival_of_a_refresh_is_highlighted() {
    let mut s = state();
    refresh_with(&mut s, arrivals(10));
    let t = render(&mut s, 100, 30);
    let buffer = t.backend().buffer();
    let theme = copyjobs::ui::theme::Theme::default();
    // Body rows start under the header lines and the column headers.
    let styles: Vec<_> = (3..15).map(|y| buffer[(20, y)].bg).collect();
    assert_eq!(
        styles[0],
        theme.selected.bg.unwrap(),
        "the newest, selected on top"
    );
    assert!(
        styles[1..10].iter().all(|bg| Some(*bg) == theme.changed.bg),
        "the nine other arrivals: {styles:?}"
    );
    assert!(styles[10..].iter().all(|bg| Some(*bg) != theme.changed.bg));
}

#[test]
fn new_rows_above_the_screen_are_counted_in_the_header_100x30() {
    let mut s = state();
    for _ in 0..30 {
        key(&mut s, KeyCode::Down);
    }
    render(&mut s, 100, 30);
    refresh_with(&mut s, arrivals(12));
    let out = render(&mut s, 100, 30).backend().to_string();
    assert!(
        out.lines().nth(1).unwrap().contains("↑ 12 new (g)"),
        "{out}"
    );
    assert!(out.contains("Refresh: +12 new"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn a_pinned_row_is_marked_without_colour() {
    let mut s = state();
    s.settings.theme = copyjobs::ui::theme::Theme::default().without_color();
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Char('w'));
    key(&mut s, KeyCode::Down);
    let out = render(&mut s, 80, 24).backend().to_string();
    let first = out.lines().nth(3).unwrap();
    assert!(
        first.contains("✘ Failed     ⚑ fraud-sft-nova-lite-v3-use1"),
        "pinned on top, with its mark: {out}"
    );
    assert_eq!(out.matches('⚑').count(), 1, "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn the_retry_confirmation_at_80x24_shows_the_failure_and_wraps_the_command() {
    let mut s = state();
    let arn = s
        .engine
        .shown()
        .iter()
        .find(|r| r.job.status == Status::Failed)
        .unwrap()
        .job
        .job_arn
        .clone();
    s.select_arn(&arn);
    key(&mut s, KeyCode::Char('R'));
    let out = render(&mut s, 80, 24).backend().to_string();
    assert!(
        out.contains("│ Failure      Bedrock could not use the KMS key"),
        "the failure first: {out}"
    );
    // The command, wrapped whole inside the border: its last word is there.
    let squash: String = out
        .lines()
        .map(|l| l.trim_matches('"').trim_matches('│').trim().to_string())
        .collect();
    assert!(
        squash.contains("--client-request-tokencopyjobs-")
            || squash.contains("--client-request-token copyjobs-"),
        "{out}"
    );
    let pane: Vec<&str> = out.lines().filter(|l| l.contains('│')).collect();
    assert!(pane.len() > 15);
    for l in pane {
        assert!(
            l.trim_end_matches('"').ends_with('│'),
            "inside the border: {l}"
        );
    }
    insta::assert_snapshot!(out);
}

/// A job stamped ahead of the local clock (the service's clock runs a few
/// minutes ahead) reads the same in the dashboard's table and in `list -o
/// table`: both write their cells with `Column::text`. They used to
/// disagree: "in 5m" in `list`, "0s" in the table.
#[test]
fn a_job_stamped_ahead_of_the_clock_reads_the_same_in_the_table_and_in_list() {
    use copyjobs::domain::column::{CellContext, Column};
    let ahead = job("a00000000009", "ahead-of-the-clock", Status::InProgress, -5);
    let settings = Settings::new(
        "demo · http://127.0.0.1:4566",
        Target {
            region: Some("us-east-1".into()),
            ..Target::default()
        },
        FixedOffset::east_opt(0).unwrap(),
    );
    let mut s = State::new(settings, Filter::default(), t0());
    update(&mut s, Msg::Start(t0()));
    update(
        &mut s,
        Msg::Loaded {
            source: SourceId(0),
            generation: 1,
            result: Ok(Outcome::First {
                page: Page {
                    jobs: vec![ahead.clone()],
                    next_token: None,
                    ..Page::default()
                },
                inflight: Vec::new(),
                newest: None,
            }),
            at: t0(),
        },
    );
    let screen = render(&mut s, 160, 24).backend().to_string();
    let row = screen
        .lines()
        .find(|l| l.contains("ahead-of-the-clock"))
        .expect("the job's row")
        .to_string();
    let ctx = CellContext {
        now: t0(),
        tz: &FixedOffset::east_opt(0).unwrap(),
        date_format: "%Y-%m-%d %H:%M",
        profile: None,
        account: None,
        since: None,
        eta: None,
    };
    let listed =
        copyjobs::output::export::table_row_of(&ahead, &[Column::Age, Column::Ran], 80, &ctx);
    assert!(listed.contains("in 5m"), "list: {listed}");
    for cell in ["in 5m", &Column::Ran.text(&ahead, &ctx)] {
        assert!(
            row.contains(cell),
            "the table shows {cell:?} as list does: {row}"
        );
        assert!(listed.contains(cell), "{listed}");
    }
}

/// The local history's durations in the dashboard: a running copy's Ran
/// cell says when it should end, the detail pane on what that rests; past
/// the group's 90th percentile it is slow. Groups as the history reads
/// them (`Groups::from_samples`), delivered as the runner delivers them.
#[test]
fn a_running_copy_shows_its_eta_and_its_basis() {
    use copyjobs::history::{Group, Groups, Sample, Took};
    let mut s = state();
    s.history.on = true;
    // The InProgress job of the data: its group, measured 5 times, 18–22m.
    let running = s
        .engine
        .shown()
        .iter()
        .find(|r| r.job.status == Status::InProgress)
        .map(|r| r.job.clone())
        .expect("a running job");
    let group = Group::of(&running);
    let samples = (0..5).map(|i| {
        let created = t0() - Duration::days(1) - Duration::hours(i);
        let mid = Duration::minutes(18 + i);
        Sample {
            group: group.clone(),
            took: Took::new(
                created,
                created + mid,
                created + mid + Duration::seconds(30),
            )
            .unwrap(),
            ended_by: created + mid + Duration::seconds(30),
        }
    });
    update(&mut s, Msg::Durations(Groups::from_samples(samples)));
    s.select_arn(&running.job_arn);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let screen = render(&mut s, 160, 48).backend().to_string();
    let elapsed = copyjobs::domain::query::human_duration(t0() - running.created);
    let want = s
        .history
        .eta(&running, t0())
        .expect("an estimate")
        .ran(t0() - running.created);
    assert!(
        want.starts_with(&elapsed) && want.contains("left"),
        "{want}"
    );
    assert!(screen.contains(&want), "the Ran cell: {want}\n{screen}");
    assert!(
        screen.contains("Expected") && screen.contains("of 5 copies"),
        "the basis in the detail pane:\n{screen}"
    );
    // An hour later it has outrun every measured copy: slow.
    let later = t0() + Duration::hours(1);
    update(&mut s, Msg::Tick(later));
    let screen = render(&mut s, 160, 48).backend().to_string();
    assert!(screen.contains("slow"), "{screen}");
}

/// The history's problems are one line, and the dashboard goes on.
#[test]
fn a_history_problem_is_one_line_and_nothing_stops() {
    let mut s = state();
    s.history.on = true;
    let rows = s.view.len();
    update(
        &mut s,
        Msg::HistoryProblem("history: the disk is full; observations are not kept".into()),
    );
    let screen = render(&mut s, 160, 24).backend().to_string();
    assert!(screen.contains("the disk is full"), "{screen}");
    assert_eq!(s.view.len(), rows);
}

/// A team's models copied across four regions over ten days: completed,
/// failed (with a cause), running, several copies into one region, and
/// regions a model cannot go to (⊘), never copied into.
fn window() -> Vec<CopyJob> {
    const REGIONS: [&str; 4] = ["us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1"];
    let models = [
        (
            "fraud-sft-nova-lite-v3",
            "amazon.nova-lite-v1:0:300k",
            "us-east-1",
        ),
        (
            "claims-dpo-llama31-8b",
            "meta.llama3-1-8b-instruct-v1:0:128k",
            "us-west-2",
        ),
        (
            "brand-extractor-nova-pro",
            "amazon.nova-pro-v1:0:300k",
            "us-east-1",
        ),
        (
            "search-rewriter-haiku",
            "anthropic.claude-3-haiku-20240307-v1:0:200k",
            "us-west-2",
        ),
        (
            "voice-intent-nova-micro",
            "amazon.nova-micro-v1:0:128k",
            "eu-central-1",
        ),
    ];
    let mut jobs = Vec::new();
    for (m, (name, base, home)) in models.iter().enumerate() {
        for (r, region) in REGIONS.iter().enumerate() {
            if region == home || (m + r) % 4 == 3 {
                continue;
            }
            // Copies go only where the service lets them.
            let base_model = base.split(':').next().unwrap();
            if copyjobs::domain::copy_regions::CopyRegions::shipped()
                .support(Some(base_model), region)
                == copyjobs::domain::copy_regions::Support::Unsupported
            {
                continue;
            }
            for k in 0..(1 + (m * 3 + r) % 3) {
                let i = jobs.len();
                let status = match (m + r + k) % 4 {
                    0 => Status::Failed,
                    1 if k == 0 => Status::InProgress,
                    _ => Status::Completed,
                };
                let id = format!("w{i:011}");
                let mut j = job(
                    &id,
                    name,
                    status,
                    (k as i64 + 1) * 1440 * (m as i64 % 3 + 1) + i as i64 * 7,
                );
                j.job_arn = format!("arn:aws:bedrock:{region}:{ACCOUNT}:model-copy-job/{id}");
                j.target_model_arn =
                    format!("arn:aws:bedrock:{region}:{ACCOUNT}:custom-model/{base}/{id}");
                j.source_model_arn =
                    format!("arn:aws:bedrock:{home}:444455556666:custom-model/{base}/src{m:09}")
                        .into();
                j.source_model_name = Some((*name).into());
                if j.status == Status::Failed {
                    j.failure_message = Some(format!(
                        "Access denied to the source model in account 444455556666. The source account must share the model with account {ACCOUNT} through AWS RAM before it can be copied."
                    ));
                }
                jobs.push(j);
            }
        }
    }
    jobs
}

/// The dashboard over four regions with `pane` (`M` or `T`) open on
/// [`window`].
fn overview(pane: char) -> State {
    overview_of(pane, Filter::default(), window())
}

/// As [`overview`], under `filter`, the window read being `jobs`.
fn overview_of(pane: char, filter: Filter, jobs: Vec<CopyJob>) -> State {
    overview_with(pane, filter, jobs, None)
}

/// As [`overview_of`], following `policy`.
fn overview_with(
    pane: char,
    filter: Filter,
    jobs: Vec<CopyJob>,
    policy: Option<copyjobs::domain::policy::Policy>,
) -> State {
    let regions: Vec<String> = ["us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1"]
        .iter()
        .map(|r| r.to_string())
        .collect();
    let settings = Settings {
        policy,
        sources: copyjobs::watch::SourceSpec::product(&[], &regions),
        ..Settings::new(
            "demo · http://127.0.0.1:4566",
            Target::default(),
            FixedOffset::east_opt(0).unwrap(),
        )
    };
    let mut s = State::new(settings, filter, t0());
    update(&mut s, Msg::Start(t0()));
    key(&mut s, KeyCode::Char(pane));
    update(
        &mut s,
        Msg::WindowRead {
            generation: 1,
            result: Ok(jobs),
        },
    );
    s
}

#[test]
fn the_matrix_80x24() {
    let mut s = overview('M');
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Right);
    insta::assert_snapshot!(render(&mut s, 80, 24).backend());
}

#[test]
fn the_matrix_160x48() {
    let mut s = overview('M');
    insta::assert_snapshot!(render(&mut s, 160, 48).backend());
}

/// [`window`] and a model whose name is longer than 28 cells, living in
/// ap-northeast-1 (a home longer than the 12 cells a region column takes at
/// least), copied to us-east-1 and us-west-2.
fn window_with_a_long_name() -> Vec<CopyJob> {
    let mut jobs = window();
    for (i, region) in ["us-east-1", "us-west-2"].iter().enumerate() {
        let id = format!("long{i:08}");
        let mut j = job(
            &id,
            "fraud-classifier-llama31-8b-instruct-v3",
            Status::Completed,
            300 + i as i64,
        );
        j.job_arn = format!("arn:aws:bedrock:{region}:{ACCOUNT}:model-copy-job/{id}");
        j.target_model_arn = format!(
            "arn:aws:bedrock:{region}:{ACCOUNT}:custom-model/meta.llama3-1-8b-instruct-v1:0:128k/{id}"
        );
        j.source_model_arn = "arn:aws:bedrock:ap-northeast-1:444455556666:custom-model/meta.llama3-1-8b-instruct-v1:0:128k/srclong00001".into();
        j.source_model_name = Some("fraud-classifier-llama31-8b-instruct-v3".into());
        jobs.push(j);
    }
    jobs
}

#[test]
fn the_matrix_120x35_shows_a_long_name_and_its_home_whole() {
    let mut s = overview_of('M', Filter::default(), window_with_a_long_name());
    insta::assert_snapshot!(render(&mut s, 120, 35).backend());
}

#[test]
fn the_matrix_200x50_cuts_nothing_and_names_its_filters() {
    let filter = Filter {
        name_contains: Some("nova".into()),
        created_after: Some(t0() - Duration::days(30)),
        ..Filter::default()
    };
    let jobs = window_with_a_long_name()
        .into_iter()
        .filter(|j| j.display_name().contains("nova"))
        .collect();
    let mut s = overview_of('M', filter, jobs);
    insta::assert_snapshot!(render(&mut s, 200, 50).backend());
}

#[test]
fn question_mark_in_the_matrix_lists_its_keys_over_it_80x24() {
    let mut s = overview('M');
    key(&mut s, KeyCode::Char('?'));
    insta::assert_snapshot!(render(&mut s, 80, 24).backend());
    key(&mut s, KeyCode::Esc);
    let out = render(&mut s, 80, 24).backend().to_string();
    assert!(out.contains("where each model is"), "back in M: {out}");
}

#[test]
fn c_opened_from_the_matrix_is_drawn_over_it_and_esc_shows_the_matrix_again() {
    let mut s = overview('M');
    key(&mut s, KeyCode::Char('C'));
    let out = render(&mut s, 160, 48).backend().to_string();
    assert!(out.contains("copy to more regions"), "C on top: {out}");
    assert!(out.contains("where each model is"), "M under it: {out}");
    key(&mut s, KeyCode::Esc);
    let out = render(&mut s, 160, 48).backend().to_string();
    assert!(!out.contains("copy to more regions"), "{out}");
    assert!(out.contains("where each model is"), "back in M: {out}");
}

#[test]
fn the_matrix_while_it_reads() {
    let mut s = overview('M');
    key(&mut s, KeyCode::Char('r'));
    update(
        &mut s,
        Msg::WindowProgress {
            generation: 2,
            read: 1234,
        },
    );
    let out = render(&mut s, 80, 24).backend().to_string();
    assert!(
        out.contains("reading every job of the filter window… 1,234"),
        "{out}"
    );
}

#[test]
fn the_activity_80x24() {
    insta::assert_snapshot!(render(&mut overview('T'), 80, 24).backend());
}

#[test]
fn the_activity_160x48() {
    insta::assert_snapshot!(render(&mut overview('T'), 160, 48).backend());
}

#[test]
fn the_activity_without_colour_tells_statuses_by_their_glyphs() {
    let mut s = overview('T');
    s.settings.theme = copyjobs::ui::theme::Theme::default().without_color();
    let out = render(&mut s, 100, 30).backend().to_string();
    for glyph in ["█ completed", "▒ failed", "░ running"] {
        assert!(out.contains(glyph), "{glyph} in the legend:\n{out}");
    }
    // The stacked bars use the same glyphs.
    let bars: String = out.lines().take(16).collect();
    assert!(bars.contains('█') && bars.contains('▒'), "{out}");
}

#[test]
fn a_small_day_with_a_failure_shows_its_glyph_beside_a_busy_day() {
    // 600 copies completed today; five days ago one failed, one completed.
    let mut jobs: Vec<CopyJob> = (0..600)
        .map(|i| {
            job(
                &format!("bsy{i:09}"),
                "busy",
                Status::Completed,
                60 + i % 300,
            )
        })
        .collect();
    jobs.push(job("sml000000001", "small", Status::Completed, 5 * 1440));
    let mut failed = job("sml000000002", "small", Status::Failed, 5 * 1440 + 10);
    failed.failure_message = Some("Service quota exceeded.".into());
    jobs.push(failed);
    let mut s = overview_of('T', Filter::default(), jobs);
    s.settings.theme = copyjobs::ui::theme::Theme::default().without_color();
    let out = render(&mut s, 100, 30).backend().to_string();
    // The daily chart is the top 55 % of the pane: its bars hold the ▒.
    let chart: String = out.lines().take(14).collect();
    assert!(chart.contains('▒'), "the failure is drawn:\n{out}");
    // Days without a copy draw nothing: two bars in all.
    let ground = out.lines().nth(13).unwrap_or("");
    assert_eq!(ground.matches('█').count(), 2, "{out}");
}

#[test]
fn the_matrix_says_which_region_was_not_read_and_marks_its_cells() {
    let mut s = overview('r');
    key(&mut s, KeyCode::Char('M'));
    let generation = s.reads;
    update(
        &mut s,
        Msg::WindowRefused {
            generation,
            refused: vec![(
                "ap-northeast-1".into(),
                "AccessDeniedException: explicit deny".into(),
            )],
        },
    );
    let read: Vec<CopyJob> = window()
        .into_iter()
        .filter(|j| !j.job_arn.contains(":ap-northeast-1:"))
        .collect();
    update(
        &mut s,
        Msg::WindowRead {
            generation,
            result: Ok(read),
        },
    );
    let out = render(&mut s, 160, 48).backend().to_string();
    assert!(out.contains("✘ ap-northeast-1 not read"), "{out}");
    assert!(out.contains("? not read"), "{out}");
    let t = {
        key(&mut s, KeyCode::Char('T'));
        render(&mut s, 160, 48).backend().to_string()
    };
    assert!(t.contains("✘ ap-northeast-1 not read"), "{t}");
}

/// Twelve accounts of an organisation, as `--org` names them.
const ORG: [(&str, &str); 12] = [
    ("101010101010", "ml-prod"),
    ("202020202020", "ml-staging"),
    ("303030303030", "ml-dev"),
    ("404040404040", "data-platform-prod"),
    ("505050505050", "data-platform-dev"),
    ("606060606060", "research-sandbox"),
    ("707070707070", "team-voice-prod"),
    ("808080808080", "team-voice-dev"),
    ("909090909090", "team-risk-prod"),
    ("121212121212", "team-risk-dev"),
    ("131313131313", "security-audit"),
    ("141414141414", "org-management"),
];
const ORG_REGIONS: [&str; 3] = ["us-east-1", "us-west-2", "eu-central-1"];

/// The organisation's 36 sources (account × region, through profile
/// `org`), each answering with the fixture's jobs moved into its account
/// and region, or with the error `fail` gives for its index.
fn organisation(fail: impl Fn(usize) -> Option<FetchError>) -> State {
    use copyjobs::domain::account::Account;
    use copyjobs::watch::SourceSpec;
    use copyjobs::watch::source::Reach;
    let mut settings = state().settings;
    settings.sources = ORG
        .iter()
        .flat_map(|(id, name)| {
            ORG_REGIONS.iter().map(move |r| SourceSpec {
                profile: Some("org".into()),
                region: Some((*r).to_string()),
                account: Some(Reach {
                    account: Account {
                        id: (*id).into(),
                        name: Some((*name).into()),
                    },
                    role: "CopyJobsReader".into(),
                    sso: true,
                }),
            })
        })
        .collect();
    let mut s = State::new(settings, Filter::default(), t0());
    update(&mut s, Msg::Start(t0()));
    let sources: Vec<(SourceId, u64, String, String)> = s
        .engine
        .sources()
        .iter()
        .map(|src| {
            let r = src.spec.account.as_ref().unwrap();
            (
                src.id,
                src.generation,
                r.account.id.clone(),
                src.spec.region.clone().unwrap(),
            )
        })
        .collect();
    for (i, (id, generation, account, region)) in sources.into_iter().enumerate() {
        let result = match fail(i) {
            Some(e) => Err(e),
            None => {
                // One job in three per source, so the table mixes them.
                let jobs = data()
                    .into_iter()
                    .enumerate()
                    .filter(|(k, _)| k % 36 == i % 36)
                    .map(|(_, mut j)| {
                        let at = format!("{region}:{account}:");
                        j.job_arn = j.job_arn.replace(&format!("us-east-1:{ACCOUNT}:"), &at);
                        j.target_model_arn = j
                            .target_model_arn
                            .replace(&format!("us-east-1:{ACCOUNT}:"), &at);
                        j
                    })
                    .collect();
                Ok(Outcome::First {
                    page: Page {
                        jobs,
                        next_token: None,
                        ..Page::default()
                    },
                    inflight: Vec::new(),
                    newest: None,
                })
            }
        };
        update(
            &mut s,
            Msg::Loaded {
                source: id,
                generation,
                result,
                at: t0(),
            },
        );
    }
    update(&mut s, Msg::Tick(t0() + Duration::seconds(3)));
    s
}

/// STS's words when ml-dev's role is refused.
const REFUSED_ROLE: &str = "User: arn:aws:iam::141414141414:user/demo is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::303030303030:role/CopyJobsReader";

/// ml-dev's role is refused (its three regions); an SCP denies
/// eu-central-1 in team-risk-prod.
fn two_accounts_refused(i: usize) -> Option<FetchError> {
    match i {
        6..=8 => Some(FetchError::role_refused(REFUSED_ROLE)),
        26 => Some(FetchError::new(
            ErrorKind::Service,
            "AccessDeniedException: explicit deny in a service control policy",
            None,
        )),
        _ => None,
    }
}

#[test]
fn an_organisations_failing_sources_are_counted_once_in_the_header_at_80x24() {
    let mut s = organisation(two_accounts_refused);
    let out = render(&mut s, 80, 24).backend().to_string();
    let header = out.lines().next().unwrap();
    assert!(header.contains("✘ 4 of 36 sources"), "{out}");
    assert_eq!(
        header.matches('✘').count(),
        2,
        "the count, and failed jobs: {header}"
    );
    let status = out.lines().nth(23).unwrap();
    assert!(
        status.contains("✘ 4 of 36 sources fail: ml-dev/us-east-1"),
        "{status}"
    );
    // Rows of 12 accounts with an eu-central-1 row on screen: the Account
    // column stays (Ran gives way), its cut names told apart.
    let table_head = out.lines().nth(2).unwrap();
    assert!(table_head.contains("Account"), "{out}");
    assert!(
        out.contains("data-p…rm-prod") && out.contains("data-p…orm-dev"),
        "{out}"
    );
    // 36 sources that answered together refresh spread over the interval:
    // the soonest and the last, not the soonest alone.
    let filters = out.lines().nth(1).unwrap();
    assert!(filters.contains("next in 3–7s"), "{filters}");
    insta::assert_snapshot!(out);
    // S says which and why, account by account.
    key(&mut s, KeyCode::Char('S'));
    let out = render(&mut s, 120, 35).backend().to_string();
    assert!(out.contains("ml-dev · 303030303030"), "{out}");
    assert!(out.contains("✘ The role cannot be assumed"), "{out}");
    assert!(out.contains("✘ eu-central-1: AccessDenied"), "{out}");
    insta::assert_snapshot!("an_organisations_accounts_in_s_120x35", out);
}

#[test]
fn s_shows_the_selected_accounts_state_whole_at_80x24() {
    let mut s = organisation(two_accounts_refused);
    key(&mut s, KeyCode::Char('S'));
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Down);
    let out = render(&mut s, 80, 24).backend().to_string();
    // The lines under the list, inside the box, joined as they wrap.
    let lines: Vec<&str> = out.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("│ ml-dev · 303030303030: "))
        .unwrap_or_else(|| panic!("ml-dev's state under the list: {out}"));
    let said: Vec<String> = lines[at..]
        .iter()
        .take_while(|l| !l.contains(" sources ("))
        .map(|l| {
            l.trim_matches('"')
                .trim_matches(|c| c == '│' || c == ' ')
                .to_string()
        })
        .collect();
    let said = said.join(" ");
    assert!(
        said.contains(REFUSED_ROLE) && !said.contains('…'),
        "the whole of STS's words, nothing cut: {said}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn the_event_log_names_the_account_of_a_jobs_entry_120x35() {
    use copyjobs::app::log::LogLine;
    let mut s = organisation(two_accounts_refused);
    let job = s
        .engine
        .rows()
        .iter()
        .map(|r| r.job.clone())
        .find(|j| j.account() == "202020202020")
        .expect("ml-staging has jobs");
    let name = job.display_name().to_string();
    s.events
        .push(LogLine::job(t0(), &job, Some(Status::InProgress)));
    key(&mut s, KeyCode::Char('l'));
    let out = render(&mut s, 120, 35).backend().to_string();
    let entry = out
        .lines()
        .find(|l| l.contains("│12:00:00") && l.contains(&name))
        .unwrap_or_else(|| panic!("the job's entry: {out}"));
    assert!(entry.contains("ml-staging · 202020202020"), "{entry}");
    // A refused source's entry names its account in the same column.
    let refused = out
        .lines()
        .find(|l| l.contains("│12:00:00  ml-dev · 303030303030 ") && l.contains(" us-east-1 "))
        .unwrap_or_else(|| panic!("ml-dev's refusal in us-east-1: {out}"));
    assert!(refused.contains("✘ not answering"), "{refused}");
    insta::assert_snapshot!(out);
}

#[test]
fn one_expired_session_is_one_message_for_every_account() {
    let expired = FetchError {
        expired: true,
        ..FetchError::new(
            ErrorKind::Credentials,
            "No usable AWS credentials: the SSO token has expired",
            None,
        )
    };
    let mut s = organisation(|_| Some(expired.clone()));
    let out = render(&mut s, 120, 35).backend().to_string();
    let header = out.lines().next().unwrap();
    assert!(header.contains("✘ 36 of 36 sources"), "{header}");
    let status = out.lines().nth(34).unwrap();
    assert!(
        status.contains("✘ 36 sources: credentials expired: run `aws sso login --profile org`"),
        "{status}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn s_finds_accounts_by_name_and_the_search_by_account_120x35() {
    let mut s = organisation(|_| None);
    key(&mut s, KeyCode::Char('S'));
    typed(&mut s, "voice");
    let out = render(&mut s, 120, 35).backend().to_string();
    assert!(out.contains("Accounts (2 of 12)"), "{out}");
    assert!(out.contains("team-voice-prod") && out.contains("team-voice-dev"));
    assert!(!out.contains("[x] ml-prod"), "{out}");
    insta::assert_snapshot!(out);
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Char('/'));
    typed(&mut s, "ml-staging");
    key(&mut s, KeyCode::Enter);
    let out = render(&mut s, 120, 35).backend().to_string();
    assert!(out.contains("local search: ml-staging"), "{out}");
    let rows: Vec<&str> = out
        .lines()
        .skip(3)
        .map(|l| l.trim_matches('"'))
        .take_while(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "{out}");
    assert!(rows.iter().all(|l| l.contains("ml-staging")), "{out}");
}

#[test]
fn the_matrix_names_an_organisations_accounts_120x35() {
    let mut s = organisation(|_| None);
    // Every loaded job is the window; half the models are owned by the
    // account that copied them (named), the rest by 444455556666 (no name).
    let jobs: Vec<CopyJob> = s
        .engine
        .rows()
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut j = r.job.clone();
            if i % 2 == 0 {
                let account = j.account().to_string();
                j.source_model_arn = j.source_model_arn.replace("444455556666", &account).into();
                j.source_account_id = account.into();
            }
            j
        })
        .collect();
    key(&mut s, KeyCode::Char('M'));
    update(
        &mut s,
        Msg::WindowRead {
            generation: 1,
            result: Ok(jobs),
        },
    );
    let out = render(&mut s, 120, 35).backend().to_string();
    assert!(out.contains("ACCOUNT"), "{out}");
    assert!(
        out.contains(" ml-dev ") && out.contains("444455556666"),
        "{out}"
    );
    assert!(
        out.contains("(AWS)"),
        "a foundation model is no member's: {out}"
    );
    insta::assert_snapshot!(out);
}

/// Every Nova-based model in the four regions of [`window`].
fn nova_policy() -> copyjobs::domain::policy::Policy {
    use copyjobs::domain::policy::{Glob, Policy, Rule};
    Policy {
        rules: vec![Rule {
            base_model: Some(Glob::parse("amazon.nova-*").unwrap()),
            regions: ["us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1"]
                .iter()
                .map(|r| r.to_string())
                .collect(),
            ..Rule::default()
        }],
    }
}

/// What [`window`] lacks under [`nova_policy`], worked out by hand from its
/// loops: a copy where no job went ((model + region) % 4 == 3), a retry
/// where the newest copy failed.
const WANTED: [(&str, &str); 5] = [
    ("fraud-sft-nova-lite-v3", "ap-northeast-1"),
    ("brand-extractor-nova-pro", "us-west-2"),
    ("brand-extractor-nova-pro", "eu-central-1"),
    ("voice-intent-nova-micro", "us-east-1"),
    ("voice-intent-nova-micro", "ap-northeast-1"),
];

#[test]
fn the_matrix_marks_the_copies_the_policy_wants_160x48() {
    let mut s = overview_with('M', Filter::default(), window(), Some(nova_policy()));
    let out = render(&mut s, 160, 48).backend().to_string();
    // Three empty cells wanted (the two failed ones show their ✘).
    assert!(out.contains("○ 3 missing"), "{out}");
    assert_eq!(
        out.matches('○').count(),
        3 + 1 + 1,
        "cells, title, legend: {out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn the_plan_pane_160x48() {
    let mut s = overview_with('M', Filter::default(), window(), Some(nova_policy()));
    key(&mut s, KeyCode::Char('P'));
    let out = render(&mut s, 160, 48).backend().to_string();
    assert!(
        out.contains("3 to copy · 2 to retry · 3 in progress · 0 cannot · 4 ok"),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn the_plan_pane_asks_then_sends_each_missing_copy_once_80x24() {
    let mut s = overview_with('P', Filter::default(), window(), Some(nova_policy()));
    key(&mut s, KeyCode::Enter);
    insta::assert_snapshot!(render(&mut s, 80, 24).backend());
    let effects = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let mut sent: Vec<(String, String)> = effects
        .iter()
        .filter_map(|e| match e {
            copyjobs::app::msg::Effect::Create { request, .. } => {
                Some((request.source_model_arn.clone(), request.region.clone()))
            }
            _ => None,
        })
        .collect();
    sent.sort();
    let names: std::collections::BTreeMap<String, String> = window()
        .iter()
        .map(|j| {
            (
                j.source_model_arn.to_string(),
                j.source_model_name.as_deref().unwrap_or("").to_string(),
            )
        })
        .collect();
    let mut got: Vec<(String, String)> = sent
        .iter()
        .map(|(arn, region)| (names[arn].clone(), region.clone()))
        .collect();
    got.sort();
    let mut want: Vec<(String, String)> = WANTED
        .iter()
        .map(|(m, r)| (m.to_string(), r.to_string()))
        .collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn the_plan_pane_under_read_only_sends_nothing() {
    let mut s = overview_with('P', Filter::default(), window(), Some(nova_policy()));
    s.settings.read_only = true;
    let effects = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert!(effects.is_empty());
    let out = render(&mut s, 120, 24).backend().to_string();
    assert!(out.contains("read-only: Enter is off"), "{out}");
    assert!(!out.contains("apply the plan"), "no question: {out}");
}

#[test]
fn p_without_a_policy_says_how_to_give_one() {
    let mut s = overview('M');
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Char('P'));
    let out = render(&mut s, 120, 24).backend().to_string();
    assert!(out.contains("No replication policy"), "{out}");
}

/// A frame drawn only because the clock moved copies the table from the last
/// one (`ui::table::Reuse`) when its moving texts read the same. Over two
/// minutes, second by second as the loop draws them, each such frame equals
/// one drawn whole; the fixture's ages are whole minutes, so all but the
/// seconds where they turn (and the refresh's start) are copies.
#[test]
fn a_frame_for_the_clock_alone_equals_one_drawn_whole() {
    let mut s = state();
    render(&mut s, 160, 48);
    let mut reused = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let mut reuse = copyjobs::ui::table::Reuse::default();
    reused
        .draw(|f| {
            copyjobs::ui::draw_reusing(f, &s, Some(&mut reuse), false);
        })
        .unwrap();
    let mut drawn_at = s.revision;
    for sec in 1..=130 {
        update(&mut s, Msg::Tick(t0() + Duration::seconds(sec)));
        let clock_only = s.revision == drawn_at;
        reused
            .draw(|f| {
                copyjobs::ui::draw_reusing(f, &s, Some(&mut reuse), clock_only);
            })
            .unwrap();
        drawn_at = s.revision;
        let mut whole = Terminal::new(TestBackend::new(160, 48)).unwrap();
        whole
            .draw(|f| {
                copyjobs::ui::draw(f, &s);
            })
            .unwrap();
        assert_eq!(
            reused.backend().buffer(),
            whole.backend().buffer(),
            "{sec} s after the start"
        );
    }
    assert!(
        (120..130).contains(&reuse.reused()),
        "{} of 130 frames copied the table",
        reuse.reused()
    );
}
