//! Memory per loaded job, through a counting allocator, and the cost of
//! the k-way merge of several sources.
//! Run: `cargo bench --bench memory`. Targets: ≤ 1 KB a job held (what the
//! engine keeps after loading 100,000 jobs, in live bytes), a merge that
//! costs the same per row however many sources there are.
//!
//! Jobs come through the SDK's own summary type and the app's conversion
//! from it (which shares repeated texts), as they do from the service.

use aws_sdk_bedrock::types::{ModelCopyJobStatus, ModelCopyJobSummary, Tag};
use cap::Cap;
use chrono::{Duration, TimeZone, Utc};
use copyjobs::aws::Page;
use copyjobs::domain::job::{CopyJob, to_sdk_time};
use copyjobs::domain::query::Filter;
use copyjobs::watch::{Engine, Outcome, SourceSpec};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::alloc::System;

/// Live heap bytes: what the process holds, not what it ever asked for
/// (`cap` counts them, so this bench needs no unsafe code of its own).
#[global_allocator]
static A: Cap<System> = Cap::new(System, usize::MAX);

const TEAMS: [&str; 6] = ["fraud", "search", "claims", "voice", "risk", "docs"];

/// Job `i` of `region`, shaped as the emulator's data: a few source models
/// and accounts, 0–10 tags from a small vocabulary, failures with messages.
fn summary(region: &str, i: usize) -> ModelCopyJobSummary {
    let t0 = Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap();
    let id = format!("{i:012}");
    let team = TEAMS[i % TEAMS.len()];
    let status = [
        ModelCopyJobStatus::Completed,
        ModelCopyJobStatus::Completed,
        ModelCopyJobStatus::Completed,
        ModelCopyJobStatus::Completed,
        ModelCopyJobStatus::Completed,
        ModelCopyJobStatus::Failed,
    ][i % 6]
        .clone();
    let mut b = ModelCopyJobSummary::builder()
        .job_arn(format!("arn:aws:bedrock:{region}:111122223333:model-copy-job/{id}"))
        .status(status.clone())
        .creation_time(to_sdk_time(t0 - Duration::seconds(i as i64 * 7)))
        .target_model_arn(format!(
            "arn:aws:bedrock:{region}:111122223333:custom-model/amazon.nova-lite-v1:0:300k/{id}"
        ))
        .target_model_name(format!("{team}-sft-nova-lite-v{}-copy-{i}", i % 20))
        .source_account_id(["111122223333", "444455556666", "777788889999"][i % 3])
        .source_model_arn(format!(
            "arn:aws:bedrock:us-west-2:444455556666:custom-model/amazon.nova-lite-v1:0:300k/src{:09}",
            i % 40
        ))
        .source_model_name(format!("{team}-sft-nova-lite-v{}", i % 20));
    for k in 0..(i % 11) {
        b = b.target_model_tags(
            Tag::builder()
                .key(["team", "env", "owner", "project", "cost-center", "ticket"][k % 6])
                .value([team, "prod", "ml-platform", "falcon", "cc-4100", "ML-1234"][k % 6])
                .build()
                .unwrap(),
        );
    }
    if status == ModelCopyJobStatus::Failed {
        b = b.failure_message(format!(
            "ServiceQuotaExceededException: account 111122223333 has reached the limit of 100 custom models in {region}. Delete custom models you no longer use or request a quota increase in Service Quotas."
        ));
    }
    b.build().unwrap()
}

fn page(region: &str, range: std::ops::Range<usize>) -> Page {
    Page {
        jobs: range.map(|i| CopyJob::from(&summary(region, i))).collect(),
        next_token: None,
        ..Page::default()
    }
}

/// Each region's first page of `n` jobs.
fn pages(regions: &[&str], n: usize) -> Vec<Page> {
    regions.iter().map(|r| page(r, 0..n)).collect()
}

/// An engine over `regions`, each answering its first page with its page.
fn loaded(regions: &[&str], pages: Vec<Page>) -> Engine {
    let specs: Vec<SourceSpec> = regions
        .iter()
        .map(|r| SourceSpec {
            profile: None,
            region: Some((*r).to_string()),
            account: None,
        })
        .collect();
    let now = Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap();
    let mut engine = Engine::new(Filter::default(), 1000, Duration::seconds(10), &specs);
    let requests = engine.start(now);
    for (r, page) in requests.iter().zip(pages) {
        engine.apply(
            r.source,
            r.generation,
            Ok(Outcome::First {
                page,
                inflight: Vec::new(),
                newest: None,
            }),
            now,
        );
    }
    engine
}

fn memory(c: &mut Criterion) {
    // Held bytes: measured once, outside the timing loop.
    let before = A.allocated();
    let engine = loaded(&["us-east-1"], pages(&["us-east-1"], 100_000));
    let held = A.allocated() - before;
    assert_eq!(engine.shown().len(), 100_000);
    println!(
        "memory: 100,000 jobs loaded hold {:.0} bytes a job ({} MB live heap)",
        held as f64 / 100_000.0,
        held / 1_000_000
    );
    drop(engine);
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("100,000 jobs converted from the SDK's summaries", |b| {
        b.iter(|| pages(&["us-east-1"], 100_000));
    });
    group.finish();
}

fn merge(c: &mut Criterion) {
    let mut group = c.benchmark_group("merge 100,000 rows");
    group.sample_size(10);
    for regions in [
        &["us-east-1"][..],
        &["us-east-1", "us-west-2"][..],
        &["us-east-1", "us-west-2", "eu-central-1", "ap-south-1"][..],
    ] {
        let per = 100_000 / regions.len();
        group.bench_function(format!("{} sources", regions.len()), |b| {
            b.iter_batched(
                || pages(regions, per),
                |p| loaded(regions, p),
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, memory, merge);
criterion_main!(benches);
