//! The watching engine: every source's listing merged into one table, paged
//! only as far as the table needs, refreshed at the cost of what changed.
//!
//! Pure: it builds [`Request`]s and takes their [`Outcome`]s; the dashboard's
//! effects runner and the headless verbs run them. Completed and Failed are
//! final, so a refresh asks only for the jobs newer than the newest one known
//! and for the ones known to be in flight, whatever is loaded.

use super::call::{Call, Outcome, Request};
use super::order::{Key, display_cmp, key_pos};
use super::pager::Edge;
use super::source::{Busy, Source, SourceError, SourceId, SourceSpec, Tracked};
use crate::aws::FetchError;
use crate::domain::job::{CopyJob, Status};
use crate::domain::query::{Filter, Sort};
use chrono::{DateTime, Duration, Utc};

use super::pager::MAX_PAGE;

/// The merge of answers into the rows, in its own file.
#[path = "merge.rs"]
mod merge;
use merge::{Batch, Seen};

/// What each source is asked (first page, refresh) and when it refreshes,
/// in its own file.
#[path = "asks.rs"]
mod asks;
use asks::phased;

/// How far below the newest job a refresh looks again for jobs that became
/// visible late (`watch.visibility_lag`).
pub const DEFAULT_LAG: Duration = Duration::minutes(5);

/// A loaded job, where it came from, and when this session saw it reach its
/// current status (None: it already had it when first seen).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub job: CopyJob,
    pub source: SourceId,
    pub since: Option<DateTime<Utc>>,
}

/// A job seen changing: `from` is None for a job that appeared.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub job: CopyJob,
    pub source: SourceId,
    pub from: Option<Status>,
    pub pinned: bool,
    /// When the source's request that last showed the job in `from` was
    /// asked (None: not seen so by a request of this engine). With the
    /// answer's time ([`Applied::at`]) it bounds the change: it happened in
    /// (last_seen, at].
    pub last_seen: Option<DateTime<Utc>>,
}

/// What one answer did.
#[derive(Debug, Default)]
pub struct Applied {
    pub requests: Vec<Request>,
    pub events: Vec<Event>,
    /// The rows (or what is shown of them) changed: views must be rebuilt.
    pub rows_changed: bool,
    /// When the answered request was asked, and when its answer was
    /// applied (None for an answer dropped unseen): a job it shows in a
    /// status had it at some instant between the two.
    pub asked: Option<DateTime<Utc>>,
    pub at: Option<DateTime<Utc>>,
    /// With [`Engine::report_seen`], for the history: every job the answer
    /// showed in flight, and each final one it showed that the table did not
    /// already hold so (first seen, or changed).
    pub seen: Vec<CopyJob>,
    /// Promises of the service this answer showed broken for the first time
    /// at its source: to be said once (status bar, log, stderr).
    pub unkept: crate::domain::promises::Unkept,
}

#[derive(Debug, Clone)]
pub struct Engine {
    filter: Filter,
    pub page_size: usize,
    pub every: Duration,
    pub paused: bool,
    /// Read the view's listing. Off for `watch`/`wait` on named jobs, which
    /// only track what they were given.
    pub view: bool,
    /// Look for new jobs at the head. Off for `wait`, which only waits for
    /// the jobs it started with.
    pub follow_new: bool,
    /// How late a new job may appear in the service's listing after it was
    /// created (eventual consistency): each refresh re-reads this much
    /// below the newest job seen and keeps what it did not know.
    pub lag: Duration,
    /// Fill [`Applied::seen`] (the history is on). Off, nothing is cloned.
    pub report_seen: bool,
    /// Read each source whole, in parallel windows ([`Call::Windows`]).
    pub windows: bool,
    /// Refreshes are taken in batches ([`Engine::batch_gap`] apart), each
    /// taking those due within half a gap either side: the dashboard's, so
    /// 300 sources' refreshes wake it a few times an interval, not 300.
    pub batched: bool,
    sources: Vec<Source>,
    /// Every loaded row, in display order.
    rows: Vec<Row>,
    /// `rows[..shown]` is what every source has been read past.
    shown: usize,
    pinned: Vec<Row>,
    generation: u64,
    next_id: u32,
}

/// How far the table may show (see [`Engine::threshold`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Threshold {
    Nothing,
    Upto(Key),
    All,
}

impl Engine {
    pub fn new(filter: Filter, page_size: usize, every: Duration, specs: &[SourceSpec]) -> Engine {
        let mut e = Engine {
            filter,
            page_size: page_size.clamp(1, MAX_PAGE),
            every,
            paused: false,
            view: true,
            follow_new: true,
            lag: DEFAULT_LAG,
            report_seen: false,
            windows: false,
            batched: false,
            sources: Vec::new(),
            rows: Vec::new(),
            shown: 0,
            pinned: Vec::new(),
            generation: 0,
            next_id: 0,
        };
        for spec in specs {
            e.push_source(spec.clone());
        }
        e
    }

    /// A new source starts at generation 0; `start` gives it its first real
    /// one. Generations only need to differ within one source.
    fn push_source(&mut self, spec: SourceSpec) -> usize {
        let id = SourceId(self.next_id);
        self.next_id += 1;
        self.sources.push(Source::new(id, spec, self.generation));
        self.sources.len() - 1
    }

    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    pub fn sort(&self) -> Sort {
        self.filter.sort
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    pub fn source(&self, id: SourceId) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    fn index(&self, id: SourceId) -> Option<usize> {
        self.sources.iter().position(|s| s.id == id)
    }

    /// Every loaded row, including those not yet safe to show.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The rows every unfinished source has been read past: their order can
    /// no longer change.
    pub fn shown(&self) -> &[Row] {
        &self.rows[..self.shown]
    }

    pub fn pinned(&self) -> &[Row] {
        &self.pinned
    }

    pub fn is_pinned(&self, arn: &str) -> bool {
        self.pinned.iter().any(|r| r.job.job_arn == arn)
    }

    /// The region a source signs for, once its client knows it.
    pub fn set_region(&mut self, id: SourceId, region: String) {
        if let Some(i) = self.index(id) {
            self.sources[i].region = Some(region);
        }
    }

    /// A new refresh interval: a refresh further away than that comes sooner.
    pub fn set_every(&mut self, every: Duration, now: DateTime<Utc>) {
        self.every = every;
        for s in &mut self.sources {
            if s.error.is_none() {
                s.next_refresh = s.next_refresh.map(|t| t.min(now + every));
            }
        }
    }

    /// How far apart batches of refreshes are taken when [`Engine::batched`]:
    /// a tenth of the interval, between 250 ms and a second. The loop wakes
    /// when the earliest is due (no sooner than a gap after the last batch)
    /// and the batch also takes those due within half a gap: a refresh is at
    /// most half a gap early or a gap late and, on average, neither, so each
    /// source still refreshes once an interval (a lone one exactly).
    pub fn batch_gap(&self) -> std::time::Duration {
        (self.every / 10).to_std().unwrap_or_default().clamp(
            std::time::Duration::from_millis(250),
            std::time::Duration::from_secs(1),
        )
    }

    /// How early a refresh is taken: half a [`Engine::batch_gap`] when batched.
    fn early(&self) -> Duration {
        if self.batched {
            Duration::from_std(self.batch_gap() / 2).unwrap_or_default()
        } else {
            Duration::zero()
        }
    }

    /// The earliest refresh or retry due, unless paused.
    pub fn next_refresh(&self) -> Option<DateTime<Utc>> {
        if self.paused {
            return None;
        }
        self.sources.iter().filter_map(|s| s.next_refresh).min()
    }

    pub fn any_busy(&self, kind: Busy) -> bool {
        self.sources.iter().any(|s| s.busy == Some(kind))
    }

    /// The first page of some source is still coming.
    pub fn loading(&self) -> bool {
        self.view
            && self
                .sources
                .iter()
                .any(|s| !s.first_done && s.error.is_none())
    }

    /// More of the listing exists past what is loaded.
    pub fn has_more(&self) -> bool {
        self.sources.iter().any(|s| s.next_token.is_some())
    }

    /// Every source has been read to its end.
    pub fn complete(&self) -> bool {
        self.sources.iter().all(Source::exhausted)
    }

    /// Whether any job is still being waited for (tracked or pinned and not
    /// final).
    pub fn in_flight(&self) -> usize {
        self.sources.iter().map(|s| s.tracked.len()).sum()
    }

    /// Forgets every listing and asks each source for its first page again:
    /// a new query.
    pub fn start(&mut self, now: DateTime<Utc>) -> Vec<Request> {
        self.rows.clear();
        self.shown = 0;
        let mut out = Vec::new();
        for i in 0..self.sources.len() {
            self.generation += 1;
            // A new query is no new connection: when the source last
            // answered stays (the status bar keeps "last refresh", not
            // "connecting…").
            let last_ok = self.sources[i].last_ok;
            self.sources[i].restart(self.generation);
            self.sources[i].last_ok = last_ok;
            if self.view {
                out.extend(self.request(i, Busy::First, now));
            } else {
                self.sources[i].next_refresh = Some(now + self.every);
            }
        }
        self.recompute_shown();
        out
    }

    pub fn set_filter(&mut self, filter: Filter, now: DateTime<Utc>) -> Vec<Request> {
        self.filter = filter;
        self.start(now)
    }

    pub fn add_source(&mut self, spec: SourceSpec, now: DateTime<Utc>) -> Vec<Request> {
        if self.sources.iter().any(|s| s.spec == spec) {
            return Vec::new();
        }
        let i = self.push_source(spec);
        let out = if self.view {
            self.request(i, Busy::First, now).into_iter().collect()
        } else {
            Vec::new()
        };
        self.recompute_shown();
        out
    }

    /// Drops a source and its rows; its answers in flight are ignored.
    pub fn remove_source(&mut self, id: SourceId) -> bool {
        let Some(i) = self.index(id) else {
            return false;
        };
        self.sources.remove(i);
        self.rows.retain(|r| r.source != id);
        self.pinned.retain(|r| r.source != id);
        self.recompute_shown();
        true
    }

    /// Starts tracking a job given by ARN (`wait JOB_ARN…`): it is polled
    /// until final, and its changes are events.
    pub fn track(&mut self, id: SourceId, job: &CopyJob) {
        if let Some(i) = self.index(id) {
            let s = &mut self.sources[i];
            s.watermark = s.watermark.max(Some(job.created));
            if !job.status.is_final() {
                s.tracked
                    .insert(job.job_arn.clone(), Tracked::of(job, None));
            }
        }
    }

    /// Pins a job this session just made (a retry, a copy): at the top at
    /// once, tracked until final. The watermark stays where it is, so the
    /// jobs that arrived before it are still read by the next refresh.
    pub fn pin_new(&mut self, id: SourceId, job: CopyJob) {
        if let Some(i) = self.index(id)
            && !job.status.is_final()
        {
            self.sources[i]
                .tracked
                .insert(job.job_arn.clone(), Tracked::of(&job, None));
        }
        if !self.is_pinned(&job.job_arn) {
            self.pinned.insert(
                0,
                Row {
                    job,
                    source: id,
                    since: None,
                },
            );
        }
    }

    /// Pins or unpins a loaded job: pinned jobs stay at the top and are
    /// watched whatever the filter. Returns whether it is pinned now.
    pub fn toggle_pin(&mut self, arn: &str) -> bool {
        if let Some(p) = self.pinned.iter().position(|r| r.job.job_arn == arn) {
            self.pinned.remove(p);
            return false;
        }
        match self.rows.iter().find(|r| r.job.job_arn == arn) {
            Some(row) => {
                self.pinned.insert(0, row.clone());
                true
            }
            None => false,
        }
    }

    /// Refreshes (or retries) every source that is due.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<Request> {
        if self.paused {
            return Vec::new();
        }
        let mut out = Vec::new();
        let horizon = now + self.early();
        for i in 0..self.sources.len() {
            let s = &mut self.sources[i];
            if s.next_refresh.is_none_or(|t| t > horizon) {
                continue;
            }
            s.next_refresh = None;
            let kind = if self.view && !s.first_done {
                Busy::First
            } else {
                Busy::Refresh
            };
            if s.busy.is_some() {
                s.pending = Some(kind);
            } else {
                out.extend(self.request(i, kind, now));
            }
        }
        out
    }

    /// Every source refreshes now, whatever its schedule: the headless verbs
    /// poll on their own interval.
    pub fn poll(&mut self, now: DateTime<Utc>) -> Vec<Request> {
        for s in &mut self.sources {
            s.next_refresh = Some(now);
        }
        self.tick(now)
    }

    /// `r`: every source re-reads what it has loaded, from the top.
    pub fn reread_all(&mut self, now: DateTime<Utc>) -> Vec<Request> {
        let mut out = Vec::new();
        for i in 0..self.sources.len() {
            let s = &mut self.sources[i];
            let kind = match (self.view, s.first_done) {
                (false, _) => Busy::Refresh,
                (true, false) => Busy::First,
                (true, true) => Busy::Reread,
            };
            s.next_refresh = None;
            if s.busy.is_some() {
                s.pending = Some(kind);
            } else {
                out.extend(self.request(i, kind, now));
            }
        }
        out
    }

    /// The source whose frontier limits what can be shown: paging it is what
    /// lets the table grow.
    /// `asked`: a person asked for more, so a source waiting out a failure
    /// is asked at once too.
    fn binding(&self, asked: bool) -> Option<usize> {
        let sort = self.sort();
        let mut best: Option<usize> = None;
        for (i, s) in self.sources.iter().enumerate() {
            let candidate = s.holds() || (asked && s.error.is_some() && s.pageable());
            if !candidate {
                continue;
            }
            // A source still on its first page holds the whole table back:
            // paging another would only load rows that cannot show yet.
            if !s.first_done {
                return None;
            }
            let Some(f) = &s.frontier else {
                return Some(i);
            };
            let earlier = best.is_none_or(|b| {
                let bf = self.sources[b].frontier.as_ref().expect("set for best");
                display_cmp(sort, key_pos(f), key_pos(bf)).is_lt()
            });
            if earlier {
                best = Some(i);
            }
        }
        best
    }

    /// The next page of whichever source the table is waiting on, when the
    /// table itself needs it (after an answer, as the selection nears the
    /// end): a failing source waits out its backoff.
    pub fn more(&mut self, now: DateTime<Utc>) -> Vec<Request> {
        match self.binding(false) {
            Some(i) if self.sources[i].busy.is_none() && self.sources[i].next_token.is_some() => {
                self.request(i, Busy::Next, now).into_iter().collect()
            }
            _ => Vec::new(),
        }
    }

    /// Whether asking for more would do anything now.
    pub fn can_page(&self) -> bool {
        self.binding(false)
            .is_some_and(|i| self.sources[i].busy.is_none() && self.sources[i].next_token.is_some())
    }

    /// A person asked for more (End, PgDn): asking beats the backoff. The
    /// source the table waits on is asked at once even while it waits out
    /// a failure, or right after the request it has out.
    pub fn ask_more(&mut self, now: DateTime<Utc>) -> Vec<Request> {
        let Some(i) = self.binding(true) else {
            return Vec::new();
        };
        let s = &mut self.sources[i];
        if s.next_token.is_none() {
            return Vec::new();
        }
        match s.busy {
            None => self.request(i, Busy::Next, now).into_iter().collect(),
            Some(Busy::Next) => Vec::new(),
            Some(_) => {
                s.pending.get_or_insert(Busy::Next);
                Vec::new()
            }
        }
    }

    /// Whether a person asking for more would get anything.
    pub fn can_ask(&self) -> bool {
        self.binding(true)
            .is_some_and(|i| self.sources[i].next_token.is_some())
    }

    /// Hands out the shown rows and forgets them: for `list`, which streams
    /// and never refreshes.
    pub fn drain_shown(&mut self) -> Vec<Row> {
        let out: Vec<Row> = self.rows.drain(..self.shown).collect();
        self.shown = 0;
        out
    }

    /// Hands out every loaded row, those held at a page's last instant as
    /// well, and forgets them: for `list --limit` from one source, once the
    /// rows in hand reach the limit. A job of that instant the next page
    /// might bring would only be a tie the service may order either way, so
    /// asking for it costs a request and changes nothing promised.
    pub fn drain_loaded(&mut self) -> Vec<Row> {
        self.shown = 0;
        std::mem::take(&mut self.rows)
    }

    fn request(&mut self, i: usize, kind: Busy, now: DateTime<Utc>) -> Option<Request> {
        let call = match kind {
            Busy::First if self.windows => Call::Windows {
                filter: self.filter.clone(),
                page_size: self.page_size,
            },
            Busy::First => self.first_call(),
            Busy::Next if self.windows => return None, // the windows read it
            Busy::Next => Call::Next {
                filter: self.filter.clone(),
                page_size: self.page_size,
                token: self.sources[i].next_token.clone()?,
                by_bounds: self.sources[i].by_bounds,
                edge: self.sources[i].frontier.as_ref().map(|f| Edge {
                    at: f.created,
                    seen: self.arns_at(f.created),
                }),
            },
            Busy::Refresh => match self.refresh_call(i) {
                Some(c) => c,
                None => {
                    // Nothing to ask: nothing in flight and no head to follow.
                    self.sources[i].next_refresh = Some(now + self.every);
                    return None;
                }
            },
            Busy::Reread => Call::Reread {
                filter: self.filter.clone(),
                min_rows: self
                    .rows
                    .iter()
                    .filter(|r| r.source == self.sources[i].id)
                    .count(),
                until: self.sources[i].frontier.clone(),
            },
        };
        let s = &mut self.sources[i];
        s.busy = Some(kind);
        s.asked = Some(now);
        Some(Request {
            source: s.id,
            generation: s.generation,
            call,
        })
    }

    /// Takes an answer. Answers for a removed source or an older query are
    /// dropped unseen.
    pub fn apply(
        &mut self,
        id: SourceId,
        generation: u64,
        result: Result<Outcome, FetchError>,
        at: DateTime<Utc>,
    ) -> Applied {
        let mut applied = Applied::default();
        let Some(i) = self.index(id) else {
            return applied;
        };
        if self.sources[i].generation != generation {
            return applied;
        }
        self.sources[i].busy = None;
        applied.asked = self.sources[i].asked;
        applied.at = Some(at);
        let mut batch = Batch::default();
        let shown = self.shown;
        match result {
            Err(error) => self.failed(i, error, at),
            Ok(outcome) => {
                let partial = match &outcome {
                    Outcome::Refresh {
                        unanswered: Some(u),
                        ..
                    } => Some(u.error.clone()),
                    _ => None,
                };
                let every = self.every;
                let s = &mut self.sources[i];
                let previous = s.error.take();
                let was_failing = previous.is_some();
                s.last_ok = Some(at);
                if was_failing {
                    // Answering again: the backoff is over.
                    s.next_refresh = s.next_refresh.map(|t| t.min(at + every));
                }
                batch.changed |= was_failing;
                self.succeeded(i, outcome, at, &mut batch);
                if let Some(error) = partial {
                    // What answered is in; the jobs still tracked that did
                    // not are asked again after the backoff.
                    self.sources[i].error = previous;
                    self.failed(i, error, at);
                    batch.changed = true;
                }
            }
        }
        applied.rows_changed = self.commit(&mut batch) || batch.changed;
        applied.events = batch.events;
        applied.seen = batch.seen;
        applied.unkept = batch.unkept;
        // Paging state moves the threshold even when no row changed.
        self.recompute_shown();
        applied.rows_changed |= self.shown != shown;
        let idle = self.sources[i].busy.is_none();
        if let Some(kind) = self.sources[i].pending.take_if(|_| idle) {
            applied.requests.extend(self.request(i, kind, at));
        }
        applied
    }

    fn failed(&mut self, i: usize, error: FetchError, at: DateTime<Utc>) {
        let every = self.every;
        let s = &mut self.sources[i];
        let error = error.for_profile(s.spec.profile.as_deref());
        let failures = s.error.as_ref().map_or(0, |e| e.failures) + 1;
        let since = s.error.as_ref().map_or(at, |e| e.since);
        s.error = Some(SourceError {
            error,
            since,
            failures,
        });
        s.next_refresh = Some(at + s.backoff(every, failures, since));
        // A failing source no longer holds the others back.
        self.recompute_shown();
    }

    fn succeeded(&mut self, i: usize, outcome: Outcome, at: DateTime<Utc>, batch: &mut Batch) {
        let every = self.every;
        let by_bounds = matches!(outcome, Outcome::NextByBounds(_));
        let unkept = match &outcome {
            Outcome::First { page, .. }
            | Outcome::Next(page)
            | Outcome::NextByBounds(page)
            | Outcome::Whole(page)
            | Outcome::Reread(page)
            | Outcome::Part { page, .. } => page.unkept,
            Outcome::Refresh { unkept, .. } => *unkept,
            Outcome::Models(_) => Default::default(),
        };
        let s = &mut self.sources[i];
        batch.unkept = unkept.minus(s.unkept);
        s.unkept = s.unkept.union(unkept);
        match outcome {
            Outcome::First {
                page,
                inflight,
                newest,
            } => {
                // Where "new" starts: the probe's newest job, or the first
                // page's when that page is the unfiltered head itself. A
                // filtered page must not move it past jobs it cannot see.
                let head = if self.follow_new && self.first_call_probes() {
                    newest.as_ref().map(|j| j.created)
                } else {
                    page.jobs.iter().map(|j| j.created).max()
                };
                let sort = self.sort();
                let s = &mut self.sources[i];
                s.first_done = true;
                s.next_token = page.next_token;
                s.frontier = page.jobs.last().map(|j| Key::edge(j.created, sort));
                s.next_refresh = Some(at + phased(every, s.id));
                batch.changed = true;
                self.observe_all(i, page.jobs, at, Seen::Listed, batch);
                let mut others = inflight;
                others.extend(newest);
                self.observe_all(i, others, at, Seen::Quietly, batch);
                let s = &mut self.sources[i];
                s.watermark = s.watermark.max(head);
            }
            Outcome::Next(page) | Outcome::NextByBounds(page) => {
                let sort = self.sort();
                let s = &mut self.sources[i];
                s.by_bounds |= by_bounds;
                s.next_token = page.next_token;
                if let Some(last) = page.jobs.last() {
                    s.frontier = Some(Key::edge(last.created, sort));
                }
                batch.changed = true;
                self.observe_all(i, page.jobs, at, Seen::Listed, batch);
            }
            Outcome::Refresh {
                seen,
                gone,
                head_newest,
                ..
            } => {
                let s = &mut self.sources[i];
                s.next_refresh = Some(at + every);
                for arn in &gone {
                    s.tracked.remove(arn);
                }
                self.observe_all(i, seen, at, Seen::Refreshed, batch);
                let s = &mut self.sources[i];
                s.watermark = s.watermark.max(head_newest);
            }
            Outcome::Reread(page) => self.replace(i, page, at, Seen::Reread, batch),
            Outcome::Whole(page) => self.replace(i, page, at, Seen::Listed, batch),
            Outcome::Part { page, past } => self.part(i, page, past, at, batch),
            // Never the engine's call (`driver::read_models` answers it).
            Outcome::Models(_) => {}
        }
    }
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
