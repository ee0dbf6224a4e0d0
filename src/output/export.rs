//! What the dashboard's `e` export writes, and the one place the output
//! formats are reached by their old paths: the AWS CLI's JSON
//! ([`super::json`]), JSON lines ([`super::jsonl`]), CSV ([`super::csv`]),
//! `list -o table` ([`super::table`]), watch and detail text
//! ([`super::text`]), AWS CLI command lines ([`super::aws_cli`]) and
//! OSC 52 ([`super::osc52`]).
//!
//! The machine formats (JSON, JSON lines, CSV) carry the service's text
//! byte for byte, since they are data for other programs; the human formats
//! (table, details) pass every string from the service through
//! [`crate::output::sanitize::clean`], since they go straight to a terminal.

pub use super::aws_cli::{CliRole, CliTarget, aws_cli_command, create_command, shell_quote};
pub use super::csv::{
    CSV_HEADER, csv_field, write_csv_header, write_csv_header_with, write_csv_row,
    write_csv_row_with,
};
pub(crate) use super::json::api_time;
pub use super::json::{JobListWriter, LIST_KEY, cli_json, job_json, write_json_list};
pub use super::jsonl::write_jsonl;
pub use super::osc52::osc52;
pub(crate) use super::table::fit;
pub use super::table::{
    LIST_COLUMNS, column_width, table_header, table_header_of, table_header_sized, table_row,
    table_row_of, table_row_sized,
};
pub use super::text::{job_details, watch_text};
use crate::domain::job::CopyJob;
use std::io::{self, Write};

/// What the dashboard's `e` export writes, chosen from the file name the
/// user typed so there is no second question to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    /// `.json` in any case is JSON; anything else, no extension included,
    /// is CSV, the format spreadsheets open.
    pub fn from_path(p: &std::path::Path) -> ExportFormat {
        match p.extension() {
            Some(e) if e.eq_ignore_ascii_case("json") => ExportFormat::Json,
            _ => ExportFormat::Csv,
        }
    }
}

/// The same bytes as `list -o json` / `list -o csv` for the same jobs.
pub fn export_to<W: Write>(out: &mut W, jobs: &[&CopyJob], format: ExportFormat) -> io::Result<()> {
    match format {
        ExportFormat::Json => {
            let mut w = JobListWriter::new(out);
            for j in jobs {
                w.push(j)?;
            }
            w.finish().map(|_| ())
        }
        ExportFormat::Csv => {
            write_csv_header(out)?;
            jobs.iter().try_for_each(|j| write_csv_row(out, j))
        }
    }
}

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;
