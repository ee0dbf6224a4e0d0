//! The name index against a naive scan of the names.

use super::*;
use proptest::prelude::*;

fn ids(it: impl Iterator<Item = usize>) -> Vec<usize> {
    it.collect()
}

#[test]
fn finds_each_matching_name_once_in_either_direction() {
    let idx =
        NameIndex::from_names(["nova-nova-x", "Titan-Lite", "fraud-nova", "llama"].into_iter());
    for n in [Needle::new("NOVA"), Needle::new("no")] {
        assert_eq!(ids(idx.find(&n, 0, 4)), vec![0, 2]);
        assert_eq!(ids(idx.rfind(&n, 0, 4)), vec![2, 0]);
        assert_eq!(ids(idx.find(&n, 1, 4)), vec![2]);
        assert_eq!(ids(idx.find(&n, 0, 2)), vec![0]);
        assert!(idx.find(&n, 3, 3).next().is_none());
    }
    assert_eq!(ids(idx.find(&Needle::new("titan"), 0, 4)), vec![1]);
    // No match across the end of one name and the start of the next.
    assert!(idx.find(&Needle::new("xtitan"), 0, 4).next().is_none());
    assert!(idx.find(&Needle::new("xt"), 0, 4).next().is_none());
    // Every trigram present, in different names: candidates, not matches.
    assert!(idx.find(&Needle::new("nova-lite"), 0, 4).next().is_none());
    assert!(idx.rfind(&Needle::new("fraud"), 0, 2).next().is_none());
}

#[test]
fn an_insert_before_others_moves_them_up() {
    let mut idx = NameIndex::from_names(["alpha-1", "beta-1"].into_iter());
    idx.insert(0, "Beta-0");
    idx.insert(2, "gamma");
    idx.push("beta-2");
    assert_eq!(ids(idx.find(&Needle::new("beta"), 0, 5)), vec![0, 3, 4]);
    assert_eq!(ids(idx.rfind(&Needle::new("alpha"), 0, 5)), vec![1]);
    assert_eq!(ids(idx.find(&Needle::new("mm"), 0, 5)), vec![2]);
}

/// Names mostly over a tiny alphabet, so trigrams repeat and lists span
/// several blocks; `É` stands for bytes outside the names' alphabet.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![3 => "[aA-]{0,8}", 1 => "[abAB_0É-]{0,9}"]
}

#[derive(Debug, Clone)]
enum Op {
    /// A name at this place (modulo one past the end); mostly at the end,
    /// as jobs arrive.
    Insert(Option<usize>, String),
    /// A walk over `from..to` (both modulo one past the end) one way.
    Find(String, usize, usize, bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (proptest::option::weighted(0.3, any::<usize>()), name())
            .prop_map(|(at, n)| Op::Insert(at, n)),
        1 => ("[abAB_0É-]{1,5}|[aA-]{3,6}", any::<usize>(), any::<usize>(), any::<bool>())
            .prop_map(|(n, a, b, up)| Op::Find(n, a, b, up)),
    ]
}

proptest! {
    // A fixed seed: the same cases on every run (PROPTEST_CASES for more).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(128),
        rng_seed: proptest::test_runner::RngSeed::Fixed(10),
        ..ProptestConfig::default()
    })]

    #[test]
    fn answers_like_a_scan_of_the_names(
        initial in proptest::collection::vec(name(), 0..600),
        ops in proptest::collection::vec(op(), 1..60),
    ) {
        let mut names = initial;
        let mut idx = NameIndex::from_names(names.iter().map(String::as_str));
        for op in ops {
            match op {
                Op::Insert(at, n) => {
                    let at = at.map_or(names.len(), |a| a % (names.len() + 1));
                    idx.insert(at, &n);
                    names.insert(at, n);
                }
                Op::Find(needle, a, b, up) => {
                    let (a, b) = (a % (names.len() + 1), b % (names.len() + 1));
                    let (from, to) = (a.min(b), a.max(b));
                    let lower = needle.to_ascii_lowercase();
                    let mut want: Vec<usize> = (from..to)
                        .filter(|&i| names[i].to_ascii_lowercase().contains(&lower))
                        .collect();
                    let n = Needle::new(&needle);
                    let got = if up {
                        ids(idx.find(&n, from, to))
                    } else {
                        want.reverse();
                        ids(idx.rfind(&n, from, to))
                    };
                    prop_assert_eq!(&got, &want, "{:?} in {}..{}", needle, from, to);
                    // The same through the lists, even where a scan is chosen.
                    let plan = idx.plan(&n, false);
                    let walked = ids(Walk::new(&idx, &n, plan, from, to, up));
                    prop_assert_eq!(walked, want, "{:?} in {}..{} by the lists", needle, from, to);
                }
            }
        }
        prop_assert_eq!(idx.len(), names.len());
    }
}
