//! Credentials that expire mid-session, through the real SDK against the
//! local endpoint: the dashboard keeps its rows, says how stale they are and
//! what to run, retries on its own, and clears the banner once they work.
//!
//! `update` is driven as the app's loop drives it; each `Watch` effect is
//! carried out with the SDK client the app would build, over loopback HTTP.

mod support;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use copyjobs::app::msg::Msg;
use copyjobs::app::{Settings, State, update};
use copyjobs::aws::{self, Target};
use copyjobs::domain::query::Filter;
use copyjobs::watch::SourceSpec;

const NOW_MS: i64 = 1_748_779_200_000;

fn t0() -> DateTime<Utc> {
    Utc.timestamp_millis_opt(NOW_MS).unwrap()
}

fn status_line(state: &State) -> String {
    let mut state = state.clone();
    let text = support::render(&mut state, 160, 24).backend().to_string();
    text.lines().last().unwrap().to_string()
}

#[tokio::test]
async fn expired_credentials_keep_the_rows_say_so_and_recover_by_themselves() {
    let server = support::endpoint(150, 5, NOW_MS, false).await;
    let target = Target {
        endpoint_url: Some(server.url()),
        region: Some("us-east-1".into()),
        demo: true,
        max_attempts: Some(1),
        ..Target::default()
    };
    let client = aws::connect(&target).await.client;
    let mut settings = Settings::new("test", target, FixedOffset::east_opt(0).unwrap());
    settings.sources = vec![SourceSpec {
        profile: Some("ml-prod".into()),
        region: Some("us-east-1".into()),
    }];
    let mut state = State::new(settings, Filter::default(), t0());
    let fx = update(&mut state, Msg::Start(t0()));
    support::settle(&mut state, &client, fx).await;
    let rows = state.view.len();
    assert_eq!(rows, 100, "the first page");
    assert!(!status_line(&state).contains('✘'));

    // The session's token runs out: the next refresh is refused.
    server.emulator.set_credentials_expired(true);
    let at = t0() + Duration::seconds(10);
    let fx = update(&mut state, Msg::Tick(at));
    assert!(!fx.is_empty(), "the refresh is due");
    support::settle(&mut state, &client, fx).await;
    let source = &state.engine.sources()[0];
    assert_eq!(
        source.error.as_ref().map(|e| e.error.kind),
        Some(aws::ErrorKind::Credentials)
    );
    assert_eq!(state.view.len(), rows, "every row kept");
    let line = status_line(&state);
    assert!(
        line.contains(
            "stale since 12:00 — credentials expired: run `aws sso login --profile ml-prod`"
        ),
        "{line}"
    );
    assert!(line.contains("retry at"), "{line}");

    // Still expired at the retry: it backs off further, rows still there.
    let retry = source.next_refresh.unwrap();
    let fx = update(&mut state, Msg::Tick(retry));
    support::settle(&mut state, &client, fx).await;
    let source = &state.engine.sources()[0];
    assert_eq!(source.error.as_ref().unwrap().failures, 2);
    assert!(
        source.next_refresh.unwrap() - retry > Duration::seconds(10),
        "backing off"
    );

    // `aws sso login` done: the next try works and the banner goes.
    server.emulator.set_credentials_expired(false);
    let again = source.next_refresh.unwrap();
    let fx = update(&mut state, Msg::Tick(again));
    support::settle(&mut state, &client, fx).await;
    assert!(state.engine.sources()[0].error.is_none());
    assert_eq!(state.view.len(), rows);
    assert!(
        !status_line(&state).contains("stale"),
        "{}",
        status_line(&state)
    );
    server.shutdown().await;
}
