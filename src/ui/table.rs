//! The jobs table. Only the rows on screen are built, so a frame costs the
//! same with a hundred jobs loaded or a hundred thousand.

use super::theme;
use crate::app::State;
use crate::app::state::Slot;
use crate::domain::column::CellContext;
use crate::domain::column::Column;
use crate::output::layout as widths;
use crate::output::sanitize::clean;
use crate::watch::{Busy, Row as JobRow};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

/// A cell's whole text, as `list -o table` writes it (`Column::text`),
/// cleaned for the terminal and cut to its column later. A pinned job's
/// name carries a mark that needs no colour.
fn cell_text(col: Column, row: &JobRow, pinned: bool, state: &State, wide: bool) -> String {
    cell_text_with(col, row, pinned, state, wide, true)
}

/// As [`cell_text`]; `etas` false leaves the history's estimate out of
/// the Ran cell (`run 49s`), where the room is short.
fn cell_text_with(
    col: Column,
    row: &JobRow,
    pinned: bool,
    state: &State,
    wide: bool,
    etas: bool,
) -> String {
    // The history's estimate for a running copy, only for the Ran cell.
    let eta = (col == Column::Ran && etas)
        .then(|| state.history.eta(&row.job, state.now))
        .flatten()
        .map(|e| e.ran(state.now - row.job.created));
    let account = (col == Column::Account)
        .then(|| state.engine.source(row.source))
        .flatten()
        .and_then(|s| s.spec.account_label());
    let ctx = CellContext {
        now: state.now,
        tz: &state.settings.tz,
        date_format: if wide {
            &state.settings.date_format
        } else {
            "%m-%d %H:%M"
        },
        profile: state
            .engine
            .source(row.source)
            .and_then(|s| s.spec.profile.as_deref()),
        account: account.as_deref(),
        since: row.since,
        eta: eta.as_deref(),
    };
    let text = clean(&col.text(&row.job, &ctx)).into_owned();
    if pinned && col == Column::Name {
        format!("{PIN} {text}")
    } else {
        text
    }
}

/// The mark of a pinned job, before its name.
pub const PIN: &str = "⚑";

/// `text` in `width` cells, cut on the side its column keeps.
fn fitted(col: Column, text: &str, width: u16) -> String {
    widths::fit(col, text, usize::from(width))
}

fn header_text(col: Column, state: &State) -> String {
    match state.column_sort {
        Some((sorted, desc)) if sorted == col => {
            format!("{} {}", col.header(), if desc { "▼" } else { "▲" })
        }
        _ => col.header().to_string(),
    }
}

/// The table as it will be drawn in `area`: the columns laid out by what
/// the rows on screen hold, and each visible row's texts, column by column.
struct Drawn<'a> {
    laid: Vec<widths::Laid>,
    /// Each account read as its cut label shows it, told apart.
    accounts: std::collections::HashMap<String, String>,
    rows: Vec<(usize, Slot, &'a JobRow, Vec<String>)>,
}

fn measure<'a>(area: Rect, state: &'a State) -> Drawn<'a> {
    let wide = area.width >= 120;
    let columns = widths::with_sources(
        &state.settings.columns,
        state.multi_region(),
        state.multi_profile(),
        state.multi_account(),
    );
    let body = area.height.saturating_sub(1) as usize;
    let end = (state.offset + body).min(state.view.len());
    let rows: Vec<(usize, Slot, &JobRow, Vec<String>)> = state.view[state.offset.min(end)..end]
        .iter()
        .enumerate()
        .filter_map(|(i, &slot)| state.row(slot).map(|r| (state.offset + i, slot, r)))
        .map(|(i, slot, r)| {
            let pinned = matches!(slot, Slot::Pinned(_));
            let texts = columns
                .iter()
                .map(|c| cell_text(*c, r, pinned, state, wide))
                .collect();
            (i, slot, r, texts)
        })
        .collect();
    let natural = |rows: &[(usize, Slot, &JobRow, Vec<String>)]| -> Vec<(Column, u16)> {
        columns
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let longest = rows
                    .iter()
                    .map(|(_, _, _, t)| super::cut::width(&t[k]))
                    .max()
                    .unwrap_or(0);
                let head = super::cut::width(&header_text(*c, state));
                (*c, longest.max(head) as u16)
            })
            .collect()
    };
    let mut rows = rows;
    let mut laid = widths::lay_out(area.width, &natural(&rows));
    // Ran's estimates (`29s · ~26m left`) give way before Ran itself, the
    // region or the account: the elapsed time alone (`run 29s`).
    let lost = |laid: &[widths::Laid], c: Column| {
        columns.contains(&c) && !laid.iter().any(|l| l.column == c)
    };
    if let Some(k) = columns.iter().position(|c| *c == Column::Ran)
        && [Column::Ran, Column::Region, Column::Account]
            .iter()
            .any(|c| lost(&laid, *c))
    {
        for (_, slot, r, texts) in &mut rows {
            let pinned = matches!(slot, Slot::Pinned(_));
            texts[k] = cell_text_with(Column::Ran, r, pinned, state, wide, false);
        }
        laid = widths::lay_out(area.width, &natural(&rows));
    }
    let accounts = laid
        .iter()
        .find(|l| l.column == Column::Account)
        .map(|l| crate::output::cut::accounts(&state.account_labels(), usize::from(l.width)))
        .unwrap_or_default();
    // Each row keeps the texts of the columns that fit, in their order.
    let keep: Vec<usize> = laid
        .iter()
        .filter_map(|l| columns.iter().position(|c| *c == l.column))
        .collect();
    let rows = rows
        .into_iter()
        .map(|(i, slot, r, texts)| {
            let kept = keep.iter().map(|&k| texts[k].clone()).collect();
            (i, slot, r, kept)
        })
        .collect();
    Drawn {
        laid,
        accounts,
        rows,
    }
}

/// Where each column's header sits in `area` (x and width), laid out as the
/// table lays out its columns, for mouse clicks.
pub fn column_spans(area: Rect, state: &State) -> Vec<(Column, u16, u16)> {
    let mut x = area.x;
    measure(area, state)
        .laid
        .iter()
        .map(|l| {
            let span = (l.column, x, l.width);
            x += l.width + 1;
            span
        })
        .collect()
}

/// Returns the body height, for paging.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) -> usize {
    let body = area.height.saturating_sub(1) as usize;
    if state.view.is_empty() {
        draw_empty(frame, area, state);
        return body.max(1);
    }
    let drawn = measure(area, state);
    let header = Row::new(
        drawn
            .laid
            .iter()
            .map(|l| Cell::from(fitted(l.column, &header_text(l.column, state), l.width))),
    )
    .style(theme::header_row());
    let loading = state.engine.any_busy(Busy::Next)
        || (state.engine.loading() && state.engine.shown().is_empty());
    let end = (state.offset + body).min(state.view.len());
    let mut rows: Vec<Row> = drawn
        .rows
        .iter()
        .map(|(i, slot, r, texts)| {
            let style = if *i == state.selected {
                theme::selected()
            } else if state.is_highlighted(&r.job.job_arn) {
                theme::changed()
            } else if matches!(slot, Slot::Pinned(_)) {
                theme::pinned()
            } else {
                ratatui::style::Style::new()
            };
            let cells = drawn.laid.iter().zip(texts).map(|(l, text)| {
                let cell = match drawn.accounts.get(text) {
                    Some(cut) if l.column == Column::Account => Cell::from(cut.clone()),
                    _ => Cell::from(fitted(l.column, text, l.width)),
                };
                if l.column == Column::Status {
                    cell.style(theme::status_style(&r.job.status))
                } else {
                    cell
                }
            });
            Row::new(cells).style(style)
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
    let widths = drawn.laid.iter().map(|l| Constraint::Length(l.width));
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .flex(ratatui::layout::Flex::Start),
        area,
    );
    body.max(1)
}

/// The table as the last frame drew it, for a frame drawn only because the
/// clock moved (the header's countdown, the status bar's last refresh): 300
/// sources move those every second, and building the table again was a
/// sixth of the dashboard's idle CPU. Such a frame copies these cells when
/// the table's own moving texts (each row's Age and Ran) read as they did.
#[derive(Debug, Default)]
pub struct Reuse {
    key: Option<ReuseKey>,
    cells: Vec<ratatui::buffer::Cell>,
    height: usize,
    reused: usize,
}

impl Reuse {
    /// Frames that copied the table rather than building it.
    pub fn reused(&self) -> usize {
        self.reused
    }
}

#[derive(Debug, PartialEq)]
struct ReuseKey {
    area: Rect,
    offset: usize,
    selected: usize,
    loading: bool,
    times: Vec<String>,
}

impl ReuseKey {
    fn of(area: Rect, state: &State) -> ReuseKey {
        let wide = area.width >= 120;
        let body = area.height.saturating_sub(1) as usize;
        let end = (state.offset + body).min(state.view.len());
        let mut times = Vec::new();
        for &slot in &state.view[state.offset.min(end)..end] {
            if let Some(r) = state.row(slot) {
                let pinned = matches!(slot, Slot::Pinned(_));
                for col in [Column::Age, Column::Ran] {
                    times.push(cell_text(col, r, pinned, state, wide));
                    times.push(cell_text_with(col, r, pinned, state, wide, false));
                }
            }
        }
        ReuseKey {
            area,
            offset: state.offset,
            selected: state.selected,
            loading: state.engine.any_busy(Busy::Next) || state.engine.loading(),
            times,
        }
    }
}

/// [`draw`], or, for a frame `clock_only` (nothing but the clock moved since
/// the last one, which `reuse` kept), the last frame's cells when every
/// moving text of the table reads as it did.
pub fn draw_reusing(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    reuse: &mut Reuse,
    clock_only: bool,
) -> usize {
    if state.view.is_empty() {
        reuse.key = None;
        return draw(frame, area, state);
    }
    let key = ReuseKey::of(area, state);
    let buf = frame.buffer_mut();
    if clock_only && reuse.key.as_ref() == Some(&key) {
        let mut kept = reuse.cells.iter();
        for y in area.top()..area.bottom() {
            for x in area.left()..area.right() {
                if let (Some(cell), Some(to)) = (kept.next(), buf.cell_mut((x, y))) {
                    *to = cell.clone();
                }
            }
        }
        reuse.reused += 1;
        return reuse.height;
    }
    let height = draw(frame, area, state);
    let buf = frame.buffer_mut();
    reuse.cells.clear();
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            reuse
                .cells
                .push(buf.cell((x, y)).cloned().unwrap_or_default());
        }
    }
    reuse.height = height;
    reuse.key = Some(key);
    height
}

fn draw_empty(frame: &mut Frame, area: Rect, state: &State) {
    let all = state.engine.sources();
    let many = all.iter().filter(|s| s.error.is_some()).count();
    let failing = all
        .iter()
        .filter_map(|s| s.error.as_ref().map(|e| (s, e)))
        .next();
    let lines: Vec<Line> = if state.engine.loading() {
        vec![Line::from(Span::styled("  loading…", theme::dim()))]
    } else if let Some((source, e)) = failing {
        vec![
            Line::from(Span::styled(
                match many {
                    1 => format!("  Could not load copy jobs from {}", clean(&source.label())),
                    // Told once: the first one's why follows.
                    n => format!(
                        "  Could not load copy jobs from {n} of {} sources ({} first)",
                        all.len(),
                        clean(&source.label())
                    ),
                },
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
    fn region_and_profile_join_after_the_name_and_configured_order_is_kept() {
        let d = Column::DEFAULT;
        let all = widths::with_sources(d, true, true, false);
        assert_eq!(
            &all[..4],
            &[
                Column::Status,
                Column::Name,
                Column::Region,
                Column::Profile
            ]
        );
        let one = widths::with_sources(d, false, false, false);
        assert!(!one.contains(&Column::Region) && !one.contains(&Column::Profile));
        let c = [Column::JobArn, Column::Status, Column::KmsKey, Column::Name];
        assert_eq!(widths::with_sources(&c, false, false, false), c.to_vec());
        // Region listed: shown even for one source, where it was put.
        let c = [Column::Status, Column::Region, Column::Name];
        assert_eq!(widths::with_sources(&c, false, false, false), c.to_vec());
        assert_eq!(widths::with_sources(&c, true, false, false), c.to_vec());
    }
}
