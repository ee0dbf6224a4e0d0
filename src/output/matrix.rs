//! `copyjobs models` as text: the replication matrix drawn for a person
//! (fitted to the terminal, symbols that read without colour), an array of
//! models for a program, a CSV row per model and region.
//!
//! The machine formats carry the service's text as it came; the table
//! passes it through [`clean`].

use crate::domain::column::age;
use crate::domain::copy_regions::Support;
use crate::domain::failures::short_cause;
use crate::domain::job::Status;
use crate::domain::matrix::{Cell, Matrix, Model, NO_COPY, ORIGIN, Slot, UNSUPPORTED};
use crate::output::export::{api_time, fit, write_csv_record};
use crate::output::failures::thousands;
use crate::output::sanitize::clean;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::io::{self, Write};
use textwrap::core::display_width;

const GAP: &str = "  ";
const ACCOUNT: usize = 12;

/// `-o json`: one object per model, by name: `sourceModelArn`,
/// `sourceModelName` (null when the service gave none), `sourceAccountId`,
/// `sourceRegion`, `baseModel` (null for an imported model) and `regions`,
/// which holds a region only where a copy job into it exists: its newest
/// job's `status`, `jobArn`, `creationTime`, `targetModelArn`, and `copies`
/// (every copy job of the model into the region).
pub fn json(m: &Matrix) -> Value {
    Value::Array(
        m.rows()
            .map(|model| {
                let mut regions = Map::new();
                for (column, cell) in model.copies() {
                    regions.insert(
                        m.regions()[column].clone(),
                        json!({
                            "status": cell.status_str(),
                            "jobArn": cell.job_arn(),
                            "creationTime": api_time(cell.created),
                            "targetModelArn": cell.target_model_arn(),
                            "copies": cell.copies,
                        }),
                    );
                }
                json!({
                    "sourceModelArn": model.source_model_arn.as_ref(),
                    "sourceModelName": model.source_model_name.as_deref(),
                    "sourceAccountId": model.source_account_id.as_ref(),
                    "sourceRegion": model.source_region(),
                    "baseModel": model.base_model(),
                    "regions": regions,
                })
            })
            .collect(),
    )
}

/// The CSV's columns: a row per model and region, every region of the
/// matrix, empty where no copy exists.
pub const CSV_HEADER: &[&str] = &[
    "sourceModelArn",
    "sourceModelName",
    "sourceAccountId",
    "sourceRegion",
    "baseModel",
    "region",
    "origin",
    "supported",
    "status",
    "jobArn",
    "creationTime",
    "targetModelArn",
    "copies",
];

/// `-o csv`: [`CSV_HEADER`], then each model's cells in the columns' order;
/// `origin` is `true` in the model's own region, `supported` `yes`, `no`
/// (the table of copy regions excludes it) or `unknown` (the table does not
/// know the base model), `copies` 0 where there is none.
pub fn write_csv<W: Write>(out: &mut W, m: &Matrix) -> io::Result<()> {
    write_csv_record(out, CSV_HEADER)?;
    for model in m.rows() {
        for (column, region) in m.regions().iter().enumerate() {
            let slot = m.slot(model, column);
            let copy = slot.copy;
            let created = copy.map(|c| api_time(c.created)).unwrap_or_default();
            let job_arn = copy.map(|c| c.job_arn()).unwrap_or_default();
            let target = copy.map(|c| c.target_model_arn()).unwrap_or_default();
            let copies = copy.map_or(0, |c| c.copies).to_string();
            write_csv_record(
                out,
                &[
                    &model.source_model_arn,
                    model.source_model_name.as_deref().unwrap_or(""),
                    &model.source_account_id,
                    model.source_region(),
                    model.base_model().unwrap_or(""),
                    region,
                    if slot.origin { "true" } else { "false" },
                    match slot.support {
                        Support::Supported => "yes",
                        Support::Unsupported => "no",
                        Support::Unknown => "unknown",
                    },
                    copy.map_or("", Cell::status_str),
                    &job_arn,
                    &created,
                    &target,
                    &copies,
                ],
            )?;
        }
    }
    Ok(())
}

/// What a cell says: the newest copy's symbol, `×N` when there are more,
/// and when it started (completed), for how long it has run, or the cause
/// it failed of; else the model's origin, ⊘ or ·.
pub fn cell_text(slot: &Slot<'_>, now: DateTime<Utc>) -> String {
    let Some(cell) = slot.copy else {
        return match (slot.origin, slot.support) {
            (true, _) => format!("{ORIGIN} origin"),
            (false, Support::Unsupported) => UNSUPPORTED.to_string(),
            _ => NO_COPY.to_string(),
        };
    };
    let detail = match cell.status() {
        Status::Failed => short_cause(cell.failure_message()),
        Status::Unknown(s) => s,
        Status::Completed | Status::InProgress => age(cell.created, now),
    };
    let count = if cell.copies > 1 {
        format!(" ×{}", cell.copies)
    } else {
        String::new()
    };
    clean(&format!("{}{count} {detail}", slot.symbol())).into_owned()
}

/// Cells per column for a terminal `width` cells wide: the model's name,
/// its account, the region it lives in and its base model (left out when
/// the regions need the room: the account first, then the base model, then
/// its home), and a column per region.
pub(crate) struct Layout {
    pub name: usize,
    pub account: usize,
    pub home: usize,
    pub base: usize,
    pub region: usize,
}

impl Layout {
    /// The header's cells: the model's columns, then a region a column.
    pub(crate) fn header(&self, regions: &[String]) -> Vec<(String, usize)> {
        let mut header = vec![
            ("MODEL".to_string(), self.name),
            ("ACCOUNT".to_string(), self.account),
            ("HOME".to_string(), self.home),
            ("BASE MODEL".to_string(), self.base),
        ];
        header.extend(regions.iter().map(|r| (r.clone(), self.region)));
        header
    }

    /// A row's first cells: the model's name, account, home and base model.
    pub(crate) fn model(&self, model: &Model) -> Vec<(String, usize)> {
        vec![
            (clean(&model.display_name()).into_owned(), self.name),
            (model.source_account_id.to_string(), self.account),
            (model.source_region().to_string(), self.home),
            (
                model.base_model().unwrap_or("(imported)").to_string(),
                self.base,
            ),
        ]
    }
}

pub(crate) fn layout(regions: &[String], width: usize) -> Layout {
    let n = regions.len();
    // A region's name fits its column, and so does a short cause.
    let region_min = regions.iter().map(|r| r.len()).max().unwrap_or(0).max(12);
    let (name_min, base_min) = (16, 14);
    let used = |l: &Layout| {
        let columns = [l.name, l.account, l.home, l.base]
            .iter()
            .filter(|w| **w > 0)
            .count()
            + n;
        l.name + l.account + l.home + l.base + l.region * n + GAP.len() * columns.saturating_sub(1)
    };
    let mut l = Layout {
        name: name_min,
        account: ACCOUNT,
        home: region_min,
        base: base_min,
        region: region_min,
    };
    if used(&l) > width {
        l.account = 0;
    }
    if used(&l) > width {
        l.base = 0;
    }
    if used(&l) > width {
        l.home = 0;
    }
    if used(&l) > width {
        // The regions share what the name leaves, down to their symbols.
        let left = width.saturating_sub(name_min + GAP.len() * n);
        l.region = (left / n.max(1)).max(3);
        l.name = width
            .saturating_sub((l.region + GAP.len()) * n)
            .clamp(8, name_min);
        return l;
    }
    // Room to spare, in steps: names and base models to tell apart,
    // causes to read, then more of each.
    for (column, upto) in [
        (Grow::Name, 28usize),
        (Grow::Base, 20),
        (Grow::Region, 20),
        (Grow::Name, 40),
        (Grow::Base, 30),
        (Grow::Region, 32),
    ] {
        let spare = width - used(&l);
        match column {
            Grow::Name => l.name += spare.min(upto.saturating_sub(l.name)),
            Grow::Region => l.region += (spare / n.max(1)).min(upto.saturating_sub(l.region)),
            Grow::Base if l.base > 0 => l.base += spare.min(upto.saturating_sub(l.base)),
            Grow::Base => {}
        }
    }
    l
}

enum Grow {
    Name,
    Region,
    Base,
}

/// The cells fitted to their widths; the line cut to `width` when even the
/// narrowest layout is wider (a great many regions).
fn line(cells: &[(String, usize)], width: usize) -> String {
    let line = cells
        .iter()
        .filter(|(_, w)| *w > 0)
        .map(|(text, w)| fit(text, *w))
        .collect::<Vec<_>>()
        .join(GAP);
    let line = line.trim_end();
    if display_width(line) <= width {
        line.to_string()
    } else {
        fit(line, width).trim_end().to_string()
    }
}

fn row(m: &Matrix, model: &Model, l: &Layout, width: usize, now: DateTime<Utc>) -> String {
    let mut cells = l.model(model);
    for column in 0..m.regions().len() {
        cells.push((cell_text(&m.slot(model, column), now), l.region));
    }
    line(&cells, width)
}

/// `-o table`: a summary, the matrix fitted to `width`, a legend, and a
/// note naming the base models whose regions are not known (their cells are
/// never ⊘). Ages are counted to `now`.
pub fn table(m: &Matrix, width: usize, now: DateTime<Utc>) -> String {
    let models = m.rows().len();
    if models == 0 {
        return "no copy jobs\n".to_string();
    }
    let plural = |n: usize, one: &str, many: &str| {
        format!("{} {}", thousands(n), if n == 1 { one } else { many })
    };
    let mut out = String::new();
    let summary = format!(
        "{}, {} into {}",
        plural(models, "source model", "source models"),
        plural(m.jobs(), "copy job", "copy jobs"),
        plural(m.regions().len(), "region", "regions"),
    );
    wrap_into(&mut out, &summary, width);
    out.push('\n');
    let l = layout(m.regions(), width);
    out.push_str(&line(&l.header(m.regions()), width));
    out.push('\n');
    for model in m.rows() {
        out.push_str(&row(m, model, &l, width, now));
        out.push('\n');
    }
    out.push('\n');
    let legend = format!(
        "HOME: the region the model lives in · ✔ completed, started … ago · ◐ running for … · ✘ failed: its cause · ×N copies in all, the newest shown · {ORIGIN} the model's own region · {NO_COPY} no copy · {UNSUPPORTED} copies of its base model cannot go there"
    );
    wrap_into(&mut out, &legend, width);
    let (unknown, imported) = m.unjudged();
    if !unknown.is_empty() || imported {
        let mut what: Vec<String> = unknown.iter().map(|b| (*b).to_string()).collect();
        if imported {
            what.push("imported models (their ARN names no base model)".to_string());
        }
        let note = format!(
            "Not in the table of regions a copy can go to (the Bedrock user guide's, as of {}), so never marked {UNSUPPORTED}: {}. [copy_regions] in the config names their regions.",
            m.table().taken,
            what.join(", ")
        );
        wrap_into(&mut out, &note, width);
    }
    out
}

fn wrap_into(out: &mut String, text: &str, width: usize) {
    let opts =
        textwrap::Options::new(width.max(1)).word_splitter(textwrap::WordSplitter::NoHyphenation);
    for l in textwrap::wrap(text, opts) {
        out.push_str(l.trim_end());
        out.push('\n');
    }
}

#[cfg(test)]
#[path = "matrix_tests.rs"]
mod tests;
