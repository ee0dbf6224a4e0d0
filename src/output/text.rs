//! Jobs as text for a person: `watch -o text`'s one line a change, and a
//! job's details, label by label, every field whole and cleaned.

use crate::domain::column::age;
use crate::domain::job::CopyJob;
use crate::output::sanitize::clean;
use crate::output::table::fit;
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};

/// The name and change columns of `watch -o text`, in terminal cells.
const WATCH_NAME: usize = 40;
const WATCH_CHANGE: usize = 24;

/// One line of `watch -o text`: time, name, change, ARN and the failure.
/// Each field is sanitized first and then fitted by display width (a long
/// or wide name cut with an ellipsis), so the ARNs line up whatever the
/// names hold; the ARN and the failure, last, are whole.
/// `account`, when several accounts are read, follows the time: the ARN
/// holds the id alone, and the name is what a person knows.
pub fn watch_text(
    job: &CopyJob,
    from: Option<&crate::domain::job::Status>,
    now: DateTime<Utc>,
    account: Option<&str>,
) -> String {
    let change = match from {
        Some(f) => format!("{} -> {}", f.as_str(), job.status.as_str()),
        None => format!("new -> {}", job.status.as_str()),
    };
    let account = account
        .map(|a| format!("{}  ", clean(a)))
        .unwrap_or_default();
    let mut line = format!(
        "{}  {account}{}  {}  {}",
        now.to_rfc3339_opts(SecondsFormat::Secs, true),
        fit(&clean(job.display_name()), WATCH_NAME),
        fit(&clean(&change), WATCH_CHANGE),
        clean(&job.job_arn)
    );
    if let Some(m) = &job.failure_message {
        line.push_str("  ");
        line.push_str(&clean(m));
    }
    line
}

const LABEL_WIDTH: usize = 17;

/// `label` then `value`; a multi-line value keeps its lines, each indented
/// under the first, so a long failure message is shown whole and readable.
fn detail(out: &mut String, label: &str, value: &str) {
    for (i, line) in value.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let label = if i == 0 { label } else { "" };
        let text = format!("{label:<LABEL_WIDTH$}{}", clean(line));
        out.push_str(text.trim_end());
        out.push('\n');
    }
}

/// `copyjobs get -o table`: every field on its own line, nothing cut, the
/// failure right under the status where it is looked for first.
pub fn job_details(job: &CopyJob, now: DateTime<Utc>, tz: &FixedOffset) -> String {
    let mut out = String::new();
    let none = "—";
    detail(&mut out, "Job ARN:", &job.job_arn);
    detail(
        &mut out,
        "Status:",
        &format!("{} {}", job.status.symbol(), job.status.as_str()),
    );
    if let Some(f) = &job.failure_message {
        detail(&mut out, "Failure:", f);
    }
    let when = job
        .created
        .with_timezone(tz)
        .format("%Y-%m-%d %H:%M:%S %:z");
    let ago = age(job.created, now);
    let ago = if job.created > now {
        ago
    } else {
        format!("{ago} ago")
    };
    detail(&mut out, "Created:", &format!("{when} ({ago})"));
    detail(
        &mut out,
        "Target name:",
        job.target_model_name.as_deref().unwrap_or(none),
    );
    detail(&mut out, "Target ARN:", &job.target_model_arn);
    // Without a key of its own the service encrypts with an AWS owned key.
    detail(
        &mut out,
        "KMS key:",
        job.kms_key_arn.as_deref().unwrap_or("— (AWS owned key)"),
    );
    detail(
        &mut out,
        "Source name:",
        job.source_model_name.as_deref().unwrap_or(none),
    );
    detail(&mut out, "Source ARN:", &job.source_model_arn);
    detail(&mut out, "Source account:", &job.source_account_id);
    if job.tags.is_empty() {
        detail(&mut out, "Tags:", "none");
    }
    for (i, t) in job.tags.iter().enumerate() {
        // Tag text cannot hold quotes, so `""` can only mean empty.
        let value = if t.value.is_empty() { "\"\"" } else { &t.value };
        detail(
            &mut out,
            if i == 0 { "Tags:" } else { "" },
            &format!("{} = {value}", t.key),
        );
    }
    out
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
