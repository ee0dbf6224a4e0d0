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
use copyjobs::watch::order::{display_cmp, job_pos};
use copyjobs::watch::{Engine, SourceSpec};

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
        all.extend(list_all(client, engine.filter()).await.unwrap());
    }
    all.sort_by(|a, b| display_cmp(engine.sort(), job_pos(a), job_pos(b)));
    all
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
                assert!(!table.is_empty() || all.is_empty());
                assert_eq!(
                    summary(&table),
                    summary(&all[..table.len()]),
                    "status {status:?}, {sort:?}, step {step}"
                );
                assert_eq!(table, all[..table.len()].to_vec());
            }
        }
    }
    assert!(
        changes > 20,
        "the clock moved jobs along: {changes} changes"
    );
    server.shutdown().await;
}
