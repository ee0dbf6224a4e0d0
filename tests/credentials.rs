//! Credentials that expire mid-session, through the real SDK against the
//! local endpoint: the dashboard keeps its rows, says how stale they are and
//! what to run, retries on its own, and clears the banner once they work.
//!
//! `update` is driven as the app's loop drives it; each `Watch` effect is
//! carried out with the SDK client the app would build, over loopback HTTP.

mod support;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use copyjobs::app::msg::Msg;
use copyjobs::app::{Settings, State};
use copyjobs::aws;
use copyjobs::dashboard::update;
use copyjobs::domain::query::Filter;
use copyjobs::watch::SourceSpec;

const NOW_MS: i64 = 1_748_779_200_000;

fn t0() -> DateTime<Utc> {
    Utc.timestamp_millis_opt(NOW_MS).unwrap()
}

fn status_line(state: &State) -> String {
    let mut state = state.clone();
    let text = support::render(&mut state, 160, 24).backend().to_string();
    text.lines().last().unwrap().to_string()
}

#[tokio::test]
async fn expired_credentials_keep_the_rows_say_so_and_recover_by_themselves() {
    let server = support::endpoint(150, 5, NOW_MS, false).await;
    let target = support::demo_target_in(&server, "us-east-1");
    let client = aws::connect(&target).await.client;
    let mut settings = Settings::new("test", target, FixedOffset::east_opt(0).unwrap());
    settings.sources = vec![SourceSpec {
        profile: Some("ml-prod".into()),
        region: Some("us-east-1".into()),
        account: None,
    }];
    let mut state = State::new(settings, Filter::default(), t0());
    let fx = update(&mut state, Msg::Start(t0()));
    support::settle(&mut state, &client, fx).await;
    let rows = state.view.len();
    assert_eq!(state.engine.rows().len(), 100, "the first page");
    assert!(rows >= 99, "shown but for its last instant: {rows}");
    assert!(!status_line(&state).contains('✘'));

    // The session's token runs out: the next refresh is refused.
    server.emulator.set_credentials_expired(true);
    let at = t0() + Duration::seconds(10);
    let fx = update(&mut state, Msg::Tick(at));
    assert!(!fx.is_empty(), "the refresh is due");
    support::settle(&mut state, &client, fx).await;
    let source = &state.engine.sources()[0];
    assert_eq!(
        source.error.as_ref().map(|e| e.error.kind),
        Some(aws::ErrorKind::Credentials)
    );
    assert_eq!(state.view.len(), rows, "every row kept");
    let line = status_line(&state);
    assert!(
        line.contains(
            "stale since 12:00 — credentials expired: run `aws sso login --profile ml-prod`"
        ),
        "{line}"
    );
    assert!(line.contains("retry at"), "{line}");

    // Still expired at the retry: it backs off further, rows still there.
    let retry = source.next_refresh.unwrap();
    let fx = update(&mut state, Msg::Tick(retry));
    support::settle(&mut state, &client, fx).await;
    let source = &state.engine.sources()[0];
    assert_eq!(source.error.as_ref().unwrap().failures, 2);
    assert!(
        source.next_refresh.unwrap() - retry > Duration::seconds(10),
        "backing off"
    );

    // `aws sso login` done: the next try works and the banner goes.
    server.emulator.set_credentials_expired(false);
    let again = source.next_refresh.unwrap();
    let fx = update(&mut state, Msg::Tick(again));
    support::settle(&mut state, &client, fx).await;
    assert!(state.engine.sources()[0].error.is_none());
    assert_eq!(state.view.len(), rows);
    assert!(
        !status_line(&state).contains("stale"),
        "{}",
        status_line(&state)
    );
    server.shutdown().await;
}

/// A temporary `~/.aws` with two profiles of different keys.
fn aws_home(name: &str) -> std::path::PathBuf {
    let home = std::env::temp_dir().join(format!("copyjobs-creds-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(
        home.join(".aws/credentials"),
        "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devsecret\n\n\
         [prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = prodsecret\n",
    )
    .unwrap();
    std::fs::write(
        home.join(".aws/config"),
        "[profile dev]\nregion = us-east-1\n\n[profile prod]\nregion = us-east-1\n",
    )
    .unwrap();
    home
}

/// The binary with `home` as its home and other keys in the environment.
fn with_home(
    home: &std::path::Path,
    server: &copyjobs::emulator::Server,
    args: &[&str],
) -> std::process::Output {
    in_home(home, server, args)
        .env("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT")
        .env("AWS_SECRET_ACCESS_KEY", "environmentsecret")
        .output()
        .unwrap()
}

/// The binary with `home` as its home, and no keys, profile, region or
/// copyjobs config of this machine's.
fn in_home(
    home: &std::path::Path,
    server: &copyjobs::emulator::Server,
    args: &[&str],
) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_copyjobs"));
    c.args(args)
        .args(["--endpoint-url", &server.url()])
        .env("HOME", home)
        .env("AWS_CONFIG_FILE", home.join(".aws/config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join(".aws/credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_MAX_ATTEMPTS")
        .env("XDG_CONFIG_HOME", home.join("xdg"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env_remove("COPYJOBS_CONFIG")
        .stdin(std::process::Stdio::null());
    c
}

/// An endpoint that checks signatures against these keys only.
async fn checking_keys(akid: &str, secret: &str) -> copyjobs::emulator::Server {
    use copyjobs::emulator::EmulatorOptions;
    support::start(EmulatorOptions {
        jobs: 50,
        seed: 3,
        frozen: true,
        arrival_rate: 0.0,
        now: Some(NOW_MS),
        regions: vec!["us-east-1".into()],
        credentials: Some((akid.into(), secret.into())),
        ..EmulatorOptions::default()
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_named_profile_signs_with_its_own_keys_not_the_environments() {
    let server = checking_keys("AKIDDEV", "devsecret").await;
    let home = aws_home("profile");
    let out = with_home(&home, &server, &["list", "--profile", "dev", "-o", "jsonl"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "dev's keys were used: {err}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 50);

    // Two profiles are two identities: prod's keys are not dev's, and the
    // endpoint (which knows only dev's) refuses prod alone.
    let out = with_home(
        &home,
        &server,
        &["list", "--profiles", "dev,prod", "-o", "jsonl"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("UnrecognizedClientException"),
        "prod signed with its own, unknown, keys: {err}"
    );

    // AWS_PROFILE alone keeps the default chain, environment keys first, as
    // the AWS CLI does: those keys are not dev's.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_copyjobs"))
        .args([
            "get",
            "arn:aws:bedrock:us-east-1:123456789012:model-copy-job/aaaaaaaaaaaa",
        ])
        .args(["--endpoint-url", &server.url()])
        .env("HOME", &home)
        .env("AWS_CONFIG_FILE", home.join(".aws/config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join(".aws/credentials"))
        .env("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT")
        .env("AWS_SECRET_ACCESS_KEY", "environmentsecret")
        .env("AWS_PROFILE", "dev")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("XDG_CONFIG_HOME", home.join("xdg"))
        .env("XDG_STATE_HOME", home.join("state"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("UnrecognizedClientException"), "{err}");
    let _ = std::fs::remove_dir_all(&home);
}

/// A `~/.aws` as `aws sso login` leaves it, but for a token that ran out
/// yesterday, and a profile with a session token: what aws-config reads.
fn expiring_home(name: &str) -> std::path::PathBuf {
    let home = aws_home(name);
    let mut config = std::fs::read_to_string(home.join(".aws/config")).unwrap();
    config.push_str(
        "\n[profile sso-dev]\nsso_session = corp\nsso_account_id = 123456789012\n\
         sso_role_name = Admin\nregion = us-east-1\n\n[sso-session corp]\n\
         sso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n\
         sso_registration_scopes = sso:account:access\n\n\
         [profile session]\nregion = us-east-1\n",
    );
    std::fs::write(home.join(".aws/config"), config).unwrap();
    let mut creds = std::fs::read_to_string(home.join(".aws/credentials")).unwrap();
    creds.push_str(
        "\n[session]\naws_access_key_id = ASIASESSION\naws_secret_access_key = sessionsecret\n\
         aws_session_token = FwoGZXIvYXdzEXAMPLE\n",
    );
    std::fs::write(home.join(".aws/credentials"), creds).unwrap();
    // The SDK names the cache file after the SHA-1 of the session's name
    // (`printf corp | sha1sum`).
    let cache = home.join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(
        cache.join("ee0bfd2552fbd840c02cc48b6e823320543c450f.json"),
        r#"{"accessToken":"expired-token","expiresAt":"2025-05-31T12:00:00Z","region":"us-east-1","startUrl":"https://example.awsapps.com/start"}"#,
    )
    .unwrap();
    home
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_sso_session_read_by_aws_config_says_which_login_to_run() {
    let server = checking_keys("AKIDDEV", "devsecret").await;
    let home = expiring_home("sso");
    let home_s = home.to_string_lossy().to_string();
    let config = home.join(".aws/config").to_string_lossy().to_string();
    let creds = home.join(".aws/credentials").to_string_lossy().to_string();
    let url = server.url();
    let env = [
        ("HOME", home_s.as_str()),
        ("AWS_CONFIG_FILE", config.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", creds.as_str()),
        ("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT"),
        ("AWS_SECRET_ACCESS_KEY", "environmentsecret"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let session = support::pty::Session::start(
        &["--profile", "sso-dev", "--endpoint-url", &url, "--fresh"],
        (120, 30),
        &home.join("state"),
        &env,
    );
    session.screen.wait_for("the banner", |t| {
        t.contains("credentials expired: run `aws sso login --profile sso-dev`")
    });
    session.quit();
    assert_eq!(server.emulator.requests_total(), 0, "nothing was sent");

    // A session token the service says has expired, mid-session: the rows
    // stay, the banner says since when and what to run; renewed, it goes.
    let server = checking_keys("ASIASESSION", "sessionsecret").await;
    let url = server.url();
    let session = support::pty::Session::start(
        &[
            "--profile",
            "session",
            "--endpoint-url",
            &url,
            "--fresh",
            "--refresh",
            "1",
        ],
        (120, 30),
        &home.join("state"),
        &env,
    );
    session
        .screen
        .wait_for("the rows", |t| t.contains("50 loaded"));
    server.emulator.set_credentials_expired(true);
    let text = session.screen.wait_for("the banner", |t| {
        // Temporary keys: no login renews them, new keys do.
        t.contains("credentials expired: the session token of profile session expired")
            && t.contains("stale since")
    });
    assert!(text.contains("50 loaded"), "every row kept:\n{text}");
    server.emulator.set_credentials_expired(false);
    session.screen.wait_for("the banner gone", |t| {
        !t.contains("stale since") && t.contains("50 loaded")
    });
    session.quit();
    let _ = std::fs::remove_dir_all(&home);
}

/// The binary with `home` as its home and `env` added.
fn run_in(
    home: &std::path::Path,
    server: &copyjobs::emulator::Server,
    args: &[&str],
    env: &[(&str, &str)],
) -> (i32, String) {
    let mut c = in_home(home, server, args);
    c.args(["--region", "us-east-1"]);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// What to do when credentials stop working depends on where they come
/// from, read from the same files aws-config reads: one case per kind.
#[tokio::test(flavor = "multi_thread")]
async fn the_advice_fits_the_kind_of_credentials() {
    let server = support::endpoint(20, 5, NOW_MS, false).await;
    let home = expiring_home("kinds");
    let helper = home.join("helper.sh");
    std::fs::write(
        &helper,
        "#!/bin/sh\necho 'helper: the vault refused: token revoked' >&2\necho 'second line' >&2\nexit 1\n",
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut config = std::fs::read_to_string(home.join(".aws/config")).unwrap();
    config.push_str(&format!(
        "\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = sso-dev\nregion = us-east-1\n\n\
         [profile vault]\ncredential_process = {}\nregion = us-east-1\n",
        helper.display()
    ));
    std::fs::write(home.join(".aws/config"), config).unwrap();
    let list = |profile: &'static str| vec!["list", "--profile", profile, "-o", "jsonl"];
    let env_keys = [
        ("AWS_ACCESS_KEY_ID", "ASIAENV"),
        ("AWS_SECRET_ACCESS_KEY", "envsecret"),
        ("AWS_SESSION_TOKEN", "FwoGZXIvYXdzENV"),
    ];
    // (what is run, its environment, the advice, whether an SSO login is
    // the right advice), each refused with exit 4.
    type Case<'a> = (Vec<&'a str>, &'a [(&'a str, &'a str)], &'a str, bool);
    let before_sending: [Case; 3] = [
        // SSO: the login that renews it.
        (
            list("sso-dev"),
            &[],
            "run `aws sso login --profile sso-dev`",
            true,
        ),
        // A role: what its source profile needs.
        (
            list("admin"),
            &[],
            "profile admin assumes its role with the credentials of profile sso-dev: run `aws sso login --profile sso-dev`",
            true,
        ),
        // A credential_process: it failed, in its own words (the first line).
        (
            list("vault"),
            &[],
            "the credential_process of profile vault failed, it said: helper: the vault refused: token revoked",
            false,
        ),
    ];
    // Temporary keys the service says expired: new keys, not a login; in a
    // profile or in the environment.
    let expired: [Case; 2] = [
        (
            list("session"),
            &[],
            "the session token of profile session expired",
            false,
        ),
        (
            vec!["list", "-o", "jsonl"],
            &env_keys,
            "the session token (AWS_SESSION_TOKEN) expired",
            false,
        ),
    ];
    let check = |(args, env, advice, sso): &Case| {
        let (code, err) = run_in(&home, &server, args, env);
        assert_eq!(code, 4, "{err}");
        assert!(err.contains(advice), "want {advice:?} in: {err}");
        assert_eq!(err.contains("sso login"), *sso, "{err}");
        err
    };
    for case in &before_sending {
        check(case);
    }
    assert_eq!(server.emulator.requests_total(), 0, "nothing was sent");
    server.emulator.set_credentials_expired(true);
    for case in &expired {
        assert!(check(case).contains("ExpiredTokenException"));
    }
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&home);
}
