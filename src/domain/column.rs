//! The fields of a job the table can show and sort by. Named here, below the
//! UI, because the config file chooses them and `update` sorts by them; the
//! UI only decides how each looks.

use super::job::CopyJob;
use chrono::{DateTime, Utc};
use std::cmp::Ordering;

/// The serde names are the config file's.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Status,
    Name,
    Region,
    Profile,
    Created,
    Age,
    Ran,
    SourceModel,
    SourceAccount,
    Tags,
    JobArn,
    TargetModelArn,
    SourceModelArn,
    KmsKey,
}

impl Column {
    /// Every column there is, in the order the picker offers the hidden ones.
    pub const ALL: &[Column] = &[
        Column::Status,
        Column::Name,
        Column::Region,
        Column::Profile,
        Column::Created,
        Column::Age,
        Column::Ran,
        Column::SourceModel,
        Column::SourceAccount,
        Column::Tags,
        Column::JobArn,
        Column::TargetModelArn,
        Column::SourceModelArn,
        Column::KmsKey,
    ];

    /// Today's table, and the config file's default `columns`.
    pub const DEFAULT: &[Column] = &[
        Column::Status,
        Column::Name,
        Column::Created,
        Column::Age,
        Column::Ran,
        Column::SourceModel,
        Column::SourceAccount,
        Column::Tags,
    ];

    /// The column's header, also how messages name it.
    pub fn header(self) -> &'static str {
        match self {
            Column::Status => "Status",
            Column::Name => "Target model",
            Column::Region => "Region",
            Column::Profile => "Profile",
            Column::Created => "Created",
            Column::Age => "Age",
            Column::Ran => "Ran",
            Column::SourceModel => "Source model",
            Column::SourceAccount => "Source acct",
            Column::Tags => "Tags",
            Column::JobArn => "Job ARN",
            Column::TargetModelArn => "Target model ARN",
            Column::SourceModelArn => "Source model ARN",
            Column::KmsKey => "KMS key",
        }
    }

    /// Orders two jobs by this column, ascending. `profile` names each job's
    /// profile; `since` when it was seen final (for Ran), `now` the clock.
    pub fn compare(
        self,
        a: (&CopyJob, &str, Option<DateTime<Utc>>),
        b: (&CopyJob, &str, Option<DateTime<Utc>>),
        now: DateTime<Utc>,
    ) -> Ordering {
        let text = |s: &str| s.to_lowercase();
        let ran = |(j, _, since): (&CopyJob, &str, Option<DateTime<Utc>>)| {
            let end = if j.status.is_final() {
                since
            } else {
                Some(now)
            };
            end.map(|e| e - j.created)
        };
        let (ja, jb) = (a.0, b.0);
        match self {
            Column::Status => ja.status.as_str().cmp(jb.status.as_str()),
            Column::Name => text(ja.display_name()).cmp(&text(jb.display_name())),
            Column::Region => ja.region().cmp(jb.region()),
            Column::Profile => a.1.cmp(b.1),
            Column::Created => ja.created.cmp(&jb.created),
            // Youngest first reads as "smallest age first".
            Column::Age => jb.created.cmp(&ja.created),
            Column::Ran => ran(a).cmp(&ran(b)),
            Column::SourceModel => text(&ja.source_short()).cmp(&text(&jb.source_short())),
            Column::SourceAccount => ja.source_account_id.cmp(&jb.source_account_id),
            Column::Tags => ja.tags.len().cmp(&jb.tags.len()),
            Column::JobArn => ja.job_arn.cmp(&jb.job_arn),
            Column::TargetModelArn => ja.target_model_arn.cmp(&jb.target_model_arn),
            Column::SourceModelArn => ja.source_model_arn.cmp(&jb.source_model_arn),
            Column::KmsKey => ja.kms_key_arn.cmp(&jb.kms_key_arn),
        }
    }
}
