//! The failure groups: most common cause first, its share and when it was
//! seen; below, the selected cause in full (or its jobs, after Enter).

use super::theme;
use crate::app::State;
use crate::app::failures::FailuresPane;
use crate::domain::query::human_duration;
use crate::output::sanitize::clean;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, pane: &FailuresPane) {
    let r = super::centered(
        area,
        area.width.saturating_sub(4).max(20),
        area.height.saturating_sub(2).max(6),
    );
    frame.render_widget(Clear, r);
    let title = match &pane.groups {
        Some(g) => format!(
            " why copies fail · {} failed job{} in this filter window, {} cause{} ",
            pane.total(),
            if pane.total() == 1 { "" } else { "s" },
            g.len(),
            if g.len() == 1 { "" } else { "s" }
        ),
        None => " why copies fail ".to_string(),
    };
    let help = if pane.open.is_some() {
        " ↑↓ job · Enter show in the table · y copy ARN · Esc back "
    } else {
        " ↑↓ cause · Enter its jobs · Esc close "
    };
    let block = Block::bordered()
        .title(Span::styled(title, theme::title()))
        .title_bottom(Span::styled(help, theme::dim()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let Some(groups) = &pane.groups else {
        let line = match &pane.error {
            Some(e) => Line::from(Span::styled(
                format!(" Could not read the failed jobs: {}", clean(e)),
                theme::error(),
            )),
            None => Line::from(Span::styled(
                format!(" reading failed jobs… {}", pane.read),
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
    let total = pane.total().max(1);
    let width = usize::from(list_area.width).saturating_sub(30);
    let items: Vec<ListItem> = groups
        .iter()
        .map(|g| {
            let pattern: String = clean(&g.pattern).chars().take(width.max(10)).collect();
            ListItem::new(Line::from(vec![
                Span::styled(format!(" {:>6} ", g.count), theme::key()),
                Span::raw(format!("{:>4}% ", g.count * 100 / total)),
                Span::styled(
                    format!("{:>9} ago  ", human_duration(state.now - g.newest)),
                    theme::dim(),
                ),
                Span::raw(pattern),
            ]))
        })
        .collect();
    let mut ls = ListState::default().with_selected(Some(pane.selected));
    frame.render_stateful_widget(
        List::new(items)
            .block(Block::new().title(Span::styled(
                "  count share   newest      cause",
                theme::header_row(),
            )))
            .highlight_style(if pane.open.is_some() {
                theme::dim()
            } else {
                theme::selected()
            }),
        list_area,
        &mut ls,
    );
    let Some(g) = groups.get(pane.open.unwrap_or(pane.selected)) else {
        return;
    };
    if pane.open.is_some() {
        let items: Vec<ListItem> = g
            .job_arns
            .iter()
            .map(|a| ListItem::new(format!(" {}", clean(a))))
            .collect();
        let mut js = ListState::default().with_selected(Some(pane.job));
        frame.render_stateful_widget(
            List::new(items)
                .block(Block::new().title(Span::styled(
                    format!(" {} jobs, newest first ", g.job_arns.len()),
                    theme::label(),
                )))
                .highlight_style(theme::selected()),
            detail_area,
            &mut js,
        );
        return;
    }
    let tz = &state.settings.tz;
    let lines = vec![
        Line::from(vec![
            Span::styled(" Cause    ", theme::label()),
            Span::raw(clean(&g.pattern).into_owned()),
        ]),
        Line::from(vec![
            Span::styled(" Seen     ", theme::label()),
            Span::raw(format!(
                "{} times, first {}, newest {}",
                g.count,
                super::local(g.first, tz, "%Y-%m-%d %H:%M"),
                super::local(g.newest, tz, "%Y-%m-%d %H:%M")
            )),
        ]),
        Line::from(vec![
            Span::styled(" Accounts ", theme::label()),
            Span::raw(clean(&g.source_accounts.join(", ")).into_owned()),
        ]),
        Line::from(vec![
            Span::styled(" Example  ", theme::label()),
            Span::raw(clean(&g.example).into_owned()),
        ]),
    ];
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }),
        detail_area,
    );
}
