//! The whole filter window, read once for `M` (the replication matrix) and
//! `T` (the charts of the activity) and then kept current from the
//! watching engine's events: a copy finishing turns its cell and its day's
//! bar without reading anything again. Both panes draw from here, so the
//! second one opened costs no request.
//!
//! The status filter is left out: a matrix of failed copies only would
//! show a failure where a newer copy completed.

use super::msg::{Effect, Msg, Purpose};
use super::state::State;
use crate::domain::job::{CopyJob, Status};
use crate::domain::matrix::{Matrix, fingerprint};
use crate::domain::query::{Filter, Sort};
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
    fn build(jobs: &[CopyJob], regions: &[String], state: &State, filter: &Filter) -> Data {
        let tz = state.settings.tz;
        let window = Window {
            from: filter.created_after,
            to: filter.created_before,
        };
        let mut data = Data {
            matrix: Matrix::build(regions, jobs, state.settings.copy_regions.clone()),
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
    /// Whether this is of the window and sources the table shows now.
    fn current(&self, filter: &Filter, specs: &[SourceSpec]) -> bool {
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

    pub fn reading(&self) -> bool {
        self.data.is_none() && self.error.is_none()
    }
}

/// The window the overview reads: the table's, every status, in one order.
fn window(state: &State) -> Filter {
    Filter {
        status: None,
        sort: Sort::default(),
        ..state.filter().clone()
    }
}

fn specs(state: &State) -> Vec<SourceSpec> {
    state
        .engine
        .sources()
        .iter()
        .map(crate::watch::Source::effective_spec)
        .collect()
}

/// Starts reading the window unless what is held is of the window and
/// sources shown now (or `again`: the user asked for a fresh read).
pub fn ensure(state: &mut State, again: bool) -> Vec<Effect> {
    let (filter, specs) = (window(state), specs(state));
    if !again
        && state
            .overview
            .as_ref()
            .is_some_and(|o| o.current(&filter, &specs) && o.error.is_none())
    {
        return Vec::new();
    }
    state.reads += 1;
    let generation = state.reads;
    state.overview = Some(Overview {
        generation,
        filter: filter.clone(),
        specs: specs.clone(),
        read: 0,
        refused: Vec::new(),
        error: None,
        data: None,
        pending: Vec::new(),
    });
    vec![Effect::ReadWindow {
        purpose: Purpose::Overview,
        generation,
        filter,
        specs,
    }]
}

/// The read's answers. False when the message is not this read's (it is
/// then a pane's).
pub fn receive(state: &mut State, msg: &Msg) -> bool {
    let Some(mut o) = state.overview.take() else {
        return false;
    };
    let mine = match msg {
        Msg::WindowProgress { generation, read } if *generation == o.generation => {
            o.read = *read;
            true
        }
        Msg::WindowRefused {
            generation,
            refused,
        } if *generation == o.generation => {
            o.refused = refused.clone();
            true
        }
        Msg::WindowRead { generation, result } if *generation == o.generation => {
            match result {
                Ok(jobs) => {
                    o.read = jobs.len();
                    let mut data = Data::build(jobs, &regions(state), state, &o.filter);
                    for job in std::mem::take(&mut o.pending) {
                        data.apply(&job);
                    }
                    o.data = Some(data);
                }
                Err(e) => o.error = Some(e.clone()),
            }
            true
        }
        _ => false,
    };
    state.overview = Some(o);
    mine
}

/// The regions of the sources, in their order: the matrix's columns.
fn regions(state: &State) -> Vec<String> {
    state
        .engine
        .sources()
        .iter()
        .filter_map(|s| s.region.clone().or_else(|| s.spec.region.clone()))
        .collect()
}

/// Jobs the engine saw appear or change: into the matrix and the charts,
/// when they are of the window shown.
pub fn observe<'a>(state: &mut State, jobs: impl IntoIterator<Item = &'a CopyJob>) {
    let (filter, specs) = (window(state), specs(state));
    let Some(o) = state.overview.as_mut() else {
        return;
    };
    if !o.current(&filter, &specs) || o.error.is_some() {
        return;
    }
    for job in jobs {
        if !o.admits(job) {
            continue;
        }
        match &mut o.data {
            Some(data) => data.apply(job),
            None => o.pending.push(job.clone()),
        }
    }
}
