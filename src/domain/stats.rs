//! The activity of a filter window in numbers: copies a day by status, the
//! share of each day's finished copies that failed, and copies by
//! destination region. `copyjobs stats` prints them; the dashboard's charts
//! draw the same numbers. Nothing here knows how they are drawn.
//!
//! Days are calendar days in the time zone given (the config's
//! `time_zone`), each a job's creation day: a copy is counted on the day it
//! started, under its status now. A day of the window without copies is
//! there, with zeros, so a chart's days are evenly spaced.

use super::job::{CopyJob, Status};
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use std::collections::HashSet;

/// Jobs by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub in_progress: u32,
    pub completed: u32,
    pub failed: u32,
    /// A status this build does not know.
    pub other: u32,
}

impl Counts {
    fn slot(&mut self, status: &Status) -> &mut u32 {
        match status {
            Status::InProgress => &mut self.in_progress,
            Status::Completed => &mut self.completed,
            Status::Failed => &mut self.failed,
            Status::Unknown(_) => &mut self.other,
        }
    }

    fn add(&mut self, status: &Status) {
        *self.slot(status) += 1;
    }

    fn remove(&mut self, status: &Status) {
        let n = self.slot(status);
        *n = n.saturating_sub(1);
    }

    pub fn total(&self) -> u32 {
        self.in_progress + self.completed + self.failed + self.other
    }

    /// The share of the finished copies (completed or failed) that failed,
    /// from 0 to 1; None when none has finished. Copies still running have
    /// not failed yet, so they are not in it.
    pub fn failed_share(&self) -> Option<f64> {
        let finished = self.completed + self.failed;
        (finished > 0).then(|| f64::from(self.failed) / f64::from(finished))
    }
}

/// One calendar day's copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub counts: Counts,
}

/// One destination region's copies (a copy is made in its job's region).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionCounts {
    pub region: String,
    pub counts: Counts,
}

/// The filter window: its days run from `from`'s day (else the first
/// job's) to `to`'s day (else the last job's), in the time zone given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Every day of the window, oldest first.
    pub days: Vec<Day>,
    /// Most copies first, then by name.
    pub regions: Vec<RegionCounts>,
    pub total: Counts,
}

impl Stats {
    /// The numbers of `jobs` (each job once, however often it is given)
    /// over `window`, days in `tz`.
    pub fn build<'a, Tz: TimeZone>(
        jobs: impl IntoIterator<Item = &'a CopyJob>,
        tz: &Tz,
        window: Window,
    ) -> Stats {
        let mut stats = Stats {
            days: Vec::new(),
            regions: Vec::new(),
            total: Counts::default(),
        };
        for bound in [window.from, window.to].into_iter().flatten() {
            stats.day(day_of(bound, tz));
        }
        let mut seen = HashSet::new();
        for job in jobs {
            if seen.insert(job.job_arn.as_str()) {
                stats.count(job, None, tz);
            }
        }
        stats.sort_regions();
        stats
    }

    /// A job that appeared (`from` None) or whose status changed from
    /// `from`: an event of the watching engine, which says which.
    pub fn apply<Tz: TimeZone>(&mut self, job: &CopyJob, from: Option<&Status>, tz: &Tz) {
        self.count(job, from, tz);
        self.sort_regions();
    }

    fn count<Tz: TimeZone>(&mut self, job: &CopyJob, from: Option<&Status>, tz: &Tz) {
        let day = self.day(day_of(job.created, tz));
        let region = match self.regions.iter().position(|r| r.region == job.region()) {
            Some(i) => i,
            None => {
                self.regions.push(RegionCounts {
                    region: job.region().to_string(),
                    counts: Counts::default(),
                });
                self.regions.len() - 1
            }
        };
        for counts in [
            &mut self.days[day].counts,
            &mut self.regions[region].counts,
            &mut self.total,
        ] {
            if let Some(old) = from {
                counts.remove(old);
            }
            counts.add(&job.status);
        }
    }

    /// The index of `date` among the days, the days grown (with empty
    /// ones) to reach it.
    fn day(&mut self, date: NaiveDate) -> usize {
        let empty = |date| Day {
            date,
            counts: Counts::default(),
        };
        let (Some(first), Some(last)) = (self.days.first(), self.days.last()) else {
            self.days.push(empty(date));
            return 0;
        };
        let (first, last) = (first.date, last.date);
        if date < first {
            // From `date` itself up to the first day known.
            let before: Vec<Day> = dates(date, first).map(empty).collect();
            self.days.splice(0..0, before);
            return 0;
        }
        if date > last {
            self.days
                .extend(dates(last, date).skip(1).map(empty).chain([empty(date)]));
            return self.days.len() - 1;
        }
        usize::try_from((date - first).num_days()).unwrap_or(0)
    }

    fn sort_regions(&mut self) {
        self.regions.sort_by(|a, b| {
            b.counts
                .total()
                .cmp(&a.counts.total())
                .then_with(|| a.region.cmp(&b.region))
        });
    }
}

/// The calendar day of `t` in `tz`.
pub fn day_of<Tz: TimeZone>(t: DateTime<Utc>, tz: &Tz) -> NaiveDate {
    t.with_timezone(tz).date_naive()
}

/// The days from `start` up to, not including, `end`.
fn dates(start: NaiveDate, end: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    std::iter::successors(Some(start), |d| d.checked_add_days(Days::new(1)))
        .take_while(move |d| *d < end)
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;
