//! `copyjobs failures`: every Failed job of the filter window, read through
//! the same engine as `list`, grouped by cause (see
//! [`crate::domain::failures`]).

use crate::cli::filter_args::FilterArgs;
use crate::cli::headless::{engine_for, filter, io_exit, output_width, report_refused, tz, usage};
use crate::cli::{FailuresArgs, FailuresFormat};
use crate::domain::failures;
use crate::domain::job::Status;
use crate::domain::query::Filter;
use crate::output::failures::{json, table, thousands};
use crate::output::sanitize::clean;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

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

/// "read 1,234 failed jobs…" on stderr while pages come in, rewritten in
/// place; only for a person at a terminal, never into a log or a pipe.
struct Progress {
    on: bool,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            on: std::io::stderr().is_terminal(),
        }
    }

    fn show(&self, count: usize) {
        if self.on {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2Kread {} failed jobs…", thousands(count));
            let _ = err.flush();
        }
    }

    fn clear(&self) {
        if self.on {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
    }
}

pub async fn failures(args: FailuresArgs) -> ExitCode {
    let filter = match failed_only(&args.filters) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let page_size = usize::from(args.page_size);
    let (mut engine, driver) =
        match engine_for(&args.connect, filter, page_size, Duration::from_secs(10)).await {
            Ok(x) => x,
            Err(code) => return code,
        };
    let progress = Progress::new();
    let read = crate::watch::driver::read_all(&mut engine, &driver, |n| progress.show(n)).await;
    progress.clear();
    let sources = engine.sources().len();
    if read.refused.len() == sources {
        return report_refused(&read.refused, sources);
    }
    // The groups of the sources that answered; the others are named after.
    let groups = failures::group(&read.jobs);
    let text = match args.output {
        FailuresFormat::Table => table(&groups, output_width(), &tz()),
        FailuresFormat::Json => match serde_json::to_string_pretty(&json(&groups)) {
            Ok(s) => s + "\n",
            Err(e) => return io_exit(Err(std::io::Error::other(e))),
        },
    };
    let mut out = std::io::stdout().lock();
    match io_exit(out.write_all(text.as_bytes()).and_then(|()| out.flush())) {
        code if code != ExitCode::SUCCESS || read.refused.is_empty() => code,
        _ => report_refused(&read.refused, sources),
    }
}
