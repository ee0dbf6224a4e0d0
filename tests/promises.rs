//! The client's readers against services that break the API's promises,
//! each played by the endpoint: listed by job ARN whatever the order asked,
//! each filter ignored, UUID job ids, times with nanoseconds and an offset,
//! and all of them at once (`--thin`, as a public emulator answers). Every
//! reader (the parallel windows of `list` at several page sizes and
//! concurrencies, the engine's pages as `list --concurrency 1` and the
//! dashboard read them, the window reads of F/M/T, the refresh) must give
//! exactly what the endpoint holds that the filter selects, in order: the
//! oracle is the endpoint's own record (`support::oracle`), filtered and
//! sorted by the test, never the client's reader.

mod support;

use copyjobs::aws::Target;
use copyjobs::domain::job::{CopyJob, Status};
use copyjobs::domain::query::{Filter, Sort};
use copyjobs::emulator::{EmulatorOptions, Ignored, JobIds, ListOrder, Server, TimeStyle};
use copyjobs::watch::driver::{Driver, read_all};
use copyjobs::watch::retry::RetryPolicy;
use copyjobs::watch::{Engine, SourceSpec};
use std::time::Duration;
use support::cli::{finish, isolated, jsonl_arns};
use support::oracle::{self, Ask, Held};
use support::{demo_target, list_whole, start};

const NOW_MS: i64 = 1_748_779_200_000;
const REGION: &str = "us-east-1";

fn retry() -> RetryPolicy {
    RetryPolicy {
        network: 5,
        busy: 5,
        base: Duration::from_millis(1),
        max: Duration::from_millis(4),
        seed: 0,
    }
}

/// Each way a service may break its promises, by name.
fn services() -> Vec<(&'static str, EmulatorOptions)> {
    let base = |jobs: usize| EmulatorOptions {
        jobs,
        seed: 31,
        frozen: true,
        arrival_rate: 0.0,
        now: Some(NOW_MS),
        regions: vec![REGION.into()],
        ..EmulatorOptions::default()
    };
    let ignoring = |f: Ignored| EmulatorOptions {
        ignore_filters: vec![f],
        ..base(25)
    };
    vec![
        ("as documented", base(25)),
        (
            "by job ARN",
            EmulatorOptions {
                list_order: ListOrder::Arn,
                ..base(25)
            },
        ),
        ("time ignored", ignoring(Ignored::Time)),
        ("status ignored", ignoring(Ignored::Status)),
        ("name ignored", ignoring(Ignored::Name)),
        ("account ignored", ignoring(Ignored::Account)),
        ("source ignored", ignoring(Ignored::Source)),
        (
            "UUID ids",
            EmulatorOptions {
                job_ids: JobIds::Uuid,
                ..base(25)
            },
        ),
        (
            "nanoseconds and an offset",
            EmulatorOptions {
                time_style: TimeStyle::NanosOffset,
                ..base(25)
            },
        ),
        (
            "thin",
            EmulatorOptions {
                thin: true,
                ..base(25)
            },
        ),
        (
            "thin, 300 jobs",
            EmulatorOptions {
                thin: true,
                ..base(300)
            },
        ),
    ]
}

/// A thin service in `REGION` alone, its clock frozen at `NOW_MS`.
fn thin(jobs: usize, seed: u64, arrival_rate: f64) -> EmulatorOptions {
    EmulatorOptions {
        jobs,
        seed,
        frozen: true,
        arrival_rate,
        now: Some(NOW_MS),
        regions: vec![REGION.into()],
        thin: true,
        ..EmulatorOptions::default()
    }
}

fn target(server: &Server) -> Target {
    Target {
        region: Some(REGION.into()),
        ..demo_target(server)
    }
}

/// Filters that each select some of the jobs and leave some out, built
/// from what the endpoint holds.
fn asks(held: &[Held]) -> Vec<Ask> {
    let by_time = oracle::select(held, &Ask::default());
    let mid = &by_time[by_time.len() / 2];
    let name = mid
        .name
        .get(..mid.name.len().min(6))
        .unwrap_or("")
        .to_uppercase();
    vec![
        Ask::default(),
        Ask {
            oldest_first: true,
            ..Ask::default()
        },
        Ask {
            status: Some("Completed"),
            ..Ask::default()
        },
        Ask {
            name: Some(name),
            ..Ask::default()
        },
        Ask {
            after: Some(by_time[by_time.len() * 3 / 4].created),
            before: Some(by_time[by_time.len() / 4].created),
            oldest_first: true,
            ..Ask::default()
        },
        Ask {
            account: Some(mid.account.clone()),
            ..Ask::default()
        },
        Ask {
            source: by_time
                .iter()
                .find(|j| j.status == "Failed")
                .map(|j| j.source.clone()),
            status: Some("Failed"),
            ..Ask::default()
        },
    ]
}

/// The ask as the client's filter: the same fields, one by one.
fn filter(ask: &Ask) -> Filter {
    Filter {
        status: ask.status.map(Status::from_wire),
        created_after: ask.after,
        created_before: ask.before,
        name_contains: ask.name.clone(),
        source_account: ask.account.clone(),
        source_model_arn: ask.source.clone(),
        sort: if ask.oldest_first {
            Sort::OldestFirst
        } else {
            Sort::NewestFirst
        },
    }
}

fn arns(jobs: &[CopyJob]) -> Vec<String> {
    jobs.iter().map(|j| j.job_arn.clone()).collect()
}

/// `list --concurrency N`: the parallel windows, through the engine.
async fn windowed(server: &Server, f: &Filter, page: usize, slots: usize) -> Vec<CopyJob> {
    list_whole(&target(server), f, page, slots, retry())
        .await
        .jobs
}

fn engine(f: &Filter, page: usize) -> Engine {
    let spec = [SourceSpec {
        profile: None,
        region: Some(REGION.into()),
        account: None,
    }];
    Engine::new(f.clone(), page, chrono::Duration::seconds(10), &spec)
}

/// `list --concurrency 1`: the engine's pages, one after the other, the
/// rows it shows taken as they come, each once (as `list` prints them: a
/// service found out of order after a page is read again whole).
async fn paged(server: &Server, f: &Filter, page: usize) -> Vec<CopyJob> {
    let mut engine = engine(f, page);
    engine.follow_new = false;
    let mut driver = Driver::connect(&target(server), &mut engine).await.unwrap();
    driver.retry = Some(retry());
    let now = chrono::Utc::now;
    let mut out = Vec::new();
    let mut requests = engine.start(now());
    for _ in 0..1000 {
        driver.run(&mut engine, requests, now, true).await.unwrap();
        for row in engine.drain_shown() {
            if !out.iter().any(|j: &CopyJob| j.job_arn == row.job.job_arn) {
                out.push(row.job);
            }
        }
        if engine.complete() {
            return out;
        }
        requests = engine.more(now());
        assert!(!requests.is_empty(), "more to read and nothing asked");
    }
    panic!("the listing never ended");
}

/// F, M and T's window reads.
async fn window_read(server: &Server, f: &Filter) -> Vec<CopyJob> {
    let mut engine = engine(f, 100);
    let driver = Driver::connect(&target(server), &mut engine).await.unwrap();
    let read = read_all(&mut engine, &driver, |_| {}).await;
    assert!(read.refused.is_empty(), "{:?}", read.refused);
    read.jobs
}

#[tokio::test(flavor = "multi_thread")]
async fn every_reader_gives_what_the_service_holds_however_it_breaks_its_promises() {
    let mut compared = 0;
    for (name, options) in services() {
        let server = start(options).await;
        let held = oracle::held(&server, REGION);
        assert!(held.len() >= 25, "{name}: {} jobs", held.len());
        for ask in asks(&held) {
            let want = oracle::arns(&oracle::select(&held, &ask));
            assert!(
                !want.is_empty(),
                "{name} {ask:?}: the filter selects some jobs"
            );
            let f = filter(&ask);
            for page in [1, 7, 10, 1000] {
                for slots in [1, 4] {
                    let got = arns(&windowed(&server, &f, page, slots).await);
                    assert_eq!(
                        got, want,
                        "{name}: windows of {page}, {slots} at once, {ask:?}"
                    );
                    compared += 1;
                }
            }
            for page in [1, 2, 7, 10] {
                let got = arns(&paged(&server, &f, page).await);
                assert_eq!(got, want, "{name}: pages of {page}, {ask:?}");
            }
            let got = arns(&window_read(&server, &f).await);
            assert_eq!(got, want, "{name}: window read, {ask:?}");
        }
    }
    assert!(compared > 500, "{compared}");
}

/// The dashboard's table and its refresh on a service that lists by ARN and
/// ignores every filter, as jobs arrive and finish: after every poll the
/// table is what the service holds that the filter selects, each job once.
#[tokio::test(flavor = "multi_thread")]
async fn the_refresh_keeps_the_table_whole_on_a_thin_service() {
    for status in [None, Some("Completed")] {
        let server = start(thin(40, 5, 2.0)).await;
        let ask = Ask {
            status,
            ..Ask::default()
        };
        let mut engine = engine(&filter(&ask), 7);
        let mut driver = Driver::connect(&target(&server), &mut engine)
            .await
            .unwrap();
        driver.retry = Some(retry());
        let clock =
            || chrono::DateTime::from_timestamp_millis(server.emulator.clock.now_ms()).unwrap();
        let mut requests = engine.start(clock());
        while !requests.is_empty() {
            driver
                .run(&mut engine, requests, clock, true)
                .await
                .unwrap();
            requests = engine.more(clock());
        }
        let mut events = 0;
        for step in 0..5 {
            let table: Vec<String> = engine
                .shown()
                .iter()
                .map(|r| r.job.job_arn.clone())
                .collect();
            let want = oracle::arns(&oracle::select(&oracle::held(&server, REGION), &ask));
            assert_eq!(table, want, "{status:?} step {step}");
            server.emulator.clock.advance(20 * 60_000);
            let poll = engine.poll(clock());
            events += driver
                .run(&mut engine, poll, clock, true)
                .await
                .unwrap()
                .len();
        }
        assert!(
            events > 0,
            "{status:?}: the polls saw jobs arrive or finish"
        );
    }
}

/// The trial of the issue, through the binary: 25 jobs on a thin service,
/// `list` at every page size and concurrency prints all 25 and says why it
/// read whole; `get` and `wait` take the ARNs the service gave.
#[tokio::test(flavor = "multi_thread")]
async fn the_binary_lists_and_follows_a_thin_services_jobs() {
    let server = start(thin(25, 31, 0.0)).await;
    let url = server.url();
    let held = oracle::held(&server, REGION);
    let want = oracle::arns(&oracle::select(&held, &Ask::default()));
    assert_eq!(want.len(), 25);
    for page in ["7", "10", "1000"] {
        for slots in ["1", "4"] {
            let (code, out, err) = finish(isolated(&[
                "list",
                "--endpoint-url",
                &url,
                "--region",
                REGION,
                "--page-size",
                page,
                "--concurrency",
                slots,
                "-o",
                "jsonl",
            ]))
            .await;
            assert_eq!(code, 0, "{err}");
            let got = jsonl_arns(&out);
            assert_eq!(got, want, "page {page}, {slots} at once");
            assert!(err.contains("the service ignored sortOrder"), "{err}");
        }
    }
    // `--limit 1` is the newest job, whatever order the service lists in.
    for sort in ["newest", "oldest"] {
        let (code, out, err) = finish(isolated(&[
            "list",
            "--endpoint-url",
            &url,
            "--region",
            REGION,
            "--limit",
            "1",
            "--sort",
            sort,
            "-o",
            "jsonl",
        ]))
        .await;
        assert_eq!(code, 0, "{err}");
        let first = if sort == "newest" {
            &want[0]
        } else {
            &want[want.len() - 1]
        };
        assert_eq!(
            jsonl_arns(&out),
            vec![first.clone()],
            "--limit 1 --sort {sort}"
        );
    }
    let running: Vec<&Held> = held.iter().filter(|j| j.status == "InProgress").collect();
    assert!(!running.is_empty());
    let arn = &running[0].arn;
    let (code, out, err) = finish(isolated(&["get", "--endpoint-url", &url, arn])).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(arn.as_str()), "{out}");
    // Past every copy's end: `wait` on the service's ARN sees it end.
    server.emulator.clock.advance(24 * 3_600_000);
    let (code, out, err) = finish(isolated(&[
        "wait",
        "--endpoint-url",
        &url,
        "--interval",
        "0.2",
        "--timeout",
        "30s",
        arn,
    ]))
    .await;
    assert!(code == 0 || code == 1, "exit {code}: {out}{err}");
    assert!(!err.contains("is not a model copy job ARN"), "{err}");
    // Text that is not a copy job's ARN is still refused before sending.
    let (code, _, err) = finish(isolated(&[
        "get",
        "--endpoint-url",
        &url,
        "arn:aws:s3:::bucket",
    ]))
    .await;
    assert_eq!(code, 2, "{err}");
}
