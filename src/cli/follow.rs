//! The verbs that follow jobs as they change: `watch` prints each change,
//! `wait` ends when what it waits for has ended. Both run the dashboard's
//! engine; a source that refuses is said on stderr and the others go on.

use crate::aws::{self, ErrorKind, FetchError};
use crate::cli::headless::{
    EXIT_API, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_NOTHING, EXIT_TIMEOUT, api_error, check_job_arn,
    engine_for, filter, io_exit,
};
use crate::cli::interrupt::Interrupt;
use crate::cli::reading::regions_of;
use crate::cli::{ConnectArgs, WaitArgs, WatchArgs};
use crate::domain::job::{CopyJob, Status, arn_region};
use crate::domain::query::Filter;
use crate::history::{Groups, History, Query};
use crate::output::progress;
use crate::output::sanitize::clean;
use crate::watch::driver::Driver;
use crate::watch::retry::{RetryPolicy, stderr_note};
use crate::watch::{Engine, Event, SourceId};
use chrono::Utc;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Sources that refused, by label, with the service's words: each said once
/// on stderr, and the reason the verb ends with exit code 4.
#[derive(Default)]
struct Refusals(BTreeMap<String, String>);

impl Refusals {
    fn note(&mut self, label: &str, error: &FetchError) {
        let message = clean(&error.to_string()).into_owned();
        if self.0.get(label) != Some(&message) {
            progress::note(&format!("copyjobs: {label} refused: {message}"));
            self.0.insert(label.to_string(), message);
        }
    }

    fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

/// An error that waiting will not cure: the source is given up on.
fn for_good(e: &FetchError) -> bool {
    !matches!(e.kind, ErrorKind::Network | ErrorKind::Throttled)
}

/// Reads the view's listing to its end, every source that answers: a source
/// that refuses is reported and dropped, and the others are read whole.
async fn read_view(engine: &mut Engine, driver: &Driver, refusals: &mut Refusals) {
    let mut requests = engine.start(Utc::now());
    loop {
        // Errors stay in the engine, per source.
        let _ = driver.run(engine, requests, Utc::now, false).await;
        let failed: Vec<(SourceId, String, FetchError)> = engine
            .sources()
            .iter()
            .filter_map(|s| s.error.as_ref().map(|e| (s.id, s.label(), e.error.clone())))
            .collect();
        for (id, label, error) in failed {
            refusals.note(&label, &error);
            engine.remove_source(id);
        }
        if engine.complete() {
            return;
        }
        requests = engine.more(Utc::now());
        if requests.is_empty() {
            return;
        }
    }
}

/// Looks up named jobs, each in the region its ARN names, and tracks them
/// in an engine that reads no listing: `watch JOB_ARN…` and `wait JOB_ARN…`.
/// A job that cannot be read is reported and left out.
async fn track_named(
    connect: &ConnectArgs,
    arns: &[String],
    every: Duration,
    refusals: &mut Refusals,
) -> Result<(Engine, Driver, Vec<(SourceId, CopyJob)>), ExitCode> {
    let mut regions: Vec<String> = arns.iter().map(|a| arn_region(a).to_string()).collect();
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
    // Each job from its own account's source (the ARN names it), checked
    // for all before any is asked.
    let specs: Vec<(SourceId, crate::watch::SourceSpec)> = engine
        .sources()
        .iter()
        .map(|s| {
            let spec = crate::watch::SourceSpec {
                region: s.region.clone(),
                ..s.spec.clone()
            };
            (s.id, spec)
        })
        .collect();
    let only: Vec<_> = specs.iter().map(|(_, s)| s.clone()).collect();
    let mut routed = Vec::new();
    for arn in arns {
        let source = match crate::cli::accounts::route(&only, arn) {
            Err(e) => return Err(crate::cli::headless::usage(&e)),
            Ok(Some(i)) => Some(specs[i].0),
            Ok(None) => engine
                .sources()
                .iter()
                .find(|s| s.region.as_deref() == Some(arn_region(arn)))
                .map(|s| s.id),
        };
        routed.push((arn, source));
    }
    let mut jobs = Vec::new();
    for (arn, source) in routed {
        let Some(source) = source else {
            continue;
        };
        let client = driver.client(source).expect("a client per source");
        match RetryPolicy::default()
            .run(|| aws::get_job(client, arn), stderr_note)
            .await
        {
            Ok(j) => {
                engine.track(source, &j);
                jobs.push((source, j));
            }
            Err(e) => refusals.note(arn, &e.for_profile(connect.profile.as_deref())),
        }
    }
    Ok((engine, driver, jobs))
}

/// "reading us-east-1, eu-central-1…" on a terminal until the first answer:
/// against a slow endpoint the first one may take seconds.
fn say_reading(regions: impl IntoIterator<Item = String>) {
    let mut regions: Vec<String> = regions.into_iter().collect();
    // In their order, each once (several ARNs of one region).
    let mut seen = std::collections::HashSet::new();
    regions.retain(|r| seen.insert(r.clone()));
    if !regions.is_empty() {
        progress::show(&format!("copyjobs: reading {}…", regions.join(", ")));
    }
}

/// Starts following, Ctrl-C heard throughout: the view's listing read whole
/// (no `job_arns`; `tune` sets the engine up first) or the named jobs looked
/// up, "reading …" said until then. Gives what was found, by source; `Err`
/// is the exit code (130 on Ctrl-C, the history flushed).
async fn begin(
    connect: &ConnectArgs,
    filter: Filter,
    job_arns: &[String],
    interval: Duration,
    (ctrl_c, refusals): (&mut Interrupt, &mut Refusals),
    history: Option<&History>,
    tune: impl FnOnce(&mut Engine),
) -> Result<(Engine, Driver, Vec<(SourceId, CopyJob)>), ExitCode> {
    if !job_arns.is_empty() {
        say_reading(job_arns.iter().map(|a| arn_region(a).to_string()));
        let tracked = ctrl_c
            .or(track_named(connect, job_arns, interval, refusals))
            .await
            .ok_or_else(|| interrupted(history))?;
        let (mut engine, mut driver, found) = tracked?;
        keep(history, &mut engine, &mut driver);
        return Ok((engine, driver, found));
    }
    let (mut engine, mut driver) = ctrl_c
        .or(engine_for(connect, filter, 1000, interval))
        .await
        .ok_or_else(|| interrupted(history))??;
    tune(&mut engine);
    keep(history, &mut engine, &mut driver);
    // Read the whole filtered set once; from then on a poll asks only for
    // new jobs and the ones in flight.
    say_reading(regions_of(&engine));
    ctrl_c
        .or(read_view(&mut engine, &driver, refusals))
        .await
        .ok_or_else(|| interrupted(history))?;
    let found = engine
        .rows()
        .iter()
        .map(|r| (r.source, r.job.clone()))
        .collect();
    Ok((engine, driver, found))
}

/// Ctrl-C: the last progress line stays on screen (ended with a line feed),
/// and what was seen is written to the history before the exit.
fn interrupted(history: Option<&History>) -> ExitCode {
    progress::keep();
    if let Some(h) = history {
        h.flush();
    }
    ExitCode::from(EXIT_INTERRUPTED)
}

/// One poll of every source; each source still failing is said (transient
/// failures as retried, refusals once), and a source refused for good is
/// dropped when `drop_refused`.
async fn poll(
    engine: &mut Engine,
    driver: &Driver,
    refusals: &mut Refusals,
    drop_refused: bool,
) -> Result<Vec<Event>, FetchError> {
    let requests = engine.poll(Utc::now());
    let events = driver.run(engine, requests, Utc::now, false).await?;
    let failing: Vec<(SourceId, String, FetchError)> = engine
        .sources()
        .iter()
        .filter_map(|s| s.error.as_ref().map(|e| (s.id, s.label(), e.error.clone())))
        .collect();
    for (id, label, error) in failing {
        if !for_good(&error) {
            progress::note(&format!(
                "copyjobs: {label}: {} (retrying)",
                clean(&error.to_string())
            ));
        } else {
            refusals.note(&label, &error);
            if drop_refused {
                engine.remove_source(id);
            }
        }
    }
    Ok(events)
}

/// Waits `pause`, then polls (see [`poll`]); `None` when Ctrl-C comes
/// first, during either.
async fn next_poll(
    ctrl_c: &mut Interrupt,
    pause: Duration,
    (engine, driver, refusals): (&mut Engine, &Driver, &mut Refusals),
    drop_refused: bool,
) -> Option<Result<Vec<Event>, FetchError>> {
    ctrl_c.or(tokio::time::sleep(pause)).await?;
    ctrl_c
        .or(poll(engine, driver, refusals, drop_refused))
        .await
}

/// The accounts an engine's sources reach through a role, each once.
fn accounts_of(engine: &Engine) -> Vec<&str> {
    let mut ids: Vec<&str> = engine
        .sources()
        .iter()
        .filter_map(|s| s.spec.account.as_ref().map(|r| r.account.id.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// One line of `watch`; `account`, the job's account when several are
/// read (the organisation's label of it: `name · id`).
fn watch_line(
    job: &CopyJob,
    from: Option<&Status>,
    format: crate::cli::WatchFormat,
    account: Option<&crate::domain::account::Account>,
) -> String {
    let now = Utc::now();
    match format {
        crate::cli::WatchFormat::Jsonl => {
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
            if let Some(a) = account {
                v["account"] = serde_json::json!(a.id);
                v["accountName"] = serde_json::json!(a.name);
            }
            v.to_string()
        }
        crate::cli::WatchFormat::Text => {
            let label = account.map(|a| a.label());
            crate::output::export::watch_text(job, from, now, label.as_deref())
        }
    }
}

/// The filters and job ARNs `watch` and `wait` were given, checked before
/// anything is sent.
fn checked(
    filters: &crate::cli::filter_args::FilterArgs,
    arns: &[String],
) -> Result<crate::domain::query::Filter, ExitCode> {
    let filter = filter(filters)?;
    for arn in arns {
        check_job_arn(arn)?;
    }
    Ok(filter)
}

pub async fn watch(args: WatchArgs) -> ExitCode {
    let filter = match checked(&args.filters, &args.job_arns) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let mut ctrl_c = Interrupt::listen();
    let interval = Duration::from_secs_f64(args.interval);
    let mut refusals = Refusals::default();
    let history = args
        .history
        .open_headless(args.connect.endpoint_url.as_deref());
    let begun = begin(
        &args.connect,
        filter,
        &args.job_arns,
        interval,
        (&mut ctrl_c, &mut refusals),
        history.as_ref(),
        |engine| engine.lag = args.lag.lag(),
    )
    .await;
    let (mut engine, driver) = match begun {
        Ok((engine, driver, _)) => (engine, driver),
        Err(code) => return code,
    };
    progress::clear();
    if engine.sources().is_empty() {
        return ExitCode::from(EXIT_API);
    }
    eprintln!(
        "copyjobs: watching {} jobs ({} in flight); {} (Ctrl-C stops)",
        crate::output::failures::thousands(if engine.view {
            engine.rows().len()
        } else {
            args.job_arns.len()
        }),
        crate::output::failures::thousands(engine.in_flight()),
        match (args.quiet, history.is_some()) {
            (false, _) => "a line per change",
            (true, true) => "quiet: changes go to the history only",
            (true, false) => "quiet, and --no-history: nothing is kept",
        }
    );
    let notify = args.notify.notify();
    // Several accounts read: each line says whose job changed.
    let several = accounts_of(&engine).len() > 1;
    let inside_tmux = std::env::var_os("TMUX").is_some();
    let mut out = std::io::stdout();
    loop {
        // A refused source is retried with backoff: it may come back (a
        // renewed SSO session), and then its changes are printed again.
        let polled = (&mut engine, &driver, &mut refusals);
        let Some(polled) = next_poll(&mut ctrl_c, interval, polled, false).await else {
            return interrupted(history.as_ref());
        };
        let events = match polled {
            Ok(ev) => ev,
            Err(e) => return api_error(&e),
        };
        for ev in events {
            let account = several
                .then(|| engine.source(ev.source))
                .flatten()
                .and_then(|s| s.spec.account.as_ref())
                .map(|r| &r.account);
            let line = watch_line(&ev.job, ev.from.as_ref(), args.output, account);
            if !args.quiet
                && let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush())
            {
                return io_exit(Err(e));
            }
            let bytes = crate::watch::notify::terminal_bytes(&ev, &notify, inside_tmux);
            if !bytes.is_empty() {
                // Bells and OSC go to the terminal, not into a piped stdout.
                let _ = std::io::stderr().write_all(bytes.as_bytes());
            }
            if let Some(argv) = &notify.on_change {
                let hook =
                    crate::watch::notify::run_hook(argv, &ev, crate::watch::notify::HOOK_TIMEOUT);
                match ctrl_c.or(hook).await {
                    None => return interrupted(history.as_ref()),
                    Some(Err(e)) => eprintln!("copyjobs: notification hook: {e}"),
                    Some(Ok(_)) => {}
                }
            }
        }
    }
}

/// Records what the engine sees in the history, if it is kept.
fn keep(history: Option<&History>, engine: &mut Engine, driver: &mut Driver) {
    if let Some(h) = history {
        h.attach(engine, driver);
    }
}

/// What `wait` waits for: every job by ARN as last seen, with its source.
struct Waited {
    jobs: HashMap<String, (SourceId, CopyJob)>,
    /// The last change seen, for the progress line.
    latest: Option<String>,
    /// A progress line is kept on stderr (a person is watching).
    progress: bool,
    /// The history's measured copies, for the expected finish.
    groups: Groups,
}

impl Waited {
    fn finished(&self) -> usize {
        self.jobs
            .values()
            .filter(|(_, j)| j.status.is_final())
            .count()
    }

    fn failed(&self) -> Vec<&CopyJob> {
        let mut v: Vec<&CopyJob> = self
            .jobs
            .values()
            .map(|(_, j)| j)
            .filter(|j| j.status == Status::Failed)
            .collect();
        v.sort_by(|a, b| a.job_arn.cmp(&b.job_arn));
        v
    }

    fn running(&self) -> usize {
        self.jobs.len() - self.finished()
    }

    /// The jobs of a source given up on are no longer waited for, nor a job
    /// the service no longer knows (the engine stopped tracking it).
    fn forget_missing(&mut self, engine: &Engine) {
        self.jobs.retain(|arn, (source, job)| {
            let Some(s) = engine.source(*source) else {
                return false;
            };
            let known = job.status.is_final() || s.tracked.contains_key(arn);
            if !known {
                progress::note(&format!(
                    "copyjobs: {arn} is no longer found: not waited for"
                ));
            }
            known
        });
    }

    fn take(&mut self, events: Vec<Event>) {
        for ev in events {
            if let Some((_, job)) = self.jobs.get_mut(&ev.job.job_arn) {
                self.latest = Some(format!(
                    "{} {}",
                    clean(ev.job.display_name()),
                    ev.job.status.as_str()
                ));
                *job = ev.job;
            }
        }
    }

    /// "3 of 30 finished (1 failed) · latest: name Completed", redrawn in
    /// place on a terminal.
    fn show(&self) {
        if !self.progress {
            return;
        }
        let latest = self
            .latest
            .as_deref()
            .map(|l| format!(" · latest: {l}"))
            .unwrap_or_default();
        let failed = self.failed().len();
        let failed = if failed > 0 {
            format!(" ({failed} failed)")
        } else {
            String::new()
        };
        let now = Utc::now();
        let expected =
            crate::history::expected(self.jobs.values().map(|(_, j)| j), &self.groups, now)
                .map(|e| format!(" · {}", e.text(now, &crate::cli::headless::tz())))
                .unwrap_or_default();
        progress::show(&format!(
            "copyjobs: {} of {} finished{failed}{expected}{latest}",
            self.finished(),
            self.jobs.len()
        ));
    }
}

pub async fn wait(args: WaitArgs) -> ExitCode {
    let filter = match checked(&args.filters, &args.job_arns) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let mut ctrl_c = Interrupt::listen();
    let started = Instant::now();
    let interval = Duration::from_secs_f64(args.interval);
    let mut refusals = Refusals::default();
    let mut waited = Waited {
        jobs: HashMap::new(),
        latest: None,
        progress: progress::on(),
        groups: Groups::default(),
    };
    let history = args
        .history
        .open_headless(args.connect.endpoint_url.as_deref());
    if let Some(h) = history.as_ref().filter(|_| waited.progress) {
        waited.groups = h
            .reader()
            .groups_async(Query::default())
            .await
            .unwrap_or_default();
    }
    let begun = begin(
        &args.connect,
        filter,
        &args.job_arns,
        interval,
        (&mut ctrl_c, &mut refusals),
        history.as_ref(),
        // Only the jobs matching now: new ones are not waited for.
        |engine| engine.follow_new = false,
    )
    .await;
    let (mut engine, driver) = match begun {
        Ok((engine, driver, found)) => {
            for (source, j) in found {
                waited.jobs.insert(j.job_arn.clone(), (source, j));
            }
            (engine, driver)
        }
        Err(code) => return code,
    };
    progress::clear();
    if waited.jobs.is_empty() && args.job_arns.is_empty() && !refusals.any() {
        // `wait … && deploy` must not deploy when nothing was waited for.
        let accounts = match accounts_of(&engine).len() {
            0 => String::new(),
            1 => "1 account, ".to_string(),
            n => format!("{n} accounts, "),
        };
        eprintln!(
            "copyjobs: no matching jobs: the filters select no job in {accounts}{} (nothing to wait for)",
            regions_of(&engine).join(", ")
        );
        return ExitCode::from(EXIT_NOTHING);
    }
    while waited.running() > 0 {
        waited.show();
        let left = args.timeout.map(|t| t.saturating_sub(started.elapsed()));
        if left == Some(Duration::ZERO) {
            progress::clear();
            eprintln!(
                "copyjobs: timed out after {:?}: {} of {} jobs still in progress",
                args.timeout.unwrap_or_default(),
                waited.running(),
                waited.jobs.len()
            );
            return ExitCode::from(EXIT_TIMEOUT);
        }
        let pause = left.map_or(interval, |l| l.min(interval));
        let polled = (&mut engine, &driver, &mut refusals);
        let Some(polled) = next_poll(&mut ctrl_c, pause, polled, true).await else {
            return interrupted(history.as_ref());
        };
        match polled {
            Ok(events) => waited.take(events),
            Err(e) => {
                progress::clear();
                return api_error(&e);
            }
        }
        waited.forget_missing(&engine);
    }
    progress::clear();
    let failed = waited.failed();
    for j in &failed {
        eprintln!(
            "✘ {} ({}): {}",
            clean(j.display_name()),
            j.job_arn,
            clean(j.failure_message.as_deref().unwrap_or("no failure message"))
        );
    }
    eprintln!(
        "copyjobs: {} finished, {} failed",
        waited.jobs.len(),
        failed.len()
    );
    if refusals.any() {
        ExitCode::from(EXIT_API)
    } else if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    }
}
