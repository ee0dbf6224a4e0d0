//! `copyjobs plan` and `copyjobs apply`: the replication policy compared
//! with the models and their copies (read as `models` reads them), and the
//! missing copies created through `copy`'s own path (checked, idempotent,
//! each region on its own, `--wait` as `copy --wait`).

use crate::cli::actions::{refused_read_only, send};
use crate::cli::headless::{EXIT_API, EXIT_FAILED, filter, output_width};
use crate::cli::reading::{Window, pretty, read_window_and_models};
use crate::cli::{ActionArgs, ApplyArgs, PlanArgs, PlanFormat, PolicyArgs};
use crate::config::Loaded;
use crate::domain::copy::CopyRequest;
use crate::domain::matrix::Matrix;
use crate::domain::plan::{Plan, plan};
use crate::output::sanitize::clean;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

/// `--detailed-exitcode`'s "something to do".
const EXIT_DRIFT: u8 = 2;

/// The plan of the policy over what the sources hold, and the read it
/// was made from. `Err` carries the exit code, its reason said on stderr
/// (a usage error is `usage`'s code: `plan` keeps 2 for drift).
async fn read_plan(
    args: &PolicyArgs,
    loaded: &Loaded,
    usage: u8,
) -> Result<(Plan, Window), ExitCode> {
    // Multi-line: a policy's mistake shows its line and a caret under it.
    let said = |message: &str| {
        eprintln!(
            "copyjobs: {}",
            crate::output::sanitize::clean_lines(message)
        );
        ExitCode::from(usage)
    };
    let policy = loaded
        .policy(args.policy.as_deref())
        .map_err(|e| said(&e.to_string()))?;
    for w in &policy.warnings {
        eprintln!("copyjobs: {}", crate::output::sanitize::clean_lines(w));
    }
    let mut filter = filter(&args.filters).map_err(|_| ExitCode::from(usage))?;
    // As `models`: a cell is the newest copy of any status.
    filter.status = None;
    let connect = with_policy_regions(args, &policy.policy.regions()).await;
    let window = filter.clone();
    let read = read_window_and_models(&connect, filter, args.page_size, "jobs").await?;
    let matrix = read_matrix(&read, loaded, &window);
    let plan = plan(&matrix, &policy.policy, &read.refused_regions);
    Ok((plan, read))
}

/// The replication matrix of what was read, as `models` builds it: the
/// jobs' models and every model the accounts own, so a model never copied
/// is planned as `copy`.
fn read_matrix(read: &Window, loaded: &Loaded, window: &crate::domain::query::Filter) -> Matrix {
    let mut matrix = Matrix::build(&read.regions, &read.jobs, loaded.copy_regions());
    matrix.add_models(read.models.iter().filter(|m| m.within(window)));
    matrix
}

/// The sources to read: the flags' (or the config's, or the AWS
/// configuration's region), and every region the policy names, since a
/// copy job is listed in the region it copies into.
async fn with_policy_regions(args: &PolicyArgs, wanted: &[String]) -> crate::cli::ConnectArgs {
    let mut connect = args.connect.clone();
    let mut regions: Vec<String> = if !connect.regions.is_empty() {
        connect.regions.clone()
    } else if let Some(r) = connect.region.take() {
        vec![r]
    } else {
        let home = crate::aws::connect(&connect.target()).await.region;
        if home.is_empty() {
            Vec::new()
        } else {
            vec![home]
        }
    };
    for r in wanted {
        if !regions.contains(r) {
            regions.push(r.clone());
        }
    }
    connect.regions = regions;
    connect
}

/// `copyjobs plan`: 0 done; with `--detailed-exitcode` 0 in sync and 2
/// something for apply to do; 1 for any error, a usage error included (2
/// would read as drift).
pub async fn plan_verb(args: PlanArgs, loaded: &Loaded) -> ExitCode {
    let (plan, read) = match read_plan(&args.policy, loaded, EXIT_FAILED).await {
        Ok(p) => p,
        Err(_) => return ExitCode::from(EXIT_FAILED),
    };
    let text = match args.output {
        PlanFormat::Table => crate::output::plan::table(&plan, output_width()),
        PlanFormat::Json => match pretty(&crate::output::plan::json(&plan)) {
            Ok(s) => s,
            Err(_) => return ExitCode::from(EXIT_FAILED),
        },
    };
    if read.print(&text) != ExitCode::SUCCESS {
        return ExitCode::from(EXIT_FAILED);
    }
    if args.detailed_exitcode && plan.drift() {
        ExitCode::from(EXIT_DRIFT)
    } else {
        ExitCode::SUCCESS
    }
}

/// `copyjobs apply`: the plan's `copy` and `retry` steps sent as `copy`
/// sends its requests. `read_only` is where the config turned read-only
/// on, if it did.
pub async fn apply(args: ApplyArgs, loaded: &Loaded, read_only: Option<&str>) -> ExitCode {
    let action = ActionArgs {
        profile: args.policy.connect.profile.clone(),
        endpoint_url: args.policy.connect.endpoint_url.clone(),
        dry_run: args.dry_run,
        any_region: args.policy.connect.any_region,
        read_only: args.read_only,
        wait: args.wait,
        timeout: args.timeout,
        interval: args.interval,
        output: args.output,
        history: args.history.clone(),
    };
    if let Some(code) = refused_read_only("apply", &action, read_only) {
        return code;
    }
    let c = &args.policy.connect;
    if !c.profiles.is_empty() || c.org || c.sso_role.is_some() || !c.accounts.is_empty() {
        return crate::cli::headless::usage(
            "apply sends with one profile (--profile, or the default chain): plan reads several profiles or accounts, apply does not yet",
        );
    }
    let (plan, read) = match read_plan(&args.policy, loaded, crate::cli::headless::EXIT_USAGE).await
    {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut requests: Vec<CopyRequest> = plan
        .steps
        .iter()
        .filter_map(|s| s.request.clone())
        .collect();
    let wanted = requests.len();
    if let Some(max) = args.max {
        requests.truncate(usize::try_from(max).unwrap_or(usize::MAX));
    }
    if !read.refused.is_empty() {
        eprintln!(
            "copyjobs: not planned, so nothing is created there: {}",
            read.refused_regions.join(", ")
        );
    }
    if requests.is_empty() {
        eprintln!(
            "copyjobs: nothing to create: every model the policy picks is where it should be, on its way, or cannot go there"
        );
        return partial(&read, ExitCode::SUCCESS);
    }
    if requests.len() < wanted {
        eprintln!(
            "copyjobs: --max {}: creating {} of the {wanted} missing copies; the next run creates more",
            requests.len(),
            requests.len()
        );
    }
    // Checked before asking: a name a template made invalid is refused
    // here, on its own, and the others still go.
    let (ok, bad): (Vec<CopyRequest>, Vec<CopyRequest>) =
        requests.into_iter().partition(|r| r.check().is_ok());
    for r in &bad {
        for problem in r.check().err().unwrap_or_default() {
            eprintln!(
                "copyjobs: {} in {}: not sent: {}",
                clean(&r.source_model_arn),
                r.region,
                clean(&problem)
            );
        }
    }
    if !args.dry_run && !args.yes && !ok.is_empty() {
        match confirm(&ok) {
            Ok(true) => {}
            Ok(false) => {
                eprintln!("copyjobs: nothing sent");
                return ExitCode::SUCCESS;
            }
            Err(code) => return code,
        }
    }
    let code = if ok.is_empty() {
        ExitCode::SUCCESS
    } else {
        send(ok, &action).await
    };
    // `copy` says a refusal with 4; apply, as the issue asks, with 1.
    let code = if code == ExitCode::from(EXIT_API) {
        ExitCode::from(EXIT_FAILED)
    } else {
        code
    };
    if !bad.is_empty() && code == ExitCode::SUCCESS {
        return ExitCode::from(EXIT_FAILED);
    }
    partial(&read, code)
}

/// A read that missed sources makes a successful run partial: exit 1.
fn partial(read: &Window, code: ExitCode) -> ExitCode {
    if code == ExitCode::SUCCESS && !read.refused.is_empty() {
        ExitCode::from(EXIT_FAILED)
    } else {
        code
    }
}

/// On a terminal, what will be created and a question; without one,
/// `--yes` is needed.
fn confirm(requests: &[CopyRequest]) -> Result<bool, ExitCode> {
    if !std::io::stdin().is_terminal() {
        return Err(crate::cli::headless::usage(&format!(
            "apply would create {} copies: without a terminal to ask on, --yes sends them",
            requests.len()
        )));
    }
    let mut err = std::io::stderr().lock();
    for r in requests {
        let _ = writeln!(
            err,
            "  {:<16} {}  as {}",
            r.region,
            clean(&r.source_model_arn),
            clean(&r.target_model_name)
        );
    }
    let _ = write!(err, "Create these {} copies? [y/N] ", requests.len());
    let _ = err.flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return Ok(false);
    }
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}
