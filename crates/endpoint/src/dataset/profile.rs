//! A region's profile: what does not change about its data set (account,
//! KMS keys, the models it copies, its working day), and the fields of a job
//! rebuilt from its seed on demand (tags, KMS key).

use super::timeline::utc_offset_ms;
use super::{caller_account, fnv, mix};
use crate::account::rng;
use crate::model::{Job, ShortId, SourceModel};
use crate::options::{JobIds, TimePrecision, TimeStyle};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub(super) fn region_abbrev(region: &str) -> String {
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

pub(super) fn uuid_like(rng: &mut ChaCha8Rng) -> String {
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
    /// `--odd-data`: one job in four carries odd text (see [`super::ODD_MESSAGES`]).
    pub odd: bool,
    pub region: String,
    pub seed: u64,
    /// The caller's account: target models and jobs live here.
    pub account: String,
    /// For a member account of `--org-size`, the accounts its models are
    /// copied from; `None`: the caller's own, drawn from the seed.
    pub peers: Option<Vec<String>>,
    /// The models jobs copy from, one table that `Job::source` indexes: the
    /// account's models that the data set copies (in the account's order),
    /// then the models that CreateModelCopyJob copied here and the data set
    /// does not (see `Store::create`). Appended, not kept apart, so that
    /// every reader (summaries, failure messages, tags, the source filters)
    /// sees a foreign source as it sees its own. Filled as the data set is
    /// made (see [`super::Generator::initial`]).
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
        RegionProfile::of(seed, region, caller_account(seed), None)
    }

    /// The data set of `account` (a member of `--org-size`, seeded by its
    /// id) copying from `peers`, or the caller's own (`None`).
    pub fn of(
        seed: u64,
        region: &str,
        account: String,
        peers: Option<Vec<String>>,
    ) -> RegionProfile {
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
            peers,
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
}
