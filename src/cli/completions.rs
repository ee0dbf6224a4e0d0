//! Shell completions and man pages.
//!
//! Completions are clap_complete's dynamic ones: the script a shell sources
//! (`copyjobs completions bash`) calls `copyjobs` back at each TAB, so a
//! profile is completed from the AWS config files as they are now and a
//! region from the regions that offer Bedrock, besides every verb, flag and
//! fixed value. The script is the one `COMPLETE=bash copyjobs` prints.

/// What the flags complete with (their definitions name them here).
pub use super::candidates::{columns, profiles, regions, statuses, themes};
use clap::CommandFactory;
use clap_complete::CompletionCandidate;
use clap_complete::env::Shells;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The shells `copyjobs completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

impl Shell {
    fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
            Shell::Powershell => "powershell",
            Shell::Elvish => "elvish",
        }
    }
}

/// The environment variable that turns a run into a completion request.
const VAR: &str = "COMPLETE";

/// Answers a completion request (`COMPLETE=SHELL copyjobs -- WORDS…`) and
/// exits; a normal run returns at once. Before anything else is printed.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(crate::cli::Cli::command)
        .var(VAR)
        .complete();
}

/// `man VERB`: the verbs, as `copyjobs --help` lists them.
pub fn verbs() -> Vec<CompletionCandidate> {
    let command = crate::cli::Cli::command();
    let names: Vec<String> = command
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect();
    super::candidates::not_held(names)
}

/// `copyjobs completions SHELL`: the script to source. It calls back the
/// program by the name it was run with (a path made absolute), so a
/// `source <(copyjobs completions bash)` in a shell's rc file keeps working
/// across upgrades.
pub fn script(shell: Shell) -> ExitCode {
    let shells = Shells::builtins();
    let Some(completer) = shells.completer(shell.name()) else {
        eprintln!("copyjobs: no completions for {}", shell.name());
        return ExitCode::from(2);
    };
    let argv0 = std::env::args_os()
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("copyjobs"));
    let program = if argv0.components().count() > 1 {
        std::env::current_dir()
            .map(|d| d.join(&argv0))
            .unwrap_or(argv0)
    } else {
        argv0
    };
    let mut out = Vec::new();
    let written = completer.write_registration(
        VAR,
        "copyjobs",
        "copyjobs",
        &program.to_string_lossy(),
        &mut out,
    );
    super::headless::io_exit(written.and_then(|()| {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&out).and_then(|()| stdout.flush())
    }))
}

/// `copyjobs man`: one page on stdout (the program's, or `copyjobs man
/// VERB`'s), or with `--dir` every page (`copyjobs.1`, `copyjobs-list.1`…)
/// written there.
pub fn man(dir: Option<&Path>, verb: Option<&str>) -> ExitCode {
    let command = crate::cli::Cli::command().disable_help_subcommand(true);
    if let Some(dir) = dir {
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| pages(command, dir))
            .map(|n| println!("{n} man pages written to {}", dir.display()));
        return match written {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!(
                    "copyjobs: cannot write the man pages to {}: {e}",
                    dir.display()
                );
                ExitCode::from(1)
            }
        };
    }
    let mut command = command;
    command.build();
    let page = match verb {
        None => command,
        Some(v) => match command.find_subcommand(v) {
            Some(sub) => named(sub),
            None => {
                let verbs: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                eprintln!(
                    "copyjobs: no verb '{}' (verbs: {})",
                    crate::domain::query::echo(v),
                    verbs.join(", ")
                );
                return ExitCode::from(2);
            }
        },
    };
    let mut out = Vec::new();
    let rendered = clap_mangen::Man::new(page).render(&mut out);
    super::headless::io_exit(rendered.and_then(|()| {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&out).and_then(|()| stdout.flush())
    }))
}

/// A verb's page is `copyjobs-VERB`, as man and `git help` name them.
fn named(sub: &clap::Command) -> clap::Command {
    sub.clone()
        .display_name(format!("copyjobs-{}", sub.get_name()))
        .bin_name(format!("copyjobs {}", sub.get_name()))
}

/// Every page, the program's and one per visible verb; returns how many.
fn pages(mut command: clap::Command, dir: &Path) -> std::io::Result<usize> {
    command.build();
    let mut count = 0;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        clap_mangen::Man::new(named(sub)).generate_to(dir)?;
        count += 1;
    }
    clap_mangen::Man::new(command).generate_to(dir)?;
    Ok(count + 1)
}
