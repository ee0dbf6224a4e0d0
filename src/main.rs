//! Thin entry point: parse the command line, set up logging, dispatch.

use chrono::Offset;
use clap::Parser;
use copyjobs::app::{Clock, Settings, system_clock};
use copyjobs::aws::Target;
use copyjobs::cli::{Cli, Command, ViewArgs};
use copyjobs::domain::query::Filter;
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

/// Resolves the view flags into dashboard settings, or says what is wrong.
fn settings(
    view: &ViewArgs,
    target: Target,
    sources: Vec<SourceSpec>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Settings, Filter), String> {
    let tz = chrono::Local::now().offset().fix();
    let filter = view.filters.resolve(now, &tz)?;
    let context = target.describe();
    let settings = Settings {
        page_size: usize::from(view.page_size),
        refresh_every: chrono::Duration::seconds(i64::from(view.refresh)),
        sources,
        notify: view.notify.notify(),
        ..Settings::new(context, target, tz)
    };
    Ok((settings, filter))
}

async fn dashboard(
    view: ViewArgs,
    target: Target,
    sources: Vec<SourceSpec>,
    clock: Clock,
) -> ExitCode {
    let (settings, filter) = match settings(&view, target.clone(), sources, clock()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("copyjobs: {e}");
            return ExitCode::from(2);
        }
    };
    match copyjobs::app::run::run(target, settings, filter, clock).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("copyjobs: the terminal failed: {e}");
            ExitCode::from(1)
        }
    }
}

async fn demo(options: EmulatorOptions, view: ViewArgs) -> ExitCode {
    // Check the flags before starting anything.
    if let Err(e) = settings(&view, Target::default(), Vec::new(), chrono::Utc::now()) {
        eprintln!("copyjobs demo: {e}");
        return ExitCode::from(2);
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
    let code = dashboard(view, target, sources, system_clock()).await;
    server.shutdown().await;
    code
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Log lines on stderr would tear through the dashboard: only serve logs.
    if matches!(cli.command, Some(Command::Serve { .. })) {
        init_logging(cli.verbose);
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
            Some(Command::Serve { addr, emulator }) => serve(emulator, addr).await,
            Some(Command::Demo { emulator, view }) => demo(emulator, view).await,
            Some(Command::List(args)) => copyjobs::cli::headless::list(args).await,
            Some(Command::Get(args)) => copyjobs::cli::headless::get(args).await,
            Some(Command::Watch(args)) => copyjobs::cli::headless::watch(args).await,
            Some(Command::Wait(args)) => copyjobs::cli::headless::wait(args).await,
            Some(Command::Failures(args)) => copyjobs::cli::failures::failures(args).await,
            None => {
                let sources = cli.connect.sources();
                dashboard(cli.view, cli.connect.target(), sources, system_clock()).await
            }
        }
    })
}
