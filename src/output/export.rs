//! Output formats shared by the headless commands and the dashboard's copy
//! and export keys: the API's own JSON, JSON lines, RFC 4180 CSV, a plain
//! table, the equivalent AWS CLI command, and OSC 52 clipboard escapes.
//!
//! The machine formats (JSON, JSON lines, CSV) carry the service's text
//! byte for byte, since they are data for other programs; the human formats
//! (table, details) pass every string from the service through
//! [`clean`], since they go straight to a terminal.

use crate::domain::column::{CellContext, Column, age};
use crate::domain::job::CopyJob;
use crate::domain::query::{Filter, Sort};
use crate::output::layout;
use crate::output::sanitize::clean;
use base64::Engine;
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::io::{self, Write};
use textwrap::core::display_width;

/// RFC 3339 in UTC as the service writes it: fractions only when not zero,
/// so that output compares equal, as text, to what the AWS CLI prints.
pub(crate) fn api_time(t: DateTime<Utc>) -> String {
    let precision = if t.timestamp_subsec_nanos() == 0 {
        SecondsFormat::Secs
    } else {
        SecondsFormat::AutoSi
    };
    t.to_rfc3339_opts(precision, true)
}

/// A job in the API's own JSON shape, keys in the service's order, so jq
/// filters written for `aws bedrock list-model-copy-jobs` work unchanged.
/// Absent optional members are left out rather than written as `null`, as
/// the service does, so `has("failureMessage")` means the same thing.
pub fn job_json(job: &CopyJob) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    let text = |s: &str| Value::String(s.to_string());
    put("jobArn", text(&job.job_arn));
    put("status", text(job.status.as_str()));
    put("creationTime", Value::String(api_time(job.created)));
    put("targetModelArn", text(&job.target_model_arn));
    if let Some(n) = &job.target_model_name {
        put("targetModelName", text(n));
    }
    put("sourceAccountId", text(&job.source_account_id));
    put("sourceModelArn", text(&job.source_model_arn));
    if let Some(k) = &job.kms_key_arn {
        put("targetModelKmsKeyArn", text(k));
    }
    if !job.tags.is_empty() {
        let tags = job
            .tags
            .iter()
            .map(|t| {
                let mut o = Map::new();
                o.insert("key".into(), text(&t.key));
                o.insert("value".into(), text(&t.value));
                Value::Object(o)
            })
            .collect();
        put("targetModelTags", Value::Array(tags));
    }
    if let Some(f) = &job.failure_message {
        put("failureMessage", text(f));
    }
    if let Some(n) = &job.source_model_name {
        put("sourceModelName", text(n));
    }
    Value::Object(m)
}

/// JSON as `aws --output json` prints it: Python's `json.dumps(…,
/// indent=4, ensure_ascii=False)` and a newline. serde_json escapes the same
/// characters Python does (quote, backslash, controls as `\n`-style or
/// `\u00xx` in lowercase hex) and writes the rest as is, so the bytes match.
pub fn cli_json(value: &Value) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        serde_json::ser::PrettyFormatter::with_indent(CLI_INDENT.as_bytes()),
    );
    serde::Serialize::serialize(value, &mut ser).expect("a Value always serializes");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

/// The AWS CLI's indentation.
const CLI_INDENT: &str = "    ";

/// The whole listing as `aws bedrock list-model-copy-jobs --output json`
/// prints it (`{"modelCopyJobSummaries": [...]}`), written through
/// [`JobListWriter`] so the whole and the streamed output cannot drift.
pub fn write_json_list<W: Write>(out: &mut W, jobs: &[CopyJob]) -> io::Result<()> {
    let mut w = JobListWriter::new(out);
    for j in jobs {
        w.push(j)?;
    }
    w.finish().map(|_| ())
}

/// The result key of ListModelCopyJobs, which the AWS CLI prints the jobs of
/// every page under.
pub const LIST_KEY: &str = "modelCopyJobSummaries";

/// `list -o json` written as pages arrive, so it streams instead of holding
/// every job, in the AWS CLI's bytes. The opening goes out with the first
/// job, not in `new`: a command whose first request fails then prints only
/// its error.
pub struct JobListWriter<W: Write> {
    out: W,
    started: bool,
}

impl<W: Write> JobListWriter<W> {
    pub fn new(out: W) -> Self {
        JobListWriter {
            out,
            started: false,
        }
    }

    /// The sink, to flush what a page produced before the next request.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }

    pub fn push(&mut self, job: &CopyJob) -> io::Result<()> {
        let text = cli_json(&job_json(job));
        // JSON strings never hold a raw newline (it is escaped), so every
        // newline here is layout, and indenting after it nests the object
        // two levels down, exactly as the pretty printer nests it there.
        let nested = text
            .trim_end()
            .replace('\n', &format!("\n{CLI_INDENT}{CLI_INDENT}"));
        if self.started {
            self.out.write_all(b",\n")?;
        } else {
            write!(self.out, "{{\n{CLI_INDENT}\"{LIST_KEY}\": [\n")?;
        }
        write!(self.out, "{CLI_INDENT}{CLI_INDENT}{nested}")?;
        self.started = true;
        Ok(())
    }

    pub fn finish(mut self) -> io::Result<W> {
        if self.started {
            write!(self.out, "\n{CLI_INDENT}]\n}}\n")?;
        } else {
            write!(self.out, "{{\n{CLI_INDENT}\"{LIST_KEY}\": []\n}}\n")?;
        }
        Ok(self.out)
    }
}

/// One compact object a line, so `watch` output can be read line by line
/// (`jq -c`, `while read`) while it is still running.
pub fn write_jsonl<W: Write>(out: &mut W, job: &CopyJob) -> io::Result<()> {
    let mut line = serde_json::to_vec(&job_json(job)).map_err(io::Error::other)?;
    line.push(b'\n');
    // One write, so a reader never sees half a line from us.
    out.write_all(&line)
}

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

/// RFC 4180 quoting, only where needed so plain ARNs stay greppable: a
/// field is quoted when it holds a comma, quote, CR or LF, and also when it
/// starts or ends with a space, which spreadsheets would otherwise trim.
/// A CSV field: sanitized as the table is (a spreadsheet or `cat` must not
/// run escape sequences either; JSON is the exact format), then quoted
/// as RFC 4180 asks.
pub fn csv_field(s: &str) -> Cow<'_, str> {
    let s = crate::output::sanitize::clean_lines(s);
    let needs = s.contains([',', '"', '\r', '\n']) || s.starts_with(' ') || s.ends_with(' ');
    if needs {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        s
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
        Column::SourceAccount => ("ACCOUNT", 12),
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
fn layout(columns: &[Column], width: usize) -> Layout {
    let gap = GAP.len() as u16;
    // No gap after the last column.
    let room = u16::try_from(width).unwrap_or(u16::MAX - gap) + gap;
    let lay = |symbol_only: bool| {
        let wanted: Vec<(Column, u16)> = columns
            .iter()
            .map(|&c| {
                let (label, most) = spec(c);
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

/// Terminal cells of one character, by the same rules as [`display_width`]
/// (Unicode East Asian Width, through textwrap's `unicode-width` feature).
fn char_width(c: char) -> usize {
    display_width(c.encode_utf8(&mut [0; 4]))
}

/// Cut to at most `w` cells, keeping as many whole characters as fit.
fn cut(s: &str, w: usize) -> (String, usize) {
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if used + cw > w {
            break;
        }
        out.push(c);
        used += cw;
    }
    (out, used)
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
    let sw = display_width(s);
    let (mut out, used) = if sw <= w {
        (s.to_string(), sw)
    } else if w == 0 {
        (String::new(), 0)
    } else {
        let (mut t, used) = cut(s, w - 1);
        t.push('…');
        (t, used + 1)
    };
    // A wide character that did not fit leaves a one-cell hole to fill.
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(used)));
    out
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
        cut(line, width).0
    }
}

/// The header for [`table_row`] at the same width.
pub fn table_header(width: usize) -> String {
    table_header_of(LIST_COLUMNS, width)
}

/// The header for [`table_row_of`] with the same columns and width.
pub fn table_header_of(columns: &[Column], width: usize) -> String {
    let layout = layout(columns, width);
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
    let layout = layout(columns, width);
    let cells: Vec<Cow<'_, str>> = columns
        .iter()
        .map(|c| match c {
            Column::Status if layout.symbol_only => Cow::Borrowed(job.status.symbol()),
            c => Cow::Owned(clean(&c.text(job, ctx)).into_owned()),
        })
        .collect();
    render_row(columns, &cells, &layout, width)
}

/// The name and change columns of `watch -o text`, in terminal cells.
const WATCH_NAME: usize = 40;
const WATCH_CHANGE: usize = 24;

/// One line of `watch -o text`: time, name, change, ARN and the failure.
/// Each field is sanitized first and then fitted by display width (a long
/// or wide name cut with an ellipsis), so the ARNs line up whatever the
/// names hold; the ARN and the failure, last, are whole.
pub fn watch_text(
    job: &CopyJob,
    from: Option<&crate::domain::job::Status>,
    now: DateTime<Utc>,
) -> String {
    let change = match from {
        Some(f) => format!("{} -> {}", f.as_str(), job.status.as_str()),
        None => format!("new -> {}", job.status.as_str()),
    };
    let mut line = format!(
        "{}  {}  {}  {}",
        now.to_rfc3339_opts(SecondsFormat::Secs, true),
        fit(&clean(job.display_name()), WATCH_NAME),
        fit(&clean(&change), WATCH_CHANGE),
        clean(&job.job_arn)
    );
    if let Some(m) = &job.failure_message {
        line.push_str("  ");
        line.push_str(&clean(m));
    }
    line
}

const LABEL_WIDTH: usize = 17;

/// `label` then `value`; a multi-line value keeps its lines, each indented
/// under the first, so a long failure message is shown whole and readable.
fn detail(out: &mut String, label: &str, value: &str) {
    for (i, line) in value.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let label = if i == 0 { label } else { "" };
        let text = format!("{label:<LABEL_WIDTH$}{}", clean(line));
        out.push_str(text.trim_end());
        out.push('\n');
    }
}

/// `copyjobs get -o table`: every field on its own line, nothing cut, the
/// failure right under the status where it is looked for first.
pub fn job_details(job: &CopyJob, now: DateTime<Utc>, tz: &FixedOffset) -> String {
    let mut out = String::new();
    let none = "—";
    detail(&mut out, "Job ARN:", &job.job_arn);
    detail(
        &mut out,
        "Status:",
        &format!("{} {}", job.status.symbol(), job.status.as_str()),
    );
    if let Some(f) = &job.failure_message {
        detail(&mut out, "Failure:", f);
    }
    let when = job
        .created
        .with_timezone(tz)
        .format("%Y-%m-%d %H:%M:%S %:z");
    let ago = age(job.created, now);
    let ago = if job.created > now {
        ago
    } else {
        format!("{ago} ago")
    };
    detail(&mut out, "Created:", &format!("{when} ({ago})"));
    detail(
        &mut out,
        "Target name:",
        job.target_model_name.as_deref().unwrap_or(none),
    );
    detail(&mut out, "Target ARN:", &job.target_model_arn);
    // Without a key of its own the service encrypts with an AWS owned key.
    detail(
        &mut out,
        "KMS key:",
        job.kms_key_arn.as_deref().unwrap_or("— (AWS owned key)"),
    );
    detail(
        &mut out,
        "Source name:",
        job.source_model_name.as_deref().unwrap_or(none),
    );
    detail(&mut out, "Source ARN:", &job.source_model_arn);
    detail(&mut out, "Source account:", &job.source_account_id);
    if job.tags.is_empty() {
        detail(&mut out, "Tags:", "none");
    }
    for (i, t) in job.tags.iter().enumerate() {
        // Tag text cannot hold quotes, so `""` can only mean empty.
        let value = if t.value.is_empty() { "\"\"" } else { &t.value };
        detail(
            &mut out,
            if i == 0 { "Tags:" } else { "" },
            &format!("{} = {value}", t.key),
        );
    }
    out
}

/// POSIX `sh` quoting, only where needed so the usual ARNs and names stay
/// readable; single quotes because nothing is special inside them but the
/// quote itself, which is closed, escaped and reopened (`'\''`).
pub fn shell_quote(s: &str) -> Cow<'_, str> {
    let safe = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c));
    if safe {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(format!("'{}'", s.replace('\'', "'\\''")))
    }
}

/// Where a printed AWS CLI command goes: the region, profile and endpoint
/// copyjobs itself used (or would use) for the same request. A command
/// without them would run against whatever the shell it is pasted into
/// points at: another account, or the real service instead of a local
/// endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CliTarget<'a> {
    pub region: Option<&'a str>,
    pub profile: Option<&'a str>,
    pub endpoint_url: Option<&'a str>,
}

/// A flag and its values (the AWS CLI's lists take several).
type CliArg<'a> = (&'static str, Vec<Cow<'a, str>>);

/// `aws bedrock OPERATION --region … --profile … --endpoint-url …` and then
/// `args`, each value quoted for the shell: the one place every command
/// copyjobs prints or copies is written, so none leaves out where it goes.
fn aws_bedrock(operation: &str, at: CliTarget<'_>, args: &[CliArg<'_>]) -> String {
    let mut cmd = format!("aws bedrock {operation}");
    let place = [
        ("--region", at.region),
        ("--profile", at.profile),
        ("--endpoint-url", at.endpoint_url),
    ];
    let place: Vec<CliArg<'_>> = place
        .iter()
        .filter_map(|(flag, v)| v.map(|v| (*flag, vec![Cow::Borrowed(v)])))
        .collect();
    for (flag, values) in place.iter().chain(args) {
        cmd.push(' ');
        cmd.push_str(flag);
        for v in values {
            cmd.push(' ');
            cmd.push_str(&shell_quote(v));
        }
    }
    cmd
}

/// The AWS CLI command that sends `req` where copyjobs sends it: in its
/// region, with the profile and endpoint `at` names.
pub fn create_command(req: &crate::domain::copy::CopyRequest, at: CliTarget<'_>) -> String {
    let one = |flag, v: &str| (flag, vec![Cow::Owned(v.to_string())]);
    let mut args: Vec<CliArg<'_>> = vec![
        one("--source-model-arn", &req.source_model_arn),
        one("--target-model-name", &req.target_model_name),
    ];
    if let Some(k) = &req.kms_key_id {
        args.push(one("--model-kms-key-id", k));
    }
    if !req.tags.is_empty() {
        let tags = req.tags.iter();
        let tags = tags.map(|t| Cow::Owned(format!("key={},value={}", t.key, t.value)));
        args.push(("--target-model-tags", tags.collect()));
    }
    args.push(one("--client-request-token", &req.token()));
    let at = CliTarget {
        region: Some(&req.region),
        ..at
    };
    aws_bedrock("create-model-copy-job", at, &args)
}

/// The AWS CLI command that asks the service the same question, to paste
/// into a script or a bug report. Sorting newest first is the service's
/// default, so only the other order is spelled out.
pub fn aws_cli_command<'a>(filter: &'a Filter, at: CliTarget<'_>) -> String {
    let mut args: Vec<CliArg<'a>> = Vec::new();
    let mut arg = |flag, value: Option<Cow<'a, str>>| {
        if let Some(v) = value {
            args.push((flag, vec![v]));
        }
    };
    arg(
        "--status-equals",
        filter.status.as_ref().map(|s| Cow::Borrowed(s.as_str())),
    );
    arg(
        "--creation-time-after",
        filter.created_after.map(|t| Cow::Owned(api_time(t))),
    );
    arg(
        "--creation-time-before",
        filter.created_before.map(|t| Cow::Owned(api_time(t))),
    );
    arg(
        "--target-model-name-contains",
        filter.name_contains.as_deref().map(Cow::Borrowed),
    );
    arg(
        "--source-account-equals",
        filter.source_account.as_deref().map(Cow::Borrowed),
    );
    arg(
        "--source-model-arn-equals",
        filter.source_model_arn.as_deref().map(Cow::Borrowed),
    );
    if filter.sort == Sort::OldestFirst {
        arg("--sort-order", Some(Cow::Borrowed("Ascending")));
    }
    aws_bedrock("list-model-copy-jobs", at, &args)
}

/// OSC 52 sets the clipboard through the terminal, so copying works over
/// SSH with nothing installed on either side.
///
/// Inside tmux the sequence goes out twice: plain, which tmux takes itself
/// when `set-clipboard on` (the setting tmux's own documentation suggests
/// for this), and wrapped in tmux's DCS passthrough with every ESC doubled,
/// which reaches the outer terminal when `allow-passthrough on`. Either one
/// alone leaves the other configuration with an empty clipboard; when both
/// arrive, the clipboard is set twice to the same text.
pub fn osc52(text: &str, inside_tmux: bool) -> String {
    let seq = format!(
        "\u{1b}]52;c;{}\u{7}",
        base64::engine::general_purpose::STANDARD.encode(text)
    );
    if inside_tmux {
        let doubled = seq.replace('\u{1b}', "\u{1b}\u{1b}");
        format!("{seq}\u{1b}Ptmux;{doubled}\u{1b}\\")
    } else {
        seq
    }
}

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
mod tests {
    use super::*;
    use crate::domain::job::{Status, Tag};
    use chrono::{TimeDelta, TimeZone};
    use proptest::prelude::*;
    use std::path::Path;

    const JOB_ARN: &str = "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/abcdefghij12";
    const TARGET_ARN: &str =
        "arn:aws:bedrock:us-east-1:111122223333:custom-model/imported/abcdefghij12";
    const SOURCE_ARN: &str =
        "arn:aws:bedrock:us-west-2:444455556666:custom-model/imported/zyxwvutsrq98";
    const KMS: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("valid time")
    }

    fn now() -> DateTime<Utc> {
        at(2025, 6, 1, 12, 0, 0)
    }

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).expect("valid offset")
    }

    fn plus_one() -> FixedOffset {
        FixedOffset::east_opt(3600).expect("valid offset")
    }

    fn tag(k: &str, v: &str) -> Tag {
        Tag {
            key: k.into(),
            value: v.into(),
        }
    }

    /// Every optional member set.
    fn full() -> CopyJob {
        CopyJob {
            job_arn: JOB_ARN.into(),
            status: Status::Failed,
            created: now() - TimeDelta::minutes(90),
            target_model_arn: TARGET_ARN.into(),
            target_model_name: Some("fraud-copy".into()),
            source_account_id: "444455556666".into(),
            source_model_arn: SOURCE_ARN.into(),
            source_model_name: Some("fraud-src".into()),
            kms_key_arn: Some(KMS.into()),
            tags: vec![tag("team", "fraud, risk"), tag("env", "prod")],
            failure_message: Some("Access \"denied\"\nretry".into()),
        }
    }

    /// No optional member set.
    fn bare() -> CopyJob {
        CopyJob {
            status: Status::InProgress,
            target_model_name: None,
            source_model_name: None,
            kms_key_arn: None,
            tags: vec![],
            failure_message: None,
            ..full()
        }
    }

    fn keys(v: &Value) -> Vec<&str> {
        v.as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect()
    }

    #[test]
    fn json_keys_are_the_api_names_in_the_api_order() {
        let v = job_json(&full());
        assert_eq!(
            keys(&v),
            [
                "jobArn",
                "status",
                "creationTime",
                "targetModelArn",
                "targetModelName",
                "sourceAccountId",
                "sourceModelArn",
                "targetModelKmsKeyArn",
                "targetModelTags",
                "failureMessage",
                "sourceModelName"
            ]
        );
        assert_eq!(
            v,
            serde_json::json!({
                "jobArn": JOB_ARN,
                "status": "Failed",
                "creationTime": "2025-06-01T10:30:00Z",
                "targetModelArn": TARGET_ARN,
                "targetModelName": "fraud-copy",
                "sourceAccountId": "444455556666",
                "sourceModelArn": SOURCE_ARN,
                "targetModelKmsKeyArn": KMS,
                "targetModelTags": [
                    {"key": "team", "value": "fraud, risk"},
                    {"key": "env", "value": "prod"}
                ],
                "failureMessage": "Access \"denied\"\nretry",
                "sourceModelName": "fraud-src"
            })
        );
        let tag_keys: Vec<&str> = keys(&v["targetModelTags"][0]);
        assert_eq!(tag_keys, ["key", "value"]);
    }

    #[test]
    fn json_leaves_out_what_is_absent_and_empty_tags() {
        let v = job_json(&bare());
        assert_eq!(
            keys(&v),
            [
                "jobArn",
                "status",
                "creationTime",
                "targetModelArn",
                "sourceAccountId",
                "sourceModelArn"
            ]
        );
        assert_eq!(v["status"], "InProgress");
        let unknown = CopyJob {
            status: Status::Unknown("Paused".into()),
            ..bare()
        };
        assert_eq!(job_json(&unknown)["status"], "Paused");
    }

    #[test]
    fn creation_time_has_fractions_only_when_not_zero() {
        let cases = [
            (TimeDelta::zero(), "2025-06-01T12:00:00Z"),
            (TimeDelta::milliseconds(123), "2025-06-01T12:00:00.123Z"),
            (
                TimeDelta::microseconds(123_456),
                "2025-06-01T12:00:00.123456Z",
            ),
            (TimeDelta::nanoseconds(1), "2025-06-01T12:00:00.000000001Z"),
        ];
        for (extra, want) in cases {
            let j = CopyJob {
                created: now() + extra,
                ..bare()
            };
            assert_eq!(job_json(&j)["creationTime"], want);
        }
    }

    fn list_bytes(jobs: &[CopyJob]) -> Vec<u8> {
        let mut buf = Vec::new();
        write_json_list(&mut buf, jobs).unwrap();
        buf
    }

    fn listing(jobs: &[CopyJob]) -> Value {
        serde_json::json!({ LIST_KEY: jobs.iter().map(job_json).collect::<Vec<_>>() })
    }

    #[test]
    fn json_is_the_aws_clis_listing_byte_for_byte() {
        let jobs = vec![full(), bare(), full()];
        let buf = list_bytes(&jobs);
        let text = String::from_utf8(buf.clone()).unwrap();
        assert_eq!(text, cli_json(&listing(&jobs)));
        let back: Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(back, listing(&jobs));
        // What `aws bedrock list-model-copy-jobs` (Python's json.dumps,
        // indent=4, ensure_ascii=False) prints for one bare job.
        let one = String::from_utf8(list_bytes(&[bare()])).unwrap();
        assert_eq!(
            one,
            format!(
                "{{\n    \"modelCopyJobSummaries\": [\n        {{\n            \"jobArn\": \"{JOB_ARN}\",\n            \"status\": \"InProgress\",\n            \"creationTime\": \"2025-06-01T10:30:00Z\",\n            \"targetModelArn\": \"{TARGET_ARN}\",\n            \"sourceAccountId\": \"444455556666\",\n            \"sourceModelArn\": \"{SOURCE_ARN}\"\n        }}\n    ]\n}}\n"
            )
        );
        assert_eq!(
            list_bytes(&[]),
            b"{\n    \"modelCopyJobSummaries\": []\n}\n"
        );
        // Python escapes controls as \u00xx in lowercase hex and leaves the
        // rest of Unicode as it is; so does this.
        let odd = CopyJob {
            failure_message: Some("\u{1b}[31mrot\u{7f} 模型 \u{200d}\t\"".into()),
            ..bare()
        };
        let text = String::from_utf8(list_bytes(&[odd])).unwrap();
        assert!(
            text.contains("\"failureMessage\": \"\\u001b[31mrot\u{7f} 模型 \u{200d}\\t\\\"\""),
            "{text}"
        );
    }

    #[test]
    fn the_streamed_listing_equals_the_whole_one() {
        let jobs = vec![full(), bare(), full()];
        let mut w = JobListWriter::new(Vec::new());
        assert!(w.get_mut().is_empty(), "nothing before the first job");
        for j in &jobs {
            w.push(j).unwrap();
            // Complete objects so far: the page is out before the next request.
            assert!(w.get_mut().ends_with(b"}"));
        }
        let streamed = w.finish().unwrap();
        assert_eq!(streamed, list_bytes(&jobs));
        let empty = JobListWriter::new(Vec::new()).finish().unwrap();
        assert_eq!(empty, list_bytes(&[]));
    }

    #[test]
    fn jsonl_is_one_compact_object_a_line() {
        let mut buf = Vec::new();
        for j in [full(), bare()] {
            write_jsonl(&mut buf, &j).unwrap();
        }
        let text = String::from_utf8(buf).unwrap();
        assert!(text.ends_with('\n'));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "the newline in the message stays escaped");
        assert!(lines[0].starts_with("{\"jobArn\":\""), "{}", lines[0]);
        assert!(lines[0].contains(r#""failureMessage":"Access \"denied\"\nretry""#));
        let back: Vec<Value> = lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(back, [job_json(&full()), job_json(&bare())]);
    }

    #[test]
    fn csv_quotes_only_what_needs_it() {
        let cases = [
            ("plain", "plain"),
            ("", ""),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("\"", "\"\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("cr\rhere", "\"cr\rhere\""),
            (" lead", "\" lead\""),
            ("trail ", "\"trail \""),
            ("in side", "in side"),
            ("tab\tin", "tab\tin"),
            ("ünï ✔", "ünï ✔"),
        ];
        for (raw, want) in cases {
            assert_eq!(csv_field(raw), want, "{raw:?}");
        }
        assert!(matches!(csv_field("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn csv_header_and_rows() {
        let mut buf = Vec::new();
        write_csv_header(&mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf.clone()).unwrap(),
            "jobArn,status,creationTime,targetModelName,targetModelArn,sourceAccountId,sourceModelArn,sourceModelName,targetModelKmsKeyArn,tags,failureMessage\r\n"
        );
        let mut row = Vec::new();
        write_csv_row(&mut row, &full()).unwrap();
        assert_eq!(
            String::from_utf8(row.clone()).unwrap(),
            format!(
                "{JOB_ARN},Failed,2025-06-01T10:30:00Z,fraud-copy,{TARGET_ARN},444455556666,{SOURCE_ARN},fraud-src,{KMS},\"team=fraud, risk;env=prod\",\"Access \"\"denied\"\"\nretry\"\r\n"
            )
        );
        let mut empty = Vec::new();
        write_csv_row(&mut empty, &bare()).unwrap();
        assert_eq!(
            String::from_utf8(empty.clone()).unwrap(),
            format!(
                "{JOB_ARN},InProgress,2025-06-01T10:30:00Z,,{TARGET_ARN},444455556666,{SOURCE_ARN},,,,\r\n"
            )
        );

        // A strict RFC 4180 reader gets the fields back unchanged.
        buf.extend(&row);
        buf.extend(&empty);
        let mut reader = csv::ReaderBuilder::new().from_reader(buf.as_slice());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(header, CSV_HEADER);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][9], "team=fraud, risk;env=prod");
        assert_eq!(&rows[0][10], "Access \"denied\"\nretry");
        assert_eq!(&rows[1][3], "");
        assert!(rows.iter().all(|r| r.len() == CSV_HEADER.len()));
    }

    #[test]
    fn csv_tags_are_written_as_they_are() {
        let j = CopyJob {
            tags: vec![tag("a=b", "c=d"), tag("empty", ""), tag(" sp", "x ")],
            ..bare()
        };
        let mut buf = Vec::new();
        write_csv_row(&mut buf, &j).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(text.contains(",\"a=b=c=d;empty=; sp=x \",\r\n"), "{text}");
    }

    fn width_of(s: &str) -> usize {
        display_width(s)
    }

    fn long_names() -> Vec<CopyJob> {
        let names = [
            "ä-very-long-name-".repeat(10),
            "模型复制任务".repeat(12),
            "👩‍🔬🧪".repeat(20),
            "e\u{301}".repeat(80),
            "x".repeat(63),
            "a".to_string(),
        ];
        let mut jobs: Vec<CopyJob> = names
            .into_iter()
            .map(|n| CopyJob {
                target_model_name: Some(n),
                source_model_name: Some("源模型".repeat(30).into()),
                ..full()
            })
            .collect();
        jobs.push(CopyJob {
            status: Status::Unknown("\u{1b}[2JSomeVeryLongFutureStatus\u{202e}".into()),
            target_model_name: Some("evil\u{1b}]0;title\u{7}\nname".into()),
            source_account_id: "\u{9b}31m".into(),
            ..bare()
        });
        jobs.push(bare());
        jobs
    }

    #[test]
    fn tables_never_exceed_the_width() {
        for w in 0..=200 {
            let header = table_header(w);
            assert!(width_of(&header) <= w, "{w}: {header}");
            for j in long_names() {
                for tz in [utc(), plus_one()] {
                    let row = table_row(&j, w, now(), &tz);
                    assert!(width_of(&row) <= w, "{w}: {row}");
                    assert!(
                        !row.contains(['\u{1b}', '\u{9b}', '\u{7}', '\n']),
                        "{row:?}"
                    );
                    assert_eq!(row, row.trim_end());
                }
            }
        }
        assert_eq!(table_header(0), "");
        assert_eq!(table_row(&full(), 0, now(), &utc()), "");
    }

    #[test]
    fn tiny_tables_keep_status_and_name() {
        for w in 5..34 {
            let row = table_row(&full(), w, now(), &utc());
            assert!(row.starts_with("✘  f"), "{w}: {row}");
            let header = table_header(w);
            assert!(header.starts_with("S  N"), "{w}: {header}");
        }
        assert_eq!(table_row(&full(), 10, now(), &utc()), "✘  fraud-…");
        assert_eq!(table_row(&full(), 13, now(), &utc()), "✘  fraud-copy");
        assert_eq!(table_header(10), "S  NAME");
        assert_eq!(
            table_row(&full(), 34, now(), &utc()),
            "✘ Failed      fraud-copy"
        );
        assert_eq!(table_header(34), "STATUS        NAME");
    }

    #[test]
    fn columns_give_way_from_the_least_useful() {
        let labels = |w: usize| -> Vec<String> {
            table_header(w)
                .split_whitespace()
                .map(str::to_string)
                .collect()
        };
        // The dashboard's order (`layout`): tags, account, source, created,
        // then age give way. Each column at its least (status 12, name 32,
        // created 16, age 8, source 16, account 12, tags 4) and two cells
        // between columns: status and name need 46, age 10 more, created
        // 18, source 18, account 14, tags 6.
        assert_eq!(labels(55), ["STATUS", "NAME"]);
        assert_eq!(labels(56), ["STATUS", "NAME", "AGE"]);
        assert_eq!(labels(73), ["STATUS", "NAME", "AGE"]);
        assert_eq!(labels(74), ["STATUS", "NAME", "CREATED", "AGE"]);
        assert_eq!(labels(80), ["STATUS", "NAME", "CREATED", "AGE"]);
        assert_eq!(labels(92), ["STATUS", "NAME", "CREATED", "AGE", "SOURCE"]);
        assert_eq!(
            labels(106),
            ["STATUS", "NAME", "CREATED", "AGE", "SOURCE", "ACCOUNT"]
        );
        assert_eq!(
            labels(112),
            [
                "STATUS", "NAME", "CREATED", "AGE", "SOURCE", "ACCOUNT", "TAGS"
            ]
        );
        assert_eq!(labels(111).len(), 6);
    }

    #[test]
    fn a_wide_row_shows_every_column_aligned_with_the_header() {
        let header = table_header(160);
        let row = table_row(&full(), 160, now(), &plus_one());
        assert_eq!(
            row,
            format!(
                "{:<12}  {:<63}  {:<16}  {:<8}  {:<33}  {:<12}  2",
                "✘ Failed", "fraud-copy", "2025-06-01 11:30", "1h 30m", "fraud-src", "444455556666"
            )
        );
        for label in ["NAME", "CREATED", "AGE", "SOURCE", "ACCOUNT", "TAGS"] {
            let col = header.find(label).unwrap();
            let cells_before = width_of(&header[..col]);
            let (row_prefix, _) = cut(&row, cells_before);
            assert_eq!(width_of(&row_prefix), cells_before);
            assert!(row_prefix.ends_with("  "), "{label}: {row_prefix:?}");
        }
        // Unknown statuses show; cut ones say so.
        let odd = CopyJob {
            status: Status::Unknown("Paused".into()),
            ..bare()
        };
        assert!(table_row(&odd, 160, now(), &utc()).starts_with("? Paused  "));
        let long = CopyJob {
            status: Status::Unknown("WaitingForApproval".into()),
            ..bare()
        };
        assert!(table_row(&long, 160, now(), &utc()).starts_with("? WaitingFo…  "));
    }

    #[test]
    fn wide_characters_are_cut_by_cells() {
        assert_eq!(fit("模型复制", 8), "模型复制");
        assert_eq!(fit("模型复制", 7), "模型复…");
        assert_eq!(fit("模型复制", 6), "模型… ");
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abc", 1), "…");
        assert_eq!(fit("abc", 0), "");
        let (cut_text, used) = cut("模型", 3);
        assert_eq!((cut_text.as_str(), used), ("模", 2));
    }

    #[test]
    fn watch_lines_keep_their_columns_whatever_the_names() {
        let names = [
            "short".to_string(),
            "x".repeat(63),
            "模型复制任务".repeat(5),
            "esc\u{1b}[31mred\u{7}".to_string(),
        ];
        let lines: Vec<String> = names
            .iter()
            .map(|n| {
                let job = CopyJob {
                    target_model_name: Some(n.clone()),
                    ..full()
                };
                watch_text(&job, Some(&Status::InProgress), now())
            })
            .collect();
        let arn_at: Vec<usize> = lines
            .iter()
            .map(|l| width_of(&l[..l.find("arn:aws:bedrock").unwrap()]))
            .collect();
        assert!(
            arn_at.iter().all(|c| *c == arn_at[0]),
            "{arn_at:?}\n{lines:#?}"
        );
        assert!(
            lines[1].contains('…'),
            "a long name is cut visibly: {}",
            lines[1]
        );
        assert!(
            lines.iter().all(|l| !l.chars().any(char::is_control)),
            "{lines:#?}"
        );
        assert!(
            lines[0].starts_with("2025-06-01T12:00:00Z  short "),
            "{}",
            lines[0]
        );
        assert!(lines[0].contains("InProgress -> Failed"), "{}", lines[0]);
    }

    #[test]
    fn a_job_from_the_future_says_so() {
        let j = CopyJob {
            created: now() + TimeDelta::minutes(5),
            ..bare()
        };
        assert!(table_row(&j, 160, now(), &utc()).contains("in 5m"));
        assert!(job_details(&j, now(), &utc()).contains("(in 5m)"));
    }

    #[test]
    fn details_show_every_field_whole() {
        let d = job_details(&full(), now(), &plus_one());
        assert_eq!(
            d,
            format!(
                "Job ARN:         {JOB_ARN}
Status:          ✘ Failed
Failure:         Access \"denied\"
                 retry
Created:         2025-06-01 11:30:00 +01:00 (1h 30m ago)
Target name:     fraud-copy
Target ARN:      {TARGET_ARN}
KMS key:         {KMS}
Source name:     fraud-src
Source ARN:      {SOURCE_ARN}
Source account:  444455556666
Tags:            team = fraud, risk
                 env = prod
"
            )
        );
        let d = job_details(&bare(), now(), &utc());
        for want in [
            "Status:          ◐ InProgress\n",
            "Created:         2025-06-01 10:30:00 +00:00 (1h 30m ago)\n",
            "Target name:     —\n",
            "KMS key:         — (AWS owned key)\n",
            "Source name:     —\n",
            "Tags:            none\n",
        ] {
            assert!(d.contains(want), "{want}: {d}");
        }
        assert!(!d.contains("Failure:"));
    }

    #[test]
    fn details_show_long_messages_whole_and_escapes_harmless() {
        let message = "word ".repeat(400);
        let j = CopyJob {
            failure_message: Some(format!("{message}\r\nsecond \u{1b}[31mline")),
            tags: vec![tag("empty", "")],
            status: Status::Unknown("Odd\u{7}".into()),
            ..bare()
        };
        let d = job_details(&j, now(), &utc());
        assert!(d.contains(&format!("Failure:         {}\n", message.trim_end())));
        assert!(
            d.contains("\n                 second \\u{1b}[31mline\n"),
            "{d}"
        );
        assert!(d.contains("Tags:            empty = \"\"\n"));
        assert!(d.contains("Status:          ? Odd\\u{7}\n"));
        assert!(!d.contains(['\u{1b}', '\u{7}', '\r']));
    }

    fn region(r: &str) -> CliTarget<'_> {
        CliTarget {
            region: Some(r),
            ..CliTarget::default()
        }
    }

    #[test]
    fn cli_command_for_the_default_filter() {
        assert_eq!(
            aws_cli_command(&Filter::default(), CliTarget::default()),
            "aws bedrock list-model-copy-jobs"
        );
        assert_eq!(
            aws_cli_command(&Filter::default(), region("us-east-1")),
            "aws bedrock list-model-copy-jobs --region us-east-1"
        );
    }

    #[test]
    fn cli_command_matches_the_documented_example() {
        let f = Filter {
            status: Some(Status::Failed),
            created_after: Some(at(2025, 6, 1, 10, 0, 0)),
            name_contains: Some("fraud".into()),
            sort: Sort::OldestFirst,
            ..Filter::default()
        };
        assert_eq!(
            aws_cli_command(&f, region("us-east-1")),
            "aws bedrock list-model-copy-jobs --region us-east-1 --status-equals Failed --creation-time-after 2025-06-01T10:00:00Z --target-model-name-contains fraud --sort-order Ascending"
        );
    }

    #[test]
    fn cli_command_for_a_full_filter_quotes_for_the_shell() {
        let f = Filter {
            status: Some(Status::Completed),
            created_after: Some(at(2025, 6, 1, 12, 0, 0)),
            created_before: Some(at(2025, 6, 2, 0, 0, 0) + TimeDelta::milliseconds(250)),
            name_contains: Some("it's a name".into()),
            source_account: Some("444455556666".into()),
            source_model_arn: Some(SOURCE_ARN.into()),
            sort: Sort::NewestFirst,
        };
        assert_eq!(
            aws_cli_command(
                &f,
                CliTarget {
                    region: Some("eu-west-1"),
                    profile: Some("ml team"),
                    endpoint_url: Some("http://127.0.0.1:4566/")
                }
            ),
            format!(
                "aws bedrock list-model-copy-jobs --region eu-west-1 --profile 'ml team' --endpoint-url http://127.0.0.1:4566/ --status-equals Completed --creation-time-after 2025-06-01T12:00:00Z --creation-time-before 2025-06-02T00:00:00.250Z --target-model-name-contains 'it'\\''s a name' --source-account-equals 444455556666 --source-model-arn-equals {SOURCE_ARN}"
            )
        );
    }

    #[test]
    fn shell_quoting() {
        let cases = [
            ("plain", "plain"),
            ("a_b@c%d+e=f:g,h.i/j-k", "a_b@c%d+e=f:g,h.i/j-k"),
            ("", "''"),
            ("a b", "'a b'"),
            ("it's", "'it'\\''s'"),
            ("'", "''\\'''"),
            ("$HOME", "'$HOME'"),
            ("a;rm -rf /", "'a;rm -rf /'"),
            ("`x`", "'`x`'"),
            ("back\\slash", "'back\\slash'"),
            ("two\nlines", "'two\nlines'"),
            ("ünï", "'ünï'"),
            ("*", "'*'"),
            ("~", "'~'"),
        ];
        for (raw, want) in cases {
            assert_eq!(shell_quote(raw), want, "{raw:?}");
        }
        assert!(matches!(shell_quote("plain"), Cow::Borrowed(_)));
    }

    fn decode(b64: &str) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("valid base64")
    }

    #[test]
    fn osc52_plain() {
        let text = "arn:aws:bedrock:x ✔ модель\n";
        let plain = osc52(text, false);
        let b64 = plain
            .strip_prefix("\u{1b}]52;c;")
            .and_then(|s| s.strip_suffix('\u{7}'))
            .expect("ESC ] 52 ; c ; … BEL");
        assert_eq!(decode(b64), text.as_bytes());
        assert_eq!(plain.matches('\u{1b}').count(), 1);
        assert_eq!(osc52("", false), "\u{1b}]52;c;\u{7}");
    }

    #[test]
    fn osc52_inside_tmux_is_also_wrapped_for_passthrough() {
        let text = "aws bedrock list-model-copy-jobs --region 'x'";
        let plain = osc52(text, false);
        let tmux = osc52(text, true);
        let wrapped = tmux
            .strip_prefix(plain.as_str())
            .expect("the plain sequence first, for set-clipboard on");
        let inner = wrapped
            .strip_prefix("\u{1b}Ptmux;")
            .and_then(|s| s.strip_suffix("\u{1b}\\"))
            .expect("ESC P tmux; … ESC \\");
        assert_eq!(inner, plain.replace('\u{1b}', "\u{1b}\u{1b}"));
        let b64 = inner
            .strip_prefix("\u{1b}\u{1b}]52;c;")
            .and_then(|s| s.strip_suffix('\u{7}'))
            .expect("the doubled sequence");
        assert_eq!(decode(b64), text.as_bytes());
    }

    #[test]
    fn export_format_follows_the_extension() {
        let cases = [
            ("jobs.json", ExportFormat::Json),
            ("/tmp/dir/Jobs.JSON", ExportFormat::Json),
            ("jobs.Json", ExportFormat::Json),
            ("jobs.csv", ExportFormat::Csv),
            ("jobs", ExportFormat::Csv),
            ("jobs.json.gz", ExportFormat::Csv),
            ("dir.json/jobs.txt", ExportFormat::Csv),
            ("jobs.jsonl", ExportFormat::Csv),
            ("", ExportFormat::Csv),
        ];
        for (p, want) in cases {
            assert_eq!(ExportFormat::from_path(Path::new(p)), want, "{p}");
        }
    }

    #[test]
    fn export_writes_what_list_writes() {
        let jobs = [full(), bare()];
        let refs: Vec<&CopyJob> = jobs.iter().collect();
        let mut json = Vec::new();
        export_to(&mut json, &refs, ExportFormat::Json).unwrap();
        assert_eq!(json, list_bytes(&jobs));
        let mut csv = Vec::new();
        export_to(&mut csv, &refs, ExportFormat::Csv).unwrap();
        let mut want = Vec::new();
        write_csv_header(&mut want).unwrap();
        for j in &jobs {
            write_csv_row(&mut want, j).unwrap();
        }
        assert_eq!(csv, want);
        let mut none = Vec::new();
        export_to(&mut none, &[], ExportFormat::Json).unwrap();
        assert_eq!(none, list_bytes(&[]));
    }

    /// A sink that fails after `left` bytes, as a full disk or closed pipe does.
    struct Failing {
        left: usize,
    }

    impl Write for Failing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"));
            }
            let n = buf.len().min(self.left);
            self.left -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn write_errors_are_returned_not_swallowed() {
        let jobs = [full(), bare()];
        let refs: Vec<&CopyJob> = jobs.iter().collect();
        for left in [0, 1, 10, 500] {
            let mut out = Failing { left };
            assert!(write_json_list(&mut out, &jobs).is_err());
            let mut out = Failing { left };
            assert!(export_to(&mut out, &refs, ExportFormat::Csv).is_err());
            let mut out = Failing { left };
            assert!(write_jsonl(&mut out, &jobs[0]).is_err());
        }
    }

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![".{0,80}", "[a-z0-9-]{0,70}", any::<String>()]
    }

    fn any_job() -> impl Strategy<Value = CopyJob> {
        (
            any_text(),
            prop::option::of(any_text()),
            prop::option::of(any_text()),
            prop::option::of(any_text()),
            prop::collection::vec((any_text(), any_text()), 0..4),
            any_text(),
            -300_000_000_000i64..300_000_000_000,
            0u32..2_000_000_000,
        )
            .prop_map(
                |(status, name, source_name, failure, tags, account, secs, nanos)| CopyJob {
                    status: Status::from_wire(&status),
                    created: DateTime::from_timestamp(secs, nanos).unwrap_or(DateTime::UNIX_EPOCH),
                    target_model_name: name,
                    source_model_name: source_name.map(Into::into),
                    failure_message: failure,
                    tags: tags.into_iter().map(|(k, v)| tag(&k, &v)).collect(),
                    source_account_id: account.as_str().into(),
                    source_model_arn: account.into(),
                    ..full()
                },
            )
    }

    proptest! {
        #[test]
        fn any_job_formats_without_panicking(
            job in any_job(),
            width in 0usize..400,
            offset in -86_399i32..86_400,
            now_secs in -300_000_000_000i64..300_000_000_000,
        ) {
            let tz = FixedOffset::east_opt(offset).unwrap_or_else(utc);
            let now = DateTime::from_timestamp(now_secs, 0).unwrap_or(DateTime::UNIX_EPOCH);
            let row = table_row(&job, width, now, &tz);
            prop_assert!(width_of(&row) <= width, "{}: {:?}", width, row);
            prop_assert!(!row.chars().any(char::is_control), "{:?}", row);
            let details = job_details(&job, now, &tz);
            prop_assert!(!details.chars().any(|c| c.is_control() && c != '\n'));

            let mut json = Vec::new();
            write_json_list(&mut json, std::slice::from_ref(&job)).unwrap();
            let back: Value = serde_json::from_slice(&json).unwrap();
            prop_assert_eq!(&back[LIST_KEY][0], &job_json(&job));

            let mut csv_bytes = Vec::new();
            write_csv_header(&mut csv_bytes).unwrap();
            write_csv_row(&mut csv_bytes, &job).unwrap();
            let mut reader = csv::ReaderBuilder::new().from_reader(csv_bytes.as_slice());
            let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
            prop_assert_eq!(rows.len(), 1);
            // Sanitized as the table is, lines kept: an escape sequence
            // shows as text and runs nowhere.
            let clean = |s: Option<&str>| crate::output::sanitize::clean_lines(s.unwrap_or("")).into_owned();
            prop_assert_eq!(&rows[0][10], clean(job.failure_message.as_deref()));
            prop_assert_eq!(&rows[0][3], clean(job.target_model_name.as_deref()));
            let escapes = rows[0].iter().any(|f| f.contains('\x1b'));
            prop_assert!(!escapes);
        }

        #[test]
        fn shell_quoting_survives_a_posix_reading(s in any::<String>()) {
            // Undo sh's single-quote rules by hand: what comes back is what went in.
            let q = shell_quote(&s);
            let mut out = String::new();
            let mut quoted = false;
            let mut chars = q.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, quoted) {
                    ('\'', _) => quoted = !quoted,
                    ('\\', false) => out.extend(chars.next()),
                    (c, _) => out.push(c),
                }
            }
            prop_assert!(!quoted);
            prop_assert_eq!(out, s);
        }

        #[test]
        fn osc52_round_trips_any_text(s in any::<String>(), tmux in any::<bool>()) {
            let seq = osc52(&s, tmux);
            let b64 = seq
                .strip_prefix("\u{1b}]52;c;")
                .and_then(|r| r.split('\u{7}').next())
                .unwrap_or("");
            prop_assert_eq!(decode(b64), s.as_bytes());
        }
    }
}
