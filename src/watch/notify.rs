//! Telling the user a job changed without them staring at the screen: the
//! terminal bell, a desktop notification through the terminal (OSC 9 and
//! OSC 777, passed through tmux), and a hook command.
//!
//! The hook is run without a shell: its words are split once, as a shell
//! would, when the flag is read, and nothing from the job is ever put into
//! them. The job reaches it as the API's JSON on stdin and in a few
//! environment variables.

use super::engine::Event;
use crate::output::export::job_json;
use crate::output::sanitize::clean;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// How long a hook may run before it is killed: a stuck hook must not pile
/// up processes over a day of watching.
pub const HOOK_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notify {
    pub bell: bool,
    pub desktop: bool,
    /// The hook's program and arguments.
    pub on_change: Option<Vec<String>>,
}

impl Notify {
    pub fn any(&self) -> bool {
        self.bell || self.desktop || self.on_change.is_some()
    }
}

/// `--on-change 'CMD ARGS…'`: split as a shell splits words (quotes,
/// backslashes), never expanded or interpolated.
pub fn parse_hook(text: &str) -> Result<Vec<String>, String> {
    let words = shell_words::split(text).map_err(|e| {
        format!(
            "--on-change: cannot split '{}' into words: {e}",
            clean(text)
        )
    })?;
    if words.is_empty() {
        return Err("--on-change: give a command, such as 'notify-send copyjobs'".into());
    }
    Ok(words)
}

/// One line a person reads: "fraud-detector-use1 InProgress → Failed (us-east-1)".
pub fn summary(ev: &Event) -> String {
    let change = match &ev.from {
        Some(f) => format!("{} → {}", f.as_str(), ev.job.status.as_str()),
        None => format!("new, {}", ev.job.status.as_str()),
    };
    let region = ev.job.region();
    clean(&format!("{} {change} ({region})", ev.job.display_name())).into_owned()
}

/// What to write to the terminal for `ev`: a bell and/or a desktop
/// notification. OSC 9 is understood by iTerm2, WezTerm, kitty, Windows
/// Terminal; OSC 777 by rxvt-unicode, foot and GNOME's VTE: both are sent,
/// since a terminal ignores the one it does not know. Inside tmux each is
/// wrapped for passthrough.
pub fn terminal_bytes(ev: &Event, n: &Notify, inside_tmux: bool) -> String {
    let mut out = String::new();
    if n.desktop {
        // The text must not end the sequence early: no BEL, ESC or ';'
        // surprises; `clean` already removed control characters.
        let body = summary(ev).replace(['\u{7}', '\u{1b}'], "");
        for seq in [
            format!("\u{1b}]9;copyjobs: {body}\u{7}"),
            format!("\u{1b}]777;notify;copyjobs;{}\u{7}", body.replace(';', ",")),
        ] {
            out.push_str(&tmux_wrap(&seq, inside_tmux));
        }
    }
    if n.bell {
        out.push('\u{7}');
    }
    out
}

/// tmux passes a sequence to the outer terminal when it is wrapped in
/// `ESC P tmux; … ESC \` with every ESC inside doubled (and
/// `allow-passthrough on`).
fn tmux_wrap(seq: &str, inside_tmux: bool) -> String {
    if inside_tmux {
        format!(
            "\u{1b}Ptmux;{}\u{1b}\\",
            seq.replace('\u{1b}', "\u{1b}\u{1b}")
        )
    } else {
        seq.to_string()
    }
}

/// The hook's environment, besides what it inherits.
pub fn hook_env(ev: &Event) -> Vec<(&'static str, String)> {
    vec![
        ("COPYJOBS_STATUS", ev.job.status.as_str().to_string()),
        ("COPYJOBS_JOB_ARN", ev.job.job_arn.clone()),
        ("COPYJOBS_REGION", ev.job.region().to_string()),
        (
            "COPYJOBS_PREVIOUS_STATUS",
            ev.from.as_ref().map_or("", |s| s.as_str()).to_string(),
        ),
    ]
}

/// Runs the hook for one event: the job's JSON on stdin, the variables in
/// its environment, output discarded, killed after `timeout`. Errors are
/// returned to be logged; they are never fatal to the watcher.
pub async fn run_hook(argv: &[String], ev: &Event, timeout: Duration) -> Result<(), String> {
    let (program, args) = argv.split_first().ok_or("empty hook command")?;
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args)
        .envs(hook_env(ev))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run hook '{}': {e}", clean(program)))?;
    let json = serde_json::to_vec(&job_json(&ev.job)).unwrap_or_default();
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input is not an error.
        let _ = stdin.write_all(&json).await;
        let _ = stdin.shutdown().await;
    }
    match tokio::time::timeout(timeout, child.wait()).await {
        Err(_) => {
            let _ = child.kill().await;
            Err(format!(
                "hook '{}' still running after {}s: killed",
                clean(program),
                timeout.as_secs()
            ))
        }
        Ok(Err(e)) => Err(format!("hook '{}': {e}", clean(program))),
        Ok(Ok(status)) if status.success() => Ok(()),
        Ok(Ok(status)) => Err(format!("hook '{}' exited with {status}", clean(program))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::job::{CopyJob, Status};
    use crate::watch::SourceId;

    fn event() -> Event {
        Event {
            job: CopyJob {
                job_arn: "arn:aws:bedrock:eu-central-1:123456789012:model-copy-job/abcdefabcdef"
                    .into(),
                status: Status::Failed,
                created: chrono::DateTime::UNIX_EPOCH,
                target_model_arn: "arn:aws:bedrock:eu-central-1:123456789012:custom-model/x/y"
                    .into(),
                target_model_name: Some("fraud;model\u{1b}[31m".into()),
                source_account_id: "123456789012".into(),
                source_model_arn: "arn:aws:bedrock:us-east-1::foundation-model/m".into(),
                source_model_name: None,
                kms_key_arn: None,
                tags: vec![],
                failure_message: Some("KMS key not found".into()),
            },
            source: SourceId(0),
            from: Some(Status::InProgress),
            pinned: false,
            last_seen: None,
        }
    }

    #[test]
    fn hooks_are_split_like_a_shell_and_never_run_by_one() {
        assert_eq!(
            parse_hook("notify-send 'copy done' \"$HOME\"").unwrap(),
            vec!["notify-send", "copy done", "$HOME"]
        );
        assert!(parse_hook("").is_err());
        assert!(parse_hook("unclosed 'quote").is_err());
    }

    #[test]
    fn osc_sequences_carry_a_clean_summary_and_pass_through_tmux() {
        let n = Notify {
            bell: true,
            desktop: true,
            on_change: None,
        };
        let plain = terminal_bytes(&event(), &n, false);
        assert!(plain.starts_with("\u{1b}]9;copyjobs: fraud;model"));
        assert!(plain.contains("InProgress → Failed (eu-central-1)\u{7}"));
        assert!(plain.contains("\u{1b}]777;notify;copyjobs;fraud,model"));
        assert!(plain.ends_with('\u{7}'));
        // The escape sequence in the model's name is shown, not obeyed.
        assert!(!plain.contains("\u{1b}[31m"));
        let tmux = terminal_bytes(&event(), &n, true);
        assert!(tmux.starts_with("\u{1b}Ptmux;\u{1b}\u{1b}]9;"));
        assert!(tmux.contains("\u{1b}\\"));
        let bell_only = terminal_bytes(
            &event(),
            &Notify {
                bell: true,
                ..Notify::default()
            },
            false,
        );
        assert_eq!(bell_only, "\u{7}");
    }

    #[tokio::test]
    async fn the_hook_gets_the_job_on_stdin_and_in_its_environment() {
        let dir = std::env::temp_dir().join(format!("copyjobs-hook-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("out");
        // `sh -c` here is the test's own hook program, given its script as
        // an argument: copyjobs itself runs `sh` directly, without a shell.
        let script = format!(
            "cat > '{0}.json'; printf '%s|%s|%s|%s' \"$COPYJOBS_STATUS\" \"$COPYJOBS_JOB_ARN\" \"$COPYJOBS_REGION\" \"$1\" > '{0}'",
            out.display()
        );
        let argv = vec![
            "sh".to_string(),
            "-c".to_string(),
            script,
            "hook".to_string(),
            "$(touch /tmp/never)".to_string(),
        ];
        run_hook(&argv, &event(), HOOK_TIMEOUT).await.unwrap();
        let env = std::fs::read_to_string(&out).unwrap();
        assert_eq!(
            env,
            "Failed|arn:aws:bedrock:eu-central-1:123456789012:model-copy-job/abcdefabcdef|eu-central-1|$(touch /tmp/never)"
        );
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("out.json")).unwrap()).unwrap();
        assert_eq!(json["status"], "Failed");
        assert_eq!(json["failureMessage"], "KMS key not found");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_failing_or_stuck_hook_is_reported_not_fatal() {
        let e = run_hook(&["false".to_string()], &event(), HOOK_TIMEOUT)
            .await
            .unwrap_err();
        assert!(e.contains("exited with"), "{e}");
        let e = run_hook(
            &["sleep".to_string(), "10".to_string()],
            &event(),
            Duration::from_millis(50),
        )
        .await
        .unwrap_err();
        assert!(e.contains("killed"), "{e}");
        let e = run_hook(&["/nonexistent/hook".to_string()], &event(), HOOK_TIMEOUT)
            .await
            .unwrap_err();
        assert!(e.contains("cannot run hook"), "{e}");
    }
}
