//! Paging that survives the service's open questions. A `nextToken` may be
//! refused (expired after a pause, or never honoured at all); the order of
//! jobs created at one instant may change between calls; a bound may or may
//! not include a job created exactly at it. So a listing continues by token
//! while the service takes them, and by creation time from the last instant
//! read when it does not, dropping the jobs already read at that instant:
//! nothing is lost or read twice either way. Bounds are strict here, as
//! copyjobs means them, whatever the service does at a bound.
//!
//! Every page passes [`fetch`], which checks it against what was asked (the
//! order, the bounds, the filters: `domain::promises`) and keeps only the
//! jobs the filter selects. What a page broke travels with it
//! ([`Page::unkept`]), so the readers that rely on the order can fall back
//! to [`read_whole`].

use super::api::Api;
use crate::aws::{ErrorKind, FetchError, Page};
use crate::domain::job::CopyJob;
use crate::domain::promises::{self, Unkept};
use crate::domain::query::{Filter, Sort};
use crate::output::sanitize::clean;
use chrono::{DateTime, Duration, Utc};

/// The largest page the service serves: listings read to the end (refresh
/// listings, re-reads, pages by creation time) use it.
pub const MAX_PAGE: usize = 1000;

/// Where the next page of a listing starts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resume {
    /// The service's token for the next page; None before the first.
    pub token: Option<String>,
    /// The service refused a token once: page by creation time from then on
    /// (a token it gives for a narrowed query fits no other query anyway).
    pub by_bounds: bool,
    /// The last instant the service listed, with the ARNs it listed at it.
    pub edge: Option<Edge>,
    /// What the pages so far broke of the request's promises.
    pub unkept: Unkept,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub at: DateTime<Utc>,
    pub seen: Vec<String>,
}

/// One page as a listing goes on from it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paged {
    /// The jobs inside the filter's strict bounds, and the next token.
    pub page: Page,
    /// The page came by creation time: the service refused a token.
    pub by_bounds: bool,
    /// Where the service's listing got to: its last instant and the ARNs it
    /// listed there, a job dropped at a bound included.
    pub reached: Option<Edge>,
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

/// One page as the service answers it, with copyjobs' bounds: strict. The
/// API reference does not say whether a job created exactly at a bound is
/// listed, so such a job is dropped here whichever way the service decides.
pub async fn list_page<A: Api>(
    api: &A,
    filter: &Filter,
    page_size: usize,
    token: Option<String>,
) -> Result<Page, FetchError> {
    Ok(fetch(api, filter, page_size, token, None).await?.page)
}

/// A page, strict and filtered here, with where the service got to and
/// what it broke; `after` is the last instant of the page before it.
async fn fetch<A: Api>(
    api: &A,
    filter: &Filter,
    page_size: usize,
    token: Option<String>,
    after: Option<DateTime<Utc>>,
) -> Result<Paged, FetchError> {
    let mut page = api.list_page(filter, page_size, token).await?;
    page.unkept = promises::check(filter, after, &page.jobs);
    let reached = page.jobs.last().map(|last| Edge {
        at: last.created,
        seen: page
            .jobs
            .iter()
            .filter(|j| j.created == last.created)
            .map(|j| j.job_arn.clone())
            .collect(),
    });
    page.jobs.retain(|j| filter.admits(j));
    Ok(Paged {
        page,
        by_bounds: false,
        reached,
    })
}

impl Resume {
    /// Moves past a page: its next token, and where the service got to
    /// (the jobs of an instant it listed before added to those of this page).
    pub fn advance(&mut self, paged: &Paged) {
        self.token = paged.page.next_token.clone();
        self.by_bounds |= paged.by_bounds;
        self.unkept = self.unkept.union(paged.page.unkept);
        let Some(reached) = &paged.reached else {
            return;
        };
        match &mut self.edge {
            Some(e) if e.at == reached.at => {
                for arn in &reached.seen {
                    if !e.seen.contains(arn) {
                        e.seen.push(arn.clone());
                    }
                }
            }
            _ => self.edge = Some(reached.clone()),
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
/// refuses the token or refused one before.
pub async fn page_after<A: Api>(
    api: &A,
    filter: &Filter,
    page_size: usize,
    resume: &Resume,
) -> Result<Paged, FetchError> {
    let edge = match (&resume.edge, &resume.token) {
        // Nothing read yet: the top of the listing (or the token alone).
        (None, token) => return fetch(api, filter, page_size, token.clone(), None).await,
        (Some(edge), Some(token)) if !resume.by_bounds => {
            match fetch(api, filter, page_size, Some(token.clone()), Some(edge.at)).await {
                Err(e) if token_refused(&e) => edge,
                other => return other,
            }
        }
        (Some(edge), _) => edge,
    };
    if resume.unkept.order {
        // Paging by creation time rests on the order the service broke.
        return Err(unreadable());
    }
    // The jobs already read at the edge come again and are dropped: ask for
    // that many more, so a page brings news however many share the instant.
    let size = (page_size + edge.seen.len()).min(MAX_PAGE);
    let mut paged = fetch(api, &from_edge(filter, edge.at), size, None, Some(edge.at)).await?;
    let news = paged
        .reached
        .as_ref()
        .is_some_and(|r| r.at != edge.at || r.seen.iter().any(|a| !edge.seen.contains(a)));
    if !news && paged.page.next_token.is_some() {
        return Err(FetchError::new(
            ErrorKind::Other,
            format!(
                "more than {size} jobs share the creation time {} and the service refuses its paging token: cannot page past them",
                edge.at.to_rfc3339()
            ),
            Some("ask for larger pages (--page-size 1000)"),
        ));
    }
    paged.page.jobs.retain(|j| !edge.seen.contains(&j.job_arn));
    paged.by_bounds = true;
    Ok(paged)
}

/// The first page with a job in it, or the end of the listing: a page can
/// come back empty once the jobs exactly at a bound are dropped (a service
/// whose bounds include their instant), and the listing go on after it. Its
/// next token (if any) continues the listing.
pub async fn first_page<A: Api>(
    api: &A,
    filter: &Filter,
    page_size: usize,
) -> Result<Page, FetchError> {
    let mut resume = Resume::default();
    loop {
        let paged = page_after(api, filter, page_size, &resume).await?;
        if !paged.page.jobs.is_empty() || paged.page.next_token.is_none() {
            return Ok(paged.page);
        }
        resume.advance(&paged);
    }
}

/// Every job of a listing, each once, pages of `page_size`.
pub async fn list_all<A: Api>(
    api: &A,
    filter: &Filter,
    page_size: usize,
) -> Result<Vec<CopyJob>, FetchError> {
    Ok(read_listing(api, filter, page_size).await?.jobs)
}

/// Every job of a listing, in the order the service gave them, with what
/// the service broke on the way ([`Page::unkept`]; no next token). A
/// listing read to its end loses nothing whatever the order: only paging
/// by creation time, after a refused token, needs it, and refuses to go on
/// without it.
pub async fn read_listing<A: Api>(
    api: &A,
    filter: &Filter,
    page_size: usize,
) -> Result<Page, FetchError> {
    let mut all = Page::default();
    let mut resume = Resume::default();
    loop {
        let paged = page_after(api, filter, page_size, &resume).await?;
        resume.advance(&paged);
        all.jobs.extend(paged.page.jobs);
        if !resume.more() {
            all.unkept = resume.unkept;
            return Ok(all);
        }
    }
}

/// The read that holds when the service breaks its order or its bounds:
/// every page by token, each job once (a job listed twice keeps its final
/// status), filtered and sorted here. It costs the whole listing, so the
/// readers use it only once a page has shown it is needed: `seen`, what the
/// service was seen to break, travels on with it.
pub async fn read_whole<A: Api>(
    api: &A,
    filter: &Filter,
    page_size: usize,
    seen: Unkept,
) -> Result<Page, FetchError> {
    let mut page = read_listing(api, filter, page_size).await?;
    page.unkept = page.unkept.union(seen);
    let mut by_arn: std::collections::HashMap<String, usize> = Default::default();
    let mut jobs: Vec<CopyJob> = Vec::with_capacity(page.jobs.len());
    for job in page.jobs.drain(..) {
        match by_arn.get(&job.job_arn) {
            Some(&k) if !jobs[k].status.is_final() || job.status.is_final() => jobs[k] = job,
            Some(_) => {}
            None => {
                by_arn.insert(job.job_arn.clone(), jobs.len());
                jobs.push(job);
            }
        }
    }
    jobs.sort_by(|a, b| {
        super::order::display_cmp(
            filter.sort,
            super::order::job_pos(a),
            super::order::job_pos(b),
        )
    });
    page.jobs = jobs;
    Ok(page)
}

/// Whether a first page holds every job from its last instant to the top of
/// the listing, as a service that keeps its order gives it: one listing of
/// that stretch, a job longer than the page. A page of a service that lists
/// in another order (by ARN) can look sorted and still leave out jobs newer
/// than its last; shown or handed on, they would come later and out of
/// place, or (in the parallel read, whose windows start below the page)
/// never. Jobs at the last instant itself may rightly be on the next page.
///
/// A job newer than the whole page (newest first) may instead have been
/// created after the page was read: a live service's, during a read of
/// minutes across an organisation. Such a job is news, not one the page
/// left out, and the top of the listing asked again shows which: a service
/// that keeps its order lists it (or a newer one) first now; one that lists
/// in another order gives its own first job again.
pub async fn check_head<A: Api>(
    api: &A,
    filter: &Filter,
    jobs: &[CopyJob],
) -> Result<Unkept, FetchError> {
    let times = jobs.iter().map(|j| j.created);
    let last = match filter.sort {
        Sort::NewestFirst => times.clone().min(),
        Sort::OldestFirst => times.clone().max(),
    };
    let (Some(last), Some(newest)) = (last, times.max()) else {
        return Ok(Unkept::default());
    };
    let stretch = match filter.sort {
        Sort::NewestFirst => Filter {
            created_after: Some(
                filter
                    .created_after
                    .map_or(last - tick(), |a| a.max(last - tick())),
            ),
            ..filter.clone()
        },
        Sort::OldestFirst => Filter {
            created_before: Some(
                filter
                    .created_before
                    .map_or(last + tick(), |b| b.min(last + tick())),
            ),
            ..filter.clone()
        },
    };
    let size = (jobs.len() + 1).min(MAX_PAGE);
    let page = fetch(api, &stretch, size, None, None).await?.page;
    let mut unkept = page.unkept;
    let left_out = page
        .jobs
        .iter()
        .filter(|j| j.created != last && !jobs.iter().any(|p| p.job_arn == j.job_arn));
    let (newer, inside): (Vec<&CopyJob>, Vec<&CopyJob>) =
        left_out.partition(|j| filter.sort == Sort::NewestFirst && j.created > newest);
    unkept.order |= !inside.is_empty();
    if let Some(latest) = newer.iter().map(|j| j.created).max()
        && !unkept.order
    {
        let top = api.list_page(filter, 1, None).await?;
        unkept.order |= top.jobs.first().is_none_or(|t| t.created < latest);
    }
    Ok(unkept)
}

/// Says on stderr, once a process, each promise the service broke: a
/// script's output stays whole, and its log says why it took longer.
/// `source` names the source whose page showed it (of many, which one).
pub fn say_on_stderr(source: Option<&str>, unkept: Unkept) {
    static SAID: std::sync::Mutex<Unkept> = std::sync::Mutex::new(Unkept {
        order: false,
        bounds: false,
        status: false,
        name: false,
        account: false,
        source: false,
    });
    let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
    let news = unkept.minus(*said);
    if news.any() {
        *said = said.union(news);
        let at = source
            .map(|s| format!("{}: ", clean(s)))
            .unwrap_or_default();
        eprintln!("copyjobs: {at}{}", unkept.sentence());
    }
}

/// The service broke the order and refused a token: nothing left pages it.
fn unreadable() -> FetchError {
    FetchError::new(
        ErrorKind::Other,
        "the service ignores the order asked (sortOrder) and refused its paging token: no way is left to read every job",
        Some("read again from the start (r), with larger pages (--page-size 1000)"),
    )
}
