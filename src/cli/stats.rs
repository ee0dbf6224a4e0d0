//! `copyjobs stats`: the activity of the filter window in numbers (see
//! [`crate::domain::stats`]), days in the config's time zone.

use crate::cli::headless::{output_width, usage};
use crate::cli::reading::{pretty, read_window};
use crate::cli::{StatsArgs, StatsFormat};
use crate::config::TimeZone;
use crate::domain::stats::{Stats, Window};
use crate::output::stats::{json, table};
use chrono::{Offset, Utc};
use std::process::ExitCode;

/// `stats`; `zone` is the config's `time_zone`: the days are its, and so
/// are the dates typed in the filters.
pub async fn stats(args: StatsArgs, zone: TimeZone) -> ExitCode {
    let now = Utc::now();
    let filter = match args.filters.resolve(now, &zone.offset()) {
        Ok(f) => f,
        Err(e) => return usage(&e),
    };
    // The window's days run from --since (else the first copy) to --until
    // (else today).
    let window = Window {
        from: filter.created_after,
        to: Some(filter.created_before.unwrap_or(now)),
    };
    let read = match read_window(&args.connect, filter, args.page_size, "jobs").await {
        Ok(r) => r,
        Err(code) => return code,
    };
    // Local time keeps its daylight saving from day to day; a fixed zone
    // is what it says.
    // The zone in words for a person, and as `local` or an offset for a
    // program.
    let (stats, said, key) = match zone {
        TimeZone::Local => (
            Stats::build(&read.jobs, &chrono::Local, window),
            format!("local time, {}", chrono::Local::now().offset().fix()),
            "local".to_string(),
        ),
        TimeZone::Fixed(offset) => (
            Stats::build(&read.jobs, &offset, window),
            offset.to_string(),
            offset.to_string(),
        ),
    };
    let text = match args.output {
        StatsFormat::Table => table(&stats, &said, output_width()),
        StatsFormat::Json => match pretty(&json(&stats, &key)) {
            Ok(s) => s,
            Err(code) => return code,
        },
    };
    read.print(&text)
}
