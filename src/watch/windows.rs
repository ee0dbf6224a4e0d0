//! Reading a whole listing in parallel. ListModelCopyJobs pages are a chain
//! (each token comes from the page before), but creation-time windows are
//! independent listings: after the first page, the rest of the range is cut
//! into windows read at once, a few at a time, and handed on in order.
//!
//! Windows are half-open, `[lo, hi)`, to the microsecond (the finest time
//! the wire carries), asked as `creationTimeAfter = lo - 1 µs` and
//! `creationTimeBefore = hi` and kept strictly inside those bounds whatever
//! the service does at a bound, so neighbours share no instant and miss
//! none, at any precision of the service's times. The first page's jobs at
//! its last instant are left to the windows, so jobs tied on that instant
//! are read once; each window is handed on in display order (creation time,
//! then ARN), whatever order the service gives ties. A window pages on by
//! creation time when the service refuses its tokens.
//!
//! The windows rest on the service's order and bounds: every page is
//! checked (`domain::promises`), and when one shows them broken the read
//! falls back to [`pager::read_whole`] for what it has not handed on yet,
//! which the part says (the driver says it once on stderr). Nothing is lost
//! either way.
//!
//! Throttling lowers the concurrency: a window whose request was throttled
//! gives its slot up for good (down to one), so a busy service sees fewer
//! requests at once while nothing is lost or repeated. The slots are a
//! [`Gate`], which the sources of one read share: `--concurrency` caps the
//! windows read at once however many sources are listed.
//!
//! This is the engine's way to read a whole listing (`Call::Windows`, run
//! by `exec`): each batch handed on says how far the listing has been read
//! ([`Part::past`]), which is what the engine's merge needs to show rows.

use super::api::Api;
use super::order::{display_cmp, job_pos};
use super::pager::{self, Resume, page_after, tick};
use super::retry::{RetryNote, RetryPolicy};
use crate::aws::{ErrorKind, FetchError};
use crate::domain::job::CopyJob;
use crate::domain::promises::Unkept;
use crate::domain::query::{Filter, Sort};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Windows per unit of concurrency: more windows than slots keep every slot
/// busy when jobs cluster in time (working hours, bursts).
const WINDOWS_PER_SLOT: i64 = 8;

/// Windows read at once unless told otherwise (`list --concurrency`'s
/// default, and the window reads'): a few, to be quick without being
/// throttled.
pub const DEFAULT_SLOTS: usize = 4;

/// `[lo, hi)` in the order the listing hands them out.
pub fn plan(
    lo: DateTime<Utc>,
    hi: DateTime<Utc>,
    count: i64,
    sort: Sort,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let (lo_us, hi_us) = (lo.timestamp_micros(), hi.timestamp_micros());
    let span = (hi_us - lo_us).max(1);
    let count = count.clamp(1, span);
    let at = |i: i64| {
        let us = lo_us + i128_mul_div(span, i, count);
        DateTime::from_timestamp_micros(us).unwrap_or(lo)
    };
    let mut out: Vec<_> = (0..count).map(|i| (at(i), at(i + 1))).collect();
    if sort == Sort::NewestFirst {
        out.reverse();
    }
    out
}

/// How many windows cut a range `span` long, after a first page of `jobs`
/// spread over `over`: every slot busy, and more where the range holds many
/// pages (so a slot freed early finds work where jobs cluster), but no more
/// than twice the pages it likely holds at the first page's density: each
/// window costs a request or more however few jobs it holds, and a window
/// holding more than a page pages on within itself, so a wrong guess costs
/// time, never a job.
fn window_count(
    slots: usize,
    (jobs, over): (usize, chrono::Duration),
    span: chrono::Duration,
    page_size: usize,
) -> i64 {
    let slots = slots as i64;
    let most = slots * WINDOWS_PER_SLOT;
    let (over, span) = (over.num_microseconds(), span.num_microseconds());
    let (Some(over), Some(span)) = (over.filter(|o| *o > 0), span) else {
        return most;
    };
    let likely = i128_mul_div(span, jobs as i64, over);
    let pages = likely / (page_size.max(1) as i64) + 1;
    (pages * 2).clamp(slots, most)
}

/// `a * b / c` without overflow (spans of centuries in microseconds).
fn i128_mul_div(a: i64, b: i64, c: i64) -> i64 {
    i64::try_from(i128::from(a) * i128::from(b) / i128::from(c.max(1))).unwrap_or(a)
}

/// The window as a filter: the user's filter narrowed to `[lo, hi)`.
fn narrowed(filter: &Filter, lo: DateTime<Utc>, hi: DateTime<Utc>) -> Filter {
    let after = lo - tick();
    Filter {
        created_after: Some(filter.created_after.map_or(after, |a| a.max(after))),
        created_before: Some(filter.created_before.map_or(hi, |b| b.min(hi))),
        ..filter.clone()
    }
}

/// The jobs past `t` at the far end of the listing (older than `t`, newest
/// first): none, where `t` is that end.
fn beyond_far_end(filter: &Filter, t: DateTime<Utc>) -> Filter {
    match filter.sort {
        Sort::OldestFirst => Filter {
            created_after: Some(filter.created_after.map_or(t, |a| a.max(t))),
            ..filter.clone()
        },
        Sort::NewestFirst => Filter {
            created_before: Some(filter.created_before.map_or(t, |b| b.min(t))),
            ..filter.clone()
        },
    }
}

/// The windows read at once, shared by every source of a read: a window
/// holds a slot while it reads, and one that was throttled gives its slot up
/// for good, down to one.
#[derive(Debug)]
pub struct Gate {
    permits: Arc<Semaphore>,
    open: AtomicUsize,
    slots: usize,
}

impl Gate {
    pub fn new(slots: usize) -> Gate {
        let slots = slots.max(1);
        Gate {
            permits: Arc::new(Semaphore::new(slots)),
            open: AtomicUsize::new(slots),
            slots,
        }
    }

    /// The slots it started with: how many windows a read plans.
    pub fn slots(&self) -> usize {
        self.slots
    }

    /// Slots given up for good because the service throttled.
    pub fn given_up(&self) -> usize {
        self.slots - self.open.load(Ordering::Relaxed)
    }

    pub(super) async fn enter(&self) -> Result<OwnedSemaphorePermit, FetchError> {
        self.permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| FetchError::new(ErrorKind::Other, "the reader was closed", None))
    }

    /// A window leaves its slot; throttled, it takes the slot with it
    /// (while more than one is open).
    pub(super) fn leave(&self, permit: OwnedSemaphorePermit, throttled: bool) {
        let shrink = throttled
            && self
                .open
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                    (n > 1).then(|| n - 1)
                })
                .is_ok();
        if shrink {
            permit.forget();
        }
    }
}

/// How a parallel read runs: its slots, the retries of each request, and
/// who hears each retry's wait (stderr for the verbs, nobody under the
/// dashboard, whose screen stderr would scroll).
#[derive(Debug, Clone)]
pub struct Windowed {
    pub gate: Arc<Gate>,
    pub retry: RetryPolicy,
    pub note: fn(&RetryNote),
}

impl Windowed {
    pub fn new(slots: usize, retry: RetryPolicy, note: fn(&RetryNote)) -> Windowed {
        Windowed {
            gate: Arc::new(Gate::new(slots)),
            retry,
            note,
        }
    }
}

/// A batch handed on, in the listing's order: with it, every job on this
/// side of `past` (newer than it, newest first; older, oldest first) has
/// been handed on; `None`, every job of the listing. `unkept`: what the
/// service was seen to break so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub jobs: Vec<CopyJob>,
    pub past: Option<DateTime<Utc>>,
    pub unkept: Unkept,
}

/// Every page of one window, with the retries of `how`, and what the
/// service broke in them.
async fn read_window<A: Api>(
    api: &A,
    filter: Filter,
    page_size: usize,
    how: &Windowed,
    retry: RetryPolicy,
    throttled: &AtomicBool,
) -> Result<(Vec<CopyJob>, Unkept), FetchError> {
    let note = |n: &RetryNote| {
        if n.kind == ErrorKind::Throttled {
            throttled.store(true, Ordering::Relaxed);
        }
        (how.note)(n);
    };
    let mut jobs = Vec::new();
    let mut resume = Resume::default();
    loop {
        let paged = retry
            .run(|| page_after(api, &filter, page_size, &resume), note)
            .await?;
        resume.advance(&paged);
        jobs.extend(paged.page.jobs);
        if resume.unkept.breaks_paging() || !resume.more() {
            jobs.sort_by(|a, b| display_cmp(filter.sort, job_pos(a), job_pos(b)));
            return Ok((jobs, resume.unkept));
        }
    }
}

/// Reads the whole listing of `filter` in windows, `how.gate`'s slots at a
/// time, handing `each` each batch in the listing's order as soon as
/// everything before it has been handed on, with how far that reaches.
pub async fn read_parts<A: Api, B>(
    api: &A,
    filter: &Filter,
    page_size: usize,
    how: &Windowed,
    each: impl FnMut(Part) -> ControlFlow<B>,
) -> Result<Option<B>, FetchError> {
    let (retry, note) = (how.retry, how.note);
    let mut first = retry
        .run(|| pager::first_page(api, filter, page_size), note)
        .await?;
    first
        .jobs
        .sort_by(|a, b| display_cmp(filter.sort, job_pos(a), job_pos(b)));
    let mut out = Handed::new(filter.sort, each);
    let last = first.jobs.last().map(|j| j.created);
    let Some(last) = last.filter(|_| first.next_token.is_some()) else {
        // The first page is the whole listing.
        out.ended = true;
        return Ok(out.hand(first.jobs, first.unkept).break_value());
    };
    let (far, mut unkept) = far_end(api, filter, &first.jobs, last, how, first.unkept).await?;
    if unkept.breaks_paging() {
        return out.whole(api, filter, page_size, how, unkept).await;
    }
    let top = first.jobs.first().map_or(last, |j| j.created);
    let density = (first.jobs.len(), (top - last).abs());
    // The first page, but for its last instant (the windows read that).
    let head: Vec<CopyJob> = first
        .jobs
        .into_iter()
        .filter(|j| j.created != last)
        .collect();
    out.past = Some(last);
    if let Some(b) = out.hand(head, unkept).break_value() {
        return Ok(Some(b));
    }
    let (lo, hi) = match filter.sort {
        Sort::NewestFirst => (far, last + tick()),
        Sort::OldestFirst => (last, far + tick()),
    };
    let slots = how.gate.slots();
    let count = window_count(slots, density, hi - lo, page_size);
    let windows = plan(lo, hi, count, filter.sort);
    let mut stream = futures::stream::iter(windows)
        .map(|(lo, hi)| {
            let f = narrowed(filter, lo, hi);
            async move {
                let permit = how.gate.enter().await?;
                let throttled = AtomicBool::new(false);
                // Windows throttled together wait apart.
                let retry = retry.salted(lo.timestamp_micros() as u64);
                let jobs = read_window(api, f, page_size, how, retry, &throttled).await;
                how.gate.leave(permit, throttled.load(Ordering::Relaxed));
                jobs.map(|(jobs, unkept)| (jobs, unkept, lo, hi))
            }
        })
        // Every window may be under way; the gate lets `slots` read at once,
        // so a slow window never keeps a free slot idle behind it.
        .buffered(slots * WINDOWS_PER_SLOT as usize);
    while let Some(window) = stream.next().await {
        let (jobs, broke, lo, hi) = window?;
        unkept = unkept.union(broke);
        if broke.breaks_paging() {
            drop(stream);
            return out.whole(api, filter, page_size, how, unkept).await;
        }
        // Handed on: every job of the window, as the service bounded it.
        out.past = Some(match filter.sort {
            Sort::NewestFirst => lo - tick(),
            Sort::OldestFirst => hi,
        });
        if let Some(b) = out.hand(jobs, unkept).break_value() {
            return Ok(Some(b));
        }
    }
    out.ended = true;
    Ok(out.hand(Vec::new(), unkept).break_value())
}

/// The far end of the range a listing spans past its first page (`head`,
/// its last instant `last`): the first job of the opposite order, with what
/// the service was seen to break on the way.
async fn far_end<A: Api>(
    api: &A,
    filter: &Filter,
    head: &[CopyJob],
    last: DateTime<Utc>,
    how: &Windowed,
    mut unkept: Unkept,
) -> Result<(DateTime<Utc>, Unkept), FetchError> {
    let (retry, note) = (how.retry, how.note);
    let reversed = Filter {
        sort: filter.sort.toggled(),
        ..filter.clone()
    };
    let far_page = retry
        .run(|| pager::first_page(api, &reversed, 1), note)
        .await?;
    unkept = unkept.union(far_page.unkept);
    let far = far_page.jobs.first().map_or(last, |j| j.created);
    // The far end lies beyond the first page, or the order is not the one asked.
    unkept.order |= display_cmp(filter.sort, (far, ""), (last, "")).is_lt();
    // The windows cover the range between the two ends: a service that
    // lists in another order may have named neither, so the first page is
    // checked to hold every job from its last up, and nothing may lie
    // beyond the far end, before the range is trusted.
    let past_far = beyond_far_end(filter, far);
    let (checked, beyond_far) = tokio::join!(
        retry.run(|| pager::check_head(api, filter, head), note),
        retry.run(|| pager::first_page(api, &past_far, 1), note),
    );
    let beyond_far = beyond_far?;
    unkept = unkept.union(checked?).union(beyond_far.unkept);
    unkept.order |= !beyond_far.jobs.is_empty();
    Ok((far, unkept))
}

/// What the read has handed on: with the windows' order kept, every job
/// on this side of `past` (newer than it, newest first; older, oldest
/// first), so a fallback hands on only the rest.
struct Handed<F> {
    sort: Sort,
    each: F,
    past: Option<DateTime<Utc>>,
    /// Every job has been handed on: the part says so (`past` None).
    ended: bool,
}

/// What handing a batch on led to.
struct Handing<B>(ControlFlow<B>);

impl<B> Handing<B> {
    fn break_value(self) -> Option<B> {
        match self.0 {
            ControlFlow::Break(b) => Some(b),
            ControlFlow::Continue(()) => None,
        }
    }
}

impl<B, F: FnMut(Part) -> ControlFlow<B>> Handed<F> {
    fn new(sort: Sort, each: F) -> Self {
        Handed {
            sort,
            each,
            past: None,
            ended: false,
        }
    }

    /// Hands `jobs` on, with how far the listing is read: to `past`, or to
    /// its end once `ended`.
    fn hand(&mut self, jobs: Vec<CopyJob>, unkept: Unkept) -> Handing<B> {
        let past = if self.ended { None } else { self.past };
        Handing((self.each)(Part { jobs, past, unkept }))
    }

    /// Whether a job created at `t` was handed on already.
    fn handed(&self, t: DateTime<Utc>) -> bool {
        self.past.is_some_and(|p| match self.sort {
            Sort::NewestFirst => t > p,
            Sort::OldestFirst => t < p,
        })
    }

    /// The service broke what the windows rest on: the whole listing by
    /// token, sorted and filtered here, less what was handed on.
    async fn whole<A: Api>(
        mut self,
        api: &A,
        filter: &Filter,
        page_size: usize,
        how: &Windowed,
        unkept: Unkept,
    ) -> Result<Option<B>, FetchError> {
        let page = how
            .retry
            .run(
                || pager::read_whole(api, filter, page_size, unkept),
                how.note,
            )
            .await?;
        let rest: Vec<CopyJob> = page
            .jobs
            .into_iter()
            .filter(|j| !self.handed(j.created))
            .collect();
        self.ended = true;
        Ok(self.hand(rest, page.unkept).break_value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(ms: i64) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(ms).unwrap()
    }

    #[test]
    fn windows_cover_the_range_once_in_the_listings_order() {
        for (lo, hi, n) in [(0, 1000, 4), (5, 6, 16), (0, 7, 16), (100, 100_000, 16)] {
            let asc = plan(t(lo), t(hi), n, Sort::OldestFirst);
            assert_eq!(asc.first().unwrap().0, t(lo));
            assert_eq!(asc.last().unwrap().1, t(hi));
            assert!(
                asc.windows(2).all(|w| w[0].1 == w[1].0),
                "no gap, no overlap"
            );
            assert!(asc.iter().all(|(a, b)| a < b), "none empty");
            let mut desc = plan(t(lo), t(hi), n, Sort::NewestFirst);
            desc.reverse();
            assert_eq!(desc, asc);
        }
    }

    #[test]
    fn a_small_range_is_cut_in_few_windows_a_large_one_in_many() {
        let secs = chrono::Duration::seconds;
        // 1,000 jobs over 100 s; 200 s more hold about 2,000: 2 pages of
        // 1,000, read as twice that many windows, never fewer than the slots.
        assert_eq!(window_count(4, (1000, secs(100)), secs(200), 1000), 6);
        assert_eq!(window_count(4, (1000, secs(100)), secs(50), 1000), 4);
        // Pages of 100: 20 pages and more, as many windows as slots allow.
        assert_eq!(window_count(4, (1000, secs(100)), secs(200), 100), 32);
        assert_eq!(window_count(1, (1000, secs(100)), secs(200), 100), 8);
        // A first page all of one instant says nothing of the density.
        assert_eq!(window_count(4, (1000, secs(0)), secs(200), 1000), 32);
    }

    #[test]
    fn a_window_keeps_the_users_bounds() {
        let f = Filter {
            created_after: Some(t(50)),
            ..Filter::default()
        };
        let w = narrowed(&f, t(10), t(100));
        assert_eq!(w.created_after, Some(t(50)));
        assert_eq!(w.created_before, Some(t(100)));
        let w = narrowed(&Filter::default(), t(10), t(100));
        assert_eq!(
            w.created_after,
            Some(t(10) - tick()),
            "strict: 10 itself is in"
        );
    }
}
