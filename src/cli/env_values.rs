//! A bad value read from the environment, named as the environment's.
//!
//! clap reads `COPYJOBS_REFRESH` and friends for a flag and, when the value
//! is bad, blames the flag (`invalid value 'abc' for '--refresh <SECONDS>'`)
//! even when nothing was typed and the verb has no such flag. The person
//! must be told which variable to fix.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::ffi::OsString;

/// `err` as is, unless its value came from an environment variable (the
/// flag is not on the command line and the argument reads one): then a
/// message that names the variable first.
pub fn name_the_variable(err: clap::Error, args: &[OsString], cmd: &clap::Command) -> clap::Error {
    if !matches!(
        err.kind(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation
    ) {
        return err;
    }
    let Some(ContextValue::String(shown)) = err.get(ContextKind::InvalidArg) else {
        return err;
    };
    let long = shown.split(' ').next().unwrap_or_default();
    let Some(var) = env_of(cmd, long.trim_start_matches("--")) else {
        return err;
    };
    let typed = args.iter().any(|a| {
        let a = a.to_string_lossy();
        a == long || a.starts_with(&format!("{long}="))
    });
    if typed {
        return err;
    }
    let value = std::env::var_os(&var).unwrap_or_default();
    let why = std::error::Error::source(&err)
        .map(|e| format!(": {e}"))
        .unwrap_or_default();
    clap::Error::raw(
        err.kind(),
        format!(
            "invalid value '{}' in the environment variable {var} (it sets {shown}){why}\n",
            value.to_string_lossy()
        ),
    )
    .with_cmd(cmd)
}

/// The environment variable behind the flag `--long`, in `cmd` or any of its verbs.
fn env_of(cmd: &clap::Command, long: &str) -> Option<String> {
    cmd.get_arguments()
        .find(|a| a.get_long() == Some(long))
        .and_then(|a| a.get_env())
        .map(|v| v.to_string_lossy().into_owned())
        .or_else(|| cmd.get_subcommands().find_map(|c| env_of(c, long)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, Command};

    fn cmd() -> Command {
        Command::new("t")
            .arg(
                Arg::new("refresh")
                    .long("refresh")
                    .value_name("SECONDS")
                    .env("T_ENV_VALUES_NEVER_SET")
                    .value_parser(clap::value_parser!(u32)),
            )
            .subcommand(Command::new("list"))
    }

    #[test]
    fn a_typed_value_keeps_clap_s_message() {
        let args: Vec<OsString> = ["t", "--refresh", "abc"].map(OsString::from).to_vec();
        let err = cmd().try_get_matches_from(&args).unwrap_err();
        let text = name_the_variable(err, &args, &cmd()).to_string();
        assert!(text.contains("for '--refresh <SECONDS>'"), "{text}");
        assert!(!text.contains("T_ENV_VALUES_NEVER_SET"), "{text}");
    }

    #[test]
    fn the_variable_is_found_behind_its_flag() {
        assert_eq!(
            env_of(&cmd(), "refresh").as_deref(),
            Some("T_ENV_VALUES_NEVER_SET")
        );
        assert_eq!(env_of(&cmd(), "page-size"), None);
    }
}
