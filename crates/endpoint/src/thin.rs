//! The endpoint playing a service that keeps fewer of the API's promises
//! (`--list-order arn`, `--ignore-filters`, `--job-ids uuid`, `--time-style
//! nanos-offset`, all four with `--thin`), as some public emulators answer:
//! a client must lose nothing against them, and this is where its tests
//! meet one. Ids and times are written in `dataset`/`model`; the listing's
//! order and filters are here.

use super::emulator::Emulator;
use super::model::ShortId;
use super::options::{EmulatorOptions, Ignored, JobIds};
use super::store::{ListQuery, summary};

/// The query as a service that ignores some filters reads it.
pub fn narrowed(options: &EmulatorOptions, mut q: ListQuery) -> ListQuery {
    if options.ignores(Ignored::Time) {
        q.after_us = None;
        q.before_us = None;
    }
    if options.ignores(Ignored::Status) {
        q.status = None;
    }
    if options.ignores(Ignored::Name) {
        q.name_contains = None;
    }
    if options.ignores(Ignored::Account) {
        q.source_account = None;
    }
    if options.ignores(Ignored::Source) {
        q.source_arn = None;
    }
    q
}

/// What a token of a listing by ARN carries: the last id given.
const TOKEN_PREFIX: &str = "after-";

/// A token this service cannot read: the caller answers ValidationException.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadToken;

/// ListModelCopyJobs by job ARN (ascending, whatever the order asked):
/// every matching job at once, sorted by the ARN as written, a page cut
/// after the token's id. A thin service's token is the id it stopped at.
pub fn list_by_arn(
    emu: &Emulator,
    account: &str,
    region: &str,
    q: &ListQuery,
    token: Option<String>,
) -> Result<serde_json::Value, BadToken> {
    let ids = emu.options.job_ids;
    let after = token
        .map(|t| {
            t.strip_prefix(TOKEN_PREFIX)
                .and_then(|id| ShortId::parse_shown(id, ids))
                .map(|id| id.shown(ids).to_string())
                .ok_or(BadToken)
        })
        .transpose()?;
    let now = emu.clock.now_ms();
    let view = emu.list_view(now);
    let store = emu.store_in(account, region);
    let mut s = store.lock().unwrap_or_else(|e| e.into_inner());
    s.catch_up(now);
    let every = ListQuery {
        max_results: usize::MAX,
        ascending: true,
        ..q.clone()
    };
    let mut jobs: Vec<(String, _)> = s
        .page(&every, None, &view)
        .jobs
        .into_iter()
        .map(|j| (j.id.shown(ids).to_string(), j))
        .filter(|(id, _)| after.as_ref().is_none_or(|a| id > a))
        .collect();
    jobs.sort_by(|a, b| a.0.cmp(&b.0));
    let want = q.max_results.max(1);
    let next_token = (jobs.len() > want).then(|| format!("{TOKEN_PREFIX}{}", jobs[want - 1].0));
    jobs.truncate(want);
    let summaries: Vec<_> = jobs
        .iter()
        .map(|(_, j)| summary(&s.profile, j, now))
        .collect();
    let mut body = serde_json::json!({ "modelCopyJobSummaries": summaries });
    if let Some(t) = next_token {
        body["nextToken"] = t.into();
    }
    Ok(body)
}

/// A job ARN's id as this service writes it: botocore's 12 characters, or
/// a UUID under `--job-ids uuid`.
pub fn job_id(options: &EmulatorOptions, id: &str) -> Option<ShortId> {
    ShortId::parse_shown(id, options.job_ids)
}

/// Whether GetModelCopyJob checks the ARN against botocore's pattern: a
/// service with UUID ids takes its own ARNs, which the pattern refuses.
pub fn checks_arn_pattern(options: &EmulatorOptions) -> bool {
    options.job_ids == JobIds::Short
}
