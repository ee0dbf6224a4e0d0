//! The fields of a generated job that are not stored (tags, KMS key, the
//! kind of failure): rebuilt from the job's seed whenever a response shows
//! them.

use super::failures::FailureKind;
use super::odd::odd_extras;
use super::profile::RegionProfile;
use super::{arn_region, mix};
use crate::account::rng;
use crate::model::{Detail, Extras, Job, Tag};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::borrow::Cow;

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

impl RegionProfile {
    /// The fields a generated job does not store.
    pub fn extras(&self, job: &Job) -> Extras {
        match &job.detail {
            Detail::Created(e) => (**e).clone(),
            Detail::Generated(seed) => self.generated_extras(*seed, job),
        }
    }

    fn generated_extras(&self, seed: u64, job: &Job) -> Extras {
        if self.odd_job(seed) {
            return odd_extras(FailureKind::Odd as u8);
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

    /// Under `--odd-data`, whether this job carries odd text.
    pub(super) fn odd_job(&self, seed: u64) -> bool {
        self.odd && mix(seed, 13).is_multiple_of(4)
    }
}
