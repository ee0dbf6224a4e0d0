//! One dashboard frame with 100 and with 100,000 jobs loaded: only the rows
//! on screen are built, so the two should cost the same.
//! Run: `cargo bench --bench render`. Target: under 1 ms a frame.

use chrono::{Duration, FixedOffset, TimeZone, Utc};
use copyjobs::app::msg::Msg;
use copyjobs::app::{Settings, State};
use copyjobs::aws::{Page, Target};
use copyjobs::dashboard::update;
use copyjobs::domain::job::{CopyJob, Status, Tag};
use copyjobs::domain::query::Filter;
use copyjobs::watch::{Outcome, SourceId};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn jobs(n: usize) -> Vec<CopyJob> {
    let t0 = Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap();
    (0..n)
        .map(|i| {
            let id = format!("{i:012}");
            CopyJob {
                job_arn: format!("arn:aws:bedrock:us-east-1:111122223333:model-copy-job/{id}"),
                status: [Status::InProgress, Status::Completed, Status::Failed][i % 3].clone(),
                created: t0 - Duration::minutes(i as i64),
                target_model_arn: format!("arn:aws:bedrock:us-east-1:111122223333:custom-model/amazon.nova-lite-v1:0:300k/{id}"),
                target_model_name: Some(format!("search-ranker-nova-lite-v{i}-use1")),
                source_account_id: "444455556666".into(),
                source_model_arn: format!("arn:aws:bedrock:us-west-2:444455556666:custom-model/amazon.nova-lite-v1:0:300k/{id}").into(),
                source_model_name: Some(format!("search-ranker-nova-lite-v{i}").into()),
                kms_key_arn: None,
                tags: vec![Tag { key: "team".into(), value: "search".into() }; i % 5],
                failure_message: (i % 3 == 2).then(|| "ServiceQuotaExceededException: the account has reached the limit of 100 custom models in us-east-1.".to_string()),
            }
        })
        .collect()
}

fn state(n: usize) -> State {
    let settings = Settings {
        page_size: 1000,
        ..Settings::new(
            "bench",
            Target::default(),
            FixedOffset::east_opt(0).unwrap(),
        )
    };
    let now = Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap();
    let mut s = State::new(settings, Filter::default(), now);
    update(&mut s, Msg::Start(now));
    update(&mut s, Msg::Viewport(44));
    update(
        &mut s,
        Msg::Loaded {
            source: SourceId(0),
            generation: 1,
            result: Ok(Outcome::First {
                page: Page {
                    jobs: jobs(n),
                    next_token: None,
                    ..Page::default()
                },
                inflight: Vec::new(),
                newest: None,
            }),
            at: now,
        },
    );
    // Somewhere in the middle, with the detail pane open.
    for _ in 0..(n / 2).min(5000) {
        update(
            &mut s,
            Msg::Key(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Down,
            )),
        );
    }
    update(
        &mut s,
        Msg::Key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Enter,
        )),
    );
    s
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("draw one frame 160x48");
    for n in [100, 100_000] {
        let s = state(n);
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
        group.bench_function(format!("{n} jobs loaded"), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| {
                        copyjobs::ui::draw(f, &s);
                    })
                    .map(|_| ())
                    .unwrap();
            });
        });
    }
    group.finish();
}

/// A keystroke in the local search (`/`) over 100,000 loaded jobs: the
/// view is rebuilt from the loaded rows. Target: under 10 ms.
fn search(c: &mut Criterion) {
    use crossterm::event::{KeyCode, KeyEvent};
    let mut group = c.benchmark_group("local search keystroke, 100000 jobs loaded");
    let mut s = state(100_000);
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Esc)));
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('/'))));
    for (name, typed) in [
        ("first letter (most rows match)", ""),
        ("fourth letter", "nov"),
    ] {
        for c in typed.chars() {
            update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char(c))));
        }
        group.bench_function(name, |b| {
            // A letter typed and taken back: two keystrokes an iteration.
            b.iter(|| {
                update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('a'))));
                update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Backspace)));
            });
        });
    }
    group.finish();
}

criterion_group!(benches, frames, search);
criterion_main!(benches);
