//! One 1000-job page out of 1,000,000 jobs, through the endpoint's request
//! handling (validation, paging, JSON), with and without filters, then with
//! the service's open questions played their costliest way.
//! Run: `cargo bench --bench endpoint`. Target: under 5 ms a page.

use copyjobs::emulator::{Emulator, EmulatorOptions, TieOrder, TimePrecision, api};
use criterion::{Criterion, criterion_group};

#[path = "support/budget.rs"]
mod budget;
use std::hint::black_box;
use std::sync::Arc;

/// A million jobs in one region, on a frozen clock, answering as `o` says.
fn million(o: EmulatorOptions) -> Arc<Emulator> {
    Emulator::new(EmulatorOptions {
        jobs: 1_000_000,
        frozen: true,
        arrival_rate: 0.0,
        regions: vec!["us-east-1".into()],
        now: Some(1_748_779_200_000),
        ..o
    })
}

/// The query of page 401: a token from deep inside the data set, to show
/// the cursor seek is cheap.
fn deep(emu: &Emulator) -> String {
    let mut deep = String::from("maxResults=1000");
    for _ in 0..400 {
        let (_, body) = api::list(emu, "us-east-1", &deep).expect("page");
        let v: serde_json::Value = serde_json::from_slice(&body).expect("json");
        let token = v["nextToken"].as_str().expect("more pages").to_string();
        deep = format!("maxResults=1000&nextToken={token}");
    }
    deep
}

fn bench(c: &mut Criterion, group: &str, emu: &Emulator, cases: &[(&str, String)]) {
    let mut group = c.benchmark_group(group);
    for (name, query) in cases {
        group.bench_function(*name, |b| {
            b.iter(|| api::list(emu, "us-east-1", black_box(query)).expect("page"))
        });
    }
    group.finish();
}

fn pages(c: &mut Criterion) {
    let emu = million(EmulatorOptions::default());
    let cases = [
        ("first page, no filter", "maxResults=1000".to_string()),
        ("page 401, no filter", deep(&emu)),
        ("status=Failed", "maxResults=1000&statusEquals=Failed".to_string()),
        (
            "status=Completed + 60-day window, ascending",
            "maxResults=1000&statusEquals=Completed&creationTimeAfter=2025-02-01T00%3A00%3A00Z&creationTimeBefore=2025-04-01T00%3A00%3A00Z&sortOrder=Ascending".to_string(),
        ),
        ("name contains 'nova' (common)", "maxResults=1000&outputModelNameContains=nova".to_string()),
        ("name contains 'fraud' (no match)", "maxResults=1000&outputModelNameContains=fraud".to_string()),
        // Every trigram is common ('nova', '-copy'), only the whole is absent.
        ("name contains 'nova-copy' (no match, common trigrams)", "maxResults=1000&outputModelNameContains=nova-copy".to_string()),
        ("name contains '6999' (52 matches)", "maxResults=1000&outputModelNameContains=6999".to_string()),
        ("name contains 'qq' (no match, under 3 characters)", "maxResults=1000&outputModelNameContains=qq".to_string()),
    ];
    {
        let store = emu.store("us-east-1");
        let store = store.lock().expect("store");
        let (names, lists) = store.name_index_bytes();
        let per_job = |b: usize| b as f64 / store.len() as f64;
        println!(
            "name index: {:.1} bytes a job (lowercased names {:.1}, trigram lists {:.1})",
            per_job(names + lists),
            per_job(names),
            per_job(lists)
        );
    }
    bench(c, "list 1000 of 1,000,000", &emu, &cases);
    drop(emu);
    // Ties in seconds (many), shuffled anew for every answer, a lag to
    // check on the newest jobs, tokens that carry their issue time.
    let emu = million(EmulatorOptions {
        time_precision: TimePrecision::S,
        tie_order: TieOrder::Unstable,
        list_lag: 120.0,
        token_ttl: Some(3600.0),
        ..EmulatorOptions::default()
    });
    let cases = [
        ("first page, no filter", "maxResults=1000".to_string()),
        ("page 401, no filter", deep(&emu)),
        (
            "status=Failed",
            "maxResults=1000&statusEquals=Failed".to_string(),
        ),
    ];
    bench(
        c,
        "list 1000 of 1,000,000, s precision, unstable ties, 120 s lag",
        &emu,
        &cases,
    );
}

/// The promise: under 5 ms a page of 1,000, whatever the query.
fn budgets() {
    let mut budgets = budget::Budgets::default();
    let emu = million(EmulatorOptions::default());
    let cases = [
        ("first page, no filter", "maxResults=1000".to_string()),
        ("page 401, no filter", deep(&emu)),
        (
            "status=Failed",
            "maxResults=1000&statusEquals=Failed".to_string(),
        ),
        (
            "name contains 'nova'",
            "maxResults=1000&outputModelNameContains=nova".to_string(),
        ),
        (
            "name contains 'nova-copy'",
            "maxResults=1000&outputModelNameContains=nova-copy".to_string(),
        ),
    ];
    for (name, query) in &cases {
        let took = budget::median(31, || {
            black_box(api::list(&emu, "us-east-1", black_box(query)).expect("page"));
        });
        budgets.time(
            &format!("list 1000 of 1,000,000, {name}"),
            took,
            std::time::Duration::from_millis(5),
        );
    }
    budgets.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = pages
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if budget::benchmarking() {
        budgets();
    }
}
