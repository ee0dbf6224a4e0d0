//! When jobs happen: the history and its recent stretch on the arrivals'
//! grid, the regions' working week, and the batches pipelines start.

use super::{DAY, HOUR, MINUTE, mix};
use crate::durations::LONGEST_COPY;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// How far back the initial data set reaches.
const HISTORY: i64 = 182 * DAY;

/// The newest stretch of the initial data set, laid on the arrivals' grid. It
/// outlasts the longest copy, so every job in flight at start is in it.
const RECENT: i64 = 3 * HOUR;
const _: () = assert!(RECENT >= LONGEST_COPY);

/// The arrival rate (per minute) the recent stretch assumes when
/// `--arrival-rate` is 0: a demo with nothing in flight has nothing to watch.
const QUIET_RATE: f64 = 1.0;

/// A lifecycle duration at `--speed`: at 60, a copy of half an hour takes 30 s.
pub fn scale(ms: i64, speed: f64) -> i64 {
    ((ms as f64 / speed.max(1e-6)) as i64).max(1)
}

/// The step between arrivals at `per_minute` jobs a virtual minute, if any.
pub fn arrival_every_ms(per_minute: f64, speed: f64) -> Option<i64> {
    (per_minute > 0.0).then(|| ((60_000.0 / (per_minute * speed)) as i64).max(1))
}

/// When the initial jobs were created.
///
/// The newest sit on the grid that live arrivals continue: slot `k` is at
/// `anchor_ms + k * every_ms`, arrivals take `k >= 1` and the history
/// `k = 0, -1, …` back to `recent_from_ms`. So the jobs in flight at start are
/// those the arrival rate would have made (about the rate times the mean copy
/// duration, some thirty a minute's rate), whatever the size of the data set,
/// and the arrivals after start carry on at the same pace. The rest are
/// spread over the months before, every one of them long finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeline {
    pub anchor_ms: i64,
    pub every_ms: i64,
    /// How many initial jobs there are.
    pub count: u64,
    /// How many initial jobs are on the grid (the newest).
    pub recent: u64,
    /// The older jobs are created in `[oldest_ms, recent_from_ms)`.
    pub oldest_ms: i64,
    pub recent_from_ms: i64,
}

impl Timeline {
    pub fn new(count: u64, now_ms: i64, arrival_rate: f64, speed: f64) -> Timeline {
        let rate = if arrival_rate > 0.0 {
            arrival_rate
        } else {
            QUIET_RATE
        };
        let every_ms = arrival_every_ms(rate, speed).unwrap_or(MINUTE);
        // Half a step before now: a job created at the start instant (by
        // CreateModelCopyJob on a frozen clock) is then the newest, not tied.
        let anchor_ms = now_ms - every_ms / 2;
        let recent_from_ms = now_ms - scale(RECENT, speed);
        let slots = if anchor_ms >= recent_from_ms {
            (anchor_ms - recent_from_ms) / every_ms + 1
        } else {
            0
        };
        Timeline {
            anchor_ms,
            every_ms,
            count,
            recent: count.min(u64::try_from(slots).unwrap_or(0)),
            oldest_ms: (now_ms - HISTORY).min(recent_from_ms - DAY),
            recent_from_ms,
        }
    }

    /// The creation time of grid slot `k`.
    pub fn slot(&self, k: i64) -> i64 {
        self.anchor_ms
            .saturating_add(k.saturating_mul(self.every_ms))
    }
}

/// Copies started per local hour of a working day, relative (out of 10):
/// people and the pipelines they run start most of them in office hours.
const WORKDAY: [u8; 24] = [
    1, 1, 1, 1, 1, 1, 2, 3, 6, 9, 10, 10, 8, 9, 10, 10, 9, 7, 5, 3, 2, 2, 1, 1,
];
/// The same on a weekend: scheduled pipelines and the odd person on call.
const WEEKEND: [u8; 24] = [
    1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
];

/// The weekly rhythm's weight (out of 10) at a local time.
fn rhythm(local_ms: i64) -> u8 {
    let hours = local_ms.div_euclid(HOUR);
    // 1970-01-01 was a Thursday: with this shift, day 0 is a Monday.
    let weekday = (hours.div_euclid(24) + 3).rem_euclid(7);
    let table = if weekday >= 5 { &WEEKEND } else { &WORKDAY };
    table[hours.rem_euclid(24) as usize]
}

/// A region's usual offset from UTC, so its working day is where its users
/// are. No daylight saving: it is a rhythm, not a calendar.
pub(super) fn utc_offset_ms(region: &str) -> i64 {
    const MINUTES: &[(&str, i64)] = &[
        ("us-west-", -8 * 60),
        ("us-", -5 * 60),
        ("ca-west-", -7 * 60),
        ("ca-", -5 * 60),
        ("mx-", -6 * 60),
        ("sa-", -3 * 60),
        ("eu-west-", 0),
        ("eu-", 60),
        ("af-", 2 * 60),
        ("il-", 2 * 60),
        ("me-", 3 * 60),
        ("ap-south-", 5 * 60 + 30),
        ("ap-southeast-2", 10 * 60),
        ("ap-southeast-4", 10 * 60),
        ("ap-southeast-", 8 * 60),
        ("ap-east-", 8 * 60),
        ("ap-northeast-", 9 * 60),
    ];
    MINUTES
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or(0, |(_, m)| m * MINUTE)
}

/// When a chain of copies whose first job has `seed` starts, drawn at
/// `own_ms`. One chain in six was started with the job made before it
/// (`prev_ms`), as a pipeline starts a batch: in the same second, and one in
/// four of those in the same millisecond. So `--time-precision s` has jobs
/// sharing a second and `ms` a few sharing a millisecond, in every data set.
/// Never at or past `before`, where the history ends.
pub(super) fn batched(seed: u64, own_ms: i64, prev_ms: Option<i64>, before: i64) -> i64 {
    let Some(prev_ms) = prev_ms.filter(|_| mix(seed, 37).is_multiple_of(6)) else {
        return own_ms;
    };
    let rest_of_second = 1000 - prev_ms.rem_euclid(1000);
    let at = if mix(seed, 38).is_multiple_of(4) {
        prev_ms
    } else {
        prev_ms + (mix(seed, 39) % rest_of_second as u64) as i64
    };
    if at < before { at } else { own_ms }
}

/// A creation time in `[from, to)` that follows the week of a region
/// `utc_offset_ms` from UTC: rejection sampling, about three draws a job.
/// Every hour has a weight of at least 1 in 10, so the bound on tries is
/// never what ends the loop in practice; it only keeps the loop finite.
pub(super) fn rhythmic_time(r: &mut ChaCha8Rng, from: i64, to: i64, utc_offset_ms: i64) -> i64 {
    if to <= from {
        return from;
    }
    let mut t = from;
    for _ in 0..64 {
        t = r.random_range(from..to);
        if r.random_range(0..10) < rhythm(t + utc_offset_ms) {
            break;
        }
    }
    t
}
