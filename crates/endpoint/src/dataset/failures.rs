//! The failure catalogue: which failures a job can plausibly meet, how often
//! copies fail, and each failure's message as the service words it.

use super::odd::odd_message;
use super::profile::{RegionProfile, uuid_like};
use super::{arn_region, fnv, mix};
use crate::account::{pick_weighted, rng};
use crate::model::{Detail, Extras, Job};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

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
    /// `--odd-data`: a message holding what real text can (see [`super::ODD_MESSAGES`]).
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

/// The share of copies that fail (permissions, KMS grants, quotas…): the same
/// for the history, arrivals and CreateModelCopyJob.
pub const FAILURE_RATE: f64 = 0.15;

impl RegionProfile {
    pub(super) fn failure_kind(&self, r: &mut ChaCha8Rng, job: &Job, has_kms: bool) -> u8 {
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
