//! What copyjobs keeps on disk is its user's alone (issue 27): under the
//! usual umask 022, which leaves what a program creates readable by every
//! user of the machine, each folder copyjobs makes for its state is 700 and
//! each file 600, after the dashboard, `watch`, `wait` and `copy`; what it
//! finds open is tightened at start and said once; an export keeps the
//! umask, as it goes where the user asked. The modes are the issue's, not
//! read from the code.

#![cfg(unix)]

mod support;

use copyjobs::emulator::api;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use support::cli::{finish, isolate, isolated_after};
use support::pty::Session;

/// The issue's modes.
const FOLDER: u32 = 0o700;
const FILE: u32 = 0o600;
/// What umask 022 leaves of a file created 666: what an export must have.
const UMASK_022_FILE: u32 = 0o644;

const UMASK: &str = "umask 022";
const NOW_MS: i64 = 1_748_779_200_000;

fn fresh(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("copyjobs-private-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
}

fn set_mode(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

/// `root` and everything under it, each with its mode, folders marked.
fn walk(root: &Path) -> Vec<(PathBuf, u32, bool)> {
    let meta = std::fs::symlink_metadata(root).unwrap();
    let mut all = vec![(root.to_path_buf(), mode(root), meta.is_dir())];
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for e in entries {
            all.extend(walk(&e));
        }
    }
    all
}

/// Every folder under `home` (the state home copyjobs made) is 700 and
/// every file 600, and `expected` (relative to `home/copyjobs`) are there:
/// a check of nothing would pass.
fn assert_private(home: &Path, expected: &[&str]) {
    let all = walk(home);
    let open: Vec<String> = all
        .iter()
        .filter(|(_, m, dir)| *m != if *dir { FOLDER } else { FILE })
        .map(|(p, m, _)| format!("{} {m:o}", p.display()))
        .collect();
    assert!(open.is_empty(), "not private: {open:?}");
    for e in expected {
        let p = home.join("copyjobs").join(e);
        assert!(
            all.iter().any(|(q, _, _)| *q == p),
            "{} was made: {:?}",
            p.display(),
            all.iter().map(|(q, _, _)| q).collect::<Vec<_>>()
        );
    }
}

/// Credentials no file may hold: distinctive, so a match is theirs.
const KEYS: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "AKIDPRIVATE27TEST"),
    ("AWS_SECRET_ACCESS_KEY", "issue-27-secret-never-on-disk"),
    ("AWS_SESSION_TOKEN", "issue-27-session-token-never-on-disk"),
];

/// The binary under umask 022, its state in `home`, reading `server` with
/// [`KEYS`].
fn copyjobs(
    server: &copyjobs::emulator::Server,
    home: &Path,
    args: &[&str],
) -> tokio::process::Command {
    let mut c = isolated_after(UMASK, args);
    c.args(["--endpoint-url", &server.url()])
        .env("XDG_STATE_HOME", home)
        .envs(KEYS);
    c
}

/// A field of the first job the endpoint lists for `query` in `region`.
fn first(server: &copyjobs::emulator::Server, region: &str, query: &str, field: &str) -> String {
    let (_, body) = api::list(&server.emulator, region, query).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    v["modelCopyJobSummaries"][0][field]
        .as_str()
        .unwrap()
        .to_string()
}

fn jobs_kept(path: &Path) -> i64 {
    rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| c.query_row("SELECT count(*) FROM jobs", [], |r| r.get(0)))
        .unwrap_or(0)
}

/// The lines of `text` that say something was made private.
fn tightened(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.contains("made private"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_wait_and_copy_keep_their_state_private() {
    let server = support::endpoint(300, 11, NOW_MS, false).await;
    let home = fresh("headless");
    let history = home.join("copyjobs/history.db");

    // watch: checked while it runs, its WAL and shared memory open.
    let mut watch = copyjobs(
        &server,
        &home,
        &["watch", "--region", "us-east-1", "--interval", "0.1"],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    tokio::time::timeout(Duration::from_secs(60), async {
        while jobs_kept(&history) == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("watch kept the jobs it saw");
    assert_private(&home, &["history.db", "history.db-wal", "history.db-shm"]);
    watch.start_kill().unwrap();
    let _ = watch.wait().await;

    // wait: a running job, to its timeout.
    let running = first(
        &server,
        "us-east-1",
        "statusEquals=InProgress&maxResults=1",
        "jobArn",
    );
    let wait = [
        "wait",
        &running,
        "--region",
        "us-east-1",
        "--timeout",
        "1s",
        "--interval",
        "0.2",
    ];
    let (code, _, err) = finish(copyjobs(&server, &home, &wait)).await;
    assert_eq!(code, 3, "{err}");
    assert!(tightened(&err).is_empty(), "nothing was open: {err}");
    assert_private(&home, &["history.db"]);

    // copy: a record of each create, and the name it chose.
    let source = first(&server, "us-west-2", "maxResults=1", "sourceModelArn");
    // Two regions that are not the model's own (a copy goes to another
    // region); us-west-2 holds a copy of it, so it is never its home.
    let own = source.split(':').nth(3).unwrap_or("");
    let to: Vec<&str> = ["us-east-1", "eu-central-1", "us-west-2"]
        .into_iter()
        .filter(|r| *r != own)
        .take(2)
        .collect();
    let to = to.join(",");
    let (code, out, err) = finish(copyjobs(&server, &home, &["copy", &source, "--to", &to])).await;
    assert_eq!(code, 0, "{out}{err}");
    assert_private(&home, &["history.db", "created", "created/names"]);
    let records = walk(&home.join("copyjobs/created"));
    assert_eq!(
        records.iter().filter(|(_, _, dir)| !dir).count(),
        4,
        "two creates, two names: {records:?}"
    );

    // Made open by hand (or by an older copyjobs): tightened by the next
    // start, which says so in one line.
    set_mode(&history, 0o644);
    set_mode(&home.join("copyjobs"), 0o755);
    let (code, _, err) = finish(copyjobs(&server, &home, &wait)).await;
    assert_eq!(code, 3, "{err}");
    let said = tightened(&err);
    assert_eq!(said.len(), 1, "one line: {err}");
    assert!(
        said[0].contains(". was 755") && said[0].contains("history.db was 644"),
        "{err}"
    );
    assert_private(&home, &["history.db"]);

    // Credentials stay in memory: no file copyjobs wrote holds them.
    for (path, _, dir) in walk(&home) {
        let bytes = if dir {
            Vec::new()
        } else {
            std::fs::read(&path).unwrap()
        };
        for (_, key) in KEYS {
            assert!(
                !bytes.windows(key.len()).any(|w| w == key.as_bytes()),
                "{} holds {key}",
                path.display()
            );
        }
    }
    std::fs::remove_dir_all(&home).unwrap();
    server.shutdown().await;
}

const DEMO: &[&str] = &[
    "demo",
    "--frozen",
    "--now",
    "2025-06-01T12:00:00Z",
    "--seed",
    "7",
    "--jobs",
    "300",
    "--arrival-rate",
    "0",
];

/// The demo in a pseudo-terminal under umask 022, working in `cwd`.
fn demo(cwd: &Path, home: &Path) -> Session {
    let script = format!("cd '{}' && {UMASK}", cwd.display());
    let s = Session::start_after(&script, DEMO, (100, 30), home, &[]);
    s.screen
        .wait_for("the first page", |t| t.contains("100 loaded"));
    s
}

#[test]
fn the_dashboard_keeps_its_state_private_and_an_export_keeps_the_umask() {
    let home = fresh("dashboard");
    let cwd = fresh("dashboard-cwd");
    std::fs::create_dir_all(&cwd).unwrap();

    let mut s = demo(&cwd, &home);
    s.send(":save mine\r");
    s.screen.wait_for("the view saved", |t| {
        t.contains("Saved this view as 'mine'")
    });
    s.send("e");
    s.screen
        .wait_for("the export's path", |t| t.contains("export to:"));
    s.send("\r");
    s.screen
        .wait_for("the export written", |t| t.contains("Wrote"));
    s.quit();
    assert_private(&home, &["history.db", "views.json", "copyjobs.log"]);
    let exports: Vec<_> = walk(&cwd).into_iter().filter(|(_, _, dir)| !dir).collect();
    assert_eq!(exports.len(), 1, "{exports:?}");
    assert_eq!(
        exports[0].1, UMASK_022_FILE,
        "where the user asked, as asked"
    );

    // Opened up by hand: the next start tightens them, with one log line.
    set_mode(&home.join("copyjobs/history.db"), 0o644);
    set_mode(&home.join("copyjobs/views.json"), 0o644);
    set_mode(&home.join("copyjobs"), 0o755);
    demo(&cwd, &home).quit();
    assert_private(&home, &["history.db", "views.json", "copyjobs.log"]);
    let log = std::fs::read_to_string(home.join("copyjobs/copyjobs.log")).unwrap();
    let said = tightened(&log);
    assert_eq!(said.len(), 1, "one line: {log}");
    assert!(
        said[0].contains("3 entries")
            && said[0].contains(". was 755")
            && said[0].contains("history.db was 644")
            && said[0].contains("views.json was 644"),
        "{log}"
    );
    std::fs::remove_dir_all(&home).unwrap();
    std::fs::remove_dir_all(&cwd).unwrap();
}

/// A state folder of another user's cannot be tightened: a warning, and
/// the verb goes on. Needs root, to run copyjobs as `nobody` through
/// `setpriv`; elsewhere it says why it did not run.
#[tokio::test(flavor = "multi_thread")]
async fn a_state_folder_of_another_users_is_a_warning_not_a_crash() {
    let as_nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"];
    let runs = std::process::Command::new("setpriv")
        .args(as_nobody)
        .arg(env!("CARGO_BIN_EXE_copyjobs"))
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !runs {
        eprintln!("skipped: copyjobs cannot be run as nobody here (needs root and setpriv)");
        return;
    }
    let server = support::endpoint(50, 11, NOW_MS, false).await;
    let home = fresh("others");
    let dir = home.join("copyjobs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("history.db"), "").unwrap();
    set_mode(&home, 0o755);
    set_mode(&dir, 0o755);
    set_mode(&dir.join("history.db"), 0o644);
    let mut c = tokio::process::Command::new("setpriv");
    c.args(as_nobody)
        .arg(env!("CARGO_BIN_EXE_copyjobs"))
        .args([
            "list",
            "--region",
            "us-east-1",
            "--limit",
            "1",
            "-o",
            "jsonl",
        ])
        .args(["--endpoint-url", &server.url()]);
    let mut c = isolate(c);
    c.env("XDG_STATE_HOME", &home).env("HOME", &home);
    let (code, out, err) = finish(c).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    let warned: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("could not be made private"))
        .collect();
    assert_eq!(warned.len(), 1, "{err}");
    assert!(warned[0].contains("history.db"), "{err}");
    assert_eq!(mode(&dir.join("history.db")), 0o644, "another's, untouched");
    std::fs::remove_dir_all(&home).unwrap();
    server.shutdown().await;
}
