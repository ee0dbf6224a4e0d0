//! JSON lines: one compact object a job, as `watch -o jsonl` and
//! `list -o jsonl` stream them.

use crate::domain::job::CopyJob;
use crate::output::json::job_json;
use std::io::{self, Write};

/// One compact object a line, so `watch` output can be read line by line
/// (`jq -c`, `while read`) while it is still running.
pub fn write_jsonl<W: Write>(out: &mut W, job: &CopyJob) -> io::Result<()> {
    let mut line = serde_json::to_vec(&job_json(job)).map_err(io::Error::other)?;
    line.push(b'\n');
    // One write, so a reader never sees half a line from us.
    out.write_all(&line)
}
