//! Status changes seen this session, newest first.

use super::theme;
use crate::app::State;
use crate::output::sanitize::clean;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let height = area.height.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = state
        .events
        .iter()
        .rev()
        .take(height)
        .map(|e| {
            let mut spans = vec![
                Span::styled(
                    super::local(e.at, &state.settings.tz, "%H:%M:%S  "),
                    theme::dim(),
                ),
                Span::raw(format!("{:<36.36} ", clean(&e.name))),
            ];
            match &e.from {
                Some(from) => {
                    spans.push(Span::styled(
                        format!("{} {}", from.symbol(), clean(from.as_str())),
                        theme::status_style(from),
                    ));
                    spans.push(Span::raw(" → "));
                }
                None => spans.push(Span::styled("new → ", theme::dim())),
            }
            spans.push(Span::styled(
                format!("{} {}", e.to.symbol(), clean(e.to.as_str())),
                theme::status_style(&e.to),
            ));
            Line::from(spans)
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "No status changes seen yet: they appear here as refreshes find them.",
            theme::dim(),
        )));
    }
    let block = Block::bordered().title(Span::styled(
        format!(" event log ({}) · l closes ", state.events.len()),
        theme::title(),
    ));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
