//! `serve --odd-data`: the text real data can hold (CJK, emoji, right to
//! left, zero-width and control characters, a 2048-character message,
//! 63-character names, empty tag values), read through the real SDK and
//! drawn by the real UI. The table keeps its columns by display width, the
//! detail pane wraps everything, and no escape sequence reaches the screen.

mod support;

use chrono::{FixedOffset, TimeZone, Utc};
use copyjobs::app::msg::Msg;
use copyjobs::app::{Settings, State};
use copyjobs::aws::{self, Target};
use copyjobs::dashboard::update;
use copyjobs::domain::query::Filter;
use copyjobs::emulator::Server;
use copyjobs::watch::SourceSpec;
use crossterm::event::{KeyCode, KeyEvent};
use unicode_width::UnicodeWidthStr;

const NOW_MS: i64 = 1_773_157_200_000; // 2026-03-10T15:40:00Z

async fn loaded() -> (Server, State) {
    let server = support::endpoint(1000, 3, NOW_MS, true).await;
    let target = Target {
        endpoint_url: Some("http://127.0.0.1:4566".into()),
        region: Some("us-east-1".into()),
        demo: true,
        ..Target::default()
    };
    let client = aws::connect(&Target {
        endpoint_url: Some(server.url()),
        ..target.clone()
    })
    .await
    .client;
    let mut settings = Settings::new(
        "demo · http://127.0.0.1:4566",
        target,
        FixedOffset::east_opt(0).unwrap(),
    );
    settings.page_size = 1000;
    settings.sources = vec![SourceSpec {
        profile: None,
        region: Some("us-east-1".into()),
        account: None,
    }];
    let now = Utc.timestamp_millis_opt(NOW_MS).unwrap();
    let mut state = State::new(settings, Filter::default(), now);
    let fx = update(&mut state, Msg::Start(now));
    support::settle(&mut state, &client, fx).await;
    update(&mut state, Msg::Viewport(30));
    (server, state)
}

/// Selects the first shown job whose failure message contains `needle`.
fn select(state: &mut State, needle: &str) {
    let arn = state
        .engine
        .shown()
        .iter()
        .find(|r| {
            r.job
                .failure_message
                .as_deref()
                .is_some_and(|m| m.contains(needle))
        })
        .map(|r| r.job.job_arn.clone())
        .unwrap_or_else(|| panic!("a job with {needle:?} among the loaded"));
    assert!(state.select_arn(&arn));
    update(state, Msg::Key(KeyEvent::from(KeyCode::Enter)));
}

fn frame(state: &mut State, w: u16, h: u16) -> String {
    let t = support::render(state, w, h);
    let text = t.backend().to_string();
    for line in text.lines() {
        // Every line of the frame is exactly the terminal's width: nothing
        // pushed a column out of place.
        // (TestBackend notes the cells that wide symbols cover after the line.)
        let line = line.split("\" Hidden by").next().unwrap_or(line);
        let inner = line.trim_start_matches('"').trim_end_matches('"');
        assert_eq!(inner.width(), usize::from(w), "{line}");
    }
    let cells: String = t
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        !cells.contains('\u{1b}') && !cells.contains('\u{7}'),
        "no escape reaches the screen"
    );
    text
}

#[tokio::test]
async fn escape_sequences_in_a_failure_message_80x24_and_160x48() {
    let (server, mut state) = loaded().await;
    select(&mut state, "\u{1b}[31m");
    insta::assert_snapshot!("escapes_80x24", frame(&mut state, 80, 24));
    insta::assert_snapshot!("escapes_160x48", frame(&mut state, 160, 48));
    server.shutdown().await;
}

#[tokio::test]
async fn wide_right_to_left_and_emoji_text_80x24_and_160x48() {
    let (server, mut state) = loaded().await;
    select(&mut state, "复制失败");
    insta::assert_snapshot!("cjk_80x24", frame(&mut state, 80, 24));
    update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Esc)));
    select(&mut state, "فشل");
    insta::assert_snapshot!("rtl_160x48", frame(&mut state, 160, 48));
    update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Esc)));
    select(&mut state, "👩‍🔬");
    insta::assert_snapshot!("emoji_160x48", frame(&mut state, 160, 48));
    server.shutdown().await;
}

#[tokio::test]
async fn the_longest_message_wraps_whole_in_the_detail_pane() {
    let (server, mut state) = loaded().await;
    select(&mut state, "a dependency failed");
    let msg = state
        .selected_row()
        .unwrap()
        .job
        .failure_message
        .clone()
        .unwrap();
    assert_eq!(msg.chars().count(), 2048);
    // Scrolled to the end, the message's last words are on screen.
    for _ in 0..200 {
        update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Char('J'))));
    }
    let text = frame(&mut state, 160, 48);
    assert!(text.contains("because a dependency failed;"), "{text}");
    assert!(text.contains("......!"), "the last characters: {text}");
    let scroll = text
        .split("J/K scroll ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|t| t.split_once('/'))
        .unwrap_or_else(|| panic!("a scroll position: {text}"));
    assert!(
        scroll.0 == scroll.1 && scroll.0 != "0",
        "scrolled to the end: {text}"
    );
    server.shutdown().await;
}
