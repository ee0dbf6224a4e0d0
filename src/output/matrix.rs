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
use crate::output::csv::write_csv_record;
use crate::output::failures::thousands;
use crate::output::json::api_time;
use crate::output::sanitize::clean;
use crate::output::table::fit;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::io::{self, Write};
use textwrap::core::display_width;

const GAP: &str = "  ";

/// The least an organisation's ACCOUNT column keeps (a 12-digit id with
/// room, or a name cut where the names differ), as the jobs' table's.
const ACCOUNT_AT_LEAST: usize = 14;

/// `-o json`: one object per model, by name: `sourceModelArn`,
/// `sourceModelName` (null when the service gave none), `sourceAccountId`,
/// `sourceRegion`, `baseModel` (null for an imported model) and `regions`,
/// which holds a region only where a copy job into it exists: its newest
/// job's `status`, `jobArn`, `creationTime`, `targetModelArn`, and `copies`
/// (every copy job of the model into the region). A model the account
/// lists but no job copies has `regions` empty. `modelStatus`,
/// `customizationType` and `creationTime` are the model's as
/// ListCustomModels gives them (null for a model known from copy jobs
/// alone: another account's, or one outside the sources read).
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
                    "modelStatus": model.model_status(),
                    "customizationType": model.customization_type(),
                    "creationTime": model.creation_time().map(api_time),
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
    "modelStatus",
    "customizationType",
    "modelCreationTime",
    // Last, so the columns before keep their places: the organisation's
    // name of `sourceAccountId`, empty where none is known.
    "sourceAccountName",
];

/// `-o csv`: [`CSV_HEADER`], then each model's cells in the columns' order;
/// `origin` is `true` in the model's own region, `supported` `yes`, `no`
/// (the table of copy regions excludes it) or `unknown` (the table does not
/// know the base model), `copies` 0 where there is none; the model's
/// status, customization type and creation time as the account lists it
/// (empty for a model known from copy jobs alone).
pub fn write_csv<W: Write>(out: &mut W, m: &Matrix) -> io::Result<()> {
    write_csv_record(out, CSV_HEADER)?;
    for model in m.rows() {
        let made = model.creation_time().map(api_time).unwrap_or_default();
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
                    model.model_status().unwrap_or(""),
                    model.customization_type().unwrap_or(""),
                    &made,
                    match m.account_name(&model.source_account_id) {
                        n if *n == *model.source_account_id => "",
                        n => n,
                    },
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

/// Cells per column for a terminal `width` cells wide, from what the rows
/// hold (as the jobs' table does): the model's name, its account, the
/// region it lives in (whole or left out, never cut) and its base model
/// (left out when the regions need the room: the account first, then the
/// base model, then its home), and a column per region, each as wide as
/// its longest cell when there is room.
pub(crate) struct Layout {
    pub name: usize,
    pub account: usize,
    pub home: usize,
    pub base: usize,
    /// One width per region, in the matrix's order.
    pub regions: Vec<usize>,
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
        header.extend(regions.iter().cloned().zip(self.regions.iter().copied()));
        header
    }

    /// A row's first cells: the model's name, account (by its name where
    /// `m` knows it), home and base model.
    pub(crate) fn model(&self, m: &Matrix, model: &Model) -> Vec<(String, usize)> {
        vec![
            (clean(&model.display_name()).into_owned(), self.name),
            (
                // A foundation model's ARN names no account: AWS's.
                match model.source_model_arn.split(':').nth(4) {
                    Some("") => "(AWS)".to_string(),
                    _ => self.account_cell(m, &model.source_account_id),
                },
                self.account,
            ),
            (model.source_region().to_string(), self.home),
            (
                model.base_model().unwrap_or("(imported)").to_string(),
                self.base,
            ),
        ]
    }

    /// The account's name, cut (where the column is narrower) so that the
    /// organisation's accounts stay apart (`cut::accounts`): cut at its
    /// end, `team-recsys-sandbox` and `team-risk-sandbox` read alike.
    fn account_cell(&self, m: &Matrix, id: &str) -> String {
        let name = clean(m.account_name(id)).into_owned();
        if self.account == 0 || display_width(name.as_str()) <= self.account {
            return name;
        }
        let label = format!("{} · {id}", m.account_name(id));
        super::cut::accounts(&m.account_labels(), self.account)
            .remove(&label)
            .map_or(name, |cut| clean(&cut).into_owned())
    }

    fn used(&self) -> usize {
        let fixed = [self.name, self.account, self.home, self.base];
        let columns = fixed
            .iter()
            .chain(&self.regions)
            .filter(|w| **w > 0)
            .count();
        fixed.iter().sum::<usize>()
            + self.regions.iter().sum::<usize>()
            + GAP.len() * columns.saturating_sub(1)
    }
}

/// What the columns hold at their longest, headers included: the widths
/// they would take with room to spare.
struct Natural {
    /// Two rows read alike by name and account (a foundation model read
    /// in two regions): their home region is what tells them apart.
    twins: bool,
    name: usize,
    account: usize,
    home: usize,
    base: usize,
    regions: Vec<usize>,
}

impl Natural {
    fn of<'a>(
        m: &Matrix,
        rows: impl IntoIterator<Item = &'a Model>,
        now: DateTime<Utc>,
    ) -> Natural {
        let mut seen = std::collections::HashSet::new();
        let mut n = Natural {
            twins: false,
            name: "MODEL".len(),
            account: "ACCOUNT".len(),
            home: "HOME".len(),
            base: "BASE MODEL".len(),
            regions: m
                .regions()
                .iter()
                .map(|r| display_width(r.as_str()))
                .collect(),
        };
        for model in rows {
            let cells = Layout {
                name: 0,
                account: 0,
                home: 0,
                base: 0,
                regions: Vec::new(),
            }
            .model(m, model);
            n.twins |= !seen.insert((cells[0].0.clone(), cells[1].0.clone()));
            n.name = n.name.max(display_width(cells[0].0.as_str()));
            n.account = n.account.max(display_width(cells[1].0.as_str()));
            n.home = n.home.max(display_width(cells[2].0.as_str()));
            n.base = n.base.max(display_width(cells[3].0.as_str()));
            for (column, w) in n.regions.iter_mut().enumerate() {
                *w = (*w).max(display_width(
                    cell_text(&m.slot(model, column), now).as_str(),
                ));
            }
        }
        n
    }
}

/// The layout of `rows` (those on screen, or every row) of `m` in `width` cells.
pub(crate) fn layout<'a>(
    m: &Matrix,
    rows: impl IntoIterator<Item = &'a Model>,
    width: usize,
    now: DateTime<Utc>,
) -> Layout {
    let nat = Natural::of(m, rows, now);
    let n = nat.regions.len();
    // A region's name fits its column, and so does a short cause.
    let region_min: Vec<usize> = nat
        .regions
        .iter()
        .zip(m.regions())
        .map(|(w, r)| (*w).min(display_width(r.as_str()).max(12)))
        .collect();
    let (name_min, base_min) = (nat.name.min(16), nat.base.min(14));
    // The model's own columns give way before its name is cut (three
    // models of one family differ at their end): the account, then the base
    // model; then the name down to 28 cells, the home, the name to 16 (an
    // organisation's, its accounts named: the base model, the name to 28,
    // the account, the home, the name to 16).
    let mut l = Layout {
        name: nat.name.min(40),
        account: nat.account,
        home: nat.home,
        base: base_min,
        regions: region_min.clone(),
    };
    let mut steps: [fn(&mut Layout, usize); 6] = [
        |l, _| l.account = 0,
        |l, _| l.base = 0,
        |l, name| l.name = l.name.min(name.min(28)),
        |l, _| l.home = 0,
        |l, name| l.name = l.name.min(name.min(16)),
        |_, _| {},
    ];
    if m.names_accounts() {
        // An organisation's matrix: whose model it is matters more than
        // its base model and the end of its name; cut to 14 cells (its
        // names told apart, `cut::accounts`) it outlasts the home region,
        // or rows of one model name in two accounts read the same.
        steps = [
            |l, _| l.base = 0,
            |l, name| l.name = l.name.min(name.min(28)),
            |l, _| l.account = l.account.min(ACCOUNT_AT_LEAST),
            |l, _| l.home = 0,
            |l, name| l.name = l.name.min(name.min(16)),
            |l, _| l.account = 0,
        ];
    }
    for (i, step) in steps.iter().enumerate() {
        if l.used() <= width {
            break;
        }
        // The home region (the fourth step in both orders) stays where
        // rows would read alike without it.
        if i == 3 && nat.twins {
            continue;
        }
        step(&mut l, nat.name);
    }
    if l.used() > width {
        // Kept for rows alike, the home region goes too before the
        // regions are squeezed, which count on the name alone.
        l.home = 0;
    }
    if l.used() > width {
        // The regions share what the name leaves, down to their symbols.
        let left = width.saturating_sub(name_min + GAP.len() * n);
        let each = (left / n.max(1)).max(3);
        for (w, min) in l.regions.iter_mut().zip(&region_min) {
            *w = each.min(*min).max(3);
        }
        let regions: usize = l.regions.iter().map(|w| w + GAP.len()).sum();
        l.name = width.saturating_sub(regions).clamp(8, name_min.max(8));
        return l;
    }
    // Room to spare, in steps: names and base models to tell apart,
    // causes to read, then more of each, then all of what each holds.
    for (column, upto) in [
        (Grow::Name, 28usize),
        (Grow::Base, 20),
        (Grow::Regions, 20),
        (Grow::Name, 40),
        (Grow::Base, 30),
        (Grow::Regions, 32),
        (Grow::Name, usize::MAX),
        (Grow::Base, usize::MAX),
        (Grow::Regions, usize::MAX),
    ] {
        let mut spare = width.saturating_sub(l.used());
        match column {
            Grow::Name => l.name += spare.min(upto.min(nat.name).saturating_sub(l.name)),
            Grow::Base if l.base > 0 => {
                l.base += spare.min(upto.min(nat.base).saturating_sub(l.base));
            }
            Grow::Base => {}
            Grow::Regions => {
                // A cell at a time, round the regions, so each gets its share.
                while spare > 0 {
                    let mut grew = false;
                    for (w, most) in l.regions.iter_mut().zip(&nat.regions) {
                        if spare > 0 && *w < upto.min(*most) {
                            *w += 1;
                            spare -= 1;
                            grew = true;
                        }
                    }
                    if !grew {
                        break;
                    }
                }
            }
        }
    }
    l
}

enum Grow {
    Name,
    Regions,
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
    let mut cells = l.model(m, model);
    for (column, w) in l.regions.iter().enumerate() {
        cells.push((cell_text(&m.slot(model, column), now), *w));
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
    let never = m.never_copied();
    let summary = format!(
        "{}{}, {} into {}",
        plural(models, "source model", "source models"),
        if never > 0 {
            format!(" ({} never copied)", thousands(never))
        } else {
            String::new()
        },
        plural(m.jobs(), "copy job", "copy jobs"),
        plural(m.regions().len(), "region", "regions"),
    );
    wrap_into(&mut out, &summary, width);
    out.push('\n');
    let l = layout(m, m.rows(), width, now);
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
