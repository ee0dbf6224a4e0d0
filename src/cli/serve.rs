//! `copyjobs serve`: the local endpoint alone, for scripts, the AWS CLI and
//! other tools, until Ctrl-C or SIGTERM. `demo` starts it the same way.

use crate::emulator::{Emulator, EmulatorOptions, Server};
use std::net::SocketAddr;
use std::process::ExitCode;

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

pub async fn start_endpoint(options: EmulatorOptions, addr: SocketAddr) -> std::io::Result<Server> {
    if options.jobs >= 200_000 {
        eprintln!("generating {} jobs per region…", options.jobs);
    }
    // Generating a large data set is CPU work: keep it off the reactor.
    let emulator = tokio::task::spawn_blocking(move || Emulator::new(options))
        .await
        .map_err(std::io::Error::other)?;
    Server::start(emulator, addr).await
}

pub async fn serve(options: EmulatorOptions, addr: SocketAddr) -> ExitCode {
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
