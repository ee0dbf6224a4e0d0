//! `copyjobs failures`: every Failed job of the filter window, read through
//! the same engine as `list`, grouped by cause (see
//! [`crate::domain::failures`]).

use crate::cli::filter_args::FilterArgs;
use crate::cli::headless::{filter, output_width, tz, usage};
use crate::cli::reading::{pretty, read_window};
use crate::cli::{FailuresArgs, FailuresFormat};
use crate::domain::failures;
use crate::domain::job::Status;
use crate::domain::query::Filter;
use crate::output::failures::{json, table};
use crate::output::sanitize::clean;
use std::process::ExitCode;

/// The user's filter with the status set to Failed. A status flag asking for
/// anything else is refused rather than overridden: the user would otherwise
/// read groups of failures as if they were about the jobs they asked for.
fn failed_only(args: &FilterArgs) -> Result<Filter, ExitCode> {
    let mut f = filter(args)?;
    let asked = args
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(text) = asked
        && f.status != Some(Status::Failed)
    {
        return Err(usage(&format!(
            "--status: failures reads failed jobs only; leave --status out (or pass --status failed), not '{}'",
            clean(text)
        )));
    }
    f.status = Some(Status::Failed);
    Ok(f)
}

pub async fn failures(args: FailuresArgs) -> ExitCode {
    let filter = match failed_only(&args.filters) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let read = match read_window(&args.connect, filter, args.page_size, "failed jobs").await {
        Ok(r) => r,
        Err(code) => return code,
    };
    // The groups of the sources that answered; the others are named after.
    let groups = failures::group(&read.jobs);
    let text = match args.output {
        FailuresFormat::Table => table(&groups, output_width(), &tz(), &read.accounts),
        FailuresFormat::Json => match pretty(&json(&groups)) {
            Ok(s) => s,
            Err(code) => return code,
        },
    };
    read.print(&text)
}
