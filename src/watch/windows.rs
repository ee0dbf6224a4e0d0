//! Reading a whole listing in parallel. ListModelCopyJobs pages are a chain
//! (each token comes from the page before), but creation-time windows are
//! independent listings: after the first page, the rest of the range is cut
//! into windows read at once, a few at a time, and handed on in order.
//!
//! Windows are half-open in milliseconds, `[lo, hi)`, asked as
//! `creationTimeAfter = lo - 1 ms` and `creationTimeBefore = hi` (both
//! bounds are strict), so neighbours share no instant and miss none. The
//! first page's jobs at its last instant are left to the windows, so jobs
//! tied on that instant are read once, in the service's order.
//!
//! Throttling lowers the concurrency: a window whose request was throttled
//! gives its slot up for good (down to one), so a busy service sees fewer
//! requests at once while nothing is lost or repeated.

use super::exec::Api;
use super::retry::{RetryNote, RetryPolicy};
use crate::aws::{ErrorKind, FetchError};
use crate::domain::job::CopyJob;
use crate::domain::query::{Filter, Sort};
use chrono::{DateTime, Duration, Utc};
use futures::StreamExt;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use tokio::sync::Semaphore;

/// Windows per unit of concurrency: more windows than slots keep every slot
/// busy when jobs cluster in time (working hours, bursts).
const WINDOWS_PER_SLOT: i64 = 8;

/// `[lo, hi)` in the order the listing hands them out.
pub fn plan(
    lo: DateTime<Utc>,
    hi: DateTime<Utc>,
    count: i64,
    sort: Sort,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let (lo_ms, hi_ms) = (lo.timestamp_millis(), hi.timestamp_millis());
    let span = (hi_ms - lo_ms).max(1);
    let count = count.clamp(1, span);
    let at = |i: i64| {
        let ms = lo_ms + span * i / count;
        DateTime::from_timestamp_millis(ms).unwrap_or(lo)
    };
    let mut out: Vec<_> = (0..count).map(|i| (at(i), at(i + 1))).collect();
    if sort == Sort::NewestFirst {
        out.reverse();
    }
    out
}

/// The window as a filter: the user's filter narrowed to `[lo, hi)`.
fn narrowed(filter: &Filter, lo: DateTime<Utc>, hi: DateTime<Utc>) -> Filter {
    let after = lo - Duration::milliseconds(1);
    Filter {
        created_after: Some(filter.created_after.map_or(after, |a| a.max(after))),
        created_before: Some(filter.created_before.map_or(hi, |b| b.min(hi))),
        ..filter.clone()
    }
}

/// Every page of one window, with the retries of the headless verbs.
async fn read_window<A: Api>(
    api: &A,
    filter: Filter,
    page_size: usize,
    retry: RetryPolicy,
    throttled: &AtomicBool,
) -> Result<Vec<CopyJob>, FetchError> {
    let note = |n: &RetryNote| {
        if n.kind == ErrorKind::Throttled {
            throttled.store(true, Ordering::Relaxed);
        }
        super::retry::stderr_note(n);
    };
    let mut jobs = Vec::new();
    let mut token = None;
    loop {
        let page = retry
            .run(|| api.list_page(&filter, page_size, token.clone()), note)
            .await?;
        jobs.extend(page.jobs);
        match page.next_token {
            Some(t) => token = Some(t),
            None => return Ok(jobs),
        }
    }
}

/// Reads the whole listing of `filter`, `concurrency` windows at a time,
/// handing `each` the jobs in the listing's order as soon as everything
/// before them has been handed on.
pub async fn read<A: Api, B>(
    api: &A,
    filter: &Filter,
    page_size: usize,
    concurrency: usize,
    retry: RetryPolicy,
    mut each: impl FnMut(Vec<CopyJob>) -> ControlFlow<B>,
) -> Result<Option<B>, FetchError> {
    let note = super::retry::stderr_note;
    let first = retry
        .run(|| api.list_page(filter, page_size, None), note)
        .await?;
    let Some(last) = first.jobs.last().map(|j| j.created) else {
        return Ok(None);
    };
    if first.next_token.is_none() {
        return Ok(match each(first.jobs) {
            ControlFlow::Break(b) => Some(b),
            ControlFlow::Continue(()) => None,
        });
    }
    // The far end of the range: the first job of the opposite order.
    let reversed = Filter {
        sort: filter.sort.toggled(),
        ..filter.clone()
    };
    let far = retry
        .run(|| api.list_page(&reversed, 1, None), note)
        .await?
        .jobs
        .first()
        .map_or(last, |j| j.created);
    // The first page, but for its last instant (the windows read that).
    let head: Vec<CopyJob> = first
        .jobs
        .into_iter()
        .filter(|j| j.created != last)
        .collect();
    if let ControlFlow::Break(b) = each(head) {
        return Ok(Some(b));
    }
    let one = Duration::milliseconds(1);
    let (lo, hi) = match filter.sort {
        Sort::NewestFirst => (far, last + one),
        Sort::OldestFirst => (last, far + one),
    };
    let slots = concurrency.max(1);
    let windows = plan(lo, hi, slots as i64 * WINDOWS_PER_SLOT, filter.sort);
    let gate = Arc::new(Semaphore::new(slots));
    let open = AtomicUsize::new(slots);
    let mut stream = futures::stream::iter(windows)
        .map(|(lo, hi)| {
            let (gate, open, f) = (gate.clone(), &open, narrowed(filter, lo, hi));
            async move {
                let permit = gate.acquire_owned().await.map_err(|_| {
                    FetchError::new(ErrorKind::Other, "the reader was closed", None)
                })?;
                let throttled = AtomicBool::new(false);
                let jobs = read_window(api, f, page_size, retry, &throttled).await;
                // Throttled: give the slot up for good, down to one.
                let shrink = throttled.load(Ordering::Relaxed)
                    && open
                        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                            (n > 1).then(|| n - 1)
                        })
                        .is_ok();
                if shrink {
                    permit.forget();
                }
                jobs
            }
        })
        // Every window may be under way; the gate lets `slots` read at once,
        // so a slow window never keeps a free slot idle behind it.
        .buffered(slots * WINDOWS_PER_SLOT as usize);
    while let Some(window) = stream.next().await {
        if let ControlFlow::Break(b) = each(window?) {
            return Ok(Some(b));
        }
    }
    Ok(None)
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
    fn a_window_keeps_the_users_bounds() {
        let f = Filter {
            created_after: Some(t(50)),
            ..Filter::default()
        };
        let w = narrowed(&f, t(10), t(100));
        assert_eq!(w.created_after, Some(t(50)));
        assert_eq!(w.created_before, Some(t(100)));
        let w = narrowed(&Filter::default(), t(10), t(100));
        assert_eq!(w.created_after, Some(t(9)), "strict: 10 itself is in");
    }
}
