//! What the integration tests that drive `update` share: a runner that
//! carries out `Watch` effects with the real SDK client, as the app's
//! effects runner does, and a renderer of whole frames.

#![allow(dead_code)]

use copyjobs::app::State;
use copyjobs::app::msg::{Effect, Msg};
use copyjobs::dashboard::update;
use copyjobs::emulator::{Emulator, EmulatorOptions, Server};
use copyjobs::watch::exec;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Carries out the effects, feeding answers back in, until nothing is left
/// to ask.
pub async fn settle(state: &mut State, client: &aws_sdk_bedrock::Client, mut effects: Vec<Effect>) {
    while !effects.is_empty() {
        let mut next = Vec::new();
        for e in effects {
            if let Effect::Fetch { request, .. } = e {
                let result = exec::execute(client, request.call).await;
                next.extend(update(
                    state,
                    Msg::Loaded {
                        source: request.source,
                        generation: request.generation,
                        result,
                        at: state.now,
                    },
                ));
            }
        }
        effects = next;
    }
}

/// A frame as the loop draws it: draw, hand back the table's height, draw.
pub fn render(state: &mut State, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut height = 0;
    t.draw(|f| height = copyjobs::ui::draw(f, state)).unwrap();
    update(state, Msg::Viewport(height));
    t.draw(|f| height = copyjobs::ui::draw(f, state)).unwrap();
    t
}

/// The endpoint with these options on a free loopback port.
pub async fn start(options: EmulatorOptions) -> Server {
    Server::start(Emulator::new(options), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap()
}

/// How the client reaches `server`: demo credentials, one attempt a call
/// (the tests' retry policies do the retrying).
pub fn demo_target(server: &Server) -> copyjobs::aws::Target {
    copyjobs::aws::Target {
        endpoint_url: Some(server.url()),
        demo: true,
        max_attempts: Some(1),
        ..copyjobs::aws::Target::default()
    }
}

/// [`demo_target`] in one region.
pub fn demo_target_in(server: &Server, region: &str) -> copyjobs::aws::Target {
    copyjobs::aws::Target {
        region: Some(region.into()),
        ..demo_target(server)
    }
}

/// The endpoint on a free loopback port: `jobs` per region from `seed`, the
/// clock frozen at `now_ms`, nothing arriving.
pub async fn endpoint(jobs: usize, seed: u64, now_ms: i64, odd_data: bool) -> Server {
    Server::start(
        Emulator::new(EmulatorOptions {
            jobs,
            seed,
            frozen: true,
            arrival_rate: 0.0,
            odd_data,
            now: Some(now_ms),
            ..EmulatorOptions::default()
        }),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap()
}
pub mod cli;
pub mod guide;
pub mod oracle;
pub mod pty;

/// What [`list_whole`] read.
pub struct Listed {
    /// Every row the engine showed, as it showed them: a job shown twice is
    /// here twice, for the test to see.
    pub jobs: Vec<copyjobs::domain::job::CopyJob>,
    /// Window slots throttling took away for good.
    pub slots_given_up: usize,
}

/// A whole listing read as `list` reads it: through the engine and the
/// driver, `slots` creation-time windows at once, rows taken as the engine
/// shows them. A refused source fails the test.
pub async fn list_whole(
    target: &copyjobs::aws::Target,
    filter: &copyjobs::domain::query::Filter,
    page_size: usize,
    slots: usize,
    retry: copyjobs::watch::retry::RetryPolicy,
) -> Listed {
    use copyjobs::watch::driver::{Driver, read_pages};
    let mut engine = copyjobs::watch::Engine::new(
        filter.clone(),
        page_size,
        chrono::Duration::seconds(10),
        &[copyjobs::watch::SourceSpec::default()],
    );
    engine.follow_new = false;
    engine.windows = true;
    let mut driver = Driver::connect(target, &mut engine).await.unwrap();
    driver.retry = Some(retry);
    driver.set_concurrency(slots);
    let mut jobs = Vec::new();
    let listing = read_pages(&mut engine, &driver, |engine| {
        jobs.extend(engine.drain_shown().into_iter().map(|r| r.job));
        std::ops::ControlFlow::<()>::Continue(())
    })
    .await;
    assert!(listing.refused.is_empty(), "{:?}", listing.refused);
    Listed {
        jobs,
        slots_given_up: driver.gate.given_up(),
    }
}
