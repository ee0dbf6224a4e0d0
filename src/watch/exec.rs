//! Runs the engine's calls against one source's client: the dashboard's
//! effects runner and the headless verbs both come through here, and so
//! does every page a reader of copyjobs asks for (by way of `pager`). A
//! whole listing ([`Call::Windows`]) is read as parallel windows and
//! answered in parts as they finish ([`answer_in_parts`]).

use super::api::Api;
use super::call::{Call, Outcome, Unanswered};
use super::order::{Key, display_cmp, job_pos, key_pos};
use super::pager::{self, MAX_PAGE, Resume};
use super::retry::{RetryNote, RetryPolicy};
use super::windows::{self, Windowed};
use crate::aws::{ErrorKind, FetchError, Page};
use crate::domain::job::CopyJob;
use crate::domain::query::Filter;
use futures::{Stream, StreamExt};
use std::collections::HashSet;
use std::ops::ControlFlow;

/// Gets at once for the jobs a refresh found finished: enough to be quick,
/// few enough not to be throttled.
const GET_CONCURRENCY: usize = 8;

pub async fn execute<A: Api>(client: &A, call: Call) -> Result<Outcome, FetchError> {
    match call {
        Call::First {
            filter,
            page_size,
            inflight,
            probe,
        } => {
            let (page, inflight, newest) = tokio::join!(
                pager::list_page(client, &filter, page_size, None),
                async {
                    match &inflight {
                        Some(f) => list_all(client, f).await,
                        None => Ok(Page::default()),
                    }
                },
                async {
                    match &probe {
                        Some(f) => pager::first_page(client, f, 1).await.map(Some),
                        None => Ok(None),
                    }
                },
            );
            let (mut page, inflight, newest) = (page?, inflight?, newest?);
            if page.next_token.is_some() && !page.unkept.breaks_paging() {
                // Rows of the first page show at once: first make sure no
                // job the page left out lies among them.
                page.unkept = page
                    .unkept
                    .union(pager::check_head(client, &filter, &page.jobs).await?);
            }
            let probe_broke = newest.as_ref().is_some_and(|p| p.unkept.breaks_paging());
            let mut newest = newest.and_then(|p| p.jobs.into_iter().next());
            if page.unkept.breaks_paging() || probe_broke {
                // The first page cannot say where the listing goes on, nor
                // the probe which job is the newest: the listing is read
                // whole, and the refresh finds the head.
                let mut seen = page.unkept;
                seen.order |= probe_broke;
                page = pager::read_whole(client, &filter, MAX_PAGE, seen).await?;
                newest = None;
            }
            page.unkept = page.unkept.union(inflight.unkept);
            Ok(Outcome::First {
                page,
                inflight: inflight.jobs,
                newest,
            })
        }
        Call::Next {
            filter,
            page_size,
            token,
            by_bounds,
            edge,
        } => {
            let resume = Resume {
                token: (!by_bounds).then_some(token),
                by_bounds,
                edge,
                ..Resume::default()
            };
            let paged = pager::page_after(client, &filter, page_size, &resume).await?;
            if paged.page.unkept.breaks_paging() {
                // Where the listing goes on is unknown: read it whole.
                let whole = pager::read_whole(client, &filter, MAX_PAGE, paged.page.unkept).await?;
                return Ok(Outcome::Whole(whole));
            }
            Ok(if paged.by_bounds {
                Outcome::NextByBounds(paged.page)
            } else {
                Outcome::Next(paged.page)
            })
        }
        Call::Refresh {
            head,
            inflight,
            tracked,
            extra,
        } => refresh(client, head, inflight, tracked, extra).await,
        Call::Reread {
            filter,
            min_rows,
            until,
        } => reread(client, &filter, min_rows, until)
            .await
            .map(Outcome::Reread),
        Call::Models { page_size } => {
            let once = RetryPolicy::standard().limited_to(Some(1));
            let how = Windowed::new(1, once, |_| {});
            read_models(client, page_size, &how)
                .await
                .map(Outcome::Models)
        }
        Call::Windows { filter, page_size } => {
            // Answered at once: the parts gathered into one, the listing's
            // end. (The driver hands the engine each part as it comes.)
            let once = RetryPolicy::standard().limited_to(Some(1));
            let how = Windowed::new(windows::DEFAULT_SLOTS, once, |_| {});
            let mut page = Page::default();
            let parts = answer_in_parts(client, filter, page_size, how);
            futures::pin_mut!(parts);
            while let Some(part) = parts.next().await {
                if let Outcome::Part { page: p, .. } = part? {
                    page.jobs.extend(p.jobs);
                    page.unkept = page.unkept.union(p.unkept);
                }
            }
            Ok(Outcome::Part { page, past: None })
        }
    }
}

/// The answer to a [`Call::Windows`], a part each time what came before it
/// is read ([`windows::read_parts`]), the last with `past` None; an error
/// ends it. Nothing runs but while the stream is polled: dropped, the read
/// stops where it stood (Ctrl-C, a reader that has enough).
pub fn answer_in_parts<A: Api>(
    client: &A,
    filter: Filter,
    page_size: usize,
    how: Windowed,
) -> impl Stream<Item = Result<Outcome, FetchError>> + '_ {
    let (tx, rx) = futures::channel::mpsc::unbounded();
    let read = async move {
        let read = windows::read_parts(client, &filter, page_size, &how, |part| {
            let page = Page {
                jobs: part.jobs,
                next_token: None,
                unkept: part.unkept,
            };
            // The receiver lives as long as this future: polled together.
            let _ = tx.unbounded_send(Ok(Outcome::Part {
                page,
                past: part.past,
            }));
            ControlFlow::<()>::Continue(())
        })
        .await;
        if let Err(e) = read {
            let _ = tx.unbounded_send(Err(e));
        }
    };
    // The read runs as the parts are taken: one stream of both, which ends
    // once the read is over and its parts are taken.
    futures::stream::select(
        rx,
        futures::stream::once(read).filter_map(|()| async { None::<Result<Outcome, FetchError>> }),
    )
}

/// Every custom model of the client's account and region (a
/// [`Call::Models`]), page after page: each page waits for a slot of
/// `how.gate`, the one cap the window reads of every source share, and is
/// retried under `how.retry` (a page once read is never asked again).
pub async fn read_models<A: Api>(
    client: &A,
    page_size: usize,
    how: &Windowed,
) -> Result<Vec<crate::domain::custom_model::CustomModel>, FetchError> {
    let throttled = std::sync::atomic::AtomicBool::new(false);
    let note = |n: &RetryNote| {
        if n.kind == ErrorKind::Throttled {
            throttled.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        (how.note)(n);
    };
    let mut models = Vec::new();
    let mut token: Option<String> = None;
    let mut tokens = HashSet::new();
    loop {
        let permit = how.gate.enter().await?;
        let page = how
            .retry
            .run(|| client.list_models_page(page_size, token.clone()), note)
            .await;
        how.gate
            .leave(permit, throttled.load(std::sync::atomic::Ordering::Relaxed));
        let page = page?;
        models.extend(page.models);
        match page.next_token {
            // A token seen before would read the same pages again for ever.
            Some(t) if tokens.insert(t.clone()) => token = Some(t),
            _ => return Ok(models),
        }
    }
}

/// Every page of a listing. Refresh listings are short (new jobs, running
/// jobs), so they are read whole, at the largest page size; read to their
/// end, they lose nothing whatever order the service gives.
pub async fn list_all<A: Api>(client: &A, filter: &Filter) -> Result<Page, FetchError> {
    pager::read_listing(client, filter, MAX_PAGE).await
}

async fn refresh<A: Api>(
    client: &A,
    head: Option<Filter>,
    inflight: Option<Filter>,
    tracked: Vec<String>,
    extra: Vec<String>,
) -> Result<Outcome, FetchError> {
    let (head, running) = tokio::join!(
        async {
            match &head {
                Some(f) => list_all(client, f).await,
                None => Ok(Page::default()),
            }
        },
        async {
            match &inflight {
                Some(f) => list_all(client, f).await,
                None => Ok(Page::default()),
            }
        },
    );
    let (head, running) = (head?, running?);
    let unkept = head.unkept.union(running.unkept);
    let mut seen = head.jobs;
    let head_newest = seen.iter().map(|j| j.created).max();
    seen.extend(running.jobs);
    // A tracked job neither listing shows has left InProgress: one Get says
    // how it ended.
    let listed: HashSet<&str> = seen.iter().map(|j| j.job_arn.as_str()).collect();
    let finals: HashSet<&str> = seen
        .iter()
        .filter(|j| j.status.is_final())
        .map(|j| j.job_arn.as_str())
        .collect();
    let mut ask: Vec<String> = tracked
        .into_iter()
        .filter(|a| !listed.contains(a.as_str()))
        .collect();
    ask.extend(extra.into_iter().filter(|a| !finals.contains(a.as_str())));
    ask.dedup();
    let results: Vec<(String, Result<CopyJob, FetchError>)> = futures::stream::iter(ask)
        .map(|arn| async move {
            let r = client.get_job(&arn).await;
            (arn, r)
        })
        .buffer_unordered(GET_CONCURRENCY)
        .collect()
        .await;
    let mut gone = Vec::new();
    // One failed Get must not throw the others' answers away: with 21 jobs
    // and 30 % of requests failing, a refresh that needs every one
    // succeeds once in 1,800 tries.
    let unanswered = take_answers(results, &mut seen, &mut gone);
    Ok(Outcome::Refresh {
        seen,
        gone,
        head_newest,
        unkept,
        unanswered,
    })
}

/// Asks the Gets a refresh left unanswered again, each under `policy`
/// (its waits and attempts), when the caller retries (the headless verbs):
/// only those, never the listings and Gets that answered. What still fails
/// stays unanswered, for the source's backoff.
pub async fn ask_again<A: Api>(
    client: &A,
    outcome: Outcome,
    policy: RetryPolicy,
    note: impl Fn(&RetryNote) + Copy,
) -> Outcome {
    let Outcome::Refresh {
        mut seen,
        mut gone,
        head_newest,
        unkept,
        unanswered: Some(unanswered),
    } = outcome
    else {
        return outcome;
    };
    let results: Vec<(String, Result<CopyJob, FetchError>)> =
        futures::stream::iter(unanswered.arns)
            .map(|arn| async move {
                // Gets throttled together wait apart.
                let policy = policy.salted(super::backoff::of_text(&arn));
                let r = policy.run(|| client.get_job(&arn), note).await;
                (arn, r)
            })
            .buffer_unordered(GET_CONCURRENCY)
            .collect()
            .await;
    let unanswered = take_answers(results, &mut seen, &mut gone);
    Outcome::Refresh {
        seen,
        gone,
        head_newest,
        unkept,
        unanswered,
    }
}

/// Sorts Gets' answers: a job into `seen`, one the service no longer knows
/// into `gone`, the others (with the first error) into what is returned.
fn take_answers(
    results: Vec<(String, Result<CopyJob, FetchError>)>,
    seen: &mut Vec<CopyJob>,
    gone: &mut Vec<String>,
) -> Option<Unanswered> {
    let mut unanswered: Option<Unanswered> = None;
    for (arn, r) in results {
        match r {
            Ok(job) => seen.push(job),
            Err(e) if e.kind == ErrorKind::NotFound => gone.push(arn),
            Err(e) => match &mut unanswered {
                Some(u) => u.arns.push(arn),
                None => {
                    unanswered = Some(Unanswered {
                        error: e,
                        arns: vec![arn],
                    })
                }
            },
        }
    }
    unanswered
}

/// Page sizes for reading the last stretch of a re-read: new jobs pushed the
/// old end a little further down, and small pages keep the re-read from
/// loading much more than was there.
const TAIL_PAGES: [usize; 4] = [10, 50, 250, 1000];

/// Re-reads from the top until `min_rows` are in and `until` is reached.
async fn reread<A: Api>(
    client: &A,
    filter: &Filter,
    min_rows: usize,
    until: Option<Key>,
) -> Result<Page, FetchError> {
    let mut all = Page::default();
    let mut resume = Resume::default();
    let mut tail = TAIL_PAGES.iter().copied();
    loop {
        let size = if all.jobs.len() < min_rows {
            MAX_PAGE.min(min_rows - all.jobs.len()).max(1)
        } else {
            tail.next().unwrap_or(MAX_PAGE)
        };
        let paged = pager::page_after(client, filter, size, &resume).await?;
        resume.advance(&paged);
        if resume.unkept.breaks_paging() {
            // "Past the old frontier" means nothing out of order: all of it.
            return pager::read_whole(client, filter, MAX_PAGE, resume.unkept).await;
        }
        all.jobs.extend(paged.page.jobs);
        all.next_token = paged.page.next_token;
        let covered = all.jobs.len() >= min_rows
            && until.as_ref().is_none_or(|u| {
                all.jobs
                    .last()
                    .is_some_and(|j| display_cmp(filter.sort, job_pos(j), key_pos(u)).is_ge())
            });
        if covered || !resume.more() {
            all.unkept = resume.unkept;
            return Ok(all);
        }
    }
}
