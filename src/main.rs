//! Thin entry point: parse the command line, set up logging, dispatch.

use clap::Parser;
use copyjobs::cli::{Cli, Command};
use copyjobs::emulator::{Emulator, EmulatorOptions, Server};
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
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
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

async fn demo(options: EmulatorOptions) -> ExitCode {
    let addr: SocketAddr = ([127, 0, 0, 1], 0).into();
    let server = match start_endpoint(options, addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("copyjobs demo: cannot start the local endpoint: {e}");
            return ExitCode::from(1);
        }
    };
    let url = server.url();
    println!("listening on {url}");
    println!("The dashboard is not built yet; the demo endpoint is up. Try, in another terminal:");
    println!(
        "  AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo aws bedrock list-model-copy-jobs --region us-east-1 --endpoint-url {url} --max-items 5"
    );
    println!("Ctrl-C stops it.");
    shutdown_signal().await;
    server.shutdown().await;
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
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
            Some(Command::Demo { emulator }) => demo(emulator).await,
            None => {
                eprintln!("copyjobs: the dashboard against AWS is not built yet. Try `copyjobs serve` or `copyjobs demo`.");
                ExitCode::from(2)
            }
        }
    })
}
