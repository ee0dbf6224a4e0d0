//! A copy job as the dashboard holds it.
//!
//! The SDK's types carry everything as borrowed strings behind accessors and a
//! `#[non_exhaustive]` status enum; the dashboard sorts, filters and redraws
//! the same jobs many times a second, so it converts each response once into
//! owned values with chrono times and a status it can match on.

use aws_sdk_bedrock::operation::get_model_copy_job::GetModelCopyJobOutput;
use aws_sdk_bedrock::primitives::DateTime as SdkDateTime;
use aws_sdk_bedrock::types::{ModelCopyJobStatus, ModelCopyJobSummary, Tag as SdkTag};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// A job's status. `Unknown` keeps whatever a newer service sends, so a job in
/// a state this build has never heard of still shows up instead of vanishing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Status {
    InProgress,
    Completed,
    Failed,
    Unknown(String),
}

impl Status {
    /// The statuses a filter can ask for: the service refuses anything else.
    pub const KNOWN: [Status; 3] = [Status::InProgress, Status::Completed, Status::Failed];

    pub fn as_str(&self) -> &str {
        match self {
            Status::InProgress => "InProgress",
            Status::Completed => "Completed",
            Status::Failed => "Failed",
            Status::Unknown(s) => s,
        }
    }

    /// Exact, case-sensitive: the wire spelling is the only spelling the
    /// service uses, and anything else is a status we do not know.
    pub fn from_wire(s: &str) -> Status {
        match s {
            "InProgress" => Status::InProgress,
            "Completed" => Status::Completed,
            "Failed" => Status::Failed,
            other => Status::Unknown(other.to_string()),
        }
    }

    /// Distinct shapes, so the status reads on a monochrome terminal and for
    /// colour-blind users, not only through colour.
    pub fn symbol(&self) -> &'static str {
        match self {
            Status::InProgress => "◐",
            Status::Completed => "✔",
            Status::Failed => "✘",
            Status::Unknown(_) => "?",
        }
    }

    /// A final job never changes again, so it need not be polled.
    pub fn is_final(&self) -> bool {
        matches!(self, Status::Completed | Status::Failed)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&ModelCopyJobStatus> for Status {
    fn from(s: &ModelCopyJobStatus) -> Self {
        // Through the string: matching the SDK's `Unknown` variant directly
        // is deprecated, and its text is what we want to keep anyway.
        Status::from_wire(s.as_str())
    }
}

/// Tag keys and values repeat across thousands of jobs (`team=fraud`,
/// `env=prod`): each distinct text is kept once and shared, which is most
/// of what a loaded job weighs otherwise.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tag {
    pub key: Arc<str>,
    pub value: Arc<str>,
}

impl From<&SdkTag> for Tag {
    fn from(t: &SdkTag) -> Self {
        Tag {
            key: intern(t.key()),
            value: intern(t.value()),
        }
    }
}

/// The one shared copy of `s`. The set only grows, by the distinct texts
/// the service returns (tag keys and values, source models, accounts):
/// few, against the jobs that repeat them.
pub fn intern(s: &str) -> Arc<str> {
    static SET: std::sync::LazyLock<std::sync::Mutex<std::collections::HashSet<Arc<str>>>> =
        std::sync::LazyLock::new(Default::default);
    let mut set = SET.lock().unwrap_or_else(|e| e.into_inner());
    match set.get(s) {
        Some(a) => a.clone(),
        None => {
            let a: Arc<str> = Arc::from(s);
            set.insert(a.clone());
            a
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyJob {
    pub job_arn: String,
    pub status: Status,
    pub created: DateTime<Utc>,
    pub target_model_arn: String,
    pub target_model_name: Option<String>,
    /// Shared: a few source models and accounts stand behind most jobs.
    pub source_account_id: Arc<str>,
    pub source_model_arn: Arc<str>,
    pub source_model_name: Option<Arc<str>>,
    pub kms_key_arn: Option<String>,
    pub tags: Vec<Tag>,
    pub failure_message: Option<String>,
}

impl CopyJob {
    /// The twelve-character id is what people quote and search for; the rest
    /// of the ARN is the same for every job in a region.
    pub fn job_id(&self) -> &str {
        self.job_arn.rsplit('/').next().unwrap_or(&self.job_arn)
    }

    /// The target name is optional on the wire; the id always exists.
    pub fn display_name(&self) -> &str {
        match self.target_model_name.as_deref() {
            Some(name) if !name.is_empty() => name,
            _ => self.job_id(),
        }
    }

    /// Something that fits a table column: the full source ARN repeats the
    /// partition, service and account that the other columns already show.
    pub fn source_short(&self) -> String {
        if let Some(name) = self.source_model_name.as_deref().filter(|n| !n.is_empty()) {
            return name.to_string();
        }
        short_model_arn(&self.source_model_arn)
    }

    /// The region the job lives in (and a copy is made in): the job ARN's.
    pub fn region(&self) -> &str {
        arn_region(&self.job_arn)
    }

    /// The account the job runs in, from its ARN ("" when it has none).
    pub fn account(&self) -> &str {
        arn_account(&self.job_arn)
    }

    /// Copies cross regions, so where a model came from matters; an ARN too
    /// malformed to have a region gives "".
    pub fn source_region(&self) -> &str {
        arn_region(&self.source_model_arn)
    }
}

/// The resource part of a model ARN, without the parts every model shares.
/// Anything that is not a model ARN is returned whole rather than mangled.
pub fn short_model_arn(arn: &str) -> String {
    // arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, where RESOURCE may
    // itself contain ':' (model versions), so split at most five times.
    let resource = match arn.splitn(6, ':').nth(5) {
        Some(r) if arn.starts_with("arn:") => r,
        _ => return arn.to_string(),
    };
    if let Some(model) = resource.strip_prefix("foundation-model/") {
        format!("{model} (foundation)")
    } else if let Some(rest) = resource.strip_prefix("custom-model/") {
        rest.to_string()
    } else {
        resource.to_string()
    }
}

/// The SDK's timestamp in chrono terms. A time chrono cannot represent can only
/// come from a broken response; the epoch stands in for it rather than
/// bringing the dashboard down.
pub fn from_sdk_time(t: &SdkDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(t.secs(), t.subsec_nanos()).unwrap_or(DateTime::UNIX_EPOCH)
}

/// The other direction, for request parameters. Leap-second nanos (chrono
/// can hold up to 1 999 999 999) are clamped, as the SDK panics on them.
pub fn to_sdk_time(t: DateTime<Utc>) -> SdkDateTime {
    SdkDateTime::from_secs_and_nanos(t.timestamp(), t.timestamp_subsec_nanos().min(999_999_999))
}

/// The summary and GetModelCopyJob's output carry the same fields under the
/// same accessors but share no trait: one conversion for both.
macro_rules! copy_job_from {
    ($sdk:ty) => {
        impl From<&$sdk> for CopyJob {
            fn from(s: &$sdk) -> Self {
                CopyJob {
                    job_arn: s.job_arn().to_string(),
                    status: Status::from(s.status()),
                    created: from_sdk_time(s.creation_time()),
                    target_model_arn: s.target_model_arn().to_string(),
                    target_model_name: s.target_model_name().map(str::to_string),
                    source_account_id: intern(s.source_account_id()),
                    source_model_arn: intern(s.source_model_arn()),
                    source_model_name: s.source_model_name().map(intern),
                    kms_key_arn: s.target_model_kms_key_arn().map(str::to_string),
                    tags: s.target_model_tags().iter().map(Tag::from).collect(),
                    failure_message: s.failure_message().map(str::to_string),
                }
            }
        }
    };
}

copy_job_from!(ModelCopyJobSummary);
copy_job_from!(GetModelCopyJobOutput);

/// The region an ARN names (`arn:aws:bedrock:REGION:…`); "" for text too
/// malformed to have one. A job lives, and is asked for, in its ARN's region.
pub fn arn_region(arn: &str) -> &str {
    arn.split(':').nth(3).unwrap_or("")
}

/// The account an ARN names; "" when it has none.
pub fn arn_account(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or("")
}

/// What a job ARN someone typed is. The documented form is botocore's
/// pattern (a 12-character id), but the client never refuses a request by
/// pattern and a service may give other ids (UUIDs): only an ARN without a
/// copy job's structure is refused; another form is sent as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArnForm {
    Documented,
    /// `arn:PARTITION:bedrock:REGION:ACCOUNT:model-copy-job/ID`, the rest not
    /// as documented.
    Undocumented,
    NotAJobArn,
}

pub fn job_arn_form(arn: &str) -> ArnForm {
    if crate::domain::constraints::matches(crate::domain::constraints::JOB_ARN, arn) {
        return ArnForm::Documented;
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let structured = matches!(
        parts.as_slice(),
        ["arn", partition, "bedrock", region, account, resource]
            if !partition.is_empty() && !region.is_empty() && !account.is_empty()
                && resource.strip_prefix("model-copy-job/").is_some_and(|id| !id.is_empty() && !id.contains(char::is_whitespace))
    );
    if structured {
        ArnForm::Undocumented
    } else {
        ArnForm::NotAJobArn
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn job_arns_are_judged_by_their_structure_not_by_the_pattern() {
        let uuid = "arn:aws:bedrock:us-east-1:123456789012:model-copy-job/2cccce93-0d7e-4a57-9d3b-7d2e1f0a9b11";
        assert_eq!(job_arn_form(uuid), ArnForm::Undocumented);
        assert_eq!(
            job_arn_form("arn:aws:bedrock:us-east-1:123456789012:model-copy-job/a1b2c3d4e5f6"),
            ArnForm::Documented
        );
        for bad in [
            "a1b2c3d4e5f6",
            "arn:aws:bedrock:us-east-1:123456789012:model-copy-job/",
            "arn:aws:bedrock:us-east-1:123456789012:custom-model/a1b2c3d4e5f6",
            "arn:aws:s3:us-east-1:123456789012:model-copy-job/x",
            "arn:aws:bedrock::123456789012:model-copy-job/x",
        ] {
            assert_eq!(job_arn_form(bad), ArnForm::NotAJobArn, "{bad}");
        }
    }

    const JOB_ARN: &str = "arn:aws:bedrock:us-east-1:123456789012:model-copy-job/a1b2c3d4e5f6";
    const TARGET_ARN: &str = "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij12";
    const CUSTOM_SOURCE: &str = "arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abc123def456";
    const FOUNDATION_SOURCE: &str =
        "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0";
    const IMPORTED_SOURCE: &str =
        "arn:aws:bedrock:eu-central-1:123456789012:custom-model/imported/zyxwvutsrq98";
    const KMS: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn sdk_tag(k: &str, v: &str) -> SdkTag {
        SdkTag::builder()
            .key(k)
            .value(v)
            .build()
            .expect("key and value set")
    }

    fn job(source_arn: &str, source_name: Option<&str>) -> CopyJob {
        CopyJob {
            job_arn: JOB_ARN.to_string(),
            status: Status::InProgress,
            created: DateTime::UNIX_EPOCH,
            target_model_arn: TARGET_ARN.to_string(),
            target_model_name: None,
            source_account_id: "123456789012".into(),
            source_model_arn: source_arn.into(),
            source_model_name: source_name.map(Into::into),
            kms_key_arn: None,
            tags: vec![],
            failure_message: None,
        }
    }

    #[test]
    fn summary_converts_every_field() {
        let s = ModelCopyJobSummary::builder()
            .job_arn(JOB_ARN)
            .status(ModelCopyJobStatus::Failed)
            .creation_time(SdkDateTime::from_secs_and_nanos(1_714_564_800, 250_000_000))
            .target_model_arn(TARGET_ARN)
            .target_model_name("my-copied-model")
            .source_account_id("123456789012")
            .source_model_arn(CUSTOM_SOURCE)
            .source_model_name("src-model")
            .target_model_kms_key_arn(KMS)
            .target_model_tags(sdk_tag("team", "ml"))
            .target_model_tags(sdk_tag("env", ""))
            .failure_message("quota exceeded")
            .build()
            .expect("required fields set");
        let j = CopyJob::from(&s);
        assert_eq!(
            j,
            CopyJob {
                job_arn: JOB_ARN.to_string(),
                status: Status::Failed,
                created: Utc
                    .with_ymd_and_hms(2024, 5, 1, 12, 0, 0)
                    .single()
                    .expect("valid date")
                    + chrono::Duration::milliseconds(250),
                target_model_arn: TARGET_ARN.to_string(),
                target_model_name: Some("my-copied-model".to_string()),
                source_account_id: "123456789012".into(),
                source_model_arn: CUSTOM_SOURCE.into(),
                source_model_name: Some("src-model".into()),
                kms_key_arn: Some(KMS.to_string()),
                tags: vec![
                    Tag {
                        key: "team".into(),
                        value: "ml".into()
                    },
                    Tag {
                        key: "env".into(),
                        value: "".into()
                    },
                ],
                failure_message: Some("quota exceeded".to_string()),
            }
        );
    }

    #[test]
    fn summary_without_optional_fields() {
        let s = ModelCopyJobSummary::builder()
            .job_arn(JOB_ARN)
            .status(ModelCopyJobStatus::InProgress)
            .creation_time(SdkDateTime::from_secs(0))
            .target_model_arn(TARGET_ARN)
            .source_account_id("123456789012")
            .source_model_arn(FOUNDATION_SOURCE)
            .build()
            .expect("required fields set");
        let j = CopyJob::from(&s);
        assert_eq!(j, job(FOUNDATION_SOURCE, None));
        assert_eq!(j.display_name(), "a1b2c3d4e5f6");
    }

    #[test]
    fn get_output_converts_like_a_summary() {
        let g = GetModelCopyJobOutput::builder()
            .job_arn(JOB_ARN)
            .status(ModelCopyJobStatus::Completed)
            .creation_time(SdkDateTime::from_secs(1_714_564_800))
            .target_model_arn(TARGET_ARN)
            .target_model_name("copy")
            .source_account_id("123456789012")
            .source_model_arn(IMPORTED_SOURCE)
            .source_model_name("imported-src")
            .target_model_kms_key_arn(KMS)
            .target_model_tags(sdk_tag("team", "ml"))
            .failure_message("never shown for a completed job")
            .build()
            .expect("required fields set");
        let s = ModelCopyJobSummary::builder()
            .job_arn(JOB_ARN)
            .status(ModelCopyJobStatus::Completed)
            .creation_time(SdkDateTime::from_secs(1_714_564_800))
            .target_model_arn(TARGET_ARN)
            .target_model_name("copy")
            .source_account_id("123456789012")
            .source_model_arn(IMPORTED_SOURCE)
            .source_model_name("imported-src")
            .target_model_kms_key_arn(KMS)
            .target_model_tags(sdk_tag("team", "ml"))
            .failure_message("never shown for a completed job")
            .build()
            .expect("required fields set");
        let from_get = CopyJob::from(&g);
        assert_eq!(from_get, CopyJob::from(&s));
        assert_eq!(from_get.status, Status::Completed);
        assert_eq!(from_get.display_name(), "copy");
        assert_eq!(
            from_get.tags,
            vec![Tag {
                key: "team".into(),
                value: "ml".into()
            }]
        );
    }

    #[test]
    fn unknown_status_keeps_its_text() {
        let sdk = ModelCopyJobStatus::from("Paused");
        let st = Status::from(&sdk);
        assert_eq!(st, Status::Unknown("Paused".to_string()));
        assert_eq!(st.as_str(), "Paused");
        assert_eq!(st.to_string(), "Paused");
        assert_eq!(st.symbol(), "?");
        assert!(!st.is_final());
        // Case matters on the wire.
        assert_eq!(
            Status::from_wire("failed"),
            Status::Unknown("failed".into())
        );
    }

    #[test]
    fn known_statuses_round_trip() {
        for st in Status::KNOWN {
            assert_eq!(Status::from_wire(st.as_str()), st);
            let sdk = ModelCopyJobStatus::from(st.as_str());
            assert_eq!(Status::from(&sdk), st);
            assert_ne!(st.symbol(), "?");
        }
        assert_eq!(Status::InProgress.symbol(), "◐");
        assert_eq!(Status::Completed.symbol(), "✔");
        assert_eq!(Status::Failed.symbol(), "✘");
        assert!(Status::Completed.is_final());
        assert!(Status::Failed.is_final());
        assert!(!Status::InProgress.is_final());
    }

    #[test]
    fn source_short_forms() {
        assert_eq!(
            job(FOUNDATION_SOURCE, None).source_short(),
            "amazon.nova-lite-v1:0 (foundation)"
        );
        assert_eq!(
            job(CUSTOM_SOURCE, None).source_short(),
            "amazon.titan-text-express-v1:0:8k/abc123def456"
        );
        assert_eq!(
            job(IMPORTED_SOURCE, None).source_short(),
            "imported/zyxwvutsrq98"
        );
        assert_eq!(
            job(CUSTOM_SOURCE, Some("src-model")).source_short(),
            "src-model"
        );
        // An empty name is no name.
        assert_eq!(
            job(IMPORTED_SOURCE, Some("")).source_short(),
            "imported/zyxwvutsrq98"
        );
        // Not an ARN at all: shown whole, never cut.
        assert_eq!(job("garbage", None).source_short(), "garbage");
        assert_eq!(
            job("arn:aws:bedrock", None).source_short(),
            "arn:aws:bedrock"
        );
    }

    #[test]
    fn ids_names_and_regions() {
        let mut j = job(CUSTOM_SOURCE, None);
        assert_eq!(j.job_id(), "a1b2c3d4e5f6");
        assert_eq!(j.display_name(), "a1b2c3d4e5f6");
        j.target_model_name = Some("my-copy".into());
        assert_eq!(j.display_name(), "my-copy");
        j.target_model_name = Some(String::new());
        assert_eq!(j.display_name(), "a1b2c3d4e5f6");
        assert_eq!(j.source_region(), "us-west-2");
        assert_eq!(job(FOUNDATION_SOURCE, None).source_region(), "us-east-1");
        assert_eq!(job("no-colons", None).source_region(), "");
        j.job_arn = "no-slash".into();
        assert_eq!(j.job_id(), "no-slash");
    }

    #[test]
    fn sdk_times_out_of_range_fall_back_to_the_epoch() {
        assert_eq!(
            from_sdk_time(&SdkDateTime::from_secs(i64::MAX)),
            DateTime::UNIX_EPOCH
        );
        assert_eq!(
            from_sdk_time(&SdkDateTime::from_secs(i64::MIN)),
            DateTime::UNIX_EPOCH
        );
        let t = SdkDateTime::from_secs_and_nanos(1_714_564_800, 123_456_789);
        assert_eq!(to_sdk_time(from_sdk_time(&t)), t);
    }
}
