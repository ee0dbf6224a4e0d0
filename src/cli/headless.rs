//! The headless verbs for scripts and pipelines: `list`, `get`, `watch`,
//! `wait`. They share the dashboard's filter type, validation and SDK call.

use crate::aws::{self, Connection, ErrorKind, FetchError};
use crate::cli::filter_args::FilterArgs;
use crate::cli::{
    ConnectArgs, GetArgs, GetFormat, ListArgs, ListFormat, WaitArgs, WatchArgs, WatchFormat,
};
use crate::domain::constraints;
use crate::domain::job::{CopyJob, Status};
use crate::domain::query::Filter;
use crate::output::export;
use crate::output::sanitize::clean;
use chrono::{FixedOffset, Offset, Utc};
use futures::StreamExt;
use std::collections::HashMap;
use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Exit codes scripts can rely on.
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_TIMEOUT: u8 = 3;
/// The service refused or could not be reached (after retries).
pub const EXIT_API: u8 = 4;

/// Scripts would rather wait out throttling than fail: more attempts, with
/// the SDK's exponential backoff, than its default of three.
const ATTEMPTS: u32 = 10;

fn tz() -> FixedOffset {
    chrono::Local::now().offset().fix()
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("copyjobs: {msg}");
    ExitCode::from(EXIT_USAGE)
}

fn api_error(e: &FetchError) -> ExitCode {
    eprintln!("copyjobs: {}", clean(&e.to_string()));
    ExitCode::from(EXIT_API)
}

/// The filter flags, checked exactly as the dashboard's panes check them.
fn filter(args: &FilterArgs) -> Result<Filter, ExitCode> {
    args.resolve(Utc::now(), &tz()).map_err(|e| usage(&e))
}

async fn connect(args: &ConnectArgs) -> Result<Connection, ExitCode> {
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

/// Every job of a query, page after page, handed to `each` as they arrive.
/// `each` returns false to stop early.
async fn for_each_job(
    conn: &Connection,
    filter: &Filter,
    page_size: usize,
    mut each: impl FnMut(CopyJob) -> std::io::Result<bool>,
    mut after_page: impl FnMut() -> std::io::Result<()>,
) -> Result<std::io::Result<()>, FetchError> {
    let mut token = None;
    loop {
        let page = aws::list_page(&conn.client, filter, page_size, token).await?;
        for job in page.jobs {
            match each(job) {
                Ok(true) => {}
                Ok(false) => return Ok(after_page()),
                Err(e) => return Ok(Err(e)),
            }
        }
        if let Err(e) = after_page() {
            return Ok(Err(e));
        }
        match page.next_token {
            Some(t) => token = Some(t),
            None => return Ok(Ok(())),
        }
    }
}

fn output_width() -> usize {
    if std::io::stdout().is_terminal() {
        crossterm::terminal::size().map_or(120, |(w, _)| usize::from(w))
    } else {
        160
    }
}

/// A closed pipe (`| head`) ends the output quietly, as Unix tools do.
fn io_exit(r: std::io::Result<()>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("copyjobs: cannot write the output: {e}");
            ExitCode::from(EXIT_FAILED)
        }
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
    let conn = match connect(&args.connect).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let limit = args.limit.unwrap_or(usize::MAX);
    // No page larger than what --limit will print.
    let page_size = usize::from(args.page_size).min(limit);
    let (now, tz, width) = (Utc::now(), tz(), output_width());
    let out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    // One sink whichever the format, shared by the per-job and per-page steps.
    let sink = std::cell::RefCell::new(match args.output {
        ListFormat::Json => Sink::Json(export::JsonArrayWriter::new(out)),
        _ => Sink::Plain(out),
    });
    // The header goes out with the first answer, so an error is the only
    // output of a command that got none.
    let header_done = std::cell::Cell::new(false);
    let header = |sink: &mut Sink<BufWriter<std::io::StdoutLock<'static>>>| -> std::io::Result<()> {
        if header_done.replace(true) {
            return Ok(());
        }
        match (sink, args.output) {
            (Sink::Plain(o), ListFormat::Table) => writeln!(o, "{}", export::table_header(width)),
            (Sink::Plain(o), ListFormat::Csv) => export::write_csv_header(o),
            _ => Ok(()),
        }
    };
    let mut count = 0usize;
    let result = for_each_job(
        &conn,
        &filter,
        page_size,
        |job| {
            header(&mut sink.borrow_mut())?;
            match (&mut *sink.borrow_mut(), args.output) {
                (Sink::Json(w), _) => w.push(&job)?,
                (Sink::Plain(o), ListFormat::Table) => {
                    writeln!(o, "{}", export::table_row(&job, width, now, &tz))?
                }
                (Sink::Plain(o), ListFormat::Csv) => export::write_csv_row(o, &job)?,
                (Sink::Plain(o), _) => export::write_jsonl(o, &job)?,
            }
            count += 1;
            Ok(count < limit)
        },
        // Stream: what a page produced is on stdout before the next request.
        || match &mut *sink.borrow_mut() {
            Sink::Json(w) => w.get_mut().flush(),
            Sink::Plain(o) => o.flush(),
        },
    )
    .await;
    match result {
        Err(e) => api_error(&e),
        Ok(Err(e)) => io_exit(Err(e)),
        Ok(Ok(())) => {
            let mut sink = sink.into_inner();
            io_exit(header(&mut sink).and_then(|()| match sink {
                Sink::Json(w) => w.finish().and_then(|mut o| o.flush()),
                Sink::Plain(mut o) => o.flush(),
            }))
        }
    }
}

enum Sink<W: Write> {
    Json(export::JsonArrayWriter<W>),
    Plain(W),
}

fn check_job_arn(arn: &str) -> Result<(), ExitCode> {
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
    match aws::get_job(&conn.client, &args.job_arn).await {
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

/// Every job of the query, keyed by ARN.
async fn snapshot(conn: &Connection, filter: &Filter) -> Result<Vec<CopyJob>, FetchError> {
    let mut all = Vec::new();
    for_each_job(
        conn,
        filter,
        1000,
        |j| {
            all.push(j);
            Ok(true)
        },
        || Ok(()),
    )
    .await?
    .map_err(|e| FetchError::new(ErrorKind::Other, e.to_string(), None))?;
    Ok(all)
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
        WatchFormat::Text => {
            let change = match from {
                Some(f) => format!("{} -> {}", f.as_str(), job.status.as_str()),
                None => format!("new -> {}", job.status.as_str()),
            };
            let failure = job
                .failure_message
                .as_deref()
                .map(|m| format!("  {m}"))
                .unwrap_or_default();
            clean(&format!(
                "{}  {:<40}  {:<24}  {}{failure}",
                now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                job.display_name(),
                change,
                job.job_arn
            ))
            .into_owned()
        }
    }
}

async fn sleep_or_interrupt(d: Duration) -> bool {
    tokio::select! {
        () = tokio::time::sleep(d) => true,
        _ = tokio::signal::ctrl_c() => false,
    }
}

pub async fn watch(args: WatchArgs) -> ExitCode {
    let filter = match filter(&args.filters) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let conn = match connect(&args.connect).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut known: HashMap<String, Status> = match snapshot(&conn, &filter).await {
        Ok(jobs) => jobs.into_iter().map(|j| (j.job_arn, j.status)).collect(),
        Err(e) => return api_error(&e),
    };
    eprintln!(
        "copyjobs: watching {} jobs; a line per change (Ctrl-C stops)",
        known.len()
    );
    let interval = Duration::from_secs_f64(args.interval);
    let mut out = std::io::stdout();
    loop {
        if !sleep_or_interrupt(interval).await {
            return ExitCode::SUCCESS;
        }
        let jobs = match snapshot(&conn, &filter).await {
            Ok(j) => j,
            Err(e) => {
                // Keep watching: the next poll may well succeed.
                eprintln!(
                    "copyjobs: {} (retrying in {:?})",
                    clean(&e.to_string()),
                    interval
                );
                continue;
            }
        };
        let mut lines = Vec::new();
        for job in jobs.iter().rev() {
            match known.get(&job.job_arn) {
                Some(old) if *old != job.status => {
                    lines.push(watch_line(job, Some(old), args.output))
                }
                Some(_) => {}
                None => lines.push(watch_line(job, None, args.output)),
            }
        }
        for job in jobs {
            known.insert(job.job_arn, job.status);
        }
        for l in lines {
            if let Err(e) = writeln!(out, "{l}").and_then(|()| out.flush()) {
                return io_exit(Err(e));
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
    let conn = match connect(&args.connect).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let started = Instant::now();
    let mut jobs: HashMap<String, CopyJob> = HashMap::new();
    if args.job_arns.is_empty() {
        match snapshot(&conn, &filter).await {
            Ok(all) => jobs.extend(all.into_iter().map(|j| (j.job_arn.clone(), j))),
            Err(e) => return api_error(&e),
        }
    } else {
        for arn in &args.job_arns {
            match aws::get_job(&conn.client, arn).await {
                Ok(j) => {
                    jobs.insert(arn.clone(), j);
                }
                Err(e) => return api_error(&e),
            }
        }
    }
    let interval = Duration::from_secs_f64(args.interval);
    loop {
        let pending: Vec<String> = jobs
            .values()
            .filter(|j| !j.status.is_final())
            .map(|j| j.job_arn.clone())
            .collect();
        if pending.is_empty() {
            break;
        }
        let left = args.timeout.map(|t| t.saturating_sub(started.elapsed()));
        if left == Some(Duration::ZERO) {
            eprintln!(
                "copyjobs: timed out after {:?}: {} of {} jobs still in progress",
                args.timeout.unwrap_or_default(),
                pending.len(),
                jobs.len()
            );
            return ExitCode::from(EXIT_TIMEOUT);
        }
        if !sleep_or_interrupt(left.map_or(interval, |l| l.min(interval))).await {
            return ExitCode::from(130);
        }
        // A few at a time: enough to be quick, not enough to be throttled.
        let results: Vec<_> = futures::stream::iter(pending)
            .map(|arn| {
                let client = conn.client.clone();
                async move { aws::get_job(&client, &arn).await }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        for r in results {
            match r {
                Ok(j) => {
                    jobs.insert(j.job_arn.clone(), j);
                }
                Err(e) if e.kind == ErrorKind::Network || e.kind == ErrorKind::Throttled => {
                    eprintln!("copyjobs: {} (retrying)", clean(&e.to_string()));
                }
                Err(e) => return api_error(&e),
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
