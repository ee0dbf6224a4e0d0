//! Starting the dashboard: the flags and the config layered into its
//! settings (said at once when wrong, terminal or not), a terminal checked
//! for, the log opened; and `demo`, which starts the local endpoint first.

use crate::app::{Clock, system_clock};
use crate::aws::Target;
use crate::cli::serve::start_endpoint;
use crate::cli::{ViewArgs, layered};
use crate::config::Loaded;
use crate::emulator::EmulatorOptions;
use crate::watch::SourceSpec;
use std::process::ExitCode;

pub async fn dashboard(
    mut view: ViewArgs,
    loaded: &Loaded,
    target: Target,
    sources: Vec<SourceSpec>,
    clock: Clock,
) -> ExitCode {
    // What is wrong with the flags and the config is said first, with or
    // without a terminal.
    let (mut settings, filter) =
        match layered::settings(&mut view, loaded, target.clone(), sources, clock()) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("copyjobs: {e}");
                return ExitCode::from(2);
            }
        };
    if let Err(code) = need_terminal() {
        return code;
    }
    // Before anything is written there; said once the log is open.
    let tightened = crate::config::private::tighten_state();
    settings.log_path = crate::cli::logfile::path(view.log_file.as_deref())
        .filter(|p| crate::cli::logfile::init(p));
    if let Some(t) = &tightened {
        if let Some(line) = t.said() {
            tracing::info!("{line}");
        }
        if let Some(line) = t.warning() {
            tracing::warn!("{line}");
        }
    }
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        sources = ?settings.sources,
        context = %settings.context,
        "dashboard started"
    );
    view.history.fill(loaded);
    let history = view.history.options(target.endpoint_url.as_deref());
    let started = std::time::Instant::now();
    let result = super::run::run(target, settings, filter, clock, history).await;
    let stats = super::run::stats_line(started.elapsed());
    tracing::info!(ok = result.is_ok(), %stats, "dashboard ended");
    // Not eprintln: its panic on a closed terminal would be a crash.
    use std::io::Write;
    if view.stats {
        let _ = writeln!(std::io::stderr(), "{stats}");
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "copyjobs: the terminal failed: {e}");
            ExitCode::from(1)
        }
    }
}

/// The dashboard draws on a terminal and reads keys from it: without one,
/// say so and point at what works in a script, before anything starts.
fn need_terminal() -> Result<(), ExitCode> {
    use std::io::IsTerminal;
    let missing = match (
        std::io::stdin().is_terminal(),
        std::io::stdout().is_terminal(),
    ) {
        (true, true) => return Ok(()),
        (false, true) => "standard input is not a terminal",
        (true, false) => "standard output is not a terminal",
        (false, false) => "neither standard input nor standard output is a terminal",
    };
    eprintln!(
        "copyjobs: the dashboard needs a terminal, and {missing}.\n\
         In scripts and pipes use the headless verbs: `copyjobs list` (or get, watch, wait, failures); `copyjobs --help` lists them."
    );
    Err(ExitCode::from(2))
}

/// The role `demo --org-size` reads each account with.
const DEMO_ROLE: &str = "CopyJobsReader";

pub async fn demo(options: EmulatorOptions, view: ViewArgs, loaded: &Loaded) -> ExitCode {
    // Check the flags before starting anything, with or without a terminal.
    if let Err(e) = layered::settings(
        &mut view.clone(),
        loaded,
        Target::default(),
        Vec::new(),
        chrono::Utc::now(),
    ) {
        eprintln!("copyjobs demo: {e}");
        return ExitCode::from(2);
    }
    if let Err(code) = need_terminal() {
        return code;
    }
    // The regions the endpoint fills are the regions the table shows.
    let regions = if options.regions.is_empty() {
        vec!["us-east-1".to_string()]
    } else {
        options.regions.clone()
    };
    let org = options.org_size > 0;
    let server = match start_endpoint(options, ([127, 0, 0, 1], 0).into()).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("copyjobs demo: cannot start the local endpoint: {e}");
            return ExitCode::from(1);
        }
    };
    let target = Target {
        endpoint_url: Some(server.url()),
        demo: true,
        ..Target::default()
    };
    // With an organisation, the demo reads it as `--org` would: every
    // active account, through a role the endpoint grants.
    let sources = if org {
        let connector = crate::aws::connector::Connector::new();
        let d = crate::aws::discover::Discovery {
            org: true,
            role_name: Some(DEMO_ROLE.into()),
            ..Default::default()
        };
        let first = Target {
            region: regions.first().cloned(),
            ..target.clone()
        };
        match crate::aws::discover::discover(&connector, &first, None, &d).await {
            Ok(found) => SourceSpec::accounts(None, &found, &regions),
            Err(e) => {
                eprintln!("copyjobs demo: the local organisation did not answer: {e}");
                server.shutdown().await;
                return ExitCode::from(1);
            }
        }
    } else {
        SourceSpec::product(&[], &regions)
    };
    // The dashboard's timers run on the wall clock; the endpoint's clock
    // (frozen, pinned or sped up) drives its data only.
    let code = dashboard(view, loaded, target, sources, system_clock()).await;
    server.shutdown().await;
    code
}
