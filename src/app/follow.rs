//! New rows and the person reading: with the selection on the first row the
//! table follows the head (new rows come in above and the selection stays
//! on top, as `tail -f` would); scrolled away, the selection stays where it
//! is and the header counts the new rows above the screen ("↑ 12 new", `g`
//! goes there). Each refresh that changed something says what.

use super::state::{Notice, Slot, State};
use crate::domain::job::Status;
use crate::watch::Event;
use chrono::{DateTime, Utc};
use std::collections::HashSet;

#[derive(Debug, Clone, Default)]
pub struct Arrivals {
    /// New rows above the screen the person has not seen yet, by ARN.
    unseen: HashSet<String>,
    /// How many of them there are, for the header.
    pub above: usize,
    /// Numbers the refreshes, so the answers of one (a source each) make
    /// one summary.
    pub round: u64,
    summary: Summary,
}

/// What one refresh changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Summary {
    round: u64,
    new: usize,
    finished: usize,
    failed: usize,
    other: usize,
}

impl Summary {
    fn text(&self) -> String {
        let parts: Vec<String> = [
            (self.new, "+{} new"),
            (self.finished, "{} finished"),
            (self.failed, "{} failed"),
            (self.other, "{} changed"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, f)| f.replace("{}", &n.to_string()))
        .collect();
        format!("Refresh: {}", parts.join(", "))
    }
}

/// The view index of the first row that is not pinned: "the top".
pub fn top(state: &State) -> usize {
    state
        .view
        .iter()
        .take_while(|s| matches!(s, Slot::Pinned(_)))
        .count()
}

/// Whether the table follows the head: the selection is on the top row and
/// the detail pane is not open on it (someone reading a job keeps it).
pub fn at_head(state: &State) -> bool {
    state.selected == top(state) && !state.detail_open
}

/// After the rows changed: the selection back on top when it followed the
/// head, and the rows that arrived above the screen counted.
pub fn rows_arrived(state: &mut State, events: &[Event], followed: bool) {
    if followed {
        state.selected = top(state);
        state.offset = 0;
        state.clamp_selection();
        return;
    }
    let fresh: HashSet<&str> = events
        .iter()
        .filter(|e| e.from.is_none())
        .map(|e| e.job.job_arn.as_str())
        .collect();
    if fresh.is_empty() {
        return;
    }
    let mut found = 0;
    for &slot in &state.view[..state.offset.min(state.view.len())] {
        if found == fresh.len() {
            break;
        }
        if let Some(r) = state.row(slot)
            && fresh.contains(r.job.job_arn.as_str())
        {
            state.arrivals.unseen.insert(r.job.job_arn.clone());
            found += 1;
        }
    }
}

/// Forgets the new rows that came on screen (or left the table) and counts
/// the rest: after every message, and only while there are any.
pub fn settle(state: &mut State) {
    if state.arrivals.unseen.is_empty() {
        state.arrivals.above = 0;
        return;
    }
    let mut still = HashSet::with_capacity(state.arrivals.unseen.len());
    for &slot in &state.view[..state.offset.min(state.view.len())] {
        if still.len() == state.arrivals.unseen.len() {
            break;
        }
        if let Some(r) = state.row(slot)
            && state.arrivals.unseen.contains(&r.job.job_arn)
        {
            still.insert(r.job.job_arn.clone());
        }
    }
    state.arrivals.above = still.len();
    state.arrivals.unseen = still;
}

/// Forgets every new row: a new query starts over.
pub fn forget(state: &mut State) {
    state.arrivals.unseen.clear();
    state.arrivals.above = 0;
}

/// Adds one source's changes to this refresh's summary and says it in the
/// status bar until the next refresh (or the next action).
pub fn summarize(state: &mut State, events: &[Event], at: DateTime<Utc>) {
    if events.is_empty() {
        return;
    }
    let round = state.arrivals.round;
    let s = &mut state.arrivals.summary;
    if s.round != round {
        *s = Summary {
            round,
            ..Summary::default()
        };
    }
    for e in events {
        match (&e.from, &e.job.status) {
            (None, _) => s.new += 1,
            (Some(_), Status::Completed) => s.finished += 1,
            (Some(_), Status::Failed) => s.failed += 1,
            (Some(_), _) => s.other += 1,
        }
    }
    let text = s.text();
    state.notice = Some(Notice {
        text,
        is_error: false,
        until: Some(at + state.engine.every),
    });
}
