//! The dashboard's whole state. `update` changes it, the UI only reads it.

use super::change::Change;
use super::msg::{Effect, Msg};
use crate::domain::job::{CopyJob, Status};
use crate::domain::query::Filter;
use crate::watch::{Engine, Row};
use chrono::{DateTime, Duration, Utc};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::collections::HashMap;

use crate::config::Settings;

/// Refresh intervals `+` and `-` step through: from the config's least to
/// its most, so a key reaches every interval a flag can set.
pub const REFRESH_STEPS: &[i64] = &[1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
const _: () = assert!(
    REFRESH_STEPS[0] == crate::config::REFRESH_MIN as i64
        && REFRESH_STEPS[REFRESH_STEPS.len() - 1] == crate::config::REFRESH_MAX as i64
);
/// How long a row whose status changed stays highlighted.
pub const HIGHLIGHT_FOR: Duration = Duration::seconds(30);
/// How long a confirmation stays in the status bar.
pub const NOTICE_FOR: Duration = Duration::seconds(5);

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
    pub until: Option<DateTime<Utc>>,
}

/// Where the keys go and what the status line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// No pane is open: the table has the keys.
    Table,
    /// A box over the table (the filter panes, help, pickers…).
    Overlay,
    /// The status line is the pane's: a prompt (export, `:`) or a question.
    Prompt,
    /// The status line is the local search's box; the table follows it.
    Search,
    /// The event log has the keys.
    Log,
}

/// What a key did to an open pane: where the keys go next, what the
/// shared state is to become (`changes`, made by `dashboard::update` in
/// order) and the work to start (`effects`, after the changes' own).
///
/// The panes are a stack: the one on top has the keys, and closing it
/// gives them back to the one under it, as it was, or to the table.
pub struct Outcome {
    pub next: Next,
    pub changes: Vec<Change>,
    pub effects: Vec<Effect>,
}

/// Where the keys go after a pane's key.
pub enum Next {
    /// The pane stays open.
    Stay,
    /// The pane closes: the keys go back to the pane it was opened over
    /// (as it was), or to the table.
    Close,
    /// Opens a pane over this one ("open over"): its close returns here.
    /// `C` from `M` is one; `?` over a pane is another (`dashboard::update`).
    Open(Box<dyn Pane>),
    /// The pane closes and the table does this action, as its key would
    /// (one pane opening another without knowing it, or a table key
    /// pressed in the event log): a pane that opens takes this one's place
    /// ("replace"), over what this one was opened over. `T` from `M` and
    /// `M` from `T` switch this way, two views of the same jobs: Esc in
    /// either leaves both.
    Then(crate::config::keys::Action),
}

impl Outcome {
    fn to(next: Next) -> Outcome {
        Outcome {
            next,
            changes: Vec::new(),
            effects: Vec::new(),
        }
    }

    pub fn stay() -> Outcome {
        Outcome::to(Next::Stay)
    }

    pub fn close() -> Outcome {
        Outcome::to(Next::Close)
    }

    pub fn open(pane: Box<dyn Pane>) -> Outcome {
        Outcome::to(Next::Open(pane))
    }

    pub fn then(action: crate::config::keys::Action) -> Outcome {
        Outcome::to(Next::Then(action))
    }

    /// And this change to the shared state.
    pub fn with(mut self, change: Change) -> Outcome {
        self.changes.push(change);
        self
    }

    /// And this said in the status bar.
    pub fn said(self, text: impl Into<String>) -> Outcome {
        self.with(Change::Notice(text.into()))
    }

    /// And this work started.
    pub fn doing(mut self, effects: Vec<Effect>) -> Outcome {
        self.effects.extend(effects);
        self
    }

    /// A key the pane does not take, said in the status bar.
    pub fn not_taken(key: &KeyEvent, pane: &str) -> Outcome {
        let said = Change::not_taken(key, pane);
        Outcome {
            changes: said.into_iter().collect(),
            ..Outcome::stay()
        }
    }
}

/// A pane: while on top of the stack it has the keys. It reads the state
/// and changes only itself; what the dashboard is to change or do comes
/// back in the `Outcome` (pure: never I/O). It draws itself from the state
/// it is given. A new pane is one of these and one line where
/// `dashboard::keys` opens it.
pub trait Pane: std::fmt::Debug + PaneBox {
    /// Where the keys go and what the status line is while it is open.
    fn focus(&self) -> Focus {
        Focus::Overlay
    }

    fn key(&mut self, key: KeyEvent, state: &State) -> Outcome;

    /// A message meant for the open panes (a read one started, its
    /// progress); each takes its own and leaves the others'.
    fn receive(&mut self, _msg: &Msg, _state: &State) -> Vec<Effect> {
        Vec::new()
    }

    /// Draws the pane over the frame's `area`, the table (and the panes
    /// under it in the stack) drawn under it.
    fn draw(&self, frame: &mut Frame, area: Rect, state: &State);

    /// The pane's own keys, shown by `?` over it (Esc returns to it); None
    /// where `?` is the pane's to take (a field being typed in).
    fn help(&self, _state: &State) -> Option<PaneKeys> {
        None
    }
}

/// A pane's keys as its `?` lists them: its name, then each key and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaneKeys {
    pub title: &'static str,
    pub keys: Vec<(&'static str, &'static str)>,
}

/// What every pane can do as a boxed value: be cloned with the state; in
/// tests, be looked at as what it is (`State::pane_as`).
pub trait PaneBox {
    fn clone_box(&self) -> Box<dyn Pane>;
    #[cfg(test)]
    fn as_any(&self) -> &dyn std::any::Any;
}

impl<T: Pane + Clone + 'static> PaneBox for T {
    fn clone_box(&self) -> Box<dyn Pane> {
        Box::new(self.clone())
    }
    #[cfg(test)]
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl Clone for Box<dyn Pane> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// The local history as the dashboard uses it: the durations of each group
/// (for ETAs) and what finished jobs took, read in the background.
#[derive(Debug, Clone, Default)]
pub struct HistoryView {
    /// The history is kept (not `--no-history`).
    pub on: bool,
    pub groups: Option<crate::history::Groups>,
    /// When the groups were last asked for: read again as copies finish,
    /// at most once a minute.
    pub asked: Option<DateTime<Utc>>,
    /// Finished jobs' durations, by ARN, as far as asked for.
    pub took: HashMap<String, Option<crate::history::Took>>,
}

impl HistoryView {
    /// A running job's estimate, for the Ran column and the detail pane.
    pub fn eta(&self, job: &CopyJob, now: DateTime<Utc>) -> Option<crate::history::Eta> {
        self.groups.as_ref()?.eta(job, now)
    }
}

/// A line of the table: a pinned job (kept at the top) or a loaded row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Pinned(usize),
    Row(usize),
}

#[derive(Debug, Clone)]
pub struct State {
    pub settings: Settings,
    pub now: DateTime<Utc>,
    /// Every source's listing, merged; paging and refresh state.
    pub engine: Engine,
    /// What the table shows: pinned jobs, then the shown rows the local
    /// search keeps.
    pub view: Vec<Slot>,
    /// Index into `view`.
    pub selected: usize,
    /// First `view` index on screen.
    pub offset: usize,
    /// Body rows of the table on screen.
    pub viewport: usize,
    /// An error that is not a source's (reading the terminal).
    pub error: Option<Notice>,
    /// A passing confirmation.
    pub notice: Option<Notice>,
    /// The open panes, each opened over the one before it: the last has
    /// the keys, and closing it gives them back to the one under it.
    pub panes: Vec<Box<dyn Pane>>,
    pub detail_open: bool,
    /// Lines the detail pane is scrolled by (J/K); back to 0 on a new selection.
    pub detail_scroll: u16,
    pub show_log: bool,
    /// The applied local search (empty: none).
    pub search: String,
    /// Only the rows of this region (the matrix's Enter on a cell); Esc or
    /// `s` shows every region again.
    pub region_only: Option<String>,
    /// Only the rows of this account (an id; the matrix's Enter on a cell
    /// of an organisation's): Esc shows every account again.
    pub account_only: Option<String>,
    /// Every account the session has read (an organisation's, found at
    /// start or added since), with the profile it is reached from: `S`
    /// offers them all, the unchecked ones too.
    pub accounts: Vec<(Option<String>, crate::watch::source::Reach)>,
    pub events: super::log::EventLog,
    /// The event log's cursor (kept while the log is closed).
    pub log: super::log::LogPane,
    /// Rows whose status changed, highlighted until the given time.
    pub highlight: HashMap<String, DateTime<Utc>>,
    /// Loaded (shown) rows per status: InProgress, Completed, Failed, other.
    pub counts: [usize; 4],
    /// New rows above the screen since the selection left the first row
    /// ("↑ 12 new" in the header; `g` goes there), and what the last
    /// refresh changed.
    pub arrivals: super::follow::Arrivals,
    /// The time filters as last typed (see `Settings::typed_times`).
    pub typed_times: (String, String),
    /// The loaded rows sorted by a column (descending when true) instead of
    /// the service's creation-time order; `o` returns to that order.
    pub column_sort: Option<(crate::domain::column::Column, bool)>,
    /// Numbers each read of the whole window (`F`, `M`, `T`), so a late
    /// answer to a closed pane or an older read is dropped.
    pub reads: u64,
    /// The whole window for `M` and `T`, once asked for.
    pub overview: Option<super::overview::Overview>,
    /// Last session's pins on their way back.
    pub pins: super::pins::Restore,
    /// What the local history knows, when it is kept.
    pub history: HistoryView,
    /// Moves whenever `update` changed something a frame shows, except what
    /// moves with the clock and with each source's requests (the event loop
    /// compares those itself): an answer that changed nothing leaves it, so
    /// 300 sources' unchanged refreshes draw nothing.
    pub revision: u64,
    pub quit: bool,
}

impl State {
    pub fn new(settings: Settings, filter: Filter, now: DateTime<Utc>) -> State {
        let mut engine = Engine::new(
            filter,
            settings.page_size,
            settings.refresh_every,
            &settings.sources,
        );
        engine.lag = settings.visibility_lag;
        engine.batched = true;
        let (detail_open, show_log) = (settings.detail_open, settings.show_log);
        let typed_times = settings.typed_times.clone();
        let column_sort = settings.column_sort;
        let mut accounts = Vec::new();
        known_accounts(&mut accounts, &settings.sources);
        State {
            settings,
            now,
            engine,
            view: Vec::new(),
            selected: 0,
            offset: 0,
            viewport: 10,
            error: None,
            notice: None,
            panes: Vec::new(),
            detail_open,
            detail_scroll: 0,
            show_log,
            search: String::new(),
            region_only: None,
            account_only: None,
            events: Default::default(),
            log: Default::default(),
            highlight: HashMap::new(),
            counts: [0; 4],
            arrivals: Default::default(),
            typed_times,
            column_sort,
            reads: 0,
            overview: None,
            pins: Default::default(),
            history: HistoryView::default(),
            revision: 0,
            quit: false,
            accounts,
        }
    }

    /// The name the sources give account `id` (`ml-prod · 111122223333`),
    /// or the id alone.
    pub fn account_label(&self, id: &str) -> String {
        self.accounts
            .iter()
            .find(|(_, r)| r.account.id == id)
            .map(|(_, r)| r.account.label())
            // A suspended account is not read, but the organisation named it.
            .or_else(|| crate::cli::accounts::known_label(id))
            .unwrap_or_else(|| id.to_string())
    }

    /// Where the keys go: the pane on top's focus, else the table.
    pub fn focus(&self) -> Focus {
        self.panes.last().map_or(Focus::Table, |p| p.focus())
    }

    /// The pane on top, if it is a `T` (tests look into it).
    #[cfg(test)]
    pub fn pane_as<T: 'static>(&self) -> Option<&T> {
        self.panes.last()?.as_any().downcast_ref::<T>()
    }

    pub fn filter(&self) -> &Filter {
        self.engine.filter()
    }

    /// What this session looks at now, to remember: the filter, with its
    /// times in the words they were typed in, and the panes.
    pub fn current_view(&self) -> crate::config::views::SavedView {
        let text = crate::domain::filter_text::FilterText::of(self.filter(), &self.typed_times);
        crate::config::views::SavedView {
            detail_open: self.detail_open,
            show_log: self.show_log,
            columns: self.settings.columns.clone(),
            sort_column: self.column_sort.map(|(c, _)| c),
            sort_descending: self.column_sort.is_some_and(|(_, d)| d),
            config: self.settings.config_stamp.clone(),
            pinned: self
                .engine
                .pinned()
                .iter()
                .map(|r| r.job.job_arn.clone())
                .chain(self.pins.pending().cloned())
                .collect(),
            ..crate::config::views::SavedView::of_filter(&text)
        }
    }

    /// More than one region: the table says where each job lives.
    pub fn multi_region(&self) -> bool {
        let mut regions: Vec<Option<&str>> = self
            .engine
            .sources()
            .iter()
            .map(|s| s.region.as_deref())
            .collect();
        regions.sort_unstable();
        regions.dedup();
        regions.len() > 1
    }

    pub fn multi_profile(&self) -> bool {
        let mut profiles: Vec<Option<&str>> = self
            .engine
            .sources()
            .iter()
            .map(|s| s.spec.profile.as_deref())
            .collect();
        profiles.sort_unstable();
        profiles.dedup();
        profiles.len() > 1
    }

    /// More than one account (an organisation's): the table says whose
    /// each job is.
    pub fn multi_account(&self) -> bool {
        let mut accounts: Vec<Option<&str>> = self
            .engine
            .sources()
            .iter()
            .map(|s| s.spec.account.as_ref().map(|r| r.account.id.as_str()))
            .collect();
        accounts.sort_unstable();
        accounts.dedup();
        accounts.len() > 1
    }

    /// Every account read, labelled as the Account column labels it
    /// (`ml-prod · 111122223333`, cleaned for the terminal): what a cut
    /// label must tell apart (`cut::accounts`).
    pub fn account_labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = self
            .engine
            .sources()
            .iter()
            .filter_map(|s| s.spec.account_label())
            .map(|l| crate::output::sanitize::clean(&l).into_owned())
            .collect();
        labels.sort_unstable();
        labels.dedup();
        labels
    }

    pub fn row(&self, slot: Slot) -> Option<&Row> {
        match slot {
            Slot::Pinned(i) => self.engine.pinned().get(i),
            Slot::Row(i) => self.engine.shown().get(i),
        }
    }

    /// Where a request about `source`'s jobs goes, as an AWS CLI command
    /// must say it: the source's region and profile (else the session's)
    /// and the session's endpoint. A create is sent with the same profile.
    pub fn cli_target(
        &self,
        source: Option<crate::watch::SourceId>,
    ) -> crate::output::export::CliTarget<'_> {
        let source = source.and_then(|id| self.engine.source(id));
        let target = &self.settings.target;
        crate::output::export::CliTarget {
            region: source.and_then(|s| s.region.as_deref()),
            profile: source
                .and_then(|s| s.spec.profile.as_deref())
                .or(target.profile.as_deref()),
            endpoint_url: (self.settings.cli_endpoint.as_deref())
                .or(target.endpoint_url.as_deref()),
            role: source.and_then(|s| s.spec.account.as_ref()).map(|r| {
                crate::output::export::CliRole {
                    account: &r.account.id,
                    role: &r.role,
                    sso: r.sso,
                }
            }),
        }
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.view.get(self.selected).and_then(|&s| self.row(s))
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
        let refresh = self.engine.next_refresh();
        // The header counts down to the refresh: wake when its number changes.
        let countdown = refresh.and_then(|t| {
            let secs = self.countdown()?;
            Some(t - Duration::seconds(secs - 1))
        });
        let highlight = self.highlight.values().min().copied();
        let notice = self.notice.as_ref().and_then(|n| n.until);
        // Woken when the earliest is due, not earlier: a batch also takes
        // those due within half a gap of it (`Engine::batched`), but a wake-up
        // half a gap early each time made a lone source refresh early every
        // interval (4.75 s apart at 5 s).
        [refresh, countdown, highlight, notice]
            .into_iter()
            .flatten()
            .min()
    }

    /// Whole seconds until the next refresh (rounded up), while one is due.
    pub fn countdown(&self) -> Option<i64> {
        let t = self.engine.next_refresh()?;
        let ms = (t - self.now).num_milliseconds().max(0);
        Some((ms + 999) / 1000)
    }

    /// The window `M` and `T` read: the table's, every status (a matrix of
    /// failed copies only would show a failure where a newer copy
    /// completed), in one order.
    pub fn overview_window(&self) -> Filter {
        Filter {
            status: None,
            sort: crate::domain::query::Sort::default(),
            ..self.filter().clone()
        }
    }

    /// The sources as they are asked now.
    pub fn source_specs(&self) -> Vec<crate::watch::SourceSpec> {
        self.engine
            .sources()
            .iter()
            .map(crate::watch::Source::effective_spec)
            .collect()
    }

    /// Whether the overview held is of the window and sources shown now.
    pub fn overview_current(&self) -> bool {
        let (filter, specs) = (self.overview_window(), self.source_specs());
        self.overview
            .as_ref()
            .is_some_and(|o| o.current(&filter, &specs))
    }

    /// Recomputes the view and the counts after rows or the search change.
    pub fn rebuild_view(&mut self) {
        let needle = self.search.to_lowercase();
        let engine = &self.engine;
        let pinned = engine.pinned();
        let region = self.region_only.as_deref();
        let account = self.account_only.as_deref();
        // The sources whose account the search names (by name or id): their
        // rows are kept whatever the job says.
        let named: Vec<crate::watch::SourceId> = if needle.is_empty() {
            Vec::new()
        } else {
            engine
                .sources()
                .iter()
                .filter(|s| {
                    s.spec
                        .account
                        .as_ref()
                        .is_some_and(|r| r.account.matches(&needle))
                })
                .map(|s| s.id)
                .collect()
        };
        let keep = |row: &Row| {
            let job = &row.job;
            (needle.is_empty() || named.contains(&row.source) || matches_search(job, &needle))
                && region.is_none_or(|r| job.region() == r)
                && account.is_none_or(|a| job.account() == a)
        };
        let mut view: Vec<Slot> = (0..pinned.len())
            .filter(|&i| keep(&pinned[i]))
            .map(Slot::Pinned)
            .collect();
        // The header counts every loaded job, the few a page's last instant
        // holds back until the next page (see `Engine::shown`) and the
        // pinned ones included: it says "of N loaded" of the same jobs.
        let mut counts = [0; 4];
        for r in engine.rows() {
            counts[match r.job.status {
                Status::InProgress => 0,
                Status::Completed => 1,
                Status::Failed => 2,
                Status::Unknown(_) => 3,
            }] += 1;
        }
        for (i, r) in engine.shown().iter().enumerate() {
            // A pinned job shows once, at the top.
            if !pinned.is_empty() && engine.is_pinned(&r.job.job_arn) {
                continue;
            }
            if keep(r) {
                view.push(Slot::Row(i));
            }
        }
        if let Some((column, desc)) = self.column_sort {
            // Stable: equal rows keep the service's order under them.
            let first = view
                .iter()
                .take_while(|s| matches!(s, Slot::Pinned(_)))
                .count();
            let shown = engine.shown();
            let profile = |r: &Row| {
                engine
                    .source(r.source)
                    .and_then(|s| s.spec.profile.as_deref())
                    .unwrap_or("default")
            };
            let now = self.now;
            view[first..].sort_by(|a, b| {
                let (Slot::Row(a), Slot::Row(b)) = (a, b) else {
                    return std::cmp::Ordering::Equal;
                };
                let (ra, rb) = (&shown[*a], &shown[*b]);
                let o = column.compare(
                    (&ra.job, profile(ra), ra.since),
                    (&rb.job, profile(rb), rb.since),
                    now,
                );
                if desc { o.reverse() } else { o }
            });
        }
        self.view = view;
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
        let found = self
            .view
            .iter()
            .position(|&s| self.row(s).is_some_and(|r| r.job.job_arn == arn));
        match found {
            Some(p) => {
                self.selected = p;
                self.clamp_selection();
                true
            }
            None => false,
        }
    }
}

/// Adds the accounts of `specs` not yet in `known`, in their order.
pub fn known_accounts(
    known: &mut Vec<(Option<String>, crate::watch::source::Reach)>,
    specs: &[crate::watch::SourceSpec],
) {
    for s in specs {
        if let Some(r) = &s.account
            && !known.iter().any(|(_, k)| k.account.id == r.account.id)
        {
            known.push((s.profile.clone(), r.clone()));
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
