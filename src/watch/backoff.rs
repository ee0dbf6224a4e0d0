//! The one backoff: every wait before a retry, the headless verbs' quick
//! retries and a failing source's next try alike, is AWS's "full jitter", a
//! uniform draw in `[0, min(cap, base·2^(n-1))]` for the `n`th failure in a
//! row. Without the draw, sources (or scripts) that failed together would
//! all come back at the same instant and fail together again.
//!
//! The draw is not random here: it is a mix of a seed the caller owns (a
//! source's id and when it began failing, a policy's seed), so the engine
//! stays a pure function of its inputs and tests see the same waits each run.

use std::time::Duration;

/// The longest wait before retrying after `failures` failures in a row:
/// `base`, doubled per failure after the first, at most `cap`.
pub fn ceiling(failures: u32, base: Duration, cap: Duration) -> Duration {
    let doublings = failures.saturating_sub(1).min(30);
    base.saturating_mul(1u32 << doublings).min(cap)
}

/// The wait itself: `draw` (any `u64`, e.g. from [`draw`]) placed uniformly
/// in `[0, ceiling]`.
pub fn full_jitter(failures: u32, base: Duration, cap: Duration, draw: u64) -> Duration {
    let top = ceiling(failures, base, cap).as_nanos();
    // draw / 2^64 of (top + 1) nanoseconds: never above `top`.
    let nanos = (u128::from(draw) * (top + 1)) >> 64;
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// A well-spread `u64` from a seed and the failure count (SplitMix64's
/// finaliser): the same inputs give the same draw on every platform, close
/// seeds give unrelated draws.
pub fn draw(seed: u64, failures: u32) -> u64 {
    let mut z = seed ^ u64::from(failures).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Folds a value into a seed, so parts of one caller (a source's id and
/// the time it began failing, a window's index) draw apart.
pub fn mix(seed: u64, more: u64) -> u64 {
    draw(seed ^ more.rotate_left(17), 0)
}

/// A seed from text (a job's ARN): FNV-1a, stable across runs and builds.
pub fn of_text(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn the_ceiling_doubles_per_failure_up_to_the_cap() {
        let cap = Duration::from_secs(300);
        let expected = [
            (1, 10),
            (2, 20),
            (3, 40),
            (4, 80),
            (5, 160),
            (6, 300),
            (40, 300),
        ];
        for (failures, secs) in expected {
            assert_eq!(ceiling(failures, 10 * S, cap), secs * S, "{failures}");
        }
    }

    #[test]
    fn a_draw_spans_zero_to_the_ceiling_and_never_beyond() {
        let cap = 300 * S;
        assert_eq!(full_jitter(3, 10 * S, cap, 0), Duration::ZERO);
        assert_eq!(full_jitter(3, 10 * S, cap, u64::MAX), 40 * S);
        assert_eq!(full_jitter(3, 10 * S, cap, 1 << 63), 20 * S);
        for seed in 0..1000 {
            let w = full_jitter(8, 10 * S, cap, draw(seed, 8));
            assert!(w <= cap, "{w:?}");
        }
    }

    #[test]
    fn sources_failing_together_spread_out() {
        // A hundred sources failing at once for the fourth time: the waits
        // fill the window [0, 80 s] rather than piling on one instant.
        let waits: Vec<Duration> = (0..100u64)
            .map(|id| full_jitter(4, 10 * S, 300 * S, draw(mix(0, id), 4)))
            .collect();
        let mut tenths = [0; 10];
        for w in &waits {
            tenths[((w.as_secs_f64() / 8.0) as usize).min(9)] += 1;
        }
        assert!(tenths.iter().all(|&n| n > 0), "{tenths:?}");
        assert!(tenths.iter().all(|&n| n < 25), "{tenths:?}");
        // The same state gives the same wait: tests stay deterministic.
        assert_eq!(draw(mix(0, 7), 4), draw(mix(0, 7), 4));
        assert_ne!(draw(mix(0, 7), 4), draw(mix(0, 8), 4));
    }
}
