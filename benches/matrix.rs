//! The replication matrix and the activity's numbers over 100,000 jobs in
//! 3 regions: how long they take to build once the last page is in, what the
//! matrix holds beside the jobs, and what one live event costs.
//! Run: `cargo bench --bench matrix`. Budgets: built in under 200 ms, in
//! under 10 % of the jobs' own memory (live heap, counted by the `cap`
//! allocator as `benches/memory.rs` counts it).
//!
//! The jobs are shaped as the service's: the texts a conversion from the
//! SDK shares (source models, names, accounts, tag keys and values) are
//! shared here too, the rest (ARNs, names, failure messages) owned.

use cap::Cap;
use chrono::{DateTime, Duration, FixedOffset};
use copyjobs::domain::copy_regions::CopyRegions;
use copyjobs::domain::job::{CopyJob, Status, Tag, intern};
use copyjobs::domain::matrix::Matrix;
use copyjobs::domain::stats::{Stats, Window};
use criterion::{Criterion, criterion_group};
use std::alloc::System;

#[path = "support/budget.rs"]
mod budget;

#[global_allocator]
static A: Cap<System> = Cap::new(System, usize::MAX);

const REGIONS: [&str; 3] = ["us-east-1", "us-west-2", "eu-central-1"];
const BASES: [&str; 4] = [
    "amazon.nova-lite-v1:0:300k",
    "meta.llama3-1-8b-instruct-v1:0:128k",
    "anthropic.claude-3-haiku-20240307-v1:0:200k",
    "cohere.command-light-text-v14:7:4k",
];
const TEAMS: [&str; 6] = ["fraud", "search", "claims", "voice", "risk", "docs"];
const JOBS: usize = 100_000;

/// Job `i` of 100,000, copying one of `models` source models into one of
/// the three regions, 85 % completed, 14 % failed, a few running.
fn job(i: usize, models: usize) -> CopyJob {
    let t0 = DateTime::parse_from_rfc3339("2025-06-01T12:00:00Z")
        .unwrap()
        .to_utc();
    let region = REGIONS[i % 3];
    let model = (i / 3) % models;
    let home = REGIONS[model % 3];
    let base = BASES[model % BASES.len()];
    let team = TEAMS[model % TEAMS.len()];
    let id = format!("{i:012}");
    let status = match i % 100 {
        0 => Status::InProgress,
        1..=14 => Status::Failed,
        _ => Status::Completed,
    };
    CopyJob {
        job_arn: format!("arn:aws:bedrock:{region}:111122223333:model-copy-job/{id}"),
        failure_message: (status == Status::Failed).then(|| format!(
            "ServiceQuotaExceededException: account 111122223333 has reached the limit of 100 custom models in {region}. Delete custom models you no longer use or request a quota increase in Service Quotas."
        )),
        status,
        created: t0 - Duration::seconds(i as i64 * 7),
        target_model_arn: format!("arn:aws:bedrock:{region}:111122223333:custom-model/{base}/{id}"),
        target_model_name: Some(format!("{team}-sft-{model}-copy-{i}")),
        source_account_id: intern(["111122223333", "444455556666", "777788889999"][model % 3]),
        source_model_arn: intern(&format!(
            "arn:aws:bedrock:{home}:444455556666:custom-model/{base}/src{model:09}"
        )),
        source_model_name: Some(intern(&format!("{team}-sft-{model}"))),
        kms_key_arn: None,
        tags: (0..(i % 11))
            .map(|k| Tag {
                key: intern(["team", "env", "owner", "project", "cost-center", "ticket"][k % 6]),
                value: intern([team, "prod", "ml-platform", "falcon", "cc-4100", "ML-1234"][k % 6]),
            })
            .collect(),
    }
}

fn jobs(models: usize) -> Vec<CopyJob> {
    (0..JOBS).map(|i| job(i, models)).collect()
}

fn regions() -> Vec<String> {
    REGIONS.iter().map(|r| r.to_string()).collect()
}

/// Live bytes `make` leaves held, and what it made.
fn held<T>(make: impl FnOnce() -> T) -> (usize, T) {
    let before = A.allocated();
    let made = make();
    (A.allocated().saturating_sub(before), made)
}

fn memory(_: &mut Criterion) {
    let table = CopyRegions::shipped();
    // 400 models: 250 copies each; 3,334: 30 each (as the endpoint's data
    // had it before its regions shared models); 10,000: 10 each, a cell of
    // every model in every region.
    for models in [400, 3_334, 10_000] {
        // The shared texts are the SDK conversion's, made before either is
        // counted: the jobs' own bytes are what each job holds beyond them.
        drop(jobs(models));
        let (own, jobs) = held(|| jobs(models));
        let (matrix_bytes, matrix) = held(|| Matrix::build(&regions(), &jobs, table.clone()));
        println!(
            "matrix memory, {models} source models: {} KB beside {} MB of jobs ({:.1} %), {} rows",
            matrix_bytes / 1000,
            own / 1_000_000,
            matrix_bytes as f64 * 100.0 / own as f64,
            matrix.rows().len()
        );
    }
}

fn build(c: &mut Criterion) {
    let table = CopyRegions::shipped();
    let mut group = c.benchmark_group("matrix");
    group.sample_size(10);
    for models in [400, 10_000] {
        let jobs = jobs(models);
        group.bench_function(
            format!("build, 100,000 jobs, 3 regions, {models} models"),
            |b| {
                b.iter(|| Matrix::build(&regions(), &jobs, table.clone()));
            },
        );
    }
    // One event of the live refresh: a job in flight finishing.
    let jobs = jobs(400);
    let mut matrix = Matrix::build(&regions(), &jobs, table.clone());
    let mut done = jobs[0].clone();
    done.status = Status::Completed;
    group.bench_function("apply, a copy finishing", |b| {
        b.iter(|| matrix.apply(&done));
    });
    let tz = FixedOffset::east_opt(9 * 3600).unwrap();
    let window = Window::default();
    group.bench_function("stats, 100,000 jobs", |b| {
        b.iter(|| Stats::build(&jobs, &tz, window));
    });
    group.finish();
}

/// A frame of the dashboard with `pane` (`M` or `T`) open over the matrix
/// of 100,000 jobs, 10,000 models: the whole frame, as the loop draws it.
fn redraw(c: &mut Criterion) {
    use copyjobs::app::msg::Msg;
    use copyjobs::app::{Settings, State};
    use copyjobs::domain::query::Filter;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut group = c.benchmark_group("redraw");
    group.sample_size(50);
    let jobs = jobs(10_000);
    for (pane, what) in [
        ('M', "the matrix"),
        ('/', "the matrix, models found by name"),
        ('T', "the charts"),
    ] {
        let t0 = jobs[0].created;
        let settings = Settings {
            sources: copyjobs::watch::SourceSpec::product(&[], &regions()),
            ..Settings::new(
                "bench",
                Default::default(),
                FixedOffset::east_opt(0).unwrap(),
            )
        };
        let mut state = State::new(settings, Filter::default(), t0);
        copyjobs::dashboard::update(&mut state, Msg::Start(t0));
        let mut press = |c: char| {
            copyjobs::dashboard::update(
                &mut state,
                Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            );
        };
        press(if pane == 'T' { 'T' } else { 'M' });
        copyjobs::dashboard::update(
            &mut state,
            Msg::WindowRead {
                generation: 1,
                result: Ok(jobs.clone()),
            },
        );
        if pane == '/' {
            // A name every tenth model's holds: a pass over every name a frame.
            for c in "/sft-12".chars() {
                copyjobs::dashboard::update(
                    &mut state,
                    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
                );
            }
        }
        for (w, h) in [(80, 24), (160, 48)] {
            let mut terminal =
                ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
            group.bench_function(format!("{what}, 100,000 jobs, {w}x{h}"), |b| {
                b.iter(|| {
                    terminal
                        .draw(|f| {
                            copyjobs::ui::draw(f, &state);
                        })
                        .map(|_| ())
                        .unwrap()
                });
            });
        }
    }
    group.finish();
}

/// The promises of the module's head: built in under 200 ms, in under 10 %
/// of the jobs' own memory.
fn budgets() {
    let table = CopyRegions::shipped();
    let mut budgets = budget::Budgets::default();
    for models in [400, 3_334, 10_000] {
        drop(jobs(models));
        let (own, jobs) = held(|| jobs(models));
        let (matrix_bytes, matrix) = held(|| Matrix::build(&regions(), &jobs, table.clone()));
        drop(matrix);
        budgets.share(
            &format!("matrix memory beside 100,000 jobs, {models} models"),
            matrix_bytes as f64 / own as f64,
            0.10,
        );
        let took = budget::median(5, || {
            std::hint::black_box(Matrix::build(&regions(), &jobs, table.clone()));
        });
        budgets.time(
            &format!("matrix build, 100,000 jobs, {models} models"),
            took,
            std::time::Duration::from_millis(200),
        );
    }
    budgets.finish();
}

criterion_group!(benches, memory, build, redraw);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if budget::benchmarking() {
        budgets();
    }
}
