//! `copy` and `retry`: the verbs that change something. Each request is
//! checked before it is sent, carries a token derived from its inputs (so a
//! command run twice creates nothing new), goes to its own region at once
//! with the others, and is reported region by region: one refused region
//! does not hide the ones that worked.

use crate::aws::{self, Connection, Target};
use crate::cli::follow::wait;
use crate::cli::headless::{EXIT_API, api_error, check_job_arn, io_exit, usage};
use crate::cli::{ActionArgs, ActionFormat, ConnectArgs, CopyArgs, RetryArgs, WaitArgs};
use crate::config::created::{CreatedJobs, Seen};
use crate::domain::constraints;
use crate::domain::copy::{CopyRequest, default_name, name_after};
use crate::domain::copy_regions::CopyRegions;
use crate::domain::job::{Status, Tag};
use crate::domain::query::Filter;
use crate::output::sanitize::clean;
use crate::watch::retry::{RetryPolicy, stderr_note};
use std::io::Write;
use std::process::ExitCode;

/// What became of one request.
struct Outcome {
    request: CopyRequest,
    result: Result<String, aws::FetchError>,
    /// The service answered with the job an identical request made before:
    /// nothing new was created.
    again: bool,
}

fn target(profile: &Option<String>, endpoint_url: &Option<String>, region: &str) -> Target {
    Target {
        profile: profile.clone(),
        region: Some(region.to_string()),
        endpoint_url: endpoint_url.clone(),
        // The retries are RetryPolicy's, as for the other verbs.
        max_attempts: Some(1),
        ..Target::default()
    }
}

async fn client(
    profile: &Option<String>,
    endpoint_url: &Option<String>,
    region: &str,
) -> Connection {
    aws::connect(&target(profile, endpoint_url, region)).await
}

/// Where read-only came from, when it is on: `--read-only`, or the config's
/// `view.read_only` with its place. Nothing is sent then, but `--dry-run`
/// still prints what would be: it changes nothing.
pub(crate) fn refused_read_only(
    verb: &str,
    action: &ActionArgs,
    config: Option<&str>,
) -> Option<ExitCode> {
    if action.dry_run {
        return None;
    }
    let from = if action.read_only {
        "--read-only".to_string()
    } else {
        format!("read_only = true at {}", config?)
    };
    Some(usage(&format!(
        "read-only ({from}): {verb} sends nothing that changes anything; --dry-run prints the requests instead"
    )))
}

/// `copy`; `read_only` is where the config turned read-only on, if it did;
/// `regions` says where copies of each base model can go.
pub async fn copy(args: CopyArgs, read_only: Option<&str>, regions: &CopyRegions) -> ExitCode {
    if let Some(code) = refused_read_only("copy", &args.action, read_only) {
        return code;
    }
    // Before anything is sent, the name's look-up included: the service
    // would refuse the region anyway, after the others were created.
    match regions.check_copy(&args.source_model_arn, &args.to) {
        Err(refusal) => return usage(&clean(&refusal)),
        Ok(Some(note)) => eprintln!("copyjobs: {}", clean(&note)),
        Ok(None) => {}
    }
    let name = match &args.name {
        Some(n) => n.clone(),
        None => {
            let name = default_copy_name(&args).await;
            if !args.action.dry_run
                && let Some(record) = CreatedJobs::open()
            {
                for r in &args.to {
                    let _ = record.remember_default_name(&args.source_model_arn, r, &name);
                }
            }
            name
        }
    };
    let tags: Vec<Tag> = args
        .tags
        .iter()
        .map(|(k, v)| Tag {
            key: k.as_str().into(),
            value: v.as_str().into(),
        })
        .collect();
    for (r, _) in &args.kms_keys {
        if !args.to.contains(r) {
            return usage(&format!("--kms-key {r}=…: {r} is not one of --to"));
        }
    }
    let mut to = args.to.clone();
    to.dedup();
    let requests: Vec<CopyRequest> = to
        .iter()
        .map(|region| CopyRequest {
            region: region.clone(),
            source_model_arn: args.source_model_arn.clone(),
            target_model_name: name.clone(),
            kms_key_id: args
                .kms_keys
                .iter()
                .find(|(r, _)| r == region)
                .map(|(_, k)| k.clone()),
            tags: tags.clone(),
            salt: String::new(),
        })
        .collect();
    send(requests, &args.action).await
}

/// A copy given no `--name` is named after its source model: the name the
/// service gives it (`sourceModelName`) in any job that copied it, looked
/// for in the model's region and the regions copied into, all at once; a
/// foundation model after its id. Failing those, after the model's id, and
/// the user is told how to choose.
async fn default_copy_name(args: &CopyArgs) -> String {
    let arn = &args.source_model_arn;
    if !constraints::matches(constraints::MODEL_ARN, arn) {
        // Refused by the request's own check, with its words.
        return default_name(arn);
    }
    // The same command again sends the same request: the name an earlier
    // run chose, even if a better one is known now (the first copy itself
    // may name the source), or the token would not match.
    if let Some(record) = CreatedJobs::open()
        && let Some(name) = args.to.iter().find_map(|r| record.default_name(arn, r))
    {
        return name;
    }
    // The model's region, the regions copied into, and the one this
    // machine's AWS configuration names: where copies of it most likely are.
    let home = aws::connect(&Target {
        region: None,
        ..target(&args.action.profile, &args.action.endpoint_url, "")
    })
    .await
    .region;
    let mut regions: Vec<&str> = arn.split(':').nth(3).into_iter().collect();
    for r in args.to.iter().chain(std::iter::once(&home)) {
        if r.is_empty() {
            continue;
        }
        if !regions.contains(&r.as_str()) {
            regions.push(r);
        }
    }
    let filter = Filter {
        source_model_arn: Some(arn.clone()),
        ..Filter::default()
    };
    let (profile, endpoint_url) = (&args.action.profile, &args.action.endpoint_url);
    let names = futures::future::join_all(regions.iter().map(|region| {
        let filter = &filter;
        async move {
            let conn = client(profile, endpoint_url, region).await;
            let page = aws::list_page(&conn.client, filter, 1, None).await.ok()?;
            page.jobs.into_iter().find_map(|j| j.source_model_name)
        }
    }))
    .await;
    if let Some(name) = names.into_iter().flatten().find_map(|n| name_after(&n)) {
        return name;
    }
    let name = default_name(arn);
    if !arn.contains(":foundation-model/") {
        eprintln!(
            "copyjobs: no job names the model {}, so the copy is named {name} after its id; --name NAME names it",
            clean(arn)
        );
    }
    name
}

/// `retry`; `read_only` as for [`copy`]. A retry goes to the region the
/// failed job is in, which the service once took a copy into: its region is
/// not checked against the table.
pub async fn retry(args: RetryArgs, read_only: Option<&str>) -> ExitCode {
    if let Some(code) = refused_read_only("retry", &args.action, read_only) {
        return code;
    }
    for arn in &args.job_arns {
        if let Err(code) = check_job_arn(arn) {
            return code;
        }
    }
    // Each failed job, read where it lives, becomes the same request again.
    let mut requests = Vec::new();
    for arn in &args.job_arns {
        let region = arn.split(':').nth(3).unwrap_or("");
        let conn = client(&args.action.profile, &args.action.endpoint_url, region).await;
        let job = match RetryPolicy::default()
            .run(|| aws::get_job(&conn.client, arn), stderr_note)
            .await
        {
            Ok(j) => j,
            Err(e) => return api_error(&e),
        };
        if job.status != Status::Failed {
            return usage(&format!(
                "{arn} is {}: only a failed copy can be retried",
                job.status.as_str()
            ));
        }
        requests.push(CopyRequest::retry_of(&job));
    }
    send(requests, &args.action).await
}

/// Checks every request, then sends them all at once (or prints them with
/// --dry-run), reports each, and waits for the new jobs if asked.
pub(crate) async fn send(requests: Vec<CopyRequest>, action: &ActionArgs) -> ExitCode {
    let (profile, endpoint_url) = (&action.profile, &action.endpoint_url);
    let problems: Vec<String> = requests
        .iter()
        .filter_map(|r| r.check().err())
        .flatten()
        .collect();
    if !problems.is_empty() {
        let mut unique = problems;
        unique.dedup();
        return usage(&unique.join("\n"));
    }
    if action.dry_run {
        let mut out = std::io::stdout().lock();
        let r = requests.iter().try_for_each(|r| {
            let endpoint = crate::aws::endpoint_in_use(endpoint_url.as_deref());
            let at = crate::output::export::CliTarget {
                profile: profile.as_deref(),
                endpoint_url: endpoint.as_deref(),
                ..Default::default()
            };
            let cmd = crate::output::export::create_command(r, at);
            writeln!(out, "{cmd}")
        });
        return io_exit(r);
    }
    let created = CreatedJobs::open();
    let created = created.as_ref();
    let outcomes: Vec<Outcome> =
        futures::future::join_all(requests.into_iter().map(|request| async move {
            let conn = client(profile, endpoint_url, &request.region).await;
            let result = RetryPolicy::default()
                .run(|| aws::create_job(&conn.client, &request), stderr_note)
                .await;
            // Without a record (no home, a full disk) a repeat cannot be
            // told: it is reported as created, as the service answered.
            let again = match (&result, created) {
                (Ok(arn), Some(record)) => {
                    record.record(&request.token(), arn).ok() == Some(Seen::Again)
                }
                _ => false,
            };
            Outcome {
                request,
                result,
                again,
            }
        }))
        .await;
    if let Err(code) = report(&outcomes, action.output) {
        return code;
    }
    let refused = outcomes.iter().any(|o| o.result.is_err());
    let created: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.result.as_ref().ok().cloned())
        .collect();
    if action.wait && !created.is_empty() {
        let code = wait(WaitArgs {
            job_arns: created,
            connect: ConnectArgs {
                profile: profile.clone(),
                endpoint_url: endpoint_url.clone(),
                ..ConnectArgs::default()
            },
            filters: Default::default(),
            timeout: action.timeout,
            interval: action.interval,
            history: action.history.clone(),
        })
        .await;
        if !refused {
            return code;
        }
    }
    if refused {
        ExitCode::from(EXIT_API)
    } else {
        ExitCode::SUCCESS
    }
}

fn report(outcomes: &[Outcome], format: ActionFormat) -> Result<(), ExitCode> {
    let mut out = std::io::stdout().lock();
    let written = match format {
        ActionFormat::Json => {
            let v: Vec<serde_json::Value> = outcomes
                .iter()
                .map(|o| match &o.result {
                    Ok(arn) => serde_json::json!({
                        "region": o.request.region,
                        "sourceModelArn": o.request.source_model_arn,
                        "targetModelName": o.request.target_model_name,
                        "jobArn": arn,
                        "alreadyCreated": o.again,
                    }),
                    Err(e) => serde_json::json!({
                        "region": o.request.region,
                        "sourceModelArn": o.request.source_model_arn,
                        "targetModelName": o.request.target_model_name,
                        "error": e.message,
                    }),
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &v)
                .map_err(std::io::Error::other)
                .and_then(|()| writeln!(out))
        }
        ActionFormat::Table => {
            // Copies of several models (apply): each line says which copy
            // it is, else 900 lines of region and job tell nothing.
            let several = outcomes
                .iter()
                .any(|o| o.request.source_model_arn != outcomes[0].request.source_model_arn);
            let which = |o: &Outcome| {
                if several {
                    format!(
                        "  {} (from {})",
                        clean(&o.request.target_model_name),
                        o.request.source_model_arn
                    )
                } else {
                    String::new()
                }
            };
            outcomes.iter().try_for_each(|o| match &o.result {
                Ok(arn) if o.again => writeln!(
                    out,
                    "{:<16} exists   {arn}  (already created by an identical request){}",
                    o.request.region,
                    which(o)
                ),
                Ok(arn) => writeln!(out, "{:<16} created  {arn}{}", o.request.region, which(o)),
                Err(e) => writeln!(
                    out,
                    "{:<16} refused  {}{}",
                    o.request.region,
                    clean(&e.to_string()),
                    which(o)
                ),
            })
        }
    };
    match io_exit(written) {
        code if code == ExitCode::SUCCESS => Ok(()),
        code => Err(code),
    }
}
