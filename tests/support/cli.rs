//! The built binary as the headless tests run it: away from this machine's
//! AWS and copyjobs configuration, views and records, in UTC.

use std::process::Stdio;
use std::time::Duration;
use tokio::process::Command;

/// The binary with these arguments alone.
pub fn isolated(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_copyjobs"));
    c.args(args);
    isolate(c)
}

/// As [`isolated`], started by `sh -c SCRIPT` (a umask, say: the test
/// process's own cannot be set without `unsafe`), which then becomes it.
pub fn isolated_after(script: &str, args: &[&str]) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!("{script} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_copyjobs"))
        .args(args);
    isolate(c)
}

/// Away from this machine's AWS and copyjobs configuration, views and
/// records, in UTC: whatever runs the binary (`sh`, `setpriv`).
pub fn isolate(mut c: Command) -> Command {
    c.env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_CONFIG_FILE", "/nonexistent/config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_MAX_ATTEMPTS")
        // Nor this machine's copyjobs config, views or records.
        .env("XDG_CONFIG_HOME", "/nonexistent/xdg")
        .env(
            "XDG_STATE_HOME",
            std::env::temp_dir().join(format!("copyjobs-state-{}", std::process::id())),
        )
        .env_remove("COPYJOBS_CONFIG")
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .kill_on_drop(true);
    c
}

/// Runs it to its end (a minute at most): the exit code, stdout, stderr.
pub async fn finish(mut command: Command) -> (i32, String, String) {
    let out = tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("finished")
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// A config file of a test's own, in a fresh directory named after `name`.
pub fn config_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("copyjobs-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}
