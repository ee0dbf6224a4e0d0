//! Property tests of the endpoint's store: for random data sets, filters and
//! page sizes, the concatenated pages are exactly the filtered, sorted set.

use copyjobs::emulator::cursor::Cursor;
use copyjobs::emulator::dataset::RegionProfile;
use copyjobs::emulator::model::{Job, Status};
use copyjobs::emulator::store::{ListQuery, NewJob, Store};
use proptest::prelude::*;

const NOW: i64 = 1_748_779_200_000;

/// An independent statement of the filter semantics, to check the store by.
fn keep(store: &Store, q: &ListQuery, j: &Job, now: i64) -> bool {
    let src = &store.profile.sources[j.source as usize];
    q.after_ms.is_none_or(|t| j.created_ms > t)
        && q.before_ms.is_none_or(|t| j.created_ms < t)
        && q.status.is_none_or(|s| j.status_at(now) == s)
        && q.source_account.as_ref().is_none_or(|a| *a == src.account)
        && q.source_arn.as_ref().is_none_or(|a| *a == src.arn)
        && q.name_contains
            .as_ref()
            .is_none_or(|n| j.target_name.to_lowercase().contains(&n.to_lowercase()))
}

fn walk<'a>(store: &'a Store, q: &ListQuery, now: i64) -> Vec<&'a Job> {
    let mut out = Vec::new();
    let mut cursor: Option<Cursor> = None;
    loop {
        let page = store.page(q, cursor.as_ref(), now);
        assert!(page.jobs.len() <= q.max_results);
        out.extend(page.jobs);
        match page.next {
            Some((created_ms, id)) => {
                cursor = Some(Cursor {
                    ascending: q.ascending,
                    created_ms,
                    id,
                    fingerprint: 0,
                })
            }
            None => return out,
        }
        assert!(out.len() <= store.len(), "paging must end");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn pages_concatenate_to_the_filtered_sorted_set(
        seed in any::<u64>(),
        n in 0usize..400,
        max_results in 1usize..60,
        ascending in any::<bool>(),
        status in proptest::option::of(0usize..3),
        window in proptest::option::of((0u32..=100, 0u32..=100)),
        account in proptest::option::of(0usize..8),
        source in proptest::option::of(0usize..48),
        name in proptest::option::of("[a-z0-9]{1,3}"),
        later in 0i64..7_200_000,
    ) {
        let store = Store::generate(RegionProfile::new(seed, "us-east-1"), n, NOW, 0.0, 1.0);
        let now = NOW + later;
        let jobs = store.jobs();
        // Windows picked from the data's own span, so they cut somewhere real.
        let span = |p: u32| -> Option<i64> {
            let (first, last) = (jobs.first()?.created_ms, jobs.last()?.created_ms);
            Some(first + (last - first) * i64::from(p) / 100)
        };
        let mut accounts: Vec<String> = store.profile.sources.iter().map(|s| s.account.clone()).collect();
        accounts.dedup();
        let q = ListQuery {
            after_ms: window.and_then(|(a, _)| span(a)),
            before_ms: window.and_then(|(_, b)| span(b)),
            status: status.map(|i| Status::ALL[i]),
            source_account: account.and_then(|i| accounts.get(i % accounts.len().max(1)).cloned()),
            source_arn: source.and_then(|i| store.profile.sources.get(i).map(|s| s.arn.clone())),
            name_contains: name,
            ascending,
            max_results,
        };
        let mut want: Vec<&Job> = jobs.iter().filter(|j| keep(&store, &q, j, now)).collect();
        if !ascending {
            want.reverse();
        }
        prop_assert_eq!(walk(&store, &q, now), want);
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
    /// where it now sits, page after page, both ways.
    #[test]
    fn name_searches_see_jobs_created_inside_the_order(
        seed in any::<u64>(),
        n in 1usize..300,
        creates in proptest::collection::vec(
            (any::<prop::sample::Index>(), 0i64..2, "(nova|fraud|x)-(copy|use1)-[0-9]{1,3}"),
            1..20,
        ),
        name in prop::sample::select(vec![
            "nova", "NOVA-c", "copy", "use1-prod", "fraud-use", "-1", "e1-", "zzz", "x-copy-1",
        ]),
        max_results in 1usize..40,
        ascending in any::<bool>(),
        status in proptest::option::of(0usize..3),
    ) {
        let mut store = Store::generate(RegionProfile::new(seed, "us-east-1"), n, NOW, 0.0, 1.0);
        for (k, (at, later, target)) in creates.into_iter().enumerate() {
            let job = at.get(store.jobs());
            let source = store.profile.sources[k % store.profile.sources.len()].clone();
            let new = NewJob {
                source_arn: source.arn.clone(),
                target_name: target,
                kms_key: None,
                tags: vec![],
                client_token: None,
            };
            // The same millisecond as a job (placed by id), or just after it.
            store
                .create(new, Some(source), job.created_ms + later)
                .expect("created");
        }
        let q = ListQuery {
            status: status.map(|i| Status::ALL[i]),
            name_contains: Some(name.to_string()),
            ascending,
            max_results,
            ..ListQuery::default()
        };
        let mut want: Vec<&Job> = store.jobs().iter().filter(|j| keep(&store, &q, j, NOW)).collect();
        if !ascending {
            want.reverse();
        }
        prop_assert_eq!(walk(&store, &q, NOW), want);
    }
}
