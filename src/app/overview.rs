//! The whole filter window, read once for `M` (the replication matrix) and
//! `T` (the charts of the activity) and then kept current from the
//! watching engine's events: a copy finishing turns its cell and its day's
//! bar without reading anything again. Both panes draw from here, so the
//! second one opened costs no request.
//!
//! The status filter is left out: a matrix of failed copies only would
//! show a failure where a newer copy completed.

use super::msg::{Msg, WindowAnswer};
use crate::domain::copy_regions::CopyRegions;
use crate::domain::custom_model::CustomModel;
use crate::domain::job::{CopyJob, Status};
use crate::domain::matrix::{Matrix, fingerprint};
use crate::domain::query::Filter;
use crate::domain::stats::{Stats, Window};
use crate::watch::SourceSpec;
use chrono::FixedOffset;
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Overview {
    /// Which read this is: answers of an older one are dropped.
    pub generation: u64,
    /// The filter and sources it was read for; another makes it stale.
    pub filter: Filter,
    pub specs: Vec<SourceSpec>,
    /// Jobs read so far, while reading.
    pub read: usize,
    /// Sources that could not be read (label, the service's answer): what
    /// is shown is of the others.
    pub refused: Vec<(String, String)>,
    pub error: Option<String>,
    pub data: Option<Data>,
    /// Jobs that changed while the read ran, applied once it is in.
    pending: Vec<CopyJob>,
    /// The accounts' models of the window (ListCustomModels), once read:
    /// rows of the matrix, copied or not.
    models: Vec<CustomModel>,
}

/// What the panes draw, once everything is read.
#[derive(Debug, Clone)]
pub struct Data {
    pub matrix: Matrix,
    pub stats: Stats,
    /// The status each job is counted under in `stats` (by the ARN's
    /// fingerprint), so a job seen again is moved, not counted twice.
    counted: HashMap<u64, Status>,
    tz: FixedOffset,
}

impl Data {
    fn build(
        jobs: &[CopyJob],
        regions: &[String],
        table: &CopyRegions,
        tz: FixedOffset,
        filter: &Filter,
    ) -> Data {
        let window = Window {
            from: filter.created_after,
            to: filter.created_before,
        };
        let mut data = Data {
            matrix: Matrix::build(regions, jobs, table.clone()),
            stats: Stats::build(std::iter::empty(), &tz, window),
            counted: HashMap::with_capacity(jobs.len()),
            tz,
        };
        for job in jobs {
            data.count(job);
        }
        data
    }

    fn count(&mut self, job: &CopyJob) {
        let key = fingerprint(&job.job_arn);
        match self.counted.insert(key, job.status.clone()) {
            Some(old) if old == job.status => {}
            old => self.stats.apply(job, old.as_ref(), &self.tz),
        }
    }

    /// A job that appeared or changed.
    fn apply(&mut self, job: &CopyJob) {
        self.matrix.apply(job);
        self.count(job);
    }
}

impl Overview {
    /// A read of `filter`'s window from `specs`, numbered `generation`.
    pub fn new(generation: u64, filter: Filter, specs: Vec<SourceSpec>) -> Overview {
        Overview {
            generation,
            filter,
            specs,
            read: 0,
            refused: Vec::new(),
            error: None,
            data: None,
            pending: Vec::new(),
            models: Vec::new(),
        }
    }

    /// Whether this is of the window and sources the table shows now.
    pub fn current(&self, filter: &Filter, specs: &[SourceSpec]) -> bool {
        self.filter == *filter && self.specs == specs
    }

    /// Whether `job` is of the window read (a pinned job may not be).
    fn admits(&self, job: &CopyJob) -> bool {
        let f = &self.filter;
        f.within_bounds(job.created)
            && f.source_model_arn
                .as_ref()
                .is_none_or(|a| *a == *job.source_model_arn)
            && f.source_account
                .as_ref()
                .is_none_or(|a| *a == *job.source_account_id)
            && f.name_contains.as_ref().is_none_or(|n| {
                job.target_model_name
                    .as_deref()
                    .is_some_and(|t| t.to_lowercase().contains(&n.to_lowercase()))
            })
    }
}

impl Overview {
    /// The read's answers; false when `msg` is not this read's. The matrix
    /// has a column per region of `regions` (the sources'), and judges
    /// where copies may go by `table`.
    pub fn answer(
        &mut self,
        msg: &Msg,
        regions: &[String],
        table: &CopyRegions,
        tz: FixedOffset,
    ) -> bool {
        if let Msg::WindowModels { generation, models } = msg {
            if *generation != self.generation {
                return false;
            }
            self.models = models
                .iter()
                .filter(|m| m.within(&self.filter))
                .cloned()
                .collect();
            if let Some(data) = &mut self.data {
                data.matrix.add_models(&self.models);
            }
            return true;
        }
        let Some(answer) = msg.window_answer(self.generation) else {
            return false;
        };
        match answer {
            WindowAnswer::Progress(read) => self.read = read,
            WindowAnswer::Refused(refused) => self.refused = refused.to_vec(),
            WindowAnswer::Read(Ok(jobs)) => {
                self.read = jobs.len();
                let mut data = Data::build(jobs, regions, table, tz, &self.filter);
                data.matrix.add_models(&self.models);
                for job in std::mem::take(&mut self.pending) {
                    data.apply(&job);
                }
                self.data = Some(data);
            }
            WindowAnswer::Read(Err(e)) => self.error = Some(e.clone()),
        }
        true
    }

    /// Jobs the engine saw appear or change, into the matrix and the
    /// charts when they are of the window read; held while it is read.
    pub fn observe<'a>(&mut self, jobs: impl IntoIterator<Item = &'a CopyJob>) {
        if self.error.is_some() {
            return;
        }
        for job in jobs {
            if !self.admits(job) {
                continue;
            }
            match &mut self.data {
                Some(data) => data.apply(job),
                None => self.pending.push(job.clone()),
            }
        }
    }
}
