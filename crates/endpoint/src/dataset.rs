//! The deterministic data set: jobs, and everything a response shows about
//! them, all drawn from `(seed, region, index)`; the models they copy are the
//! account's (see [`super::account`]), the same in every region.
//!
//! Each job carries its own seed, so the fields only a response needs (tags,
//! KMS key, the failure message) are rebuilt on demand instead of stored: that
//! keeps a million jobs in about a hundred megabytes.
//!
//! `profile` holds what a region's data set keeps (account, KMS keys, the
//! models it copies), `timeline` when jobs happen, `generator` the jobs
//! themselves, `extras` the fields rebuilt from a job's seed, `failures` the
//! failure catalogue and its messages, `odd` the `--odd-data` text.

mod extras;
mod failures;
mod generator;
mod odd;
mod profile;
mod timeline;

pub use super::account::caller_account;
pub use super::seeds::{fnv, mix};
pub use failures::{FAILURE_RATE, FailureKind};
pub use generator::Generator;
pub use odd::ODD_MESSAGES;
pub(crate) use odd::long_name;
pub use profile::RegionProfile;
pub use timeline::{Timeline, arrival_every_ms, scale};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

pub fn arn_region(arn: &str) -> &str {
    arn.split(':').nth(3).unwrap_or("")
}

#[cfg(test)]
mod tests;
