//! Output formats shared by the headless commands and the dashboard's copy
//! and export keys: the API's own JSON, JSON lines, RFC 4180 CSV, a plain
//! table, the equivalent AWS CLI command, and OSC 52 clipboard escapes.

use crate::jobs::CopyJob;
use crate::query::{Filter, Sort, human_duration};
use crate::sanitize::clean;
use base64::Engine;
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::io::{self, Write};

/// RFC 3339 in UTC as the service writes it: fractions only when not zero.
pub fn api_time(t: DateTime<Utc>) -> String {
    if t.timestamp_subsec_nanos() == 0 {
        t.to_rfc3339_opts(SecondsFormat::Secs, true)
    } else {
        t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }
}

/// A job in the API's own JSON shape, keys in the service's order, so jq
/// filters written for `aws bedrock list-model-copy-jobs` work unchanged.
pub fn job_json(job: &CopyJob) -> Value {
    let mut m = Map::new();
    m.insert("jobArn".into(), json!(job.job_arn));
    m.insert("status".into(), json!(job.status.as_str()));
    m.insert("creationTime".into(), json!(api_time(job.created)));
    m.insert("targetModelArn".into(), json!(job.target_model_arn));
    if let Some(n) = &job.target_model_name {
        m.insert("targetModelName".into(), json!(n));
    }
    m.insert("sourceAccountId".into(), json!(job.source_account_id));
    m.insert("sourceModelArn".into(), json!(job.source_model_arn));
    if let Some(k) = &job.kms_key_arn {
        m.insert("targetModelKmsKeyArn".into(), json!(k));
    }
    if !job.tags.is_empty() {
        m.insert("targetModelTags".into(), json!(job.tags));
    }
    if let Some(f) = &job.failure_message {
        m.insert("failureMessage".into(), json!(f));
    }
    if let Some(n) = &job.source_model_name {
        m.insert("sourceModelName".into(), json!(n));
    }
    Value::Object(m)
}

pub fn write_json_array<W: Write>(out: &mut W, jobs: &[CopyJob]) -> io::Result<()> {
    let mut w = JsonArrayWriter::new(out);
    for j in jobs {
        w.push(j)?;
    }
    w.finish().map(|_| ())
}

/// A JSON array written as pages arrive, so `list -o json` streams.
pub struct JsonArrayWriter<W: Write> {
    out: W,
    count: usize,
}

impl<W: Write> JsonArrayWriter<W> {
    pub fn new(out: W) -> Self {
        JsonArrayWriter { out, count: 0 }
    }

    /// The sink, to move what has been written so far elsewhere.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }

    pub fn push(&mut self, job: &CopyJob) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[\n  " } else { b",\n  " })?;
        let text = serde_json::to_string_pretty(&job_json(job)).map_err(io::Error::other)?;
        self.out.write_all(text.replace('\n', "\n  ").as_bytes())?;
        self.count += 1;
        Ok(())
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.out
            .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        Ok(self.out)
    }
}

pub fn write_jsonl<W: Write>(out: &mut W, job: &CopyJob) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &job_json(job)).map_err(io::Error::other)?;
    out.write_all(b"\n")
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

/// RFC 4180: quoted when it holds a comma, quote, CR or LF (or edge spaces,
/// which spreadsheets would trim), quotes doubled.
pub fn csv_field(s: &str) -> Cow<'_, str> {
    let needs = s.contains([',', '"', '\r', '\n']) || s.starts_with(' ') || s.ends_with(' ');
    if needs {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

fn csv_line<W: Write>(out: &mut W, fields: &[&str]) -> io::Result<()> {
    let line: Vec<Cow<str>> = fields.iter().map(|f| csv_field(f)).collect();
    out.write_all(line.join(",").as_bytes())?;
    out.write_all(b"\r\n")
}

pub fn write_csv_header<W: Write>(out: &mut W) -> io::Result<()> {
    csv_line(out, CSV_HEADER)
}

/// Tags as `k=v;k=v`. Keys and values may themselves hold `=` (tag text
/// allows it) but never `;`, so the split on `;` is safe.
pub fn write_csv_row<W: Write>(out: &mut W, job: &CopyJob) -> io::Result<()> {
    let tags: Vec<String> = job
        .tags
        .iter()
        .map(|t| format!("{}={}", t.key, t.value))
        .collect();
    let tags = tags.join(";");
    let created = api_time(job.created);
    csv_line(
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

/// Table columns: header, width, and whether it grows.
const COLUMNS: &[(&str, usize)] = &[
    ("STATUS", 11),
    ("NAME", 0),
    ("CREATED", 16),
    ("AGE", 7),
    ("SOURCE", 30),
    ("SOURCE ACCOUNT", 14),
    ("TAGS", 4),
];
const MIN_NAME: usize = 12;

/// Which columns fit `width`, and the name column's width. Columns give way
/// from the right; status and name always stay.
fn layout(width: usize) -> (usize, usize) {
    let mut n = COLUMNS.len();
    loop {
        let fixed: usize = COLUMNS[..n]
            .iter()
            .filter(|c| c.1 > 0)
            .map(|c| c.1 + 2)
            .sum();
        if fixed + MIN_NAME <= width || n <= 2 {
            return (n, width.saturating_sub(fixed).max(1));
        }
        n -= 1;
    }
}

/// Cut to `w` characters, with an ellipsis when cut. Counts characters: the
/// service's text is ASCII in practice.
fn fit(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        format!("{s:<w$}")
    } else {
        let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn render_row(cells: &[String], width: usize) -> String {
    let (n, name_w) = layout(width);
    let mut parts = Vec::with_capacity(n);
    for (i, (_, w)) in COLUMNS[..n].iter().enumerate() {
        let w = if *w == 0 { name_w } else { *w };
        parts.push(fit(cells.get(i).map_or("", String::as_str), w));
    }
    let line = parts.join("  ");
    let line = line.trim_end().to_string();
    if line.chars().count() > width {
        line.chars().take(width).collect()
    } else {
        line
    }
}

pub fn table_header(width: usize) -> String {
    let cells: Vec<String> = COLUMNS.iter().map(|c| c.0.to_string()).collect();
    render_row(&cells, width)
}

pub fn table_row(job: &CopyJob, width: usize, now: DateTime<Utc>, tz: &FixedOffset) -> String {
    let cells = vec![
        format!("{} {}", job.status.symbol(), job.status.as_str()),
        clean(job.display_name()).into_owned(),
        job.created
            .with_timezone(tz)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        human_duration(now - job.created),
        clean(&job.source_short()).into_owned(),
        clean(&job.source_account_id).into_owned(),
        job.tags.len().to_string(),
    ];
    render_row(&cells, width)
}

/// Every field, one per line, for `copyjobs get`.
pub fn job_details(job: &CopyJob, now: DateTime<Utc>, tz: &FixedOffset) -> String {
    let mut out = String::new();
    let mut line = |k: &str, v: &str| out.push_str(&format!("{k:<18}{}\n", clean(v)));
    line("Job ARN:", &job.job_arn);
    line(
        "Status:",
        &format!("{} {}", job.status.symbol(), job.status.as_str()),
    );
    if let Some(f) = &job.failure_message {
        line("Failure:", f);
    }
    line(
        "Created:",
        &format!(
            "{} ({} ago)",
            job.created
                .with_timezone(tz)
                .format("%Y-%m-%d %H:%M:%S %:z"),
            human_duration(now - job.created)
        ),
    );
    line(
        "Target model:",
        job.target_model_name.as_deref().unwrap_or("—"),
    );
    line("Target ARN:", &job.target_model_arn);
    line(
        "KMS key:",
        job.kms_key_arn.as_deref().unwrap_or("— (AWS owned key)"),
    );
    line(
        "Source model:",
        job.source_model_name.as_deref().unwrap_or("—"),
    );
    line("Source ARN:", &job.source_model_arn);
    line("Source account:", &job.source_account_id);
    if job.tags.is_empty() {
        line("Tags:", "none");
    }
    for (i, t) in job.tags.iter().enumerate() {
        line(
            if i == 0 { "Tags:" } else { "" },
            &format!("{} = {}", t.key, t.value),
        );
    }
    out
}

/// POSIX shell quoting, only where needed.
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

/// The AWS CLI command that asks the service the same question.
pub fn aws_cli_command(
    filter: &Filter,
    region: Option<&str>,
    profile: Option<&str>,
    endpoint_url: Option<&str>,
) -> String {
    let mut args: Vec<(&str, String)> = Vec::new();
    if let Some(p) = profile {
        args.push(("--profile", p.to_string()));
    }
    if let Some(r) = region {
        args.push(("--region", r.to_string()));
    }
    if let Some(u) = endpoint_url {
        args.push(("--endpoint-url", u.to_string()));
    }
    if let Some(s) = &filter.status {
        args.push(("--status-equals", s.as_str().to_string()));
    }
    if let Some(t) = filter.created_after {
        args.push(("--creation-time-after", api_time(t)));
    }
    if let Some(t) = filter.created_before {
        args.push(("--creation-time-before", api_time(t)));
    }
    if let Some(n) = &filter.name_contains {
        args.push(("--target-model-name-contains", n.clone()));
    }
    if let Some(a) = &filter.source_account {
        args.push(("--source-account-equals", a.clone()));
    }
    if let Some(a) = &filter.source_model_arn {
        args.push(("--source-model-arn-equals", a.clone()));
    }
    if filter.sort == Sort::OldestFirst {
        args.push(("--sort-order", "Ascending".to_string()));
    }
    let mut cmd = String::from("aws bedrock list-model-copy-jobs");
    for (flag, value) in &args {
        cmd.push_str(&format!(" {flag} {}", shell_quote(value)));
    }
    cmd
}

/// OSC 52 sets the clipboard through the terminal, over SSH too. Inside
/// tmux it goes twice: plain, which tmux takes itself when `set-clipboard`
/// is on, and wrapped in tmux's DCS passthrough (ESCs doubled), which
/// reaches the outer terminal when `allow-passthrough` is on.
pub fn osc52(text: &str, inside_tmux: bool) -> String {
    let seq = format!(
        "\u{1b}]52;c;{}\u{7}",
        base64::engine::general_purpose::STANDARD.encode(text)
    );
    if inside_tmux {
        format!(
            "{seq}\u{1b}Ptmux;{}\u{1b}\\",
            seq.replace('\u{1b}', "\u{1b}\u{1b}")
        )
    } else {
        seq
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    pub fn from_path(p: &std::path::Path) -> ExportFormat {
        match p.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => ExportFormat::Json,
            _ => ExportFormat::Csv,
        }
    }
}

pub fn export_to<W: Write>(out: &mut W, jobs: &[&CopyJob], format: ExportFormat) -> io::Result<()> {
    match format {
        ExportFormat::Json => {
            let mut w = JsonArrayWriter::new(&mut *out);
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
    use crate::jobs::{Status, Tag};
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
    }

    fn job() -> CopyJob {
        CopyJob {
            job_arn: "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/abcdefghij12".into(),
            status: Status::Failed,
            created: t0() - chrono::Duration::minutes(90),
            target_model_arn:
                "arn:aws:bedrock:us-east-1:111122223333:custom-model/imported/abcdefghij12".into(),
            target_model_name: Some("fraud-copy".into()),
            source_account_id: "444455556666".into(),
            source_model_arn:
                "arn:aws:bedrock:us-west-2:444455556666:custom-model/imported/zyxwvutsrq98".into(),
            source_model_name: None,
            kms_key_arn: None,
            tags: vec![
                Tag {
                    key: "team".into(),
                    value: "fraud, risk".into(),
                },
                Tag {
                    key: "env".into(),
                    value: "prod".into(),
                },
            ],
            failure_message: Some("Access \"denied\"\nretry".into()),
        }
    }

    #[test]
    fn json_uses_the_api_names_in_order_and_omits_what_is_absent() {
        let v = job_json(&job());
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "jobArn",
                "status",
                "creationTime",
                "targetModelArn",
                "targetModelName",
                "sourceAccountId",
                "sourceModelArn",
                "targetModelTags",
                "failureMessage"
            ]
        );
        assert_eq!(v["creationTime"], "2025-06-01T10:30:00Z");
        assert_eq!(
            v["targetModelTags"][0],
            json!({"key": "team", "value": "fraud, risk"})
        );
        let mut j = job();
        j.created += chrono::Duration::milliseconds(123);
        assert_eq!(job_json(&j)["creationTime"], "2025-06-01T10:30:00.123Z");
    }

    #[test]
    fn streamed_arrays_parse_back_to_the_jobs() {
        let jobs = vec![job(), job()];
        let mut buf = Vec::new();
        write_json_array(&mut buf, &jobs).unwrap();
        let back: Vec<Value> = serde_json::from_slice(&buf).unwrap();
        assert_eq!(back, vec![job_json(&jobs[0]), job_json(&jobs[1])]);
        let mut empty = Vec::new();
        write_json_array(&mut empty, &[]).unwrap();
        assert_eq!(String::from_utf8(empty).unwrap(), "[]\n");
        let mut lines = Vec::new();
        write_jsonl(&mut lines, &jobs[0]).unwrap();
        write_jsonl(&mut lines, &jobs[1]).unwrap();
        let text = String::from_utf8(lines).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert_eq!(
            serde_json::from_str::<Value>(text.lines().next().unwrap()).unwrap(),
            back[0]
        );
    }

    #[test]
    fn csv_quotes_only_what_needs_it() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("cr\r"), "\"cr\r\"");
        assert_eq!(csv_field(" edge"), "\" edge\"");
        let mut buf = Vec::new();
        write_csv_header(&mut buf).unwrap();
        write_csv_row(&mut buf, &job()).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(text.starts_with("jobArn,status,creationTime,"));
        assert!(text.contains(",Failed,2025-06-01T10:30:00Z,fraud-copy,"));
        assert!(
            text.contains(",\"team=fraud, risk;env=prod\",\"Access \"\"denied\"\"\nretry\"\r\n")
        );
    }

    #[test]
    fn tables_never_exceed_the_width() {
        let mut j = job();
        j.target_model_name = Some("ä-very-long-name-".repeat(10));
        for w in 10..200 {
            for line in [
                table_header(w),
                table_row(&j, w, t0(), &FixedOffset::east_opt(0).unwrap()),
            ] {
                assert!(line.chars().count() <= w, "{w}: {line}");
            }
        }
        let wide = table_row(&job(), 160, t0(), &FixedOffset::east_opt(3600).unwrap());
        assert!(
            wide.contains("✘ Failed")
                && wide.contains("2025-06-01 11:30")
                && wide.contains("1h 30m"),
            "{wide}"
        );
    }

    #[test]
    fn details_show_every_field() {
        let d = job_details(&job(), t0(), &FixedOffset::east_opt(0).unwrap());
        for want in [
            "Job ARN:",
            "abcdefghij12",
            "Failure:",
            "Access \"denied\" retry",
            "team = fraud, risk",
            "env = prod",
            "444455556666",
        ] {
            assert!(d.contains(want), "{want}: {d}");
        }
    }

    #[test]
    fn cli_commands_quote_for_the_shell() {
        assert_eq!(
            aws_cli_command(&Filter::default(), None, None, None),
            "aws bedrock list-model-copy-jobs"
        );
        let f = Filter {
            status: Some(Status::Failed),
            created_after: Some(t0()),
            name_contains: Some("it's a name".into()),
            sort: Sort::OldestFirst,
            ..Filter::default()
        };
        assert_eq!(
            aws_cli_command(
                &f,
                Some("us-east-1"),
                Some("ml"),
                Some("http://127.0.0.1:4566")
            ),
            "aws bedrock list-model-copy-jobs --profile ml --region us-east-1 --endpoint-url http://127.0.0.1:4566 --status-equals Failed --creation-time-after 2025-06-01T12:00:00Z --target-model-name-contains 'it'\\''s a name' --sort-order Ascending"
        );
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("arn:aws:bedrock:x/y"), "arn:aws:bedrock:x/y");
    }

    #[test]
    fn osc52_carries_the_text_in_base64() {
        let plain = osc52("arn:x", false);
        assert!(plain.starts_with("\u{1b}]52;c;") && plain.ends_with('\u{7}'));
        let b64 = plain
            .trim_start_matches("\u{1b}]52;c;")
            .trim_end_matches('\u{7}');
        assert_eq!(
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap(),
            b"arn:x"
        );
        let tmux = osc52("arn:x", true);
        let wrapped = tmux
            .strip_prefix(plain.as_str())
            .expect("the plain sequence first");
        assert!(
            wrapped.starts_with("\u{1b}Ptmux;\u{1b}\u{1b}]52;c;")
                && wrapped.ends_with("\u{7}\u{1b}\\")
        );
    }

    #[test]
    fn export_format_follows_the_extension() {
        assert_eq!(
            ExportFormat::from_path(std::path::Path::new("a.JSON")),
            ExportFormat::Json
        );
        assert_eq!(
            ExportFormat::from_path(std::path::Path::new("a.csv")),
            ExportFormat::Csv
        );
        assert_eq!(
            ExportFormat::from_path(std::path::Path::new("noext")),
            ExportFormat::Csv
        );
    }
}
