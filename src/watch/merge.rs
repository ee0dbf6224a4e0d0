//! The k-way merge: each answer's jobs observed into the sorted rows (a
//! batch of removals and insertions, rebuilt once per answer), pinned rows
//! kept current, and the threshold that says how far the table may show
//! while sources are still being read.

use super::{Engine, Event, Row, Threshold};
use crate::aws::Page;
use crate::domain::job::{CopyJob, Status};
use crate::watch::order::{Key, display_cmp, job_pos, key_pos};
use crate::watch::source::{Busy, RESEEN, Source, Tracked};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// Where an observed job comes from: what it may do to the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Seen {
    /// A page of the view's listing: it belongs in the table.
    Listed,
    /// Read with the first page to know more (jobs in flight the filter
    /// hides, the newest job): in the table only where the listing is read.
    Quietly,
    /// A refresh: changes and arrivals are events.
    Refreshed,
    /// `r`: the listing read again, its changes events.
    Reread,
}

/// Rows to remove and to add, gathered over one answer so the sorted rows are
/// rebuilt once.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) remove: Vec<usize>,
    pub(super) insert: Vec<Row>,
    pub(super) changed: bool,
    pub(super) events: Vec<Event>,
    pub(super) seen: Vec<CopyJob>,
    pub(super) unkept: crate::domain::promises::Unkept,
}

impl Engine {
    /// The source's listing read again from the top (`r`), or whole: its
    /// rows that the answer no longer lists have left the filter.
    pub(super) fn replace(
        &mut self,
        i: usize,
        page: Page,
        at: DateTime<Utc>,
        how: Seen,
        batch: &mut Batch,
    ) {
        let (every, sort) = (self.every, self.sort());
        let s = &mut self.sources[i];
        s.next_refresh = Some(at + every);
        s.next_token = page.next_token;
        if let Some(last) = page.jobs.last() {
            s.frontier = Some(Key::edge(last.created, sort));
        }
        let id = s.id;
        let seen: HashSet<&str> = page.jobs.iter().map(|j| j.job_arn.as_str()).collect();
        for (k, r) in self.rows.iter().enumerate() {
            if r.source == id
                && !seen.contains(r.job.job_arn.as_str())
                && self.sources[i].read_past(sort, &Key::of(&r.job))
            {
                batch.remove.push(k);
            }
        }
        self.observe_all(i, page.jobs, at, how, batch);
    }

    /// A part of a whole listing read in windows: its jobs, and how far
    /// the listing is read now. Until the last part the source holds the
    /// rows past that back, as a source paged lazily holds them past its
    /// frontier, so several sources' parts merge in order; and its call
    /// stays out (`busy`), so a request due meanwhile waits for the last.
    pub(super) fn part(
        &mut self,
        i: usize,
        page: crate::aws::Page,
        past: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
        batch: &mut Batch,
    ) {
        let (every, sort) = (self.every, self.sort());
        let newest = page.jobs.iter().map(|j| j.created).max();
        let s = &mut self.sources[i];
        s.first_done = true;
        // More to come: the call is still out, and the source not read to
        // its end (a token no request carries: the windows read the rest).
        s.busy = past.map(|_| Busy::First);
        s.next_token = past.map(|_| String::new());
        let reached = past.or(page.jobs.last().map(|j| j.created));
        if let Some(t) = reached {
            s.frontier = Some(Key::edge(t, sort));
        }
        s.next_refresh = Some(at + every);
        s.watermark = s.watermark.max(newest);
        batch.changed = true;
        self.observe_all(i, page.jobs, at, Seen::Listed, batch);
    }

    /// Observes each job once: a job seen twice in one answer keeps the
    /// final of its statuses (a final status never goes back).
    pub(super) fn observe_all(
        &mut self,
        i: usize,
        jobs: Vec<CopyJob>,
        at: DateTime<Utc>,
        how: Seen,
        batch: &mut Batch,
    ) {
        let mut order: Vec<String> = Vec::with_capacity(jobs.len());
        let mut by_arn: HashMap<String, CopyJob> = HashMap::with_capacity(jobs.len());
        for job in jobs {
            match by_arn.get(&job.job_arn) {
                Some(prev) if prev.status.is_final() || !job.status.is_final() => {}
                Some(_) => {
                    by_arn.insert(job.job_arn.clone(), job);
                }
                None => {
                    order.push(job.job_arn.clone());
                    by_arn.insert(job.job_arn.clone(), job);
                }
            }
        }
        for arn in order {
            if let Some(job) = by_arn.remove(&arn) {
                self.observe(i, job, at, how, batch);
            }
        }
    }

    pub(super) fn find(&self, job: &CopyJob) -> Result<usize, usize> {
        let sort = self.sort();
        self.rows
            .binary_search_by(|r| display_cmp(sort, job_pos(&r.job), job_pos(job)))
    }

    /// One job as the service shows it now: tracked or not, in the table or
    /// not, and an event when a job seen in this session changed.
    pub(super) fn observe(
        &mut self,
        i: usize,
        job: CopyJob,
        at: DateTime<Utc>,
        how: Seen,
        batch: &mut Batch,
    ) {
        let sort = self.sort();
        let key = Key::of(&job);
        let loud = matches!(how, Seen::Refreshed | Seen::Reread);
        let listed = matches!(how, Seen::Listed | Seen::Reread);
        let lag = self.lag;
        let s = &mut self.sources[i];
        // New to the session: created after the newest job seen, or just
        // below it, where a job may become visible late. Older jobs read for
        // the first time (a re-read reaching further) are not news.
        let recent = s.watermark.is_none_or(|w| job.created > w - lag);
        // Who is waited for: the dashboard and `watch` follow every running
        // job they see; `wait` only the ones it started with (named, or read
        // by its first listing), never a newcomer its in-flight listing shows.
        let may_track =
            s.tracked.contains_key(&job.job_arn) || (self.view && (self.follow_new || !loud));
        let was_tracked = if job.status.is_final() {
            s.tracked.remove(&job.job_arn)
        } else if may_track {
            let mut now_tracked = Tracked::of(&job, s.asked);
            let before = s.tracked.get(&job.job_arn);
            now_tracked.reported = before
                .filter(|t| t.status == job.status)
                .and_then(|t| t.reported);
            s.tracked.insert(job.job_arn.clone(), now_tracked)
        } else {
            None
        };
        // When this source last saw it as it was: the change came after.
        let last_seen = was_tracked.as_ref().and_then(|t| t.seen);
        let was_tracked = was_tracked.map(|t| t.status);
        let id = s.id;
        let covered = s.covers(sort, &key);
        let found = self.find(&job);
        // A job of the listing itself belongs in the table (shown once every
        // source is read past it), as does a row it already has; another
        // belongs there only where the listing has been read. Only a change
        // of status takes a job out of the filter.
        let wanted = (listed || found.is_ok() || covered)
            && self
                .filter
                .status
                .as_ref()
                .is_none_or(|st| *st == job.status);
        let pinned_status = self.pin_update(&job, at);
        let row_status = found.ok().map(|k| self.rows[k].job.status.clone());
        if self.report_seen {
            let report = if job.status.is_final() {
                row_status.as_ref() != Some(&job.status)
                    && pinned_status.as_ref() != Some(&job.status)
            } else {
                // Running: told once a RESEEN while unchanged.
                match self.sources[i].tracked.get_mut(&job.job_arn) {
                    Some(t) if t.reported.is_some_and(|r| at - r < RESEEN) => false,
                    Some(t) => {
                        t.reported = Some(at);
                        true
                    }
                    None => true,
                }
            };
            if report {
                batch.seen.push(job.clone());
            }
        }
        let before = row_status
            .clone()
            .or(pinned_status.clone())
            .or(if !self.view || wanted {
                was_tracked
            } else {
                None
            });
        let changed = before.as_ref().is_some_and(|b| *b != job.status);
        // Not in the table before, wanted now, and recent: new, or visible late.
        let appeared = before.is_none() && wanted && recent;
        if loud && (changed || appeared) {
            batch.events.push(Event {
                job: job.clone(),
                source: id,
                from: before.clone(),
                pinned: pinned_status.is_some(),
                last_seen: last_seen.filter(|_| changed),
            });
        }
        let since = (loud && (changed || appeared)).then_some(at);
        match (found, wanted) {
            (Ok(k), true) => {
                let row = &mut self.rows[k];
                if row.job != job {
                    batch.changed = true;
                }
                if since.is_some() {
                    row.since = since;
                }
                row.job = job;
            }
            (Ok(k), false) => batch.remove.push(k),
            (Err(_), true) => batch.insert.push(Row {
                job,
                source: id,
                since,
            }),
            (Err(_), false) => {}
        }
    }

    /// Keeps a pinned copy current; returns its status before, if pinned.
    pub(super) fn pin_update(&mut self, job: &CopyJob, at: DateTime<Utc>) -> Option<Status> {
        let p = self
            .pinned
            .iter_mut()
            .find(|r| r.job.job_arn == job.job_arn)?;
        let before = p.job.status.clone();
        if before != job.status {
            p.since = Some(at);
        }
        p.job = job.clone();
        Some(before)
    }

    /// Applies a batch's removals and insertions with one pass over the rows.
    pub(super) fn commit(&mut self, batch: &mut Batch) -> bool {
        if batch.remove.is_empty() && batch.insert.is_empty() {
            return false;
        }
        let sort = self.sort();
        if !batch.remove.is_empty() {
            batch.remove.sort_unstable();
            batch.remove.dedup();
            let mut next = batch.remove.iter().peekable();
            let mut k = 0usize;
            self.rows.retain(|_| {
                let drop = next.peek().is_some_and(|&&r| r == k);
                if drop {
                    next.next();
                }
                k += 1;
                !drop
            });
        }
        if !batch.insert.is_empty() {
            let mut fresh = std::mem::take(&mut batch.insert);
            fresh.sort_by(|a, b| display_cmp(sort, job_pos(&a.job), job_pos(&b.job)));
            let old = std::mem::take(&mut self.rows);
            let mut rows = Vec::with_capacity(old.len() + fresh.len());
            let mut a = old.into_iter().peekable();
            let mut b = fresh.into_iter().peekable();
            loop {
                let take_old = match (a.peek(), b.peek()) {
                    (Some(x), Some(y)) => {
                        display_cmp(sort, job_pos(&x.job), job_pos(&y.job)).is_le()
                    }
                    (Some(_), None) => true,
                    (None, Some(_)) => false,
                    (None, None) => break,
                };
                let next = if take_old { a.next() } else { b.next() };
                rows.extend(next);
            }
            rows.dedup_by(|x, y| x.job.job_arn == y.job.job_arn);
            self.rows = rows;
        }
        true
    }

    /// Rows are shown up to the frontier that comes first in display order
    /// among the sources still to be read.
    pub(super) fn recompute_shown(&mut self) {
        self.shown = match self.threshold() {
            Threshold::All => self.rows.len(),
            Threshold::Nothing => 0,
            Threshold::Upto(t) => {
                let sort = self.sort();
                self.rows
                    .partition_point(|r| display_cmp(sort, job_pos(&r.job), key_pos(&t)).is_le())
            }
        };
    }

    /// How far the table may show: every source still to be read has been
    /// read past this place. What a fresh listing holds up to here is what
    /// the table must hold, row for row.
    pub fn threshold(&self) -> Threshold {
        let sort = self.sort();
        if !self.view {
            return Threshold::All;
        }
        // A failing source holds nothing back while another is read; when
        // every source still to be read is failing, what they have read is
        // shown as it was (no row flickers in as they fail and out as they
        // recover).
        let any_holds = self.sources.iter().any(Source::holds);
        let mut threshold: Option<&Key> = None;
        let limiting = self
            .sources
            .iter()
            .filter(|s| s.holds() || (!any_holds && s.first_done && !s.exhausted()));
        for s in limiting {
            match (&s.frontier, s.first_done) {
                (Some(f), true) => {
                    if threshold.is_none_or(|t| display_cmp(sort, key_pos(f), key_pos(t)).is_lt()) {
                        threshold = Some(f);
                    }
                }
                _ => return Threshold::Nothing,
            }
        }
        match threshold {
            None => Threshold::All,
            Some(t) => Threshold::Upto(t.clone()),
        }
    }
}
