//! `F`: why copies fail. Every failed job of the filter window is read
//! (all pages, every source; a count while it reads), grouped by its
//! normalised failure message; Enter lists a cause's jobs, Enter on one
//! shows it in the table.

use crate::app::change::Change;
use crate::app::msg::{Effect, Msg, Purpose, WindowAnswer};
use crate::app::state::{Outcome, Pane, PaneKeys, State};
use crate::domain::failures::{self, Group};
use crate::domain::job::CopyJob;
use crate::domain::query::Filter;
use crate::domain::query::human_duration;
use crate::output::failures::thousands;
use crate::output::sanitize::clean;
use crate::ui::theme;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Clear, List, ListItem, ListState, Paragraph, StatefulWidget, Widget, Wrap,
};

#[derive(Debug, Clone, PartialEq)]
pub struct FailuresPane {
    /// Which read this pane waits for: answers of an older one are dropped.
    pub generation: u64,
    /// Failed jobs read so far, while reading.
    pub read: usize,
    /// The groups once everything is read.
    pub groups: Option<Vec<Group>>,
    pub error: Option<String>,
    /// Sources that could not be read (label, the service's answer): the
    /// groups are of the others.
    pub refused: Vec<(String, String)>,
    pub selected: usize,
    /// The group whose jobs are listed, and the job selected among them.
    pub open: Option<usize>,
    pub job: usize,
}

/// What a key did in the pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Stay,
    Close,
    /// Close and put the selection on this job in the table.
    Show(String),
    /// Copy this job ARN.
    Copy(String),
    /// A key the pane does not take: said, not lost.
    NotTaken,
}

impl FailuresPane {
    pub fn new(generation: u64) -> FailuresPane {
        FailuresPane {
            generation,
            read: 0,
            groups: None,
            error: None,
            refused: Vec::new(),
            selected: 0,
            open: None,
            job: 0,
        }
    }

    pub fn loaded(&mut self, jobs: &[CopyJob]) {
        self.read = jobs.len();
        self.groups = Some(failures::group(jobs));
    }

    pub fn total(&self) -> usize {
        self.groups
            .as_ref()
            .map_or(0, |g| g.iter().map(|g| g.count).sum())
    }

    fn open_group(&self) -> Option<&Group> {
        self.groups.as_ref()?.get(self.open?)
    }

    pub fn key(&mut self, key: KeyEvent) -> Step {
        let groups = self.groups.as_ref().map_or(0, Vec::len);
        let jobs = self.open_group().map_or(0, |g| g.job_arns.len());
        let (cursor, len) = if self.open.is_some() {
            (&mut self.job, jobs)
        } else {
            (&mut self.selected, groups)
        };
        let last = len.saturating_sub(1);
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => *cursor = (*cursor + 1).min(last),
            KeyCode::Up | KeyCode::Char('k') => *cursor = cursor.saturating_sub(1),
            KeyCode::PageDown => *cursor = (*cursor + 10).min(last),
            KeyCode::PageUp => *cursor = cursor.saturating_sub(10),
            KeyCode::Home | KeyCode::Char('g') => *cursor = 0,
            KeyCode::End | KeyCode::Char('G') => *cursor = last,
            KeyCode::Enter if self.open.is_none() && groups > 0 => {
                self.open = Some(self.selected);
                self.job = 0;
            }
            KeyCode::Enter => {
                if let Some(arn) = self.open_group().and_then(|g| g.job_arns.get(self.job)) {
                    return Step::Show(arn.clone());
                }
            }
            KeyCode::Char('y') => {
                if let Some(arn) = self.open_group().and_then(|g| g.job_arns.get(self.job)) {
                    return Step::Copy(arn.clone());
                }
            }
            KeyCode::Esc | KeyCode::Left | KeyCode::Backspace if self.open.is_some() => {
                self.open = None;
            }
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('F') => return Step::Close,
            _ => return Step::NotTaken,
        }
        Step::Stay
    }
}

/// `F`: the pane, and the read of every failed job of the window.
pub fn open(state: &mut State) -> (Box<dyn Pane>, Vec<Effect>) {
    state.reads += 1;
    let generation = state.reads;
    let filter = Filter {
        status: Some(crate::domain::job::Status::Failed),
        ..state.filter().clone()
    };
    let specs = state.source_specs();
    (
        Box::new(FailuresPane::new(generation)),
        vec![Effect::ReadWindow {
            purpose: Purpose::Failures,
            generation,
            filter,
            specs,
        }],
    )
}

impl Pane for FailuresPane {
    fn key(&mut self, key: KeyEvent, _state: &State) -> Outcome {
        match FailuresPane::key(self, key) {
            Step::Stay => Outcome::stay(),
            Step::NotTaken => Outcome::not_taken(&key, "the failures"),
            Step::Close => Outcome::close(),
            Step::Copy(arn) => Outcome::stay()
                .said("Copied the job ARN to the clipboard (OSC 52)")
                .doing(vec![Effect::Copy(arn)]),
            Step::Show(arn) => Outcome::close().with(Change::ShowFailedJob(arn)),
        }
    }

    /// The read's progress, the sources it could not read, and its jobs;
    /// an answer to an older read (the pane closed and opened again) is
    /// dropped.
    fn receive(&mut self, msg: &Msg, _state: &State) -> Vec<Effect> {
        match msg.window_answer(self.generation) {
            Some(WindowAnswer::Progress(read)) => self.read = read,
            Some(WindowAnswer::Refused(refused)) => self.refused = refused.to_vec(),
            Some(WindowAnswer::Read(Ok(jobs))) => self.loaded(jobs),
            Some(WindowAnswer::Read(Err(e))) => self.error = Some(e.clone()),
            None => {}
        }
        Vec::new()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        draw(frame, area, state, self);
    }

    fn help(&self, _state: &State) -> Option<PaneKeys> {
        Some(PaneKeys {
            title: "F (the failures)",
            keys: vec![
                ("↑↓ j k", "a cause, or a job of the cause opened"),
                ("PgUp PgDn g G", "a screen, the first, the last"),
                ("Enter", "a cause's jobs; on a job, it in the table"),
                ("y", "copy the job's ARN"),
                ("Esc ← Backspace", "back to the causes"),
                ("Esc q F", "close"),
            ],
        })
    }
}

// Drawing.

pub fn draw(frame: &mut Frame, area: Rect, state: &State, pane: &FailuresPane) {
    let r = crate::ui::centered(
        area,
        area.width.saturating_sub(4).max(20),
        area.height.saturating_sub(2).max(6),
    );
    frame.render_widget(Clear, r);
    let title = title(pane);
    let help = if pane.open.is_some() {
        " ↑↓ job · Enter show in the table · y copy ARN · Esc back "
    } else {
        " ↑↓ cause · Enter its jobs · Esc close "
    };
    let block = Block::bordered()
        .title(Span::styled(title, theme::title()))
        .title_bottom(Span::styled(help, theme::dim()));
    let mut inner = block.inner(r);
    frame.render_widget(block, r);
    if pane.groups.is_some() && !pane.refused.is_empty() {
        inner = draw_refused(frame, inner, &pane.refused);
    }
    let Some(groups) = &pane.groups else {
        let line = match &pane.error {
            Some(e) => Line::from(Span::styled(
                format!(" Could not read the failed jobs: {}", clean(e)),
                theme::error(),
            )),
            None => Line::from(Span::styled(
                format!(" reading failed jobs… {}", thousands(pane.read)),
                theme::dim(),
            )),
        };
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), inner);
        return;
    };
    if groups.is_empty() {
        frame.render_widget(
            Paragraph::new(" No failed jobs in this filter window."),
            inner,
        );
        return;
    }
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Percentage(45), Constraint::Min(4)]).areas(inner);
    let list = Groups {
        pane,
        groups,
        now: state.now,
    };
    frame.render_widget(list, list_area);
    let Some(group) = groups.get(pane.open.unwrap_or(pane.selected)) else {
        return;
    };
    if pane.open.is_some() {
        let jobs = Jobs {
            group,
            job: pane.job,
        };
        frame.render_widget(jobs, detail_area);
    } else {
        let tz = &state.settings.tz;
        // An organisation's accounts by name and id, as the table says them.
        let accounts = group
            .source_accounts
            .iter()
            .map(|id| state.account_label(id))
            .collect::<Vec<_>>()
            .join(", ");
        frame.render_widget(
            Cause {
                group,
                tz,
                accounts,
            },
            detail_area,
        );
    }
}

/// The title: how many failed, for how many causes, and what was not read.
fn title(pane: &FailuresPane) -> String {
    let not_read = match pane.refused.len() {
        0 => String::new(),
        1 => "· 1 source not read ".to_string(),
        n => format!("· {n} sources not read "),
    };
    match &pane.groups {
        Some(g) => format!(
            " why copies fail · {} failed job{} in this filter window, {} cause{} {not_read}",
            thousands(pane.total()),
            if pane.total() == 1 { "" } else { "s" },
            g.len(),
            if g.len() == 1 { "" } else { "s" }
        ),
        None => " why copies fail ".to_string(),
    }
}

/// The causes, most frequent first, with their share and how recent.
struct Groups<'a> {
    pane: &'a FailuresPane,
    groups: &'a [Group],
    now: chrono::DateTime<chrono::Utc>,
}

impl Widget for Groups<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let total = self.pane.total().max(1);
        let width = usize::from(area.width).saturating_sub(30);
        let items: Vec<ListItem> = self
            .groups
            .iter()
            .map(|g| {
                // Cut with "…", so a cut cause never passes for the whole one.
                let pattern = crate::ui::cut::end(&clean(&g.pattern), width.max(10));
                ListItem::new(Line::from(vec![
                    Span::styled(format!(" {:>6} ", thousands(g.count)), theme::key()),
                    Span::raw(format!("{:>4}% ", g.count * 100 / total)),
                    Span::styled(
                        format!("{:>9} ago  ", human_duration(self.now - g.newest)),
                        theme::dim(),
                    ),
                    Span::raw(pattern),
                ]))
            })
            .collect();
        let mut ls = ListState::default().with_selected(Some(self.pane.selected));
        StatefulWidget::render(
            List::new(items)
                .block(Block::new().title(Span::styled(
                    "  count share   newest      cause",
                    theme::header_row(),
                )))
                .highlight_style(if self.pane.open.is_some() {
                    theme::dim()
                } else {
                    theme::selected()
                }),
            area,
            buf,
            &mut ls,
        );
    }
}

/// An opened cause's jobs, newest first.
struct Jobs<'a> {
    group: &'a Group,
    /// The job selected.
    job: usize,
}

impl Widget for Jobs<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let g = self.group;
        let items: Vec<ListItem> = g
            .job_arns
            .iter()
            .map(|a| ListItem::new(format!(" {}", clean(a))))
            .collect();
        let mut js = ListState::default().with_selected(Some(self.job));
        StatefulWidget::render(
            List::new(items)
                .block(Block::new().title(Span::styled(
                    format!(" {} jobs, newest first ", g.job_arns.len()),
                    theme::label(),
                )))
                .highlight_style(theme::selected()),
            area,
            buf,
            &mut js,
        );
    }
}

/// The selected cause in full: how often, since when, from which accounts.
struct Cause<'a> {
    group: &'a Group,
    tz: &'a chrono::FixedOffset,
    /// The source accounts, named where the organisation names them.
    accounts: String,
}

impl Widget for Cause<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (g, tz) = (self.group, self.tz);
        // Each value wraps under itself, not under its label.
        let width = usize::from(area.width);
        let field = |label: &str, value: &str| {
            crate::ui::detail::labelled(
                label,
                10,
                theme::label(),
                value,
                ratatui::style::Style::new(),
                width,
            )
        };
        let mut lines = field(" Cause", &g.pattern);
        lines.extend(field(
            " Seen",
            &format!(
                "{} times, first {}, newest {}",
                g.count,
                crate::ui::local(g.first, tz, "%Y-%m-%d %H:%M"),
                crate::ui::local(g.newest, tz, "%Y-%m-%d %H:%M")
            ),
        ));
        lines.extend(field(" Accounts", &self.accounts));
        lines.extend(field(" Example", &g.example));
        Paragraph::new(lines).render(area, buf);
    }
}

/// A line for each source that could not be read, naming it and the
/// service's answer, above the groups of the others; returns the room left.
fn draw_refused(frame: &mut Frame, area: Rect, refused: &[(String, String)]) -> Rect {
    let lines: Vec<Line> = refused
        .iter()
        .map(|(label, e)| {
            Line::from(Span::styled(
                format!(" ✘ {} not read, so not counted: {}", clean(label), clean(e)),
                theme::error(),
            ))
        })
        .collect();
    let width = usize::from(area.width.max(1));
    let wrapped: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    // Whole and a blank line, unless that would leave the groups no room.
    let want = u16::try_from(wrapped + 1).unwrap_or(u16::MAX);
    let height = want.min(area.height / 3).max(1);
    let [top, rest] =
        Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(area);
    frame.render_widget(paragraph, top);
    rest
}

#[cfg(test)]
mod count_tests {
    use super::*;

    /// F's title counts as T and the header do (`9,865`), where it wrote
    /// `9865 failed jobs` beside T's `9,861`.
    #[test]
    fn the_title_groups_thousands_as_t_does() {
        let mut pane = FailuresPane::new(1);
        let at = chrono::DateTime::from_timestamp(1_748_779_200, 0).expect("valid");
        pane.groups = Some(vec![Group {
            pattern: "AccessDeniedException".into(),
            count: 9865,
            first: at,
            newest: at,
            source_accounts: Vec::new(),
            job_arns: Vec::new(),
            example: "AccessDeniedException".into(),
        }]);
        let t = title(&pane);
        assert!(t.contains("9,865 failed jobs"), "{t}");
    }
}
