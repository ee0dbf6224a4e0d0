//! What every fuzz module shares: the size and seed of a run, fixed inputs
//! (the clock, zones, an endpoint), and the edits that turn a valid input
//! into a near miss.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use copyjobs::emulator::{Emulator, EmulatorOptions};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::RngSeed;
use std::sync::Arc;

/// `cases` unless `PROPTEST_CASES` says otherwise; the seed is fixed (11)
/// unless `PROPTEST_RNG_SEED` gives another, so a run of `cargo test` is the
/// same run every time. Failures are not written to disk: a case worth
/// keeping becomes a named regression test.
pub fn config(cases: u32) -> ProptestConfig {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    ProptestConfig {
        cases: env("PROPTEST_CASES").map_or(cases, |n| u32::try_from(n).unwrap_or(u32::MAX)),
        rng_seed: RngSeed::Fixed(env("PROPTEST_RNG_SEED").unwrap_or(11)),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// 2025-06-15 21:00 UTC: already the 16th east of +03:00, still the 15th
/// west of it, so zone mistakes show.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 15, 21, 0, 0)
        .single()
        .expect("a valid instant")
}

pub fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).expect("a valid offset")
}

/// Any whole-second offset chrono takes, UTC included.
pub fn any_offset() -> impl Strategy<Value = FixedOffset> {
    prop_oneof![
        Just(utc()),
        (-86_399i32..86_400).prop_map(|s| FixedOffset::east_opt(s).unwrap_or_else(utc)),
    ]
}

/// Offsets of whole minutes, as RFC 3339 and "+02:00" write them.
pub fn minute_offset() -> impl Strategy<Value = FixedOffset> {
    (-1439i32..1440).prop_map(|m| FixedOffset::east_opt(m * 60).unwrap_or_else(utc))
}

/// Characters that trip parsers: separators, signs, quotes, escapes,
/// controls (C0, C1, DEL), bidi overrides, wide and astral characters.
pub fn odd_char() -> impl Strategy<Value = char> {
    const ODD: &[char] = &[
        '0',
        '1',
        '9',
        '-',
        ':',
        '+',
        '.',
        ' ',
        'T',
        'Z',
        'z',
        '/',
        '=',
        '&',
        '%',
        '"',
        '\'',
        ',',
        ';',
        '[',
        ']',
        '{',
        '}',
        '#',
        '\\',
        '\n',
        '\r',
        '\t',
        '\0',
        '\u{7}',
        '\u{1b}',
        '\u{7f}',
        '\u{85}',
        '\u{9b}',
        '\u{9c}',
        'é',
        '\u{61c}',
        '\u{200e}',
        '\u{202e}',
        '\u{2028}',
        '\u{2066}',
        '\u{feff}',
        '\u{10ffff}',
        'ｱ',
        '𝟙',
        '٣',
    ];
    prop_oneof![
        3 => proptest::sample::select(ODD),
        1 => any::<char>(),
    ]
}

/// Arbitrary text, heavy in odd characters.
pub fn text(max: usize) -> BoxedStrategy<String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(odd_char(), 0..max).prop_map(String::from_iter),
    ]
    .boxed()
}

/// One of `list`, as an owned string.
pub fn one_of(list: &'static [&'static str]) -> BoxedStrategy<String> {
    proptest::sample::select(list)
        .prop_map(str::to_string)
        .boxed()
}

/// One change to a string, by character position.
#[derive(Debug, Clone)]
pub enum Edit {
    Replace(Index, char),
    Insert(Index, char),
    Delete(Index),
    Truncate(Index),
    /// Repeat the characters between two positions.
    Repeat(Index, Index),
    Swap(Index, Index),
}

pub fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<Index>(), odd_char()).prop_map(|(i, c)| Edit::Replace(i, c)),
        2 => (any::<Index>(), odd_char()).prop_map(|(i, c)| Edit::Insert(i, c)),
        2 => any::<Index>().prop_map(Edit::Delete),
        1 => any::<Index>().prop_map(Edit::Truncate),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::Repeat(a, b)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::Swap(a, b)),
    ]
}

pub fn apply(s: &str, edits: &[Edit]) -> String {
    let mut c: Vec<char> = s.chars().collect();
    for e in edits {
        let n = c.len();
        match e {
            Edit::Insert(i, ch) => c.insert(i.index(n + 1), *ch),
            _ if n == 0 => {}
            Edit::Replace(i, ch) => c[i.index(n)] = *ch,
            Edit::Delete(i) => {
                c.remove(i.index(n));
            }
            Edit::Truncate(i) => c.truncate(i.index(n)),
            Edit::Repeat(a, b) => {
                let (a, b) = (a.index(n), b.index(n));
                let (lo, hi) = (a.min(b), a.max(b) + 1);
                let again: Vec<char> = c[lo..hi].to_vec();
                c.splice(hi..hi, again);
            }
            Edit::Swap(a, b) => c.swap(a.index(n), b.index(n)),
        }
    }
    c.into_iter().collect()
}

/// A value from `valid` after one to three edits: a near miss, or now and
/// then another valid value.
pub fn near(valid: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (valid, proptest::collection::vec(edit(), 1..4)).prop_map(|(s, e)| apply(&s, &e))
}

/// No control character (C0, DEL, C1): what a refusal that quotes the
/// input promises.
pub fn no_controls(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

/// No control character and no bidi control either: text that can be
/// printed on one line of a terminal and reads as it is.
pub fn printable(s: &str) -> bool {
    !s.chars().any(|c| {
        c.is_control()
            || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

/// The endpoint's clock start, as `tests/endpoint` uses it.
pub const NOW_MS: i64 = 1_748_779_200_000; // 2025-06-01T12:00:00Z

/// An endpoint on a frozen clock with `jobs` jobs in us-east-1 and none
/// elsewhere, no faults.
pub fn emulator(jobs: usize) -> Arc<Emulator> {
    Emulator::new(EmulatorOptions {
        jobs,
        seed: 42,
        frozen: true,
        arrival_rate: 0.0,
        regions: vec!["us-east-1".into()],
        now: Some(NOW_MS),
        ..EmulatorOptions::default()
    })
}
