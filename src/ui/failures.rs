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
    let not_read = match pane.refused.len() {
        0 => String::new(),
        1 => "· 1 source not read ".to_string(),
        n => format!("· {n} sources not read "),
    };
    let title = match &pane.groups {
        Some(g) => format!(
            " why copies fail · {} failed job{} in this filter window, {} cause{} {not_read}",
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
    let mut inner = block.inner(r);
    frame.render_widget(block, r);
    if pane.groups.is_some() && !pane.refused.is_empty() {
        inner = draw_refused(frame, inner, &pane.refused);
    }
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

/// A line for each source that could not be read, naming it and the
/// service's answer, above the groups of the others; returns the room left.
fn draw_refused(frame: &mut Frame, area: Rect, refused: &[(String, String)]) -> Rect {
    let lines: Vec<Line> = refused
        .iter()
        .map(|(label, e)| {
            Line::from(Span::styled(
                format!(" ✘ {} not read, so not counted: {}", clean(label), clean(e)),
                theme::error(),
            ))
        })
        .collect();
    let width = usize::from(area.width.max(1));
    let wrapped: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    // Whole and a blank line, unless that would leave the groups no room.
    let want = u16::try_from(wrapped + 1).unwrap_or(u16::MAX);
    let height = want.min(area.height / 3).max(1);
    let [top, rest] =
        Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(area);
    frame.render_widget(paragraph, top);
    rest
}
