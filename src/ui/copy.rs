//! Copy to more regions: a region checklist (copies already loaded marked),
//! the name, and the tags the copies carry.

use super::theme;
use crate::app::copy_pane::{CopyPane, Focus};
use crate::output::sanitize::clean;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, p: &CopyPane) {
    let r = super::centered(area, 90, 30);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .title(Span::styled(" copy to more regions ", theme::title()))
        .title_bottom(Span::styled(
            " j/k move · Space check · K KMS key · Tab name · Enter sends one copy a region · Esc ",
            theme::dim(),
        ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(5),
        Constraint::Min(3),
        Constraint::Length(2),
    ])
    .areas(inner);
    let tags = p
        .tags
        .iter()
        .map(|t| format!("{}={}", t.key, t.value))
        .collect::<Vec<_>>()
        .join(", ");
    let name_style = if p.focus == Focus::Name {
        theme::key()
    } else {
        theme::label()
    };
    // Each value wraps under its label, inside the border.
    let width = usize::from(head.width);
    let field = |label: &str, style, value: &str| {
        super::detail::labelled(label, 8, style, value, Style::new(), width)
    };
    let mut lines = field(" Model", theme::label(), &p.source_model_arn);
    let name_row = lines.len() as u16;
    lines.extend(field(" Name", name_style, p.name.value()));
    lines.extend(field(" Tags", theme::label(), &tags));
    frame.render_widget(Paragraph::new(lines), head);
    if p.focus == Focus::Name {
        let x = head.x + 8 + p.name.visual_cursor() as u16;
        if x < head.right() && name_row < head.height {
            frame.set_cursor_position(Position::new(x, head.y + name_row));
        }
    }
    let items: Vec<ListItem> = p
        .regions
        .iter()
        .zip(&p.kms)
        .enumerate()
        .map(|(i, ((region, on, has), kms))| {
            let key = if p.focus == Focus::Kms && i == p.cursor {
                format!("KMS key: {}▏", clean(p.kms_input.value()))
            } else if kms.is_empty() {
                String::new()
            } else {
                format!("KMS key {}", clean(kms))
            };
            ListItem::new(Line::from(vec![
                Span::raw(if *on { " [x] " } else { " [ ] " }),
                Span::raw(format!("{region:<16}")),
                Span::styled(
                    if *has { "a copy is loaded here  " } else { "" },
                    theme::dim(),
                ),
                Span::styled(key, theme::label()),
            ]))
        })
        .collect();
    let mut st = ListState::default().with_selected(Some(p.cursor));
    frame.render_stateful_widget(
        List::new(items).highlight_style(if p.focus == Focus::Regions {
            theme::selected()
        } else {
            theme::dim()
        }),
        body,
        &mut st,
    );
    let n = p.requests().len();
    let line = match &p.error {
        Some(e) => Line::from(Span::styled(format!(" ✘ {}", clean(e)), theme::error())),
        None => Line::from(Span::styled(
            format!(
                " {n} CreateModelCopyJob request{} (each in its region, at once)",
                if n == 1 { "" } else { "s" }
            ),
            theme::dim(),
        )),
    };
    frame.render_widget(Paragraph::new(line), foot);
}
