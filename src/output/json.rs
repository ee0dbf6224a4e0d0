//! The service's own JSON for a job, and the AWS CLI's listing of jobs
//! byte for byte (its indentation, its key), whole or streamed page by
//! page: data for other programs, so the service's text goes out exactly.

use crate::domain::job::CopyJob;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};
use std::io::{self, Write};

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

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
