//! What the data sets look like together: the account's models copied into
//! several regions, a few times each, only where the service could have
//! copied them; and copy times that let a watcher estimate the next one.

use crate::account::{BASES, base_of};
use crate::dataset::{RegionProfile, arn_region};
use crate::model::Status;
use crate::store::Store;
use copyjobs_contract::copy_regions::Guide;
use std::collections::{BTreeMap, BTreeSet};

const NOW: i64 = 1_760_000_000_000;
const REGIONS: [&str; 4] = ["us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1"];

fn stores(jobs: usize, speed: f64) -> Vec<Store> {
    REGIONS
        .iter()
        .map(|r| Store::generate(RegionProfile::new(42, r), jobs, NOW, 1.0, speed))
        .collect()
}

/// `serve --regions us-east-1,us-west-2,eu-central-1,ap-northeast-1 --jobs
/// 1500`: each region's jobs used to copy models of its own, 31 times each.
#[test]
fn regions_share_the_accounts_models_and_copy_each_a_few_times() {
    let stores = stores(1500, 1.0);
    // Copies by model, then region.
    let mut cells: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    let guide = Guide::shipped();
    for s in &stores {
        let region = s.profile.region.as_str();
        for job in s.jobs() {
            let model = &s.profile.sources[job.source as usize];
            assert_ne!(arn_region(&model.arn), region, "a copy leaves its region");
            assert!(
                guide.allows(&model.arn, region),
                "{} into {region}",
                model.arn
            );
            *cells
                .entry(model.arn.as_str())
                .or_default()
                .entry(region)
                .or_default() += 1;
        }
    }
    let copies: Vec<usize> = cells.values().flat_map(|r| r.values().copied()).collect();
    let share = |keep: &dyn Fn(usize) -> bool| {
        copies.iter().filter(|&&n| keep(n)).count() as f64 / copies.len() as f64
    };
    // Mostly once, sometimes again after a failure, rarely more than a
    // handful of times.
    assert!(share(&|n| n == 1) > 0.5, "{}", share(&|n| n == 1));
    assert!(share(&|n| n <= 2) > 0.8, "{}", share(&|n| n <= 2));
    assert!(share(&|n| n > 5) < 0.01, "{}", share(&|n| n > 5));
    assert!(copies.iter().all(|&n| n <= 12), "{:?}", copies.iter().max());
    // A model in several regions, often.
    let spread = |n: usize| cells.values().filter(|r| r.len() >= n).count();
    assert!(
        spread(2) * 2 > cells.len(),
        "{} of {}",
        spread(2),
        cells.len()
    );
    assert!(
        spread(3) * 6 > cells.len(),
        "{} of {}",
        spread(3),
        cells.len()
    );
    assert!(
        (1000..4000).contains(&cells.len()),
        "{} models",
        cells.len()
    );
}

/// A model read in one region's data reads the same in another's, its
/// failed copies tried again.
#[test]
fn a_model_is_one_model_wherever_it_is_copied_and_failures_are_tried_again() {
    let stores = stores(1500, 1.0);
    let (a, b) = (&stores[1].profile.sources, &stores[2].profile.sources);
    let both = a.iter().filter(|m| b.contains(m)).count();
    assert!(both > 200, "{both}");
    // After a failed copy, often another into the same region.
    let s = &stores[2];
    let mut by_cell: BTreeMap<u32, Vec<(i64, Status, i64)>> = BTreeMap::new();
    for j in s.jobs() {
        by_cell
            .entry(j.source)
            .or_default()
            .push((j.created_us, j.outcome, j.ends_ms));
    }
    let (mut failed, mut again) = (0, 0);
    for copies in by_cell.values() {
        for w in copies.windows(2) {
            if w[0].1 == Status::Failed {
                failed += 1;
                again += usize::from(w[1].0 / 1000 > w[0].2);
            }
        }
    }
    assert!(again * 2 > failed, "{again} of {failed}");
}

/// `demo --speed 60`: within three minutes a watcher sees copies of one
/// base model into one region finish three times and more, and bigger
/// models take longer.
#[test]
fn at_sixty_times_a_group_has_three_ends_within_minutes_and_sizes_tell() {
    let speed = 60.0;
    let watch_until = NOW + 3 * 60_000;
    for mut s in stores(2000, speed) {
        s.catch_up(watch_until);
        let mut groups: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
        for j in s.jobs() {
            // Seen running (at start or arriving later) and seen ending.
            if j.ends_ms > NOW && j.ends_ms <= watch_until {
                let base = s.profile.sources[j.source as usize].base.as_str();
                groups
                    .entry(base)
                    .or_default()
                    .push(j.ends_ms - j.created_us / 1000);
            }
        }
        let region = &s.profile.region;
        let ready: BTreeSet<&str> = groups
            .iter()
            .filter(|(_, d)| d.len() >= 3)
            .map(|(b, _)| *b)
            .collect();
        assert!(ready.len() >= 4, "{region}: {ready:?}");
        let median = |b: &str| {
            let mut d = groups.get(b).cloned().unwrap_or_default();
            d.sort_unstable();
            d.get(d.len() / 2).copied()
        };
        let (small, large) = (median(BASES[2].arn), median(BASES[4].arn));
        if let (Some(small), Some(large)) = (small, large) {
            assert!(
                large > small * 2,
                "{region}: nova-pro {large} nova-micro {small}"
            );
        }
        for (b, d) in &groups {
            assert!(base_of(b).is_some() && !d.is_empty());
        }
    }
}
