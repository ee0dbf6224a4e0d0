//! Every key, in one overlay.

use super::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
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
    (
        "y  Y",
        "copy the job's ARN / the job as JSON (OSC 52 clipboard)",
    ),
    (
        "c",
        "copy the equivalent `aws bedrock list-model-copy-jobs` command",
    ),
    (
        "e",
        "export the view (filters and search applied) to CSV or JSON",
    ),
    ("r", "refresh now"),
    ("p", "pause / resume live refresh"),
    ("+  -", "refresh more / less often"),
    ("w", "pin / unpin: kept on top, watched whatever the filter"),
    ("l", "event log of status changes"),
    (
        "S",
        "sources: check profiles and regions (Space), type to add one",
    ),
    ("?", "this help"),
    ("q  Ctrl-C", "quit"),
];

pub fn draw(frame: &mut Frame, area: Rect) {
    let height = (KEYS.len() as u16 + 2).min(area.height);
    let r = super::centered(area, 80, height);
    let lines: Vec<Line> = KEYS
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!(" {k:<14}"), theme::key()),
                Span::raw(*what),
            ])
        })
        .collect();
    let block = Block::bordered()
        .title(Span::styled(" keys ", theme::title()))
        .title_bottom(Span::styled(" any key closes ", theme::dim()));
    frame.render_widget(Clear, r);
    frame.render_widget(Paragraph::new(lines).block(block), r);
}
