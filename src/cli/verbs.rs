//! The headless verbs, each given what the config file adds under its flags
//! (default filters, sources, notifications, history), and `copyjobs
//! config`.

use crate::cli::{Command, layered};
use crate::config::{self, Loaded};
use std::process::ExitCode;

/// Runs a headless verb.
pub async fn run(command: Command, loaded: &Loaded) -> ExitCode {
    // Before anything is written there; a headless verb's log is stderr.
    if let Some(t) = config::private::tighten_state() {
        for line in t.said().into_iter().chain(t.warning()) {
            eprintln!("copyjobs: {line}");
        }
    }
    match command {
        Command::List(mut args) => {
            layered::fill_filters(&mut args.filters, loaded);
            layered::fill_sources(&mut args.connect, loaded);
            crate::cli::headless::list(args).await
        }
        Command::Get(args) => crate::cli::headless::get(args).await,
        Command::Watch(mut args) => {
            layered::fill_filters(&mut args.filters, loaded);
            layered::fill_sources(&mut args.connect, loaded);
            if let Err(e) = layered::fill_notify(&mut args.notify, loaded) {
                eprintln!("copyjobs: {e}");
                return ExitCode::from(2);
            }
            args.lag.fill(loaded);
            args.history.fill(loaded);
            crate::cli::follow::watch(args).await
        }
        Command::Wait(mut args) => {
            layered::fill_filters(&mut args.filters, loaded);
            layered::fill_sources(&mut args.connect, loaded);
            args.history.fill(loaded);
            crate::cli::follow::wait(args).await
        }
        Command::Copy(mut args) => {
            args.action.history.fill(loaded);
            let regions = loaded.copy_regions();
            crate::cli::actions::copy(args, read_only(loaded).as_deref(), &regions).await
        }
        Command::Models(mut args) => {
            layered::fill_filters(&mut args.filters, loaded);
            layered::fill_sources(&mut args.connect, loaded);
            crate::cli::models::models(args, loaded.copy_regions()).await
        }
        Command::Plan(mut args) => {
            layered::fill_filters(&mut args.policy.filters, loaded);
            layered::fill_sources(&mut args.policy.connect, loaded);
            crate::cli::plan::plan_verb(args, loaded).await
        }
        Command::Apply(mut args) => {
            layered::fill_filters(&mut args.policy.filters, loaded);
            layered::fill_sources(&mut args.policy.connect, loaded);
            args.history.fill(loaded);
            crate::cli::plan::apply(args, loaded, read_only(loaded).as_deref()).await
        }
        Command::Stats(mut args) => {
            layered::fill_filters(&mut args.filters, loaded);
            layered::fill_sources(&mut args.connect, loaded);
            crate::cli::stats::stats(args, loaded.config.view.time_zone).await
        }
        Command::Retry(mut args) => {
            args.action.history.fill(loaded);
            crate::cli::actions::retry(args, read_only(loaded).as_deref()).await
        }
        Command::Durations(mut args) => {
            // As for failures: the config's default status is not this verb's.
            let status = args.filters.status.take();
            layered::fill_filters(&mut args.filters, loaded);
            args.filters.status = status;
            layered::fill_sources(&mut args.connect, loaded);
            crate::cli::durations::durations(args).await
        }
        Command::Failures(mut args) => {
            // The config's default status is not this verb's: it reads
            // the failed jobs whatever the file says.
            let status = args.filters.status.take();
            layered::fill_filters(&mut args.filters, loaded);
            args.filters.status = status;
            layered::fill_sources(&mut args.connect, loaded);
            crate::cli::failures::failures(args).await
        }
        // Dispatched by `main` itself.
        Command::Serve { .. }
        | Command::Demo { .. }
        | Command::Config { .. }
        | Command::Completions { .. }
        | Command::Man { .. } => ExitCode::SUCCESS,
    }
}

/// The regions the verb's flags name, checked before the verb runs:
/// nothing is read or sent for a misspelt one (the config's were checked
/// when it was read).
pub fn check_regions(command: &Command, loaded: &Loaded) -> Result<(), String> {
    let connect = match command {
        Command::List(a) => &a.connect,
        Command::Get(a) => &a.connect,
        Command::Watch(a) => &a.connect,
        Command::Wait(a) => &a.connect,
        Command::Models(a) => &a.connect,
        Command::Stats(a) => &a.connect,
        Command::Plan(a) => &a.policy.connect,
        Command::Apply(a) => &a.policy.connect,
        Command::Durations(a) => &a.connect,
        Command::Failures(a) => &a.connect,
        Command::Copy(a) => {
            return layered::check_regions("--to", &a.to, a.action.any_region, loaded);
        }
        _ => return Ok(()),
    };
    layered::check_sources(connect, loaded)
}

/// Where the config turns read-only on (`PATH:LINE`), if it does: `copy`
/// and `retry` then send nothing.
pub fn read_only(loaded: &Loaded) -> Option<String> {
    let key = ["view", "read_only"];
    loaded
        .config
        .view
        .read_only
        .then(|| loaded.line_of(&key).unwrap_or_else(|| key.join(".")))
}

/// `copyjobs config`: the documented default, where the file is, or a check.
pub fn config(
    location: Option<&config::Location>,
    print_default: bool,
    path: bool,
    check: bool,
) -> ExitCode {
    if print_default {
        print!("{}", config::DEFAULT_TOML);
        return ExitCode::SUCCESS;
    }
    let Some(loc) = location else {
        eprintln!(
            "copyjobs: no home directory, so no config directory: name a file with --config or COPYJOBS_CONFIG"
        );
        return ExitCode::from(2);
    };
    if path && !check {
        let state = if loc.path.exists() {
            "exists"
        } else {
            "does not exist: the defaults apply (copyjobs config --print-default writes one)"
        };
        println!("{}", loc.path.display());
        eprintln!("(from {}; {state})", loc.from);
        return ExitCode::SUCCESS;
    }
    // What the dashboard checks at start besides the text: the hook's
    // program on this machine's PATH.
    match config::load(Some(loc), chrono::Utc::now()).and_then(|l| l.hook().map(|_| l)) {
        Ok(l) if l.path.is_some() => {
            println!("{}: ok", loc.path.display());
            ExitCode::SUCCESS
        }
        Ok(_) => {
            println!("{}: not there; the defaults apply", loc.path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("copyjobs: {e}");
            ExitCode::from(2)
        }
    }
}
