//! RFC 4180 CSV of jobs (CRLF line ends, quoting only where needed),
//! written by the `csv` crate; each field sanitized first, since a
//! spreadsheet or `cat` must not run escape sequences either.

use crate::domain::job::CopyJob;
use crate::output::json::api_time;
use ::csv::{QuoteStyle, WriterBuilder};
use std::borrow::Cow;
use std::io::{self, Write};

pub const CSV_HEADER: &[&str] = &[
    "jobArn",
    "status",
    "creationTime",
    "targetModelName",
    "targetModelArn",
    "sourceAccountId",
    "sourceModelArn",
    "sourceModelName",
    "targetModelKmsKeyArn",
    "tags",
    "failureMessage",
];

/// A CSV field: sanitized as the table is (a spreadsheet or `cat` must not
/// run escape sequences either; JSON is the exact format), then quoted by
/// the `csv` crate only where RFC 4180 needs it (a comma, quote, CR or LF),
/// so plain ARNs stay greppable; and also when it starts or ends with a
/// space, which spreadsheets would otherwise trim.
pub fn csv_field(s: &str) -> Cow<'_, str> {
    let s = crate::output::sanitize::clean_lines(s);
    let edge = s.starts_with(' ') || s.ends_with(' ');
    if !edge && !s.contains([',', '"', '\r', '\n']) {
        return s;
    }
    let style = if edge {
        QuoteStyle::Always
    } else {
        QuoteStyle::Necessary
    };
    let mut w = WriterBuilder::new()
        .quote_style(style)
        .buffer_capacity(s.len() * 2 + 2)
        .from_writer(Vec::new());
    // A record of one field, without its line end. Into a Vec nothing
    // fails, and what goes in is UTF-8 with quotes doubled.
    let quoted = w
        .write_record([s.as_bytes()])
        .ok()
        .and_then(|()| w.into_inner().ok())
        .and_then(|b| String::from_utf8(b).ok())
        .map(|q| q.trim_end_matches('\n').to_string());
    match quoted {
        Some(q) => Cow::Owned(q),
        None => Cow::Owned(format!("\"{}\"", s.replace('"', "\"\""))),
    }
}

pub(crate) fn write_csv_record<W: Write>(out: &mut W, fields: &[&str]) -> io::Result<()> {
    let mut line = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&csv_field(f));
    }
    line.push_str("\r\n");
    out.write_all(line.as_bytes())
}

pub fn write_csv_header<W: Write>(out: &mut W) -> io::Result<()> {
    write_csv_record(out, CSV_HEADER)
}

/// The header with leading columns (region, profile) for a table of several
/// sources.
pub fn write_csv_header_with<W: Write>(out: &mut W, lead: &[String]) -> io::Result<()> {
    let mut fields: Vec<&str> = lead.iter().map(String::as_str).collect();
    fields.extend(CSV_HEADER);
    write_csv_record(out, &fields)
}

/// A row with leading fields, matching [`write_csv_header_with`].
pub fn write_csv_row_with<W: Write>(out: &mut W, lead: &[String], job: &CopyJob) -> io::Result<()> {
    if lead.is_empty() {
        return write_csv_row(out, job);
    }
    let mut row = Vec::new();
    write_csv_row(&mut row, job)?;
    let mut line = String::new();
    for f in lead {
        line.push_str(&csv_field(f));
        line.push(',');
    }
    out.write_all(line.as_bytes())?;
    out.write_all(&row)
}

/// One job as a CSV record; absent optional members are empty fields.
///
/// Tags go in one field as `k=v;k=v`, which reads well in a spreadsheet.
/// Keys and values are written as they are, without escaping: the service
/// never allows `;` in tag text, so splitting on `;` is safe for its tags,
/// but it does allow `=`, so a key holding `=` makes the split at `=`
/// ambiguous. The JSON formats are the lossless ones.
pub fn write_csv_row<W: Write>(out: &mut W, job: &CopyJob) -> io::Result<()> {
    let tags = job
        .tags
        .iter()
        .map(|t| format!("{}={}", t.key, t.value))
        .collect::<Vec<_>>()
        .join(";");
    let created = api_time(job.created);
    write_csv_record(
        out,
        &[
            &job.job_arn,
            job.status.as_str(),
            &created,
            job.target_model_name.as_deref().unwrap_or(""),
            &job.target_model_arn,
            &job.source_account_id,
            &job.source_model_arn,
            job.source_model_name.as_deref().unwrap_or(""),
            job.kms_key_arn.as_deref().unwrap_or(""),
            &tags,
            job.failure_message.as_deref().unwrap_or(""),
        ],
    )
}

#[cfg(test)]
#[path = "csv_tests.rs"]
mod tests;
