//! Pins that outlive the session: the pinned jobs are kept with the
//! remembered view, and the next start reads each one back (one
//! GetModelCopyJob, in its region) to pin it again, whatever the filter
//! and however far down the listing it is.

use super::msg::{Effect, Msg};
use super::state::State;
use crate::domain::job::CopyJob;
use crate::watch::SourceId;

/// Last session's pins on their way back.
#[derive(Debug, Clone, Default)]
pub struct Restore {
    /// Not asked for yet: no source's region is known to match.
    pub waiting: Vec<String>,
    /// Asked for, no answer yet.
    pub asked: Vec<String>,
}

impl Restore {
    /// Every pin not back yet, to keep if the session ends first.
    pub fn pending(&self) -> impl Iterator<Item = &String> {
        self.asked.iter().chain(&self.waiting)
    }
}

/// A pin read back, or why not.
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    pub arn: String,
    pub error: String,
    /// The job no longer exists: the pin is dropped, not kept for later.
    pub gone: bool,
}

/// At start: last session's pins, asked for where their region is known.
pub fn start(state: &mut State) -> Vec<Effect> {
    state.pins.waiting = state.settings.pinned.clone();
    ask(state)
}

/// Asks each source for the waiting pins of its region (after start, and
/// when a source's region becomes known).
pub fn ask(state: &mut State) -> Vec<Effect> {
    let mut effects = Vec::new();
    for s in state.engine.sources() {
        let spec = super::picker::effective(s);
        let Some(region) = spec.region.as_deref() else {
            continue;
        };
        let (mine, rest): (Vec<String>, Vec<String>) = std::mem::take(&mut state.pins.waiting)
            .into_iter()
            .partition(|arn| arn.split(':').nth(3) == Some(region));
        state.pins.waiting = rest;
        if !mine.is_empty() {
            state.pins.asked.extend(mine.iter().cloned());
            effects.push(Effect::RestorePins {
                spec: s.spec.clone(),
                source: s.id,
                arns: mine,
            });
        }
    }
    effects
}

/// The answer: the jobs pinned again (in their old order, on top), the ones
/// gone dropped and said, the ones that could not be read kept for later.
pub fn restored(state: &mut State, source: SourceId, jobs: Vec<CopyJob>, missing: Vec<Missing>) {
    let answered: Vec<&str> = jobs
        .iter()
        .map(|j| j.job_arn.as_str())
        .chain(missing.iter().filter(|m| m.gone).map(|m| m.arn.as_str()))
        .collect();
    let order = state.settings.pinned.clone();
    state.pins.asked.retain(|a| !answered.contains(&a.as_str()));
    let arn = state.selected_arn();
    // pin_new puts a job on top: the last of the old order first.
    let mut jobs = jobs;
    jobs.sort_by_key(|j| std::cmp::Reverse(order.iter().position(|a| *a == j.job_arn)));
    for job in jobs {
        state.engine.pin_new(source, job);
    }
    state.rebuild_view();
    if let Some(a) = arn {
        state.select_arn(&a);
    }
    if let Some(m) = missing.first() {
        let gone = missing.iter().filter(|m| m.gone).count();
        let text = if gone == missing.len() {
            match gone {
                1 => "A pinned job no longer exists: unpinned".to_string(),
                n => format!("{n} pinned jobs no longer exist: unpinned"),
            }
        } else {
            format!(
                "A pinned job could not be read back ({}); kept pinned for the next start",
                m.error
            )
        };
        state.notice = Some(super::state::Notice {
            text,
            is_error: true,
            until: Some(state.now + super::state::NOTICE_FOR),
        });
    }
}

/// The message the runner sends back for `source`.
pub fn answer(
    source: SourceId,
    results: Vec<(String, Result<CopyJob, crate::aws::FetchError>)>,
) -> Msg {
    let mut jobs = Vec::new();
    let mut missing = Vec::new();
    for (arn, r) in results {
        match r {
            Ok(job) => jobs.push(job),
            Err(e) => missing.push(Missing {
                arn,
                gone: e.kind == crate::aws::ErrorKind::NotFound,
                error: e.to_string(),
            }),
        }
    }
    Msg::PinsRestored {
        source,
        jobs,
        missing,
    }
}
