//! The entry point: parse the command line, read the config, set up logging
//! and the runtime, and hand each verb to where it lives (`cli` for the
//! headless verbs and `serve`, `dashboard` for the dashboard and `demo`).

use copyjobs::app::system_clock;
use copyjobs::cli::{Cli, Command, layered};
use copyjobs::config::{self, Loaded};
use std::process::ExitCode;

/// mimalloc, not glibc's malloc: idle with 276 sources, a quarter of the
/// CPU went on glibc's allocator (the SDK allocates a good deal for each
/// request), and mimalloc took 15 % less CPU in all, side by side. Built
/// without transparent huge pages (`no_thp`): with them, its peak RSS was
/// 63 MB against glibc's 47 MB, over the 60 MB budget; without, 46 MB.
/// Version 2 (`v2`): v3 gives freed memory back a second later, and with
/// 100,000 jobs loaded peaked at 167 MB (1.67 KB a job, budget 1.5).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// A usage error's exit code: 2, as clap's, except for `plan`, whose 2
/// means "something to do" (`--detailed-exitcode`): there it is 1.
fn usage_exit(command: &Option<Command>) -> ExitCode {
    ExitCode::from(if matches!(command, Some(Command::Plan(_))) {
        1
    } else {
        2
    })
}

fn main() -> ExitCode {
    let _ = copyjobs::dashboard::run::STARTED.set(std::time::Instant::now());
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
        return copyjobs::cli::verbs::config(location.as_ref(), print_default, path, check);
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
                return usage_exit(&cli.command);
            }
        }
    };
    // aws-config would panic on a count it cannot read: say what to write.
    if !matches!(cli.command, Some(Command::Serve { .. }))
        && let Err(e) = copyjobs::aws::max_attempts_from_env()
    {
        eprintln!("copyjobs: {e}");
        return usage_exit(&cli.command);
    }
    // The dashboard's runtime is one thread: its own work is a few
    // requests a second and a frame, and on one thread an answer wakes no
    // other (on two workers, idle with 276 sources, a tenth more CPU went
    // on waking threads). Headless verbs and `demo` (which runs the
    // endpoint in the same process) keep a worker a core.
    let mut builder = if cli.command.is_none() {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    };
    let runtime = match builder.enable_all().build() {
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
            Some(Command::Serve { addr, emulator }) => {
                copyjobs::cli::serve::serve(emulator, addr).await
            }
            Some(Command::Demo { emulator, view }) => {
                copyjobs::dashboard::start::demo(emulator, view, &loaded).await
            }
            Some(command) => {
                if let Err(e) = copyjobs::cli::verbs::check_regions(&command, &loaded) {
                    eprintln!("copyjobs: {}", copyjobs::output::sanitize::clean(&e));
                    return usage_exit(&Some(command));
                }
                copyjobs::cli::verbs::run(command, &loaded).await
            }
            None => {
                if let Err(e) = layered::check_sources(&cli.connect, &loaded) {
                    eprintln!("copyjobs: {}", copyjobs::output::sanitize::clean(&e));
                    return ExitCode::from(2);
                }
                layered::fill_sources(&mut cli.connect, &loaded);
                // The flag says the list is out of date, as the config can.
                let mut loaded = loaded;
                loaded.config.sources.allow_unknown_regions |= cli.connect.any_region;
                let target = cli.connect.target();
                let connector = copyjobs::aws::connector::Connector::for_target(&target);
                let sources =
                    match copyjobs::cli::accounts::sources(&cli.connect, &target, &connector).await
                    {
                        Ok(s) => s,
                        Err(e) => return copyjobs::cli::headless::no_sources(&e),
                    };
                copyjobs::dashboard::start::dashboard(
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
