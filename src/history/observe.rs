//! What one answer of the engine gives the history: the jobs it showed and
//! the changes it saw, with the instants that bound them. Built from the
//! engine's own report ([`Applied`]), without I/O, so the dashboard's pure
//! `update` can make it and hand it to its effects runner.

use crate::domain::job::{CopyJob, Status};
use crate::watch::{Applied, Engine, SourceId};
use chrono::{DateTime, Utc};
use std::collections::HashSet;

/// A status change as one source saw it: it happened in (after, by].
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub arn: String,
    pub from: Status,
    pub to: Status,
    /// When the source's request that last showed the old status was asked;
    /// None when no request of this session did.
    pub after: Option<DateTime<Utc>>,
    pub by: DateTime<Utc>,
}

/// One answer's observations.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    /// The profile the source reads through ("" for the default chain).
    pub seen_through: String,
    /// A job shown running was running when the request was asked...
    pub asked: Option<DateTime<Utc>>,
    /// ...and one shown final had ended by the time of the answer.
    pub at: DateTime<Utc>,
    pub jobs: Vec<CopyJob>,
    pub changes: Vec<Change>,
}

impl Observed {
    /// What `applied` (the answer of `source`) tells the history; None when
    /// it tells nothing (an answer dropped, or nothing new and nothing
    /// running). The jobs are those the engine reported
    /// ([`Engine::report_seen`]) and those of its events.
    pub fn of(engine: &Engine, source: SourceId, applied: &Applied) -> Option<Observed> {
        let at = applied.at?;
        let mut jobs = applied.seen.clone();
        let mut known: HashSet<&str> = applied.seen.iter().map(|j| j.job_arn.as_str()).collect();
        for ev in &applied.events {
            if known.insert(ev.job.job_arn.as_str()) {
                jobs.push(ev.job.clone());
            }
        }
        let changes: Vec<Change> = applied
            .events
            .iter()
            .filter_map(|ev| {
                Some(Change {
                    arn: ev.job.job_arn.clone(),
                    from: ev.from.clone()?,
                    to: ev.job.status.clone(),
                    after: ev.last_seen,
                    by: at,
                })
            })
            .collect();
        if jobs.is_empty() && changes.is_empty() {
            return None;
        }
        Some(Observed {
            seen_through: engine
                .source(source)
                .and_then(|s| s.spec.profile.clone())
                .unwrap_or_default(),
            asked: applied.asked,
            at,
            jobs,
            changes,
        })
    }

    /// What the history was not yet told when the dashboard ends: each
    /// running job seen since it was last handed on (told once a minute,
    /// `watch::source::RESEEN`), at the request that last saw it, one
    /// observation a source and request. Without it, a job that ends while
    /// nothing watches would keep a sighting up to a minute old.
    pub fn last_sightings(engine: &Engine) -> Vec<Observed> {
        let mut out = Vec::new();
        for source in engine.sources() {
            let mut by_request: std::collections::BTreeMap<DateTime<Utc>, Vec<&str>> =
                Default::default();
            for (arn, t) in &source.tracked {
                if let Some(seen) = t.seen
                    && !t.status.is_final()
                    && t.reported.is_none_or(|r| r < seen)
                {
                    by_request.entry(seen).or_default().push(arn);
                }
            }
            for (seen, arns) in by_request {
                let wanted: HashSet<&str> = arns.into_iter().collect();
                let jobs: Vec<CopyJob> = engine
                    .rows()
                    .iter()
                    .filter(|r| r.source == source.id && wanted.contains(r.job.job_arn.as_str()))
                    .map(|r| r.job.clone())
                    .collect();
                if jobs.is_empty() {
                    continue;
                }
                out.push(Observed {
                    seen_through: source.spec.profile.clone().unwrap_or_default(),
                    asked: Some(seen),
                    at: seen,
                    jobs,
                    changes: Vec::new(),
                });
            }
        }
        out
    }

    /// Rows it writes: what the writer's batches count.
    pub fn len(&self) -> usize {
        self.jobs.len() + self.changes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
