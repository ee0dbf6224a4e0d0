//! Every key, in one overlay.

use super::theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub const KEYS: &[(&str, &str)] = &[
    ("↑ ↓  k j", "move"),
    ("PgUp PgDn", "move a screen"),
    (
        "Home End  g G",
        "first / last row (End also loads the next page)",
    ),
    ("Enter", "open / close the detail pane"),
    ("J  K", "scroll the detail pane"),
    (
        "f",
        "filter panes: Tab/Shift-Tab move, Enter applies, Esc cancels",
    ),
    ("s", "cycle status: Any → InProgress → Completed → Failed"),
    ("t  n", "filter panes on the time / name field"),
    ("x", "clear every filter"),
    ("o", "newest first ↔ oldest first"),
    (
        "/",
        "search the loaded rows (name, ARNs, tags, failure); Esc clears",
    ),
    ("r", "refresh now"),
    ("p", "pause / resume live refresh"),
    ("+  -", "refresh more / less often"),
    ("l", "event log of status changes"),
    ("?", "this help"),
    ("q  Ctrl-C", "quit"),
];

pub fn draw(frame: &mut Frame, area: Rect) {
    let height = (KEYS.len() as u16 + 4).min(area.height);
    let width = 78.min(area.width);
    let [v] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(v);
    let mut lines: Vec<Line> = KEYS
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!(" {k:<15}"), theme::key()),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        " any key closes this help",
        theme::dim(),
    )));
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(Span::styled(" keys ", theme::title()))),
        r,
    );
}
