//! How long a copy takes: the size of the model, the way it travels, and
//! some spread.
//!
//! The API never says, so copyjobs learns it from what it watches (its
//! history groups copies by base model and variant, and destination region).
//! For those estimates to mean anything here, the endpoint's copies of one
//! group take about the same time, and groups differ: a larger base model
//! takes longer, a copy to another continent longer than one next door, and
//! each destination region has its own pace. Around that, a job's own draw
//! spreads it by about a fifth, and one in twenty runs long.

use super::account::base_of;
use super::seeds::fnv;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const MINUTE: i64 = 60_000;

/// The shortest and longest copy, unscaled.
pub const SHORTEST_COPY: i64 = 3 * MINUTE;
pub const LONGEST_COPY: i64 = 125 * MINUTE;

/// The median copy of a base model the data set does not know (one a
/// client names by hand): a middling size.
const UNKNOWN_MINUTES: u32 = 20;

/// `us`, `eu`, `ap`…: regions of one continent are near each other.
fn continent(region: &str) -> &str {
    match region.split('-').next().unwrap_or("") {
        "ca" | "mx" => "us",
        other => other,
    }
}

/// The typical copy of `base` (the `custom-model/<base>/` part of the
/// source's ARN) from `from` to `to`, unscaled, in milliseconds.
pub fn typical_ms(base: &str, from: &str, to: &str) -> f64 {
    let minutes = base_of(base).map_or(UNKNOWN_MINUTES, |b| b.minutes);
    let far = if continent(from) == continent(to) {
        1.0
    } else {
        1.35
    };
    // Each destination's own pace: 0.9 to 1.19.
    let pace = 0.9 + (fnv(to.as_bytes()) % 30) as f64 / 100.0;
    f64::from(minutes) * far * pace * MINUTE as f64
}

/// A copy's duration, unscaled, drawn from `r` around [`typical_ms`]: a
/// log-normal spread of about 20 %, one in twenty up to 2.5 times as long,
/// always within [`SHORTEST_COPY`, `LONGEST_COPY`].
pub fn copy_ms(base: &str, from: &str, to: &str, r: &mut ChaCha8Rng) -> i64 {
    spread(typical_ms(base, from, to), r)
}

/// A copy's duration around `typical` (as [`typical_ms`] gives it): see
/// [`copy_ms`].
pub fn spread(typical: f64, r: &mut ChaCha8Rng) -> i64 {
    // A standard normal from two uniforms (Box–Muller).
    let (u1, u2): (f64, f64) = (r.random(), r.random());
    let normal = (-2.0 * (1.0 - u1).ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    let mut ms = typical * (0.2 * normal).exp();
    if r.random_bool(0.05) {
        ms *= r.random_range(1.5..2.5);
    }
    (ms as i64).clamp(SHORTEST_COPY, LONGEST_COPY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::rng;

    fn median(base: &str, from: &str, to: &str) -> i64 {
        let mut r = rng(9);
        let mut v: Vec<i64> = (0..401).map(|_| copy_ms(base, from, to, &mut r)).collect();
        v.sort_unstable();
        v[200]
    }

    #[test]
    fn larger_models_and_farther_regions_take_longer_and_each_group_holds_together() {
        let pro = "amazon.nova-pro-v1:0:300k";
        let micro = "amazon.nova-micro-v1:0:128k";
        let near = median(micro, "us-east-1", "us-west-2");
        assert!(median(pro, "us-east-1", "us-west-2") > 2 * near);
        assert!(median(micro, "us-east-1", "eu-central-1") as f64 > 1.2 * near as f64);
        // Most copies of a group within a quarter of its median.
        let mut r = rng(3);
        let typical = median(pro, "us-east-1", "eu-central-1") as f64;
        let close = (0..1000)
            .filter(|_| {
                let d = copy_ms(pro, "us-east-1", "eu-central-1", &mut r) as f64;
                (d - typical).abs() < 0.25 * typical
            })
            .count();
        assert!(close > 700, "{close}");
        let mut r = rng(4);
        for _ in 0..10_000 {
            let d = copy_ms(pro, "us-west-2", "ap-south-1", &mut r);
            assert!((SHORTEST_COPY..=LONGEST_COPY).contains(&d));
        }
    }
}
