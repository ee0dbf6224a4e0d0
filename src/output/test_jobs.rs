//! Jobs the output formats' tests share: every optional member set, none
//! set, and names that test a table's widths.

use crate::domain::job::{CopyJob, Status, Tag};
use chrono::{DateTime, FixedOffset, TimeDelta, TimeZone, Utc};

pub(crate) const JOB_ARN: &str =
    "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/abcdefghij12";
pub(crate) const TARGET_ARN: &str =
    "arn:aws:bedrock:us-east-1:111122223333:custom-model/imported/abcdefghij12";
pub(crate) const SOURCE_ARN: &str =
    "arn:aws:bedrock:us-west-2:444455556666:custom-model/imported/zyxwvutsrq98";
pub(crate) const KMS: &str =
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

pub(crate) fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .expect("valid time")
}

pub(crate) fn now() -> DateTime<Utc> {
    at(2025, 6, 1, 12, 0, 0)
}

pub(crate) fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).expect("valid offset")
}

pub(crate) fn plus_one() -> FixedOffset {
    FixedOffset::east_opt(3600).expect("valid offset")
}

pub(crate) fn tag(k: &str, v: &str) -> Tag {
    Tag {
        key: k.into(),
        value: v.into(),
    }
}

/// Every optional member set.
pub(crate) fn full() -> CopyJob {
    CopyJob {
        job_arn: JOB_ARN.into(),
        status: Status::Failed,
        created: now() - TimeDelta::minutes(90),
        target_model_arn: TARGET_ARN.into(),
        target_model_name: Some("fraud-copy".into()),
        source_account_id: "444455556666".into(),
        source_model_arn: SOURCE_ARN.into(),
        source_model_name: Some("fraud-src".into()),
        kms_key_arn: Some(KMS.into()),
        tags: vec![tag("team", "fraud, risk"), tag("env", "prod")],
        failure_message: Some("Access \"denied\"\nretry".into()),
    }
}

/// No optional member set.
pub(crate) fn bare() -> CopyJob {
    CopyJob {
        status: Status::InProgress,
        target_model_name: None,
        source_model_name: None,
        kms_key_arn: None,
        tags: vec![],
        failure_message: None,
        ..full()
    }
}

pub(crate) fn long_names() -> Vec<CopyJob> {
    let names = [
        "ä-very-long-name-".repeat(10),
        "模型复制任务".repeat(12),
        "👩‍🔬🧪".repeat(20),
        "e\u{301}".repeat(80),
        "x".repeat(63),
        "a".to_string(),
    ];
    let mut jobs: Vec<CopyJob> = names
        .into_iter()
        .map(|n| CopyJob {
            target_model_name: Some(n),
            source_model_name: Some("源模型".repeat(30).into()),
            ..full()
        })
        .collect();
    jobs.push(CopyJob {
        status: Status::Unknown("\u{1b}[2JSomeVeryLongFutureStatus\u{202e}".into()),
        target_model_name: Some("evil\u{1b}]0;title\u{7}\nname".into()),
        source_account_id: "\u{9b}31m".into(),
        ..bare()
    });
    jobs.push(bare());
    jobs
}

/// What `list -o json` writes for these jobs.
pub(crate) fn list_bytes(jobs: &[CopyJob]) -> Vec<u8> {
    let mut buf = Vec::new();
    crate::output::json::write_json_list(&mut buf, jobs).unwrap();
    buf
}

/// Terminal cells.
pub(crate) fn width_of(s: &str) -> usize {
    textwrap::core::display_width(s)
}
