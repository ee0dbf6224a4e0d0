//! The deterministic data set: jobs, and everything a response shows about
//! them, all drawn from `(seed, region, index)`; the models they copy are the
//! account's (see [`super::account`]), the same in every region.
//!
//! Each job carries its own seed, so the fields only a response needs (tags,
//! KMS key, the failure message) are rebuilt on demand instead of stored: that
//! keeps a million jobs in about a hundred megabytes.

pub use super::account::caller_account;
use super::account::{Account, BASES, Member, TEAMS, Walk, pick_weighted, rng};
use super::durations::{LONGEST_COPY, spread, typical_ms};
use super::model::{Detail, Extras, Job, ShortId, SourceModel, Status, Tag};
use super::options::{JobIds, TimePrecision, TimeStyle};
pub use super::seeds::{fnv, mix};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::borrow::Cow;
use std::collections::HashMap;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

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
    /// account's models that the data set copies (in the account's order),
    /// then the models that CreateModelCopyJob copied here and the data set
    /// does not (see `Store::create`). Appended, not kept apart, so that
    /// every reader (summaries, failure messages, tags, the source filters)
    /// sees a foreign source as it sees its own. Filled as the data set is
    /// made (see [`Generator::initial`]).
    pub sources: Vec<SourceModel>,
    /// How many of `sources` are the data set's own: the generator picks
    /// only among these, so arrivals stay a function of the clock alone,
    /// whatever was created meanwhile.
    pub generated_sources: usize,
    pub kms_keys: Vec<String>,
    /// The seed as given: the account's models are drawn from it alone.
    pub account_seed: u64,
    /// Where the region's working day falls: its users start most copies.
    pub utc_offset_ms: i64,
    /// `--time-precision`: creation times are cut to it as jobs are made.
    pub precision: TimePrecision,
    /// `--job-ids` and `--time-style`: how ARNs and times are written.
    pub ids: JobIds,
    pub time_style: TimeStyle,
}

impl RegionProfile {
    pub fn new(seed: u64, region: &str) -> RegionProfile {
        let account = caller_account(seed);
        let account_seed = seed;
        let seed = mix(seed, fnv(region.as_bytes()));
        let mut r = rng(mix(seed, 1));
        let kms_keys = (0..3)
            .map(|_| format!("arn:aws:kms:{region}:{account}:key/{}", uuid_like(&mut r)))
            .collect();
        RegionProfile {
            odd: false,
            region: region.to_string(),
            seed,
            account,
            sources: Vec::new(),
            generated_sources: 0,
            kms_keys,
            account_seed,
            utc_offset_ms: utc_offset_ms(region),
            precision: TimePrecision::default(),
            ids: JobIds::default(),
            time_style: TimeStyle::default(),
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
            id.shown(self.ids)
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

pub fn arn_region(arn: &str) -> &str {
    arn.split(':').nth(3).unwrap_or("")
}

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

/// When a chain of copies whose first job has `seed` starts, drawn at
/// `own_ms`. One chain in six was started with the job made before it
/// (`prev_ms`), as a pipeline starts a batch: in the same second, and one in
/// four of those in the same millisecond. So `--time-precision s` has jobs
/// sharing a second and `ms` a few sharing a millisecond, in every data set.
/// Never at or past `before`, where the history ends.
fn batched(seed: u64, own_ms: i64, prev_ms: Option<i64>, before: i64) -> i64 {
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

impl RegionProfile {
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

/// Copies in a chain: a model copied into a region again after a failure,
/// or re-copied later, rarely more than a handful of times.
const LONGEST_CHAIN: usize = 6;
/// The chance of another copy after a failed one, and after a completed one.
const AGAIN_AFTER_FAILURE: f64 = 0.6;
const AGAIN_AFTER_SUCCESS: f64 = 0.12;
/// The copies a chain holds on average: 1 / (1 - P(another)).
const MEAN_CHAIN: f64 =
    1.0 / (1.0 - (FAILURE_RATE * AGAIN_AFTER_FAILURE + (1.0 - FAILURE_RATE) * AGAIN_AFTER_SUCCESS));
/// About the share of the account's models that the busiest regions copy:
/// the walk goes as far as the busiest region needs to give each model it
/// copies one chain, so every region walks the same models (and a model
/// copied to several shows in each), and a quieter region copies its fewer
/// models more often.
const DENSEST: f64 = 0.45;
/// Bounds of the walk along the account's models: a small data set still
/// has a few dozen models, and a huge one at most this many (about 30,000
/// a region, copied more often each).
const SHORTEST_WALK: u64 = 200;
const LONGEST_WALK: u64 = 40_000;
/// A region copies at least this many models, however quiet.
const FEWEST_MODELS: usize = 8;
/// Arrivals copy the models made lately more often than the old ones.
const LATELY: i64 = 30 * DAY;

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
    /// The account's models this region copies, in the account's order.
    members: Vec<Member>,
    /// Those of `members` made lately, which new copies favour.
    lately: Vec<u32>,
    /// The typical copy of each of the data set's own sources into this
    /// region ([`typical_ms`]), worked out once for all its copies.
    typical: Vec<f64>,
}

impl Default for Generator {
    fn default() -> Self {
        Generator {
            speed: 1.0,
            name_counts: HashMap::new(),
            ids: HashMap::new(),
            members: Vec::new(),
            lately: Vec::new(),
            typical: Vec::new(),
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
                    .find(|b| b.arn == src.base)
                    .map_or("base", |b| b.short)
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

    /// The initial data set of `count` jobs, and the models they copy (into
    /// `p.sources`). The newest are on the arrivals' grid (see
    /// [`Timeline`]), copies of models made lately. The rest, the history,
    /// are chains of copies of the account's models that go to this region,
    /// one chain a model in the account's order (then round again when the
    /// region copies fewer models than that): its first copy within days of
    /// the model being made, and another after a failure (often) or a
    /// success (now and then), each once the one before has ended.
    pub fn initial(&mut self, p: &mut RegionProfile, t: &Timeline) -> Vec<Job> {
        let count = t.count;
        let recent = t.recent.min(count);
        let history = count - recent;
        self.walk(p, history);
        self.typical = p
            .sources
            .iter()
            .map(|s| typical_ms(&s.base, arn_region(&s.arn), &p.region))
            .collect();
        let mut jobs = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
        let used = self.history(p, t, recent, count, &mut jobs);
        if history > 0 {
            // Models no chain reached are not this data set's.
            let keep = used.max(FEWEST_MODELS).min(self.members.len());
            self.members.truncate(keep);
            let sources = self.members.iter().map(|m| m.source as usize + 1).max();
            p.sources.truncate(sources.unwrap_or(0));
        }
        p.generated_sources = p.sources.len();
        let lately_from = t.recent_from_ms - LATELY;
        self.lately = (0..self.members.len() as u32)
            .filter(|&i| born_ms(&self.members[i as usize], t) >= lately_from)
            .collect();
        for k in 0..recent {
            let seed = mix(p.seed, k);
            let mut r = rng(seed);
            let source = self.pick(&mut r);
            jobs.push(self.lifecycle(p, &mut r, seed, t.slot(-(k as i64)), source));
        }
        jobs
    }

    /// Walks the account's models as far as `history` jobs need (see
    /// [`DENSEST`]), keeping those copied to this region.
    fn walk(&mut self, p: &mut RegionProfile, history: u64) {
        let account = Account::new(p.account_seed);
        let region = p.region.clone();
        let mut walk = Walk::new(&account, &region);
        let models = history as f64 / (MEAN_CHAIN * DENSEST);
        let depth = (models.ceil() as u64).clamp(SHORTEST_WALK, LONGEST_WALK);
        while walk.depth() < depth || self.members.len() < FEWEST_MODELS {
            self.members.push(walk.next_member(&mut p.sources));
        }
    }

    /// The history's chains, jobs `from..count`; how many members they used.
    fn history(
        &mut self,
        p: &RegionProfile,
        t: &Timeline,
        from: u64,
        count: u64,
        jobs: &mut Vec<Job>,
    ) -> usize {
        let mut index = from;
        let mut prev_ms = None;
        let mut used = 0;
        let end = t.recent_from_ms;
        for round in 0u64.. {
            for m in 0..self.members.len() {
                if index >= count {
                    return used;
                }
                used = used.max(m + 1);
                let member = self.members[m];
                let mut c = rng(mix(p.seed ^ 0x00c4_a175, (round << 32) | m as u64));
                let born = born_ms(&member, t);
                // A model's first copies within days of it being made; a
                // later round's any time after.
                let until = if round == 0 { born + 3 * DAY } else { end };
                let own = p.rhythmic_time(&mut c, born, until.min(end));
                let mut at = batched(mix(p.seed, index), own, prev_ms, end);
                for _ in 0..LONGEST_CHAIN {
                    if index >= count || at >= end {
                        break;
                    }
                    let seed = mix(p.seed, index);
                    let job = self.lifecycle(p, &mut rng(seed), seed, at, member.source);
                    let again = if job.outcome == Status::Failed {
                        AGAIN_AFTER_FAILURE
                    } else {
                        AGAIN_AFTER_SUCCESS
                    };
                    let from = job.ends_ms + 5 * MINUTE;
                    prev_ms = Some(at);
                    index += 1;
                    jobs.push(job);
                    if !c.random_bool(again) {
                        break;
                    }
                    at = p.rhythmic_time(&mut c, from, (from + 2 * DAY).min(end));
                }
            }
        }
        used
    }

    /// The model a new copy is of: one made lately, more often than not.
    fn pick(&self, r: &mut ChaCha8Rng) -> u32 {
        let i = if !self.lately.is_empty() && r.random_bool(0.7) {
            self.lately[r.random_range(0..self.lately.len())] as usize
        } else {
            r.random_range(0..self.members.len().max(1))
        };
        self.members.get(i).map_or(0, |m| m.source)
    }

    /// The k-th job to arrive after start, at `created_ms`.
    pub fn arrival(&mut self, p: &RegionProfile, k: u64, created_ms: i64) -> Job {
        let seed = mix(p.seed ^ 0xa55a_a55a, k);
        let mut r = rng(seed);
        let source = self.pick(&mut r);
        self.lifecycle(p, &mut r, seed, created_ms, source)
    }

    /// A job copying `source`, created at `created_ms`: in flight for one
    /// copy (as long as the model and the way take, see
    /// [`super::durations`]), then done. No job is in flight for any other
    /// reason, so the clock alone decides.
    fn lifecycle(
        &mut self,
        p: &RegionProfile,
        r: &mut ChaCha8Rng,
        seed: u64,
        created_ms: i64,
        source: u32,
    ) -> Job {
        let typical = self
            .typical
            .get(source as usize)
            .copied()
            .unwrap_or_else(|| {
                let src = p.sources.get(source as usize);
                let (base, from) =
                    src.map_or(("imported", ""), |s| (s.base.as_str(), arn_region(&s.arn)));
                typical_ms(base, from, &p.region)
            });
        let copy = spread(typical, r);
        let ends_ms = created_ms.saturating_add(self.scaled(copy));
        let outcome = if r.random_bool(FAILURE_RATE) {
            Status::Failed
        } else {
            Status::Completed
        };
        self.build(p, r, seed, created_ms, ends_ms, outcome, source)
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &mut self,
        p: &RegionProfile,
        r: &mut ChaCha8Rng,
        seed: u64,
        created_ms: i64,
        ends_ms: i64,
        outcome: Status,
        source: u32,
    ) -> Job {
        let created_us = p.stamp(created_ms, seed);
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

/// When a member model was made, in the history `t` spans.
fn born_ms(m: &Member, t: &Timeline) -> i64 {
    let span = (t.recent_from_ms - t.oldest_ms).max(1);
    t.oldest_ms + ((m.born * span as f64) as i64).min(span - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use copyjobs_contract::{self as constraints, matches};

    #[test]
    fn profile_is_deterministic_and_fits_the_model() {
        let made = |region: &str| {
            let mut p = RegionProfile::new(42, region);
            let t = Timeline::new(500, 1_760_000_000_000, 1.0, 1.0);
            let jobs = Generator::default().initial(&mut p, &t);
            (p, jobs)
        };
        let (a, jobs) = made("us-east-1");
        let (b, again) = made("us-east-1");
        assert_eq!(a.sources, b.sources);
        assert_eq!(jobs, again);
        assert_eq!(a.account, b.account);
        assert_eq!(a.generated_sources, a.sources.len());
        // Every model copies: none the data set made is left unused.
        for i in 0..a.sources.len() {
            assert!(jobs.iter().any(|j| j.source as usize == i), "{i}");
        }
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
        assert!(a.sources.iter().any(|s| s.account != a.account));
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
