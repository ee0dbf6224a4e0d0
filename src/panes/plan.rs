//! `P`: the replication policy's plan, the same steps as `copyjobs plan`
//! (`domain::plan`) over the matrix `M` shows (the filter window, read
//! once and kept current by the live refresh). Enter asks, then sends the
//! `copy` and `retry` steps as `C` sends its copies (one CreateModelCopyJob
//! each, the token derived from model, region and name); off under
//! read-only.

use crate::app::change::Change;
use crate::app::msg::Effect;
use crate::app::state::{Outcome, Pane, PaneKeys, State};
use crate::app::table::{READ_ONLY, notice};
use crate::config::keys::Action;
use crate::domain::plan::{Action as Do, Plan, plan};
use crate::output::failures::thousands;
use crate::output::sanitize::clean;
use crate::panes::models::{above_status, fit_title, matrix, reading, unread};
use crate::ui::theme;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

#[derive(Debug, Clone, Default)]
pub struct PlanPane {
    /// The selected step.
    pub row: usize,
    /// Enter was pressed: the question is on screen.
    pub confirm: bool,
    /// The plan of the matrix as it was, kept while nothing in it moves:
    /// 2,000 models take tens of milliseconds to plan, too long for every
    /// frame.
    held: std::cell::RefCell<Option<(Key, std::rc::Rc<Plan>)>>,
}

/// What the plan depends on that changes: rows, jobs, the regions not
/// read, and the count of each status (a copy finishing moves them).
type Key = (usize, usize, usize, [u32; 4]);

/// `P`: the pane, reading the window unless it is held already; nothing
/// without a policy.
pub fn open(state: &mut State) -> Option<(Box<dyn Pane>, Vec<Effect>)> {
    if state.settings.policy.is_none() {
        notice(
            state,
            "No replication policy: --policy PATH, or [[replicate]] tables in the config",
        );
        return None;
    }
    let effects = crate::app::query::read_overview(state, false);
    Some((Box::new(PlanPane::default()), effects))
}

impl PlanPane {
    /// The plan of what the window holds, once it is read.
    fn current(&self, state: &State) -> Option<std::rc::Rc<Plan>> {
        let policy = state.settings.policy.as_ref()?;
        let data = state.overview.as_ref()?.data.as_ref()?;
        let m = matrix(state)?;
        let unread = unread(state);
        let t = &data.stats.total;
        let key = (
            m.rows().len(),
            m.jobs(),
            unread.len(),
            [t.in_progress, t.completed, t.failed, t.other],
        );
        let mut held = self.held.borrow_mut();
        match held.as_ref() {
            Some((k, p)) if *k == key => Some(p.clone()),
            _ => {
                let p = std::rc::Rc::new(plan(m, policy, &unread));
                *held = Some((key, p.clone()));
                Some(p)
            }
        }
    }
}

impl Pane for PlanPane {
    fn key(&mut self, key: KeyEvent, state: &State) -> Outcome {
        if self.confirm {
            return match key.code {
                KeyCode::Enter => self.send(state),
                _ => {
                    self.confirm = false;
                    Outcome::stay().said("Nothing sent")
                }
            };
        }
        let action = state.settings.keys.action(&key);
        if matches!(key.code, KeyCode::Esc | KeyCode::Char('q')) || action == Some(Action::Plan) {
            return Outcome::close();
        }
        if key.code == KeyCode::Char('r') {
            return Outcome::stay().with(Change::ReadOverview { again: true });
        }
        if action == Some(Action::Models) {
            return Outcome::then(Action::Models);
        }
        let Some(p) = self.current(state) else {
            return Outcome::stay();
        };
        if let Some(to) =
            crate::app::motion::moved(&state.settings.keys, &key, self.row, p.steps.len())
        {
            self.row = to;
            return Outcome::stay();
        }
        match key.code {
            KeyCode::Enter => {
                if state.settings.read_only {
                    return Outcome::stay().said(READ_ONLY);
                }
                if !p.drift() {
                    return Outcome::stay().said("Nothing to create: the plan is in sync");
                }
                self.confirm = true;
                Outcome::stay()
            }
            _ => Outcome::not_taken(&key, "the plan"),
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        draw(frame, area, state, self);
    }

    fn help(&self, state: &State) -> Option<PaneKeys> {
        let mut keys = vec![
            ("↑↓ j k", "a step"),
            ("PgUp PgDn g G", "a screen, the first step, the last"),
        ];
        if !state.settings.read_only {
            keys.push(("Enter", "create the missing copies (asks first)"));
        }
        keys.extend([
            ("M", "the matrix of the same jobs"),
            ("r", "read the filter window again"),
            ("Esc q P", "close"),
        ]);
        Some(PaneKeys {
            title: "P (the replication plan)",
            keys,
        })
    }
}

impl PlanPane {
    /// The question answered: one CreateModelCopyJob a `copy` or `retry`
    /// step, sent as `C` sends them.
    fn send(&mut self, state: &State) -> Outcome {
        self.confirm = false;
        if state.settings.read_only {
            return Outcome::stay().said(READ_ONLY);
        }
        let Some(p) = self.current(state) else {
            return Outcome::stay();
        };
        let effects: Vec<Effect> = p
            .steps
            .iter()
            .filter_map(|s| s.request.clone())
            .map(|request| crate::panes::copy::create(state, request, None))
            .collect();
        let said = format!("Sending {} copies…", effects.len());
        Outcome::stay().said(said).doing(effects)
    }
}

// Drawing.

fn style(action: Do) -> Style {
    match action {
        Do::Copy | Do::Retry => theme::error(),
        Do::InProgress => theme::key(),
        Do::Cannot => theme::dim(),
        Do::Ok => Style::new(),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, pane: &PlanPane) {
    let area = above_status(area);
    frame.render_widget(Clear, area);
    let o = state.overview.as_ref();
    let p = pane.current(state);
    let title = match &p {
        Some(p) => format!(
            " the replication plan · {} to copy · {} to retry · {} in progress · {} cannot · {} ok{} ",
            thousands(p.count(Do::Copy)),
            thousands(p.count(Do::Retry)),
            thousands(p.count(Do::InProgress)),
            thousands(p.count(Do::Cannot)),
            thousands(p.count(Do::Ok)),
            crate::panes::models::not_read(o),
        ),
        None => " the replication plan ".to_string(),
    };
    let help = if state.settings.read_only {
        " ↑↓ step · M matrix · r read again · Esc · read-only: Enter is off "
    } else {
        " ↑↓ step · Enter create the missing copies · M matrix · r read again · Esc "
    };
    let block = Block::bordered()
        .title(Span::styled(
            fit_title(&title, area.width.saturating_sub(2)),
            theme::title(),
        ))
        .title_bottom(Span::styled(
            fit_title(help, area.width.saturating_sub(2)),
            theme::dim(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(p) = p else {
        frame.render_widget(reading(o), inner);
        return;
    };
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(2),
    ])
    .areas(inner);
    let width = usize::from(inner.width);
    let name_w = p
        .steps
        .iter()
        .map(|s| crate::ui::cut::width(&s.model_name))
        .max()
        .unwrap_or(5)
        .clamp(5, 32);
    let region_w = 14;
    let action_w = 11;
    let detail_w = width.saturating_sub(name_w + region_w + action_w + 7);
    let row_text = |name: &str, region: &str, action: &str, detail: &str| {
        format!(
            " {}  {}  {}  {}",
            crate::output::export::fit(name, name_w),
            crate::output::export::fit(region, region_w),
            crate::output::export::fit(action, action_w),
            crate::ui::cut::end(detail, detail_w)
        )
    };
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            row_text("MODEL", "REGION", "ACTION", "DETAIL"),
            theme::header_row(),
        ))),
        head,
    );
    let height = usize::from(body.height).max(1);
    let row = pane.row.min(p.steps.len().saturating_sub(1));
    let top = row - row % height;
    let lines: Vec<Line> = p
        .steps
        .iter()
        .enumerate()
        .skip(top)
        .take(height)
        .map(|(n, s)| {
            let text = row_text(
                &clean(&s.model_name),
                &s.region,
                s.action.words(),
                &clean(&s.detail),
            );
            let style = if n == row {
                theme::selected()
            } else {
                style(s.action)
            };
            Line::from(Span::styled(text, style))
        })
        .collect();
    if lines.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                " No model the policy picks is in this filter window.",
                theme::dim(),
            ))),
            body,
        );
    } else {
        frame.render_widget(Paragraph::new(lines), body);
    }
    let selected = p
        .steps
        .get(row)
        .map(|s| {
            format!(
                " {} → {}: {} {}",
                clean(&s.model_name),
                s.region,
                s.action.words(),
                clean(&s.detail)
            )
        })
        .unwrap_or_default();
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(selected, theme::label())))
            .wrap(Wrap { trim: true }),
        foot,
    );
    if pane.confirm {
        draw_question(frame, area, &p);
    }
}

/// The question Enter asks: what will be sent, and the keys.
fn draw_question(frame: &mut Frame, area: Rect, p: &Plan) {
    let r = crate::ui::centered(area, 70, 12);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .title(Span::styled(" apply the plan ", theme::title()))
        .title_bottom(Span::styled(
            " Enter sends · any other key cancels ",
            theme::dim(),
        ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut by_region: Vec<(String, usize)> = Vec::new();
    for s in p.steps.iter().filter(|s| s.action.creates()) {
        match by_region.iter_mut().find(|(r, _)| *r == s.region) {
            Some((_, n)) => *n += 1,
            None => by_region.push((s.region.clone(), 1)),
        }
    }
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                " {} CreateModelCopyJob ({} copy, {} retry), each in its region, its token derived from model, region and name:",
                p.count(Do::Copy) + p.count(Do::Retry),
                p.count(Do::Copy),
                p.count(Do::Retry)
            ),
            theme::label(),
        )),
        Line::default(),
    ];
    lines.extend(
        by_region
            .into_iter()
            .map(|(r, n)| Line::from(format!("   {r}: {n}"))),
    );
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
