//! The jobs table. Only the rows on screen are built, so a frame costs the
//! same with a hundred jobs loaded or a hundred thousand.

use super::theme;
use crate::app::State;
use crate::domain::job::Status;
use crate::domain::query::human_duration;
use crate::output::sanitize::clean;
use crate::watch::{Busy, Row as JobRow};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Col {
    Status,
    Name,
    Region,
    Profile,
    Created,
    Age,
    Duration,
    Source,
    Account,
    Tags,
}

/// Columns in display order with their minimum width and the order in which
/// they give way when the terminal is narrow (higher goes first).
const COLS: &[(Col, &str, u16, u8)] = &[
    (Col::Status, "Status", 12, 0),
    (Col::Name, "Target model", 18, 0),
    (Col::Region, "Region", 14, 1),
    (Col::Profile, "Profile", 10, 2),
    (Col::Created, "Created", 11, 3),
    (Col::Age, "Age", 7, 2),
    (Col::Duration, "Ran", 10, 4),
    (Col::Source, "Source model", 16, 5),
    (Col::Account, "Source acct", 12, 6),
    (Col::Tags, "Tags", 4, 7),
];

/// Region and Profile only when the table mixes several: one source's jobs
/// all share them, and the header already says which.
fn columns_for(width: u16, regions: bool, profiles: bool) -> Vec<(Col, &'static str, u16)> {
    let mut cols: Vec<(Col, &str, u16, u8)> = COLS
        .iter()
        .copied()
        .filter(|c| (c.0 != Col::Region || regions) && (c.0 != Col::Profile || profiles))
        .collect();
    let total = |cols: &[(Col, &str, u16, u8)]| cols.iter().map(|c| c.2 + 1).sum::<u16>();
    while total(&cols) > width {
        let Some((i, _)) = cols
            .iter()
            .enumerate()
            .filter(|(_, c)| c.3 > 0)
            .max_by_key(|(_, c)| c.3)
        else {
            break;
        };
        cols.remove(i);
    }
    cols.into_iter().map(|(c, h, w, _)| (c, h, w)).collect()
}

fn cell_text(col: Col, row: &JobRow, state: &State, wide: bool) -> Cell<'static> {
    let job = &row.job;
    let tz = &state.settings.tz;
    match col {
        Col::Status => Cell::from(format!(
            "{} {}",
            job.status.symbol(),
            clean(job.status.as_str())
        ))
        .style(theme::status_style(&job.status)),
        Col::Name => Cell::from(clean(job.display_name()).into_owned()),
        Col::Region => Cell::from(clean(job.job_arn.split(':').nth(3).unwrap_or("")).into_owned()),
        Col::Profile => Cell::from(
            state
                .engine
                .source(row.source)
                .and_then(|s| s.spec.profile.as_deref())
                .map_or_else(|| "default".to_string(), |p| clean(p).into_owned()),
        ),
        Col::Created => Cell::from(super::local(
            job.created,
            tz,
            if wide {
                "%Y-%m-%d %H:%M"
            } else {
                "%m-%d %H:%M"
            },
        )),
        Col::Age => Cell::from(human_duration(state.now - job.created)),
        Col::Duration => Cell::from(match (&job.status, row.since) {
            (Status::InProgress, _) => format!("run {}", human_duration(state.now - job.created)),
            (s, Some(since)) if s.is_final() => {
                format!("took {}", human_duration(since - job.created))
            }
            _ => String::new(),
        }),
        Col::Source => Cell::from(clean(&job.source_short()).into_owned()),
        Col::Account => Cell::from(clean(&job.source_account_id).into_owned()),
        Col::Tags => Cell::from(if job.tags.is_empty() {
            String::new()
        } else {
            job.tags.len().to_string()
        }),
    }
}

/// Returns the body height, for paging.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) -> usize {
    let body = area.height.saturating_sub(1) as usize;
    if state.view.is_empty() {
        draw_empty(frame, area, state);
        return body.max(1);
    }
    let wide = area.width >= 120;
    let cols = columns_for(area.width, state.multi_region(), state.multi_profile());
    let widths: Vec<Constraint> = cols
        .iter()
        .map(|(c, _, w)| match c {
            Col::Name => Constraint::Fill(3),
            Col::Source => Constraint::Fill(2),
            Col::Created if wide => Constraint::Length(16),
            _ => Constraint::Length(*w),
        })
        .collect();
    let header = Row::new(cols.iter().map(|(_, h, _)| Cell::from(*h))).style(theme::header_row());
    let loading = state.engine.any_busy(Busy::Next)
        || (state.engine.loading() && state.engine.shown().is_empty());
    let end = (state.offset + body).min(state.view.len());
    let mut rows: Vec<Row> = state.view[state.offset.min(end)..end]
        .iter()
        .enumerate()
        .filter_map(|(i, &slot)| state.row(slot).map(|r| (i, slot, r)))
        .map(|(i, slot, r)| {
            let style = if state.offset + i == state.selected {
                theme::selected()
            } else if state.is_highlighted(&r.job.job_arn) {
                theme::changed()
            } else if matches!(slot, crate::app::state::Slot::Pinned(_)) {
                theme::pinned()
            } else {
                ratatui::style::Style::new()
            };
            Row::new(cols.iter().map(|(c, _, _)| cell_text(*c, r, state, wide))).style(style)
        })
        .collect();
    if rows.len() < body {
        if loading {
            rows.push(Row::new(vec![Cell::from(Span::styled(
                "loading…",
                theme::dim(),
            ))]));
        } else if state.engine.has_more() && end == state.view.len() {
            rows.push(Row::new(vec![Cell::from(Span::styled(
                "more (End)",
                theme::dim(),
            ))]));
        }
    }
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
    body.max(1)
}

fn draw_empty(frame: &mut Frame, area: Rect, state: &State) {
    let failing = state
        .engine
        .sources()
        .iter()
        .filter_map(|s| s.error.as_ref().map(|e| (s, e)))
        .next();
    let lines: Vec<Line> = if state.engine.loading() {
        vec![Line::from(Span::styled("  loading…", theme::dim()))]
    } else if let Some((source, e)) = failing {
        vec![
            Line::from(Span::styled(
                format!("  Could not load copy jobs from {}", clean(&source.label())),
                theme::error(),
            )),
            Line::from(""),
            Line::from(format!("  {}", clean(&e.error.to_string()))),
            Line::from(""),
            Line::from(Span::styled(
                "  copyjobs retries on its own; r retries now, q quits.",
                theme::dim(),
            )),
        ]
    } else {
        vec![
            Line::from("  No copy jobs match these filters."),
            Line::from(Span::styled(
                "  x clears every filter, f edits them.",
                theme::dim(),
            )),
        ]
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_terminals_drop_the_least_needed_columns_first() {
        let all: Vec<Col> = columns_for(250, true, true).iter().map(|c| c.0).collect();
        assert_eq!(all.len(), COLS.len());
        let one: Vec<Col> = columns_for(250, false, false).iter().map(|c| c.0).collect();
        assert!(!one.contains(&Col::Region) && !one.contains(&Col::Profile));
        let at80: Vec<Col> = columns_for(80, true, false).iter().map(|c| c.0).collect();
        assert!(
            at80.contains(&Col::Region),
            "Region outlasts the optional columns"
        );
        assert!(
            at80.contains(&Col::Status) && at80.contains(&Col::Name) && at80.contains(&Col::Age)
        );
        assert!(!at80.contains(&Col::Tags));
        let tiny: Vec<Col> = columns_for(20, false, false).iter().map(|c| c.0).collect();
        assert_eq!(tiny, vec![Col::Status, Col::Name]);
    }
}
