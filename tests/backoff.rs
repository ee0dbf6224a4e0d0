//! A person asking beats the backoff: on an endpoint that throttles, fails
//! and drops connections, End keeps loading pages even while the source
//! waits out a failure, until every job is in. The real SDK client over
//! loopback, `update` driven as the app's loop drives it; the faults are
//! drawn from the endpoint's seed, so the run is the same every time.

mod support;

use chrono::{Duration, FixedOffset, TimeZone, Utc};
use copyjobs::app::msg::Msg;
use copyjobs::app::{Settings, State};
use copyjobs::aws;
use copyjobs::dashboard::update;
use copyjobs::domain::query::Filter;
use copyjobs::emulator::EmulatorOptions;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const NOW_MS: i64 = 1_748_779_200_000;

#[tokio::test(flavor = "multi_thread")]
async fn end_loads_every_job_while_the_source_backs_off() {
    let server = support::start(EmulatorOptions {
        jobs: 2000,
        seed: 9,
        frozen: true,
        arrival_rate: 0.0,
        now: Some(NOW_MS),
        regions: vec!["us-east-1".into()],
        throttle_rate: 0.3,
        error_rate: 0.1,
        drop_rate: 0.05,
        ..EmulatorOptions::default()
    })
    .await;
    // One attempt a request: every fault reaches the engine.
    let target = support::demo_target_in(&server, "us-east-1");
    let client = aws::connect(&target).await.client;
    let t0 = Utc.timestamp_millis_opt(NOW_MS).unwrap();
    let mut settings = Settings::new("test", target, FixedOffset::east_opt(0).unwrap());
    settings.refresh_every = Duration::seconds(3);
    let mut state = State::new(settings, Filter::default(), t0);
    let mut fx = update(&mut state, Msg::Start(t0));
    update(&mut state, Msg::Viewport(40));
    let mut failed_pages = 0;
    let mut presses = 0;
    // The first page may fail too: the refresh timer retries it.
    let mut now = t0;
    loop {
        support::settle(&mut state, &client, fx).await;
        if !state.engine.rows().is_empty() {
            break;
        }
        now += Duration::seconds(30);
        fx = update(&mut state, Msg::Tick(now));
    }
    // End, again and again, without waiting for any refresh: each press
    // asks at once, failing source or not.
    while !state.engine.complete() && presses < 400 {
        let failing = state.engine.sources()[0].error.is_some();
        let fx = update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::End, KeyModifiers::NONE)),
        );
        presses += 1;
        if failing {
            assert!(
                !fx.is_empty(),
                "a press asks even while the source waits out a failure"
            );
            failed_pages += 1;
        }
        support::settle(&mut state, &client, fx).await;
    }
    assert!(
        state.engine.complete(),
        "read to the end in {presses} presses"
    );
    assert_eq!(state.engine.rows().len(), 2000);
    assert!(failed_pages > 0, "faults happened along the way");
    let faults: u64 = server
        .emulator
        .status_counts()
        .iter()
        .filter(|(status, _)| **status >= 429)
        .map(|(_, n)| n)
        .sum();
    assert!(faults > 0, "{:?}", server.emulator.status_counts());
    server.shutdown().await;
}

/// A dashboard left alone longer than a token lives pages on: End after an
/// hour gets the next rows, none lost or repeated, and no error.
#[tokio::test(flavor = "multi_thread")]
async fn end_after_a_pause_longer_than_a_token_lives_gets_the_next_rows() {
    let server = support::start(EmulatorOptions {
        jobs: 450,
        seed: 4,
        frozen: true,
        arrival_rate: 0.0,
        now: Some(NOW_MS),
        regions: vec!["us-east-1".into()],
        token_ttl: Some(60.0),
        ..EmulatorOptions::default()
    })
    .await;
    let target = support::demo_target_in(&server, "us-east-1");
    let client = aws::connect(&target).await.client;
    let t0 = Utc.timestamp_millis_opt(NOW_MS).unwrap();
    let settings = Settings::new("test", target, FixedOffset::east_opt(0).unwrap());
    let mut state = State::new(settings, Filter::default(), t0);
    let fx = update(&mut state, Msg::Start(t0));
    update(&mut state, Msg::Viewport(40));
    support::settle(&mut state, &client, fx).await;
    assert_eq!(state.engine.rows().len(), 100);
    // An hour away: the token the first page gave has expired.
    server.emulator.clock.advance(3_600_000);
    let later = t0 + Duration::hours(1);
    let fx = update(&mut state, Msg::Tick(later));
    support::settle(&mut state, &client, fx).await;
    for _ in 0..10 {
        let fx = update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::End, KeyModifiers::NONE)),
        );
        support::settle(&mut state, &client, fx).await;
        assert!(
            state.engine.sources()[0].error.is_none(),
            "no error: {:?}",
            state.engine.sources()[0].error
        );
    }
    assert!(state.engine.complete());
    let arns: Vec<&str> = state
        .engine
        .shown()
        .iter()
        .map(|r| r.job.job_arn.as_str())
        .collect();
    let unique: std::collections::HashSet<&&str> = arns.iter().collect();
    assert_eq!(arns.len(), 450, "every job");
    assert_eq!(unique.len(), 450, "each once");
    assert!(state.engine.sources()[0].by_bounds, "the token was refused");
    server.shutdown().await;
}
