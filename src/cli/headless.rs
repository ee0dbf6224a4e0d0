//! The headless verbs for scripts and pipelines: `list`, `get`, `watch`,
//! `wait` (and `failures`, in its own module). They share the dashboard's
//! filter type, validation and SDK call.

use crate::aws::{self, ErrorKind, FetchError};
use crate::cli::filter_args::FilterArgs;
use crate::cli::{
    ConnectArgs, GetArgs, GetFormat, ListArgs, ListFormat, WaitArgs, WatchArgs, WatchFormat,
};
use crate::domain::column::{CellContext, Column};
use crate::domain::constraints;
use crate::domain::job::{CopyJob, Status};
use crate::domain::query::Filter;
use crate::output::export;
use crate::output::sanitize::clean;
use crate::watch::driver::Driver;
use crate::watch::retry::{RetryPolicy, stderr_note};
use crate::watch::{Engine, Row};
use chrono::{FixedOffset, Offset, Utc};
use std::collections::{HashMap, HashSet};
use std::io::{BufWriter, IsTerminal, Write};
use std::ops::ControlFlow;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Exit codes scripts can rely on.
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_TIMEOUT: u8 = 3;
/// The service refused or could not be reached (after retries).
pub const EXIT_API: u8 = 4;

/// Each request is one SDK attempt: the retries are `RetryPolicy`'s, which
/// give up on a dead endpoint within seconds and wait out throttling.
const ATTEMPTS: u32 = 1;

pub(crate) fn tz() -> FixedOffset {
    chrono::Local::now().offset().fix()
}

pub(crate) fn usage(msg: &str) -> ExitCode {
    eprintln!("copyjobs: {msg}");
    ExitCode::from(EXIT_USAGE)
}

pub(crate) fn api_error(e: &FetchError) -> ExitCode {
    eprintln!("copyjobs: {}", clean(&e.to_string()));
    ExitCode::from(EXIT_API)
}

/// The filter flags, checked exactly as the dashboard's panes check them.
pub(crate) fn filter(args: &FilterArgs) -> Result<Filter, ExitCode> {
    args.resolve(Utc::now(), &tz()).map_err(|e| usage(&e))
}

async fn connect(args: &ConnectArgs) -> Result<aws::Connection, ExitCode> {
    let mut target = args.target();
    target.max_attempts = Some(ATTEMPTS);
    let conn = aws::connect(&target).await;
    if conn.region.is_empty() {
        return Err(usage(
            "no AWS region is configured: pass --region, set AWS_REGION, or give the profile a region",
        ));
    }
    Ok(conn)
}

pub(crate) fn output_width() -> usize {
    if std::io::stdout().is_terminal() {
        crossterm::terminal::size().map_or(120, |(w, _)| usize::from(w))
    } else {
        160
    }
}

/// A closed pipe (`| head`) ends the output quietly, as Unix tools do.
pub(crate) fn io_exit(r: std::io::Result<()>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("copyjobs: cannot write the output: {e}");
            ExitCode::from(EXIT_FAILED)
        }
    }
}

/// The engine and a client per source for a verb's sources and filter.
pub(crate) async fn engine_for(
    connect: &ConnectArgs,
    filter: Filter,
    page_size: usize,
    every: Duration,
) -> Result<(Engine, Driver), ExitCode> {
    let mut target = connect.target();
    target.max_attempts = Some(ATTEMPTS);
    let every = chrono::Duration::from_std(every).unwrap_or(chrono::Duration::seconds(10));
    let mut engine = Engine::new(filter, page_size, every, &connect.sources());
    let mut driver = Driver::connect(&target, &mut engine)
        .await
        .map_err(|e| usage(&e))?;
    driver.retry = Some(RetryPolicy::default());
    Ok((engine, driver))
}

pub(crate) use crate::watch::driver::{Refused, read_pages};

/// Extra leading columns when several sources share one table.
#[derive(Clone, Copy)]
struct SourceCols {
    region: bool,
    profile: bool,
}

impl SourceCols {
    fn of(engine: &Engine) -> SourceCols {
        let count = |f: &dyn Fn(&crate::watch::Source) -> Option<String>| {
            let mut v: Vec<Option<String>> = engine.sources().iter().map(f).collect();
            v.sort();
            v.dedup();
            v.len()
        };
        SourceCols {
            region: count(&|s| s.region.clone()) > 1,
            profile: count(&|s| s.spec.profile.clone()) > 1,
        }
    }

    /// The table's columns: Region and Profile join after the name when
    /// the table mixes several, as in the dashboard, unless listed already.
    fn table_columns(self, wanted: &[Column]) -> Vec<Column> {
        let mut columns = wanted.to_vec();
        let mut at = columns
            .iter()
            .position(|c| *c == Column::Name)
            .map_or(columns.len(), |i| i + 1);
        for (column, on) in [
            (Column::Region, self.region),
            (Column::Profile, self.profile),
        ] {
            if on && !columns.contains(&column) {
                columns.insert(at.min(columns.len()), column);
                at += 1;
            }
        }
        columns
    }

    /// The leading cells: region from the job's ARN, profile from its source.
    fn cells(self, engine: &Engine, row: &Row) -> Vec<String> {
        let mut out = Vec::new();
        if self.region {
            out.push(row.job.region().to_string());
        }
        if self.profile {
            out.push(
                engine
                    .source(row.source)
                    .and_then(|s| s.spec.profile.clone())
                    .unwrap_or_else(|| "default".into()),
            );
        }
        out
    }

    fn header_cells(self) -> Vec<String> {
        let mut out = Vec::new();
        if self.region {
            out.push("region".to_string());
        }
        if self.profile {
            out.push("profile".to_string());
        }
        out
    }
}

pub async fn list(args: ListArgs) -> ExitCode {
    let filter = match filter(&args.filters) {
        Ok(f) => f,
        Err(code) => return code,
    };
    if args.limit == Some(0) {
        return usage("--limit must be at least 1");
    }
    if args.columns.is_some() && args.output != ListFormat::Table {
        return usage(
            "--columns chooses the table's columns: csv, json and jsonl carry every field",
        );
    }
    if args.columns.as_ref().is_some_and(Vec::is_empty) {
        return usage("--columns: name at least one column, like status,name,job_arn");
    }
    let limit = args.limit.unwrap_or(usize::MAX);
    // No page larger than what --limit will print.
    let page_size = usize::from(args.page_size).min(limit);
    let (mut engine, driver) = match engine_for(
        &args.connect,
        filter.clone(),
        page_size,
        Duration::from_secs(10),
    )
    .await
    {
        Ok(x) => x,
        Err(code) => return code,
    };
    // A listing never refreshes: no probe of the head, no in-flight set.
    engine.follow_new = false;
    let cols = SourceCols::of(&engine);
    let width = output_width();
    let out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut printer = Printer {
        sink: match args.output {
            ListFormat::Json => Sink::Json(export::JobListWriter::new(out)),
            _ => Sink::Plain(out),
        },
        format: args.output,
        cols,
        columns: cols.table_columns(args.columns.as_deref().unwrap_or(export::LIST_COLUMNS)),
        width,
        now: Utc::now(),
        tz: tz(),
        header_done: false,
        several: engine.sources().len() > 1,
        printed: HashSet::new(),
        count: 0,
        limit,
    };
    // One source and the whole listing: time windows read in parallel.
    // Several sources already read at once, merged by the engine.
    let parallel = args.concurrency > 1 && !printer.several && limit == usize::MAX;
    let sources = engine.sources().len();
    let (stopped, refused) = if parallel {
        let source = &engine.sources()[0];
        let profile = source.spec.profile.clone();
        let client = driver
            .client(source.id)
            .expect("a client per source")
            .clone();
        let read = crate::watch::windows::read(
            &client,
            &filter,
            page_size,
            usize::from(args.concurrency),
            RetryPolicy::default(),
            |jobs| printer.print(jobs.iter().map(|j| (Vec::new(), profile.clone(), j))),
        )
        .await;
        match read {
            Ok(stopped) => (stopped, Vec::new()),
            Err(error) => (
                None,
                vec![Refused {
                    source: source.id,
                    label: source.label(),
                    error,
                }],
            ),
        }
    } else {
        let listing = read_pages(&mut engine, &driver, |engine| {
            let rows = engine.drain_shown();
            printer.print(rows.iter().map(|r| {
                let profile = engine.source(r.source).and_then(|s| s.spec.profile.clone());
                (cols.cells(engine, r), profile, &r.job)
            }))
        })
        .await;
        (listing.stopped, listing.refused)
    };
    // What was read is written whole (a JSON document closed), then the
    // sources that could not be read are named.
    let printed = printer.header_done;
    let written = stopped.unwrap_or(Ok(())).and_then(|()| match printer.sink {
        Sink::Json(w) if printed || refused.is_empty() => w.finish().and_then(|mut o| o.flush()),
        Sink::Json(mut w) => w.get_mut().flush(),
        Sink::Plain(mut o) => o.flush(),
    });
    match io_exit(written) {
        code if code != ExitCode::SUCCESS => code,
        _ if refused.is_empty() => ExitCode::SUCCESS,
        _ => report_refused(&refused, sources),
    }
}

/// Names each source a listing could not read, and the service's answer,
/// on stderr; the exit code says the output is not the whole listing. With
/// one source that is the error alone, as for any other request.
pub(crate) fn report_refused(refused: &[Refused], sources: usize) -> ExitCode {
    for r in refused {
        if sources == 1 {
            eprintln!("copyjobs: {}", clean(&r.error.to_string()));
        } else {
            eprintln!(
                "copyjobs: {} was not read ({} of {sources} sources listed): {}",
                clean(&r.label),
                sources - refused.len(),
                clean(&r.error.to_string())
            );
        }
    }
    ExitCode::from(EXIT_API)
}

/// `list`'s output: the header with the first answer (so an error is the
/// only output of a command that got none), each job once, flushed per
/// batch so a page is on stdout before the next request.
struct Printer<W: Write> {
    sink: Sink<W>,
    format: ListFormat,
    cols: SourceCols,
    /// The table's columns (`--columns`, Region and Profile added).
    columns: Vec<Column>,
    width: usize,
    now: chrono::DateTime<Utc>,
    tz: FixedOffset,
    header_done: bool,
    /// Two profiles may see the same account: a job is printed once.
    several: bool,
    printed: HashSet<String>,
    count: usize,
    limit: usize,
}

impl<W: Write> Printer<W> {
    fn header(&mut self) -> std::io::Result<()> {
        if std::mem::replace(&mut self.header_done, true) {
            return Ok(());
        }
        match (&mut self.sink, self.format) {
            (Sink::Plain(o), ListFormat::Table) => {
                writeln!(o, "{}", export::table_header_of(&self.columns, self.width))
            }
            (Sink::Plain(o), ListFormat::Csv) => {
                export::write_csv_header_with(o, &self.cols.header_cells())
            }
            _ => Ok(()),
        }
    }

    /// Prints a batch (each job with its Region/Profile cells); breaks at
    /// `--limit` or on a write error.
    fn print<'a>(
        &mut self,
        jobs: impl Iterator<Item = (Vec<String>, Option<String>, &'a CopyJob)>,
    ) -> ControlFlow<std::io::Result<()>> {
        if let Err(e) = self.header() {
            return ControlFlow::Break(Err(e));
        }
        for (cells, profile, job) in jobs {
            if self.several && !self.printed.insert(job.job_arn.clone()) {
                continue;
            }
            let written = match (&mut self.sink, self.format) {
                (Sink::Json(w), _) => w.push(job),
                (Sink::Plain(o), ListFormat::Table) => {
                    let ctx = CellContext {
                        now: self.now,
                        tz: &self.tz,
                        date_format: "%Y-%m-%d %H:%M",
                        profile: profile.as_deref(),
                        since: None,
                    };
                    let row = export::table_row_of(job, &self.columns, self.width, &ctx);
                    writeln!(o, "{row}")
                }
                (Sink::Plain(o), ListFormat::Csv) => export::write_csv_row_with(o, &cells, job),
                (Sink::Plain(o), _) => export::write_jsonl(o, job),
            };
            if let Err(e) = written {
                return ControlFlow::Break(Err(e));
            }
            self.count += 1;
            if self.count >= self.limit {
                return ControlFlow::Break(Ok(()));
            }
        }
        let flushed = match &mut self.sink {
            Sink::Json(w) => w.get_mut().flush(),
            Sink::Plain(o) => o.flush(),
        };
        match flushed {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => ControlFlow::Break(Err(e)),
        }
    }
}

enum Sink<W: Write> {
    Json(export::JobListWriter<W>),
    Plain(W),
}

pub(crate) fn check_job_arn(arn: &str) -> Result<(), ExitCode> {
    if constraints::matches(constraints::JOB_ARN, arn) {
        Ok(())
    } else {
        Err(usage(&format!(
            "'{}' is not a model copy job ARN: expected arn:aws:bedrock:REGION:ACCOUNT:model-copy-job/ID (12 lowercase letters or digits)",
            clean(arn)
        )))
    }
}

pub async fn get(args: GetArgs) -> ExitCode {
    if let Err(code) = check_job_arn(&args.job_arn) {
        return code;
    }
    let conn = match connect(&args.connect).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let got = RetryPolicy::default()
        .run(|| aws::get_job(&conn.client, &args.job_arn), stderr_note)
        .await;
    match got {
        Err(e) => api_error(&e),
        Ok(job) => {
            let mut out = std::io::stdout().lock();
            let r = match args.output {
                GetFormat::Json => serde_json::to_writer_pretty(&mut out, &export::job_json(&job))
                    .map_err(std::io::Error::other)
                    .and_then(|()| writeln!(out)),
                GetFormat::Table => write!(out, "{}", export::job_details(&job, Utc::now(), &tz())),
            };
            io_exit(r)
        }
    }
}

/// One line of `watch`.
fn watch_line(job: &CopyJob, from: Option<&Status>, format: WatchFormat) -> String {
    let now = Utc::now();
    match format {
        WatchFormat::Jsonl => {
            let mut v = serde_json::json!({
                "time": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "event": if from.is_some() { "status" } else { "new" },
                "jobArn": job.job_arn,
                "targetModelName": job.target_model_name,
                "from": from.map(Status::as_str),
                "to": job.status.as_str(),
            });
            if let Some(m) = &job.failure_message {
                v["failureMessage"] = serde_json::json!(m);
            }
            v.to_string()
        }
        WatchFormat::Text => export::watch_text(job, from, now),
    }
}

async fn sleep_or_interrupt(d: Duration) -> bool {
    tokio::select! {
        () = tokio::time::sleep(d) => true,
        _ = tokio::signal::ctrl_c() => false,
    }
}

/// Looks up named jobs, each in the region its ARN names, and tracks them
/// in an engine that reads no listing: `watch JOB_ARN…` and `wait JOB_ARN…`.
async fn track_named(
    connect: &ConnectArgs,
    arns: &[String],
    every: Duration,
) -> Result<(Engine, Driver, Vec<CopyJob>), ExitCode> {
    let mut regions: Vec<String> = arns
        .iter()
        .map(|a| a.split(':').nth(3).unwrap_or("").to_string())
        .collect();
    regions.sort();
    regions.dedup();
    let args = ConnectArgs {
        regions,
        region: None,
        ..connect.clone()
    };
    let (mut engine, driver) = engine_for(&args, Filter::default(), 1000, every).await?;
    engine.view = false;
    // Start first: starting forgets what a source tracks.
    engine.start(Utc::now());
    let mut jobs = Vec::new();
    for arn in arns {
        let region = arn.split(':').nth(3).unwrap_or("");
        let Some(source) = engine
            .sources()
            .iter()
            .find(|s| s.region.as_deref() == Some(region))
            .map(|s| s.id)
        else {
            continue;
        };
        let client = driver.client(source).expect("a client per source");
        let got = RetryPolicy::default()
            .run(|| aws::get_job(client, arn), stderr_note)
            .await;
        match got {
            Ok(j) => {
                engine.track(source, &j);
                jobs.push(j);
            }
            Err(e) => return Err(api_error(&e)),
        }
    }
    Ok((engine, driver, jobs))
}

pub async fn watch(args: WatchArgs) -> ExitCode {
    let filter = match filter(&args.filters) {
        Ok(f) => f,
        Err(code) => return code,
    };
    for arn in &args.job_arns {
        if let Err(code) = check_job_arn(arn) {
            return code;
        }
    }
    let interval = Duration::from_secs_f64(args.interval);
    let (mut engine, driver) = if args.job_arns.is_empty() {
        let (mut engine, driver) = match engine_for(&args.connect, filter, 1000, interval).await {
            Ok(x) => x,
            Err(code) => return code,
        };
        // Read the whole filtered set once; from then on a poll asks only
        // for new jobs and the ones in flight.
        if let Err(e) = read_pages(&mut engine, &driver, |_| ControlFlow::<()>::Continue(()))
            .await
            .into_result()
        {
            return api_error(&e);
        }
        (engine, driver)
    } else {
        match track_named(&args.connect, &args.job_arns, interval).await {
            Ok((e, d, _)) => (e, d),
            Err(code) => return code,
        }
    };
    eprintln!(
        "copyjobs: watching {} jobs ({} in flight); a line per change (Ctrl-C stops)",
        if engine.view {
            engine.rows().len()
        } else {
            args.job_arns.len()
        },
        engine.in_flight()
    );
    let notify = args.notify.notify();
    let inside_tmux = std::env::var_os("TMUX").is_some();
    let mut out = std::io::stdout();
    loop {
        if !sleep_or_interrupt(interval).await {
            return ExitCode::SUCCESS;
        }
        let requests = engine.poll(Utc::now());
        let events = match driver.run(&mut engine, requests, Utc::now, false).await {
            Ok(ev) => ev,
            Err(e) => return api_error(&e),
        };
        for s in engine.sources() {
            if let Some(e) = &s.error {
                // Keep watching: the next poll may well succeed.
                eprintln!(
                    "copyjobs: {}: {} (retrying)",
                    s.label(),
                    clean(&e.error.to_string())
                );
            }
        }
        for ev in events {
            let line = watch_line(&ev.job, ev.from.as_ref(), args.output);
            if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush()) {
                return io_exit(Err(e));
            }
            let bytes = crate::watch::notify::terminal_bytes(&ev, &notify, inside_tmux);
            if !bytes.is_empty() {
                // Bells and OSC go to the terminal, not into a piped stdout.
                let _ = std::io::stderr().write_all(bytes.as_bytes());
            }
            if let Some(argv) = &notify.on_change
                && let Err(e) =
                    crate::watch::notify::run_hook(argv, &ev, crate::watch::notify::HOOK_TIMEOUT)
                        .await
            {
                eprintln!("copyjobs: notification hook: {e}");
            }
        }
    }
}

pub async fn wait(args: WaitArgs) -> ExitCode {
    let filter = match filter(&args.filters) {
        Ok(f) => f,
        Err(code) => return code,
    };
    for arn in &args.job_arns {
        if let Err(code) = check_job_arn(arn) {
            return code;
        }
    }
    let started = Instant::now();
    let interval = Duration::from_secs_f64(args.interval);
    // Every job waited for, by ARN, as last seen.
    let mut jobs: HashMap<String, CopyJob> = HashMap::new();
    let (mut engine, driver) = if args.job_arns.is_empty() {
        let (mut engine, driver) = match engine_for(&args.connect, filter, 1000, interval).await {
            Ok(x) => x,
            Err(code) => return code,
        };
        // Only the jobs matching now: new ones are not waited for.
        engine.follow_new = false;
        if let Err(e) = read_pages(&mut engine, &driver, |_| ControlFlow::<()>::Continue(()))
            .await
            .into_result()
        {
            return api_error(&e);
        }
        for r in engine.rows() {
            jobs.insert(r.job.job_arn.clone(), r.job.clone());
        }
        (engine, driver)
    } else {
        match track_named(&args.connect, &args.job_arns, interval).await {
            Ok((e, d, found)) => {
                for j in found {
                    jobs.insert(j.job_arn.clone(), j);
                }
                (e, d)
            }
            Err(code) => return code,
        }
    };
    while engine.in_flight() > 0 {
        let left = args.timeout.map(|t| t.saturating_sub(started.elapsed()));
        if left == Some(Duration::ZERO) {
            eprintln!(
                "copyjobs: timed out after {:?}: {} of {} jobs still in progress",
                args.timeout.unwrap_or_default(),
                engine.in_flight(),
                jobs.len()
            );
            return ExitCode::from(EXIT_TIMEOUT);
        }
        if !sleep_or_interrupt(left.map_or(interval, |l| l.min(interval))).await {
            return ExitCode::from(130);
        }
        let requests = engine.poll(Utc::now());
        match driver.run(&mut engine, requests, Utc::now, false).await {
            Ok(events) => {
                for ev in events {
                    if jobs.contains_key(&ev.job.job_arn) {
                        jobs.insert(ev.job.job_arn.clone(), ev.job);
                    }
                }
            }
            Err(e) => return api_error(&e),
        }
        for s in engine.sources() {
            match &s.error {
                Some(e) if matches!(e.error.kind, ErrorKind::Network | ErrorKind::Throttled) => {
                    eprintln!("copyjobs: {} (retrying)", clean(&e.error.to_string()));
                }
                Some(e) => return api_error(&e.error),
                None => {}
            }
        }
    }
    let failed: Vec<&CopyJob> = jobs
        .values()
        .filter(|j| j.status == Status::Failed)
        .collect();
    for j in &failed {
        eprintln!(
            "✘ {} ({}): {}",
            clean(j.display_name()),
            j.job_arn,
            clean(j.failure_message.as_deref().unwrap_or("no failure message"))
        );
    }
    eprintln!("copyjobs: {} finished, {} failed", jobs.len(), failed.len());
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    }
}
