//! The client against every behaviour the API reference leaves open, each
//! played by the endpoint (`--time-bounds`, `--time-precision`,
//! `--tie-order`, `--list-lag`, `--token-ttl`), all combinations, with
//! faults on, through the real SDK: a sequential and a parallel listing in
//! both orders equal the listing of an endpoint that plays none of them
//! (same seed, same precision), each job once in display order; a watching
//! run with arrivals and finishes equals a fresh listing after every poll.
//!
//! The expected listings come from the endpoint's own record of its jobs,
//! filtered and sorted by the test (`support::oracle`), not from the
//! client's pager or order.

mod support;

use copyjobs::aws::Target;
use copyjobs::domain::job::{CopyJob, Status};
use copyjobs::domain::query::{Filter, Sort};
use copyjobs::emulator::{EmulatorOptions, Server, TieOrder, TimeBounds, TimePrecision};
use copyjobs::watch::driver::Driver;
use copyjobs::watch::retry::RetryPolicy;
use copyjobs::watch::{Engine, SourceSpec, Threshold};
use std::collections::HashSet;
use std::time::Duration;
use support::oracle::{self, Ask};
use support::{demo_target, list_whole, start};

const NOW_MS: i64 = 1_748_779_200_000;
const REGIONS: [&str; 2] = ["us-east-1", "eu-central-1"];

/// Patient and quick: faults are waited out in milliseconds.
fn retry() -> RetryPolicy {
    RetryPolicy {
        network: 30,
        busy: 30,
        base: Duration::from_millis(1),
        max: Duration::from_millis(4),
        seed: 0,
    }
}

#[derive(Debug, Clone, Copy)]
struct Play {
    bounds: TimeBounds,
    precision: TimePrecision,
    ties: TieOrder,
    lag: f64,
    ttl: Option<f64>,
}

fn options(play: Play, jobs: usize, arrivals: f64, faults: bool) -> EmulatorOptions {
    EmulatorOptions {
        jobs,
        seed: 23,
        frozen: true,
        arrival_rate: arrivals,
        now: Some(NOW_MS),
        regions: REGIONS.iter().map(|r| r.to_string()).collect(),
        time_bounds: play.bounds,
        time_precision: play.precision,
        tie_order: play.ties,
        list_lag: play.lag,
        token_ttl: play.ttl,
        throttle_rate: if faults { 0.08 } else { 0.0 },
        error_rate: if faults { 0.04 } else { 0.0 },
        drop_rate: if faults { 0.02 } else { 0.0 },
        ..EmulatorOptions::default()
    }
}

fn every_play() -> Vec<Play> {
    let mut all = Vec::new();
    for bounds in [TimeBounds::Exclusive, TimeBounds::Inclusive] {
        for precision in [TimePrecision::S, TimePrecision::Ms, TimePrecision::Us] {
            for ties in [TieOrder::Stable, TieOrder::Unstable] {
                for lag in [0.0, 90.0] {
                    for ttl in [None, Some(0.0), Some(30.0)] {
                        all.push(Play {
                            bounds,
                            precision,
                            ties,
                            lag,
                            ttl,
                        });
                    }
                }
            }
        }
    }
    all
}

fn target(server: &Server) -> Target {
    demo_target(server)
}

type Summary = Vec<(String, Status, chrono::DateTime<chrono::Utc>)>;

fn summary(jobs: &[CopyJob]) -> Summary {
    jobs.iter()
        .map(|j| (j.job_arn.clone(), j.status.clone(), j.created))
        .collect()
}

fn assert_once(jobs: &[CopyJob], what: &str) {
    let mut seen = HashSet::new();
    for j in jobs {
        assert!(seen.insert(&j.job_arn), "{what}: {} twice", j.job_arn);
    }
}

/// One region's listing read page after page by the engine, as `list` does.
async fn sequential(server: &Server, region: &str, filter: &Filter) -> Vec<CopyJob> {
    let spec = [SourceSpec {
        profile: None,
        region: Some(region.into()),
        account: None,
    }];
    let mut engine = Engine::new(filter.clone(), 37, chrono::Duration::seconds(10), &spec);
    engine.follow_new = false;
    let mut driver = Driver::connect(&target(server), &mut engine).await.unwrap();
    driver.retry = Some(retry());
    let mut out = Vec::new();
    let mut requests = engine.start(chrono::Utc::now());
    loop {
        driver
            .run(&mut engine, requests, chrono::Utc::now, true)
            .await
            .unwrap();
        out.extend(engine.drain_shown().into_iter().map(|r| r.job));
        if engine.complete() {
            return out;
        }
        requests = engine.more(chrono::Utc::now());
        assert!(!requests.is_empty(), "more to read and nothing asked");
    }
}

/// The same listing read as parallel windows, as `list --concurrency 4` does.
async fn parallel(server: &Server, region: &str, filter: &Filter) -> Vec<CopyJob> {
    let target = Target {
        region: Some(region.into()),
        ..target(server)
    };
    list_whole(&target, filter, 37, 4, retry()).await.jobs
}

/// What an endpoint holds in `region` that `filter` selects, in display
/// order: the oracle, read from the endpoint's record, not by the client.
fn fresh(server: &Server, region: &str, filter: &Filter) -> Summary {
    let ask = Ask {
        status: filter.status.as_ref().map(|s| match s {
            Status::InProgress => "InProgress",
            Status::Completed => "Completed",
            _ => "Failed",
        }),
        after: filter.created_after,
        before: filter.created_before,
        oldest_first: filter.sort == Sort::OldestFirst,
        ..Ask::default()
    };
    oracle::select(&oracle::held(server, region), &ask)
        .into_iter()
        .map(|j| (j.arn, Status::from_wire(&j.status), j.created))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn listings_equal_the_plain_service_under_every_open_question() {
    let mut reference_arns: Option<Vec<String>> = None;
    let mut faults = 0;
    for play in every_play() {
        let plain = start(options(
            Play {
                bounds: TimeBounds::Exclusive,
                ties: TieOrder::Stable,
                lag: 0.0,
                ttl: None,
                ..play
            },
            300,
            0.0,
            false,
        ))
        .await;
        let odd = start(options(play, 300, 0.0, true)).await;
        // Past the lag: every job of the data set is visible on both.
        for s in [&plain, &odd] {
            s.emulator.clock.advance(600_000);
        }
        for sort in [Sort::NewestFirst, Sort::OldestFirst] {
            // A window with bounds a job may sit exactly on.
            let all = fresh(
                &plain,
                REGIONS[0],
                &Filter {
                    sort,
                    ..Filter::default()
                },
            );
            let bounded = Filter {
                created_after: Some(all[all.len() / 4].2),
                created_before: Some(all[all.len() * 3 / 4].2),
                sort,
                ..Filter::default()
            };
            for filter in [
                Filter {
                    sort,
                    ..Filter::default()
                },
                bounded,
            ] {
                let want = fresh(&odd, REGIONS[0], &filter);
                let seq = sequential(&odd, REGIONS[0], &filter).await;
                assert_once(&seq, "sequential");
                assert_eq!(summary(&seq), want, "{play:?} {sort:?} sequential");
                let par = parallel(&odd, REGIONS[0], &filter).await;
                assert_once(&par, "parallel");
                assert_eq!(summary(&par), want, "{play:?} {sort:?} parallel");
            }
            if sort == Sort::NewestFirst {
                // The same jobs whatever the options say.
                let mut arns: Vec<String> = all.iter().map(|j| j.0.clone()).collect();
                arns.sort();
                match &reference_arns {
                    Some(r) => assert_eq!(&arns, r, "{play:?}: the same jobs"),
                    None => reference_arns = Some(arns),
                }
            }
        }
        faults += odd
            .emulator
            .status_counts()
            .iter()
            .filter(|(s, _)| **s == 429 || **s >= 500)
            .map(|(_, n)| n)
            .sum::<u64>()
            + odd.emulator.dropped_count();
    }
    assert!(faults > 100, "faults happened: {faults}");
}

/// The engine's table against a fresh listing of the same endpoint, up to
/// where the table may show.
fn up_to_threshold(engine: &Engine, all: &Summary) -> Summary {
    match engine.threshold() {
        Threshold::Nothing => Vec::new(),
        Threshold::All => all.clone(),
        Threshold::Upto(t) => all
            .iter()
            .take_while(|j| {
                let (at, edge) = ((j.2, j.0.as_str()), (t.created, t.arn.as_str()));
                match engine.sort() {
                    Sort::NewestFirst => at >= edge,
                    Sort::OldestFirst => at <= edge,
                }
            })
            .cloned()
            .collect(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn watching_shows_every_job_that_became_visible_once_under_every_open_question() {
    let mut changes = 0;
    let mut late = 0;
    for play in every_play() {
        // Jobs arrive (two a minute a region) and finish as the clock moves.
        let server = start(options(play, 120, 2.0, true)).await;
        for sort in [Sort::NewestFirst, Sort::OldestFirst] {
            let filter = Filter {
                sort,
                ..Filter::default()
            };
            let specs = SourceSpec::product(&[], &REGIONS.map(String::from));
            let mut engine = Engine::new(filter.clone(), 25, chrono::Duration::seconds(10), &specs);
            let mut driver = Driver::connect(&target(&server), &mut engine)
                .await
                .unwrap();
            driver.retry = Some(retry());
            let clock =
                || chrono::DateTime::from_timestamp_millis(server.emulator.clock.now_ms()).unwrap();
            let first = engine.start(clock());
            driver.run(&mut engine, first, clock, true).await.unwrap();
            for _ in 0..2 {
                let more = engine.more(clock());
                driver.run(&mut engine, more, clock, true).await.unwrap();
            }
            let mut seen_before: HashSet<String> = engine
                .rows()
                .iter()
                .map(|r| r.job.job_arn.clone())
                .collect();
            for step in 0..4 {
                server.emulator.clock.advance(70_000);
                let poll = engine.poll(clock());
                let events = driver.run(&mut engine, poll, clock, true).await.unwrap();
                changes += events.len();
                let mut all = Vec::new();
                for r in REGIONS {
                    all.extend(fresh(&server, r, &filter));
                }
                // Across regions: creation time, then ARN, as the test orders.
                all.sort_by(|a, b| (a.2, &a.0).cmp(&(b.2, &b.0)));
                if sort == Sort::NewestFirst {
                    all.reverse();
                }
                let table: Vec<CopyJob> = engine.shown().iter().map(|r| r.job.clone()).collect();
                assert_once(&table, "table");
                let want = up_to_threshold(&engine, &all);
                assert_eq!(summary(&table), want, "{play:?} {sort:?} step {step}");
                // A job that appeared below one already seen: visible late.
                let newest_before = engine
                    .rows()
                    .iter()
                    .filter(|r| seen_before.contains(&r.job.job_arn))
                    .map(|r| r.job.created)
                    .max();
                late += table
                    .iter()
                    .filter(|j| !seen_before.contains(&j.job_arn))
                    .filter(|j| newest_before.is_some_and(|n| j.created < n))
                    .count();
                seen_before.extend(engine.rows().iter().map(|r| r.job.job_arn.clone()));
            }
        }
    }
    assert!(changes > 200, "{changes} changes seen");
    assert!(late > 0, "some jobs became visible below newer ones");
}

/// The parallel read under faults: they happened (counted at the endpoint
/// by status), throttling took slots away for good, and the output is still
/// the plain listing, each job once.
#[tokio::test(flavor = "multi_thread")]
async fn a_throttled_parallel_read_gives_slots_up_and_loses_nothing() {
    let plain = Play {
        bounds: TimeBounds::Exclusive,
        precision: TimePrecision::Ms,
        ties: TieOrder::Stable,
        lag: 0.0,
        ttl: None,
    };
    let reference = start(options(plain, 2000, 0.0, false)).await;
    let busy = start(EmulatorOptions {
        throttle_rate: 0.3,
        error_rate: 0.1,
        ..options(plain, 2000, 0.0, false)
    })
    .await;
    let filter = Filter::default();
    let want = fresh(&reference, REGIONS[0], &filter);
    let busy_target = Target {
        region: Some(REGIONS[0].into()),
        ..target(&busy)
    };
    let read = list_whole(&busy_target, &filter, 100, 4, retry()).await;
    let got = read.jobs;
    assert_once(&got, "parallel");
    assert_eq!(summary(&got), want);
    let statuses = busy.emulator.status_counts();
    assert!(
        statuses.get(&429).copied().unwrap_or(0) > 0
            && statuses.get(&500).copied().unwrap_or(0) > 0,
        "throttled and failed: {statuses:?}"
    );
    assert!(
        read.slots_given_up > 0,
        "throttling gave slots up: {}",
        read.slots_given_up
    );
}
