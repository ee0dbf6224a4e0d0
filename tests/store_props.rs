//! Property tests of the endpoint's store: for random data sets, filters,
//! page sizes and ways of answering (time precision, tie order drawn anew
//! for every page, list lag), the concatenated pages are exactly the
//! filtered, sorted set, each job once.

use copyjobs::emulator::TimePrecision;
use copyjobs::emulator::cursor::Cursor;
use copyjobs::emulator::dataset::RegionProfile;
use copyjobs::emulator::model::{Job, Status};
use copyjobs::emulator::store::{ListQuery, NewJob, Store, View, listed_from_us};
use proptest::prelude::*;
use std::collections::HashSet;

const NOW: i64 = 1_748_779_200_000;

/// An independent statement of the filter semantics, to check the store by.
fn keep(store: &Store, q: &ListQuery, j: &Job, view: &View) -> bool {
    let src = &store.profile.sources[j.source as usize];
    let now_end_us = view.now_ms * 1000 + 999;
    (view.lag_us == 0 || listed_from_us(j, view.lag_us) <= now_end_us)
        && q.after_us.is_none_or(|t| j.created_us > t)
        && q.before_us.is_none_or(|t| j.created_us < t)
        && q.status.is_none_or(|s| j.status_at(view.now_ms) == s)
        && q.source_account.as_ref().is_none_or(|a| *a == src.account)
        && q.source_arn.as_ref().is_none_or(|a| *a == src.arn)
        && q.name_contains
            .as_ref()
            .is_none_or(|n| j.target_name.to_lowercase().contains(&n.to_lowercase()))
}

/// Every page of `q`; under a shuffled tie order each page is a new answer
/// with its own salt, as each request is at the endpoint.
fn walk<'a>(store: &'a Store, q: &ListQuery, view: &View) -> Vec<&'a Job> {
    let mut out = Vec::new();
    let mut cursor: Option<Cursor> = None;
    for call in 0u64.. {
        let this = View {
            shuffle: view.shuffle.map(|s| s ^ call.wrapping_mul(0x9e37_79b9)),
            ..*view
        };
        let page = store.page(q, cursor.as_ref(), &this);
        assert!(page.jobs.len() <= q.max_results);
        out.extend(page.jobs);
        match page.next {
            Some(r) => {
                cursor = Some(Cursor {
                    ascending: q.ascending,
                    created_us: r.created_us,
                    id: r.id,
                    tie_salt: r.tie_salt,
                    fingerprint: 0,
                    issued_ms: 0,
                })
            }
            None => break,
        }
        assert!(out.len() <= store.len(), "paging must end");
    }
    out
}

/// The walk is `want`: under a stable order exactly, under a shuffled one
/// the same jobs once each, in creation order, ties in any order.
fn same_listing(
    got: &[&Job],
    want: &[&Job],
    shuffled: bool,
    ascending: bool,
) -> Result<(), TestCaseError> {
    if !shuffled {
        prop_assert_eq!(got, want);
        return Ok(());
    }
    let ids: HashSet<_> = got.iter().map(|j| j.id).collect();
    prop_assert_eq!(ids.len(), got.len(), "a job came twice");
    prop_assert_eq!(&ids, &want.iter().map(|j| j.id).collect::<HashSet<_>>());
    let times: Vec<i64> = got.iter().map(|j| j.created_us).collect();
    let wanted: Vec<i64> = want.iter().map(|j| j.created_us).collect();
    prop_assert_eq!(
        times,
        wanted,
        "in creation order (ascending: {})",
        ascending
    );
    Ok(())
}

fn precision() -> impl Strategy<Value = TimePrecision> {
    prop::sample::select(vec![TimePrecision::S, TimePrecision::Ms, TimePrecision::Us])
}

/// A data set, with jobs created at the very instant of others (ties at any
/// precision) or a little after.
fn data(
    seed: u64,
    n: usize,
    precision: TimePrecision,
    creates: &[(prop::sample::Index, i64, String)],
) -> Store {
    let mut profile = RegionProfile::new(seed, "us-east-1");
    profile.precision = precision;
    let mut store = Store::generate(profile, n, NOW, 0.0, 1.0);
    if store.is_empty() {
        return store;
    }
    for (k, (at, later, target)) in creates.iter().enumerate() {
        let job = at.get(store.jobs());
        let source = store.profile.sources[k % store.profile.sources.len()].clone();
        let new = NewJob {
            source_arn: source.arn.clone(),
            target_name: target.clone(),
            kms_key: None,
            tags: vec![],
            client_token: None,
        };
        // The same millisecond as a job (placed by id), or just after it.
        let at_ms = job.created_us.div_euclid(1000) + later;
        store.create(new, Some(source), at_ms).expect("created");
    }
    store
}

fn creates() -> impl Strategy<Value = Vec<(prop::sample::Index, i64, String)>> {
    proptest::collection::vec(
        (
            any::<prop::sample::Index>(),
            0i64..2,
            "(nova|fraud|x)-(copy|use1)-[0-9]{1,3}",
        ),
        0..20,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn pages_concatenate_to_the_filtered_sorted_set(
        seed in any::<u64>(),
        n in 0usize..400,
        precision in precision(),
        creates in creates(),
        max_results in 1usize..60,
        ascending in any::<bool>(),
        shuffled in any::<bool>(),
        lag_s in prop::sample::select(vec![0i64, 60, 3_600]),
        status in proptest::option::of(0usize..3),
        window in proptest::option::of((0u32..=100, 0u32..=100)),
        account in proptest::option::of(0usize..8),
        source in proptest::option::of(0usize..48),
        name in proptest::option::of("[a-z0-9]{1,3}"),
        later in 0i64..7_200_000,
    ) {
        let store = data(seed, n, precision, &creates);
        let view = View {
            now_ms: NOW + later,
            lag_us: lag_s * 1_000_000,
            shuffle: shuffled.then_some(seed ^ 0x5eed),
        };
        let jobs = store.jobs();
        // Windows picked from the data's own span, so they cut somewhere real
        // (often right at a job, ties and all).
        let span = |p: u32| -> Option<i64> {
            let (first, last) = (jobs.first()?.created_us, jobs.last()?.created_us);
            Some(first + (last - first) / 100 * i64::from(p))
        };
        let mut accounts: Vec<String> = store.profile.sources.iter().map(|s| s.account.clone()).collect();
        accounts.dedup();
        let q = ListQuery {
            after_us: window.and_then(|(a, _)| span(a)),
            before_us: window.and_then(|(_, b)| span(b)),
            status: status.map(|i| Status::ALL[i]),
            source_account: account.and_then(|i| accounts.get(i % accounts.len().max(1)).cloned()),
            source_arn: source.and_then(|i| store.profile.sources.get(i).map(|s| s.arn.clone())),
            name_contains: name,
            ascending,
            max_results,
        };
        let mut want: Vec<&Job> = jobs.iter().filter(|j| keep(&store, &q, j, &view)).collect();
        if !ascending {
            want.reverse();
        }
        same_listing(&walk(&store, &q, &view), &want, shuffled, ascending)?;
    }
}

proptest! {
    // A fixed seed: the same cases on every run (PROPTEST_CASES for more).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        rng_seed: proptest::test_runner::RngSeed::Fixed(10),
        ..ProptestConfig::default()
    })]

    /// Jobs created at the time of an existing one (or between) land inside
    /// the sort order, not at its end: name searches still see every job
    /// where it now sits, page after page, both ways, whatever the precision
    /// and tie order.
    #[test]
    fn name_searches_see_jobs_created_inside_the_order(
        seed in any::<u64>(),
        n in 1usize..300,
        precision in precision(),
        shuffled in any::<bool>(),
        creates in creates(),
        name in prop::sample::select(vec![
            "nova", "NOVA-c", "copy", "use1-prod", "fraud-use", "-1", "e1-", "zzz", "x-copy-1",
        ]),
        max_results in 1usize..40,
        ascending in any::<bool>(),
        status in proptest::option::of(0usize..3),
    ) {
        let store = data(seed, n, precision, &creates);
        let q = ListQuery {
            status: status.map(|i| Status::ALL[i]),
            name_contains: Some(name.to_string()),
            ascending,
            max_results,
            ..ListQuery::default()
        };
        let view = View {
            shuffle: shuffled.then_some(seed),
            ..View::at(NOW)
        };
        let mut want: Vec<&Job> = store.jobs().iter().filter(|j| keep(&store, &q, j, &view)).collect();
        if !ascending {
            want.reverse();
        }
        same_listing(&walk(&store, &q, &view), &want, shuffled, ascending)?;
    }
}
