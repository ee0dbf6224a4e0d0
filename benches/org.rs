//! An organisation's idle refresh, the engine's part: 300 sources (50
//! accounts × 6 regions) holding 1,200 rows, each answering one unchanged
//! refresh, as every 10 s interval brings. The whole idle budget is 1 % of
//! a core, 100 ms of CPU an interval; the engine's share of it: 10 ms.
//! Run: `cargo bench --bench org`.

use chrono::{DateTime, Duration, TimeZone, Utc};
use copyjobs::aws::Page;
use copyjobs::domain::job::{CopyJob, Status};
use copyjobs::domain::query::Filter;
use copyjobs::watch::{Call, Engine, Outcome, SourceSpec};
use criterion::{Criterion, criterion_group};

#[path = "support/budget.rs"]
mod budget;

const SOURCES: usize = 300;
const JOBS: usize = 4;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
}

/// A source's jobs: the newest running, a minute apart.
fn jobs(source: usize) -> Vec<CopyJob> {
    (0..JOBS)
        .map(|i| {
            let id = format!("{source:06}{i:06}");
            CopyJob {
                job_arn: format!("arn:aws:bedrock:r{source}:111122223333:model-copy-job/{id}"),
                status: if i == 0 {
                    Status::InProgress
                } else {
                    Status::Completed
                },
                created: t0() - Duration::minutes(i as i64),
                target_model_arn: format!(
                    "arn:aws:bedrock:r{source}:111122223333:custom-model/x/{id}"
                ),
                target_model_name: Some(format!("ranker-v{i}")),
                source_account_id: "444455556666".into(),
                source_model_arn:
                    "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0".into(),
                source_model_name: None,
                kms_key_arn: None,
                tags: vec![],
                failure_message: None,
            }
        })
        .collect()
}

/// The engine with every source's first page in.
fn loaded() -> Engine {
    let specs: Vec<SourceSpec> = (0..SOURCES)
        .map(|k| SourceSpec {
            profile: None,
            region: Some(format!("r{k}")),
            account: None,
        })
        .collect();
    let mut e = Engine::new(Filter::default(), 100, Duration::seconds(10), &specs);
    for r in e.start(t0()) {
        let page = Page {
            jobs: jobs(r.source.0 as usize),
            ..Page::default()
        };
        let outcome = Outcome::First {
            page,
            inflight: vec![],
            newest: None,
        };
        e.apply(r.source, r.generation, Ok(outcome), t0());
    }
    assert_eq!(e.shown().len(), SOURCES * JOBS);
    e
}

/// One interval: every source refreshed, its answer what it already had.
/// Returns the requests the refresh sent.
fn interval(e: &mut Engine, at: DateTime<Utc>) -> usize {
    let requests = e.tick(at);
    let n = requests.len();
    for r in requests {
        let Call::Refresh { .. } = r.call else {
            panic!("a refresh");
        };
        let outcome = Outcome::Refresh {
            seen: jobs(r.source.0 as usize),
            gone: vec![],
            head_newest: Some(t0()),
            unkept: Default::default(),
            unanswered: None,
        };
        let applied = e.apply(r.source, r.generation, Ok(outcome), at);
        assert!(applied.events.is_empty());
    }
    n
}

fn refresh(c: &mut Criterion) {
    let base = loaded();
    c.bench_function("org: 300 unchanged refresh answers, 1,200 rows", |b| {
        b.iter_batched(
            || base.clone(),
            |mut e| interval(&mut e, t0() + Duration::seconds(10)),
            criterion::BatchSize::LargeInput,
        )
    });
}

fn budgets() {
    let mut budgets = budget::Budgets::default();
    let base = loaded();
    let took = budget::median(21, || {
        let mut e = base.clone();
        assert_eq!(interval(&mut e, t0() + Duration::seconds(10)), SOURCES);
    });
    budgets.time(
        "300 unchanged refresh answers (an interval's), 1,200 rows",
        took,
        std::time::Duration::from_millis(10),
    );
    budgets.finish();
}

criterion_group!(benches, refresh);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if budget::benchmarking() {
        budgets();
    }
}
