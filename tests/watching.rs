//! The watching engine against the real endpoint through the real SDK: the
//! endpoint's lifecycle clock moves (jobs finish, new ones arrive), and after
//! every incremental refresh the table must equal a fresh full listing of the
//! same range, row for row, under each status filter and both orders, with
//! two regions merged.

use copyjobs::aws::Target;
use copyjobs::domain::job::{CopyJob, Status};
use copyjobs::domain::query::{Filter, Sort};
use copyjobs::emulator::{Emulator, EmulatorOptions, Server};
use copyjobs::watch::driver::Driver;
use copyjobs::watch::exec::list_all;
use copyjobs::watch::order::{display_cmp, job_pos, key_pos};
use copyjobs::watch::{Engine, SourceSpec, Threshold};

const NOW: &str = "2025-06-01T12:00:00Z";
const REGIONS: [&str; 2] = ["us-east-1", "eu-central-1"];

fn options() -> EmulatorOptions {
    EmulatorOptions {
        jobs: 400,
        seed: 11,
        frozen: true,
        // Two arrivals a minute per region: every step brings new jobs.
        arrival_rate: 2.0,
        regions: REGIONS.iter().map(|r| r.to_string()).collect(),
        now: Some(
            chrono::DateTime::parse_from_rfc3339(NOW)
                .unwrap()
                .timestamp_millis(),
        ),
        ..EmulatorOptions::default()
    }
}

fn clock(server: &Server) -> impl Fn() -> chrono::DateTime<chrono::Utc> + '_ {
    move || chrono::DateTime::from_timestamp_millis(server.emulator.clock.now_ms()).unwrap()
}

async fn fresh(driver: &Driver, engine: &Engine) -> Vec<CopyJob> {
    let mut all = Vec::new();
    for s in engine.sources() {
        let client = driver.client(s.id).unwrap();
        all.extend(list_all(client, engine.filter()).await.unwrap().jobs);
    }
    all.sort_by(|a, b| display_cmp(engine.sort(), job_pos(a), job_pos(b)));
    all
}

/// What a fresh listing holds up to the engine's threshold.
fn up_to_threshold(engine: &Engine, all: &[CopyJob]) -> Vec<CopyJob> {
    match engine.threshold() {
        Threshold::Nothing => Vec::new(),
        Threshold::All => all.to_vec(),
        Threshold::Upto(t) => all
            .iter()
            .take_while(|j| display_cmp(engine.sort(), job_pos(j), key_pos(&t)).is_le())
            .cloned()
            .collect(),
    }
}

fn summary(jobs: &[CopyJob]) -> Vec<(String, Status)> {
    jobs.iter()
        .map(|j| (j.job_arn.clone(), j.status.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_table_equals_a_fresh_listing_after_every_refresh() {
    let server = Server::start(Emulator::new(options()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let base = Target {
        endpoint_url: Some(server.url()),
        demo: true,
        ..Target::default()
    };
    let specs = SourceSpec::product(&[], &REGIONS.map(String::from));
    let mut changes = 0;
    for status in [
        None,
        Some(Status::InProgress),
        Some(Status::Completed),
        Some(Status::Failed),
    ] {
        for sort in [Sort::NewestFirst, Sort::OldestFirst] {
            let filter = Filter {
                status: status.clone(),
                sort,
                ..Filter::default()
            };
            let mut engine = Engine::new(filter, 40, chrono::Duration::seconds(10), &specs);
            let driver = Driver::connect(&base, &mut engine).await.unwrap();
            let now = clock(&server);
            let first = engine.start(now());
            driver.run(&mut engine, first, &now, true).await.unwrap();
            // Two more pages of whichever region the table waits on.
            for _ in 0..2 {
                let more = engine.more(now());
                driver.run(&mut engine, more, &now, true).await.unwrap();
            }
            for step in 0..6 {
                // Seven minutes: copies finish, about fourteen jobs arrive a region.
                server.emulator.clock.advance(7 * 60_000);
                let poll = engine.poll(now());
                let events = driver.run(&mut engine, poll, &now, true).await.unwrap();
                changes += events.len();
                let table: Vec<CopyJob> = engine.shown().iter().map(|r| r.job.clone()).collect();
                let all = fresh(&driver, &engine).await;
                // Every job a fresh listing has up to where the table may
                // show, not just as many as the table happens to hold.
                let want = up_to_threshold(&engine, &all);
                assert!(!want.is_empty() || all.is_empty());
                assert_eq!(
                    summary(&table),
                    summary(&want),
                    "status {status:?}, {sort:?}, step {step}"
                );
                assert_eq!(table, want);
            }
        }
    }
    assert!(
        changes > 20,
        "the clock moved jobs along: {changes} changes"
    );
    server.shutdown().await;
}

/// Requests the endpoint has answered, all operations and regions.
fn requests(server: &Server) -> u64 {
    server.emulator.requests_total()
}

/// The refresh budget, counted at the endpoint through the real SDK: an
/// unchanged refresh costs at most 2 requests a source however much is
/// loaded; one with changes, 2 + one a finished job + ⌈n/1000⌉ for n new.
#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_costs_what_changed_counted_at_the_endpoint() {
    let server = Server::start(
        Emulator::new(EmulatorOptions {
            jobs: 3000,
            arrival_rate: 1.0,
            ..options()
        }),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let base = Target {
        endpoint_url: Some(server.url()),
        demo: true,
        max_attempts: Some(1),
        ..Target::default()
    };
    let specs = SourceSpec::product(&[], &REGIONS.map(String::from));
    let mut engine = Engine::new(
        Filter::default(),
        1000,
        chrono::Duration::seconds(10),
        &specs,
    );
    let driver = Driver::connect(&base, &mut engine).await.unwrap();
    let now = clock(&server);
    let first = engine.start(now());
    driver.run(&mut engine, first, &now, true).await.unwrap();
    while !engine.complete() {
        let more = engine.more(now());
        assert!(!more.is_empty());
        driver.run(&mut engine, more, &now, true).await.unwrap();
    }
    assert_eq!(
        engine.rows().len(),
        6000,
        "every job of both regions loaded"
    );
    assert!(
        engine.in_flight() > 10,
        "jobs in flight: {}",
        engine.in_flight()
    );
    for _ in 0..3 {
        let before = requests(&server);
        let poll = engine.poll(now());
        let events = driver.run(&mut engine, poll, &now, true).await.unwrap();
        assert!(events.is_empty());
        assert!(
            requests(&server) - before <= 2 * 2,
            "an unchanged refresh: {} requests for two sources",
            requests(&server) - before
        );
    }
    // Ten minutes: what finished and what arrived, from the endpoint's data.
    let t1 = server.emulator.clock.now_ms();
    server.emulator.clock.advance(10 * 60_000);
    let t2 = server.emulator.clock.now_ms();
    let before = requests(&server);
    let poll = engine.poll(now());
    let events = driver.run(&mut engine, poll, &now, true).await.unwrap();
    let spent = requests(&server) - before;
    // Counted after the poll: the endpoint makes arrivals as its clock is read.
    let mut finished: u64 = 0;
    let mut new: u64 = 0;
    for region in REGIONS {
        let store = server.emulator.store(region);
        let store = store.lock().unwrap();
        let mut arrived: u64 = 0;
        for j in store.jobs() {
            let running_then = j.created_us <= t1 * 1000
                && j.status_at(t1) == copyjobs::emulator::model::Status::InProgress;
            if running_then && j.status_at(t2) != copyjobs::emulator::model::Status::InProgress {
                finished += 1;
            }
            if j.created_us > t1 * 1000 && j.created_us <= t2 * 1000 {
                arrived += 1;
            }
        }
        new += arrived.div_ceil(1000);
    }
    assert!(finished > 0 && new > 0, "copies finished and jobs arrived");
    let budget = 2 * 2 + finished + new;
    eprintln!(
        "after 10 min: {spent} requests; {finished} finished, {new} pages of new jobs; budget {budget}"
    );
    assert!(
        spent <= budget,
        "{spent} requests for {finished} finished and {new} pages of new jobs: budget {budget}"
    );
    assert!(events.len() >= finished as usize, "{} events", events.len());
    drop(now);
    server.shutdown().await;
}
