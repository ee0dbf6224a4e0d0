//! Failure groups: why copies fail, and how often for each reason.
//!
//! The service writes one free-text message per failed job, and two jobs that
//! failed for the same reason rarely share a message byte for byte: each names
//! its own key, model, account or request. Counting by raw message would give
//! a group per job. So each message is first folded into a pattern, with its
//! variable parts replaced by placeholders, and jobs are grouped by pattern.

use crate::domain::job::{CopyJob, Status};
use chrono::{DateTime, Utc};
use regex::Regex;
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

/// The pattern of a Failed job that carries no message (or only blanks): it
/// still failed, and hiding it would make the counts disagree with a listing.
pub const NO_MESSAGE: &str = "(no failure message)";

/// The folds, in the order they run. Order matters: an ARN holds a region and
/// an account, so ARNs go first; accounts (twelve digits) before other
/// numbers; names before numbers, so a name with digits is one `<name>`.
///
/// Every placeholder is made of `<`, `>` and letters, which no rule matches,
/// so folding a pattern again changes nothing (a property test checks it).
static RULES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    let rule = |re: &str, to: &'static str| {
        (
            Regex::new(re).unwrap_or_else(|e| panic!("rule {re}: {e}")),
            to,
        )
    };
    vec![
        // Any ARN (model, job, KMS key, role…), up to the punctuation that
        // ends the sentence it sits in: `key/…: AccessDenied`, `…/abc.`.
        rule(
            r#"\barn:[A-Za-z0-9-]+:[A-Za-z0-9-]*:[A-Za-z0-9-]*:[0-9]*:[^\s'"()\[\]{}<>,;]*[^\s'"()\[\]{}<>,;.:]"#,
            "<arn>",
        ),
        // Request ids and bare KMS key ids look alike and vary alike.
        rule(
            r"\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b",
            "<id>",
        ),
        // Multi-Region KMS key ids and key aliases.
        rule(r"\bmrk-[0-9a-f]{32}\b", "<key>"),
        rule(r"\balias/[A-Za-z0-9/_-]+", "alias/<name>"),
        // Copies cross regions: the same cause names a different one.
        rule(
            r"\b[a-z]{2}(?:-gov|-iso|-isob)?-(?:east|west|north|south|central|northeast|southeast|northwest|southwest)-[0-9]{1,2}\b",
            "<region>",
        ),
        rule(r"\b[0-9]{12}\b", "<account>"),
        // The model or job a message is about: quoted after "name"/"named",
        // or a bare model name after "named" (a model name has no spaces).
        rule(r#"(?i)\b(named?) (?:'[^']*'|"[^"]*")"#, "${1} '<name>'"),
        rule(r"(?i)\b(named) [0-9A-Za-z][0-9A-Za-z_-]*", "${1} <name>"),
        // Quotas, sizes, counts; a thousands separator or a fraction is part
        // of the number.
        rule(r"\b[0-9]+(?:[.,][0-9]+)*\b", "<n>"),
    ]
});

/// The message with its variable parts (ARNs, request ids, KMS keys,
/// regions, account ids, quoted or named models, numbers) replaced by
/// placeholders and its whitespace collapsed, so that messages of one cause
/// read the same. Deterministic, and a pattern normalises to itself.
pub fn normalise(message: &str) -> String {
    // Whitespace first: the rules then see single spaces, and since no rule
    // writes whitespace, the result keeps them.
    let mut text = message.split_whitespace().collect::<Vec<_>>().join(" ");
    for (re, to) in RULES.iter() {
        if let std::borrow::Cow::Owned(s) = re.replace_all(&text, *to) {
            text = s;
        }
    }
    text
}

/// A failure's cause in a few words, for a cell with little room (the
/// replication matrix's): the first sentence of its pattern (see
/// [`normalise`]), so two jobs of one cause read the same; [`NO_MESSAGE`]
/// without a message.
pub fn short_cause(message: Option<&str>) -> String {
    let pattern = message.map(normalise).unwrap_or_default();
    if pattern.is_empty() {
        return NO_MESSAGE.to_string();
    }
    match pattern.find(". ") {
        Some(end) => pattern[..end].to_string(),
        None => pattern.trim_end_matches('.').to_string(),
    }
}

/// Failed jobs that share a cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The normalised message (see [`normalise`]), or [`NO_MESSAGE`].
    pub pattern: String,
    pub count: usize,
    /// Creation time of the oldest and of the newest job in the group.
    pub first: DateTime<Utc>,
    pub newest: DateTime<Utc>,
    /// Sorted, each once.
    pub source_accounts: Vec<String>,
    /// Newest first.
    pub job_arns: Vec<String>,
    /// The newest job's message as the service wrote it: a pattern's
    /// placeholders say what varies, an example says what it looked like.
    pub example: String,
}

/// Groups the Failed jobs by the pattern of their message; other statuses
/// are left out. A job seen twice (two profiles on one account) counts once.
///
/// Most common cause first; among equals, the one seen most recently, then
/// by pattern, so the order never depends on the input's.
pub fn group(jobs: &[CopyJob]) -> Vec<Group> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut by_pattern: BTreeMap<String, Vec<&CopyJob>> = BTreeMap::new();
    for job in jobs.iter().filter(|j| j.status == Status::Failed) {
        if !seen.insert(&job.job_arn) {
            continue;
        }
        let pattern = job
            .failure_message
            .as_deref()
            .map(normalise)
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| NO_MESSAGE.to_string());
        by_pattern.entry(pattern).or_default().push(job);
    }
    let mut groups: Vec<Group> = by_pattern
        .into_iter()
        .map(|(pattern, mut members)| {
            members.sort_by(|a, b| b.created.cmp(&a.created).then(a.job_arn.cmp(&b.job_arn)));
            let mut source_accounts: Vec<String> = members
                .iter()
                .map(|j| j.source_account_id.to_string())
                .collect();
            source_accounts.sort();
            source_accounts.dedup();
            let newest = members[0];
            Group {
                count: members.len(),
                first: members
                    .iter()
                    .map(|j| j.created)
                    .min()
                    .unwrap_or(newest.created),
                newest: newest.created,
                source_accounts,
                job_arns: members.iter().map(|j| j.job_arn.clone()).collect(),
                example: newest.failure_message.clone().unwrap_or_default(),
                pattern,
            }
        })
        .collect();
    groups.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.newest.cmp(&a.newest))
            .then_with(|| a.pattern.cmp(&b.pattern))
    });
    groups
}

#[cfg(test)]
#[path = "failures_tests.rs"]
mod tests;
