//! `list -o table`: jobs as lines of text for a terminal of a given
//! width, laid out and cut as the dashboard's table is
//! ([`crate::output::layout`]); every service string cleaned first.

use crate::domain::column::{CellContext, Column};
use crate::domain::job::CopyJob;
use crate::output::layout;
use crate::output::sanitize::clean;
use chrono::{DateTime, FixedOffset, Utc};
use std::borrow::Cow;
use textwrap::core::display_width;

/// How `list -o table` heads a column, and the most its text can take in
/// terminal cells: a streamed table (rows printed as pages arrive) cannot
/// measure its rows, so it lays out what the column can hold, through the
/// dashboard's own layout ([`layout::lay_out_spaced`]).
fn spec(c: Column) -> (&'static str, usize) {
    match c {
        // "◐ InProgress" is the longest known status.
        Column::Status => ("STATUS", 12),
        // Target model names are at most 63 characters.
        Column::Name => ("NAME", 63),
        Column::Created => ("CREATED", 16),
        // "400d 23h": `human_duration` stops at days.
        Column::Age => ("AGE", 8),
        // Room for "amazon.titan-text-express-v1:0:8k/abc123def456" at most.
        Column::SourceModel => ("SOURCE", 48),
        // ACCOUNT is the account a job runs in (an organisation's view).
        Column::SourceAccount => ("SRC ACCOUNT", 12),
        // A name of up to 33 characters, " · " and the 12-digit id; a
        // longer name keeps its start.
        Column::Account => ("ACCOUNT", 48),
        Column::Tags => ("TAGS", 4),
        Column::Region => ("REGION", 14),
        Column::Profile => ("PROFILE", 12),
        Column::Ran => ("RAN", 10),
        // A job ARN is 67 characters in us-east-1: asked for, it is whole.
        Column::JobArn => ("JOB ARN", 80),
        Column::TargetModelArn => ("TARGET MODEL ARN", 140),
        Column::SourceModelArn => ("SOURCE MODEL ARN", 140),
        Column::KmsKey => ("KMS KEY", 44),
    }
}

/// `list -o table`'s columns when `--columns` names none.
pub const LIST_COLUMNS: &[Column] = &[
    Column::Status,
    Column::Name,
    Column::Created,
    Column::Age,
    Column::SourceModel,
    Column::SourceAccount,
    Column::Tags,
];

const GAP: &str = "  ";

/// Fewer cells than this for the name, and the status shows only its
/// symbol, which still tells the states apart, to leave the name room.
const NAME_AT_LEAST: u16 = 20;

/// How each column is shown at a given width.
struct Layout {
    /// Cells per column; 0 for a column left out.
    widths: Vec<usize>,
    /// The status column shows only its symbol.
    symbol_only: bool,
}

/// Depends on the width and the columns alone, never on the rows, so a
/// streamed table stays aligned with its header.
fn layout(columns: &[Column], width: usize, most: &[(Column, usize)]) -> Layout {
    let gap = GAP.len() as u16;
    // No gap after the last column.
    let room = u16::try_from(width).unwrap_or(u16::MAX - gap) + gap;
    let lay = |symbol_only: bool| {
        let wanted: Vec<(Column, u16)> = columns
            .iter()
            .map(|&c| {
                let (label, spec_most) = spec(c);
                // What the sources read can hold, where the caller knows
                // it (the regions and accounts listed), else the spec's.
                let known = most.iter().find(|(k, _)| *k == c).map(|(_, w)| *w);
                let most = known.unwrap_or(spec_most);
                let most = if symbol_only && c == Column::Status {
                    1
                } else {
                    most.max(label.len())
                };
                (c, most as u16)
            })
            .collect();
        layout::lay_out_spaced(room, &wanted, gap)
    };
    let width_of =
        |laid: &[layout::Laid], c: Column| laid.iter().find(|l| l.column == c).map(|l| l.width);
    let mut laid = lay(false);
    let squeezed = width_of(&laid, Column::Status)
        .is_some_and(|w| w < spec(Column::Status).1 as u16)
        || width_of(&laid, Column::Name).is_some_and(|w| w < NAME_AT_LEAST);
    if squeezed {
        laid = lay(true);
    }
    Layout {
        widths: columns
            .iter()
            .map(|c| width_of(&laid, *c).map_or(0, usize::from))
            .collect(),
        symbol_only: squeezed,
    }
}

/// How many cells `column` gets in a `list -o table` of `columns` at
/// `width` (0: left out), for a caller that cuts its text itself: the
/// Account column, whose labels are cut knowing every account read.
pub fn column_width(
    columns: &[Column],
    width: usize,
    column: Column,
    most: &[(Column, usize)],
) -> usize {
    let layout = layout(columns, width, most);
    columns
        .iter()
        .zip(&layout.widths)
        .find(|(c, _)| **c == column)
        .map_or(0, |(_, w)| *w)
}

/// `s` (at most `w` cells) padded to exactly `w`.
fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(display_width(s))));
    out
}

/// Exactly `w` cells: padded, or cut with an ellipsis so a cut never passes
/// for the whole value.
pub(crate) fn fit(s: &str, w: usize) -> String {
    // A wide character that did not fit leaves a one-cell hole to fill.
    pad(&super::cut::end(s, w), w)
}

fn render_row(columns: &[Column], cells: &[Cow<'_, str>], layout: &Layout, width: usize) -> String {
    let parts: Vec<String> = columns
        .iter()
        .zip(cells)
        .zip(&layout.widths)
        .filter(|(_, w)| **w > 0)
        .map(|((col, c), w)| pad(&layout::fit(*col, c, *w), *w))
        .collect();
    let line = parts.join(GAP);
    let line = line.trim_end();
    // The layout already fits; this only guards the promise to callers.
    if display_width(line) <= width {
        line.to_string()
    } else {
        super::cut::end(line, width)
    }
}

/// The header for [`table_row`] at the same width.
pub fn table_header(width: usize) -> String {
    table_header_of(LIST_COLUMNS, width)
}

/// The header for [`table_row_of`] with the same columns and width.
pub fn table_header_of(columns: &[Column], width: usize) -> String {
    table_header_sized(columns, width, &[])
}

/// As [`table_header_of`], with `most` the widest text some columns can
/// hold, known from the sources before any row (their regions and
/// accounts): a column is not padded to what no source can hold.
pub fn table_header_sized(columns: &[Column], width: usize, most: &[(Column, usize)]) -> String {
    let layout = layout(columns, width, most);
    let cells: Vec<Cow<'_, str>> = columns
        .iter()
        .map(|c| match c {
            Column::Status if layout.symbol_only => Cow::Borrowed("S"),
            c => Cow::Borrowed(spec(*c).0),
        })
        .collect();
    render_row(columns, &cells, &layout, width)
}

/// One job as a line of at most `width` terminal cells, columns giving way
/// as in the dashboard (tags, account, source, created time, age) until
/// the rest fit; the name takes what is left.
pub fn table_row(job: &CopyJob, width: usize, now: DateTime<Utc>, tz: &FixedOffset) -> String {
    let ctx = CellContext {
        now,
        tz,
        date_format: "%Y-%m-%d %H:%M",
        profile: None,
        account: None,
        since: None,
        eta: None,
    };
    table_row_of(job, LIST_COLUMNS, width, &ctx)
}

/// One job in `columns`, each cell the text the dashboard's table writes
/// ([`Column::text`]), sanitized and fitted to the layout.
pub fn table_row_of(
    job: &CopyJob,
    columns: &[Column],
    width: usize,
    ctx: &CellContext<'_>,
) -> String {
    table_row_sized(job, columns, width, ctx, &[])
}

/// As [`table_row_of`], laid out as [`table_header_sized`] with `most`.
pub fn table_row_sized(
    job: &CopyJob,
    columns: &[Column],
    width: usize,
    ctx: &CellContext<'_>,
    most: &[(Column, usize)],
) -> String {
    let layout = layout(columns, width, most);
    let cells: Vec<Cow<'_, str>> = columns
        .iter()
        .map(|c| match c {
            Column::Status if layout.symbol_only => Cow::Borrowed(job.status.symbol()),
            c => Cow::Owned(clean(&c.text(job, ctx)).into_owned()),
        })
        .collect();
    render_row(columns, &cells, &layout, width)
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
