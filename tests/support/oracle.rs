//! The oracle of the readers' tests: what the endpoint holds, taken from its
//! own record (`GET /_emulator/jobs`, here read in process) and filtered and
//! sorted by code written here, never by the client's pager, order or
//! filter code. A reader that drops, repeats or reorders a job disagrees
//! with it.

use chrono::{DateTime, Utc};
use copyjobs::emulator::Server;
use serde_json::Value;

/// A job as the endpoint's record has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub arn: String,
    pub status: String,
    pub created: DateTime<Utc>,
    pub name: String,
    pub account: String,
    pub source: String,
}

/// What a filter asks, spelt out for the oracle (not the client's `Filter`).
#[derive(Debug, Clone, Default)]
pub struct Ask {
    pub status: Option<&'static str>,
    pub after: Option<DateTime<Utc>>,
    pub before: Option<DateTime<Utc>>,
    /// Case-insensitive, as the service's.
    pub name: Option<String>,
    pub account: Option<String>,
    pub source: Option<String>,
    pub oldest_first: bool,
}

/// Every job of `region` a listing could show now.
pub fn held(server: &Server, region: &str) -> Vec<Held> {
    let dump = server.emulator.jobs_json(region);
    dump["jobs"]
        .as_array()
        .expect("the dump lists jobs")
        .iter()
        .map(|j: &Value| {
            let text = |k: &str| j[k].as_str().unwrap_or_default().to_string();
            Held {
                arn: text("jobArn"),
                status: text("status"),
                created: DateTime::parse_from_rfc3339(&text("creationTime"))
                    .expect("RFC 3339")
                    .with_timezone(&Utc),
                name: text("targetModelName"),
                account: text("sourceAccountId"),
                source: text("sourceModelArn"),
            }
        })
        .collect()
}

/// The jobs `ask` selects, strict bounds, in its order (creation time, then
/// ARN, newest first unless asked otherwise).
pub fn select(jobs: &[Held], ask: &Ask) -> Vec<Held> {
    let mut out: Vec<Held> = jobs
        .iter()
        .filter(|j| ask.status.is_none_or(|s| j.status == s))
        .filter(|j| ask.after.is_none_or(|a| j.created > a))
        .filter(|j| ask.before.is_none_or(|b| j.created < b))
        .filter(|j| {
            ask.name
                .as_ref()
                .is_none_or(|n| j.name.to_lowercase().contains(&n.to_lowercase()))
        })
        .filter(|j| ask.account.as_ref().is_none_or(|a| j.account == *a))
        .filter(|j| ask.source.as_ref().is_none_or(|s| j.source == *s))
        .cloned()
        .collect();
    out.sort_by(|a, b| (a.created, &a.arn).cmp(&(b.created, &b.arn)));
    if !ask.oldest_first {
        out.reverse();
    }
    out
}

/// ARNs in order: what two listings are compared by.
pub fn arns(jobs: &[Held]) -> Vec<String> {
    jobs.iter().map(|j| j.arn.clone()).collect()
}
