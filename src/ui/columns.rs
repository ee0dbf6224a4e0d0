//! The column picker: every column, the shown ones first in their order.

use super::theme;
use crate::app::columns::ColumnPicker;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState};

pub fn draw(frame: &mut Frame, area: Rect, p: &ColumnPicker) {
    let r = super::centered(area, 56, p.items.len() as u16 + 2);
    frame.render_widget(Clear, r);
    let bottom = match &p.error {
        Some(e) => Span::styled(format!(" ✘ {e} "), theme::error()),
        None => Span::styled(
            " Space show/hide · J/K move · Enter apply · Esc ",
            theme::dim(),
        ),
    };
    let items: Vec<ListItem> = p
        .items
        .iter()
        .map(|(c, on)| {
            ListItem::new(Line::from(vec![
                Span::raw(if *on { " [x] " } else { " [ ] " }),
                Span::raw(c.header()),
            ]))
        })
        .collect();
    let list = List::new(items)
        .block(
            Block::bordered()
                .title(Span::styled(" columns ", theme::title()))
                .title_bottom(bottom),
        )
        .highlight_style(theme::selected());
    let mut st = ListState::default().with_selected(Some(p.cursor));
    frame.render_stateful_widget(list, r, &mut st);
}
