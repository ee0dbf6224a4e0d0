//! Thin entry point: parse the command line, set up logging, dispatch.

use copyjobs::app::{Clock, system_clock};
use copyjobs::aws::Target;
use copyjobs::cli::{Cli, Command, ViewArgs, layered};
use copyjobs::config::{self, Loaded};
use copyjobs::emulator::{Emulator, EmulatorOptions, Server};
use copyjobs::watch::SourceSpec;
use std::net::SocketAddr;
use std::process::ExitCode;

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "copyjobs=debug,info",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // Colour only for a person at a terminal: a log file or a pipe gets
    // plain text, and NO_COLOR is honoured.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .init();
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).ok();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending::<()>().await } } => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

async fn start_endpoint(options: EmulatorOptions, addr: SocketAddr) -> std::io::Result<Server> {
    if options.jobs >= 200_000 {
        eprintln!("generating {} jobs per region…", options.jobs);
    }
    // Generating a large data set is CPU work: keep it off the reactor.
    let emulator = tokio::task::spawn_blocking(move || Emulator::new(options))
        .await
        .map_err(std::io::Error::other)?;
    Server::start(emulator, addr).await
}

async fn serve(options: EmulatorOptions, addr: SocketAddr) -> ExitCode {
    let server = match start_endpoint(options, addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "copyjobs serve: cannot listen on {addr}: {e}. Choose another --addr (port 0 picks a free one)."
            );
            return ExitCode::from(1);
        }
    };
    println!("listening on {}", server.url());
    shutdown_signal().await;
    server.shutdown().await;
    ExitCode::SUCCESS
}

async fn dashboard(
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
    settings.log_path = copyjobs::cli::logfile::path(view.log_file.as_deref())
        .filter(|p| copyjobs::cli::logfile::init(p));
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        sources = ?settings.sources,
        context = %settings.context,
        "dashboard started"
    );
    let started = std::time::Instant::now();
    let result = copyjobs::app::run::run(target, settings, filter, clock).await;
    let stats = copyjobs::app::run::stats_line(started.elapsed());
    tracing::info!(ok = result.is_ok(), %stats, "dashboard ended");
    if view.stats {
        eprintln!("{stats}");
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("copyjobs: the terminal failed: {e}");
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

async fn demo(options: EmulatorOptions, view: ViewArgs, loaded: &Loaded) -> ExitCode {
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
    let sources = SourceSpec::product(&[], &regions);
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
    // The dashboard's timers run on the wall clock; the endpoint's clock
    // (frozen, pinned or sped up) drives its data only.
    let code = dashboard(view, loaded, target, sources, system_clock()).await;
    server.shutdown().await;
    code
}

fn main() -> ExitCode {
    let _ = copyjobs::app::run::STARTED.set(std::time::Instant::now());
    // A shell asking for completions (COMPLETE=bash copyjobs -- …) is
    // answered before anything else runs or prints.
    copyjobs::cli::completions::answer_if_asked();
    let mut cli = Cli::parse_args();
    match &cli.command {
        Some(Command::Completions { shell }) => return copyjobs::cli::completions::script(*shell),
        Some(Command::Man { verb, dir }) => {
            return copyjobs::cli::completions::man(dir.as_deref(), verb.as_deref());
        }
        _ => {}
    }
    // Log lines on stderr would tear through the dashboard: only serve logs.
    if matches!(cli.command, Some(Command::Serve { .. })) {
        init_logging(cli.verbose);
    }
    let location = config::locate(cli.config.as_deref());
    if let Some(Command::Config {
        print_default,
        path,
        check,
    }) = cli.command
    {
        return config_verb(location.as_ref(), print_default, path, check);
    }
    // The endpoint alone has nothing to configure; everything else reads the
    // file whole before it starts, or not at all.
    let loaded = if matches!(cli.command, Some(Command::Serve { .. })) {
        Loaded::defaults()
    } else {
        match config::load(location.as_ref(), chrono::Utc::now()) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("copyjobs: {e}");
                return ExitCode::from(2);
            }
        }
    };
    // aws-config would panic on a count it cannot read: say what to write.
    if !matches!(cli.command, Some(Command::Serve { .. }))
        && let Err(e) = copyjobs::aws::max_attempts_from_env()
    {
        eprintln!("copyjobs: {e}");
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("copyjobs: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(async {
        match cli.command {
            Some(Command::Config { .. } | Command::Completions { .. } | Command::Man { .. }) => {
                ExitCode::SUCCESS
            }
            Some(Command::Serve { addr, emulator }) => serve(emulator, addr).await,
            Some(Command::Demo { emulator, view }) => demo(emulator, view, &loaded).await,
            Some(Command::List(mut args)) => {
                layered::fill_filters(&mut args.filters, &loaded);
                layered::fill_sources(&mut args.connect, &loaded);
                copyjobs::cli::headless::list(args).await
            }
            Some(Command::Get(args)) => copyjobs::cli::headless::get(args).await,
            Some(Command::Watch(mut args)) => {
                layered::fill_filters(&mut args.filters, &loaded);
                layered::fill_sources(&mut args.connect, &loaded);
                if let Err(e) = layered::fill_notify(&mut args.notify, &loaded) {
                    eprintln!("copyjobs: {e}");
                    return ExitCode::from(2);
                }
                args.lag.fill(&loaded);
                copyjobs::cli::headless::watch(args).await
            }
            Some(Command::Wait(mut args)) => {
                layered::fill_filters(&mut args.filters, &loaded);
                layered::fill_sources(&mut args.connect, &loaded);
                copyjobs::cli::headless::wait(args).await
            }
            Some(Command::Models(mut args)) => {
                layered::fill_filters(&mut args.filters, &loaded);
                layered::fill_sources(&mut args.connect, &loaded);
                copyjobs::cli::models::models(args, loaded.copy_regions()).await
            }
            Some(Command::Stats(mut args)) => {
                layered::fill_filters(&mut args.filters, &loaded);
                layered::fill_sources(&mut args.connect, &loaded);
                copyjobs::cli::stats::stats(args, loaded.config.view.time_zone).await
            }
            Some(Command::Copy(args)) => {
                let regions = loaded.copy_regions();
                copyjobs::cli::actions::copy(args, read_only(&loaded).as_deref(), &regions).await
            }
            Some(Command::Retry(args)) => {
                copyjobs::cli::actions::retry(args, read_only(&loaded).as_deref()).await
            }
            Some(Command::Failures(mut args)) => {
                // The config's default status is not this verb's: it reads
                // the failed jobs whatever the file says.
                let status = args.filters.status.take();
                layered::fill_filters(&mut args.filters, &loaded);
                args.filters.status = status;
                layered::fill_sources(&mut args.connect, &loaded);
                copyjobs::cli::failures::failures(args).await
            }
            None => {
                layered::fill_sources(&mut cli.connect, &loaded);
                let sources = cli.connect.sources();
                dashboard(
                    cli.view,
                    &loaded,
                    cli.connect.target(),
                    sources,
                    system_clock(),
                )
                .await
            }
        }
    })
}

/// Where the config turns read-only on (`PATH:LINE`), if it does: `copy`
/// and `retry` then send nothing.
fn read_only(loaded: &Loaded) -> Option<String> {
    let key = ["view", "read_only"];
    loaded
        .config
        .view
        .read_only
        .then(|| loaded.line_of(&key).unwrap_or_else(|| key.join(".")))
}

/// `copyjobs config`: the documented default, where the file is, or a check.
fn config_verb(
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
