//! The arithmetic every derived value starts from: a stable hash of a text
//! and a mix of two numbers. Stable across runs and builds (std's hasher is
//! not), so one `--seed` gives the same data everywhere.

/// Stable 64-bit FNV-1a: `std`'s hasher may change between releases, and the
/// data set must not.
pub fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// splitmix64 finaliser: spreads `(seed, region, index)` into a job seed.
pub fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b
        .wrapping_add(0x9e37_79b9_7f4a_7c15)
        .wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
