//! The jobs table. Only the rows on screen are built, so a frame costs the
//! same with a hundred jobs loaded or a hundred thousand.

use super::theme;
use crate::app::State;
pub use crate::domain::column::Column;
use crate::domain::job::Status;
use crate::domain::query::human_duration;
use crate::output::sanitize::clean;
use crate::watch::{Busy, Row as JobRow};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

/// Header, minimum width, and the order in which a column gives way when
/// the terminal is narrow (higher goes first; 0 never does).
fn spec(c: Column) -> (&'static str, u16, u8) {
    let (width, give_way) = match c {
        Column::Status => (12, 0),
        Column::Name => (18, 0),
        Column::Region => (14, 1),
        Column::Profile => (10, 2),
        Column::Created => (11, 3),
        Column::Age => (7, 2),
        Column::Ran => (10, 4),
        Column::SourceModel => (16, 5),
        Column::SourceAccount => (12, 6),
        Column::Tags => (4, 7),
        Column::JobArn => (30, 8),
        Column::TargetModelArn => (30, 8),
        Column::SourceModelArn => (30, 8),
        Column::KmsKey => (20, 8),
    };
    (c.header(), width, give_way)
}

/// The configured columns that fit `width`. Region and Profile join by
/// themselves, after the name, when the table mixes several: one source's
/// jobs all share them, and the header already says which.
fn columns_for(
    width: u16,
    configured: &[Column],
    regions: bool,
    profiles: bool,
) -> Vec<(Column, &'static str, u16)> {
    let mut wanted: Vec<Column> = configured.to_vec();
    let after_name = wanted
        .iter()
        .position(|c| *c == Column::Name)
        .map_or(wanted.len(), |i| i + 1);
    let mut at = after_name;
    for (auto, on) in [(Column::Region, regions), (Column::Profile, profiles)] {
        if on && !wanted.contains(&auto) {
            wanted.insert(at.min(wanted.len()), auto);
            at += 1;
        }
    }
    let mut cols: Vec<(Column, &str, u16, u8)> = wanted
        .into_iter()
        .map(|c| {
            let (h, w, o) = spec(c);
            (c, h, w, o)
        })
        .collect();
    let total = |cols: &[(Column, &str, u16, u8)]| cols.iter().map(|c| c.2 + 1).sum::<u16>();
    while total(&cols) > width {
        let Some((i, _)) = cols
            .iter()
            .enumerate()
            .filter(|(_, c)| c.3 > 0)
            .max_by_key(|(i, c)| (c.3, *i))
        else {
            break;
        };
        cols.remove(i);
    }
    cols.into_iter().map(|(c, h, w, _)| (c, h, w)).collect()
}

fn cell_text(col: Column, row: &JobRow, state: &State, wide: bool) -> Cell<'static> {
    let job = &row.job;
    let tz = &state.settings.tz;
    match col {
        Column::Status => Cell::from(format!(
            "{} {}",
            job.status.symbol(),
            clean(job.status.as_str())
        ))
        .style(theme::status_style(&job.status)),
        Column::Name => Cell::from(clean(job.display_name()).into_owned()),
        Column::Region => Cell::from(clean(job.region()).into_owned()),
        Column::Profile => Cell::from(
            state
                .engine
                .source(row.source)
                .and_then(|s| s.spec.profile.as_deref())
                .map_or_else(|| "default".to_string(), |p| clean(p).into_owned()),
        ),
        Column::Created => Cell::from(super::local(
            job.created,
            tz,
            if wide {
                &state.settings.date_format
            } else {
                "%m-%d %H:%M"
            },
        )),
        Column::Age => Cell::from(human_duration(state.now - job.created)),
        Column::Ran => Cell::from(match (&job.status, row.since) {
            (Status::InProgress, _) => format!("run {}", human_duration(state.now - job.created)),
            (s, Some(since)) if s.is_final() => {
                format!("took {}", human_duration(since - job.created))
            }
            _ => String::new(),
        }),
        Column::SourceModel => Cell::from(clean(&job.source_short()).into_owned()),
        Column::SourceAccount => Cell::from(clean(&job.source_account_id).into_owned()),
        Column::Tags => Cell::from(if job.tags.is_empty() {
            String::new()
        } else {
            job.tags.len().to_string()
        }),
        Column::JobArn => Cell::from(clean(&job.job_arn).into_owned()),
        Column::TargetModelArn => Cell::from(clean(&job.target_model_arn).into_owned()),
        Column::SourceModelArn => Cell::from(clean(&job.source_model_arn).into_owned()),
        // The key's id ("key/…" or "alias/…") is what tells keys apart.
        Column::KmsKey => Cell::from(
            clean(
                job.kms_key_arn
                    .as_deref()
                    .map_or("", |k| k.rsplit(':').next().unwrap_or(k)),
            )
            .into_owned(),
        ),
    }
}

/// A column on screen: which, its header, its minimum width.
type Shown = (Column, &'static str, u16);

/// The columns that fit, their constraints, and whether the terminal is
/// wide: what the table draws with and what a click is measured against.
fn layout(area: Rect, state: &State) -> (Vec<Shown>, Vec<Constraint>, bool) {
    let wide = area.width >= 120;
    let cols = columns_for(
        area.width,
        &state.settings.columns,
        state.multi_region(),
        state.multi_profile(),
    );
    let widths: Vec<Constraint> = cols
        .iter()
        .map(|(c, _, w)| match c {
            Column::Name => Constraint::Fill(3),
            Column::SourceModel
            | Column::JobArn
            | Column::TargetModelArn
            | Column::SourceModelArn => Constraint::Fill(2),
            Column::Created if wide => Constraint::Length(16),
            _ => Constraint::Length(*w),
        })
        .collect();
    (cols, widths, wide)
}

/// Where each column's header sits in `area` (x and width), laid out as the
/// table lays out its columns, for mouse clicks.
pub fn column_spans(area: Rect, state: &State) -> Vec<(Column, u16, u16)> {
    let (cols, widths, _) = layout(area, state);
    let rects = ratatui::layout::Layout::horizontal(widths)
        .flex(ratatui::layout::Flex::Start)
        .spacing(1)
        .split(Rect::new(area.x, area.y, area.width, 1));
    cols.iter()
        .zip(rects.iter())
        .map(|((c, _, _), r)| (*c, r.x, r.width))
        .collect()
}

/// Returns the body height, for paging.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) -> usize {
    let body = area.height.saturating_sub(1) as usize;
    if state.view.is_empty() {
        draw_empty(frame, area, state);
        return body.max(1);
    }
    let (cols, widths, wide) = layout(area, state);
    let header = Row::new(cols.iter().map(|(c, h, _)| match state.column_sort {
        Some((sorted, desc)) if sorted == *c => {
            Cell::from(format!("{h} {}", if desc { "▼" } else { "▲" }))
        }
        _ => Cell::from(*h),
    }))
    .style(theme::header_row());
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

    fn cols(width: u16, configured: &[Column], regions: bool, profiles: bool) -> Vec<Column> {
        columns_for(width, configured, regions, profiles)
            .iter()
            .map(|c| c.0)
            .collect()
    }

    #[test]
    fn narrow_terminals_drop_the_least_needed_columns_first() {
        let d = Column::DEFAULT;
        let all = cols(250, d, true, true);
        assert_eq!(all.len(), d.len() + 2);
        assert_eq!(
            &all[..4],
            &[
                Column::Status,
                Column::Name,
                Column::Region,
                Column::Profile
            ]
        );
        let one = cols(250, d, false, false);
        assert!(!one.contains(&Column::Region) && !one.contains(&Column::Profile));
        let at80 = cols(80, d, true, false);
        assert!(
            at80.contains(&Column::Region),
            "Region outlasts the optional columns"
        );
        assert!(
            at80.contains(&Column::Status)
                && at80.contains(&Column::Name)
                && at80.contains(&Column::Age)
        );
        assert!(!at80.contains(&Column::Tags));
        assert_eq!(
            cols(20, d, false, false),
            vec![Column::Status, Column::Name]
        );
    }

    #[test]
    fn configured_columns_keep_their_order() {
        let c = [Column::JobArn, Column::Status, Column::KmsKey, Column::Name];
        assert_eq!(cols(250, &c, false, false), c.to_vec());
        // Region listed: shown even for one source, where it was put.
        let c = [Column::Status, Column::Region, Column::Name];
        assert_eq!(cols(250, &c, false, false), c.to_vec());
        assert_eq!(cols(250, &c, true, false), c.to_vec());
    }
}
