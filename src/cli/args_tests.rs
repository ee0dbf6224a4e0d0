use super::*;

#[test]
fn spans() {
    assert_eq!(span("90s"), Ok(std::time::Duration::from_secs(90)));
    assert_eq!(span("2h"), Ok(std::time::Duration::from_secs(7200)));
    assert_eq!(span("1.5m"), Ok(std::time::Duration::from_secs(90)));
    assert_eq!(span("45"), Ok(std::time::Duration::from_secs(45)));
    assert!(span("5x").unwrap_err().contains("use 90s, 30m, 2h or 1d"));
    assert!(span("").is_err());
}

#[test]
fn regions_and_profiles_make_every_pair() {
    let cli = Cli::try_parse_from([
        "copyjobs",
        "list",
        "--regions",
        "us-east-1,eu-central-1",
        "--profiles",
        "a,b",
    ])
    .unwrap();
    let Some(Command::List(args)) = cli.command else {
        panic!("list")
    };
    let sources = args.connect.sources();
    assert_eq!(sources.len(), 4);
    assert_eq!(sources[1].to_string(), "a/eu-central-1");
    assert!(Cli::try_parse_from(["copyjobs", "list", "--regions", "US-EAST-1"]).is_err());
    assert!(
        Cli::try_parse_from([
            "copyjobs",
            "list",
            "--region",
            "us-east-1",
            "--regions",
            "eu-west-1"
        ])
        .is_err()
    );
}

#[test]
fn global_flags_work_before_the_verb() {
    let parse = |words: &[&str]| {
        let args = words.iter().map(std::ffi::OsString::from).collect();
        Cli::try_parse_from(hoist_globals(args))
    };
    let cli = parse(&["copyjobs", "--config", "x.toml", "config", "--check"]).unwrap();
    assert_eq!(cli.config.as_deref(), Some(std::path::Path::new("x.toml")));
    assert!(matches!(
        cli.command,
        Some(Command::Config { check: true, .. })
    ));
    let cli = parse(&["copyjobs", "-vv", "--config=y.toml", "list", "-o", "json"]).unwrap();
    assert_eq!(cli.verbose, 2);
    assert_eq!(cli.config.as_deref(), Some(std::path::Path::new("y.toml")));
    assert!(matches!(cli.command, Some(Command::List(_))));
    // A file named like a verb is still the file.
    let cli = parse(&["copyjobs", "--config", "list", "get", "arn"]).unwrap();
    assert_eq!(cli.config.as_deref(), Some(std::path::Path::new("list")));
    assert!(matches!(cli.command, Some(Command::Get(_))));
    // After the verb, as before; and the dashboard's own flags still
    // may not precede a verb.
    assert!(parse(&["copyjobs", "config", "--config", "x.toml", "--check"]).is_ok());
    assert!(parse(&["copyjobs", "--config", "x.toml"]).is_ok());
    assert!(parse(&["copyjobs", "--region", "us-east-1", "list"]).is_err());
    assert!(
        parse(&[
            "copyjobs",
            "--config",
            "x.toml",
            "--region",
            "us-east-1",
            "list"
        ])
        .is_err()
    );
}

/// Every variable a hook gets is in `--on-change`'s help and the
/// documented config.
#[test]
fn every_hook_variable_is_documented() {
    use crate::domain::job::{CopyJob, Status};
    use clap::CommandFactory;
    let job = CopyJob {
        job_arn: "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/abcdefabcdef".into(),
        status: Status::Failed,
        created: chrono::DateTime::UNIX_EPOCH,
        target_model_arn: "arn:aws:bedrock:us-east-1:111122223333:custom-model/x/y".into(),
        target_model_name: None,
        source_account_id: "111122223333".into(),
        source_model_arn: "arn:aws:bedrock:us-west-2:111122223333:custom-model/x/z".into(),
        source_model_name: None,
        kms_key_arn: None,
        tags: Vec::new(),
        failure_message: None,
    };
    let event = crate::watch::Event {
        job,
        source: crate::watch::SourceId(0),
        from: Some(Status::InProgress),
        pinned: false,
        last_seen: None,
    };
    let mut command = Cli::command();
    let watch = command
        .find_subcommand_mut("watch")
        .expect("watch")
        .render_long_help()
        .to_string();
    let help = watch.split("--on-change").nth(1).expect("the flag's help");
    for (name, _) in crate::watch::notify::hook_env(&event) {
        assert!(help.contains(name), "--on-change's help leaves out {name}");
        assert!(
            crate::config::DEFAULT_TOML.contains(name),
            "assets/config.toml leaves out {name}"
        );
    }
}

#[test]
fn the_command_line_is_consistent() {
    use clap::CommandFactory;
    Cli::command().debug_assert();
}
