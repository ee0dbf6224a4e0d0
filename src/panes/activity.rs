//! `T`: the activity of the filter window in pictures: copies a day
//! stacked by status, the share of each day's finished copies that failed,
//! and copies by destination region. The numbers are `domain::stats`'s,
//! from the jobs read for the matrix (`app::overview`): opening one pane
//! after the other costs no request, and the live refresh moves the bars.
//!
//! Each status has its own glyph as well as its colour, so the charts read
//! under `NO_COLOR` and on a monochrome terminal.

use crate::app::change::Change;
use crate::app::msg::Effect;
use crate::app::state::{Outcome, Pane, State};
use crate::config::keys::Action;
use crate::domain::job::Status;
use crate::domain::stats::{Counts, Stats};
use crate::output::failures::thousands;
use crate::ui::theme;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, Chart, Clear, Dataset, GraphType, Paragraph,
};

/// The glyphs of the stacked bars, bottom up.
const COMPLETED: char = '█';
const FAILED: char = '▒';
const RUNNING: char = '░';

#[derive(Debug, Clone, Default)]
pub struct ActivityPane;

/// `T`: the pane, reading the window unless it is held already.
pub fn open(state: &mut State) -> (Box<dyn Pane>, Vec<Effect>) {
    let effects = crate::app::query::read_overview(state, false);
    (Box::new(ActivityPane), effects)
}

impl Pane for ActivityPane {
    fn key(&mut self, key: KeyEvent, state: &State) -> Outcome {
        let action = state.settings.keys.action(&key);
        if matches!(key.code, KeyCode::Esc | KeyCode::Char('q')) || action == Some(Action::Activity)
        {
            return Outcome::close();
        }
        if key.code == KeyCode::Char('r') {
            return Outcome::stay().with(Change::ReadOverview { again: true });
        }
        // The matrix of the same jobs, without reading them again.
        if action == Some(Action::Models) {
            return Outcome::then(Action::Models);
        }
        Outcome::not_taken(&key, "the charts")
    }

    fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        draw(frame, area, state);
    }

    fn help(&self, _state: &State) -> Option<crate::app::state::PaneKeys> {
        Some(crate::app::state::PaneKeys {
            title: "T (the activity)",
            keys: vec![
                ("r", "read the filter window again"),
                ("M", "the matrix of the same jobs"),
                ("Esc q T", "close"),
            ],
        })
    }
}

// Drawing.

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let area = crate::panes::models::above_status(area);
    frame.render_widget(Clear, area);
    let o = state.overview.as_ref();
    let stats = o.and_then(|o| o.data.as_ref()).map(|d| &d.stats);
    let title = match stats {
        Some(s) => format!(
            " the activity · {} cop{} over {} day{}{}{}{}{} ",
            thousands(s.total.total() as usize),
            if s.total.total() == 1 { "y" } else { "ies" },
            s.days.len(),
            if s.days.len() == 1 { "" } else { "s" },
            share(&s.total)
                .map(|p| format!(" · {p} of the finished failed"))
                .unwrap_or_default(),
            crate::panes::models::every_status(state),
            crate::panes::models::window_filters(state),
            crate::panes::models::not_read(o),
        ),
        None => " the activity ".to_string(),
    };
    let block = Block::bordered()
        .title(Span::styled(title, theme::title()))
        .title_bottom(Span::styled(
            " r read again · M the matrix · Esc close ",
            theme::dim(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(stats) = stats else {
        frame.render_widget(crate::panes::models::reading(o), inner);
        return;
    };
    if stats.total.total() == 0 {
        frame.render_widget(
            Paragraph::new(" No copy jobs in this filter window."),
            inner,
        );
        return;
    }
    let [top, bottom, legend] = Layout::vertical([
        Constraint::Percentage(55),
        Constraint::Min(5),
        Constraint::Length(1),
    ])
    .areas(inner);
    let [share_area, regions_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    // The plot's columns: the y labels and the axis take six.
    // The plot's rows: the title, the x axis and its labels take three.
    let series = Series::of(stats, usize::from(top.width.saturating_sub(6)))
        .legible(usize::from(top.height.saturating_sub(3)));
    frame.render_widget(per_day(&series), top);
    let series_share = Series::of(stats, usize::from(share_area.width.saturating_sub(6)));
    frame.render_widget(failed_share(&series_share), share_area);
    frame.render_widget(per_region(stats, regions_area), regions_area);
    let total = &stats.total;
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!(
                    " {COMPLETED} completed {}",
                    thousands(total.completed as usize)
                ),
                theme::status_style(&Status::Completed),
            ),
            Span::styled(
                format!("  {FAILED} failed {}", thousands(total.failed as usize)),
                theme::status_style(&Status::Failed),
            ),
            Span::styled(
                format!(
                    "  {RUNNING} running {}",
                    thousands(total.in_progress as usize)
                ),
                theme::status_style(&Status::InProgress),
            ),
            Span::styled("  · days are creation days", theme::dim()),
        ])),
        legend,
    );
}

fn share(c: &Counts) -> Option<String> {
    c.failed_share().map(|s| format!("{:.0} %", s * 100.0))
}

/// The points the charts draw, made for a frame (a chart borrows them).
/// More days than the chart has columns are summed `days` at a time, so
/// bars never overlap.
struct Series {
    /// Days a bar holds, and the first day of each bar.
    days: usize,
    starts: Vec<chrono::NaiveDate>,
    /// A stack's heights: every copy, the completed and failed ones, the
    /// completed ones.
    all: Vec<(f64, f64)>,
    finished: Vec<(f64, f64)>,
    completed: Vec<(f64, f64)>,
    /// The failed share, where a day has finished copies.
    share: Vec<(f64, f64)>,
}

impl Series {
    fn of(stats: &Stats, columns: usize) -> Series {
        let days = stats.days.len().div_ceil(columns.max(1)).max(1);
        let bars: Vec<(chrono::NaiveDate, Counts)> = stats
            .days
            .chunks(days)
            .map(|chunk| {
                let mut sum = Counts::default();
                for d in chunk {
                    sum.in_progress += d.counts.in_progress;
                    sum.completed += d.counts.completed;
                    sum.failed += d.counts.failed;
                    sum.other += d.counts.other;
                }
                (chunk[0].date, sum)
            })
            .collect();
        let stack = |f: fn(&Counts) -> u32| -> Vec<(f64, f64)> {
            bars.iter()
                .enumerate()
                .map(|(i, (_, c))| (i as f64, f64::from(f(c))))
                .collect()
        };
        Series {
            days,
            starts: bars.iter().map(|(d, _)| *d).collect(),
            all: stack(|c| c.total()),
            finished: stack(|c| c.completed + c.failed),
            completed: stack(|c| c.completed),
            share: bars
                .iter()
                .enumerate()
                .filter_map(|(i, (_, c))| c.failed_share().map(|s| (i as f64, s * 100.0)))
                .collect(),
        }
    }

    /// Each status a bar holds at least a row of its stack, in a chart of
    /// `rows` rows: beside a day of 600 copies, a day of one failure and
    /// one completion still shows its `▒` (drawn at one row's height, not
    /// lost under the `█`). A bar's height is then a reading, not a measure,
    /// only for what is under a row.
    fn legible(mut self, rows: usize) -> Series {
        let top = self.all.iter().map(|p| p.1).fold(0.0, f64::max);
        if rows == 0 || top <= 0.0 {
            return self;
        }
        let row = top / rows as f64;
        for i in 0..self.all.len() {
            let (completed, finished, all) =
                (self.completed[i].1, self.finished[i].1, self.all[i].1);
            let c = if completed > 0.0 {
                completed.max(row)
            } else {
                0.0
            };
            let f = if finished > completed {
                finished.max(c + row)
            } else {
                c
            };
            let a = if all > finished { all.max(f + row) } else { f };
            self.completed[i].1 = c;
            self.finished[i].1 = f;
            self.all[i].1 = a;
        }
        // A day without copies draws nothing, not a bar on the ground.
        for stack in [&mut self.completed, &mut self.finished, &mut self.all] {
            stack.retain(|p| p.1 > 0.0);
        }
        self
    }

    /// The x axis: a bar a step, labelled by the first, middle and last
    /// bar's first day.
    fn x_axis(&self) -> Axis<'static> {
        let label = |d: &chrono::NaiveDate| Span::raw(d.format("%m-%d").to_string());
        let labels = match self.starts.as_slice() {
            [] => Vec::new(),
            [one] => vec![label(one)],
            [first, .., last] if self.starts.len() > 4 => {
                vec![
                    label(first),
                    label(&self.starts[self.starts.len() / 2]),
                    label(last),
                ]
            }
            [first, .., last] => vec![label(first), label(last)],
        };
        Axis::default()
            .bounds([-0.5, self.starts.len() as f64 - 0.5])
            .labels(labels)
            .style(theme::dim())
    }

    /// "a day", or "per 3 days" when a bar holds several.
    fn per(&self) -> String {
        if self.days == 1 {
            "a day".to_string()
        } else {
            format!("per {} days", self.days)
        }
    }
}

/// Copies a day, stacked by status: each status drawn from the ground up
/// to the sum of it and those below it, the lower ones over it.
fn per_day(series: &Series) -> Chart<'_> {
    let top = series.all.iter().map(|p| p.1).fold(0.0, f64::max).max(1.0);
    let dataset = |name: &'static str, data, glyph: char, status: Status| {
        Dataset::default()
            .name(name)
            .graph_type(GraphType::Bar)
            .marker(Marker::Custom(glyph))
            .style(theme::status_style(&status))
            .data(data)
    };
    Chart::new(vec![
        dataset("running", &series.all, RUNNING, Status::InProgress),
        dataset("failed", &series.finished, FAILED, Status::Failed),
        dataset("completed", &series.completed, COMPLETED, Status::Completed),
    ])
    .block(Block::new().title(Span::styled(
        format!(" copies {} ", series.per()),
        theme::label(),
    )))
    .legend_position(None)
    .x_axis(series.x_axis())
    .y_axis(
        Axis::default()
            .bounds([0.0, top])
            .labels(vec![Span::raw("0"), Span::raw(format!("{top:.0}"))])
            .style(theme::dim()),
    )
}

/// The share of each day's finished copies that failed, 0 to 100 %; a
/// day with none finished has no point.
fn failed_share(series: &Series) -> Chart<'_> {
    Chart::new(vec![
        Dataset::default()
            .name("failed")
            .graph_type(GraphType::Line)
            .marker(Marker::Braille)
            .style(theme::status_style(&Status::Failed))
            .data(&series.share),
    ])
    .block(Block::new().title(Span::styled(
        format!(" failed, % of the finished {} ", series.per()),
        theme::label(),
    )))
    .legend_position(None)
    .x_axis(series.x_axis())
    .y_axis(
        Axis::default()
            .bounds([0.0, 100.0])
            .labels(vec![Span::raw("0"), Span::raw("50"), Span::raw("100")])
            .style(theme::dim()),
    )
}

/// Copies by destination region, most first, as many as fit.
fn per_region(stats: &Stats, area: Rect) -> BarChart<'static> {
    let room = usize::from(area.height.saturating_sub(1));
    let bars: Vec<Bar> = stats
        .regions
        .iter()
        .take(room)
        .map(|r| {
            Bar::default()
                .value(u64::from(r.counts.total()))
                .label(Line::from(r.region.clone()))
                // A cell after the count, so it does not run into the bar.
                .text_value(format!("{} ", thousands(r.counts.total() as usize)))
                .style(theme::status_style(&Status::Completed))
                .value_style(theme::title())
        })
        .collect();
    BarChart::default()
        .block(Block::new().title(Span::styled(" copies by region ", theme::label())))
        .direction(Direction::Horizontal)
        .bar_width(1)
        .bar_gap(0)
        .data(BarGroup::default().bars(&bars))
}
