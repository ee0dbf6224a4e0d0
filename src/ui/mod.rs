//! Drawing: one file per pane. Everything here only reads the state.

pub mod detail;
pub mod filters;
pub mod header;
pub mod help;
pub mod log;
pub mod sources;
pub mod statusbar;
pub mod table;
pub mod theme;

use crate::app::State;
use crate::app::state::Mode;
use chrono::{DateTime, FixedOffset, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

/// Draws a frame and returns the table's body height, which `update` needs
/// for paging (the loop hands it back as `Msg::Viewport`).
pub fn draw(frame: &mut Frame, state: &State) -> usize {
    theme::install(state.settings.theme);
    let area = frame.area();
    if area.width < 20 || area.height < 6 {
        frame.render_widget(
            ratatui::widgets::Paragraph::new("copyjobs: window too small"),
            area,
        );
        return 1;
    }
    let [head, body, status] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    header::draw(frame, head, state);
    let (main, log_area) = if state.show_log && body.height >= 12 {
        let [m, l] = Layout::vertical([Constraint::Min(5), Constraint::Length(8)]).areas(body);
        (m, Some(l))
    } else {
        (body, None)
    };
    let (table_area, detail_area) = split_detail(main, state.detail_open);
    let height = table::draw(frame, table_area, state);
    if let Some(d) = detail_area {
        detail::draw(frame, d, state);
    }
    if let Some(l) = log_area {
        log::draw(frame, l, state);
    }
    statusbar::draw(frame, status, state);
    match &state.mode {
        Mode::Filters(pane) => filters::draw(frame, area, state, pane),
        Mode::Help(scroll) => help::draw(frame, area, &state.settings.keys, *scroll),
        Mode::Sources(picker) => sources::draw(frame, area, picker),
        Mode::Table | Mode::Search(_) | Mode::Export(_) | Mode::Command(_) => {}
    }
    height
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
