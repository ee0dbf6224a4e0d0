//! The headless verbs for scripts and pipelines: `list`, `get`, `watch`,
//! `wait` (and `failures`, in its own module). They share the dashboard's
//! filter type, validation and SDK call.

use crate::aws::{self, FetchError};
use crate::cli::filter_args::FilterArgs;
use crate::cli::{ConnectArgs, GetArgs, GetFormat, ListArgs, ListFormat};
use crate::domain::column::{CellContext, Column};
use crate::domain::job::CopyJob;
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
use std::time::Duration;

/// Exit codes scripts can rely on.
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_TIMEOUT: u8 = 3;
/// The service refused or could not be reached (after retries).
pub const EXIT_API: u8 = 4;
/// `wait`: the filters select no job, so nothing was waited for.
pub const EXIT_NOTHING: u8 = 5;
/// Ctrl-C (128 + SIGINT, as a shell reports it).
pub const EXIT_INTERRUPTED: u8 = 130;

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

/// Says why a command has no source on stderr; exit 2 when the flags
/// chose nothing, else 1.
pub fn no_sources(e: &super::accounts::NoSources) -> ExitCode {
    eprintln!("copyjobs: {}", clean(&e.message));
    ExitCode::from(if e.usage { EXIT_USAGE } else { EXIT_FAILED })
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
    let connector = crate::aws::connector::Connector::for_target(&target);
    let sources = super::accounts::sources(connect, &target, &connector)
        .await
        .map_err(|e| no_sources(&e))?;
    let mut engine = Engine::new(filter, page_size, every, &sources);
    let mut driver = Driver::connect_with(&connector, &target, &mut engine)
        .await
        .map_err(|e| usage(&e))?;
    driver.retry = Some(RetryPolicy::default());
    driver.stderr = true;
    Ok((engine, driver))
}

pub(crate) use crate::watch::driver::{Refused, read_pages};

/// Extra leading columns when several sources share one table.
#[derive(Clone, Copy)]
struct SourceCols {
    region: bool,
    profile: bool,
    account: bool,
    /// Accounts are reached through a role (`--org`, `--accounts`,
    /// `--sso-role`): CSV's `account` cell is then there however many
    /// accounts the organisation gave, so a script's columns do not move
    /// when one is suspended or excluded. The table, for people, keeps it
    /// to several.
    roles: bool,
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
            account: count(&|s| s.spec.account.as_ref().map(|r| r.account.id.clone())) > 1,
            roles: engine.sources().iter().any(|s| s.spec.account.is_some()),
        }
    }

    /// CSV's `account` cell: see [`SourceCols::roles`].
    fn account_cell(self) -> bool {
        self.account || self.roles
    }

    /// The table's columns: Account, Region and Profile join after the
    /// name when the table mixes several, as in the dashboard, unless
    /// listed already.
    fn table_columns(self, wanted: &[Column]) -> Vec<Column> {
        crate::output::layout::with_sources(wanted, self.region, self.profile, self.account)
    }

    /// The leading cells: the account as its source names it, region from
    /// the job's ARN, profile from its source.
    fn cells(self, engine: &Engine, row: &Row) -> Vec<String> {
        let mut out = Vec::new();
        if self.account_cell() {
            // The bare id, for scripts joining on it; the name beside it.
            let reach = engine
                .source(row.source)
                .and_then(|s| s.spec.account.as_ref());
            out.push(reach.map_or_else(|| row.job.account().to_string(), |r| r.account.id.clone()));
            out.push(
                reach
                    .and_then(|r| r.account.name.clone())
                    .unwrap_or_default(),
            );
        }
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
        if self.account_cell() {
            out.push("account".to_string());
            out.push("account_name".to_string());
        }
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
    let (mut engine, mut driver) =
        match engine_for(&args.connect, filter, page_size, Duration::from_secs(10)).await {
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
        clock: Utc::now,
        tz: tz(),
        header_done: false,
        several: engine.sources().len() > 1,
        printed: HashSet::new(),
        count: 0,
        limit,
        accounts: HashMap::new(),
        most: known_widths(&engine),
    };
    printer.accounts = account_cuts(&engine, &printer.columns, width, &printer.most);
    // The whole listing: every source read in time windows, `--concurrency`
    // at once in all, printed as they finish. `--limit`: page after page,
    // only as far as the limit.
    engine.windows = args.concurrency > 1 && limit == usize::MAX;
    driver.set_concurrency(usize::from(args.concurrency));
    let sources = engine.sources().len();
    let one_source = !printer.several;
    let listing = read_pages(&mut engine, &driver, |engine| {
        // `--limit N` is one request when the first page holds N: what
        // it holds is printed, not held back for the next page's ties.
        let enough = printer.limit.saturating_sub(printer.count);
        let rows = if one_source && engine.rows().len() >= enough {
            engine.drain_loaded()
        } else {
            engine.drain_shown()
        };
        printer.print(rows.iter().map(|r| {
            let spec = engine.source(r.source).map(|s| &s.spec);
            let whose = Whose {
                profile: spec.and_then(|s| s.profile.clone()),
                account: spec.and_then(|s| s.account_label()),
            };
            (cols.cells(engine, r), whose, &r.job)
        }))
    })
    .await;
    let (stopped, refused) = (listing.stopped, listing.refused);
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

/// Exit code of a listing of several sources some of which were refused:
/// stdout holds every other source's jobs, not the whole listing.
pub const EXIT_PARTIAL: u8 = 1;

/// Names each source a listing could not read, and the service's answer,
/// one line each on stderr; the exit code says the output is not the whole
/// listing (1; 4 when no source answered, and with one source the error
/// alone, as for any other request).
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
    // Nothing read at all is the service's error, as with one source.
    let partial = sources > 1 && refused.len() < sources;
    ExitCode::from(if partial { EXIT_PARTIAL } else { EXIT_API })
}

/// Each account's label as `list -o table`'s ACCOUNT column shows it:
/// cut knowing every account read, as the dashboard's Account column.
fn account_cuts(
    engine: &Engine,
    columns: &[Column],
    width: usize,
    most: &[(Column, usize)],
) -> HashMap<String, String> {
    let w = export::column_width(columns, width, Column::Account, most);
    crate::output::cut::accounts(&account_labels(engine), w)
}

fn account_labels(engine: &Engine) -> Vec<String> {
    engine
        .sources()
        .iter()
        .filter_map(|s| s.spec.account_label())
        .map(|l| clean(&l).into_owned())
        .collect()
}

/// The widest region and account label of the sources read: REGION was
/// 14 cells (`ap-southeast-2`, the longest of Bedrock's) and ACCOUNT 48
/// whatever was read, padding `us-east-1` with 7 blanks.
fn known_widths(engine: &Engine) -> Vec<(Column, usize)> {
    let width = |t: &str| crate::output::cut::width(t);
    let mut most = Vec::new();
    let regions: Option<Vec<&str>> = engine
        .sources()
        .iter()
        .map(|s| s.spec.region.as_deref())
        .collect();
    if let Some(longest) = regions.and_then(|r| r.into_iter().map(width).max()) {
        most.push((Column::Region, longest));
    }
    let labels = account_labels(engine);
    if labels.len() == engine.sources().len()
        && let Some(longest) = labels.iter().map(|l| width(l)).max()
    {
        most.push((Column::Account, longest));
    }
    most
}

/// Whose a printed job is: its source's profile, and its account as the
/// organisation names it.
struct Whose {
    profile: Option<String>,
    account: Option<String>,
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
    /// What AGE is counted to: the time of the batch being printed, so a
    /// job created during a read of a minute is not aged against its start
    /// ("in 7s"); a clock behind the service's still says "in".
    now: chrono::DateTime<Utc>,
    clock: fn() -> chrono::DateTime<Utc>,
    tz: FixedOffset,
    header_done: bool,
    /// A job is printed once: two profiles may see the same account, and a
    /// service found to break its order is read again whole.
    several: bool,
    printed: HashSet<String>,
    count: usize,
    limit: usize,
    /// Each account read as its ACCOUNT cell shows it: cut, where it is,
    /// so that the accounts read stay apart (`cut::accounts`).
    accounts: HashMap<String, String>,
    /// The widest Region and Account texts the sources can give, known
    /// before any row (`export::table_header_sized`).
    most: Vec<(Column, usize)>,
}

impl<W: Write> Printer<W> {
    fn header(&mut self) -> std::io::Result<()> {
        if std::mem::replace(&mut self.header_done, true) {
            return Ok(());
        }
        match (&mut self.sink, self.format) {
            (Sink::Plain(o), ListFormat::Table) => {
                writeln!(
                    o,
                    "{}",
                    export::table_header_sized(&self.columns, self.width, &self.most)
                )
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
        jobs: impl Iterator<Item = (Vec<String>, Whose, &'a CopyJob)>,
    ) -> ControlFlow<std::io::Result<()>> {
        if let Err(e) = self.header() {
            return ControlFlow::Break(Err(e));
        }
        self.now = self.now.max((self.clock)());
        for (cells, whose, job) in jobs {
            if !self.printed.insert(job.job_arn.clone()) {
                continue;
            }
            let written = match (&mut self.sink, self.format) {
                (Sink::Json(w), _) => w.push(job),
                (Sink::Plain(o), ListFormat::Table) => {
                    let ctx = CellContext {
                        now: self.now,
                        tz: &self.tz,
                        date_format: "%Y-%m-%d %H:%M",
                        profile: whose.profile.as_deref(),
                        account: whose
                            .account
                            .as_ref()
                            .map(|a| self.accounts.get(a).unwrap_or(a).as_str()),
                        since: None,
                        eta: None,
                    };
                    let row =
                        export::table_row_sized(job, &self.columns, self.width, &ctx, &self.most);
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

/// Refuses text that is not a copy job's ARN at all; an ARN of another
/// form than the documented one (a service's own ids) is sent as it is,
/// with a note on stderr the first time.
pub(crate) fn check_job_arn(arn: &str) -> Result<(), ExitCode> {
    use crate::domain::job::{ArnForm, job_arn_form};
    static NOTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    match job_arn_form(arn) {
        ArnForm::Documented => Ok(()),
        ArnForm::Undocumented => {
            if !NOTED.swap(true, std::sync::atomic::Ordering::Relaxed) {
                eprintln!(
                    "copyjobs: note: '{}' is not in the documented form (a job id of 12 lowercase letters or digits): sent as it is",
                    clean(arn)
                );
            }
            Ok(())
        }
        ArnForm::NotAJobArn => Err(usage(&format!(
            "'{}' is not a model copy job ARN: expected arn:aws:bedrock:REGION:ACCOUNT:model-copy-job/ID",
            clean(arn)
        ))),
    }
}

/// The client of the account and region `arn` names: with the discovery
/// flags (`--org`, `--accounts`, `--sso-role`), its account's, through the
/// role; else the profile's own.
async fn connect_to_job(
    connect_args: &ConnectArgs,
    arn: &str,
) -> Result<aws::Connection, ExitCode> {
    if !connect_args.discovery().is_on() {
        return connect(connect_args).await;
    }
    let mut target = connect_args.target();
    target.max_attempts = Some(ATTEMPTS);
    let connector = crate::aws::connector::Connector::for_target(&target);
    let specs = super::accounts::sources(connect_args, &target, &connector)
        .await
        .map_err(|e| no_sources(&e))?;
    match super::accounts::route(&specs, arn) {
        Err(e) => Err(usage(&e)),
        Ok(None) => connect(connect_args).await,
        Ok(Some(i)) => {
            let (target, identity) = specs[i].reach(&target);
            Ok(connector.connect(&target, &identity).await)
        }
    }
}

pub async fn get(args: GetArgs) -> ExitCode {
    if let Err(code) = check_job_arn(&args.job_arn) {
        return code;
    }
    // The job lives in its ARN's region, whatever else is configured.
    let connect_args = ConnectArgs {
        region: Some(crate::domain::job::arn_region(&args.job_arn).to_string()),
        regions: Vec::new(),
        ..args.connect.clone()
    };
    let conn = match connect_to_job(&connect_args, &args.job_arn).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let got = RetryPolicy::default()
        .run(|| aws::get_job(&conn.client, &args.job_arn), stderr_note)
        .await;
    match got {
        Err(e) => api_error(&e.for_profile(args.connect.profile.as_deref())),
        Ok(job) => {
            let mut out = std::io::stdout().lock();
            let r = match args.output {
                // As `aws bedrock get-model-copy-job` prints it.
                GetFormat::Json => {
                    out.write_all(export::cli_json(&export::job_json(&job)).as_bytes())
                }
                GetFormat::Table => write!(out, "{}", export::job_details(&job, Utc::now(), &tz())),
            };
            io_exit(r)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn start() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
    }

    /// A job created 7 s into a read printed 10 s into it is 3 s old, not
    /// "in 7s" (aged against the read's start).
    #[test]
    fn age_counts_to_the_batch_printed_not_the_reads_start() {
        let job = CopyJob {
            created: start() + chrono::Duration::seconds(7),
            ..crate::output::test_jobs::full()
        };
        let columns = vec![Column::Age];
        let mut printer = Printer {
            sink: Sink::Plain(Vec::new()),
            format: ListFormat::Table,
            cols: SourceCols {
                region: false,
                profile: false,
                account: false,
                roles: false,
            },
            columns,
            width: 40,
            now: start(),
            clock: || start() + chrono::Duration::seconds(10),
            tz: FixedOffset::east_opt(0).unwrap(),
            header_done: false,
            several: false,
            printed: HashSet::new(),
            count: 0,
            limit: 10,
            accounts: HashMap::new(),
            most: Vec::new(),
        };
        let whose = Whose {
            profile: None,
            account: None,
        };
        let _ = printer.print(std::iter::once((Vec::new(), whose, &job)));
        let Sink::Plain(out) = printer.sink else {
            unreachable!()
        };
        let out = String::from_utf8(out).unwrap();
        let row = out.lines().nth(1).unwrap().trim();
        assert_eq!(row, "3s", "{out}");
    }
}
