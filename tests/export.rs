//! `e` over a file that is already there, through the real effects runner:
//! the file is created with `create_new`, so an existing one is found by the
//! write itself (nothing can slip in between a check and the write), asked
//! about, kept on `n` and replaced on `y`.

mod support;

use chrono::{FixedOffset, TimeZone, Utc};
use copyjobs::app::msg::{Effect, Msg};
use copyjobs::app::{Settings, State, system_clock};
use copyjobs::aws;
use copyjobs::dashboard::effects::Runner;
use copyjobs::dashboard::update;
use copyjobs::domain::query::Filter;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;

const NOW_MS: i64 = 1_748_779_200_000;

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Runs `effects` on the runner and waits for its one answer.
async fn through_runner(
    runner: &mut Runner,
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<Msg>,
    effects: Vec<Effect>,
) -> Msg {
    runner.run(effects);
    tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("the runner answered")
        .expect("a message")
}

/// `e`, the path typed over the suggested one, Enter.
fn export_to(state: &mut State, path: &std::path::Path) -> Vec<Effect> {
    update(state, key(KeyCode::Char('e')));
    update(
        state,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    for c in path.to_string_lossy().chars() {
        update(state, key(KeyCode::Char(c)));
    }
    update(state, key(KeyCode::Enter))
}

#[tokio::test(flavor = "multi_thread")]
async fn an_export_over_an_existing_file_asks_and_keeps_or_replaces_it() {
    let server = support::endpoint(60, 5, NOW_MS, false).await;
    let target = support::demo_target_in(&server, "us-east-1");
    let client = aws::connect(&target).await.client;
    let t0 = Utc.timestamp_millis_opt(NOW_MS).unwrap();
    let settings = Settings::new("test", target.clone(), FixedOffset::east_opt(0).unwrap());
    let mut state = State::new(settings, Filter::default(), t0);
    let fx = update(&mut state, Msg::Start(t0));
    support::settle(&mut state, &client, fx).await;
    assert!(state.view.len() >= 59, "{}", state.view.len());

    let dir = std::env::temp_dir().join(format!("copyjobs-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("jobs.csv");
    std::fs::write(&path, "mine, not yours\n").unwrap();

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut runner = Runner::new(target, tx, system_clock());
    let fx = export_to(&mut state, &path);
    assert!(
        matches!(
            &fx[..],
            [Effect::Export {
                overwrite: false,
                ..
            }]
        ),
        "{fx:?}"
    );
    // The runner's write finds the file: nothing written, the question asked.
    let answer = through_runner(&mut runner, &mut rx, fx).await;
    assert!(matches!(answer, Msg::ExportExists { .. }), "{answer:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine, not yours\n");
    update(&mut state, answer);
    // n keeps it.
    let fx = update(&mut state, key(KeyCode::Char('n')));
    assert!(fx.is_empty());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine, not yours\n");

    // Again, and y replaces it with the view, in display order.
    let fx = export_to(&mut state, &path);
    let answer = through_runner(&mut runner, &mut rx, fx).await;
    assert!(matches!(answer, Msg::ExportExists { .. }), "{answer:?}");
    update(&mut state, answer);
    let fx = update(&mut state, key(KeyCode::Char('y')));
    assert!(
        matches!(
            &fx[..],
            [Effect::Export {
                overwrite: true,
                ..
            }]
        ),
        "{fx:?}"
    );
    let answer = through_runner(&mut runner, &mut rx, fx).await;
    let Msg::Exported(Ok((written, n))) = &answer else {
        panic!("{answer:?}")
    };
    assert_eq!((written, *n), (&path, state.view.len()));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let arns: Vec<String> = rows
        .records()
        .map(|r| r.unwrap().get(0).unwrap().to_string())
        .collect();
    let view: Vec<String> = state
        .view
        .iter()
        .map(|&i| state.row(i).unwrap().job.job_arn.clone())
        .collect();
    assert_eq!(arns, view, "the view, row for row");
    update(&mut state, answer);
    let _ = std::fs::remove_dir_all(&dir);
    server.shutdown().await;
}
