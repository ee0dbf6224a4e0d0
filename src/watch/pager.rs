//! Paging that survives the service's open questions. A `nextToken` may be
//! refused (expired after a pause, or never honoured at all); the order of
//! jobs created at one instant may change between calls; a bound may or may
//! not include a job created exactly at it. So a listing continues by token
//! while the service takes them, and by creation time from the last instant
//! read when it does not, dropping the jobs already read at that instant:
//! nothing is lost or read twice either way.

use super::exec::Api;
use crate::aws::{ErrorKind, FetchError, Page};
use crate::domain::job::CopyJob;
use crate::domain::query::{Filter, Sort};
use chrono::{DateTime, Duration, Utc};

/// Where the next page of a listing starts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resume {
    /// The service's token for the next page; None before the first.
    pub token: Option<String>,
    /// The service refused a token once: page by creation time from then on
    /// (a token it gives for a narrowed query fits no other query anyway).
    pub by_bounds: bool,
    /// The last instant read, with the ARNs read at it.
    pub edge: Option<Edge>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub at: DateTime<Utc>,
    pub seen: Vec<String>,
}

/// One page as the service answers it, with copyjobs' bounds: strict. The
/// API reference does not say whether a job created exactly at a bound is
/// listed, so such a job is dropped here whichever way the service decides.
pub async fn list_page<A: Api>(
    api: &A,
    filter: &Filter,
    page_size: usize,
    token: Option<String>,
) -> Result<Page, FetchError> {
    let mut page = api.list_page(filter, page_size, token).await?;
    page.jobs.retain(|j| filter.within_bounds(j.created));
    Ok(page)
}

/// The smallest step the wire carries (the SDK writes up to six fractional
/// digits): a bound one step past an instant includes it under either kind
/// of bound.
pub fn tick() -> Duration {
    Duration::microseconds(1)
}

/// A refusal of the token, not of the query: the query was taken before,
/// so a ValidationException now is about the token (expired, or invalid).
pub fn token_refused(e: &FetchError) -> bool {
    e.kind == ErrorKind::Service && e.message.starts_with("ValidationException")
}

impl Resume {
    /// Moves past a page: its next token, and its last instant with the
    /// jobs read at it (added to those already read there).
    pub fn advance(&mut self, page: &Page) {
        self.token = page.next_token.clone();
        let Some(last) = page.jobs.last().map(|j| j.created) else {
            return;
        };
        let at_last = page
            .jobs
            .iter()
            .filter(|j| j.created == last)
            .map(|j| j.job_arn.clone());
        match &mut self.edge {
            Some(e) if e.at == last => e.seen.extend(at_last),
            _ => {
                self.edge = Some(Edge {
                    at: last,
                    seen: at_last.collect(),
                });
            }
        }
    }

    /// Whether another page exists.
    pub fn more(&self) -> bool {
        self.token.is_some()
    }
}

/// The filter of a listing narrowed to what lies at or past `edge` in its
/// order: newest first, created at `edge` or before it.
fn from_edge(filter: &Filter, edge: DateTime<Utc>) -> Filter {
    match filter.sort {
        Sort::NewestFirst => {
            let before = edge + tick();
            Filter {
                created_before: Some(filter.created_before.map_or(before, |b| b.min(before))),
                ..filter.clone()
            }
        }
        Sort::OldestFirst => {
            let after = edge - tick();
            Filter {
                created_after: Some(filter.created_after.map_or(after, |a| a.max(after))),
                ..filter.clone()
            }
        }
    }
}

/// The page after `resume`: by token, or by creation time when the service
/// refuses the token or refused one before. The flag says the page came by
/// creation time (the caller pages by creation time from then on).
pub async fn page_after<A: Api>(
    api: &A,
    filter: &Filter,
    page_size: usize,
    resume: &Resume,
) -> Result<(Page, bool), FetchError> {
    let edge = match (&resume.edge, &resume.token) {
        // Nothing read yet: the top of the listing (or the token alone).
        (None, token) => {
            return list_page(api, filter, page_size, token.clone())
                .await
                .map(|p| (p, false));
        }
        (Some(edge), Some(token)) if !resume.by_bounds => {
            match list_page(api, filter, page_size, Some(token.clone())).await {
                Err(e) if token_refused(&e) => edge,
                other => return other.map(|p| (p, false)),
            }
        }
        (Some(edge), _) => edge,
    };
    // The jobs already read at the edge come again and are dropped: ask for
    // that many more, so a page brings news however many share the instant.
    let size = (page_size + edge.seen.len()).min(super::engine::MAX_PAGE);
    let mut page = list_page(api, &from_edge(filter, edge.at), size, None).await?;
    let listed = page.jobs.len();
    page.jobs.retain(|j| !edge.seen.contains(&j.job_arn));
    if page.jobs.is_empty() && listed > 0 && page.next_token.is_some() {
        return Err(FetchError::new(
            ErrorKind::Other,
            format!(
                "more than {listed} jobs share the creation time {} and the service refuses its paging token: cannot page past them",
                edge.at.to_rfc3339()
            ),
            Some("ask for larger pages (--page-size 1000)"),
        ));
    }
    Ok((page, true))
}

/// Every job of a listing, each once, pages of `page_size`.
pub async fn list_all<A: Api>(
    api: &A,
    filter: &Filter,
    page_size: usize,
) -> Result<Vec<CopyJob>, FetchError> {
    let mut all = Vec::new();
    let mut resume = Resume::default();
    loop {
        let (page, by_bounds) = page_after(api, filter, page_size, &resume).await?;
        resume.by_bounds |= by_bounds;
        resume.advance(&page);
        all.extend(page.jobs);
        if !resume.more() {
            return Ok(all);
        }
    }
}
