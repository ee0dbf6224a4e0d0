//! `M`: where each model is. One row per source model, one column per
//! region in view, in each cell the newest copy of the model into the
//! region (`domain::matrix`). Built from every job of the window
//! (`app::overview`, shared with `T`) and kept current by the live
//! refresh. Enter opens the table on a cell's jobs, `C` copies the model to
//! the regions still missing it.

use crate::app::change::Change;
use crate::app::msg::Effect;
use crate::app::overview::Overview;
use crate::app::state::{Outcome, Pane, State};
use crate::app::table::READ_ONLY;
use crate::config::keys::Action;
use crate::domain::copy_regions::Support;
use crate::domain::job::Status;
use crate::domain::matrix::{Matrix, Model, NO_COPY, ORIGIN, Slot, UNSUPPORTED};
use crate::domain::plan::WANTED;
use crate::domain::query::Filter;
use crate::output::export::fit;
use crate::output::failures::thousands;
use crate::output::matrix::{cell_text, layout};
use crate::output::sanitize::clean;
use crate::panes::copy::CopyPane;
use crate::ui::theme;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};
use tui_input::Input;

const GAP: &str = "  ";

#[derive(Debug, Clone, Default)]
pub struct ModelsPane {
    /// The selected row among those shown, and the selected region.
    pub row: usize,
    pub column: usize,
    /// Models shown by name (`/`); typed while `typing`.
    pub find: Input,
    pub typing: bool,
    /// The rows found for a text, kept while the text and the matrix's
    /// rows stay the same, so a frame is not a pass over every name.
    found: std::cell::RefCell<Option<Found>>,
    /// The cells the policy wants and no copy is in, counted for the
    /// title: (rows, jobs, regions not read, count). A cell gains a copy
    /// only with a new job, so the count holds until one comes.
    wanted: std::cell::Cell<Option<(usize, usize, usize, usize)>>,
}

/// Rows found: their positions in the matrix's order, for this text and
/// that many rows and jobs (a new row or job may change them).
#[derive(Debug, Clone)]
struct Found {
    needle: String,
    rows: usize,
    jobs: usize,
    at: std::rc::Rc<[usize]>,
}

/// `M`: the pane, reading the window unless it is held already.
pub fn open(state: &mut State) -> (Box<dyn Pane>, Vec<Effect>) {
    let effects = crate::app::query::read_overview(state, false);
    (Box::new(ModelsPane::default()), effects)
}

impl ModelsPane {
    fn needle(&self) -> String {
        self.find.value().trim().to_lowercase()
    }

    /// The rows shown: every model, or those whose name holds the text
    /// typed after `/`. Counted on demand: the matrix changes under the
    /// pane with every refresh.
    fn rows<'a>(&self, m: &'a Matrix) -> Shown<'a> {
        let needle = self.needle();
        if needle.is_empty() {
            return Shown::All(m);
        }
        let mut cache = self.found.borrow_mut();
        let fresh = cache
            .as_ref()
            .is_some_and(|f| f.needle == needle && f.rows == m.rows().len() && f.jobs == m.jobs());
        if !fresh {
            let holds_needle = |model: &Model| {
                let name = match model.source_model_name.as_deref() {
                    Some(name) if !name.is_empty() => holds(name, &needle),
                    _ => holds(&model.display_name(), &needle),
                };
                // Across an organisation's accounts, its account by name
                // or id too (`/security`, `/2222`), as the table's `/`.
                let id: &str = &model.source_account_id;
                name || (m.names_accounts()
                    && (holds(m.account_name(id), &needle) || holds(id, &needle)))
            };
            let at: Vec<usize> = m
                .rows()
                .enumerate()
                .filter(|(_, model)| holds_needle(model))
                .map(|(i, _)| i)
                .collect();
            *cache = Some(Found {
                rows: m.rows().len(),
                jobs: m.jobs(),
                needle,
                at: at.into(),
            });
        }
        let at = cache.as_ref().map(|f| f.at.clone()).unwrap_or_default();
        Shown::Some(m, at)
    }

    fn selected<'a>(&self, m: &'a Matrix) -> Option<&'a Model> {
        self.rows(m).get(self.row)
    }

    /// How many cells the policy wants filled and no copy is in (the
    /// plan's `copy` steps); None without a policy.
    fn wanted(&self, state: &State, unread: &[String]) -> Option<usize> {
        let policy = state.settings.policy.as_ref()?;
        let m = matrix(state)?;
        let key = (m.rows().len(), m.jobs(), unread.len());
        match self.wanted.get() {
            Some((rows, jobs, u, n)) if (rows, jobs, u) == key => Some(n),
            _ => {
                let n = crate::domain::plan::plan(m, policy, unread)
                    .count(crate::domain::plan::Action::Copy);
                self.wanted.set(Some((key.0, key.1, key.2, n)));
                Some(n)
            }
        }
    }
}

/// Whether `text` holds `needle` (lower case), ignoring the case of ASCII
/// letters: a model's name is ASCII (the service's pattern).
fn holds(text: &str, needle: &str) -> bool {
    let (text, needle) = (text.as_bytes(), needle.as_bytes());
    needle.is_empty()
        || text
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// The rows the pane shows, without copying the matrix's order when all are.
enum Shown<'a> {
    All(&'a Matrix),
    /// The positions of the rows found.
    Some(&'a Matrix, std::rc::Rc<[usize]>),
}

impl<'a> Shown<'a> {
    fn len(&self) -> usize {
        match self {
            Shown::All(m) => m.rows().len(),
            Shown::Some(_, at) => at.len(),
        }
    }

    fn get(&self, n: usize) -> Option<&'a Model> {
        match self {
            Shown::All(m) => m.row(n),
            Shown::Some(m, at) => at.get(n).and_then(|i| m.row(*i)),
        }
    }
}

/// The regions none of whose sources could be read: their cells say
/// nothing of the copies there.
pub(crate) fn unread(state: &State) -> Vec<String> {
    let Some(o) = state.overview.as_ref().filter(|o| !o.refused.is_empty()) else {
        return Vec::new();
    };
    let refused = |label: &str| o.refused.iter().any(|(l, _)| l == label);
    let sources = state.engine.sources();
    let mut regions: Vec<String> = sources
        .iter()
        .filter_map(|s| s.region.clone().or_else(|| s.spec.region.clone()))
        .collect();
    regions.sort();
    regions.dedup();
    regions.retain(|r| {
        sources
            .iter()
            .filter(|s| s.region.as_deref().or(s.spec.region.as_deref()) == Some(r))
            .all(|s| refused(&s.label()))
    });
    regions
}

pub(crate) fn matrix(state: &State) -> Option<&Matrix> {
    state
        .overview
        .as_ref()
        .and_then(|o| o.data.as_ref())
        .map(|d| &d.matrix)
}

impl Pane for ModelsPane {
    fn key(&mut self, key: KeyEvent, state: &State) -> Outcome {
        if self.typing {
            match key.code {
                KeyCode::Enter => self.typing = false,
                KeyCode::Esc => {
                    self.typing = false;
                    self.find = Input::default();
                }
                _ => {
                    crate::app::line::edit(&mut self.find, key);
                    self.row = 0;
                }
            }
            return Outcome::stay();
        }
        let action = state.settings.keys.action(&key);
        if matches!(key.code, KeyCode::Esc | KeyCode::Char('q')) || action == Some(Action::Models) {
            return Outcome::close();
        }
        if key.code == KeyCode::Char('r') {
            return Outcome::stay().with(Change::ReadOverview { again: true });
        }
        // The charts of the same jobs, without reading them again.
        if action == Some(Action::Activity) {
            return Outcome::then(Action::Activity);
        }
        // The policy's plan of the same jobs.
        if action == Some(Action::Plan) && state.settings.policy.is_some() {
            return Outcome::then(Action::Plan);
        }
        let Some(m) = matrix(state) else {
            return Outcome::stay();
        };
        let rows = self.rows(m).len();
        if let Some(to) = crate::app::motion::moved(&state.settings.keys, &key, self.row, rows) {
            self.row = to;
            return Outcome::stay();
        }
        let columns = m.regions().len();
        match key.code {
            KeyCode::Left | KeyCode::Char('h') => self.column = self.column.saturating_sub(1),
            KeyCode::Right | KeyCode::Char('l') => {
                self.column = (self.column + 1).min(columns.saturating_sub(1));
            }
            KeyCode::Char('/') => {
                self.typing = true;
            }
            KeyCode::Enter => return self.show_jobs(state),
            KeyCode::Char('C') => return self.copy(state),
            KeyCode::Char('y') => {
                if let Some(model) = self.selected(m) {
                    let arn = model.source_model_arn.to_string();
                    return Outcome::stay()
                        .said("Copied the model ARN to the clipboard (OSC 52)")
                        .doing(vec![Effect::Copy(arn)]);
                }
            }
            _ => return Outcome::not_taken(&key, "the matrix"),
        }
        Outcome::stay()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        draw(frame, area, state, self);
    }

    fn help(&self, state: &State) -> Option<crate::app::state::PaneKeys> {
        if self.typing {
            return None;
        }
        let mut keys = vec![
            ("↑↓ j k", "a model"),
            ("←→ h l", "a region"),
            ("PgUp PgDn g G", "a screen, the first model, the last"),
            ("/", "find models by name"),
            ("Enter", "the table on the model's jobs in that region"),
        ];
        if !state.settings.read_only {
            keys.push(("C", "copy the model to the regions it is missing from"));
        }
        keys.extend([
            ("y", "copy the model's ARN"),
            ("T", "the charts of the same jobs"),
            ("r", "read the filter window again"),
            ("Esc q M", "close"),
        ]);
        Some(crate::app::state::PaneKeys {
            title: "M (where each model is)",
            keys,
        })
    }
}

impl ModelsPane {
    /// Enter: the table on the model's jobs (`sourceModelArnEquals`) in the
    /// cell's region; across an organisation's accounts, in the account of
    /// the cell's newest copy too (the model's own, unless another account
    /// copied it there).
    fn show_jobs(&mut self, state: &State) -> Outcome {
        let Some(m) = matrix(state) else {
            return Outcome::stay();
        };
        let (Some(model), Some(region)) = (self.selected(m), m.regions().get(self.column)) else {
            return Outcome::stay();
        };
        let (arn, region, name) = (
            model.source_model_arn.to_string(),
            region.clone(),
            model.display_name(),
        );
        let Some(cell) = model.cell(self.column) else {
            return Outcome::stay().said(format!(
                "No copy of {} into {region} in this window",
                clean(&name)
            ));
        };
        let filter = Filter {
            source_model_arn: Some(arn),
            ..state.filter().clone()
        };
        let account = state
            .multi_account()
            .then(|| cell.job_arn().split(':').nth(4).map(str::to_string))
            .flatten();
        // The narrowing replaces a local search typed before: kept, it
        // would hide the model's jobs behind text the header may have no
        // room to show, and Esc would undo it before the narrowing.
        let searched = !state.search.is_empty();
        let dropped = if searched {
            "; local search dropped"
        } else {
            ""
        };
        let said = match &account {
            Some(id) => format!(
                "{}'s copies in {} {region}{dropped} (Esc: every account and region)",
                clean(&name),
                clean(&state.account_label(id))
            ),
            None => format!(
                "{}'s copies into {region}{dropped} (Esc: every region)",
                clean(&name)
            ),
        };
        let outcome = if searched {
            Outcome::close().with(Change::ClearSearch)
        } else {
            Outcome::close()
        };
        outcome
            .with(Change::Filter(filter))
            .with(Change::OnlyRegion(Some(region)))
            .with(Change::OnlyAccount(account))
            .said(said)
    }

    /// `C`: the copy pane for the selected model, the regions in view it
    /// can go to and has no completed copy in already checked.
    fn copy(&mut self, state: &State) -> Outcome {
        if state.settings.read_only {
            return Outcome::stay().said(READ_ONLY);
        }
        let Some(m) = matrix(state) else {
            return Outcome::stay();
        };
        let Some(model) = self.selected(m) else {
            return Outcome::stay();
        };
        let unread = unread(state);
        let mut have = Vec::new();
        let mut missing = Vec::new();
        for (column, region) in m.regions().iter().enumerate() {
            // A region not read may hold a copy already: left for the
            // user to check.
            if unread.contains(region) {
                continue;
            }
            let slot = m.slot(model, column);
            let done = slot.copy.is_some_and(|c| c.status() == Status::Completed);
            if slot.copy.is_some() {
                have.push(region.clone());
            }
            if !done && !slot.origin && slot.support == Support::Supported {
                missing.push(region.clone());
            }
        }
        // Named after the model's name; a model the service gave no name
        // (a foundation model) as `copy` names it.
        let name = model
            .source_model_name
            .as_deref()
            .and_then(crate::domain::copy::name_after)
            .unwrap_or_else(|| crate::domain::copy::default_name(&model.source_model_arn));
        let mut pane = CopyPane::of_model(
            &model.source_model_arn,
            name,
            Vec::new(),
            &have,
            &state.settings.copy_regions,
        );
        pane.check(&missing);
        // Opened over the matrix: Esc in it comes back here, as it was.
        Outcome::open(Box::new(pane))
    }
}

// Drawing.

pub fn draw(frame: &mut Frame, area: Rect, state: &State, pane: &ModelsPane) {
    let area = above_status(area);
    frame.render_widget(Clear, area);
    let o = state.overview.as_ref();
    let data = o.and_then(|o| o.data.as_ref());
    let unread = unread(state);
    let wanted = pane.wanted(state, &unread);
    let title = title(state, wanted);
    let help = if pane.typing {
        " type a name · Enter keep · Esc clear "
    } else if state.settings.read_only {
        " ↑↓ model · ←→ region · / find · Enter its jobs · y ARN · T charts · r read again · Esc "
    } else {
        " ↑↓ model · ←→ region · / find · Enter its jobs · C copy · y ARN · T charts · r read again · Esc "
    };
    let block = Block::bordered()
        .title(Span::styled(title, theme::title()))
        .title_bottom(Span::styled(
            fit_title(help, area.width.saturating_sub(2)),
            theme::dim(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(data) = data else {
        frame.render_widget(reading(o), inner);
        return;
    };
    let m = &data.matrix;
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(3),
    ])
    .areas(inner);
    let shown = pane.rows(m);
    let height = usize::from(body.height).max(1);
    let row = pane.row.min(shown.len().saturating_sub(1));
    // The selection stays on screen: the page it is on.
    let top = row - row % height;
    let rows = top..(top + height).min(shown.len());
    // The columns are as wide as what this page holds.
    let page = rows.clone().filter_map(|n| shown.get(n));
    let layout = layout(m, page, usize::from(inner.width), state.now);
    let header: Vec<Span> = cells(layout.header(m.regions()), None)
        .into_iter()
        .map(|s| s.style(theme::header_row()))
        .collect();
    frame.render_widget(Paragraph::new(Line::from(header)), head);
    let page = Page {
        matrix: m,
        shown: &shown,
        layout: &layout,
        rows,
        row,
        column: pane.column,
        unread: &unread,
        policy: state.settings.policy.as_ref(),
        now: state.now,
    };
    if shown.len() == 0 {
        frame.render_widget(
            Nothing {
                pane,
                accounts: m.names_accounts(),
            },
            body,
        );
    } else {
        frame.render_widget(page, body);
    }
    let foot_widget = Foot {
        selected: selected_line(pane, shown.get(row), m, state),
        pane,
        found: shown.len(),
        models: m.rows().len(),
        policy: wanted.is_some(),
    };
    frame.render_widget(foot_widget, foot);
}

/// A page of the matrix: a line per model, a cell per region; the selected
/// model shows by its name, the selected cell by itself (both read without
/// colour).
struct Page<'a> {
    matrix: &'a Matrix,
    shown: &'a Shown<'a>,
    layout: &'a crate::output::matrix::Layout,
    /// The rows of the page, among those shown.
    rows: std::ops::Range<usize>,
    /// The selected row and region.
    row: usize,
    column: usize,
    /// The regions not read: their cells say so.
    unread: &'a [String],
    /// The replication policy: an empty cell it wants filled is ○.
    policy: Option<&'a crate::domain::policy::Policy>,
    now: chrono::DateTime<chrono::Utc>,
}

impl Widget for Page<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let lines: Vec<Line> = self
            .rows
            .clone()
            .filter_map(|n| Some((n, self.shown.get(n)?)))
            .map(|(n, model)| self.line(model, n == self.row))
            .collect();
        Paragraph::new(lines).render(area, buf);
    }
}

impl Page<'_> {
    fn line(&self, model: &Model, selected: bool) -> Line<'static> {
        let (m, l) = (self.matrix, self.layout);
        let mut fixed = l.model(m, model);
        let mut styles: Vec<Style> = vec![Style::new(); 4];
        if selected {
            styles[0] = theme::selected();
        }
        for (column, region) in m.regions().iter().enumerate() {
            let slot = m.slot(model, column);
            let (text, style) = if self.unread.contains(region) {
                ("? not read".to_string(), theme::error())
            } else if wanted_here(&slot, self.policy, model, region) {
                (WANTED.to_string(), theme::error())
            } else {
                (cell_text(&slot, self.now), slot_style(&slot))
            };
            fixed.push((text, l.regions.get(column).copied().unwrap_or(0)));
            styles.push(if selected && column == self.column {
                theme::selected()
            } else {
                style
            });
        }
        Line::from(cells(fixed, Some(&styles)))
    }
}

/// Where no model is shown: none in the window, or none found.
struct Nothing<'a> {
    pane: &'a ModelsPane,
    /// The matrix names accounts: `/` finds them too.
    accounts: bool,
}

impl Widget for Nothing<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let text = if self.pane.needle().is_empty() {
            " No copy jobs in this filter window.".to_string()
        } else {
            format!(
                " No model's name{} holds \"{}\".",
                if self.accounts { " or account" } else { "" },
                clean(self.pane.find.value())
            )
        };
        Paragraph::new(Line::from(Span::styled(text, theme::dim()))).render(area, buf);
    }
}

/// Under the matrix: the selected cell in words, the text found by (while
/// there is one), and what the cells' symbols mean.
struct Foot<'a> {
    selected: Line<'static>,
    pane: &'a ModelsPane,
    /// Models shown, of how many.
    found: usize,
    models: usize,
    /// A policy is set: its mark is explained.
    policy: bool,
}

impl Widget for Foot<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let pane = self.pane;
        let mut lines = vec![self.selected];
        if pane.typing || !pane.needle().is_empty() {
            lines.push(Line::from(vec![
                Span::styled(" find: ", theme::label()),
                Span::styled(
                    format!(
                        "{}{} ",
                        clean(pane.find.value()),
                        if pane.typing { "▏" } else { "" }
                    ),
                    theme::key(),
                ),
                Span::styled(
                    format!(
                        "({} of {} models)",
                        thousands(self.found),
                        thousands(self.models)
                    ),
                    theme::dim(),
                ),
            ]));
        }
        let wanted = if self.policy {
            format!(" · {WANTED} the policy wants a copy here (P its plan)")
        } else {
            String::new()
        };
        lines.push(Line::from(Span::styled(
            format!(
                " ✔ completed, started … ago · ◐ running for … · ✘ failed: its cause · ×N copies · {ORIGIN} its own region · {NO_COPY} no copy · {UNSUPPORTED} cannot go there{wanted}"
            ),
            theme::dim(),
        )));
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .render(area, buf);
    }
}

/// The title: how many models, jobs and regions, under which filters, and
/// what was not read.
fn title(state: &State, wanted: Option<usize>) -> String {
    let o = state.overview.as_ref();
    let wanted = wanted.map_or_else(String::new, |n| {
        format!(" · {WANTED} {} missing", thousands(n))
    });
    match o.and_then(|o| o.data.as_ref()) {
        Some(d) => format!(
            " where each model is · {} source model{}{} · {} copy job{} · {} region{}{}{}{}{wanted} ",
            thousands(d.matrix.rows().len()),
            plural(d.matrix.rows().len()),
            never_copied(d.matrix.never_copied()),
            thousands(d.matrix.jobs()),
            plural(d.matrix.jobs()),
            d.matrix.regions().len(),
            plural(d.matrix.regions().len()),
            every_status(state),
            window_filters(state),
            not_read(o),
        ),
        None => " where each model is ".to_string(),
    }
}

/// Said after the count of models when some were never copied: the
/// account lists them, no job of the window copies them.
fn never_copied(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" · {} never copied", thousands(n))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The sources the window read could not read, for a title.
pub fn not_read(o: Option<&Overview>) -> String {
    let labels: Vec<String> = o
        .map(|o| {
            o.refused
                .iter()
                .map(|(l, _)| clean(l).into_owned())
                .collect()
        })
        .unwrap_or_default();
    let sources = o.map_or(0, |o| o.specs.len());
    if labels.is_empty() {
        String::new()
    } else if labels.len() > crate::ui::header::NAMED_FAILURES {
        // Counted as the header counts them ("✘ 5 of 92 sources"): an
        // organisation's refused sources named one by one ran the title
        // off the screen. S and the log say which.
        format!(" · ✘ {} of {sources} sources not read", labels.len())
    } else {
        format!(" · ✘ {} not read", labels.join(", "))
    }
}

/// Said in a title when the table filters by status and the pane does not.
pub fn every_status(state: &State) -> &'static str {
    if state.filter().status.is_some() {
        " · every status"
    } else {
        ""
    }
}

/// Said in a title when the table's other filters (name, time, account,
/// source model) narrow the window the pane reads: " · name~fraud · after
/// 2025-06-01 12:00". The status is [`every_status`]'s to say.
pub fn window_filters(state: &State) -> String {
    let f = crate::domain::query::Filter {
        status: None,
        sort: crate::domain::query::Sort::default(),
        ..state.filter().clone()
    };
    f.chips(&state.settings.tz)
        .iter()
        .map(|c| format!(" · {}", clean(c)))
        .collect()
}

/// A border's title in `room` cells: whole, or cut with "…" so a cut key
/// list never passes for the whole one.
pub fn fit_title(title: &str, room: u16) -> String {
    let room = usize::from(room);
    if crate::ui::cut::width(title) <= room {
        return title.to_string();
    }
    format!(
        "{} ",
        crate::ui::cut::end(title.trim_end(), room.saturating_sub(1))
    )
}

/// The frame less its last line: the status bar stays in sight, with what
/// the pane's keys say (a copied ARN, a refusal).
pub fn above_status(area: Rect) -> Rect {
    Rect {
        height: area.height.saturating_sub(1),
        ..area
    }
}

/// While the window is read: the count so far, or why it could not be.
pub fn reading(o: Option<&Overview>) -> Paragraph<'static> {
    let mut lines = vec![match o.and_then(|o| o.error.as_ref()) {
        Some(e) => Line::from(Span::styled(
            format!(" Could not read the jobs: {} (r reads again)", clean(e)),
            theme::error(),
        )),
        None => Line::from(Span::styled(
            format!(
                " reading every job of the filter window… {}",
                thousands(o.map_or(0, |o| o.read))
            ),
            theme::dim(),
        )),
    }];
    for (label, e) in o.map_or(&[][..], |o| o.refused.as_slice()) {
        lines.push(Line::from(Span::styled(
            format!(" ✘ {}: {}", clean(label), clean(e)),
            theme::error(),
        )));
    }
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

/// The cells fitted to their widths, a gap between them; a width of 0
/// leaves a column out.
fn cells(cells: Vec<(String, usize)>, styles: Option<&[Style]>) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    for (i, (text, w)) in cells.into_iter().enumerate() {
        if w == 0 {
            continue;
        }
        if !out.is_empty() {
            out.push(Span::raw(GAP));
        }
        let style = styles.and_then(|s| s.get(i)).copied().unwrap_or_default();
        out.push(Span::styled(fit(&text, w), style));
    }
    out
}

/// Whether a cell is one the policy wants filled and no copy is in (nor
/// can be: the model's own region, one its base model cannot go to).
fn wanted_here(
    slot: &Slot<'_>,
    policy: Option<&crate::domain::policy::Policy>,
    model: &Model,
    region: &str,
) -> bool {
    slot.copy.is_none()
        && !slot.origin
        && slot.support != Support::Unsupported
        && model.copyable()
        && policy.is_some_and(|p| p.wants(model, region))
}

fn slot_style(slot: &Slot<'_>) -> Style {
    match slot.copy {
        Some(c) => theme::status_style(&c.status()),
        None => theme::dim(),
    }
}

/// What the selected cell holds, in words.
fn selected_line(
    pane: &ModelsPane,
    model: Option<&Model>,
    m: &Matrix,
    state: &State,
) -> Line<'static> {
    let (Some(model), Some(region)) = (model, m.regions().get(pane.column)) else {
        return Line::default();
    };
    let slot = m.slot(model, pane.column);
    let name = clean(&model.display_name()).into_owned();
    if unread(state).contains(region) {
        let why = state
            .overview
            .as_ref()
            .and_then(|o| o.refused.iter().find(|(l, _)| l.ends_with(region.as_str())))
            .map(|(_, e)| clean(e).into_owned())
            .unwrap_or_default();
        return Line::from(vec![
            Span::styled(format!(" {name} → {region}: "), theme::label()),
            Span::styled(format!("? not read: {why}"), theme::error()),
        ]);
    }
    let what = match slot.copy {
        Some(c) => {
            let status = c.status();
            let when = crate::domain::column::age(c.created, state.now);
            let more = if c.copies > 1 {
                format!(" · {} copies in all", c.copies)
            } else {
                String::new()
            };
            let said = match &status {
                Status::Completed => format!("completed, started {when} ago"),
                Status::InProgress => format!("running for {when}"),
                Status::Failed => format!(
                    "failed: {}",
                    crate::domain::failures::short_cause(c.failure_message())
                ),
                Status::Unknown(s) => s.clone(),
            };
            format!("{} {said}{more} · Enter shows its jobs", slot.symbol())
        }
        None if slot.origin => format!("{ORIGIN} the model lives here"),
        None if slot.support == Support::Unsupported => format!(
            "{UNSUPPORTED} copies of {} cannot go here",
            model.base_model().unwrap_or("its base model")
        ),
        None if wanted_here(&slot, state.settings.policy.as_ref(), model, region) => {
            format!("{WANTED} the policy wants a copy here · C copies it · P the plan")
        }
        None => format!("{NO_COPY} no copy in this window · C copies it"),
    };
    // A model the account lists that nothing copies: say so, and what the
    // service says of it (a model still being made cannot be copied yet).
    let what = match (model.never_copied(), model.model_status()) {
        (true, Some(status)) => format!("{what} · never copied · the model is {status}"),
        (true, None) => format!("{what} · never copied"),
        _ => what,
    };
    Line::from(vec![
        Span::styled(format!(" {name} → {region}: "), theme::label()),
        Span::raw(clean(&what).into_owned()),
    ])
}
