//! Drawing the dashboard: the header, the table, the detail pane, the event
//! log and the status line, then the open pane over them (each pane draws
//! itself: `panes`). Everything here only reads the state.

pub use crate::output::cut;
pub mod detail;
pub mod header;
pub mod log;
pub mod statusbar;
pub mod table;
pub mod theme;

use crate::app::State;
use chrono::{DateTime, FixedOffset, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

/// Draws a frame and returns the table's body height, which `update` needs
/// for paging (the loop hands it back as `Msg::Viewport`).
pub fn draw(frame: &mut Frame, state: &State) -> usize {
    draw_reusing(frame, state, None, false)
}

/// [`draw`], the table's cells copied from the last frame's where nothing
/// but the clock moved since and the table's own moving texts read the
/// same (`table::Reuse`): the event loop's frames.
pub fn draw_reusing(
    frame: &mut Frame,
    state: &State,
    reuse: Option<&mut table::Reuse>,
    clock_only: bool,
) -> usize {
    theme::install(state.settings.theme);
    let area = frame.area();
    let Some(p) = panes(area, state) else {
        frame.render_widget(
            ratatui::widgets::Paragraph::new("copyjobs: window too small"),
            area,
        );
        return 1;
    };
    header::draw(frame, p.head, state);
    let height = match reuse {
        Some(reuse) => table::draw_reusing(frame, p.table, state, reuse, clock_only),
        None => table::draw(frame, p.table, state),
    };
    if let Some(d) = p.detail {
        detail::draw(frame, d, state);
    }
    if let Some(l) = p.log {
        log::draw(frame, l, state);
    }
    statusbar::draw(frame, p.status, state);
    // The open panes over what they leave of the table, each over the one
    // it was opened from.
    for pane in &state.panes {
        pane.draw(frame, area, state);
    }
    height
}

/// What a frame shows that moves without [`State::revision`]: the clock's
/// second (ages, countdowns), the last answer's second (the status bar's
/// "last refresh"), the refresh label and a failing source's retry (they
/// move with every source's requests) and a page on its way ("loading…").
/// The event loop draws again when this reads otherwise; cheap beside a
/// frame, it is asked after every message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moving {
    second: i64,
    last_answer: Option<i64>,
    labels: String,
    loading: bool,
}

impl Moving {
    pub fn of(state: &State) -> Moving {
        let engine = &state.engine;
        Moving {
            second: state.now.timestamp(),
            last_answer: engine
                .sources()
                .iter()
                .filter_map(|s| s.last_ok)
                .max()
                .map(|t| t.timestamp()),
            labels: header::moving(state),
            loading: engine.any_busy(crate::watch::Busy::Next) || engine.loading(),
        }
    }
}

/// Where each pane goes in a terminal of `area`; None when it is too small.
struct Panes {
    head: Rect,
    table: Rect,
    detail: Option<Rect>,
    log: Option<Rect>,
    status: Rect,
}

fn panes(area: Rect, state: &State) -> Option<Panes> {
    if area.width < 20 || area.height < 6 {
        return None;
    }
    let [head, body, status] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    let (main, log) = if state.show_log && body.height >= 12 {
        // A third of the body: 7 lines at 80×24, 14 at 160×45.
        let height = (body.height / 3).clamp(7, 16);
        let [m, l] = Layout::vertical([Constraint::Min(5), Constraint::Length(height)]).areas(body);
        (m, Some(l))
    } else {
        (body, None)
    };
    let (table, detail) = split_detail(main, state.detail_open);
    Some(Panes {
        head,
        table,
        detail,
        log,
        status,
    })
}

/// What a mouse event at (`x`, `y`) means on the table drawn in `area`:
/// a row (its `view` index), or a column's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Row(usize),
    Header(crate::domain::column::Column),
}

pub fn hit(area: Rect, state: &State, x: u16, y: u16) -> Option<Hit> {
    let table = panes(area, state)?.table;
    if x < table.x || x >= table.right() || y < table.y || y >= table.bottom() {
        return None;
    }
    if y == table.y {
        return table::column_spans(table, state)
            .into_iter()
            .find(|(_, cx, w)| x >= *cx && x < cx + w)
            .map(|(c, _, _)| Hit::Header(c));
    }
    let i = state.offset + usize::from(y - table.y - 1);
    (i < state.view.len()).then_some(Hit::Row(i))
}

/// Detail to the right on wide screens, below on narrow ones.
fn split_detail(area: Rect, open: bool) -> (Rect, Option<Rect>) {
    if !open {
        return (area, None);
    }
    if area.width >= 140 {
        let [t, d] =
            Layout::horizontal([Constraint::Min(70), Constraint::Length(area.width * 2 / 5)])
                .areas(area);
        (t, Some(d))
    } else {
        let [t, d] = Layout::vertical([Constraint::Min(5), Constraint::Percentage(65)]).areas(area);
        (t, Some(d))
    }
}

/// A `width`×`height` box in the middle of `area` (clipped to it), for overlays.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(ratatui::layout::Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(ratatui::layout::Flex::Center)
        .areas(v);
    r
}

/// Local time for display.
pub fn local(t: DateTime<Utc>, tz: &FixedOffset, fmt: &str) -> String {
    t.with_timezone(tz).format(fmt).to_string()
}
