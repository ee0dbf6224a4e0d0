//! What the engine asks of a source: the first page's call, a refresh's
//! (only what can have changed), and where a paged listing resumes.

use super::Engine;
use crate::domain::job::Status;
use crate::domain::query::{Filter, Sort};
use crate::watch::call::Call;
use crate::watch::order::{Key, display_cmp, job_pos, key_pos};
use crate::watch::source::SourceId;
use chrono::{DateTime, Duration, Utc};

impl Engine {
    /// The ARNs of the loaded jobs created at `t`: where a listing paged by
    /// creation time starts again, they are not read twice.
    pub(super) fn arns_at(&self, t: DateTime<Utc>) -> Vec<String> {
        let sort = self.sort();
        let edge = Key::edge(t, sort);
        let from = self
            .rows
            .partition_point(|r| display_cmp(sort, job_pos(&r.job), key_pos(&edge)).is_lt());
        self.rows[from..]
            .iter()
            .take_while(|r| r.job.created == t)
            .map(|r| r.job.job_arn.clone())
            .collect()
    }

    /// The first page starts below the newest job (a status filter, or
    /// oldest first): the first call also asks for the newest job.
    pub(super) fn first_call_probes(&self) -> bool {
        self.filter.status.is_some() || self.filter.sort == Sort::OldestFirst
    }

    pub(super) fn first_call(&self) -> Call {
        let f = &self.filter;
        // Completed or Failed alone hides the running jobs that may finish
        // into view; anything but the plain newest-first listing may start
        // below the newest job, where "new" begins.
        let hides_running = matches!(f.status, Some(Status::Completed | Status::Failed));
        let below_head = self.first_call_probes();
        Call::First {
            filter: f.clone(),
            page_size: self.page_size,
            inflight: (self.follow_new && hides_running).then(|| Filter {
                status: Some(Status::InProgress),
                sort: Sort::NewestFirst,
                ..f.clone()
            }),
            probe: (self.follow_new && below_head).then(|| Filter {
                status: None,
                sort: Sort::NewestFirst,
                ..f.clone()
            }),
        }
    }

    pub(super) fn refresh_call(&self, i: usize) -> Option<Call> {
        let s = &self.sources[i];
        let f = &self.filter;
        let since = |t: DateTime<Utc>| {
            // Below the newest job seen: a job may become visible after
            // later ones did (and ties at that instant must not slip
            // through); what comes again is merged.
            let t = t - self.lag.max(crate::watch::pager::tick());
            Some(f.created_after.map_or(t, |a| a.max(t)))
        };
        let head = (self.view && self.follow_new)
            .then(|| Filter {
                status: None,
                sort: Sort::NewestFirst,
                created_after: s.watermark.map_or(f.created_after, since),
                ..f.clone()
            })
            .filter(|h| match (h.created_after, h.created_before) {
                (Some(a), Some(b)) => a < b,
                _ => true,
            });
        let tracked: Vec<String> = s.tracked.keys().cloned().collect();
        // The head lists every job created after its bound, running ones
        // included: when the oldest job in flight is above it, a listing
        // of the running jobs would only say again what the head says (one
        // request a source, not two, for recent copies in flight).
        let head_covers = head.as_ref().is_some_and(|h| {
            let oldest = s.tracked.values().map(|t| t.created).min();
            match (h.created_after, oldest) {
                (Some(a), Some(o)) => o > a,
                _ => true,
            }
        });
        let inflight = (tracked.len() >= 2 && !head_covers).then(|| {
            let oldest = s.tracked.values().map(|t| t.created).min();
            let base = if self.view {
                f.clone()
            } else {
                Filter::default()
            };
            Filter {
                status: Some(Status::InProgress),
                sort: Sort::NewestFirst,
                created_after: oldest.map(|t| {
                    let t = t - Duration::milliseconds(1);
                    base.created_after.map_or(t, |a| a.max(t))
                }),
                ..base
            }
        });
        let extra: Vec<String> = self
            .pinned
            .iter()
            .filter(|r| r.source == s.id && !r.job.status.is_final())
            .map(|r| r.job.job_arn.clone())
            .filter(|a| !s.tracked.contains_key(a))
            .collect();
        if head.is_none() && tracked.is_empty() && extra.is_empty() {
            return None;
        }
        Some(Call::Refresh {
            head,
            inflight,
            tracked,
            extra,
        })
    }
}

/// The wait before a source's first refresh: between half the interval and
/// all of it, a different share for each source, so sources that answered
/// together (an organisation's 300 at start) refresh spread over the
/// interval, not at once; each keeps its place after that, refreshing an
/// interval after its last answer. The first source waits the whole
/// interval, as a single source always did.
pub(super) fn phased(every: Duration, id: SourceId) -> Duration {
    // The golden ratio's fractional part, in thousandths: successive ids
    // land far apart, whatever their number.
    let share = (u64::from(id.0) * 618) % 1000;
    every - every * share as i32 / 2000
}
