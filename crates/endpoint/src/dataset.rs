//! The deterministic data set: source models, jobs, and everything a response
//! shows about them, all drawn from `(seed, region, index)`.
//!
//! Each job carries its own seed, so the fields only a response needs (tags,
//! KMS key, the failure message) are rebuilt on demand instead of stored: that
//! keeps a million jobs in about a hundred megabytes.

use super::model::{Detail, Extras, Job, ShortId, SourceModel, Status, Tag};
use super::options::TimePrecision;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Regions a source model may live in; copies cross regions and accounts.
pub const SOURCE_REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-northeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-west-2",
];

/// `(base as it appears in a custom-model ARN, short name for model names,
/// foundation-model id or "" when it has none, weight)`.
const BASES: &[(&str, &str, &str, u32)] = &[
    (
        "amazon.titan-text-express-v1:0:8k",
        "titan-express",
        "amazon.titan-text-express-v1",
        10,
    ),
    (
        "amazon.titan-text-lite-v1:0:4k",
        "titan-lite",
        "amazon.titan-text-lite-v1",
        5,
    ),
    (
        "amazon.nova-micro-v1:0:128k",
        "nova-micro",
        "amazon.nova-micro-v1:0",
        12,
    ),
    (
        "amazon.nova-lite-v1:0:300k",
        "nova-lite",
        "amazon.nova-lite-v1:0",
        14,
    ),
    (
        "amazon.nova-pro-v1:0:300k",
        "nova-pro",
        "amazon.nova-pro-v1:0",
        8,
    ),
    (
        "meta.llama3-1-8b-instruct-v1:0:128k",
        "llama31-8b",
        "meta.llama3-1-8b-instruct-v1:0",
        12,
    ),
    (
        "meta.llama3-2-3b-instruct-v1:0:128k",
        "llama32-3b",
        "meta.llama3-2-3b-instruct-v1:0",
        6,
    ),
    (
        "anthropic.claude-3-haiku-20240307-v1:0:200k",
        "claude-haiku",
        "anthropic.claude-3-haiku-20240307-v1:0",
        9,
    ),
    (
        "cohere.command-light-text-v14:7:4k",
        "command-light",
        "cohere.command-light-text-v14",
        3,
    ),
    (
        "mistral.mistral-7b-instruct-v0:2",
        "mistral-7b",
        "mistral.mistral-7b-instruct-v0:2",
        4,
    ),
    ("imported", "imported", "", 7),
];

const TEAMS: &[&str] = &[
    "support",
    "search",
    "fraud",
    "claims",
    "legal",
    "marketing",
    "recsys",
    "billing",
    "risk",
    "docs",
    "voice",
    "onboarding",
    "compliance",
    "analytics",
    "payments",
    "hr",
];
const PURPOSES: &[&str] = &[
    "sft",
    "dpo",
    "distilled",
    "ft",
    "rlhf",
    "summarizer",
    "classifier",
    "extractor",
    "chat",
    "router",
    "qa",
    "rewriter",
];
const OWNER_EMAILS: &[&str] = &[
    "priya@example.com",
    "mateo@example.com",
    "aiko@example.com",
    "jonas@example.com",
    "fatima@example.com",
    "liam@example.com",
    "chen@example.com",
    "olga@example.com",
    "kwame@example.com",
    "sofia@example.com",
];
const PROJECTS: &[&str] = &[
    "atlas", "beacon", "cascade", "delta", "ember", "falcon", "granite", "harbor",
];

/// Failure kinds, each applicable only where the job makes it plausible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum FailureKind {
    Kms = 0,
    Quota = 1,
    SourceMissing = 2,
    CrossAccount = 3,
    Internal = 4,
    RegionDisabled = 5,
    NameTaken = 6,
    /// `--odd-data`: a message holding what real text can (see [`ODD_MESSAGES`]).
    Odd = 7,
}

impl FailureKind {
    fn from_u8(v: u8) -> FailureKind {
        match v {
            0 => FailureKind::Kms,
            1 => FailureKind::Quota,
            2 => FailureKind::SourceMissing,
            3 => FailureKind::CrossAccount,
            5 => FailureKind::RegionDisabled,
            6 => FailureKind::NameTaken,
            7 => FailureKind::Odd,
            _ => FailureKind::Internal,
        }
    }
}

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

fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

fn account(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{:012}",
        rng.random_range(100_000_000_000u64..1_000_000_000_000)
    )
}

fn region_abbrev(region: &str) -> String {
    // us-east-1 -> use1, ap-southeast-2 -> apse2
    let parts: Vec<&str> = region.split('-').collect();
    match parts.as_slice() {
        [geo, dir, num] => {
            let d: String = match *dir {
                "east" => "e".into(),
                "west" => "w".into(),
                "north" => "n".into(),
                "south" => "s".into(),
                "central" => "c".into(),
                "northeast" => "ne".into(),
                "southeast" => "se".into(),
                "northwest" => "nw".into(),
                "southwest" => "sw".into(),
                other => other.chars().take(2).collect(),
            };
            format!("{geo}{d}{num}")
        }
        _ => region
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(8)
            .collect(),
    }
}

fn pick_weighted<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut r = rng.random_range(0..total.max(1));
    for it in items {
        let w = weight(it);
        if r < w {
            return it;
        }
        r -= w;
    }
    &items[0]
}

fn uuid_like(rng: &mut ChaCha8Rng) -> String {
    let b: u128 = rng.random();
    let h = format!("{b:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Everything about one region's data set that does not change, but for
/// the foreign sources CreateModelCopyJob appends to `sources`.
#[derive(Debug, Clone)]
pub struct RegionProfile {
    /// `--odd-data`: one job in four carries odd text (see [`ODD_MESSAGES`]).
    pub odd: bool,
    pub region: String,
    pub seed: u64,
    /// The caller's account: target models and jobs live here.
    pub account: String,
    /// The models jobs copy from, one table that `Job::source` indexes: the
    /// data set's own first, then the models of other regions that
    /// CreateModelCopyJob copied here (see `Store::create`).
    /// Appended, not kept apart, so that every reader (summaries, failure
    /// messages, tags, the source filters) sees a foreign source as it sees
    /// its own.
    pub sources: Vec<SourceModel>,
    /// How many of `sources` are the data set's own: the generator picks
    /// only among these, so arrivals stay a function of the clock alone,
    /// whatever was created meanwhile.
    pub generated_sources: usize,
    pub kms_keys: Vec<String>,
    /// The other accounts models are copied from.
    pub peers: Vec<String>,
    /// Where the region's working day falls: its users start most copies.
    pub utc_offset_ms: i64,
    /// `--time-precision`: creation times are cut to it as jobs are made.
    pub precision: TimePrecision,
}

impl RegionProfile {
    pub fn new(seed: u64, region: &str) -> RegionProfile {
        let account = caller_account(seed);
        let seed = mix(seed, fnv(region.as_bytes()));
        let mut r = rng(mix(seed, 1));
        let peers: Vec<String> = (0..4).map(|_| account_distinct(&mut r, &account)).collect();
        let kms_keys = (0..3)
            .map(|_| format!("arn:aws:kms:{region}:{account}:key/{}", uuid_like(&mut r)))
            .collect();
        let mut sources = Vec::new();
        let mut seen_names = HashSet::new();
        for i in 0..48 {
            let base = pick_weighted(&mut r, BASES, |b| b.3);
            let foundation = !base.2.is_empty() && i % 10 == 9;
            let src_region = if r.random_bool(0.2) {
                region.to_string()
            } else {
                SOURCE_REGIONS[r.random_range(0..SOURCE_REGIONS.len())].to_string()
            };
            if foundation {
                let arn = format!("arn:aws:bedrock:{src_region}::foundation-model/{}", base.2);
                if sources.iter().any(|s: &SourceModel| s.arn == arn) {
                    continue;
                }
                sources.push(SourceModel {
                    arn,
                    name: None,
                    account: account.clone(),
                    base: base.0.to_string(),
                });
                continue;
            }
            let owner = if r.random_bool(0.6) {
                account.clone()
            } else {
                peers[r.random_range(0..peers.len())].clone()
            };
            let mut name;
            loop {
                name = format!(
                    "{}-{}-{}-v{}",
                    TEAMS[r.random_range(0..TEAMS.len())],
                    PURPOSES[r.random_range(0..PURPOSES.len())],
                    base.1,
                    r.random_range(1..15)
                );
                if seen_names.insert(name.clone()) {
                    break;
                }
            }
            let id = ShortId::from_u64(r.random());
            let arn = format!(
                "arn:aws:bedrock:{src_region}:{owner}:custom-model/{}/{}",
                base.0,
                id.as_str()
            );
            sources.push(SourceModel {
                arn,
                name: Some(name),
                account: owner,
                base: base.0.to_string(),
            });
        }
        RegionProfile {
            odd: false,
            region: region.to_string(),
            seed,
            account,
            generated_sources: sources.len(),
            sources,
            kms_keys,
            peers,
            utc_offset_ms: utc_offset_ms(region),
            precision: TimePrecision::default(),
        }
    }

    /// The stored creation time (microseconds) of a job made at `created_ms`
    /// with `seed`. Every job gets sub-millisecond digits drawn from its own
    /// seed, without touching the generator's stream, and the precision then
    /// cuts them (and under `s`, the milliseconds) away: every precision has
    /// the same jobs in the same order wherever their times still differ.
    pub fn stamp(&self, created_ms: i64, seed: u64) -> i64 {
        let micros = (mix(seed, 29) % 1000) as i64;
        self.precision
            .truncate(created_ms.saturating_mul(1000).saturating_add(micros))
    }

    pub fn job_arn(&self, id: &ShortId) -> String {
        format!(
            "arn:aws:bedrock:{}:{}:model-copy-job/{}",
            self.region,
            self.account,
            id.as_str()
        )
    }

    pub fn target_arn(&self, job: &Job) -> String {
        let base = self
            .sources
            .get(job.source as usize)
            .map_or("imported", |s| s.base.as_str());
        format!(
            "arn:aws:bedrock:{}:{}:custom-model/{}/{}",
            self.region,
            self.account,
            base,
            job.target_id.as_str()
        )
    }

    /// The fields a generated job does not store.
    pub fn extras(&self, job: &Job) -> Extras {
        match &job.detail {
            Detail::Created(e) => (**e).clone(),
            Detail::Generated(seed) => self.generated_extras(*seed, job),
        }
    }

    fn generated_extras(&self, seed: u64, job: &Job) -> Extras {
        if self.odd_job(seed) {
            return odd_extras();
        }
        let mut r = rng(mix(seed, 7));
        let kms_key_arn = r
            .random_bool(0.3)
            .then(|| self.kms_keys[r.random_range(0..self.kms_keys.len())].clone());
        let tags = if r.random_bool(0.85) {
            self.tags(&mut r, job)
        } else {
            Vec::new()
        };
        let failure_kind = self.failure_kind(&mut r, job, kms_key_arn.is_some());
        Extras {
            kms_key_arn,
            tags,
            failure_kind,
        }
    }

    fn tags(&self, r: &mut ChaCha8Rng, job: &Job) -> Vec<Tag> {
        const KEYS: [&str; 11] = [
            "team",
            "env",
            "cost-center",
            "owner",
            "project",
            "data-classification",
            "created-by",
            "ticket",
            "source-region",
            "retention",
            "notes",
        ];
        let n = r.random_range(1..=10);
        // Which keys, in which order: a deterministic partial shuffle. Only
        // the chosen tags are built: responses make these a thousand at a time.
        let mut order: [usize; 11] = std::array::from_fn(|i| i);
        for i in 0..n {
            let j = r.random_range(i..order.len());
            order.swap(i, j);
        }
        order[..n]
            .iter()
            .map(|&k| {
                let value = match k {
                    0 => Cow::Owned(
                        job.target_name
                            .split('-')
                            .next()
                            .unwrap_or("ml")
                            .to_string(),
                    ),
                    1 => Cow::Borrowed(["prod", "staging", "dev"][r.random_range(0..3)]),
                    2 => Cow::Owned(format!("cc-{}", r.random_range(1000..9999))),
                    3 => Cow::Borrowed(OWNER_EMAILS[r.random_range(0..OWNER_EMAILS.len())]),
                    4 => Cow::Borrowed(PROJECTS[r.random_range(0..PROJECTS.len())]),
                    5 => {
                        Cow::Borrowed(["internal", "confidential", "public"][r.random_range(0..3)])
                    }
                    6 => Cow::Borrowed(
                        [
                            "copyjobs-pipeline",
                            "terraform",
                            "console",
                            "sagemaker-pipeline",
                        ][r.random_range(0..4)],
                    ),
                    7 => Cow::Owned(format!("ML-{}", r.random_range(100..9999))),
                    8 => Cow::Owned(
                        self.sources
                            .get(job.source as usize)
                            .map_or(String::new(), |s| arn_region(&s.arn).to_string()),
                    ),
                    9 => Cow::Borrowed(["30d", "90d", "180d", "365d"][r.random_range(0..4)]),
                    _ => Cow::Borrowed("copied for low-latency inference: see runbook/ml-copy.md"),
                };
                Tag {
                    key: Cow::Borrowed(KEYS[k]),
                    value,
                }
            })
            .collect()
    }

    fn failure_kind(&self, r: &mut ChaCha8Rng, job: &Job, has_kms: bool) -> u8 {
        let cross = self
            .sources
            .get(job.source as usize)
            .is_some_and(|s| s.account != self.account);
        let mut kinds: Vec<(FailureKind, u32)> = vec![
            (FailureKind::Quota, 3),
            (FailureKind::SourceMissing, 2),
            (FailureKind::Internal, 2),
            (FailureKind::RegionDisabled, 1),
            (FailureKind::NameTaken, 1),
        ];
        if has_kms {
            kinds.push((FailureKind::Kms, 6));
        }
        if cross {
            kinds.push((FailureKind::CrossAccount, 6));
        }
        pick_weighted(r, &kinds, |k| k.1).0 as u8
    }

    /// The failure message of a Failed job, reading like the service's own.
    /// Under `--odd-data`, whether this job carries odd text.
    fn odd_job(&self, seed: u64) -> bool {
        self.odd && mix(seed, 13).is_multiple_of(4)
    }

    pub fn failure_message(&self, job: &Job, extras: &Extras) -> String {
        let src = self.sources.get(job.source as usize);
        let src_arn = src.map_or("", |s| s.arn.as_str());
        let seed = match &job.detail {
            Detail::Generated(s) => *s,
            Detail::Created(_) => fnv(job.id.as_str().as_bytes()),
        };
        let mut r = rng(mix(seed, 11));
        match FailureKind::from_u8(extras.failure_kind) {
            FailureKind::Kms => format!(
                "Bedrock could not use the KMS key {}: AccessDeniedException when calling kms:CreateGrant. Grant the Bedrock service kms:CreateGrant, kms:DescribeKey, kms:GenerateDataKey and kms:Decrypt in the key policy, then retry the copy.",
                extras.kms_key_arn.as_deref().unwrap_or("(unknown key)")
            ),
            FailureKind::Quota => format!(
                "ServiceQuotaExceededException: account {} has reached the limit of {} custom models in {}. Delete custom models you no longer use or request a quota increase in Service Quotas.",
                self.account,
                [100, 200, 500][r.random_range(0..3)],
                self.region
            ),
            FailureKind::SourceMissing => format!(
                "The source model {src_arn} was not found. It may have been deleted after the copy job was created."
            ),
            FailureKind::CrossAccount => format!(
                "Access denied to the source model in account {}. The source account must share the model with account {} through AWS RAM before it can be copied.",
                src.map_or("", |s| s.account.as_str()),
                self.account
            ),
            FailureKind::Internal => format!(
                "An internal error occurred while copying the model artifacts (request id {}). Retry the copy job; if the error persists, contact AWS Support.",
                uuid_like(&mut r)
            ),
            FailureKind::RegionDisabled => format!(
                "The source Region {} is not enabled for account {}. Enable the Region in the account settings, then retry the copy.",
                arn_region(src_arn),
                self.account
            ),
            FailureKind::NameTaken => format!(
                "A custom model named {} already exists in {}. Choose a different target model name.",
                job.target_name, self.region
            ),
            FailureKind::Odd => odd_message(seed),
        }
    }

    /// A failure kind for a job made by CreateModelCopyJob.
    pub fn failure_kind_for_created(&self, job: &Job, has_kms: bool) -> u8 {
        let mut r = rng(mix(self.seed, fnv(job.id.as_str().as_bytes())));
        self.failure_kind(&mut r, job, has_kms)
    }
}

/// The caller's account: the same in every region, as it is for a real
/// caller, so it is known without building a region's data set.
pub fn caller_account(seed: u64) -> String {
    account(&mut rng(mix(seed, 2)))
}

fn account_distinct(r: &mut ChaCha8Rng, own: &str) -> String {
    loop {
        let a = account(r);
        if a != own {
            return a;
        }
    }
}

pub fn arn_region(arn: &str) -> &str {
    arn.split(':').nth(3).unwrap_or("")
}

/// How long a copy takes: minutes, with a long tail, never [`LONGEST_COPY`].
fn copy_duration(r: &mut ChaCha8Rng) -> i64 {
    let base = r.random_range(4 * MINUTE..40 * MINUTE);
    if r.random_bool(0.2) {
        base + r.random_range(0..90 * MINUTE)
    } else {
        base
    }
}

/// An upper bound of [`copy_duration`]: a job created longer ago than this
/// (scaled) has finished.
const LONGEST_COPY: i64 = 130 * MINUTE;

/// The share of copies that fail (permissions, KMS grants, quotas…): the same
/// for the history, arrivals and CreateModelCopyJob.
pub const FAILURE_RATE: f64 = 0.15;

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
fn utc_offset_ms(region: &str) -> i64 {
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

/// Longest run of history jobs started together (see [`RegionProfile::batched`]).
const LONGEST_BATCH: u32 = 4;

impl RegionProfile {
    /// When history job `index`, drawn at `own_ms`, was created. One in six
    /// was started with the one before it, as a pipeline starts a batch: in
    /// the same second, and one in four of those in the same millisecond.
    /// So `--time-precision s` has jobs sharing a second and `ms` a few
    /// sharing a millisecond, in every data set. The draw of `own_ms` is
    /// made all the same, so every other field of the job is as it would be.
    fn batched(&self, index: u64, own_ms: i64, t: &Timeline, depth: u32) -> i64 {
        let seed = mix(self.seed, index);
        if index <= t.recent || depth >= LONGEST_BATCH || !mix(seed, 37).is_multiple_of(6) {
            return own_ms;
        }
        let prev = index - 1;
        let mut r = rng(mix(self.seed, prev));
        let prev_own = self.rhythmic_time(&mut r, t.oldest_ms, t.recent_from_ms);
        let prev_ms = self.batched(prev, prev_own, t, depth + 1);
        let rest_of_second = 1000 - prev_ms.rem_euclid(1000);
        if mix(seed, 38).is_multiple_of(4) {
            prev_ms
        } else {
            prev_ms + (mix(seed, 39) % rest_of_second as u64) as i64
        }
    }

    /// A creation time in `[from, to)` that follows the region's week:
    /// rejection sampling, about three draws a job. Every hour has a weight of
    /// at least 1 in 10, so the bound on tries is never what ends the loop in
    /// practice; it only keeps the loop finite.
    fn rhythmic_time(&self, r: &mut ChaCha8Rng, from: i64, to: i64) -> i64 {
        if to <= from {
            return from;
        }
        let mut t = from;
        for _ in 0..64 {
            t = r.random_range(from..to);
            if r.random_range(0..10) < rhythm(t + self.utc_offset_ms) {
                break;
            }
        }
        t
    }
}

/// What real text can hold, for `--odd-data`: each field gets only what the
/// service model allows in it (tags are ASCII, see [`odd_extras`]; names
/// `([0-9a-zA-Z][_-]?){1,63}`), while failure messages are free text up to
/// 2,048 characters and get the rest.
pub const ODD_MESSAGES: &[&str] = &[
    "复制失败：源模型不可用。モデルのコピーに失敗しました。소스 모델을 찾을 수 없습니다.",
    "Copy failed 🚫 for the 👩‍🔬 team 🇯🇵: naïve café (cafe\u{301}), 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✅",
    "فشل النسخ: المفتاح غير متاح — שגיאה בהעתקה: המפתח אינו זמין (KMS)",
    "Access\u{200b}Denied\u{200d} while\u{2060}copying\u{feff} the model",
    "Copy failed \u{1b}[31mRED\u{1b}[0m \u{7}bell \u{8}back\r\ncarriage \u{1b}]0;title\u{7} \u{9b}2J tab\there",
];

fn odd_message(seed: u64) -> String {
    let i = (mix(seed, 19) % (ODD_MESSAGES.len() as u64 + 1)) as usize;
    match ODD_MESSAGES.get(i) {
        Some(m) => (*m).to_string(),
        // The longest message the service sends: 2048 characters.
        None => {
            let unit = "The model artifacts could not be copied because a dependency failed; ";
            let mut m = String::with_capacity(2048);
            while m.chars().count() + unit.len() <= 2040 {
                m.push_str(unit);
            }
            while m.chars().count() < 2047 {
                m.push('.');
            }
            m.push('!');
            m
        }
    }
}

/// The oddest tags a real job can carry. TagKey and TagValue are ASCII
/// (`[a-zA-Z0-9\s._:/=+@-]*`, where a Java `\s` is a space, tab, line
/// feed, vertical tab, form feed or carriage return): no CJK or accents,
/// but control characters a terminal must not obey, the longest key (128)
/// and value (256), every punctuation mark allowed, and an empty value.
fn odd_extras() -> Extras {
    let tag = |k: &'static str, v: &'static str| Tag {
        key: Cow::Borrowed(k),
        value: Cow::Borrowed(v),
    };
    let longest = |unit: &str, n: usize| -> String { unit.chars().cycle().take(n).collect() };
    Extras {
        kms_key_arn: None,
        tags: vec![
            tag("team", "ml\tplatform\ttab separated"),
            tag(
                "notes",
                "line one\r\nline two\u{b}vertical tab\u{c}form feed",
            ),
            tag("owner", "first.last+copies@example.com"),
            tag("path", "s3://bucket/prefix/key=value:v1_-.@+"),
            tag("empty", ""),
            Tag {
                key: Cow::Owned(longest("cost-allocation/team:ml-platform/", 128)),
                value: Cow::Owned(longest("the longest value a tag can hold ", 256)),
            },
        ],
        failure_kind: FailureKind::Odd as u8,
    }
}

/// `name` made 63 characters long within the name's alphabet.
fn long_name(name: &str) -> String {
    let mut n: String =
        format!("{name}-named-as-long-as-the-service-allows-sixty-three-characters")
            .chars()
            .take(63)
            .collect();
    if n.ends_with('-') {
        n.pop();
        n.push('x');
    }
    n
}

/// Builds jobs: the initial data set, then arrivals, one index at a time.
/// It also owns the id index, since it is what keeps ids unique.
#[derive(Debug)]
pub struct Generator {
    /// How much faster than life copies run (`--speed`).
    pub speed: f64,
    name_counts: HashMap<(u32, u8), u32>,
    /// Job id -> creation time (microseconds, as stored): enough to find a
    /// job in the sorted store.
    pub ids: HashMap<ShortId, i64>,
}

impl Default for Generator {
    fn default() -> Self {
        Generator {
            speed: 1.0,
            name_counts: HashMap::new(),
            ids: HashMap::new(),
        }
    }
}

impl Generator {
    /// A lifecycle duration at `--speed`.
    pub fn scaled(&self, ms: i64) -> i64 {
        scale(ms, self.speed)
    }

    fn fresh_id(&mut self, r: &mut ChaCha8Rng, created_us: i64) -> ShortId {
        loop {
            let id = ShortId::from_u64(r.random());
            if let std::collections::hash_map::Entry::Vacant(e) = self.ids.entry(id) {
                e.insert(created_us);
                return id;
            }
        }
    }

    /// A new unique job id for a created job, drawn from `seed`.
    pub fn new_id(&mut self, seed: u64, created_us: i64) -> ShortId {
        self.fresh_id(&mut rng(seed), created_us)
    }

    fn target_name(&mut self, p: &RegionProfile, r: &mut ChaCha8Rng, source: u32) -> String {
        let src = &p.sources[source as usize];
        let flavour = r.random_range(0..3u8);
        let n = self.name_counts.entry((source, flavour)).or_insert(0);
        *n += 1;
        let stem = match &src.name {
            Some(name) => name.clone(),
            None => format!(
                "{}-{}",
                TEAMS[(source as usize) % TEAMS.len()],
                BASES
                    .iter()
                    .find(|b| b.0 == src.base)
                    .map_or("base", |b| b.1)
            ),
        };
        let tail = match flavour {
            0 => region_abbrev(&p.region),
            1 => "copy".to_string(),
            _ => format!("{}-prod", region_abbrev(&p.region)),
        };
        let name = if *n == 1 {
            format!("{stem}-{tail}")
        } else {
            format!("{stem}-{tail}-{n}")
        };
        name.chars()
            .take(63)
            .collect::<String>()
            .trim_end_matches(['-', '_'])
            .to_string()
    }

    /// The `index`-th job of the initial data set: the newest are on the
    /// arrivals' grid, the rest spread over the months before (see [`Timeline`]).
    pub fn initial(&mut self, p: &RegionProfile, index: u64, t: &Timeline) -> Job {
        let seed = mix(p.seed, index);
        let mut r = rng(seed);
        let created_ms = match i64::try_from(index) {
            Ok(k) if index < t.recent => t.slot(-k),
            _ => {
                let own = p.rhythmic_time(&mut r, t.oldest_ms, t.recent_from_ms);
                p.batched(index, own, t, 0)
            }
        };
        self.lifecycle(p, &mut r, seed, created_ms)
    }

    /// The k-th job to arrive after start, at `created_ms`.
    pub fn arrival(&mut self, p: &RegionProfile, k: u64, created_ms: i64) -> Job {
        let seed = mix(p.seed ^ 0xa55a_a55a, k);
        let mut r = rng(seed);
        self.lifecycle(p, &mut r, seed, created_ms)
    }

    /// A job created at `created_ms`: in flight for one copy, then done. No
    /// job is in flight for any other reason, so the clock alone decides.
    fn lifecycle(
        &mut self,
        p: &RegionProfile,
        r: &mut ChaCha8Rng,
        seed: u64,
        created_ms: i64,
    ) -> Job {
        let ends_ms = created_ms.saturating_add(self.scaled(copy_duration(r)));
        let outcome = if r.random_bool(FAILURE_RATE) {
            Status::Failed
        } else {
            Status::Completed
        };
        self.build(p, r, seed, created_ms, ends_ms, outcome)
    }

    fn build(
        &mut self,
        p: &RegionProfile,
        r: &mut ChaCha8Rng,
        seed: u64,
        created_ms: i64,
        ends_ms: i64,
        outcome: Status,
    ) -> Job {
        let created_us = p.stamp(created_ms, seed);
        let n = p.generated_sources as u32;
        // A few popular sources: squaring skews the pick towards low indices.
        let f: f64 = r.random();
        let source = ((f * f) * f64::from(n)) as u32 % n;
        let id = self.fresh_id(r, created_us);
        let target_id = ShortId::from_u64(r.random());
        let mut target_name = self.target_name(p, r, source);
        if p.odd && mix(seed, 17).is_multiple_of(8) {
            // The longest name the service allows: 63 characters.
            target_name = long_name(&target_name);
        }
        let target_name = target_name.into_boxed_str();
        Job {
            id,
            created_us,
            ends_ms,
            outcome,
            source,
            target_id,
            target_name,
            detail: Detail::Generated(seed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use copyjobs_contract::{self as constraints, matches};

    #[test]
    fn profile_is_deterministic_and_fits_the_model() {
        let a = RegionProfile::new(42, "us-east-1");
        let b = RegionProfile::new(42, "us-east-1");
        assert_eq!(a.sources, b.sources);
        assert_eq!(a.account, b.account);
        // The caller's account does not depend on the region.
        assert_eq!(RegionProfile::new(42, "eu-west-1").account, a.account);
        assert!(
            a.sources
                .iter()
                .any(|s| s.arn.contains(":foundation-model/"))
        );
        assert!(
            a.sources
                .iter()
                .any(|s| s.arn.contains(":custom-model/imported/"))
        );
        for s in &a.sources {
            assert!(matches(constraints::MODEL_ARN, &s.arn), "{}", s.arn);
            assert!(matches(constraints::ACCOUNT_ID, &s.account));
            if let Some(n) = &s.name {
                assert!(matches(constraints::CUSTOM_MODEL_NAME, n), "{n}");
            }
        }
        for k in &a.kms_keys {
            assert!(matches(constraints::KMS_KEY_ARN, k), "{k}");
        }
    }

    #[test]
    fn region_abbreviations() {
        assert_eq!(region_abbrev("us-east-1"), "use1");
        assert_eq!(region_abbrev("ap-southeast-2"), "apse2");
        assert_eq!(region_abbrev("eu-central-1"), "euc1");
    }
}
