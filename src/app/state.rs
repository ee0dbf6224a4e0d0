//! The dashboard's whole state. `update` changes it, the UI only reads it.

use super::msg::FetchKind;
use crate::domain::job::{CopyJob, Status};
use crate::domain::query::{Field, Filter, FilterDraft};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use std::collections::HashMap;
use tui_input::Input;

/// Refresh intervals `+` and `-` step through.
pub const REFRESH_STEPS: &[i64] = &[2, 5, 10, 15, 30, 60, 120, 300];
/// How long a row whose status changed stays highlighted.
pub const HIGHLIGHT_FOR: Duration = Duration::seconds(30);
/// How long a confirmation stays in the status bar.
pub const NOTICE_FOR: Duration = Duration::seconds(5);

#[derive(Debug, Clone)]
pub struct Settings {
    /// Rows per page, 1..=1000.
    pub page_size: usize,
    pub refresh_every: Duration,
    /// The user's time zone offset, for display and for typed times.
    pub tz: FixedOffset,
    /// "demo · us-east-1 · http://…", for the header.
    pub context: String,
    /// Where the dashboard looks, to describe it once the region is known.
    pub target: crate::aws::Target,
}

impl Settings {
    /// The defaults of the command line: 100 rows a page, a refresh every 10 s.
    pub fn new(
        context: impl Into<String>,
        target: crate::aws::Target,
        tz: FixedOffset,
    ) -> Settings {
        Settings {
            page_size: 100,
            refresh_every: Duration::seconds(10),
            tz,
            context: context.into(),
            target,
        }
    }
}

/// A loaded job and what the session has seen happen to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub job: CopyJob,
    /// When this session saw it enter its current status (None: before we looked).
    pub since: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub at: DateTime<Utc>,
    pub job_arn: String,
    pub name: String,
    /// None: a job that appeared.
    pub from: Option<Status>,
    pub to: Status,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
    pub until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct FilterPane {
    pub draft: FilterDraft,
    pub focus: Field,
    /// The line editor of the focused text field.
    pub input: Input,
    /// Set after a refused Enter: the pane lists every problem.
    pub tried: bool,
}

#[derive(Debug, Clone)]
pub enum Mode {
    Table,
    Filters(Box<FilterPane>),
    /// Typing a local search; the table follows as you type.
    Search(Input),
    /// Asking where `e` should write the current view.
    Export(Input),
    Help,
}

#[derive(Debug, Clone)]
pub struct RefreshClock {
    pub every: Duration,
    pub paused: bool,
    /// When the next refresh (or retry) is due.
    pub next_at: Option<DateTime<Utc>>,
    pub last_ok: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct State {
    pub settings: Settings,
    pub now: DateTime<Utc>,
    pub filter: Filter,
    /// Bumped by every change of query; answers to older ones are dropped.
    pub generation: u64,
    pub rows: Vec<Row>,
    /// Indices into `rows` that are shown (the local search applied).
    pub view: Vec<usize>,
    /// Index into `view`.
    pub selected: usize,
    /// First `view` index on screen.
    pub offset: usize,
    /// Body rows of the table on screen.
    pub viewport: usize,
    pub next_token: Option<String>,
    /// The first page of this query has arrived (or failed).
    pub first_done: bool,
    /// The one request in flight, if any.
    pub in_flight: Option<FetchKind>,
    /// A refresh came due while a page was loading.
    pub refresh_pending: bool,
    pub refresh: RefreshClock,
    /// The last fetch error, shown until a fetch succeeds.
    pub error: Option<Notice>,
    /// A passing confirmation.
    pub notice: Option<Notice>,
    pub mode: Mode,
    pub detail_open: bool,
    /// Lines the detail pane is scrolled by (J/K); back to 0 on a new selection.
    pub detail_scroll: u16,
    pub show_log: bool,
    /// The applied local search (empty: none).
    pub search: String,
    pub events: Vec<LogEntry>,
    /// Rows whose status changed, highlighted until the given time.
    pub highlight: HashMap<String, DateTime<Utc>>,
    /// Loaded rows per status: InProgress, Completed, Failed, other.
    pub counts: [usize; 4],
    pub quit: bool,
    /// The region the client signs for, once known (for `c`).
    pub region: Option<String>,
}

impl State {
    pub fn new(settings: Settings, filter: Filter, now: DateTime<Utc>) -> State {
        let every = settings.refresh_every;
        State {
            settings,
            now,
            filter,
            generation: 0,
            rows: Vec::new(),
            view: Vec::new(),
            selected: 0,
            offset: 0,
            viewport: 10,
            next_token: None,
            first_done: false,
            in_flight: None,
            refresh_pending: false,
            refresh: RefreshClock {
                every,
                paused: false,
                next_at: None,
                last_ok: None,
            },
            error: None,
            notice: None,
            mode: Mode::Table,
            detail_open: false,
            detail_scroll: 0,
            show_log: false,
            search: String::new(),
            events: Vec::new(),
            highlight: HashMap::new(),
            counts: [0; 4],
            quit: false,
            region: None,
        }
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.view.get(self.selected).and_then(|&i| self.rows.get(i))
    }

    pub fn selected_arn(&self) -> Option<String> {
        self.selected_row().map(|r| r.job.job_arn.clone())
    }

    pub fn is_highlighted(&self, arn: &str) -> bool {
        self.highlight
            .get(arn)
            .is_some_and(|until| *until > self.now)
    }

    /// The next instant a timer wants the loop awake: nothing else wakes it.
    pub fn next_deadline(&self) -> Option<DateTime<Utc>> {
        let refresh = self.refresh.next_at.filter(|_| !self.refresh.paused);
        // The header counts down to the refresh: wake when its number changes.
        let countdown = refresh.and_then(|t| {
            let secs = self.countdown()?;
            Some(t - Duration::seconds(secs - 1))
        });
        let highlight = self.highlight.values().min().copied();
        let notice = self.notice.as_ref().and_then(|n| n.until);
        [refresh, countdown, highlight, notice]
            .into_iter()
            .flatten()
            .min()
    }

    /// Whole seconds until the next refresh (rounded up), while one is due.
    pub fn countdown(&self) -> Option<i64> {
        let t = self.refresh.next_at.filter(|_| !self.refresh.paused)?;
        let ms = (t - self.now).num_milliseconds().max(0);
        Some((ms + 999) / 1000)
    }

    /// Recomputes the view and the counts after rows or the search change.
    pub fn rebuild_view(&mut self) {
        let needle = self.search.to_lowercase();
        self.view = if needle.is_empty() {
            (0..self.rows.len()).collect()
        } else {
            (0..self.rows.len())
                .filter(|&i| matches_search(&self.rows[i].job, &needle))
                .collect()
        };
        let mut counts = [0; 4];
        for r in &self.rows {
            let i = match r.job.status {
                Status::InProgress => 0,
                Status::Completed => 1,
                Status::Failed => 2,
                Status::Unknown(_) => 3,
            };
            counts[i] += 1;
        }
        self.counts = counts;
        self.clamp_selection();
    }

    pub fn clamp_selection(&mut self) {
        if self.view.is_empty() {
            self.selected = 0;
            self.offset = 0;
            return;
        }
        self.selected = self.selected.min(self.view.len() - 1);
        let height = self.viewport.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(self.view.len().saturating_sub(1));
    }

    /// Puts the selection on `arn` if it is in view.
    pub fn select_arn(&mut self, arn: &str) -> bool {
        match self
            .view
            .iter()
            .position(|&i| self.rows[i].job.job_arn == arn)
        {
            Some(p) => {
                self.selected = p;
                self.clamp_selection();
                true
            }
            None => false,
        }
    }
}

/// Local search: name, ARNs, tags, failure message; case-insensitive.
/// `needle` is already lowercase.
pub fn matches_search(job: &CopyJob, needle: &str) -> bool {
    let hit = |s: &str| s.to_lowercase().contains(needle);
    job.target_model_name.as_deref().is_some_and(hit)
        || hit(&job.job_arn)
        || hit(&job.target_model_arn)
        || hit(&job.source_model_arn)
        || job.source_model_name.as_deref().is_some_and(hit)
        || job.failure_message.as_deref().is_some_and(hit)
        || job.tags.iter().any(|t| hit(&t.key) || hit(&t.value))
}
