//! End to end: the built binary's `demo` in a pseudo-terminal, read back
//! through a VT100 parser, driven as a user would.

mod support;

use copyjobs::emulator::{Emulator, EmulatorOptions, api};
use std::time::{Duration, Instant};
use support::pty::Session;

const NOW: &str = "2025-06-01T12:00:00Z";
const ARGS: &[&str] = &[
    "demo",
    "--frozen",
    "--now",
    NOW,
    "--seed",
    "7",
    "--jobs",
    "400",
    "--arrival-rate",
    "0",
];

/// The failure message the endpoint gives the newest failed job, asked of the
/// same data set in-process, so the test knows what the screen must show.
fn newest_failure() -> String {
    let now = chrono::DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .timestamp_millis();
    let emu = Emulator::new(EmulatorOptions {
        jobs: 400,
        seed: 7,
        frozen: true,
        arrival_rate: 0.0,
        now: Some(now),
        ..Default::default()
    });
    let (_, body) = api::list(&emu, "us-east-1", "statusEquals=Failed&maxResults=1").unwrap();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    v["modelCopyJobSummaries"][0]["failureMessage"]
        .as_str()
        .unwrap()
        .to_string()
}

fn unique() -> usize {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The binary in a 100×40 pseudo-terminal, a state directory of its own.
fn start(args: &[&str]) -> Session {
    start_in(
        args,
        &std::env::temp_dir().join(format!("copyjobs-e2e-{}-{}", std::process::id(), unique())),
    )
}

/// With `state` as the state directory, where views are remembered.
fn start_in(args: &[&str], state: &std::path::Path) -> Session {
    start_with(args, state, &[])
}

/// … and these variables in its environment.
fn start_with(args: &[&str], state: &std::path::Path, env: &[(&str, &str)]) -> Session {
    Session::start(args, (100, 40), state, env)
}

#[test]
fn demo_filter_failed_open_detail_and_quit() {
    let mut session = start(ARGS);

    session.screen.wait_for("the first page", |t| {
        t.contains("100 loaded")
            && t.contains("◐ InProgress")
            && t.contains("us-east-1 · demo · http://127.0.0.1:")
    });
    session.send("sss");
    session.screen.wait_for(
        "the Failed filter applied, and only failed jobs shown",
        |t| {
            t.contains("status=Failed")
                && t.contains("✘ Failed")
                && !t.contains("◐ InProgress")
                && !t.contains("✔ Completed  ")
                && !t.contains("loading…")
        },
    );
    session.send("\r");
    let expected = newest_failure();
    // The message wraps inside the pane: compare without spaces and borders.
    let squash = |t: &str| {
        t.chars()
            .filter(|c| !c.is_whitespace() && *c != '│')
            .collect::<String>()
    };
    let want = squash(&expected);
    // One predicate for the whole frame: output arrives in chunks, and a
    // frame read halfway would show some of it.
    session
        .screen
        .wait_for("the failure message in the detail pane", |t| {
            t.contains("Failure") && squash(t).contains(&want) && t.contains("Enter/Esc closes")
        });
    session.quit();
}

#[test]
fn regions_merge_into_one_table_and_s_drops_a_denied_one() {
    let args = [
        ARGS,
        &[
            "--regions",
            "us-east-1,us-west-2,eu-central-1",
            "--deny-regions",
            "eu-central-1",
        ],
    ]
    .concat();
    let mut session = start(&args);
    let rows_in = |t: &str, region: &str| {
        t.lines()
            .skip(3)
            .filter(|l| l.contains(&format!(" {region} ")))
            .count()
    };
    session.screen.wait_for(
        "both regions' jobs in one table, the denied region marked",
        |t| {
            t.contains("copyjobs us-east-1 · us-west-2 · ✘ eu-central-1 ·")
                && t.contains("Region")
                && rows_in(t, "us-east-1") > 5
                && rows_in(t, "us-west-2") > 5
                && t.contains("✘ eu-central-1: AccessDeniedException: User: arn:aws:iam::")
        },
    );
    // The picker opens on the regions; the third is the denied one.
    session.send("S");
    session
        .screen
        .wait_for("the source picker", |t| t.contains("Add region:"));
    session.send("\u{1b}[B\u{1b}[B \r");
    session
        .screen
        .wait_for("the denied region gone, the others kept", |t| {
            t.contains("copyjobs us-east-1 · us-west-2 · demo ·")
                && !t.contains("eu-central-1")
                && t.contains("Sources: 2 (0 added, 1 removed)")
                && rows_in(t, "us-west-2") > 5
        });
    session.quit();
}

#[test]
fn the_last_view_comes_back_and_fresh_starts_clean() {
    let state = std::env::temp_dir().join(format!("copyjobs-e2e-views-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    let mut first = start_in(ARGS, &state);
    first
        .screen
        .wait_for("the first page", |t| t.contains("100 loaded"));
    // Failed, oldest first, the detail pane open: then quit.
    first.send("ssso\r");
    first.screen.wait_for("the view set", |t| {
        t.contains("status=Failed") && t.contains("oldest first") && t.contains("Enter/Esc closes")
    });
    first.quit();
    let second = start_in(ARGS, &state);
    second.screen.wait_for("the same view, restored", |t| {
        t.contains("status=Failed") && t.contains("oldest first") && t.contains("Enter/Esc closes")
    });
    second.quit();
    let fresh = [ARGS, &["--fresh", "--stats"]].concat();
    let third = start_in(&fresh, &state);
    third.screen.wait_for("no filter with --fresh", |t| {
        t.contains("filters  none") && t.contains("100 loaded")
    });
    let raw = third.screen.raw.clone();
    third.quit();
    // --stats: one line on the restored terminal, the first page's request in it.
    let deadline = Instant::now() + Duration::from_secs(10);
    let out = loop {
        let out = String::from_utf8_lossy(&raw.lock().unwrap()).to_string();
        if out.contains("peak memory") || Instant::now() > deadline {
            break out;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let line = out
        .lines()
        .find(|l| l.contains("copyjobs stats:"))
        .unwrap_or_else(|| panic!("a stats line: {out:?}"));
    assert!(line.contains("frames drawn (the first "), "{line}");
    assert!(line.contains("requests: ListModelCopyJobs "), "{line}");
    assert!(!line.contains("ListModelCopyJobs 0,"), "{line}");
    assert!(line.contains("peak memory "), "{line}");
    std::fs::remove_dir_all(&state).unwrap();
}

#[test]
fn a_pin_survives_a_restart_with_a_mark_that_needs_no_colour() {
    let state = std::env::temp_dir().join(format!("copyjobs-e2e-pins-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    let mut first = start_in(ARGS, &state);
    first
        .screen
        .wait_for("the first page", |t| t.contains("100 loaded"));
    // Pin the fifth row: it moves to the top with its mark.
    first.send("jjjjw");
    let screen = first
        .screen
        .wait_for("the pinned job", |t| t.contains("Pinned: kept at the top"));
    let name = screen
        .lines()
        .find_map(|l| l.split_once("⚑ ").map(|(_, rest)| rest))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("a pinned row: {screen}"))
        .to_string();
    first.quit();
    let second = start_with(ARGS, &state, &[("NO_COLOR", "1")]);
    second.screen.wait_for("the pin back, on top", |t| {
        t.lines()
            .nth(3)
            .is_some_and(|l| l.contains(&format!("⚑ {name}")))
    });
    second.quit();
    std::fs::remove_dir_all(&state).unwrap();
}

#[test]
fn a_crash_restores_the_terminal_and_points_at_the_log() {
    let state = std::env::temp_dir().join(format!("copyjobs-e2e-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    let s = start_with(ARGS, &state, &[("COPYJOBS_CRASH_TEST", "1")]);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut child = s.child;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "copyjobs did not exit after the panic"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.exit_code(), 101);
    let log = state.join("copyjobs/copyjobs.log");
    let want = format!("the log has the details: {}", log.display());
    let deadline = Instant::now() + Duration::from_secs(10);
    let out = loop {
        let out = String::from_utf8_lossy(&s.screen.raw.lock().unwrap()).to_string();
        if out.contains(&want) || Instant::now() > deadline {
            break out;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(
        out.contains("copyjobs crashed: the crash test asked for it"),
        "{out}"
    );
    assert!(out.contains(&want), "{out}");
    let left = out
        .rfind("\u{1b}[?1049l")
        .expect("left the alternate screen");
    assert!(left > out.find("\u{1b}[?1049h").unwrap());
    assert!(
        left < out.find("copyjobs crashed").unwrap(),
        "restored before the message"
    );
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("dashboard started"), "{logged}");
    assert!(
        logged.contains("crashed: the crash test asked for it"),
        "{logged}"
    );
    std::fs::remove_dir_all(&state).unwrap();
}

/// Closing the terminal under the dashboard (as `tmux kill-session` does:
/// the pty's master closed, so SIGHUP and a terminal that no longer takes
/// writes) ends it as quietly as q: exit 0, no crash in the log (it used to
/// log a panic from ratatui's drop failing to print), the view kept.
#[test]
fn a_closed_terminal_ends_the_dashboard_as_quietly_as_q() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let state = std::env::temp_dir().join(format!("copyjobs-e2e-hup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_copyjobs"));
    cmd.args(ARGS);
    cmd.env("TZ", "UTC");
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_CONFIG_HOME", "/nonexistent/xdg");
    cmd.env_remove("COPYJOBS_CONFIG");
    cmd.env("XDG_STATE_HOME", &state);
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    // Read until the first page shows, then stop reading: every copy of the
    // master must close for the terminal to be gone.
    let mut reader = pair.master.try_clone_reader().unwrap();
    let shown = std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if String::from_utf8_lossy(&seen).contains("loaded") {
                return true;
            }
        }
        false
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while !shown.is_finished() {
        assert!(Instant::now() < deadline, "the first page never showed");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(shown.join().unwrap(), "the first page showed");
    drop(pair.master);
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "copyjobs did not exit with its terminal closed"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let log = std::fs::read_to_string(state.join("copyjobs/copyjobs.log")).unwrap();
    assert!(!log.contains("crashed"), "{log}");
    assert!(!log.contains("panicked"), "{log}");
    assert!(log.contains("dashboard ended ok=true"), "{log}");
    assert_eq!(status.exit_code(), 0, "{log}");
    let views = std::fs::read_to_string(state.join("copyjobs/views.json")).expect("the view saved");
    assert!(views.contains("demo"), "{views}");
    std::fs::remove_dir_all(&state).unwrap();
}

#[test]
fn m_draws_the_matrix_and_t_the_charts_of_the_same_jobs() {
    let args = [ARGS, &["--regions", "us-east-1,us-west-2,eu-central-1"]].concat();
    let mut session = start(&args);
    session
        .screen
        .wait_for("the first page", |t| t.contains("loaded"));
    session.send("M");
    session
        .screen
        .wait_for("the matrix, every job of the window read", |t| {
            t.contains("where each model is ·")
                && t.contains("source models ·")
                && t.contains("us-east-1")
                && t.contains("eu-central-1")
                && t.contains("MODEL")
                && (t.contains('✔') || t.contains('✘'))
                && t.contains(" → us-east-1: ")
        });
    session.send("T");
    session.screen.wait_for("the charts", |t| {
        t.contains("the activity ·")
            && (t.contains("copies a day") || t.contains("copies per "))
            && t.contains("copies by region")
            && t.contains("█ completed")
    });
    session.send("\u{1b}");
    session
        .screen
        .wait_for("the table again", |t| !t.contains("the activity ·"));
    session.quit();
}

/// A service that lists by ARN and ignores the filters: the dashboard says
/// so in its status bar, and M's window read (which finds the same) writes
/// nothing to stderr, which would scroll the screen under the dashboard (M's
/// top border pushed off the first row).
#[test]
fn a_thin_service_is_said_in_the_status_bar_and_m_keeps_the_screen_whole() {
    let args = [
        ARGS,
        &["--thin", "--regions", "us-east-1", "--page-size", "7"],
    ]
    .concat();
    let mut session = start(&args);
    session.screen.wait_for("the table, read whole", |t| {
        t.contains("loaded") && t.contains("the service ignored sortOrder")
    });
    session.send("M");
    let screen = session
        .screen
        .wait_for("the matrix", |t| t.contains("source models ·"));
    let top = screen.lines().next().unwrap_or_default().to_string();
    assert!(top.contains("┌ where each model is"), "{screen}");
    session.send("\u{1b}");
    session
        .screen
        .wait_for("the table again", |t| !t.contains("source models ·"));
    session.quit();
}
