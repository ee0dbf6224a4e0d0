//! The fields of a job the table can show and sort by. Named here, below the
//! UI, because the config file chooses them and `update` sorts by them; the
//! UI only decides how each looks.

use super::job::{CopyJob, Status};
use super::query::human_duration;
use chrono::{DateTime, FixedOffset, Utc};
use std::cmp::Ordering;

/// What a cell's text depends on besides the job: the clock, the zone and
/// format times are written in, the job's profile, and when this session
/// saw it reach its status (for Ran).
#[derive(Debug, Clone, Copy)]
pub struct CellContext<'a> {
    pub now: DateTime<Utc>,
    pub tz: &'a FixedOffset,
    pub date_format: &'a str,
    pub profile: Option<&'a str>,
    /// The job's account as the organisation names it (`ml-prod ·
    /// 111122223333`), where its source knows the name.
    pub account: Option<&'a str>,
    pub since: Option<DateTime<Utc>>,
    /// A running job's Ran cell as its group's history has it ("12m · ~6m
    /// left"), where the history knows enough.
    pub eta: Option<&'a str>,
}

/// The serde names are the config file's.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Status,
    Name,
    Region,
    Profile,
    Account,
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
        Column::Account,
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
            Column::Account => "Account",
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

    /// The config file's name of the column (`job_arn`), as `--columns`
    /// takes it.
    pub fn name(self) -> &'static str {
        match self {
            Column::Status => "status",
            Column::Name => "name",
            Column::Region => "region",
            Column::Profile => "profile",
            Column::Account => "account",
            Column::Created => "created",
            Column::Age => "age",
            Column::Ran => "ran",
            Column::SourceModel => "source_model",
            Column::SourceAccount => "source_account",
            Column::Tags => "tags",
            Column::JobArn => "job_arn",
            Column::TargetModelArn => "target_model_arn",
            Column::SourceModelArn => "source_model_arn",
            Column::KmsKey => "kms_key",
        }
    }

    /// A column by its config name; a typo gets the nearest name.
    pub fn parse(text: &str) -> Result<Column, String> {
        let t = text.trim().to_ascii_lowercase().replace('-', "_");
        if let Some(c) = Column::ALL.iter().find(|c| c.name() == t) {
            return Ok(*c);
        }
        let names: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
        let near = names
            .iter()
            .map(|n| (strsim::damerau_levenshtein(&t, n), *n))
            .filter(|(d, n)| *d <= (n.len() / 2).max(2))
            .min()
            .map(|(_, n)| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        Err(format!(
            "`{}` is not a column: {near}(columns: {})",
            super::query::echo(text.trim()),
            names.join(", ")
        ))
    }

    /// The cell's text, as the table and `list -o table` show it: raw (the
    /// caller sanitizes it for the terminal) and whole (the caller fits it).
    pub fn text(self, job: &CopyJob, ctx: &CellContext<'_>) -> String {
        match self {
            Column::Status => format!("{} {}", job.status.symbol(), job.status.as_str()),
            Column::Name => job.display_name().to_string(),
            Column::Region => job.region().to_string(),
            Column::Profile => ctx.profile.unwrap_or("default").to_string(),
            // The account the job runs in (its ARN's), named where known.
            Column::Account => ctx
                .account
                .map_or_else(|| job.account().to_string(), str::to_string),
            Column::Created => job
                .created
                .with_timezone(ctx.tz)
                .format(ctx.date_format)
                .to_string(),
            Column::Age => age(job.created, ctx.now),
            Column::Ran => match (&job.status, ctx.since) {
                (Status::InProgress, _) => ctx.eta.map_or_else(
                    || format!("run {}", human_duration(ctx.now - job.created)),
                    str::to_string,
                ),
                (s, Some(since)) if s.is_final() => {
                    format!("took {}", human_duration(since - job.created))
                }
                _ => String::new(),
            },
            Column::SourceModel => job.source_short(),
            Column::SourceAccount => job.source_account_id.to_string(),
            Column::Tags => match job.tags.len() {
                0 => String::new(),
                n => n.to_string(),
            },
            Column::JobArn => job.job_arn.clone(),
            Column::TargetModelArn => job.target_model_arn.clone(),
            Column::SourceModelArn => job.source_model_arn.to_string(),
            // The key's id ("key/…" or "alias/…") is what tells keys apart.
            Column::KmsKey => job
                .kms_key_arn
                .as_deref()
                .map_or("", |k| k.rsplit(':').next().unwrap_or(k))
                .to_string(),
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
            Column::Account => ja.account().cmp(jb.account()),
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

/// How long ago, or "in …" for a job stamped ahead of this clock (skew), so
/// a skewed time does not read as brand new.
pub fn age(created: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if created > now {
        format!("in {}", human_duration(created - now))
    } else {
        human_duration(now - created)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_has_a_name_that_reads_back_and_the_config_agrees() {
        for c in Column::ALL {
            assert_eq!(Column::parse(c.name()), Ok(*c));
            let serde: Column = serde_json::from_value(serde_json::json!(c.name())).unwrap();
            assert_eq!(serde, *c, "the config file's name");
        }
        assert_eq!(Column::parse(" Job-ARN "), Ok(Column::JobArn));
        let e = Column::parse("job_ran").unwrap_err();
        assert!(
            e.starts_with("`job_ran` is not a column: did you mean `job_arn`?"),
            "{e}"
        );
    }
}
